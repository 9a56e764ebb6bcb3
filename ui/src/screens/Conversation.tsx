// The right column for one chat: header (with the encryption and verified marks, the call
// buttons of a direct chat, and the mute and pin toggles), the warning when the contact's safety number changed, a
// business contact's start page before the first message, message list, composer, message
// menu.

import { Show, createResource, createSignal, onMount, type JSX } from 'solid-js';
import { Avatar } from '../components/Avatar';
import { BusinessStartPage } from '../components/BusinessStartPage';
import { Composer } from '../components/Composer';
import { ContextMenu, type MenuItem } from '../components/ContextMenu';
import { Icon } from '../components/Icon';
import { MessageList, type ListController } from '../components/MessageList';
import { SafetyWarning } from '../components/SafetyWarning';
import { EncryptionMark, VerifiedMark } from '../components/SecurityMarks';
import { contactOf, displayTitle } from '../lib/chats';
import { firstUnreadSeq, isEditable, lastOwnEditable } from '../lib/messages';
import { isMuted } from '../lib/mute';
import { toErrorInfo } from '../platform/errors';
import {
  MUTED_FOREVER,
  type Account,
  type BusinessProfile,
  type ChatSummary,
  type MessageView,
  type SafetyNumber,
  type Seq,
} from '../platform/types';
import { useApp } from '../stores/app';

export function Conversation(props: {
  chat: ChatSummary;
  now: number;
  /** A message to show first (from a search hit). */
  focusSeq: Seq | null;
  onError: (message: string) => void;
}): JSX.Element {
  const app = useApp();
  const t = app.settings.t;
  const chatId = props.chat.id;
  const conversation = app.conversations.get(chatId);
  const readAtOpen = props.chat.readSeq;
  const hadUnread = props.chat.unreadCount > 0;
  const focusSeq = props.focusSeq;
  let firstUnread: Seq | null = null;
  const [replyTo, setReplyTo] = createSignal<MessageView | null>(null);
  const [editing, setEditing] = createSignal<MessageView | null>(null);
  const [menu, setMenu] = createSignal<{ message: MessageView; x: number; y: number } | null>(null);
  const [ready, setReady] = createSignal(false);
  let list: ListController | undefined;
  let composer: HTMLTextAreaElement | undefined;
  let lastSeen = props.chat.readSeq;

  const fail = (error: unknown): void => props.onError(toErrorInfo(error).message);

  onMount(async () => {
    app.security.refresh(current(), app.session.account()?.id);
    try {
      if (!conversation.loaded()) await conversation.loadLatest();
      const oldestNeeded = Math.min(hadUnread ? readAtOpen + 1 : Infinity, focusSeq ?? Infinity);
      if (Number.isFinite(oldestNeeded)) await conversation.loadUntil(oldestNeeded);
      if (hadUnread) firstUnread = firstUnreadSeq(conversation.messages(), readAtOpen);
    } catch (error) {
      fail(error);
    }
    setReady(true);
    if (focusSeq !== null) list?.scrollToSeq(focusSeq);
    composer?.focus();
  });

  const onSeen = (seq: Seq): void => {
    const chat = app.chats.byId(chatId) ?? props.chat;
    if (seq <= lastSeen || seq <= chat.readSeq) return;
    lastSeen = seq;
    void app.platform.markRead(chatId, seq).catch(fail);
  };

  const send = (text: string): void => {
    const reply = replyTo();
    setReplyTo(null);
    list?.scrollToBottom();
    app.platform
      .send(chatId, text, reply?.seq ?? null)
      .then((m) => conversation.upsert(m))
      .catch(fail);
  };
  const saveEdit = (message: MessageView, text: string): void => {
    setEditing(null);
    if (message.seq !== null) void app.platform.edit(chatId, message.seq, text).catch(fail);
  };
  const startEdit = (message: MessageView | null): void => {
    if (message === null) return;
    setReplyTo(null);
    setEditing(message);
  };
  const remove = (message: MessageView): void => {
    if (message.seq !== null) void app.platform.remove(chatId, message.seq).catch(fail);
    if (editing()?.localId === message.localId) setEditing(null);
  };
  const copy = (message: MessageView): void => {
    void navigator.clipboard?.writeText(message.text).catch(() => undefined);
  };

  const menuItems = (m: MessageView): MenuItem[] => {
    if (m.deleted) return [];
    const items: MenuItem[] = [];
    const member = current().isMember;
    if (m.seq !== null && member) {
      items.push({
        label: t('message.reply'),
        icon: 'reply',
        testId: 'menu-reply',
        run: () => {
          setEditing(null);
          setReplyTo(m);
        },
      });
    }
    if (isEditable(m) && member) {
      items.push({ label: t('message.edit'), icon: 'pencil', testId: 'menu-edit', run: () => startEdit(m) });
    }
    // The text of an unreadable message is only the reason, a call record's an English
    // summary: nothing to copy.
    if (!m.undecryptable && m.call === null) {
      items.push({ label: t('message.copy'), icon: 'copy', testId: 'menu-copy', run: () => copy(m) });
    }
    if (m.outgoing && m.seq !== null && member) {
      items.push({ label: t('message.delete'), icon: 'trash', testId: 'menu-delete', danger: true, run: () => remove(m) });
    }
    return items;
  };

  const subtitle = (): string => {
    const chat = app.chats.byId(chatId) ?? props.chat;
    const typing = app.typing.in(chatId);
    const first = typing[0];
    if (first !== undefined) return t('chat.typing', { name: first.username });
    return chat.kind === 'group' ? app.settings.plural('chat.members', chat.members.length) : t('chat.direct');
  };
  const current = (): ChatSummary => app.chats.byId(chatId) ?? props.chat;
  const title = (): string => displayTitle(current(), t);
  const contact = (): Account | null => contactOf(current(), app.session.account()?.id);
  // A direct chat's contact may be a business: its start page shows until the first message.
  const [business] = createResource(
    // A string, so that account 0 is still asked and an unchanged contact is not asked again.
    () => {
      const peer = contact();
      return peer === null ? false : String(peer.id);
    },
    (id): Promise<BusinessProfile | null> => app.platform.businessProfile(Number(id)).catch(() => null),
  );
  const startPage = (): BusinessProfile | null => {
    if (!ready() || conversation.messages().length > 0 || business.loading) return null;
    return business() ?? null;
  };
  /** Calls are one-to-one: only in a direct chat the user is still in. */
  const callable = (): boolean => current().kind === 'direct' && current().isMember;
  const startCall = (video: boolean): void => {
    app.platform
      .startCall(chatId, video)
      .then((call) => app.calls.placed(call))
      .catch(fail);
  };
  /** The header's toggle mutes for ever (the chat list's menu offers shorter mutes). */
  const muted = (): boolean => isMuted(current().mutedUntil, props.now);
  const toggleMute = (): void => {
    app.platform.setChatMuted(chatId, muted() ? null : MUTED_FOREVER).catch(fail);
  };
  const safety = (): SafetyNumber | undefined => {
    const peer = contact();
    return peer === null ? undefined : app.security.safetyNumber(peer.id);
  };

  return (
    <section class="conversation" aria-label={title()} data-testid="conversation" data-chat={chatId}>
      <header class="conversation-header">
        <button
          type="button"
          class="conversation-title-button"
          aria-haspopup="dialog"
          title={t('chat.info')}
          data-testid="open-chat-info"
          onClick={() => app.setDialog('chatInfo')}
        >
          <Avatar name={title()} id={chatId} />
          <span class="conversation-title-text">
            <span class="conversation-title-line">
              <span class="conversation-title" dir="auto" data-testid="conversation-title">
                <bdi>{title()}</bdi>
              </span>
              <Show when={safety()?.verified}>
                <VerifiedMark />
              </Show>
              <EncryptionMark encryption={app.security.encryption(chatId)} />
            </span>
            <span
              class="conversation-subtitle"
              classList={{ typing: app.typing.in(chatId).length > 0 }}
              data-testid="typing-indicator"
              aria-live="polite"
            >
              {subtitle()}
            </span>
          </span>
        </button>
        <Show when={callable()}>
          <button
            type="button"
            class="icon-button"
            aria-label={t('calls.start')}
            title={t('calls.start')}
            data-testid="call-start-audio"
            onClick={() => startCall(false)}
          >
            <Icon name="call" />
          </button>
          <button
            type="button"
            class="icon-button"
            aria-label={t('calls.startVideo')}
            title={t('calls.startVideo')}
            data-testid="call-start-video"
            onClick={() => startCall(true)}
          >
            <Icon name="videocam" />
          </button>
        </Show>
        <Show when={current().isMember}>
          <button
            type="button"
            class="icon-button"
            classList={{ toggled: muted() }}
            aria-pressed={muted()}
            aria-label={t('chat.mute')}
            title={muted() ? t('chat.unmute') : t('chat.mute')}
            data-testid="chat-mute"
            onClick={toggleMute}
          >
            <Icon name={muted() ? 'bellOff' : 'bell'} />
          </button>
        </Show>
        <button
          type="button"
          class="icon-button"
          classList={{ toggled: current().pinned }}
          aria-pressed={current().pinned}
          aria-label={current().pinned ? t('chat.unpin') : t('chat.pin')}
          title={current().pinned ? t('chat.unpin') : t('chat.pin')}
          data-testid="pin-chat"
          onClick={() => void app.platform.setPinned(chatId, !current().pinned).catch(fail)}
        >
          <Icon name="pin" />
        </button>
        <button
          type="button"
          class="icon-button"
          aria-label={t('chat.info')}
          title={t('chat.info')}
          data-testid="chat-info-button"
          onClick={() => app.setDialog('chatInfo')}
        >
          <Icon name="info" />
        </button>
      </header>
      <Show when={safety()?.changed ? contact() : null}>
        {(peer) => <SafetyWarning name={peer().username} onOpen={() => app.setDialog('safetyNumber')} />}
      </Show>
      <Show when={startPage()}>
        {(profile) => <BusinessStartPage profile={profile()} />}
      </Show>
      <Show when={ready()} fallback={<div class="message-list-wrap loading">{t('common.loading')}</div>}>
        <MessageList
          conversation={conversation}
          chat={current()}
          now={props.now}
          firstUnread={firstUnread}
          onMenu={(message, x, y) => menuItems(message).length > 0 && setMenu({ message, x, y })}
          onSeen={onSeen}
          controller={(c) => (list = c)}
        />
      </Show>
      <Show
        when={current().isMember}
        fallback={
          <p class="composer-closed" role="status" data-testid="not-member">
            {t('chat.notMember')}
          </p>
        }
      >
        <Composer
          chat={chatId}
          replyTo={replyTo()}
          editing={editing()}
          onSend={send}
          onSaveEdit={saveEdit}
          onCancel={() => {
            setReplyTo(null);
            setEditing(null);
          }}
          onEditLast={() => startEdit(lastOwnEditable(conversation.messages()))}
          ref={(el) => (composer = el)}
        />
      </Show>
      <Show when={menu()}>
        {(open) => (
          <ContextMenu
            x={open().x}
            y={open().y}
            label={t('message.actions')}
            items={menuItems(open().message)}
            onClose={() => setMenu(null)}
          />
        )}
      </Show>
    </section>
  );
}
