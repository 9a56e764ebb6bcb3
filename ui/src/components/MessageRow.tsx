// One row of the message list: an optional day separator and "new messages" divider, then
// the bubble with sender, "forwarded from", reply quote, formatted text, reactions, time and
// ticks. A message this device could not decrypt says so, with the reason under it, never as
// if the reason were its text. A message that mentions this account is tinted.

import { Show, type JSX } from 'solid-js';
import { callRecordLabel, isMissedRecord } from '../lib/calls';
import { formatDay, formatTime, needsDaySeparator } from '../lib/dates';
import { tickOf } from '../lib/messages';
import type { CallRecord, ChatSummary, MessageView, Seq } from '../platform/types';
import { useApp } from '../stores/app';
import { Avatar } from './Avatar';
import { FormattedText } from './FormattedText';
import { Icon } from './Icon';
import { ReactionBar } from './ReactionBar';
import { Ticks } from './Ticks';
import '../styles/folders.css';

export interface MessageRowProps {
  message: MessageView;
  previous: MessageView | undefined;
  chat: ChatSummary;
  now: number;
  firstUnread: boolean;
  highlighted: boolean;
  /** The message this one replies to, when it is loaded. */
  quoted: MessageView | undefined;
  onMenu: (message: MessageView, x: number, y: number) => void;
  onQuoteClick: (seq: Seq) => void;
  /** Shows why something done from the message failed (a reaction, a link, a mention). */
  onError?: (message: string) => void;
}

export function MessageRow(props: MessageRowProps): JSX.Element {
  const { settings, people } = useApp();
  const t = settings.t;
  const m = () => props.message;
  const senderName = (): string => people.name(m().sender);
  const unreadable = () => m().undecryptable && !m().deleted;
  /** A call record (its text is an English summary for search: the record is shown instead). */
  const record = (): CallRecord | null => (m().deleted || m().undecryptable ? null : m().call);
  const quoteText = (quoted: MessageView): string => {
    if (quoted.deleted) return t('chat.deleted');
    if (quoted.call !== null && !quoted.undecryptable) {
      return callRecordLabel(quoted.call, quoted.outgoing, t, settings.lang());
    }
    return quoted.undecryptable ? t('message.undecryptable') : quoted.text;
  };
  const isGroup = () => props.chat.kind === 'group';
  const daySeparator = () => needsDaySeparator(props.previous?.sentAt, m().sentAt);
  /** First of a run of messages from one sender on one day: shows the name. */
  const startsRun = () =>
    daySeparator() || props.firstUnread || props.previous === undefined || props.previous.sender.id !== m().sender.id;
  const openMenu = (event: MouseEvent): void => {
    event.preventDefault();
    props.onMenu(m(), event.clientX, event.clientY);
  };
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey) || event.key === 'Enter') {
      event.preventDefault();
      const box = (event.currentTarget as HTMLElement).getBoundingClientRect();
      props.onMenu(m(), box.left + box.width / 2, box.top + box.height / 2);
    }
  };

  return (
    <>
      <Show when={daySeparator()}>
        <div class="day-separator" role="separator" data-testid="day-separator">
          <span>{formatDay(m().sentAt, props.now, settings.lang())}</span>
        </div>
      </Show>
      <Show when={props.firstUnread}>
        <div class="unread-divider" role="separator" data-testid="unread-divider">
          <span>{t('chat.newMessages')}</span>
        </div>
      </Show>
      <div
        class="message"
        classList={{
          outgoing: m().outgoing,
          incoming: !m().outgoing,
          'run-start': startsRun(),
          'with-avatar': isGroup() && !m().outgoing,
          highlighted: props.highlighted,
          'mentions-me': m().mentionsMe,
        }}
      >
        <Show when={isGroup() && !m().outgoing}>
          <span class="message-avatar">
            <Show when={startsRun()}>
              <Avatar name={senderName()} id={m().sender.id} size="small" />
            </Show>
          </span>
        </Show>
        <div
          class="bubble"
          classList={{ deleted: m().deleted, undecryptable: unreadable(), 'call-bubble': record() !== null }}
          role="article"
          tabIndex={-1}
          aria-haspopup="menu"
          data-testid="message"
          data-seq={m().seq ?? ''}
          data-local-id={m().localId}
          data-state={m().state}
          data-outgoing={m().outgoing ? 'true' : 'false'}
          onContextMenu={openMenu}
          onKeyDown={onKeyDown}
        >
          <Show when={isGroup() && !m().outgoing && startsRun()}>
            <div class={`sender-name avatar-text-${m().sender.id % 8}`} dir="auto" data-testid="message-sender">
              <bdi>{senderName()}</bdi>
            </div>
          </Show>
          <Show when={m().forwardedFrom !== null && !m().deleted ? m().forwardedFrom : null}>
            {(origin) => (
              <div class="forwarded-from" data-testid="message-forwarded-from">
                <Icon name="forward" size={14} />
                <span>{t('forwarded.from', { name: origin().name })}</span>
              </div>
            )}
          </Show>
          <Show when={m().replyTo}>
            {(seq) => (
              <button
                type="button"
                class="reply-quote"
                data-testid="message-reply-quote"
                tabIndex={-1}
                onClick={() => props.onQuoteClick(seq())}
              >
                <span class="reply-quote-sender" dir="auto">
                  <bdi>{props.quoted === undefined ? '' : people.name(props.quoted.sender)}</bdi>
                </span>
                <span class="reply-quote-text" dir="auto">
                  {props.quoted === undefined ? '…' : quoteText(props.quoted)}
                </span>
              </button>
            )}
          </Show>
          <Show
            when={unreadable()}
            fallback={
              <Show
                when={record()}
                fallback={
                  <span class="message-text" dir="auto" data-testid="message-text">
                    <Show when={!m().deleted} fallback={t('chat.deleted')}>
                      <FormattedText text={m().text} entities={m().entities} onError={props.onError} />
                    </Show>
                  </span>
                }
              >
                {(call) => (
                  <span
                    class="call-record"
                    classList={{ missed: isMissedRecord(call(), m().outgoing) }}
                    data-testid="call-record"
                    data-outcome={call().outcome}
                    data-video={call().video ? 'true' : 'false'}
                  >
                    <span class="call-record-icon">
                      <Icon
                        name={call().video ? 'videocam' : isMissedRecord(call(), m().outgoing) ? 'callMissed' : 'call'}
                        size={18}
                      />
                    </span>
                    <span class="call-record-label">{callRecordLabel(call(), m().outgoing, t, settings.lang())}</span>
                  </span>
                )}
              </Show>
            }
          >
            <span class="undecryptable-body" data-testid="undecryptable">
              <span class="undecryptable-title">
                <Icon name="lockBroken" size={16} />
                <span class="message-text" data-testid="message-text">
                  {t('message.undecryptable')}
                </span>
              </span>
              <span class="undecryptable-reason" dir="auto" data-testid="undecryptable-reason">
                {m().text}
              </span>
            </span>
          </Show>
          <Show when={m().reactions.length > 0 && !m().deleted && !unreadable() && m().seq !== null}>
            <ReactionBar message={m()} readOnly={!props.chat.isMember} onError={props.onError} />
          </Show>
          <span class="message-meta">
            <Show when={m().editedAt !== null && !m().deleted}>
              <span class="message-edited" data-testid="message-edited">
                {t('message.edited')}
              </span>
            </Show>
            <time class="message-time">{formatTime(m().sentAt, settings.lang())}</time>
            <Ticks tick={tickOf(m(), props.chat.peersReadSeq)} />
          </span>
        </div>
      </div>
    </>
  );
}
