// In place of the composer while messages are selected: how many, and what can be done with
// them (forward, copy their text, delete), or leave the selection.

import type { JSX } from 'solid-js';
import { useApp } from '../stores/app';
import { Icon } from './Icon';
import '../styles/conversation-tools.css';

export function SelectionBar(props: {
  count: number;
  canForward: boolean;
  canCopy: boolean;
  onForward: () => void;
  onCopy: () => void;
  onDelete: () => void;
  onCancel: () => void;
}): JSX.Element {
  const { settings } = useApp();
  const t = settings.t;
  return (
    <div class="selection-bar" role="group" aria-label={t('select.bar')} data-testid="selection-bar">
      <button
        type="button"
        class="icon-button"
        aria-label={t('select.cancel')}
        title={t('select.cancel')}
        data-testid="selection-cancel"
        onClick={() => props.onCancel()}
      >
        <Icon name="close" />
      </button>
      <span class="selection-count" role="status" data-testid="selection-count">
        {settings.plural('select.count', props.count)}
      </span>
      <button
        type="button"
        class="button"
        disabled={!props.canForward}
        data-testid="selection-forward"
        onClick={() => props.onForward()}
      >
        <Icon name="forward" size={20} />
        <span>{t('select.forward')}</span>
      </button>
      <button
        type="button"
        class="button"
        disabled={!props.canCopy}
        data-testid="selection-copy"
        onClick={() => props.onCopy()}
      >
        <Icon name="copy" size={20} />
        <span>{t('select.copy')}</span>
      </button>
      <button
        type="button"
        class="button danger"
        disabled={props.count === 0}
        data-testid="selection-delete"
        onClick={() => props.onDelete()}
      >
        <Icon name="trash" size={20} />
        <span>{t('select.delete')}</span>
      </button>
    </div>
  );
}
