// Ctrl+K in the composer: a link's text and address, inserted as `[text](address)`.

import { Show, createSignal, type JSX } from 'solid-js';
import { urlTarget } from '../lib/entities';
import { useApp } from '../stores/app';
import { Dialog } from './Dialog';

/** The "Insert a link" dialog (`link-dialog`); `onInsert` gets the Markdown to insert. */
export function LinkDialog(props: { text: string; onInsert: (markdown: string) => void; onClose: () => void }): JSX.Element {
  const { settings } = useApp();
  const t = settings.t;
  const [text, setText] = createSignal(props.text);
  const [url, setUrl] = createSignal('');
  const [error, setError] = createSignal(false);
  const submit = (event: Event): void => {
    event.preventDefault();
    const target = urlTarget(url());
    if (target === null) {
      setError(true);
      return;
    }
    const shown = text().trim() === '' ? target : text().replace(/[[\]]/g, '');
    props.onInsert(`[${shown}](${target.replace(/[()\s]/g, encodeURIComponent)})`);
  };
  return (
    <Dialog title={t('link.dialogTitle')} testId="link-dialog" onClose={props.onClose}>
      <form class="form" onSubmit={submit}>
        <label class="field">
          <span>{t('link.text')}</span>
          <input dir="auto" value={text()} onInput={(e) => setText(e.currentTarget.value)} data-testid="link-dialog-text" />
        </label>
        <label class="field">
          <span>{t('link.url')}</span>
          <input
            type="text"
            inputMode="url"
            dir="ltr"
            value={url()}
            aria-invalid={error()}
            aria-describedby={error() ? 'link-dialog-error' : undefined}
            spellcheck={false}
            autocomplete="off"
            onInput={(e) => {
              setUrl(e.currentTarget.value);
              setError(false);
            }}
            data-testid="link-dialog-url"
          />
        </label>
        <Show when={error()}>
          <p class="form-error" role="alert" id="link-dialog-error" data-testid="form-error">
            {t('link.invalid')}
          </p>
        </Show>
        <div class="form-actions">
          <button type="button" class="button" onClick={() => props.onClose()}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="button primary" data-testid="link-dialog-submit">
            {t('link.insert')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
