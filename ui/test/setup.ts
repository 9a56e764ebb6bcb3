// Unmounts what a test rendered, so every test starts from an empty document.

import { cleanup } from '@solidjs/testing-library';
import { afterEach } from 'vitest';

afterEach(() => {
  cleanup();
});
