// One row of the chat list: avatar, title (and a crossed-out bell while muted), time,
// last-message preview, an "@" while unread messages mention this account (named "N unread
// mentions"), unread badge (grey while muted). Only the list's tab stop is in the
// Tab order; the list moves focus between rows. The row's accessible name is its visible text
// (WCAG 2.5.3, label in name), with the unread count and the pinned and muted states spelled
// out for screen readers in visually hidden text. A direct chat's contact who is online has a
// dot on the avatar and ", online" in the name; while someone types, the typing line takes the
// preview's place. In search results an archived chat says "Archived" after its title. A
// right-click asks for the row's menu.

import { Show, type JSX } from 'solid-js';
import { formatNumber } from '../i18n/locale';
import { callRecordLabel } from '../lib/calls';
import { contactOf, displayTitle } from '../lib/chats';
import { formatDateTime, formatListStamp } from '../lib/dates';
import { tickOf } from '../lib/messages';
import { isMuted, isMutedForever } from '../lib/mute';
import { typingText } from '../lib/presence';
import type { ChatSummary } from '../platform/types';
import { useApp } from '../stores/app';
import { Avatar } from './Avatar';
import { Icon } from './Icon';
import { Ticks } from './Ticks';
import '../styles/archive.css';
import '../styles/folders.css';
import '../styles/presence.css';

export function ChatListItem(props: {
  chat: ChatSummary;
  active: boolean;
  /** The one row of the list that Tab reaches. */
  tabStop: boolean;
  /** The list's clock: a mute that ended before it shows as none. */
  now: number;
  /** Say "Archived" when the chat is in the archive. */
  markArchived: boolean;
  onOpen: () => void;
  /** Asks for the row's menu at this point of the window. */
  onMenu: (x: number, y: number) => void;
}): JSX.Element {
  const { settings, people, presence, typing, session } = useApp();
  const t = settings.t;
  const me = (): number | undefined => session.account()?.id;
  /** The direct chat's contact is online. */
  const online = (): boolean => {
    const peer = contactOf(props.chat, me());
    return peer !== null && presence.of(peer.id)?.state === 'online';
  };
  /** "typing…" in a direct chat, who is typing in a group; null while nobody is. */
  const typingLine = (): string | null => {
    const typers = typing.in(props.chat.id).filter((a) => a.id !== me());
    if (typers.length === 0) return null;
    if (props.chat.kind === 'direct') return t('chat.typingRow');
    return typingText(typers.map((a) => people.name(a)), t, settings.plural);
  };
  const title = (): string => displayTitle(props.chat, t);
  const last = () => props.chat.lastMessage;
  const muted = (): boolean => isMuted(props.chat.mutedUntil, props.now);
  /** "Muted", or until when (a mute for ever has no date worth showing). */
  const mutedTitle = (): string => {
    const until = props.chat.mutedUntil;
    if (until === null || isMutedForever(until, props.now)) return t('chat.muted');
    return t('chat.mutedUntil', { time: formatDateTime(until, settings.lang()) });
  };
  const sender = (): string | null => {
    const m = last();
    if (m === null) return null;
    if (m.outgoing) return props.chat.kind === 'group' ? t('chat.you') : null;
    return props.chat.kind === 'group' ? people.name(m.sender) : null;
  };
  const preview = (): string => {
    const m = last();
    if (m === null) return t('chat.noMessages');
    if (m.deleted) return t('chat.deleted');
    if (m.call !== null && !m.undecryptable) return callRecordLabel(m.call, m.outgoing, t, settings.lang());
    return m.undecryptable ? t('chat.undecryptable') : m.text.replace(/\s+/g, ' ');
  };
  return (
    <li role="presentation">
      <button
        type="button"
        role="option"
        class="chat-item"
        classList={{ active: props.active, unread: props.chat.unreadCount > 0 }}
        aria-selected={props.active}
        tabIndex={props.tabStop ? 0 : -1}
        data-testid={`chat-item-${props.chat.id}`}
        onClick={() => props.onOpen()}
        onContextMenu={(event) => {
          event.preventDefault();
          props.onMenu(event.clientX, event.clientY);
        }}
      >
        <Avatar name={title()} id={props.chat.id} size="large" online={online()} />
        <span class="chat-item-body">
          <span class="chat-item-top">
            <span class="chat-item-title" dir="auto" data-testid="chat-title">
              <Show when={props.chat.kind === 'group'}>
                <Icon name="group" size={16} class="chat-kind" />
              </Show>
              <bdi>{title()}</bdi>
            </span>
            <Show when={online()}>
              <span class="visually-hidden">{`${t('common.listSeparator')}${t('presence.online')}`}</span>
            </Show>
            <Show when={props.markArchived && props.chat.archived}>
              <span class="visually-hidden">{t('common.listSeparator')}</span>
              <span class="archived-tag" data-testid="chat-archived-mark">
                {t('chat.archived')}
              </span>
            </Show>
            <Show when={muted()}>
              <span class="pin-mark muted-mark" data-testid="chat-muted-mark" aria-hidden="true" title={mutedTitle()}>
                <Icon name="bellOff" size={16} />
              </span>
            </Show>
            <span class="visually-hidden">{t('common.listSeparator')}</span>
            <Show when={last()}>
              {(m) => (
                <span class="chat-item-meta">
                  <Ticks tick={tickOf(m(), props.chat.peersReadSeq)} />
                  <time class="chat-item-time">{formatListStamp(m().sentAt, props.now, settings.lang())}</time>
                  <span class="visually-hidden">{t('common.listSeparator')}</span>
                </span>
              )}
            </Show>
          </span>
          <span class="chat-item-bottom">
            <Show
              when={typingLine()}
              fallback={
                <span class="chat-item-preview" dir="auto" data-testid="chat-preview">
                  <Show when={sender()}>
                    {(name) => (
                      <>
                        <bdi class="preview-sender">{name()}</bdi>
                        {': '}
                      </>
                    )}
                  </Show>
                  <span classList={{ 'preview-deleted': last()?.deleted === true || last()?.undecryptable === true }}>
                    {preview()}
                  </span>
                </span>
              }
            >
              {(line) => (
                <span class="chat-item-preview chat-item-typing" dir="auto" data-testid="chat-typing">
                  {line()}
                </span>
              )}
            </Show>
            <Show when={props.chat.unreadMentions > 0}>
              <span class="visually-hidden">{t('common.listSeparator')}</span>
              <span
                class="mention-badge"
                role="img"
                aria-label={settings.plural('chat.mentions', props.chat.unreadMentions)}
                data-testid="chat-mention-badge"
              >
                @
              </span>
            </Show>
            <Show when={props.chat.unreadCount > 0}>
              <span class="visually-hidden">{`${t('common.listSeparator')}${settings.plural('chat.unread', props.chat.unreadCount)}`}</span>
              <span class="unread-badge" classList={{ muted: muted() }} data-testid="unread-badge" aria-hidden="true">
                {formatNumber(props.chat.unreadCount, settings.lang())}
              </span>
            </Show>
            <Show when={props.chat.pinned}>
              <span class="visually-hidden">{`${t('common.listSeparator')}${t('chat.pinned')}`}</span>
            </Show>
            <Show when={muted()}>
              <span class="visually-hidden">{`${t('common.listSeparator')}${t('chat.muted')}`}</span>
            </Show>
            <Show when={props.chat.pinned && props.chat.unreadCount === 0}>
              <span class="pin-mark" data-testid="pin-mark" aria-hidden="true">
                <Icon name="pin" size={16} />
              </span>
            </Show>
          </span>
        </span>
      </button>
    </li>
  );
}
