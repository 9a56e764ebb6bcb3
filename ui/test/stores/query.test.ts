import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { createKeyedQuery } from '../../src/stores/query';

/** A fetch whose answers the test releases one by one, in the order asked. */
function controlled() {
  const waiting: { key: number; resolve: (value: string) => void; reject: (error: unknown) => void }[] = [];
  const fetch = (key: number) => new Promise<string>((resolve, reject) => waiting.push({ key, resolve, reject }));
  return { waiting, fetch };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('keyed host query', () => {
  it('folds the asks made while one runs into a single request after it', async () => {
    const host = controlled();
    const query = createRoot(() => createKeyedQuery(host.fetch));
    query.refresh(1);
    query.refresh(1);
    query.refresh(1);
    query.refresh(2);
    expect(host.waiting.map((w) => w.key)).toEqual([1, 2]);
    host.waiting.shift()?.resolve('one, first');
    await settle();
    expect(query.get(1)).toBe('one, first');
    expect(host.waiting.map((w) => w.key)).toEqual([2, 1]);
    host.waiting.pop()?.resolve('one, second');
    await settle();
    expect(query.get(1)).toBe('one, second');
    expect(query.get(2)).toBeUndefined();
  });

  it('keeps the last answer when a request fails, and lets a recorded change win over a running request', async () => {
    const host = controlled();
    const query = createRoot(() => createKeyedQuery(host.fetch));
    query.put(1, 'known');
    query.refresh(1);
    host.waiting.shift()?.reject(new Error('offline'));
    await settle();
    expect(query.get(1)).toBe('known');

    query.refresh(1);
    query.put(1, 'changed');
    host.waiting.shift()?.resolve('older');
    await settle();
    expect(query.get(1)).toBe('changed');

    query.refresh(1);
    query.clear();
    host.waiting.shift()?.resolve('from before signing out');
    await settle();
    expect(query.get(1)).toBeUndefined();
  });
});
