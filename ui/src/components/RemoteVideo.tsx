// The other side's picture in a call, drawn on a canvas: each picture the host sends replaces
// the one waiting, and only the newest is drawn, once per animation frame, with WebGL where the
// canvas has it, else in 2D (`lib/videoRenderer.ts`). Should the WebGL context be lost (or its
// shaders fail), a new canvas takes the old one's place and is drawn in 2D (a canvas that had a
// WebGL context can have no 2D one).

import { createSignal, onCleanup, onMount, Show, type JSX } from 'solid-js';
import { create2dRenderer, createRenderer, type PictureRenderer } from '../lib/videoRenderer';
import type { VideoPicture } from '../platform/types';
import type { CallVideoStore } from '../stores/callVideo';

/** Waits for the next frame (a timer where there is no `requestAnimationFrame`). */
function nextFrame(draw: () => void): () => void {
  if (typeof requestAnimationFrame === 'function') {
    const id = requestAnimationFrame(draw);
    return () => cancelAnimationFrame(id);
  }
  const id = setTimeout(draw, 16);
  return () => clearTimeout(id);
}

export function RemoteVideo(props: {
  video: CallVideoStore;
  /** "Video from NAME". */
  label: string;
  testId: string;
  class?: string;
  /** A click on the picture (the picture-in-picture window returns to the call). */
  onClick?: () => void;
}): JSX.Element {
  let canvas: HTMLCanvasElement | null = null;
  let renderer: PictureRenderer | null = null;
  let waiting: VideoPicture | null = null;
  let cancel: (() => void) | null = null;
  let drawn = 0;
  /** False once WebGL failed: the canvas is then a new one, drawn in 2D. */
  const [webGl, setWebGl] = createSignal(true);

  const draw = (): void => {
    cancel = null;
    const picture = waiting;
    waiting = null;
    if (picture === null || renderer === null || canvas === null) return;
    if (!renderer.draw(picture)) return;
    drawn += 1;
    canvas.dataset['drawn'] = String(drawn);
  };

  const show = (picture: VideoPicture): void => {
    waiting = picture;
    cancel ??= nextFrame(draw);
  };

  /** Draws on a new canvas, in 2D, from now on. */
  const fallBack = (): void => {
    renderer?.dispose();
    renderer = null;
    setWebGl(false);
    // The new canvas starts blank: the newest picture again.
    const latest = props.video.latest();
    if (latest !== null) show(latest);
  };

  const attach = (element: HTMLCanvasElement, tryWebGl: boolean): void => {
    canvas = element;
    renderer = tryWebGl ? createRenderer(element, fallBack) : create2dRenderer(element);
    element.dataset['drawn'] = String(drawn);
    if (renderer !== null) element.dataset['renderer'] = renderer.kind;
  };

  onMount(() => {
    if (renderer === null) fallBack();
    const stop = props.video.listen(show);
    const latest = props.video.latest();
    if (latest !== null && waiting === null) show(latest);
    onCleanup(() => {
      stop();
      cancel?.();
      cancel = null;
      renderer?.dispose();
      renderer = null;
    });
  });

  const view = (tryWebGl: boolean): JSX.Element => (
    <canvas
      ref={(element) => attach(element, tryWebGl)}
      class={`remote-video ${props.class ?? ''}`}
      width={0}
      height={0}
      role="img"
      aria-label={props.label}
      data-testid={props.testId}
      data-drawn="0"
      onClick={() => props.onClick?.()}
    />
  );

  return (
    <Show when={webGl()} fallback={view(false)}>
      {view(true)}
    </Show>
  );
}
