// The line under a chat's title: who is typing (said by screen readers as it changes), else
// the contact's presence ("online", "last seen 5 minutes ago") in a direct chat, or the member
// count and how many are online in a group. While the contact's presence is not known yet it
// says "direct chat". Asks for the members' presence while shown, and again every minute.

import { Show, onCleanup, type JSX } from 'solid-js';
import { contactOf } from '../lib/chats';
import { onlineCount, presenceText, typingText } from '../lib/presence';
import type { ChatSummary } from '../platform/types';
import { useApp } from '../stores/app';
import '../styles/presence.css';

/** The header's subtitle for `chat`: typing, else presence or the member count. */
export function ChatSubtitle(props: {
  chat: ChatSummary;
  /** The window's clock: "last seen N minutes ago" moves on with it. */
  now: number;
}): JSX.Element {
  const app = useApp();
  const { settings } = app;
  const t = settings.t;
  const me = (): number | undefined => app.session.account()?.id;
  onCleanup(app.presence.follow(() => props.chat.members.map((m) => m.account.id)));

  const typing = (): string | null => {
    const names = app.typing
      .in(props.chat.id)
      .filter((a) => a.id !== me())
      .map((a) => app.people.name(a));
    return typingText(names, t, settings.plural);
  };
  const presence = () => {
    const peer = contactOf(props.chat, me());
    return peer === null ? undefined : app.presence.of(peer.id);
  };
  const status = (): string => {
    if (props.chat.kind === 'group') {
      const members = settings.plural('chat.members', props.chat.members.length);
      const online = onlineCount(props.chat, me(), app.presence.of);
      if (online === null || online === 0) return members;
      return `${members}${t('common.listSeparator')}${settings.plural('presence.groupOnline', online)}`;
    }
    const known = presence();
    return known === undefined ? t('chat.direct') : presenceText(known, props.now, settings.lang(), t, settings.plural);
  };

  return (
    <span
      class="conversation-subtitle"
      classList={{ typing: typing() !== null, online: typing() === null && presence()?.state === 'online' }}
      data-testid="typing-indicator"
    >
      <span aria-live="polite">{typing() ?? ''}</span>
      <Show when={typing() === null}>
        <span data-testid="chat-presence">{status()}</span>
      </Show>
    </span>
  );
}
