// Unmounts what a test rendered, so every test starts from an empty document; gives canvases a
// 2D context (jsdom has none).

import { cleanup } from '@solidjs/testing-library';
import { afterEach } from 'vitest';
import { installFakeCanvas } from './canvas';

installFakeCanvas();

afterEach(() => {
  cleanup();
});
