// Create a group with a title and a list of usernames (known people are suggested as they are typed).

import { createSignal, type JSX } from 'solid-js';
import { Dialog } from '../components/Dialog';
import { FormError } from '../components/FormError';
import { PeopleField } from '../components/PeopleField';
import { parseUsernames } from '../lib/text';
import { useApp } from '../stores/app';
import { errorText } from './errorText';

export function NewGroupDialog(props: { onClose: () => void }): JSX.Element {
  const app = useApp();
  const t = app.settings.t;
  const [title, setTitle] = createSignal('');
  const [members, setMembers] = createSignal('');
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (title().trim() === '') {
      setError(t('errors.invalid'));
      return;
    }
    setBusy(true);
    try {
      const chat = await app.platform.createGroup(title().trim(), parseUsernames(members()));
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
    <Dialog title={t('newGroup.title')} testId="new-group-dialog" onClose={props.onClose}>
      <form class="form" onSubmit={submit}>
        <label class="field">
          <span>{t('newGroup.name')}</span>
          <input value={title()} onInput={(e) => setTitle(e.currentTarget.value)} data-testid="new-group-title" />
        </label>
        <PeopleField
          label={t('newGroup.members')}
          value={members()}
          onInput={setMembers}
          testId="new-group-members"
          several
        />
        <FormError message={error()} />
        <div class="form-actions">
          <button type="button" class="button" onClick={() => props.onClose()}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="button primary" disabled={busy()} data-testid="new-group-submit">
            {t('common.create')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
