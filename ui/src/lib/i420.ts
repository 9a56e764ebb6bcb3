// The pictures of a call's video as the host sends them (a 4-byte size header, then the I420
// planes), and their conversion to RGB (BT.601, limited range): in JavaScript for a 2D canvas,
// and the weights a WebGL shader uses for the same.

import type { VideoPicture } from '../platform/types';

/** Bytes before the planes in a message: width and height, little-endian uint16 each. */
export const PICTURE_HEADER_BYTES = 4;

/** The bytes of an I420 picture: the Y plane, then U and V at half width and half height. */
export function i420Size(width: number, height: number): number {
  const chroma = ((width + 1) >> 1) * ((height + 1) >> 1);
  return width * height + 2 * chroma;
}

/** The bytes of a message from `watch_call_video`, whatever the channel made of them. */
function bytesOf(message: unknown): Uint8Array | null {
  if (message instanceof ArrayBuffer) return new Uint8Array(message);
  if (ArrayBuffer.isView(message)) return new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
  // Serialized as JSON (a plain array of bytes) by an older host.
  if (Array.isArray(message) && message.every((b) => typeof b === 'number')) return Uint8Array.from(message);
  return null;
}

/**
 * A picture from one message of `watch_call_video`: bytes 0–1 the width, 2–3 the height
 * (little-endian), then the planes. Null when the message is not one (too short, no size).
 */
export function parsePicture(message: unknown): VideoPicture | null {
  const bytes = bytesOf(message);
  if (bytes === null || bytes.length < PICTURE_HEADER_BYTES) return null;
  const header = new DataView(bytes.buffer, bytes.byteOffset, PICTURE_HEADER_BYTES);
  const width = header.getUint16(0, true);
  const height = header.getUint16(2, true);
  if (width === 0 || height === 0) return null;
  const end = PICTURE_HEADER_BYTES + i420Size(width, height);
  if (bytes.length < end) return null;
  return { width, height, i420: bytes.subarray(PICTURE_HEADER_BYTES, end) };
}

/** Three weights or offsets, for Y, U and V. */
type Triple = readonly [number, number, number];

/**
 * BT.601, limited range (Y 16–235, U and V 16–240 around 128), as both the 2D canvas
 * (`i420ToRgba`) and the WebGL shader apply it: (R, G, B) = `matrix` × ((Y, U, V) − `offset`),
 * in bytes, clamped to 0–255 and rounded. `matrix` is by rows: R, G, B, each weighing Y, U, V.
 */
export const BT601: { readonly offset: Triple; readonly matrix: readonly [Triple, Triple, Triple] } = {
  offset: [16, 128, 128],
  matrix: [
    [1.164, 0, 1.596],
    [1.164, -0.392, -0.813],
    [1.164, 2.017, 0],
  ],
};

/**
 * Converts an I420 picture to RGBA into `out` (width × height × 4 bytes, e.g. an ImageData's
 * `data`) with `BT601`: R = 1.164(Y−16) + 1.596(V−128), G = 1.164(Y−16) − 0.392(U−128) −
 * 0.813(V−128), B = 1.164(Y−16) + 2.017(U−128), clamped to 0–255 and rounded; alpha 255.
 * Throws a RangeError when `i420` is shorter than the picture or `out` is not its size.
 */
export function i420ToRgba(width: number, height: number, i420: Uint8Array, out: Uint8ClampedArray): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`bad picture size ${width}×${height}`);
  }
  if (i420.length < i420Size(width, height)) {
    throw new RangeError(`an I420 picture of ${width}×${height} needs ${i420Size(width, height)} bytes, got ${i420.length}`);
  }
  if (out.length !== width * height * 4) {
    throw new RangeError(`an RGBA picture of ${width}×${height} needs ${width * height * 4} bytes, got ${out.length}`);
  }
  const [yOffset, uOffset, vOffset] = BT601.offset;
  const [[rY, rU, rV], [gY, gU, gV], [bY, bU, bV]] = BT601.matrix;
  const chromaWidth = (width + 1) >> 1;
  const uPlane = width * height;
  const vPlane = uPlane + chromaWidth * ((height + 1) >> 1);
  for (let row = 0; row < height; row++) {
    const yRow = row * width;
    const cRow = (row >> 1) * chromaWidth;
    let o = yRow * 4;
    for (let col = 0; col < width; col += 2) {
      // (The sizes were checked above: the `??` never applies.)
      const u = (i420[uPlane + cRow + (col >> 1)] ?? uOffset) - uOffset;
      const v = (i420[vPlane + cRow + (col >> 1)] ?? vOffset) - vOffset;
      const r = rU * u + rV * v;
      const g = gU * u + gV * v;
      const b = bU * u + bV * v;
      // The two pixels of the row that share this chroma sample (one at an odd width's end).
      const last = Math.min(col + 2, width);
      for (let x = col; x < last; x++) {
        const y = (i420[yRow + x] ?? yOffset) - yOffset;
        // A Uint8ClampedArray clamps to 0–255 and rounds.
        out[o] = rY * y + r;
        out[o + 1] = gY * y + g;
        out[o + 2] = bY * y + b;
        out[o + 3] = 255;
        o += 4;
      }
    }
  }
}
