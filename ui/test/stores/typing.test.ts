import { createRoot } from 'solid-js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TYPING_TIMEOUT_MS, createTypingStore } from '../../src/stores/typing';
import { bob } from '../fixtures';

afterEach(() => {
  vi.useRealTimers();
});

describe('typing indicator', () => {
  it('shows a typing peer for a few seconds, then hides', () => {
    vi.useFakeTimers();
    const typing = createRoot(() => createTypingStore(() => Date.now()));
    typing.started(1, bob);
    expect(typing.in(1)).toEqual([bob]);
    expect(typing.in(2)).toEqual([]);
    vi.advanceTimersByTime(TYPING_TIMEOUT_MS + 1);
    expect(typing.in(1)).toEqual([]);
  });

  it('hides as soon as the peer sends the message', () => {
    const typing = createRoot(() => createTypingStore());
    typing.started(1, bob);
    typing.stopped(1, bob.id);
    expect(typing.in(1)).toEqual([]);
  });
});
