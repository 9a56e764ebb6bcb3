// Renders the whole app on the in-memory host, as a user would see it.

import { render } from '@solidjs/testing-library';
import { App } from '../src/App';
import { MemoryPlatform, type MemoryOptions } from '../src/platform/memory';
import { createAppState } from '../src/stores/app';

export function renderApp(options: MemoryOptions = {}) {
  window.localStorage.clear();
  window.sessionStorage.clear();
  window.history.replaceState(null, '', '/');
  const platform = new MemoryPlatform({ ackDelay: 40, ...options });
  let state!: ReturnType<typeof createAppState>;
  const result = render(() => {
    state = createAppState(platform, { storage: window.localStorage, sessionStorage: window.sessionStorage });
    return <App state={state} />;
  });
  return { ...result, platform, state };
}
