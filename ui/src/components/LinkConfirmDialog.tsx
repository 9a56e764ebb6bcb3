// Asks before opening a link whose shown text differs from where it leads, showing the real
// target (bidi-isolated and left to right, so that nothing in it can disguise it).

import type { JSX } from 'solid-js';
import { useApp } from '../stores/app';
import { Dialog } from './Dialog';

/** The "Open this link?" dialog (`link-confirm-dialog`). */
export function LinkConfirmDialog(props: { url: string; onOpen: () => void; onClose: () => void }): JSX.Element {
  const { settings } = useApp();
  const t = settings.t;
  return (
    <Dialog title={t('link.confirmTitle')} testId="link-confirm-dialog" onClose={props.onClose}>
      <div class="form">
        <p>{t('link.confirmText')}</p>
        <p class="link-confirm-url" dir="ltr" data-testid="link-confirm-url">
          <bdi>{props.url}</bdi>
        </p>
        <div class="form-actions">
          <button type="button" class="button" data-testid="link-confirm-cancel" onClick={() => props.onClose()}>
            {t('common.cancel')}
          </button>
          <button type="button" class="button primary" data-testid="link-confirm-open" onClick={() => props.onOpen()}>
            {t('link.open')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
