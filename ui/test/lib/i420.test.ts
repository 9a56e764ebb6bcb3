// The pictures of a call's video: the message format of `watch_call_video` and the I420 →
// RGBA conversion (BT.601, limited range) the canvas draws.

import { describe, expect, it } from 'vitest';
import { PICTURE_HEADER_BYTES, i420Size, i420ToRgba, parsePicture } from '../../src/lib/i420';

/** An I420 picture of one colour. */
function plain(width: number, height: number, y: number, u: number, v: number): Uint8Array {
  const chroma = Math.ceil(width / 2) * Math.ceil(height / 2);
  const bytes = new Uint8Array(width * height + 2 * chroma);
  bytes.fill(y, 0, width * height);
  bytes.fill(u, width * height, width * height + chroma);
  bytes.fill(v, width * height + chroma);
  return bytes;
}

function rgba(width: number, height: number, i420: Uint8Array): number[][] {
  const out = new Uint8ClampedArray(width * height * 4);
  i420ToRgba(width, height, i420, out);
  const pixels: number[][] = [];
  for (let i = 0; i < out.length; i += 4) pixels.push([...out.subarray(i, i + 4)]);
  return pixels;
}

/** A message as the host sends it: width and height (LE uint16), then the planes. */
function message(width: number, height: number, planes: Uint8Array): ArrayBuffer {
  const bytes = new Uint8Array(PICTURE_HEADER_BYTES + planes.length);
  new DataView(bytes.buffer).setUint16(0, width, true);
  new DataView(bytes.buffer).setUint16(2, height, true);
  bytes.set(planes, PICTURE_HEADER_BYTES);
  return bytes.buffer;
}

describe('i420ToRgba', () => {
  it('makes video black (Y 16) black and video white (Y 235) white, opaque', () => {
    expect(rgba(2, 2, plain(2, 2, 16, 128, 128))).toEqual(Array(4).fill([0, 0, 0, 255]));
    expect(rgba(2, 2, plain(2, 2, 235, 128, 128))).toEqual(Array(4).fill([255, 255, 255, 255]));
  });

  it('turns known colours into their RGB (rounded)', () => {
    // Mid grey: 1.164 × 110 = 128.04.
    expect(rgba(2, 2, plain(2, 2, 126, 128, 128))[0]).toEqual([128, 128, 128, 255]);
    // BT.601 red (Y 81, U 90, V 240): R = 75.66 + 178.75, G and B just under 0.
    expect(rgba(2, 2, plain(2, 2, 81, 90, 240))[0]).toEqual([254, 0, 0, 255]);
    // Y 100, U 150, V 110: R 97.78 − 28.73, G 97.78 − 8.62 + 14.63, B 97.78 + 44.37.
    expect(rgba(2, 2, plain(2, 2, 100, 150, 110))[0]).toEqual([69, 104, 142, 255]);
  });

  it('clamps to 0–255', () => {
    // G: 278.20 − 49.78 − 103.25 and −18.62 + 50.18 + 104.06.
    expect(rgba(2, 2, plain(2, 2, 255, 255, 255))[0]).toEqual([255, 125, 255, 255]);
    expect(rgba(2, 2, plain(2, 2, 0, 0, 0))[0]).toEqual([0, 136, 0, 255]);
  });

  it('gives each 2×2 block of pixels its own chroma sample', () => {
    // 4×2: the left block grey, the right block red.
    const bytes = new Uint8Array(i420Size(4, 2));
    bytes.set([126, 126, 81, 81, 126, 126, 81, 81]);
    bytes.set([128, 90], 8);
    bytes.set([128, 240], 10);
    const grey = [128, 128, 128, 255];
    const red = [254, 0, 0, 255];
    expect(rgba(4, 2, bytes)).toEqual([grey, grey, red, red, grey, grey, red, red]);
  });

  it('takes odd sizes, the last column and row sharing the chroma of the block before', () => {
    expect(i420Size(3, 3)).toBe(9 + 2 * 4);
    expect(rgba(3, 3, plain(3, 3, 235, 128, 128))).toEqual(Array(9).fill([255, 255, 255, 255]));
  });

  it('refuses planes too short for the size, an output of another size, and no size', () => {
    const out = new Uint8ClampedArray(4 * 4 * 4);
    expect(() => i420ToRgba(4, 4, new Uint8Array(23), out)).toThrow(RangeError);
    expect(() => i420ToRgba(4, 4, new Uint8Array(24), new Uint8ClampedArray(60))).toThrow(RangeError);
    expect(() => i420ToRgba(0, 4, new Uint8Array(24), new Uint8ClampedArray(0))).toThrow(RangeError);
    expect(() => i420ToRgba(4, 4, new Uint8Array(24), out)).not.toThrow();
  });
});

describe('parsePicture', () => {
  it('reads the little-endian size and the planes after it', () => {
    const planes = plain(640, 360, 16, 128, 128);
    const picture = parsePicture(message(640, 360, planes));
    expect(picture?.width).toBe(640);
    expect(picture?.height).toBe(360);
    expect(picture?.i420.length).toBe(640 * 360 * 1.5);
    expect(picture?.i420[0]).toBe(16);
  });

  it('takes a view into a larger buffer, or a plain array of bytes', () => {
    const buffer = new Uint8Array(message(2, 2, plain(2, 2, 235, 128, 128)));
    const padded = new Uint8Array(buffer.length + 3);
    padded.set(buffer, 3);
    expect(parsePicture(padded.subarray(3))?.i420).toEqual(plain(2, 2, 235, 128, 128));
    expect(parsePicture([...buffer])?.width).toBe(2);
  });

  it('drops messages that are not a whole picture', () => {
    expect(parsePicture(new ArrayBuffer(3))).toBeNull();
    expect(parsePicture(message(4, 4, new Uint8Array(23)))).toBeNull();
    expect(parsePicture(message(0, 4, new Uint8Array(24)))).toBeNull();
    expect(parsePicture('not bytes')).toBeNull();
    expect(parsePicture(null)).toBeNull();
  });
});
