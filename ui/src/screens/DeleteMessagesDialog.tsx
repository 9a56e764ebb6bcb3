// Deleting messages: for me (this device only, by local id: unsent and failed ones too) or,
// when every chosen message allows it, for everyone (own messages; in a group, an admin may
// delete anyone's).

import { Show, createSignal, type JSX } from 'solid-js';
import { Dialog } from '../components/Dialog';
import { FormError } from '../components/FormError';
import { canDeleteForEveryone } from '../lib/messageRules';
import type { ChatSummary, MessageView } from '../platform/types';
import { useApp } from '../stores/app';
import { errorText } from './errorText';
import '../styles/conversation-tools.css';

export function DeleteMessagesDialog(props: {
  chat: ChatSummary;
  messages: readonly MessageView[];
  /** After the host accepted the deletion. */
  onDone: () => void;
  onClose: () => void;
}): JSX.Element {
  const app = useApp();
  const t = app.settings.t;
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const me = app.session.account()?.id;
  const forEveryone = (): boolean =>
    props.messages.length > 0 && props.messages.every((m) => canDeleteForEveryone(m, props.chat, me));

  const run = async (work: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await work();
      props.onDone();
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };
  const deleteForMe = (): Promise<void> =>
    run(() => app.platform.deleteForMe(props.chat.id, props.messages.map((m) => m.localId)));
  const deleteForEveryone = (): Promise<void> =>
    run(async () => {
      for (const m of props.messages) if (m.seq !== null) await app.platform.remove(props.chat.id, m.seq);
    });

  return (
    <Dialog
      title={app.settings.plural('delete.title', props.messages.length)}
      testId="delete-dialog"
      onClose={props.onClose}
    >
      <div class="form">
        <p class="dialog-text">{forEveryone() ? t('delete.explain') : t('delete.explainForMe')}</p>
        <FormError message={error()} />
        <div class="form-actions delete-actions">
          <button type="button" class="button" onClick={() => props.onClose()}>
            {t('common.cancel')}
          </button>
          <button
            type="button"
            class="button danger"
            disabled={busy()}
            data-testid="delete-for-me"
            onClick={() => void deleteForMe()}
          >
            {t('delete.forMe')}
          </button>
          <Show when={forEveryone()}>
            <button
              type="button"
              class="button danger"
              disabled={busy()}
              data-testid="delete-for-everyone"
              onClick={() => void deleteForEveryone()}
            >
              {t('delete.forEveryone')}
            </button>
          </Show>
        </div>
      </div>
    </Dialog>
  );
}
