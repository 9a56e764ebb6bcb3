// Noticing that nobody has used the window for a while.

/** The input that counts as using the window. */
const INPUT_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel'] as const;

/**
 * Calls `onIdle` once `ms` pass without keyboard, pointer or wheel input in `target`; each
 * input starts the wait again. Returns the function that stops watching.
 */
export function watchIdle(target: Window, ms: number, onIdle: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const restart = (): void => {
    clearTimeout(timer);
    timer = setTimeout(onIdle, ms);
  };
  // Captured: an element that stops an event's propagation still counts as input.
  const options: AddEventListenerOptions = { capture: true, passive: true };
  for (const type of INPUT_EVENTS) target.addEventListener(type, restart, options);
  restart();
  return () => {
    clearTimeout(timer);
    for (const type of INPUT_EVENTS) target.removeEventListener(type, restart, options);
  };
}
