// The other side's picture drawn with WebGL: the Y, U and V planes uploaded as three
// one-channel (LUMINANCE) textures, and a fragment shader converting each pixel to RGB with
// the weights of `BT601`, given as uniforms, so that it draws the colours `i420ToRgba` makes.

import { BT601, i420Size } from './i420';
import type { PictureRenderer } from './videoRenderer';

/** Two triangles covering the viewport. */
const VERTEX_SHADER = `attribute vec2 a_corner;
void main() {
  gl_Position = vec4(a_corner, 0.0, 1.0);
}
`;

/**
 * Each pixel takes its Y sample and the U and V samples of its 2×2 block (the last column and
 * row of an odd size sharing the block before), as `i420ToRgba` does: the viewport is the
 * picture, the textures are sampled at texel centres without filtering, and the rows counted
 * from the top (the planes' first row is the picture's top one).
 */
const FRAGMENT_SHADER = `#ifdef GL_FRAGMENT_PRECISION_HIGH
precision highp float;
#else
precision mediump float;
#endif
uniform sampler2D u_y;
uniform sampler2D u_u;
uniform sampler2D u_v;
uniform vec2 u_size;
uniform mat3 u_yuvToRgb;
uniform vec3 u_offset;
void main() {
  vec2 pixel = vec2(floor(gl_FragCoord.x), u_size.y - 1.0 - floor(gl_FragCoord.y));
  vec2 chroma = (floor(pixel / 2.0) + 0.5) / ceil(u_size / 2.0);
  vec3 yuv = 255.0 * vec3(
    texture2D(u_y, (pixel + 0.5) / u_size).r,
    texture2D(u_u, chroma).r,
    texture2D(u_v, chroma).r);
  gl_FragColor = vec4(clamp(u_yuvToRgb * (yuv - u_offset) / 255.0, 0.0, 1.0), 1.0);
}
`;

/** `BT601.matrix` by columns, as `uniformMatrix3fv` takes a matrix. */
function columnMajor(matrix: typeof BT601.matrix): Float32Array {
  const [[rY, rU, rV], [gY, gU, gV], [bY, bU, bV]] = matrix;
  return new Float32Array([rY, gY, bY, rU, gU, bU, rV, gV, bV]);
}

function compile(gl: WebGLRenderingContext, type: GLenum, source: string): WebGLShader | null {
  const shader = gl.createShader(type);
  if (shader === null) return null;
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (gl.getShaderParameter(shader, gl.COMPILE_STATUS) === true) return shader;
  gl.deleteShader(shader);
  return null;
}

/** The shaders' program, or null when one does not compile or they do not link. */
function link(gl: WebGLRenderingContext): WebGLProgram | null {
  const vertex = compile(gl, gl.VERTEX_SHADER, VERTEX_SHADER);
  const fragment = compile(gl, gl.FRAGMENT_SHADER, FRAGMENT_SHADER);
  let program: WebGLProgram | null = null;
  if (vertex !== null && fragment !== null) {
    program = gl.createProgram();
    gl.attachShader(program, vertex);
    gl.attachShader(program, fragment);
    gl.linkProgram(program);
    if (gl.getProgramParameter(program, gl.LINK_STATUS) !== true) {
      gl.deleteProgram(program);
      program = null;
    }
  }
  // Once linked (or not), the program needs the shaders no more.
  if (vertex !== null) gl.deleteShader(vertex);
  if (fragment !== null) gl.deleteShader(fragment);
  return program;
}

/** A texture of one plane, bound to texture unit `unit` for good, sampled without filtering. */
function planeTexture(gl: WebGLRenderingContext, program: WebGLProgram, unit: number, sampler: string): WebGLTexture {
  const texture = gl.createTexture();
  gl.activeTexture(gl.TEXTURE0 + unit);
  gl.bindTexture(gl.TEXTURE_2D, texture);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
  gl.uniform1i(gl.getUniformLocation(program, sampler), unit);
  return texture;
}

/**
 * A renderer drawing with the canvas's WebGL context (its drawing buffer preserved, so that the
 * picture can be read back by drawing the canvas elsewhere). Null when the canvas has no WebGL
 * context or the shaders do not compile or link. `onLost` is called when the context is lost;
 * nothing is drawn after that.
 */
export function createWebGlRenderer(canvas: HTMLCanvasElement, onLost?: () => void): PictureRenderer | null {
  const gl = canvas.getContext('webgl', {
    preserveDrawingBuffer: true,
    alpha: false,
    antialias: false,
    depth: false,
    stencil: false,
  });
  if (gl === null || gl.isContextLost()) return null;
  const program = link(gl);
  if (program === null) return null;
  gl.useProgram(program);

  const corners = gl.createBuffer();
  gl.bindBuffer(gl.ARRAY_BUFFER, corners);
  gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 1, -1, -1, 1, 1, 1]), gl.STATIC_DRAW);
  const corner = gl.getAttribLocation(program, 'a_corner');
  gl.enableVertexAttribArray(corner);
  gl.vertexAttribPointer(corner, 2, gl.FLOAT, false, 0, 0);

  // The planes' rows are packed (a chroma row of an odd width is not a multiple of 4 bytes).
  gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
  const textures = [planeTexture(gl, program, 0, 'u_y'), planeTexture(gl, program, 1, 'u_u'), planeTexture(gl, program, 2, 'u_v')];
  gl.uniformMatrix3fv(gl.getUniformLocation(program, 'u_yuvToRgb'), false, columnMajor(BT601.matrix));
  gl.uniform3fv(gl.getUniformLocation(program, 'u_offset'), new Float32Array(BT601.offset));
  const size = gl.getUniformLocation(program, 'u_size');

  let lost = false;
  const loseContext = (): void => {
    lost = true;
    onLost?.();
  };
  canvas.addEventListener('webglcontextlost', loseContext);
  /** The size of the textures (0 × 0 before the first picture). */
  let width = 0;
  let height = 0;

  /** Uploads one plane to the texture of unit `unit`: a new texture when the size changed. */
  const upload = (unit: number, w: number, h: number, plane: Uint8Array, resized: boolean): void => {
    gl.activeTexture(gl.TEXTURE0 + unit);
    if (resized) gl.texImage2D(gl.TEXTURE_2D, 0, gl.LUMINANCE, w, h, 0, gl.LUMINANCE, gl.UNSIGNED_BYTE, plane);
    else gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, w, h, gl.LUMINANCE, gl.UNSIGNED_BYTE, plane);
  };

  return {
    kind: 'webgl',
    draw(picture) {
      if (lost || gl.isContextLost()) return false;
      const w = picture.width;
      const h = picture.height;
      if (!Number.isInteger(w) || !Number.isInteger(h) || w <= 0 || h <= 0) return false;
      if (picture.i420.length < i420Size(w, h)) return false;
      const resized = w !== width || h !== height;
      if (resized) {
        width = w;
        height = h;
        canvas.width = w;
        canvas.height = h;
        gl.viewport(0, 0, w, h);
        gl.uniform2f(size, w, h);
      }
      const chromaWidth = (w + 1) >> 1;
      const chromaHeight = (h + 1) >> 1;
      const luma = w * h;
      const chroma = chromaWidth * chromaHeight;
      upload(0, w, h, picture.i420.subarray(0, luma), resized);
      upload(1, chromaWidth, chromaHeight, picture.i420.subarray(luma, luma + chroma), resized);
      upload(2, chromaWidth, chromaHeight, picture.i420.subarray(luma + chroma, luma + 2 * chroma), resized);
      gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
      return true;
    },
    dispose() {
      canvas.removeEventListener('webglcontextlost', loseContext);
      if (lost || gl.isContextLost()) return;
      for (const texture of textures) gl.deleteTexture(texture);
      gl.deleteBuffer(corners);
      gl.deleteProgram(program);
      // Browsers keep a few WebGL contexts at most: this one goes now, not when collected.
      gl.getExtension('WEBGL_lose_context')?.loseContext();
      lost = true;
    },
  };
}
