// Entry point: choose the host, create the app state, mount.

import { render } from 'solid-js/web';
import { App } from './App';
import { createPlatform } from './platform';
import { createAppState } from './stores/app';
import { systemLanguage } from './stores/settings';
import './styles/app.css';

const root = document.getElementById('root');
if (root !== null) {
  const platform = createPlatform(window);
  const systemLang = systemLanguage(navigator.languages);
  render(() => <App state={createAppState(platform, { storage: window.localStorage, systemLang })} />, root);
}
