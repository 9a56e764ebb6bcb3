// A round avatar with initials, coloured by id.

import type { JSX } from 'solid-js';
import { avatarColour, initials } from '../lib/text';

export function Avatar(props: { name: string; id: number; size?: 'small' | 'medium' | 'large' }): JSX.Element {
  return (
    <span
      class={`avatar avatar-${props.size ?? 'medium'} avatar-colour-${avatarColour(props.id)}`}
      aria-hidden="true"
      data-testid="avatar"
    >
      {initials(props.name)}
    </span>
  );
}
