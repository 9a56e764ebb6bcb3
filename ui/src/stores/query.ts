// Host answers kept by key and asked again when something may have changed. One request
// per key at a time: asks that come while one runs are folded into a single one after it,
// so a burst of events costs at most two calls and an older answer never wins.

import { createSignal } from 'solid-js';

export interface KeyedQuery<K, V> {
  /** The last answer for `key`; undefined until one arrived. */
  get(key: K): V | undefined;
  /** Asks the host again; a failed request keeps the last answer. */
  refresh(key: K): void;
  /** Records an answer the host gave to a change: newer than any request running now. */
  put(key: K, value: V): void;
  /** Forgets every answer, and the answers of requests still running. */
  clear(): void;
}

interface Running {
  again: boolean;
  stale: boolean;
}

export function createKeyedQuery<K, V>(fetch: (key: K) => Promise<V>): KeyedQuery<K, V> {
  const [values, setValues] = createSignal<ReadonlyMap<K, V>>(new Map());
  const running = new Map<K, Running>();
  const store = (key: K, value: V): void => {
    setValues((prev) => new Map(prev).set(key, value));
  };
  const refresh = (key: K): void => {
    const current = running.get(key);
    if (current !== undefined) {
      current.again = true;
      return;
    }
    const run: Running = { again: false, stale: false };
    running.set(key, run);
    fetch(key)
      .then(
        (value) => !run.stale && store(key, value),
        () => undefined,
      )
      .finally(() => {
        running.delete(key);
        if (run.again) refresh(key);
      });
  };
  return {
    get: (key) => values().get(key),
    refresh,
    put(key, value) {
      const current = running.get(key);
      if (current !== undefined) current.stale = true;
      store(key, value);
    },
    clear() {
      for (const run of running.values()) run.stale = true;
      setValues(new Map());
    },
  };
}
