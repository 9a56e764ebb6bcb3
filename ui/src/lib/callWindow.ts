// The call's picture-in-picture window: the same UI loaded with `?pip=1`. When it closes
// itself ("Return to the call"), it tells the main window, which expands its call panel again
// (a BroadcastChannel between the two pages; where there is none, the main window's own
// "Return to call" button still does it).

const CHANNEL_NAME = 'wren.call-window';
const CLOSED = 'closed';

/** Whether the page is the picture-in-picture window (`?pip=1` in its address). */
export function isPipWindow(search: string): boolean {
  return new URLSearchParams(search).get('pip') === '1';
}

/** Said by the picture-in-picture window as it closes itself. */
export function tellPipClosed(): void {
  if (typeof BroadcastChannel !== 'function') return;
  const channel = new BroadcastChannel(CHANNEL_NAME);
  channel.postMessage(CLOSED);
  channel.close();
}

/** Calls `handler` each time the picture-in-picture window says it closed; returns the stop. */
export function onPipClosed(handler: () => void): () => void {
  if (typeof BroadcastChannel !== 'function') return () => undefined;
  const channel = new BroadcastChannel(CHANNEL_NAME);
  channel.onmessage = (event: MessageEvent) => {
    if (event.data === CLOSED) handler();
  };
  return () => channel.close();
}
