// @vitest-environment node
// Which chats a folder shows, the host's rules for a list of folders, and the editor's edits.

import { describe, expect, it } from 'vitest';
import { folderChats, folderUnread, foldersProblem, inFolder, moveFolder, nextFolderId, withIncluded } from '../../src/lib/folders';
import { namesUser, nextMention } from '../../src/lib/mentions';
import { chat, folder, message } from '../fixtures';

const direct = chat({ id: 1, kind: 'direct', unreadCount: 2 });
const readDirect = chat({ id: 2, kind: 'direct' });
const group = chat({ id: 3, kind: 'group', title: 'Team', unreadCount: 1 });
const archived = chat({ id: 4, kind: 'group', title: 'Old', archived: true, unreadCount: 5 });
const all = [direct, readDirect, group, archived];
const ids = (f: Parameters<typeof folderChats>[1]): number[] => folderChats(all, f).map((c) => c.id);

describe('folder contents', () => {
  it('shows the chosen kinds', () => {
    expect(ids(folder({ direct: true, groups: false }))).toEqual([1, 2]);
    expect(ids(folder({ direct: false, groups: true }))).toEqual([3]);
  });

  it('shows only chats with unread messages when unread only', () => {
    expect(ids(folder({ unreadOnly: true }))).toEqual([1, 3]);
  });

  it('always shows included chats and never excluded ones', () => {
    expect(ids(folder({ direct: false, groups: false, include: [2] }))).toEqual([2]);
    expect(ids(folder({ unreadOnly: true, include: [2] }))).toEqual([1, 2, 3]);
    expect(ids(folder({ exclude: [1, 3] }))).toEqual([2]);
  });

  it('never shows an archived chat, even an included one', () => {
    expect(inFolder(archived, folder({ include: [4] }))).toBe(false);
    expect(folderUnread(all, folder())).toBe(3);
  });
});

describe('the rules the host checks', () => {
  it('accepts a good list', () => {
    expect(foldersProblem([folder({ id: 1, name: ' Work ' }), folder({ id: 2, name: '👨‍👩‍👧 Family' })])).toBeNull();
  });

  it('refuses each broken rule with a reason', () => {
    const eleven = Array.from({ length: 11 }, (_, i) => folder({ id: i + 1 }));
    expect(foldersProblem(eleven)).toMatch(/at most 10 folders/);
    expect(foldersProblem([folder({ id: 1 }), folder({ id: 1 })])).toMatch(/two folders/);
    expect(foldersProblem([folder({ name: '   ' })])).toMatch(/1 to 12 characters/);
    expect(foldersProblem([folder({ name: 'Thirteen char' })])).toMatch(/1 to 12 characters/);
    expect(foldersProblem([folder({ name: 'a\u202Eb' })])).toMatch(/invisible/);
    expect(foldersProblem([folder({ direct: false, groups: false })])).toMatch(/nothing can be in/);
    expect(foldersProblem([folder({ include: [1], exclude: [1] })])).toMatch(/both included and excluded/);
    const many = Array.from({ length: 101 }, (_, i) => i + 1);
    expect(foldersProblem([folder({ exclude: many })])).toMatch(/at most 100/);
  });
});

describe('edits', () => {
  it('includes a chat (leaving the exclude list) and takes it out again', () => {
    const added = withIncluded(folder({ exclude: [5] }), 5, true);
    expect([added.include, added.exclude]).toEqual([[5], []]);
    expect(withIncluded(added, 5, false).include).toEqual([]);
  });

  it('moves folders and picks a free id', () => {
    const list = [folder({ id: 1 }), folder({ id: 4 }), folder({ id: 2 })];
    expect(moveFolder(list, 1, -1).map((f) => f.id)).toEqual([4, 1, 2]);
    expect(moveFolder(list, 2, 1).map((f) => f.id)).toEqual([1, 4, 2]);
    expect(nextFolderId(list)).toBe(5);
    expect(nextFolderId([])).toBe(1);
  });
});

describe('mentions', () => {
  it('finds @username, ignoring case, not inside a longer name', () => {
    expect(namesUser('hi @Alice!', 'alice')).toBe(true);
    expect(namesUser('@ALICE', 'alice')).toBe(true);
    expect(namesUser('hi @alicex', 'alice')).toBe(false);
    expect(namesUser('mail bob@alice', 'alice')).toBe(false);
  });

  it('goes to the oldest unread mention after the last one, then round again', () => {
    const messages = [1, 2, 3, 4].map((seq) => message({ seq, mentionsMe: seq !== 3 }));
    expect(nextMention(messages, 1, 1)).toBe(2);
    expect(nextMention(messages, 2, 1)).toBe(4);
    expect(nextMention(messages, 4, 1)).toBe(2);
    expect(nextMention(messages, 4, 4)).toBeNull();
  });
});
