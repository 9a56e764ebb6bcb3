// A dismissible banner over the main window, for messages the user should read (e.g. a
// link that cannot be opened). Stays until closed.

import type { JSX } from 'solid-js';
import { useApp } from '../stores/app';
import { Icon } from './Icon';

export function Notice(props: { text: string; onClose: () => void }): JSX.Element {
  const { settings } = useApp();
  return (
    <div class="notice" role="alert" data-testid="notice">
      <Icon name="info" size={20} class="notice-icon" />
      <span class="notice-text">
        {props.text}
      </span>
      <button
        type="button"
        class="icon-button"
        data-testid="notice-close"
        aria-label={settings.t('common.close')}
        onClick={() => props.onClose()}
      >
        <Icon name="close" size={20} />
      </button>
    </div>
  );
}
