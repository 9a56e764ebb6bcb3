// The channels as a listbox with one tab stop (roving tabindex), like the chat list: Up /
// Down, Home / End and typing the start of a title move focus; Enter opens the channel.

import { For, Show, createEffect, createSignal, on, type JSX } from 'solid-js';
import { createTypeAhead, rovingTarget, typeAheadMatch } from '../lib/roving';
import type { ChannelId, ChannelInfo } from '../platform/types';
import { ChannelListItem } from './ChannelListItem';

export function ChannelListbox(props: {
  ids: readonly ChannelId[];
  channel: (id: ChannelId) => ChannelInfo | undefined;
  /** The open channel. */
  active: ChannelId | null;
  label: string;
  testId?: string;
  onOpen: (id: ChannelId) => void;
}): JSX.Element {
  let list!: HTMLUListElement;
  const typeAhead = createTypeAhead();
  const [focused, setFocused] = createSignal<ChannelId | null>(null);
  createEffect(on(() => props.active, () => setFocused(null), { defer: true }));
  const tabStop = (): ChannelId | null => {
    for (const id of [focused(), props.active]) if (id !== null && props.ids.includes(id)) return id;
    return props.ids[0] ?? null;
  };
  const rows = (): HTMLElement[] => [...list.querySelectorAll<HTMLElement>('[role="option"]')];

  const target = (event: KeyboardEvent, at: number): number | null => {
    const moved = rovingTarget(event.key, at, props.ids.length);
    if (moved !== null) return moved;
    if ([...event.key].length !== 1 || event.key.trim() === '') return null;
    const titles = props.ids.map((id) => props.channel(id)?.title ?? '');
    const match = typeAheadMatch(titles, at, typeAhead(event.key));
    return match === -1 ? at : match;
  };

  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const at = rows().findIndex((row) => row === document.activeElement);
    const id = props.ids[at];
    if (event.key === 'Enter') {
      if (id === undefined) return;
      event.preventDefault();
      props.onOpen(id);
      return;
    }
    const next = target(event, at);
    if (next === null) return;
    event.preventDefault();
    rows()[next]?.focus();
  };

  const onFocusIn = (event: FocusEvent): void => {
    const id = props.ids[rows().findIndex((row) => row === event.target)];
    if (id !== undefined) setFocused(id);
  };

  return (
    <ul
      ref={list}
      role="listbox"
      class="chat-list"
      aria-label={props.label}
      data-testid={props.testId}
      onKeyDown={onKeyDown}
      onFocusIn={onFocusIn}
    >
      <For each={props.ids}>
        {(id) => (
          <Show when={props.channel(id)}>
            {(channel) => (
              <ChannelListItem
                channel={channel()}
                active={props.active === id}
                tabStop={tabStop() === id}
                onOpen={() => props.onOpen(id)}
              />
            )}
          </Show>
        )}
      </For>
    </ul>
  );
}
