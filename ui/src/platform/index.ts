// Picks the host: the Tauri shell when running inside it, else the in-memory demo host.

import { MemoryPlatform } from './memory';
import { TauriPlatform } from './tauri';
import type { Platform } from './types';

declare global {
  interface Window {
    __TAURI_INTERNALS__?: unknown;
  }
}

function isTauri(win: Window): boolean {
  return win.__TAURI_INTERNALS__ !== undefined;
}

/**
 * The browser demo accepts `?as=alice` to start signed in and `?archive=N` for the size of
 * the large "Archive" group (100,000 by default). Alice is subscribed to the "Wren News"
 * channel; the directory lists a few more.
 */
export function createPlatform(win: Window): Platform {
  if (isTauri(win)) return new TauriPlatform();
  const params = new URLSearchParams(win.location.search);
  const as = params.get('as');
  const archive = Number(params.get('archive') ?? '100000');
  return new MemoryPlatform({
    simulatePeers: true,
    archiveSize: Number.isFinite(archive) ? archive : 0,
    subscriptions: { alice: ['wrennews'] },
    ...(as !== null ? { signedInAs: as } : {}),
  });
}
