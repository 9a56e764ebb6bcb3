// A round avatar with initials, coloured by id; with `online`, a small dot (never the only
// sign: whoever shows it also says "online" in words).

import { Show, type JSX } from 'solid-js';
import { avatarColour, initials } from '../lib/text';
import '../styles/presence.css';

/** An avatar for `name`, coloured by `id`. */
export function Avatar(props: {
  name: string;
  id: number;
  size?: 'small' | 'medium' | 'large';
  /** Shows the online dot. */
  online?: boolean;
}): JSX.Element {
  return (
    <span
      class={`avatar avatar-${props.size ?? 'medium'} avatar-colour-${avatarColour(props.id)}${props.online === true ? ' has-presence' : ''}`}
      aria-hidden="true"
      data-testid="avatar"
    >
      {initials(props.name)}
      <Show when={props.online}>
        <span class="online-dot" data-testid="chat-online-dot" />
      </Show>
    </span>
  );
}
