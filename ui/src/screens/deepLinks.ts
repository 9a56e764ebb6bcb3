// What a `wren://` link leads to: the chat or channel to open, an invite to offer joining
// with, or a notice saying why it cannot be opened.

import type { MessageKey, Params } from '../i18n';
import { inviteLink, isInviteCode, normalizeHandle } from '../lib/channels';
import { toErrorInfo } from '../platform/errors';
import type { ChannelInfo, ChatSummary, DeepLink, Platform } from '../platform/types';
import type { ChannelsStore } from '../stores/channels';
import type { ChatsStore } from '../stores/chats';
import { errorText } from './errorText';

export type LinkOutcome =
  | { open: ChatSummary }
  /** A channel to show: subscribed, or a preview (`role` null). */
  | { channel: ChannelInfo }
  /** An invite link (`wren://join/…`) to offer joining with. */
  | { join: string }
  | { notice: string };

type Translate = (key: MessageKey, params?: Params) => string;

export async function resolveDeepLink(
  platform: Platform,
  stores: { chats: ChatsStore; channels: ChannelsStore },
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
      const chat = stores.chats.byId(link.id);
      return chat !== undefined ? { open: chat } : { notice: t('links.chatNotFound') };
    }
    case 'channel': {
      const handle = normalizeHandle(link.handle);
      const known = stores.channels.byHandle(handle);
      if (known !== undefined && known.role !== null) return { channel: known };
      try {
        return { channel: await platform.findChannel(handle) };
      } catch (error) {
        if (toErrorInfo(error).code === 'not_found') return { notice: t('links.channelNotFound', { name: `@${handle}` }) };
        return { notice: errorText(t, error) };
      }
    }
    case 'invite':
      return isInviteCode(link.code) ? { join: inviteLink(link.code) } : { notice: t('links.inviteInvalid') };
    case 'invalid':
      return { notice: t('links.invalid', { url: link.url }) };
  }
}

/** A failed `openDirect` for a link: names the user when there is no such user. */
function userErrorText(t: Translate, error: unknown, username: string): string {
  if (toErrorInfo(error).code === 'not_found') return t('links.userNotFound', { name: `@${username}` });
  return errorText(t, error);
}
