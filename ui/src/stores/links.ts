// `wren://` links taken from the host, waiting until the main window can open them.

import { createSignal, type Accessor } from 'solid-js';
import type { DeepLink, Platform } from '../platform/types';

export interface LinksStore {
  /** Links taken from the host and not handled yet, oldest first. */
  pending: Accessor<DeepLink[]>;
  /** Moves the links waiting in the host into `pending`. */
  take(): Promise<void>;
  /** Returns `pending` and empties it. */
  drain(): DeepLink[];
  /** Opens a link from inside the app (a sponsored message's channel), as if the host passed it. */
  open(link: DeepLink): void;
}

export function createLinksStore(platform: Platform): LinksStore {
  const [pending, setPending] = createSignal<DeepLink[]>([]);
  return {
    pending,
    async take() {
      const links = await platform.takeDeepLinks();
      if (links.length > 0) setPending((prev) => [...prev, ...links]);
    },
    open(link) {
      setPending((prev) => [...prev, link]);
    },
    drain() {
      const links = pending();
      if (links.length > 0) setPending([]);
      return links;
    },
  };
}
