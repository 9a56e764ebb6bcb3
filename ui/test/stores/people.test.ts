import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { nameOf, profileProblem } from '../../src/lib/profile';
import { createPeopleStore } from '../../src/stores/people';
import { account, chat, message } from '../fixtures';

describe('people', () => {
  it('names a person by their display name, else their username', () => {
    expect(nameOf(account(1, 'alice'))).toBe('alice');
    expect(nameOf(account(1, 'alice', ' Alice A. '))).toBe('Alice A.');
    expect(nameOf(account(1, 'alice', '   '))).toBe('alice');
  });

  it('keeps the newest account per id from chats, messages and profile changes', () => {
    createRoot((dispose) => {
      const people = createPeopleStore();
      const old = account(2, 'bob');
      expect(people.name(old)).toBe('bob');
      people.apply({ type: 'chatUpdated', chat: chat() });
      people.apply({ type: 'profileChanged', account: account(2, 'bob', 'بوب') });
      expect(people.name(old)).toBe('بوب');
      people.apply({ type: 'messageUpserted', message: message({ sender: account(2, 'bob', 'Robert') }) });
      expect(people.name(old)).toBe('Robert');
      people.clear();
      expect(people.name(old)).toBe('bob');
      dispose();
    });
  });

  it('lists everyone heard of, each by their newest account', () => {
    createRoot((dispose) => {
      const people = createPeopleStore();
      people.learn([account(1, 'alice'), account(2, 'bob')]);
      people.learn([account(2, 'bob', 'Bobby')]);
      expect(people.all()).toEqual([account(1, 'alice'), account(2, 'bob', 'Bobby')]);
      people.clear();
      expect(people.all()).toEqual([]);
      dispose();
    });
  });

  it('checks a profile as the server does', () => {
    expect(profileProblem('  Alice  ', '')).toBeNull();
    expect(profileProblem('x'.repeat(64), 'y'.repeat(140))).toBeNull();
    expect(profileProblem('x'.repeat(65), '')).toEqual({ field: 'displayName', kind: 'tooLong' });
    expect(profileProblem('', 'a\nb')).toEqual({ field: 'bio', kind: 'lineBreak' });
    expect(profileProblem('a\u2067b', '')).toEqual({ field: 'displayName', kind: 'invisible' });
  });
});
