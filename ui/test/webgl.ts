// jsdom has no WebGL: a stand-in context with the calls the video renderer makes, recording
// them (and which texture each upload went to), so that tests can see what would reach the GPU.

import { vi } from 'vitest';

export interface GlCall {
  name: string;
  args: unknown[];
}

/** A texImage2D (`image`) or texSubImage2D (`sub`) of one plane. */
export interface Upload {
  call: 'image' | 'sub';
  /** The texture bound to the active unit (1 for the first texture made). */
  texture: number;
  width: number;
  height: number;
  bytes: Uint8Array;
}

export interface FakeWebGl {
  gl: WebGLRenderingContext;
  calls: GlCall[];
  uploads: Upload[];
  /** The arguments of each call to `name`, oldest first. */
  argsOf(name: string): unknown[][];
  /** Loses the context, as a GPU reset would, and tells its canvas. */
  lose(): void;
}

/** A handle made by one of the `create…` methods. */
interface Handle {
  kind: string;
  id: number;
}

const CONSTANTS = {
  VERTEX_SHADER: 0x8b31,
  FRAGMENT_SHADER: 0x8b30,
  COMPILE_STATUS: 0x8b81,
  LINK_STATUS: 0x8b82,
  ARRAY_BUFFER: 0x8892,
  STATIC_DRAW: 0x88e4,
  FLOAT: 0x1406,
  TEXTURE_2D: 0x0de1,
  TEXTURE0: 0x84c0,
  TEXTURE_MIN_FILTER: 0x2801,
  TEXTURE_MAG_FILTER: 0x2800,
  TEXTURE_WRAP_S: 0x2802,
  TEXTURE_WRAP_T: 0x2803,
  NEAREST: 0x2600,
  CLAMP_TO_EDGE: 0x812f,
  LUMINANCE: 0x1909,
  UNSIGNED_BYTE: 0x1401,
  UNPACK_ALIGNMENT: 0x0cf5,
  TRIANGLE_STRIP: 0x0005,
} as const;

/**
 * A fake WebGL context for `canvas`. `compiles` false: no shader compiles; `links` false: the
 * program does not link.
 */
export function fakeWebGl(canvas: HTMLCanvasElement, options: { compiles?: boolean; links?: boolean } = {}): FakeWebGl {
  const calls: GlCall[] = [];
  const uploads: Upload[] = [];
  let lost = false;
  let made = 0;
  let unit = 0;
  const bound = new Map<number, Handle>();
  const handle = (kind: string): Handle => ({ kind, id: ++made });
  const textures: Handle[] = [];

  const upload = (call: Upload['call'], width: unknown, height: unknown, bytes: unknown): void => {
    if (typeof width !== 'number' || typeof height !== 'number' || !(bytes instanceof Uint8Array)) {
      throw new TypeError(`unexpected ${call} upload`);
    }
    const texture = bound.get(unit);
    uploads.push({ call, texture: texture === undefined ? 0 : textures.indexOf(texture) + 1, width, height, bytes: bytes.slice() });
  };

  const methods: Record<string, (...args: unknown[]) => unknown> = {
    isContextLost: () => lost,
    getExtension: () => null,
    createShader: () => handle('shader'),
    shaderSource: () => undefined,
    compileShader: () => undefined,
    getShaderParameter: () => options.compiles ?? true,
    deleteShader: () => undefined,
    createProgram: () => handle('program'),
    attachShader: () => undefined,
    linkProgram: () => undefined,
    getProgramParameter: () => options.links ?? true,
    useProgram: () => undefined,
    deleteProgram: () => undefined,
    createBuffer: () => handle('buffer'),
    bindBuffer: () => undefined,
    bufferData: () => undefined,
    deleteBuffer: () => undefined,
    getAttribLocation: () => 0,
    enableVertexAttribArray: () => undefined,
    vertexAttribPointer: () => undefined,
    getUniformLocation: (_program, name) => ({ kind: 'uniform', name }),
    uniform1i: () => undefined,
    uniform2f: () => undefined,
    uniform3fv: () => undefined,
    uniformMatrix3fv: () => undefined,
    pixelStorei: () => undefined,
    createTexture: () => {
      const texture = handle('texture');
      textures.push(texture);
      return texture;
    },
    activeTexture: (target) => {
      unit = Number(target) - CONSTANTS.TEXTURE0;
    },
    bindTexture: (_target, texture) => {
      bound.set(unit, texture as Handle);
    },
    texParameteri: () => undefined,
    texImage2D: (...args) => upload('image', args[3], args[4], args[8]),
    texSubImage2D: (...args) => upload('sub', args[4], args[5], args[8]),
    deleteTexture: () => undefined,
    viewport: () => undefined,
    drawArrays: () => undefined,
  };
  const gl: Record<string, unknown> = { ...CONSTANTS, canvas };
  for (const [name, method] of Object.entries(methods)) {
    gl[name] = (...args: unknown[]) => {
      calls.push({ name, args });
      return method(...args);
    };
  }
  return {
    gl: gl as unknown as WebGLRenderingContext,
    calls,
    uploads,
    argsOf: (name) => calls.filter((call) => call.name === name).map((call) => call.args),
    lose() {
      lost = true;
      canvas.dispatchEvent(new Event('webglcontextlost'));
    },
  };
}

/**
 * Gives canvases a fake WebGL context (until `vi.restoreAllMocks`), made by `make` (null: no
 * WebGL). As in browsers, a canvas that has one has no 2D context. Returns the contexts made.
 */
export function installWebGl(
  make: (canvas: HTMLCanvasElement) => FakeWebGl | null = (canvas) => fakeWebGl(canvas),
): Map<HTMLCanvasElement, FakeWebGl> {
  const made = new Map<HTMLCanvasElement, FakeWebGl>();
  const getContext = HTMLCanvasElement.prototype.getContext;
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(function (
    this: HTMLCanvasElement,
    kind: string,
  ) {
    const existing = made.get(this);
    if (kind === 'webgl') {
      if (existing !== undefined) return existing.gl;
      const fake = make(this);
      if (fake !== null) made.set(this, fake);
      return fake?.gl ?? null;
    }
    return existing === undefined ? getContext.call(this, kind) : null;
  } as typeof getContext);
  return made;
}
