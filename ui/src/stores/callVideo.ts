// The other side's pictures in this window's calls: the host is asked to send them once (the
// first time a picture is wanted), and the newest is kept so a view opened mid-call (the panel
// expanded again) has something to draw at once.

import type { Platform, VideoPicture } from '../platform/types';

export interface CallVideoStore {
  /** The newest picture since the last call ended, if one came. */
  latest(): VideoPicture | null;
  /**
   * Calls `handler` with each picture that arrives; returns the function that stops. The first
   * listener makes the host start sending (`watchCallVideo`, once per window; again only if
   * that failed).
   */
  listen(handler: (picture: VideoPicture) => void): () => void;
  /** Forgets the newest picture (the call ended, sign-out, lock). */
  clear(): void;
}

export function createCallVideoStore(platform: Platform): CallVideoStore {
  const handlers = new Set<(picture: VideoPicture) => void>();
  let latest: VideoPicture | null = null;
  let watching = false;

  const receive = (picture: VideoPicture): void => {
    latest = picture;
    for (const handler of handlers) handler(picture);
  };

  const watch = (): void => {
    if (watching) return;
    watching = true;
    platform.watchCallVideo(receive).catch(() => {
      watching = false;
    });
  };

  return {
    latest: () => latest,
    listen(handler) {
      handlers.add(handler);
      watch();
      return () => handlers.delete(handler);
    },
    clear() {
      latest = null;
    },
  };
}
