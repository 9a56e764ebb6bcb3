// The call's picture-in-picture window: the same UI loaded with `?pip=1`. When it closes
// itself ("Return to the call"), it tells the main window, which expands its call panel again
// (a BroadcastChannel between the two pages; where there is none, the main window's own
// "Return to call" button still does it). Either window also says when it switched the
// microphone or camera, so that the other asks the host how they stand (where there is no
// channel, each asks when the picture-in-picture window opens and when the panel expands).

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

/** Which of the two pages says something. */
export type CallWindowKind = 'main' | 'pip';

interface MediaSwitched {
  type: 'mediaSwitched';
  from: CallWindowKind;
}

function isMediaSwitched(data: unknown): data is MediaSwitched {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'mediaSwitched';
}

/** Said by a window after it switched the microphone or camera of the call. */
export function tellMediaSwitched(from: CallWindowKind): void {
  if (typeof BroadcastChannel !== 'function') return;
  const channel = new BroadcastChannel(CHANNEL_NAME);
  const message: MediaSwitched = { type: 'mediaSwitched', from };
  channel.postMessage(message);
  channel.close();
}

/** Calls `handler` each time the other window (not `self`) says it switched; returns the stop. */
export function onMediaSwitched(self: CallWindowKind, handler: () => void): () => void {
  if (typeof BroadcastChannel !== 'function') return () => undefined;
  const channel = new BroadcastChannel(CHANNEL_NAME);
  channel.onmessage = (event: MessageEvent) => {
    if (isMediaSwitched(event.data) && event.data.from !== self) handler();
  };
  return () => channel.close();
}
