// What draws the other side's pictures on a canvas: WebGL where the canvas has it (the planes
// converted to RGB on the GPU), else a 2D context (converted in JavaScript, `i420ToRgba`).

import type { VideoPicture } from '../platform/types';
import { i420ToRgba } from './i420';
import { createWebGlRenderer } from './webglRenderer';

/** Draws pictures on one canvas, sizing the canvas to each picture. */
export interface PictureRenderer {
  readonly kind: 'webgl' | '2d';
  /** Draws the picture; false when it was not drawn (planes too short, context lost). */
  draw(picture: VideoPicture): boolean;
  /** Lets go of the context's resources and listeners. */
  dispose(): void;
}

/**
 * A renderer converting in JavaScript and putting the pixels on the canvas's 2D context (the
 * RGBA buffer is reused while the size stays the same). Null when the canvas has no 2D context
 * (e.g. it had a WebGL one).
 */
export function create2dRenderer(canvas: HTMLCanvasElement): PictureRenderer | null {
  const context = canvas.getContext('2d');
  if (context === null) return null;
  let image: ImageData | null = null;
  return {
    kind: '2d',
    draw(picture) {
      if (image === null || image.width !== picture.width || image.height !== picture.height) {
        canvas.width = picture.width;
        canvas.height = picture.height;
        image = context.createImageData(picture.width, picture.height);
      }
      try {
        i420ToRgba(picture.width, picture.height, picture.i420, image.data);
      } catch {
        return false;
      }
      context.putImageData(image, 0, 0);
      return true;
    },
    dispose() {
      image = null;
    },
  };
}

/**
 * The WebGL renderer where the canvas can have one, else the 2D one. `onLost` is called when the
 * WebGL context is lost: the canvas then draws nothing more. Null when neither works, which is
 * also the case in browsers when the canvas had a WebGL context whose shaders failed (such a
 * canvas has no 2D context): a new canvas can then be drawn with `create2dRenderer`.
 */
export function createRenderer(canvas: HTMLCanvasElement, onLost?: () => void): PictureRenderer | null {
  return createWebGlRenderer(canvas, onLost) ?? create2dRenderer(canvas);
}
