import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { createDraftsStore } from '../../src/stores/drafts';

describe('drafts', () => {
  it('keeps one draft per chat', () => {
    const drafts = createRoot(() => createDraftsStore(null));
    drafts.set(1, 'hello bob');
    drafts.set(2, 'hi group');
    expect(drafts.get(1)).toBe('hello bob');
    expect(drafts.get(2)).toBe('hi group');
    expect(drafts.get(3)).toBe('');
  });

  it('survives a restart through storage and forgets a draft cleared to blank', () => {
    const storage = window.localStorage;
    storage.clear();
    const first = createRoot(() => createDraftsStore(storage));
    first.set(7, 'unfinished thought');
    first.set(8, 'gone soon');
    first.set(8, '   ');
    const second = createRoot(() => createDraftsStore(storage));
    expect(second.get(7)).toBe('unfinished thought');
    expect(second.get(8)).toBe('');
  });
});
