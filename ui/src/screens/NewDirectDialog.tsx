// Start a direct chat with someone by username (known people are suggested as it is typed).

import { createSignal, type JSX } from 'solid-js';
import { Dialog } from '../components/Dialog';
import { FormError } from '../components/FormError';
import { PeopleField } from '../components/PeopleField';
import { errorText } from './errorText';
import { useApp } from '../stores/app';

export function NewDirectDialog(props: { onClose: () => void }): JSX.Element {
  const app = useApp();
  const t = app.settings.t;
  const [username, setUsername] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (username().trim() === '') return;
    setBusy(true);
    try {
      const chat = await app.platform.openDirect(username().trim());
      app.chats.put(chat);
      app.openChat(chat.id);
      props.onClose();
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('newDirect.title')} testId="new-direct-dialog" onClose={props.onClose}>
      <form class="form" onSubmit={submit}>
        <PeopleField
          label={t('newDirect.username')}
          value={username()}
          onInput={setUsername}
          testId="new-direct-username"
        />
        <FormError message={error()} />
        <div class="form-actions">
          <button type="button" class="button" onClick={() => props.onClose()}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="button primary" disabled={busy()} data-testid="new-direct-submit">
            {t('newDirect.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
