// The right column for one chat: header (with the encryption and verified marks, who is typing
// or who is online, the call buttons of a direct chat, search, and the mute and pin toggles),
// search in the chat (Ctrl+F)
// and jump to date, the pinned messages, the warning when the contact's safety number changed,
// a business contact's start page before the first message, message list, the way to the
// next unread mention, composer (or the selection bar while messages are selected), the message menu and its dialogs (forward,
// delete, emoji picker).

import { Show, createResource, createSignal, onCleanup, onMount, type JSX } from 'solid-js';
import { Avatar } from '../components/Avatar';
import { BusinessStartPage } from '../components/BusinessStartPage';
import { ChatSearchBar } from '../components/ChatSearchBar';
import { ChatSubtitle } from '../components/ChatSubtitle';
import { Composer } from '../components/Composer';
import { EmojiPicker } from '../components/EmojiPicker';
import { Icon } from '../components/Icon';
import { MentionJump } from '../components/MentionJump';
import { MessageList, type ListController } from '../components/MessageList';
import { MessageMenu, type MessageActions } from '../components/MessageMenu';
import { PinnedBar } from '../components/PinnedBar';
import { SafetyWarning } from '../components/SafetyWarning';
import { EncryptionMark, VerifiedMark } from '../components/SecurityMarks';
import { SelectionBar } from '../components/SelectionBar';
import { contactOf, displayTitle } from '../lib/chats';
import { nextMention } from '../lib/mentions';
import { firstUnreadSeq, lastOwnEditable } from '../lib/messages';
import { canForward, canPin, copyText, hasText } from '../lib/messageRules';
import { isMuted } from '../lib/mute';
import { isFindShortcut } from '../lib/shortcuts';
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
import { createMessageSelection } from '../stores/selection';
import { DeleteMessagesDialog } from './DeleteMessagesDialog';
import { ForwardDialog } from './ForwardDialog';
import { JumpToDateDialog } from './JumpToDateDialog';

/** The dialogs the conversation itself opens. */
type ToolDialog =
  | { kind: 'delete'; messages: readonly MessageView[] }
  | { kind: 'forward'; seqs: readonly Seq[] }
  | { kind: 'date' };

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
  const [dialog, setDialog] = createSignal<ToolDialog | null>(null);
  /** The message whose reaction is being picked in the emoji picker. */
  const [picking, setPicking] = createSignal<MessageView | null>(null);
  const [searching, setSearching] = createSignal(false);
  const selection = createMessageSelection(conversation.messages);
  /** The chat's pinned messages, the most recently pinned first. */
  const [pinned, setPinned] = createSignal<readonly MessageView[]>([]);
  let list: ListController | undefined;
  let composer: HTMLTextAreaElement | undefined;
  let searchInput: HTMLInputElement | undefined;
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

  /** Answers to older asks for the pinned messages are dropped. */
  let pinsAsked = 0;
  const refreshPins = (): void => {
    const ticket = ++pinsAsked;
    app.platform
      .pinnedMessages(chatId)
      .then((found) => {
        if (ticket === pinsAsked) setPinned(found);
      })
      .catch(() => undefined);
  };
  onMount(refreshPins);
  // A message pinned or unpinned (or a pinned one edited) here or by someone else.
  onCleanup(
    conversation.onUpsert((m) => {
      if (m.pinned || pinned().some((p) => p.seq !== null && p.seq === m.seq)) refreshPins();
    }),
  );

  /** Shows a message, loading older history until it is in memory, highlighted. */
  const jumpTo = async (seq: Seq): Promise<void> => {
    try {
      await conversation.loadUntil(seq);
    } catch (error) {
      fail(error);
      return;
    }
    list?.scrollToSeq(seq);
  };

  /** The mention the jump button went to last: the next press goes further. */
  let lastMention: Seq = 0;
  /** Shows the oldest unread mention after the one shown last (history loaded as needed). */
  const jumpToMention = async (): Promise<void> => {
    const readSeq = current().readSeq;
    try {
      await conversation.loadUntil(readSeq + 1);
    } catch (error) {
      fail(error);
      return;
    }
    const seq = nextMention(conversation.messages(), Math.max(lastMention, readSeq), readSeq);
    if (seq === null) return;
    lastMention = seq;
    list?.scrollToSeq(seq);
  };

  const openSearch = (): void => {
    if (searching()) {
      searchInput?.focus();
      searchInput?.select();
    } else setSearching(true);
  };
  const closeSearch = (): void => {
    setSearching(false);
    composer?.focus();
  };

  const onWindowKeyDown = (event: KeyboardEvent): void => {
    if (app.dialog() !== null || dialog() !== null || picking() !== null) return;
    if (isFindShortcut(event)) {
      event.preventDefault();
      openSearch();
    } else if (event.key === 'Escape' && selection.active() && !event.defaultPrevented) {
      event.preventDefault();
      leaveSelection();
    }
  };
  document.addEventListener('keydown', onWindowKeyDown);
  onCleanup(() => document.removeEventListener('keydown', onWindowKeyDown));

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
  const writeClipboard = (text: string): void => {
    void navigator.clipboard?.writeText(text).catch(() => undefined);
  };
  const react = (m: MessageView, emoji: string, add: boolean): void => {
    if (m.seq !== null) void app.platform.react(chatId, m.seq, emoji, add).catch(fail);
  };
  /** A failed message: its text is sent again, then the failed copy is deleted here. */
  const retry = (m: MessageView): void => {
    app.platform
      .send(chatId, m.text, m.replyTo, true)
      .then((sent) => {
        conversation.upsert(sent);
        return app.platform.deleteForMe(chatId, [m.localId]);
      })
      .catch(fail);
  };

  /** Leaves selecting; the composer is back and takes the focus. */
  const leaveSelection = (): void => {
    selection.leave();
    queueMicrotask(() => composer?.focus());
  };
  const selectedMessages = selection.messages;

  const actions: MessageActions = {
    reply(m) {
      setEditing(null);
      setReplyTo(m);
    },
    edit: startEdit,
    copy: (m) => writeClipboard(m.text),
    forward(m) {
      if (m.seq !== null) setDialog({ kind: 'forward', seqs: [m.seq] });
    },
    pin(m, pin) {
      if (m.seq !== null) void app.platform.pinMessage(chatId, m.seq, pin).catch(fail);
    },
    select: (m) => selection.enter(m),
    delete: (m) => setDialog({ kind: 'delete', messages: [m] }),
    retry,
    react,
    pickReaction: (m) => setPicking(m),
  };
  /** A picked emoji adds this account's reaction, or takes it back when it is already there. */
  const pickEmoji = (emoji: string): void => {
    const m = picking();
    setPicking(null);
    if (m === null) return;
    const now = conversation.messages().find((x) => x.localId === m.localId) ?? m;
    react(now, emoji, !now.reactions.some((r) => r.emoji === emoji && r.mine));
  };
  /** Deleted: the rows go (for me) or become "Message deleted" (for everyone). */
  const deleted = (messages: readonly MessageView[]): void => {
    if (messages.some((m) => m.localId === editing()?.localId)) setEditing(null);
    if (messages.some((m) => m.localId === replyTo()?.localId)) setReplyTo(null);
    if (selection.active()) leaveSelection();
    // The row that had the focus may be gone.
    queueMicrotask(() => {
      if (document.activeElement === null || document.activeElement === document.body) composer?.focus();
    });
  };
  /** Opens the message menu, or while selecting (Enter on a message) selects it. */
  const onMenu = (message: MessageView, x: number, y: number): void => {
    if (selection.active()) selection.toggle(message, false);
    else setMenu({ message, x, y });
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
            <ChatSubtitle chat={current()} now={props.now} />
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
        <button
          type="button"
          class="icon-button"
          classList={{ toggled: searching() }}
          aria-label={t('chatSearch.open')}
          aria-keyshortcuts="Control+F"
          title={t('chatSearch.open')}
          data-testid="chat-search-open"
          onClick={openSearch}
        >
          <Icon name="search" />
        </button>
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
      <Show when={searching()}>
        <ChatSearchBar
          chat={chatId}
          onJump={(seq) => void jumpTo(seq)}
          onDate={() => setDialog({ kind: 'date' })}
          onClose={closeSearch}
          onError={props.onError}
          ref={(el) => (searchInput = el)}
        />
      </Show>
      <Show when={pinned().length > 0}>
        <PinnedBar
          pinned={pinned()}
          canUnpin={canPin(current(), app.session.account()?.id)}
          onJump={(seq) => void jumpTo(seq)}
          onUnpin={(seq) => void app.platform.pinMessage(chatId, seq, false).catch(fail)}
        />
      </Show>
      <Show when={safety()?.changed ? contact() : null}>
        {(peer) => <SafetyWarning name={app.people.name(peer())} onOpen={() => app.setDialog('safetyNumber')} />}
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
          onMenu={onMenu}
          onSeen={onSeen}
          controller={(c) => (list = c)}
          selection={selection.active() ? selection : null}
          onError={props.onError}
        />
      </Show>
      <Show when={ready() && !selection.active() && current().unreadMentions > 0}>
        <MentionJump count={current().unreadMentions} onJump={() => void jumpToMention()} />
      </Show>
      <Show when={selection.active()}>
        <SelectionBar
          count={selectedMessages().length}
          canForward={selectedMessages().length > 0 && selectedMessages().every(canForward)}
          canCopy={selectedMessages().some(hasText)}
          onForward={() =>
            setDialog({ kind: 'forward', seqs: selectedMessages().flatMap((m) => (m.seq === null ? [] : [m.seq])) })
          }
          onCopy={() => {
            writeClipboard(copyText(selectedMessages(), app.people.name));
            leaveSelection();
          }}
          onDelete={() => setDialog({ kind: 'delete', messages: selectedMessages() })}
          onCancel={leaveSelection}
        />
      </Show>
      <Show
        when={!selection.active() && current().isMember}
        fallback={
          <Show when={!selection.active()}>
            <p class="composer-closed" role="status" data-testid="not-member">
              {t('chat.notMember')}
            </p>
          </Show>
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
          <MessageMenu
            message={open().message}
            chat={current()}
            x={open().x}
            y={open().y}
            actions={actions}
            onClose={() => setMenu(null)}
          />
        )}
      </Show>
      <Show when={picking()}>
        <EmojiPicker onPick={pickEmoji} onClose={() => setPicking(null)} />
      </Show>
      <Show when={dialog()} keyed>
        {(open) => {
          const close = (): void => {
            setDialog(null);
          };
          switch (open.kind) {
            case 'delete':
              return (
                <DeleteMessagesDialog
                  chat={current()}
                  messages={open.messages}
                  onDone={() => {
                    close();
                    deleted(open.messages);
                  }}
                  onClose={close}
                />
              );
            case 'forward':
              return (
                <ForwardDialog
                  from={chatId}
                  seqs={open.seqs}
                  onDone={() => {
                    if (selection.active()) leaveSelection();
                  }}
                  onClose={close}
                />
              );
            case 'date':
              return <JumpToDateDialog chat={chatId} onJump={(seq) => void jumpTo(seq)} onClose={close} />;
          }
        }}
      </Show>
    </section>
  );
}
