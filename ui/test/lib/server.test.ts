// @vitest-environment node

import { describe, expect, it } from 'vitest';
import { isLoopbackHost, isUnencryptedRemote } from '../../src/lib/server';

describe('server addresses', () => {
  it('knows this computer', () => {
    for (const host of ['localhost', 'LOCALHOST.', '127.0.0.1', '127.9.8.7', '::1', '::ffff:127.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ['example.org', '128.0.0.1', '127.0.0.1.example.org', '127.0.0.300', '::2']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });

  it('flags unencrypted addresses to another computer only', () => {
    expect(isUnencryptedRemote('http://chat.example.org:8080')).toBe(true);
    expect(isUnencryptedRemote('ws://10.0.0.5/ws')).toBe(true);
    expect(isUnencryptedRemote('WS://[::2]:1')).toBe(true);
    expect(isUnencryptedRemote('ws://127.0.0.1@example.org')).toBe(true);
    expect(isUnencryptedRemote('http://127.0.0.1:8080')).toBe(false);
    expect(isUnencryptedRemote('ws://[::1]:8080')).toBe(false);
    expect(isUnencryptedRemote('http://localhost')).toBe(false);
    expect(isUnencryptedRemote('https://chat.example.org')).toBe(false);
    expect(isUnencryptedRemote('chat.example.org')).toBe(false);
  });
});
