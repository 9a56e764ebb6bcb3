import { createRoot } from 'solid-js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { hostError } from '../../src/platform/errors';
import { SAVE_DRAFT_AFTER_MS, createDraftsStore } from '../../src/stores/drafts';

function setup(saved: Record<number, string> = {}) {
  const setDraft = vi.fn((_chat: number, _text: string) => Promise.resolve());
  const drafts = createRoot(() => createDraftsStore({ setDraft }, (chat) => saved[chat] ?? ''));
  return { drafts, setDraft };
}

describe('drafts', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('keeps one draft per chat, starting from the saved ones', () => {
    const { drafts } = setup({ 3: 'saved before' });
    drafts.set(1, 'hello bob');
    drafts.set(2, 'hi group');
    expect(drafts.get(1)).toBe('hello bob');
    expect(drafts.get(2)).toBe('hi group');
    expect(drafts.get(3)).toBe('saved before');
    expect(drafts.get(4)).toBe('');
    drafts.set(3, '');
    // A summary that still carries the old draft does not bring it back.
    expect(drafts.get(3)).toBe('');
  });

  it('saves once typing pauses, only the last text, and blank as ""', () => {
    const { drafts, setDraft } = setup();
    drafts.set(7, 'unf');
    vi.advanceTimersByTime(SAVE_DRAFT_AFTER_MS - 50);
    drafts.set(7, 'unfinished thought');
    vi.advanceTimersByTime(SAVE_DRAFT_AFTER_MS - 50);
    expect(setDraft).not.toHaveBeenCalled();
    vi.advanceTimersByTime(50);
    expect(setDraft.mock.calls).toEqual([[7, 'unfinished thought']]);
    drafts.set(7, '   ');
    vi.advanceTimersByTime(SAVE_DRAFT_AFTER_MS);
    expect(setDraft.mock.calls).toEqual([
      [7, 'unfinished thought'],
      [7, ''],
    ]);
    expect(drafts.get(7)).toBe('');
  });

  it('flushes one chat or all at once, and only what is waiting', () => {
    const { drafts, setDraft } = setup();
    drafts.set(1, 'one');
    drafts.set(2, 'two');
    drafts.flush(1);
    expect(setDraft.mock.calls).toEqual([[1, 'one']]);
    drafts.flush();
    drafts.flush();
    vi.advanceTimersByTime(SAVE_DRAFT_AFTER_MS * 2);
    expect(setDraft.mock.calls).toEqual([
      [1, 'one'],
      [2, 'two'],
    ]);
  });

  it('keeps the draft in memory only when the host refuses it (locked profile)', async () => {
    const setItem = vi.spyOn(Storage.prototype, 'setItem');
    const { drafts, setDraft } = setup();
    setDraft.mockRejectedValue(hostError('locked', 'profile locked'));
    drafts.set(5, 'secret plan');
    drafts.flush();
    await vi.runAllTimersAsync();
    expect(setDraft).toHaveBeenCalledWith(5, 'secret plan');
    expect(drafts.get(5)).toBe('secret plan');
    expect(setItem).not.toHaveBeenCalled();
  });

  it('clear forgets every draft and drops the writes still waiting', () => {
    const { drafts, setDraft } = setup({ 9: 'saved' });
    drafts.set(1, 'typed');
    drafts.clear();
    vi.advanceTimersByTime(SAVE_DRAFT_AFTER_MS * 2);
    expect(setDraft).not.toHaveBeenCalled();
    expect(drafts.get(1)).toBe('');
  });
});
