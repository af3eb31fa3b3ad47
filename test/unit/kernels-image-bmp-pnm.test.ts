// BMP and PNM decoding (src/runtime/kernels/image-bmp.ts, image-pnm.ts) through the shared codec:
// tiny hand-made files to known pixels, and truncated or hostile headers refused with one line
// before anything is allocated.
import * as assert from 'node:assert/strict';
import { decodeRgba, imageFormat } from '../../src/runtime/kernels/image-codec';

/** A 24-bit BI_RGB BMP of `w`×`h` from RGB triples (row-major, top row first), bottom-up unless topDown. */
function bmp(w: number, h: number, rgb: number[], topDown = false): Uint8Array {
  const stride = Math.ceil((w * 3) / 4) * 4;
  const b = new Uint8Array(54 + stride * h);
  const v = new DataView(b.buffer);
  b[0] = 0x42; b[1] = 0x4d;
  v.setUint32(2, b.length, true);
  v.setUint32(10, 54, true);
  v.setUint32(14, 40, true);
  v.setInt32(18, w, true);
  v.setInt32(22, topDown ? -h : h, true);
  v.setUint16(26, 1, true);
  v.setUint16(28, 24, true);
  for (let y = 0; y < h; y++) {
    const row = 54 + (topDown ? y : h - 1 - y) * stride;
    for (let x = 0; x < w; x++) {
      const i = 3 * (y * w + x);
      b[row + 3 * x] = rgb[i + 2]; b[row + 3 * x + 1] = rgb[i + 1]; b[row + 3 * x + 2] = rgb[i];
    }
  }
  return b;
}

const ascii = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));

function rgbOf(img: { width: number; height: number; data: Uint8Array }): number[] {
  const out: number[] = [];
  for (let i = 0; i < img.width * img.height; i++) out.push(img.data[4 * i], img.data[4 * i + 1], img.data[4 * i + 2]);
  return out;
}

describe('kernels: BMP and PNM images', () => {
  const pixels = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90];

  it('a 3×2 24-bit BMP, bottom-up and top-down, to its pixels (rows padded to 4 bytes)', () => {
    for (const topDown of [false, true]) {
      const img = decodeRgba(bmp(3, 2, pixels, topDown));
      assert.equal(imageFormat(bmp(3, 2, pixels)), 'bmp');
      assert.deepEqual([img.width, img.height], [3, 2]);
      assert.deepEqual(rgbOf(img), pixels);
    }
  });

  it('P6 and P3 pixmaps and P5 / P2 graymaps with comments, maxval 255 and 15', () => {
    const p6 = new Uint8Array([...ascii('P6\n# a comment\n3 2\n255\n'), ...pixels]);
    assert.equal(imageFormat(p6), 'pnm');
    assert.deepEqual(rgbOf(decodeRgba(p6)), pixels);
    const p3 = ascii(`P3 3 2 255\n${pixels.join(' ')}\n`);
    assert.deepEqual(rgbOf(decodeRgba(p3)), pixels);
    const p5 = new Uint8Array([...ascii('P5 2 1 15\n'), 0, 15]);
    assert.deepEqual(rgbOf(decodeRgba(p5)), [0, 0, 0, 255, 255, 255]);
    const p2 = ascii('P2\n2 1\n15\n5 10\n');
    assert.deepEqual(rgbOf(decodeRgba(p2)), [85, 85, 85, 170, 170, 170]);
  });

  it('hostile or unsupported headers are one-line errors, before any allocation', () => {
    const huge = bmp(1, 1, [0, 0, 0]);
    new DataView(huge.buffer).setInt32(18, 1 << 30, true);
    const cases: Array<[Uint8Array, RegExp]> = [
      [huge, /too large/],
      [bmp(4, 4, new Array(48).fill(0)).subarray(0, 80), /truncated/],
      [(() => { const b = bmp(1, 1, [0, 0, 0]); new DataView(b.buffer).setUint32(30, 1, true); return b; })(), /compression 1/],
      [(() => { const b = bmp(1, 1, [0, 0, 0]); new DataView(b.buffer).setUint16(28, 8, true); return b; })(), /8 bits per pixel/],
      [ascii('P6 100000 100000 255\n'), /too large/],
      [new Uint8Array([...ascii('P6 4 4 255\n'), 1, 2, 3]), /truncated/],
      [ascii('P6 2 2 65535\n'), /maxval 65535/],
      [ascii('P3 1 1 255\n300 0 0\n'), /above maxval/],
      [ascii('P6 x 2 255\n'), /expected a number/],
    ];
    for (const [bytes, re] of cases) {
      assert.throws(() => decodeRgba(bytes), (e: Error) => re.test(e.message) && !e.message.includes('\n'), String(re));
    }
  });
});
