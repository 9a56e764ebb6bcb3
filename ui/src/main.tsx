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
  const options = { storage: window.localStorage, sessionStorage: window.sessionStorage, systemLang };
  render(() => <App state={createAppState(platform, options)} />, root);
}
