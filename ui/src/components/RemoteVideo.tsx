// The other side's picture in a call, drawn on a canvas: each picture the host sends replaces
// the one waiting, and only the newest is drawn, once per animation frame (the RGBA buffer is
// reused while the size stays the same).

import { onCleanup, onMount, type JSX } from 'solid-js';
import { i420ToRgba } from '../lib/i420';
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
  let canvas!: HTMLCanvasElement;
  let context: CanvasRenderingContext2D | null | undefined;
  let image: ImageData | null = null;
  let waiting: VideoPicture | null = null;
  let cancel: (() => void) | null = null;
  let drawn = 0;

  const draw = (): void => {
    cancel = null;
    const picture = waiting;
    waiting = null;
    if (picture === null) return;
    if (context === undefined) context = canvas.getContext('2d');
    if (context === null) return;
    if (image === null || image.width !== picture.width || image.height !== picture.height) {
      canvas.width = picture.width;
      canvas.height = picture.height;
      image = context.createImageData(picture.width, picture.height);
    }
    try {
      i420ToRgba(picture.width, picture.height, picture.i420, image.data);
    } catch {
      return;
    }
    context.putImageData(image, 0, 0);
    drawn += 1;
    canvas.dataset['drawn'] = String(drawn);
  };

  const show = (picture: VideoPicture): void => {
    waiting = picture;
    cancel ??= nextFrame(draw);
  };

  onMount(() => {
    const stop = props.video.listen(show);
    const latest = props.video.latest();
    if (latest !== null && waiting === null) show(latest);
    onCleanup(() => {
      stop();
      cancel?.();
      cancel = null;
    });
  });

  return (
    <canvas
      ref={canvas}
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
}
