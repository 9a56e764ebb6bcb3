import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryPlatform } from '../../src/platform/memory';
import { TauriPlatform } from '../../src/platform/tauri';

afterEach(() => {
  clearMocks();
});

describe('privacy on the hosts', () => {
  it('the in-memory server refuses to add an account that allows nobody, naming it', async () => {
    const host = new MemoryPlatform({ signedInAs: 'alice' });
    await expect(host.privacy(null)).resolves.toEqual({ groupAdds: 'everybody', lastSeen: 'everybody' });
    await expect(host.privacy('nobody')).resolves.toEqual({ groupAdds: 'nobody', lastSeen: 'everybody' });
    await host.logout();
    await host.login('http://127.0.0.1:8080', 'bob', 'password', false);
    const refused = { code: 'privacy_restricted', message: '@alice does not allow being added to groups' };
    await expect(host.createGroup('Trip', ['carol', 'alice'])).rejects.toEqual(refused);
    const group = await host.createGroup('Trip', ['carol']);
    await expect(host.addMember(group.id, 'alice')).rejects.toEqual(refused);
    // Only alice's own setting changed.
    await expect(host.privacy(null)).resolves.toEqual({ groupAdds: 'everybody', lastSeen: 'everybody' });
    await host.logout();
    await host.login('http://127.0.0.1:8080', 'alice', 'password', false);
    await host.privacy('everybody');
    await host.logout();
    await host.login('http://127.0.0.1:8080', 'bob', 'password', false);
    await expect(host.addMember(group.id, 'alice')).resolves.toBeUndefined();
  });

  it('the desktop host reads and sets it with the privacy command', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return { groupAdds: 'nobody' };
    });
    const host = new TauriPlatform();
    await expect(host.privacy(null)).resolves.toEqual({ groupAdds: 'nobody' });
    await host.privacy('nobody');
    expect(calls).toEqual([
      ['privacy', { groupAdds: null }],
      ['privacy', { groupAdds: 'nobody' }],
    ]);
  });
});
