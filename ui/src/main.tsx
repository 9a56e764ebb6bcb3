// Entry point: choose the host, create the app state, mount. The call's picture-in-picture
// window (`?pip=1`) mounts only its own view.

import { render } from 'solid-js/web';
import { App } from './App';
import { isPipWindow } from './lib/callWindow';
import { SCRIPT_STARTED, markStartup } from './lib/startup';
import { createPlatform } from './platform';
import { PipView } from './screens/PipView';
import { createAppState } from './stores/app';
import { systemLanguage } from './stores/settings';
import './styles/app.css';

markStartup(SCRIPT_STARTED);
const root = document.getElementById('root');
if (root !== null) {
  const platform = createPlatform(window);
  const systemLang = systemLanguage(navigator.languages);
  if (isPipWindow(window.location.search)) {
    render(() => <PipView platform={platform} storage={window.localStorage} systemLang={systemLang} />, root);
  } else {
    const options = { storage: window.localStorage, sessionStorage: window.sessionStorage, systemLang };
    render(() => <App state={createAppState(platform, options)} />, root);
  }
}
