// The visually hidden polite live region new messages are announced through. A dialog
// leaves it out of the inert rest of the window, so arrivals are still heard.

import { For, type JSX } from 'solid-js';
import type { AnnouncerStore } from '../stores/announcer';

export const LIVE_REGION = '[data-live-region]';

export function LiveAnnouncer(props: { announcer: AnnouncerStore }): JSX.Element {
  return (
    <div class="visually-hidden" aria-live="polite" data-live-region data-testid="announcer">
      <For each={props.announcer.items()}>{(item) => <p>{item.text}</p>}</For>
    </div>
  );
}
