// Pure channel rules: handles, invite links, list order and search, merging pages of posts,
// language names, and which field of the new-channel form a host error is about.

import type { Lang, MessageKey } from '../i18n';
import { intlLocale } from '../i18n/locale';
import { toErrorInfo } from '../platform/errors';
import { CHANNEL_TOPICS, type ChannelInfo, type ChannelTopic, type Post } from '../platform/types';
import type { Translate } from './chats';
import { foldForSearch } from './text';

/** The scheme and path of invite links. */
export const INVITE_PREFIX = 'wren://join/';
/** The longest directory search text, in characters (the server's limit). */
export const MAX_DIRECTORY_QUERY = 64;
/** The longest channel title and description, in characters. */
export const MAX_CHANNEL_TITLE = 128;
export const MAX_CHANNEL_DESCRIPTION = 255;
/** The longest post, in characters. */
export const MAX_POST = 4096;

/** A handle as the host stores it: trimmed, without a leading `@`, lower case. */
export function normalizeHandle(raw: string): string {
  const trimmed = raw.trim();
  return (trimmed.startsWith('@') ? trimmed.slice(1) : trimmed).toLowerCase();
}

/** 5 to 32 of a-z, 0-9 and _, starting with a letter (after `normalizeHandle`). */
export function isValidHandle(handle: string): boolean {
  return /^[a-z][a-z0-9_]{4,31}$/.test(handle);
}

/** An invite code: 64 hex digits. */
export function isInviteCode(code: string): boolean {
  return /^[0-9a-fA-F]{64}$/.test(code);
}

export function inviteLink(code: string): string {
  return INVITE_PREFIX + code;
}

/** The invite link in what the user typed or pasted, or null when it is not one. */
export function inviteLinkIn(text: string): string | null {
  const trimmed = text.trim();
  if (!trimmed.toLowerCase().startsWith(INVITE_PREFIX)) return null;
  const code = trimmed.slice(INVITE_PREFIX.length).replace(/\/+$/, '');
  return isInviteCode(code) ? inviteLink(code) : null;
}

/** The link that opens a public channel. */
export function channelLink(handle: string): string {
  return `wren://channel/${handle}`;
}

export function isTopic(topic: string): topic is ChannelTopic {
  return (CHANNEL_TOPICS as readonly string[]).includes(topic);
}

/** A topic's name in the UI language (an unknown one as it is). */
export function topicLabel(t: Translate, topic: string): string {
  return isTopic(topic) ? t(`topic.${topic}`) : topic;
}

/** True for the roles that may post. */
export function canPost(channel: Pick<ChannelInfo, 'role'>): boolean {
  return channel.role === 'owner' || channel.role === 'admin';
}

/** By title (in the UI language's collation), ties by id so the order is stable. */
export function sortChannels(channels: readonly ChannelInfo[], lang: Lang): ChannelInfo[] {
  const collator = new Intl.Collator(intlLocale(lang));
  return [...channels].sort((a, b) => collator.compare(a.title, b.title) || a.id - b.id);
}

/** Channels whose title or handle contains the query, ignoring case and diacritics. */
export function filterChannels(channels: readonly ChannelInfo[], query: string): ChannelInfo[] {
  const q = foldForSearch(normalizeQuery(query));
  if (q === '') return [...channels];
  return channels.filter((c) => foldForSearch(c.title).includes(q) || (c.handle ?? '').includes(q));
}

function normalizeQuery(query: string): string {
  const trimmed = query.trim();
  return trimmed.startsWith('@') ? trimmed.slice(1) : trimmed;
}

/** The words of a directory search as the server's full-text index splits them. */
export function searchWords(text: string): string[] {
  return foldForSearch(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}

/**
 * Adds `incoming` posts to `current` (both in any order); returns them by position, oldest
 * first. A post already there is replaced unless the incoming copy is older (a smaller
 * `changedSeq`); either way it keeps the higher view count.
 */
export function mergePosts(current: readonly Post[], incoming: readonly Post[]): Post[] {
  const bySeq = new Map(current.map((p) => [p.seq, p]));
  for (const post of incoming) {
    const had = bySeq.get(post.seq);
    if (had === undefined) bySeq.set(post.seq, post);
    else if (post.changedSeq >= had.changedSeq) bySeq.set(post.seq, { ...post, views: Math.max(post.views, had.views) });
    else if (post.views > had.views) bySeq.set(post.seq, { ...had, views: post.views });
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** Languages offered for a channel and in the directory filter (ISO 639-1). */
export const CHANNEL_LANGUAGES = [
  'ar', 'bn', 'de', 'en', 'es', 'fa', 'fr', 'he', 'hi', 'id', 'it', 'ja', 'ko', 'ms', 'nl', 'pl', 'pt', 'ru',
  'sv', 'sw', 'th', 'tr', 'uk', 'ur', 'vi', 'zh',
] as const;

const languageNames = new Map<Lang, Intl.DisplayNames | null>();

/** A language's name in the UI language ("French", "الفرنسية"); the code when unknown. */
export function languageName(code: string, lang: Lang): string {
  let names = languageNames.get(lang);
  if (names === undefined) {
    try {
      names = new Intl.DisplayNames([intlLocale(lang)], { type: 'language' });
    } catch {
      names = null;
    }
    languageNames.set(lang, names);
  }
  try {
    return names?.of(code) ?? code;
  } catch {
    return code;
  }
}

/** The languages to offer, by name in the UI language, with `extra` (a channel's own) added. */
export function languageOptions(lang: Lang, extra: readonly string[] = []): { code: string; name: string }[] {
  const codes = new Set<string>([...CHANNEL_LANGUAGES, ...extra.filter((c) => /^[a-z]{2}$/.test(c))]);
  const collator = new Intl.Collator(intlLocale(lang));
  return [...codes]
    .map((code) => ({ code, name: languageName(code, lang) }))
    .sort((a, b) => collator.compare(a.name, b.name));
}

export type ChannelField = 'title' | 'handle' | 'description' | 'topic' | 'language';

/**
 * Where a failed `createChannel` belongs in the form, and what to say: a field's own message,
 * or (field null) one for the whole form; `key` null means "use the general error text".
 */
export function channelError(error: unknown): { field: ChannelField | null; key: MessageKey | null } {
  const info = toErrorInfo(error);
  if (info.code === 'conflict' || info.code === 'taken') return { field: 'handle', key: 'newChannel.errorHandleTaken' };
  if (info.code === 'forbidden') return { field: null, key: 'newChannel.errorLimit' };
  if (info.code === 'invalid' || info.code === 'bad_request') {
    const message = info.message.toLowerCase();
    if (message.includes('handle')) return { field: 'handle', key: 'newChannel.errorHandle' };
    if (message.includes('title')) return { field: 'title', key: 'newChannel.errorTitle' };
    if (message.includes('description')) return { field: 'description', key: 'newChannel.errorDescription' };
    if (message.includes('topic')) return { field: 'topic', key: 'newChannel.errorTopic' };
    if (message.includes('language')) return { field: 'language', key: 'newChannel.errorLanguage' };
  }
  return { field: null, key: null };
}
