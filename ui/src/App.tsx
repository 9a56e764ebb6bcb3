// The root: provides the app state, follows language/theme on <html>, and shows the screen
// for the session phase.

import { Match, Switch, createEffect, createSignal, onCleanup, onMount, type JSX } from 'solid-js';
import { AppContext, type AppState } from './stores/app';
import { applyToDocument } from './stores/settings';
import { LockScreen } from './screens/LockScreen';
import { LoginScreen } from './screens/LoginScreen';
import { MainScreen } from './screens/MainScreen';

export function App(props: { state: AppState }): JSX.Element {
  const app = props.state;
  const media = typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  const [prefersDark, setPrefersDark] = createSignal(media?.matches ?? false);
  const onScheme = (event: MediaQueryListEvent): void => {
    setPrefersDark(event.matches);
  };

  createEffect(() => applyToDocument(document.documentElement, app.settings.lang(), app.settings.theme(), prefersDark()));

  onMount(() => {
    media?.addEventListener('change', onScheme);
    const stop = app.start();
    void app.session.refresh().catch(() => undefined);
    onCleanup(() => {
      stop();
      media?.removeEventListener('change', onScheme);
    });
  });

  return (
    <AppContext.Provider value={app}>
      <Switch>
        <Match when={app.session.phase() === 'loading'}>
          <div class="splash" aria-busy="true" data-testid="splash">
            {app.settings.t('common.loading')}
          </div>
        </Match>
        <Match when={app.session.phase() === 'locked'}>
          <LockScreen />
        </Match>
        <Match when={app.session.phase() === 'signedOut'}>
          <LoginScreen />
        </Match>
        <Match when={app.session.phase() === 'ready'}>
          <MainScreen />
        </Match>
      </Switch>
    </AppContext.Provider>
  );
}
