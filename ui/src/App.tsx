// The root: provides the app state, follows language, theme and interface scale on <html>
// (Ctrl+= / Ctrl+- / Ctrl+0 change the scale on every screen), and shows the screen for the
// session phase.

import { Match, Switch, createEffect, createSignal, onCleanup, onMount, type JSX } from 'solid-js';
import { DEFAULT_SCALE, applyScale, stepScale } from './lib/scale';
import { scaleShortcut } from './lib/shortcuts';
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
  const onKeyDown = (event: KeyboardEvent): void => {
    const action = scaleShortcut(event);
    if (action === null) return;
    event.preventDefault();
    const { settings } = app;
    settings.setScale(action === 'reset' ? DEFAULT_SCALE : stepScale(settings.scale(), action === 'larger' ? 1 : -1));
  };

  createEffect(() => applyToDocument(document.documentElement, app.settings.lang(), app.settings.theme(), prefersDark()));
  createEffect(() => applyScale(document.documentElement, app.settings.scale()));

  onMount(() => {
    media?.addEventListener('change', onScheme);
    document.addEventListener('keydown', onKeyDown);
    const stop = app.start();
    void app.session.refresh().catch(() => undefined);
    onCleanup(() => {
      stop();
      media?.removeEventListener('change', onScheme);
      document.removeEventListener('keydown', onKeyDown);
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
