// The items of a chat-list row's menu: pin or unpin, mute for a while or for ever (or unmute),
// archive or unarchive, mark as read, then one check box per chat folder (always included in
// it or not). A group this account was removed from offers only
// archiving and marking it read: the host refuses pinning and muting there.

import type { MessageKey } from '../i18n';
import { withIncluded } from '../lib/folders';
import { MUTE_LENGTHS, isMuted, muteEnd, type MuteLength } from '../lib/mute';
import { toErrorInfo } from '../platform/errors';
import type { ChatSummary } from '../platform/types';
import type { AppState } from '../stores/app';
import type { MenuItem } from './ContextMenu';

const MUTE_ITEMS: Record<MuteLength, { label: MessageKey; testId: string }> = {
  '1h': { label: 'chat.mute1h', testId: 'chat-menu-mute-1h' },
  '8h': { label: 'chat.mute8h', testId: 'chat-menu-mute-8h' },
  '2d': { label: 'chat.mute2d', testId: 'chat-menu-mute-2d' },
  forever: { label: 'chat.muteForever', testId: 'chat-menu-mute-forever' },
};

/**
 * The menu of `chat` as it is at `now` (the list's clock, so that it agrees with the row).
 * A refusal goes to `onError` with the host's reason (e.g. the plan's limit of pinned chats).
 */
export function chatMenuItems(
  app: AppState,
  chat: ChatSummary,
  now: number,
  onError: (message: string) => void,
): MenuItem[] {
  const t = app.settings.t;
  const id = chat.id;
  const fail = (error: unknown): void => onError(toErrorInfo(error).message);
  const mute = (until: number | null): void => void app.platform.setChatMuted(id, until).catch(fail);
  const items: MenuItem[] = [];
  if (chat.isMember) {
    items.push({
      label: chat.pinned ? t('chat.unpin') : t('chat.pin'),
      icon: 'pin',
      testId: chat.pinned ? 'chat-menu-unpin' : 'chat-menu-pin',
      run: () => void app.platform.setPinned(id, !chat.pinned).catch(fail),
    });
    if (isMuted(chat.mutedUntil, now)) {
      items.push({ label: t('chat.unmute'), icon: 'bell', testId: 'chat-menu-unmute', run: () => mute(null) });
    } else {
      for (const length of MUTE_LENGTHS) {
        const item = MUTE_ITEMS[length];
        items.push({
          label: t(item.label),
          icon: 'bellOff',
          testId: item.testId,
          run: () => mute(muteEnd(length, Date.now())),
        });
      }
    }
  }
  items.push({
    label: chat.archived ? t('chat.unarchive') : t('chat.archive'),
    icon: chat.archived ? 'unarchive' : 'archive',
    testId: chat.archived ? 'chat-menu-unarchive' : 'chat-menu-archive',
    run: () => void app.platform.setChatArchived(id, !chat.archived).catch(fail),
  });
  if (chat.unreadCount > 0) {
    items.push({
      label: t('chat.markRead'),
      icon: 'checks',
      testId: 'chat-menu-read',
      run: () => void app.chats.markRead(id).catch(fail),
    });
  }
  const folders = app.folders.list();
  for (const folder of folders) {
    const included = folder.include.includes(id);
    items.push({
      label: t('chat.inFolder', { name: folder.name }),
      icon: 'folder',
      testId: `chat-menu-folder-${folder.id}`,
      checked: included,
      run: () => {
        const next = withIncluded(folder, id, !included);
        void app.folders.save(folders.map((f) => (f.id === folder.id ? next : f))).catch(fail);
      },
    });
  }
  return items;
}
