// Jump to a date: the first message sent on or after the start of the chosen day (local time);
// when there is none, the dialog says so and stays open.

import { Show, createSignal, type JSX } from 'solid-js';
import { errorText } from './errorText';
import type { ChatId, Seq } from '../platform/types';
import { useApp } from '../stores/app';
import { Dialog } from '../components/Dialog';
import '../styles/conversation-tools.css';

/** Local midnight at the start of a `YYYY-MM-DD` day (an `<input type="date">` value); null if not a date. */
export function startOfDay(value: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) return null;
  const at = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])).getTime();
  return Number.isNaN(at) ? null : at;
}

export function JumpToDateDialog(props: { chat: ChatId; onJump: (seq: Seq) => void; onClose: () => void }): JSX.Element {
  const app = useApp();
  const t = app.settings.t;
  const [day, setDay] = createSignal('');
  const [problem, setProblem] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const at = startOfDay(day());
    if (at === null) return;
    setBusy(true);
    setProblem(null);
    try {
      const seq = await app.platform.seqAtDate(props.chat, at);
      if (seq === null) {
        setProblem(t('chatSearch.dateNone'));
        return;
      }
      props.onClose();
      props.onJump(seq);
    } catch (error) {
      setProblem(errorText(t, error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('chatSearch.date')} testId="jump-date-dialog" onClose={props.onClose}>
      <form class="form" onSubmit={(e) => void submit(e)}>
        <label class="field">
          <span>{t('chatSearch.dateLabel')}</span>
          <input
            type="date"
            value={day()}
            required
            data-testid="jump-date-input"
            onInput={(e) => {
              setDay(e.currentTarget.value);
              setProblem(null);
            }}
          />
        </label>
        <Show when={problem()}>
          {(text) => (
            <p class="form-error" role="alert" data-testid="jump-date-none">
              {text()}
            </p>
          )}
        </Show>
        <div class="form-actions">
          <button type="button" class="button" onClick={() => props.onClose()}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            class="button primary"
            disabled={busy() || startOfDay(day()) === null}
            data-testid="jump-date-submit"
          >
            {t('chatSearch.dateSubmit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
