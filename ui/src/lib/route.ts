// The open chat in the URL hash ("#/chat/12"), so a reload or a test can open a chat directly.

import type { ChatId } from '../platform/types';

export function chatRoute(chat: ChatId | null): string {
  return chat === null ? '' : `#/chat/${chat}`;
}

export function parseChatRoute(hash: string): ChatId | null {
  const match = /^#\/chat\/(\d+)$/.exec(hash);
  return match?.[1] === undefined ? null : Number(match[1]);
}
