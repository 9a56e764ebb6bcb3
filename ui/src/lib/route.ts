// The open chat or channel in the URL hash ("#/chat/12", "#/channel/3"), so a reload or a
// test can open one directly.

import type { ChannelId, ChatId } from '../platform/types';

export function chatRoute(chat: ChatId | null): string {
  return chat === null ? '' : `#/chat/${chat}`;
}

export function parseChatRoute(hash: string): ChatId | null {
  const match = /^#\/chat\/(\d+)$/.exec(hash);
  return match?.[1] === undefined ? null : Number(match[1]);
}

export function channelRoute(channel: ChannelId | null): string {
  return channel === null ? '' : `#/channel/${channel}`;
}

export function parseChannelRoute(hash: string): ChannelId | null {
  const match = /^#\/channel\/(\d+)$/.exec(hash);
  return match?.[1] === undefined ? null : Number(match[1]);
}
