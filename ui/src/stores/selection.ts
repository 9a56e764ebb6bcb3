// Selecting messages of the open chat: which are selected (by local id), a click toggling one
// and Shift+click selecting the range from the last one clicked.

import { createMemo, createSignal, type Accessor } from 'solid-js';
import { rangeBetween } from '../lib/messageRules';
import type { MessageView } from '../platform/types';

export interface MessageSelectionStore {
  /** True while selecting (even with nothing left selected). */
  active: Accessor<boolean>;
  /** The selected messages still loaded, oldest first. */
  messages: Accessor<MessageView[]>;
  has(localId: string): boolean;
  /** Starts selecting with `m` selected. */
  enter(m: MessageView): void;
  /** Toggles `m`; with `range`, selects everything from the last clicked message to `m`. Leaves when none is left. */
  toggle(m: MessageView, range: boolean): void;
  leave(): void;
}

/** `loaded`: the conversation's messages, oldest first. */
export function createMessageSelection(loaded: Accessor<readonly MessageView[]>): MessageSelectionStore {
  const [selected, setSelected] = createSignal<ReadonlySet<string> | null>(null);
  let anchor: string | null = null;
  const leave = (): void => {
    anchor = null;
    setSelected(null);
  };
  return {
    active: () => selected() !== null,
    messages: createMemo(() => {
      const ids = selected();
      return ids === null ? [] : loaded().filter((m) => ids.has(m.localId));
    }),
    has: (localId) => selected()?.has(localId) === true,
    enter(m) {
      anchor = m.localId;
      setSelected(new Set([m.localId]));
    },
    toggle(m, range) {
      const next = new Set(selected());
      if (range && anchor !== null) {
        for (const id of rangeBetween(loaded(), anchor, m.localId)) next.add(id);
      } else if (next.has(m.localId)) next.delete(m.localId);
      else next.add(m.localId);
      anchor = m.localId;
      if (next.size === 0) leave();
      else setSelected(next);
    },
    leave,
  };
}
