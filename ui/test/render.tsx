// Renders the whole app on the in-memory host, as a user would see it.

import { render } from '@solidjs/testing-library';
import { App } from '../src/App';
import { MemoryPlatform, type MemoryOptions } from '../src/platform/memory';
import { createAppState, type AppOptions } from '../src/stores/app';

/** The app on a new in-memory host made with `options`. */
export function renderApp(options: MemoryOptions = {}, appOptions: AppOptions = {}) {
  return renderOn(new MemoryPlatform({ ackDelay: 40, ...options }), appOptions);
}

/** The app on `platform` (prepared by the test), with empty web storage and no route. */
export function renderOn(platform: MemoryPlatform, appOptions: AppOptions = {}) {
  window.localStorage.clear();
  window.sessionStorage.clear();
  window.history.replaceState(null, '', '/');
  let state!: ReturnType<typeof createAppState>;
  const result = render(() => {
    state = createAppState(platform, { storage: window.localStorage, sessionStorage: window.sessionStorage, ...appOptions });
    return <App state={state} />;
  });
  return { ...result, platform, state };
}
