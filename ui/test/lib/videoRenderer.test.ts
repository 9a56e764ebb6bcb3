// Drawing the other side's pictures: WebGL where the canvas has it (on a fake context that
// records the calls: shaders, textures, uploads, draws), 2D otherwise, and the shader's
// conversion being `i420ToRgba`'s.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { BT601, i420Size, i420ToRgba } from '../../src/lib/i420';
import { create2dRenderer, createRenderer } from '../../src/lib/videoRenderer';
import { createWebGlRenderer } from '../../src/lib/webglRenderer';
import type { VideoPicture } from '../../src/platform/types';
import { drawn } from '../canvas';
import { fakeWebGl, installWebGl, type FakeWebGl } from '../webgl';

afterEach(() => {
  vi.restoreAllMocks();
});

/** A picture of one colour. */
function picture(width: number, height: number, y: number, u: number, v: number): VideoPicture {
  const i420 = new Uint8Array(i420Size(width, height));
  const chroma = ((width + 1) >> 1) * ((height + 1) >> 1);
  i420.fill(y, 0, width * height);
  i420.fill(u, width * height, width * height + chroma);
  i420.fill(v, width * height + chroma);
  return { width, height, i420 };
}

/** A canvas with a fake WebGL context, and the WebGL renderer on it. */
function webGlCanvas(options: { compiles?: boolean; links?: boolean } = {}) {
  const contexts = installWebGl((canvas) => fakeWebGl(canvas, options));
  const canvas = document.createElement('canvas');
  const renderer = createWebGlRenderer(canvas);
  return { canvas, renderer, fake: contexts.get(canvas) as FakeWebGl };
}

describe('the WebGL renderer', () => {
  it('asks for a context that keeps its picture, compiles both shaders and links them', () => {
    const getContext = vi.spyOn(HTMLCanvasElement.prototype, 'getContext');
    const { renderer, fake } = webGlCanvas();
    expect(renderer?.kind).toBe('webgl');
    expect(getContext.mock.calls[0]?.[0]).toBe('webgl');
    expect(getContext.mock.calls[0]?.[1]).toMatchObject({ preserveDrawingBuffer: true });
    const { gl } = fake;
    expect(fake.argsOf('createShader')).toEqual([[gl.VERTEX_SHADER], [gl.FRAGMENT_SHADER]]);
    expect(fake.argsOf('compileShader')).toHaveLength(2);
    expect(fake.argsOf('attachShader')).toHaveLength(2);
    expect(fake.argsOf('linkProgram')).toHaveLength(1);
    expect(fake.argsOf('useProgram')).toHaveLength(1);
    expect(fake.argsOf('pixelStorei')).toEqual([[gl.UNPACK_ALIGNMENT, 1]]);
  });

  it('makes three textures, one per plane, each on its own unit', () => {
    const { fake } = webGlCanvas();
    const { gl } = fake;
    expect(fake.argsOf('createTexture')).toHaveLength(3);
    expect(fake.argsOf('uniform1i').map(([location, unit]) => [(location as { name: string }).name, unit])).toEqual([
      ['u_y', 0],
      ['u_u', 1],
      ['u_v', 2],
    ]);
    expect(fake.argsOf('texParameteri')).toContainEqual([gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST]);
    expect(fake.argsOf('texParameteri')).toContainEqual([gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE]);
  });

  it('allocates the textures at the first picture’s size, then only replaces their contents', () => {
    const { canvas, renderer, fake } = webGlCanvas();
    const { gl } = fake;
    expect(renderer?.draw(picture(160, 90, 16, 128, 128))).toBe(true);
    expect(fake.uploads.map(({ call, texture, width, height }) => [call, texture, width, height])).toEqual([
      ['image', 1, 160, 90],
      ['image', 2, 80, 45],
      ['image', 3, 80, 45],
    ]);
    expect(fake.argsOf('texImage2D')[0]?.slice(0, 8)).toEqual([gl.TEXTURE_2D, 0, gl.LUMINANCE, 160, 90, 0, gl.LUMINANCE, gl.UNSIGNED_BYTE]);
    expect([canvas.width, canvas.height]).toEqual([160, 90]);
    expect(fake.argsOf('viewport')).toEqual([[0, 0, 160, 90]]);
    expect(fake.argsOf('drawArrays')).toEqual([[gl.TRIANGLE_STRIP, 0, 4]]);

    fake.uploads.length = 0;
    expect(renderer?.draw(picture(160, 90, 235, 90, 240))).toBe(true);
    expect(fake.uploads.map(({ call, texture, width, height }) => [call, texture, width, height])).toEqual([
      ['sub', 1, 160, 90],
      ['sub', 2, 80, 45],
      ['sub', 3, 80, 45],
    ]);
    // Each plane's own bytes.
    expect(fake.uploads.map(({ bytes }) => [bytes.length, bytes[0]])).toEqual([
      [160 * 90, 235],
      [80 * 45, 90],
      [80 * 45, 240],
    ]);
    expect(fake.argsOf('viewport')).toHaveLength(1);
    expect(fake.argsOf('drawArrays')).toHaveLength(2);
  });

  it('allocates new textures when the size changes, odd sizes rounding the chroma planes up', () => {
    const { canvas, renderer, fake } = webGlCanvas();
    renderer?.draw(picture(4, 2, 16, 128, 128));
    fake.uploads.length = 0;
    expect(renderer?.draw(picture(5, 3, 16, 128, 128))).toBe(true);
    expect(fake.uploads.map(({ call, width, height, bytes }) => [call, width, height, bytes.length])).toEqual([
      ['image', 5, 3, 15],
      ['image', 3, 2, 6],
      ['image', 3, 2, 6],
    ]);
    expect([canvas.width, canvas.height]).toEqual([5, 3]);
    expect(fake.argsOf('viewport').at(-1)).toEqual([0, 0, 5, 3]);
    expect(fake.argsOf('uniform2f').at(-1)?.slice(1)).toEqual([5, 3]);
    expect(fake.argsOf('drawArrays')).toHaveLength(2);
  });

  it('does not draw planes shorter than the picture', () => {
    const { renderer, fake } = webGlCanvas();
    expect(renderer?.draw({ width: 4, height: 4, i420: new Uint8Array(23) })).toBe(false);
    expect(fake.uploads).toEqual([]);
    expect(fake.argsOf('drawArrays')).toEqual([]);
  });

  it('is null when a shader does not compile or the program does not link', () => {
    const failed = webGlCanvas({ compiles: false });
    expect(failed.renderer).toBeNull();
    expect(failed.fake.argsOf('createProgram')).toEqual([]);
    expect(failed.fake.argsOf('deleteShader')).toHaveLength(2);
    vi.restoreAllMocks();
    const unlinked = webGlCanvas({ links: false });
    expect(unlinked.renderer).toBeNull();
    expect(unlinked.fake.argsOf('deleteProgram')).toHaveLength(1);
  });

  it('is null without WebGL', () => {
    installWebGl(() => null);
    expect(createWebGlRenderer(document.createElement('canvas'))).toBeNull();
  });

  it('draws nothing more once the context is lost, and says so', () => {
    const contexts = installWebGl();
    const canvas = document.createElement('canvas');
    const onLost = vi.fn();
    const renderer = createWebGlRenderer(canvas, onLost);
    const fake = contexts.get(canvas) as FakeWebGl;
    fake.lose();
    expect(onLost).toHaveBeenCalledTimes(1);
    expect(renderer?.draw(picture(4, 2, 16, 128, 128))).toBe(false);
    expect(fake.argsOf('drawArrays')).toEqual([]);
    renderer?.dispose();
    expect(fake.argsOf('deleteTexture')).toEqual([]);
  });

  it('lets go of its textures, buffer and program, and stops listening, when disposed', () => {
    const { canvas, renderer, fake } = webGlCanvas();
    const removed = vi.spyOn(canvas, 'removeEventListener');
    renderer?.dispose();
    expect(fake.argsOf('deleteTexture')).toHaveLength(3);
    expect(fake.argsOf('deleteBuffer')).toHaveLength(1);
    expect(fake.argsOf('deleteProgram')).toHaveLength(1);
    expect(removed.mock.calls.map(([type]) => type)).toEqual(['webglcontextlost']);
    expect(renderer?.draw(picture(4, 2, 16, 128, 128))).toBe(false);
  });
});

describe('the shader’s conversion', () => {
  /** What the fragment shader makes of one Y, U, V with the uniforms it was given, in bytes. */
  function shade(fake: FakeWebGl, yuv: [number, number, number]): number[] {
    const uniform = (name: string): number[] => {
      const args = fake.argsOf(name)[0] ?? [];
      return [...(args.at(-1) as Float32Array)];
    };
    const matrix = uniform('uniformMatrix3fv');
    const offset = uniform('uniform3fv');
    const centred = yuv.map((value, i) => value - (offset[i] ?? 0));
    // GLSL's mat3 × vec3, the matrix given by columns; then clamped and stored as bytes.
    return [0, 1, 2].map((row) => {
      const sum = [0, 1, 2].reduce((total, column) => total + (matrix[column * 3 + row] ?? 0) * (centred[column] ?? 0), 0);
      return Math.round(Math.min(255, Math.max(0, sum)));
    });
  }

  it('is given BT601 as uniforms, by columns, with no weights of its own', () => {
    const { fake } = webGlCanvas();
    const [[rY, rU, rV], [gY, gU, gV], [bY, bU, bV]] = BT601.matrix;
    const [location, transpose, columns] = fake.argsOf('uniformMatrix3fv')[0] ?? [];
    expect((location as { name: string }).name).toBe('u_yuvToRgb');
    expect(transpose).toBe(false);
    expect([...(columns as Float32Array)]).toEqual([...new Float32Array([rY, gY, bY, rU, gU, bU, rV, gV, bV])]);
    expect([...(fake.argsOf('uniform3fv')[0]?.[1] as Float32Array)]).toEqual([...BT601.offset]);
    const fragment = String(fake.argsOf('shaderSource')[1]?.[1]);
    expect(fragment).toContain('u_yuvToRgb * (yuv - u_offset)');
    for (const weight of BT601.matrix.flat().filter((w) => w !== 0)) expect(fragment).not.toContain(String(Math.abs(weight)));
  });

  it('makes the colours i420ToRgba makes', () => {
    const { fake } = webGlCanvas();
    const colours: [number, number, number][] = [
      [16, 128, 128],
      [235, 128, 128],
      [126, 128, 128],
      [81, 90, 240],
      [100, 150, 110],
      [255, 255, 255],
      [0, 0, 0],
      [41, 240, 110],
      [145, 54, 34],
    ];
    for (const [y, u, v] of colours) {
      const out = new Uint8ClampedArray(4);
      i420ToRgba(1, 1, picture(1, 1, y, u, v).i420, out);
      expect(shade(fake, [y, u, v]), `Y ${y}, U ${u}, V ${v}`).toEqual([...out.subarray(0, 3)]);
    }
  });
});

describe('createRenderer', () => {
  it('draws with WebGL where the canvas has it', () => {
    installWebGl();
    const renderer = createRenderer(document.createElement('canvas'));
    expect(renderer?.kind).toBe('webgl');
  });

  it('falls back to 2D without WebGL', () => {
    installWebGl(() => null);
    const canvas = document.createElement('canvas');
    const renderer = createRenderer(canvas);
    expect(renderer?.kind).toBe('2d');
    expect(renderer?.draw(picture(2, 2, 235, 128, 128))).toBe(true);
    expect(drawn(canvas).map(({ width, height, data }) => [width, height, ...data.subarray(0, 4)])).toEqual([[2, 2, 255, 255, 255, 255]]);
  });

  it('is null when the shaders fail, the canvas having no 2D context then', () => {
    installWebGl((canvas) => fakeWebGl(canvas, { compiles: false }));
    expect(createRenderer(document.createElement('canvas'))).toBeNull();
  });
});

describe('the 2D renderer', () => {
  it('does not draw planes shorter than the picture', () => {
    const canvas = document.createElement('canvas');
    const renderer = create2dRenderer(canvas);
    expect(renderer?.draw({ width: 4, height: 4, i420: new Uint8Array(23) })).toBe(false);
    expect(drawn(canvas)).toEqual([]);
  });

  it('is null where the canvas has no 2D context', () => {
    installWebGl();
    const canvas = document.createElement('canvas');
    canvas.getContext('webgl');
    expect(create2dRenderer(canvas)).toBeNull();
  });
});
