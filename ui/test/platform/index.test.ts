import { describe, expect, it } from 'vitest';
import { createPlatform } from '../../src/platform';
import { MemoryPlatform } from '../../src/platform/memory';
import { TauriPlatform } from '../../src/platform/tauri';

function fakeWindow(search: string, tauri: boolean): Window {
  return { location: { search }, ...(tauri ? { __TAURI_INTERNALS__: {} } : {}) } as unknown as Window;
}

describe('host choice', () => {
  it('uses Tauri inside the desktop shell and the in-memory host in a browser', () => {
    expect(createPlatform(fakeWindow('', true))).toBeInstanceOf(TauriPlatform);
    expect(createPlatform(fakeWindow('?archive=0', false))).toBeInstanceOf(MemoryPlatform);
  });

  it('lets the browser demo start signed in', async () => {
    const host = createPlatform(fakeWindow('?as=carol&archive=0', false));
    expect((await host.profileStatus()).account?.username).toBe('carol');
  });
});
