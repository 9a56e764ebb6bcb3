// The button above the composer while unread messages of the chat mention this account: it
// shows how many, and each press goes to the next one (the oldest first).

import type { JSX } from 'solid-js';
import { formatNumber } from '../i18n/locale';
import { useApp } from '../stores/app';
import '../styles/folders.css';

/** The jump button; `count` is the chat's unread mentions, `onJump` goes to the next one. */
export function MentionJump(props: { count: number; onJump: () => void }): JSX.Element {
  const { settings } = useApp();
  const label = (): string => `${settings.t('mention.jump')}${settings.t('common.listSeparator')}${settings.plural('chat.mentions', props.count)}`;
  return (
    <div class="mention-jump-bar">
      <button type="button" class="mention-jump" aria-label={label()} title={label()} data-testid="jump-to-mention" onClick={() => props.onJump()}>
        <span class="mention-jump-at" aria-hidden="true">
          @
        </span>
        <span aria-hidden="true" data-testid="jump-to-mention-count">
          {formatNumber(props.count, settings.lang())}
        </span>
      </button>
    </div>
  );
}
