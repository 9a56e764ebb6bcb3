// @vitest-environment node

import { describe, expect, it } from 'vitest';
import {
  channelError,
  filterChannels,
  inviteLinkIn,
  isValidHandle,
  languageName,
  mergePosts,
  normalizeHandle,
  sortChannels,
  topicLabel,
} from '../../src/lib/channels';
import { translate, type MessageKey, type Params } from '../../src/i18n';
import type { ChannelInfo, Post } from '../../src/platform/types';

function info(overrides: Partial<ChannelInfo> = {}): ChannelInfo {
  return {
    id: 1,
    handle: 'news_room',
    title: 'News room',
    description: '',
    topic: 'news',
    language: 'en',
    subscribers: 1,
    lastSeq: 0,
    pinned: null,
    role: 'subscriber',
    createdAt: 0,
    ...overrides,
  };
}

function post(overrides: Partial<Post> = {}): Post {
  const seq = overrides.seq ?? 1;
  return { channel: 1, seq, changedSeq: seq, text: `post ${seq}`, sentAt: seq, editedAt: null, deleted: false, views: 0, ...overrides };
}

describe('channel handles and invite links', () => {
  it('normalizes handles as the host does and checks them', () => {
    expect(normalizeHandle('  @Cat_Facts ')).toBe('cat_facts');
    expect(['cat_facts', 'abcde', `a${'b'.repeat(31)}`].every(isValidHandle)).toBe(true);
    expect(['abcd', '1cats', 'cat facts', 'cat-facts', `a${'b'.repeat(32)}`, 'Cats_'].some(isValidHandle)).toBe(false);
  });

  it('finds an invite link in pasted text', () => {
    const code = 'ab'.repeat(32);
    expect(inviteLinkIn(`  wren://join/${code} `)).toBe(`wren://join/${code}`);
    expect(inviteLinkIn(`wren://join/${code}/`)).toBe(`wren://join/${code}`);
    expect(inviteLinkIn('wren://join/abc')).toBeNull();
    expect(inviteLinkIn(code)).toBeNull();
    expect(inviteLinkIn('science')).toBeNull();
  });
});

describe('channel lists', () => {
  it('sorts by title in the UI language, ties by id', () => {
    const list = [info({ id: 3, title: 'b' }), info({ id: 2, title: 'A' }), info({ id: 1, title: 'b' })];
    expect(sortChannels(list, 'en').map((c) => c.id)).toEqual([2, 1, 3]);
  });

  it('filters by title (ignoring case and diacritics) or handle', () => {
    const list = [info({ id: 1, title: 'Café', handle: null }), info({ id: 2, title: 'Other', handle: 'cafe_news' })];
    expect(filterChannels(list, 'cafe').map((c) => c.id)).toEqual([1, 2]);
    expect(filterChannels(list, '@cafe_n').map((c) => c.id)).toEqual([2]);
    expect(filterChannels(list, '').map((c) => c.id)).toEqual([1, 2]);
  });

  it('names topics and languages in the UI language', () => {
    const t = (key: MessageKey, params?: Params) => translate('ar', key, params);
    expect(topicLabel(t, 'sports')).toBe('رياضة');
    expect(topicLabel(t, 'unknown')).toBe('unknown');
    expect(languageName('fr', 'en')).toBe('French');
    expect(languageName('fr', 'ar')).toMatch(/[\u0600-\u06FF]/);
  });
});

describe('merging pages of posts', () => {
  it('orders by position, replaces older copies and keeps the higher view count', () => {
    const current = [post({ seq: 2, views: 10 }), post({ seq: 1, views: 5 })];
    const merged = mergePosts(current, [
      post({ seq: 3 }),
      post({ seq: 2, changedSeq: 4, text: 'edited', views: 7 }),
      post({ seq: 1, changedSeq: 0, text: 'stale', views: 9 }),
    ]);
    expect(merged.map((p) => [p.seq, p.text, p.views])).toEqual([
      [1, 'post 1', 9],
      [2, 'edited', 10],
      [3, 'post 3', 0],
    ]);
  });
});

describe('create-channel errors', () => {
  it('puts each host refusal under its field', () => {
    const invalid = (message: string) => channelError({ code: 'invalid', message });
    expect(invalid('a channel handle has 5 to 32 of the letters a-z')).toEqual({ field: 'handle', key: 'newChannel.errorHandle' });
    expect(invalid('this channel title cannot be used: empty')).toEqual({ field: 'title', key: 'newChannel.errorTitle' });
    expect(invalid('the description has at most 255 characters')).toEqual({
      field: 'description',
      key: 'newChannel.errorDescription',
    });
    expect(invalid('the language is a two-letter ISO 639-1 code')).toEqual({ field: 'language', key: 'newChannel.errorLanguage' });
    expect(channelError({ code: 'bad_request', message: 'the topic is one of: news' })).toEqual({
      field: 'topic',
      key: 'newChannel.errorTopic',
    });
    expect(channelError({ code: 'conflict', message: 'this handle is taken by another channel' })).toEqual({
      field: 'handle',
      key: 'newChannel.errorHandleTaken',
    });
    expect(channelError({ code: 'forbidden', message: 'your plan allows 10 public channels' })).toEqual({
      field: null,
      key: 'newChannel.errorLimit',
    });
    expect(channelError({ code: 'network', message: 'offline' })).toEqual({ field: null, key: null });
  });
});
