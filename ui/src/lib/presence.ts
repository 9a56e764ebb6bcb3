// Pure presence and typing wording: "online", "last seen 5 minutes ago", "3 members, 1 online",
// "Alice and Bob are typing…".

import type { Lang, PluralKey } from '../i18n';
import type { AccountId, ChatSummary, Presence } from '../platform/types';
import type { Translate } from './chats';
import { daysBetween, formatShortDate, formatTime } from './dates';

/** A plural-form function, such as `settings.plural`. */
export type Pluralize = (key: PluralKey, count: number) => string;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * How someone's presence reads at `now`: "online"; "last seen just now" (under a minute),
 * "… N minutes ago" (under an hour), "… today at 14:05", "… yesterday at 09:12",
 * "… 3 Dec at 18:00"; "last seen recently" when hidden.
 */
export function presenceText(presence: Presence, now: number, lang: Lang, t: Translate, plural: Pluralize): string {
  switch (presence.state) {
    case 'online':
      return t('presence.online');
    case 'hidden':
      return t('presence.recently');
    case 'lastSeen': {
      const ago = now - presence.at;
      if (ago < MINUTE_MS) return t('presence.justNow');
      if (ago < HOUR_MS) return plural('presence.minutesAgo', Math.floor(ago / MINUTE_MS));
      const time = formatTime(presence.at, lang);
      const days = daysBetween(presence.at, now);
      if (days === 0) return t('presence.today', { time });
      if (days === 1) return t('presence.yesterday', { time });
      return t('presence.onDate', { date: formatShortDate(presence.at, now, lang), time });
    }
  }
}

/** How many of a chat's other members are online; null while none of theirs is known yet. */
export function onlineCount(
  chat: ChatSummary,
  me: AccountId | undefined,
  of: (account: AccountId) => Presence | undefined,
): number | null {
  const others = chat.members.filter((m) => m.account.id !== me).map((m) => of(m.account.id));
  if (others.every((p) => p === undefined)) return null;
  return others.filter((p) => p?.state === 'online').length;
}

/** "Alice is typing…", "Alice and Bob are typing…", "3 people are typing…"; null when nobody is. */
export function typingText(names: readonly string[], t: Translate, plural: Pluralize): string | null {
  const [first, second] = names;
  if (first === undefined) return null;
  if (second === undefined) return t('chat.typing', { name: first });
  if (names.length === 2) return t('chat.typingTwo', { first, second });
  return plural('chat.typingMany', names.length);
}
