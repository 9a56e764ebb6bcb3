// What a `wren://` link leads to: the chat to open, or a notice saying why it cannot.

import type { MessageKey, Params } from '../i18n';
import { toErrorInfo } from '../platform/errors';
import type { ChatSummary, DeepLink, Platform } from '../platform/types';
import type { ChatsStore } from '../stores/chats';
import { errorText } from './errorText';

export type LinkOutcome = { open: ChatSummary } | { notice: string };

type Translate = (key: MessageKey, params?: Params) => string;

export async function resolveDeepLink(
  platform: Platform,
  chats: ChatsStore,
  t: Translate,
  link: DeepLink,
): Promise<LinkOutcome> {
  switch (link.kind) {
    case 'user':
      try {
        return { open: await platform.openDirect(link.username) };
      } catch (error) {
        return { notice: userErrorText(t, error, link.username) };
      }
    case 'chat': {
      const chat = chats.byId(link.id);
      return chat !== undefined ? { open: chat } : { notice: t('links.chatNotFound') };
    }
    case 'invite':
      return { notice: t('links.invite') };
    case 'invalid':
      return { notice: t('links.invalid', { url: link.url }) };
  }
}

/** A failed `openDirect` for a link: names the user when there is no such user. */
function userErrorText(t: Translate, error: unknown, username: string): string {
  if (toErrorInfo(error).code === 'not_found') return t('links.userNotFound', { name: `@${username}` });
  return errorText(t, error);
}
