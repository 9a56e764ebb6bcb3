// jsdom has no 2D canvas: a stand-in context that keeps what was drawn, so the component tests
// can see the pictures (size and pixels) that reached a canvas.

export interface DrawnPicture {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

const drawnOn = new WeakMap<HTMLCanvasElement, DrawnPicture[]>();

/** Every `putImageData` on `canvas`, oldest first. */
export function drawn(canvas: HTMLElement): DrawnPicture[] {
  return canvas instanceof HTMLCanvasElement ? (drawnOn.get(canvas) ?? []) : [];
}

export function installFakeCanvas(): void {
  if (typeof HTMLCanvasElement === 'undefined') return;
  const contexts = new WeakMap<HTMLCanvasElement, unknown>();
  HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, kind: string) {
    if (kind !== '2d') return null;
    const canvas = this;
    let context = contexts.get(canvas);
    if (context === undefined) {
      context = {
        canvas,
        createImageData: (width: number, height: number) => ({
          width,
          height,
          data: new Uint8ClampedArray(width * height * 4),
          colorSpace: 'srgb',
        }),
        putImageData: (image: DrawnPicture) => {
          const list = drawnOn.get(canvas) ?? [];
          list.push({ width: image.width, height: image.height, data: image.data.slice() });
          drawnOn.set(canvas, list);
        },
      };
      contexts.set(canvas, context);
    }
    return context;
  } as typeof HTMLCanvasElement.prototype.getContext;
}
