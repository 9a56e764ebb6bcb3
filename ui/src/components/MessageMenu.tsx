// The menu of one message: a row of quick reactions and "React…" (stored messages of a chat
// this account is in), then Reply, Edit, Copy text, Forward, Pin / Unpin, Select and Delete as
// far as they apply. A message still in the outbox offers copying and deleting only, a failed
// one sending again first. The items are those of the message as it was when the menu opened.

import { For, Show, type JSX } from 'solid-js';
import type { Translate } from '../lib/chats';
import { QUICK_REACTIONS } from '../lib/emoji';
import { isEditable } from '../lib/messages';
import { canForward, canPin, canReact, hasText } from '../lib/messageRules';
import type { AccountId, ChatSummary, MessageView } from '../platform/types';
import { useApp } from '../stores/app';
import { ContextMenu, type MenuItem } from './ContextMenu';
import { Icon } from './Icon';
import '../styles/conversation-tools.css';

/** What the menu's items do; each gets the message the menu is for. */
export interface MessageActions {
  reply(m: MessageView): void;
  edit(m: MessageView): void;
  copy(m: MessageView): void;
  forward(m: MessageView): void;
  pin(m: MessageView, pinned: boolean): void;
  select(m: MessageView): void;
  delete(m: MessageView): void;
  retry(m: MessageView): void;
  /** `add` false: take back this account's reaction. */
  react(m: MessageView, emoji: string, add: boolean): void;
  /** "React…": choose any emoji. */
  pickReaction(m: MessageView): void;
}

/** The items of `m`'s menu for this account (`me`) in `chat`; empty when nothing applies. */
export function messageMenuItems(
  m: MessageView,
  chat: ChatSummary,
  me: AccountId | undefined,
  actions: MessageActions,
  t: Translate,
): MenuItem[] {
  const items: MenuItem[] = [];
  const member = chat.isMember;
  const copy: MenuItem = { label: t('message.copy'), icon: 'copy', testId: 'menu-copy', run: () => actions.copy(m) };
  const remove: MenuItem = {
    label: t('message.delete'),
    icon: 'trash',
    testId: 'message-menu-delete',
    danger: true,
    run: () => actions.delete(m),
  };
  if (m.seq === null) {
    if (m.state === 'failed' && member) {
      items.push({ label: t('messageMenu.retry'), icon: 'send', testId: 'message-menu-retry', run: () => actions.retry(m) });
    }
    if (hasText(m)) items.push(copy);
    items.push(remove);
    return items;
  }
  const select: MenuItem = { label: t('messageMenu.select'), icon: 'checkCircle', testId: 'message-menu-select', run: () => actions.select(m) };
  if (m.deleted) return [select, remove];
  if (member) items.push({ label: t('message.reply'), icon: 'reply', testId: 'menu-reply', run: () => actions.reply(m) });
  if (isEditable(m) && member) items.push({ label: t('message.edit'), icon: 'pencil', testId: 'menu-edit', run: () => actions.edit(m) });
  // The text of an unreadable message is only the reason, a call record's an English
  // summary: nothing to copy or forward.
  if (hasText(m)) items.push(copy);
  if (canForward(m)) {
    items.push({ label: t('messageMenu.forward'), icon: 'forward', testId: 'message-menu-forward', run: () => actions.forward(m) });
  }
  if (canPin(chat, me)) {
    items.push({
      label: m.pinned ? t('messageMenu.unpin') : t('messageMenu.pin'),
      icon: 'pin',
      testId: 'message-menu-pin',
      run: () => actions.pin(m, !m.pinned),
    });
  }
  items.push(select, remove);
  return items;
}

export function MessageMenu(props: {
  message: MessageView;
  chat: ChatSummary;
  x: number;
  y: number;
  actions: MessageActions;
  onClose: () => void;
}): JSX.Element {
  const app = useApp();
  const t = app.settings.t;
  const m = props.message;
  const me = app.session.account()?.id;
  const items = messageMenuItems(m, props.chat, me, props.actions, t);
  const mine = (emoji: string): boolean => m.reactions.some((r) => r.emoji === emoji && r.mine);
  const choose = (run: () => void): void => {
    props.onClose();
    run();
  };
  const reactions = (
    <Show when={canReact(m, props.chat)}>
      <div class="menu-reactions" role="group" aria-label={t('messageMenu.reactions')}>
        <For each={QUICK_REACTIONS}>
          {(emoji) => (
            <button
              type="button"
              role="menuitem"
              class="menu-reaction"
              classList={{ mine: mine(emoji) }}
              tabIndex={-1}
              aria-label={mine(emoji) ? t('messageMenu.unreact', { emoji }) : t('messageMenu.reactWith', { emoji })}
              data-testid="menu-reaction"
              data-emoji={emoji}
              onClick={() => choose(() => props.actions.react(m, emoji, !mine(emoji)))}
            >
              {emoji}
            </button>
          )}
        </For>
        <button
          type="button"
          role="menuitem"
          class="menu-reaction"
          tabIndex={-1}
          aria-label={t('messageMenu.react')}
          title={t('messageMenu.react')}
          data-testid="message-menu-react"
          onClick={() => choose(() => props.actions.pickReaction(m))}
        >
          <Icon name="mood" size={20} />
        </button>
      </div>
    </Show>
  );
  return (
    <ContextMenu
      x={props.x}
      y={props.y}
      label={t('message.actions')}
      header={reactions}
      items={items}
      onClose={props.onClose}
    />
  );
}
