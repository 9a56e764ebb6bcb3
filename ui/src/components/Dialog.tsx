// A modal dialog: labelled, closes on Esc or a click outside, keeps focus inside, makes the
// rest of the window inert, and gives focus back to what opened it.

import { createUniqueId, onCleanup, onMount, type JSX } from 'solid-js';
import { Portal } from 'solid-js/web';
import { focusableIn, trapTab } from '../lib/focus';
import { inertOutside } from '../lib/inert';
import { useApp } from '../stores/app';
import { Icon } from './Icon';
import { LIVE_REGION } from './LiveAnnouncer';

export function Dialog(props: { title: string; testId: string; onClose: () => void; children: JSX.Element }): JSX.Element {
  const { settings } = useApp();
  const titleId = createUniqueId();
  const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  let backdrop!: HTMLDivElement;
  let panel!: HTMLDivElement;
  let restore = (): void => undefined;
  onMount(() => {
    restore = inertOutside([backdrop, ...document.querySelectorAll(LIVE_REGION)]);
    const first = focusableIn(panel).find((el) => !el.hasAttribute('data-dialog-close'));
    (first ?? panel).focus();
  });
  onCleanup(() => {
    restore();
    previous?.focus();
  });
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      props.onClose();
    } else if (event.key === 'Tab') {
      trapTab(panel, event);
    }
  };
  return (
    <Portal>
      <div ref={backdrop} class="backdrop" onMouseDown={(e) => e.target === e.currentTarget && props.onClose()}>
        <div
          ref={panel}
          class="dialog"
          role="dialog"
          aria-modal="true"
          aria-labelledby={titleId}
          data-testid={props.testId}
          tabIndex={-1}
          onKeyDown={onKeyDown}
        >
          <header class="dialog-header">
            <h2 id={titleId}>{props.title}</h2>
            <button
              type="button"
              class="icon-button"
              data-dialog-close
              data-testid="dialog-close"
              aria-label={settings.t('common.close')}
              onClick={() => props.onClose()}
            >
              <Icon name="close" />
            </button>
          </header>
          <div class="dialog-body">{props.children}</div>
        </div>
      </div>
    </Portal>
  );
}
