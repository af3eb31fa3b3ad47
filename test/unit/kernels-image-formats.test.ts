// BMP, PNM and TIFF decoding (src/runtime/kernels/image-bmp.ts, image-pnm.ts, image-tiff.ts) through the shared codec:
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

/** A little-endian uncompressed TIFF: one strip of 8-bit RGB (3 samples) or grayscale; `tags` override entries. */
function tiff(w: number, h: number, samples: number[], spp: 1 | 3, tags: Record<number, number> = {}): Uint8Array {
  const entries: Array<[number, number, number]> = [[256, 4, w], [257, 4, h], [258, 3, 8], [259, 3, 1], [262, 3, spp === 3 ? 2 : 1], [273, 4, 0], [277, 3, spp], [278, 4, h], [279, 4, samples.length]];
  for (const [tag, val] of Object.entries(tags)) {
    const e = entries.find((x) => x[0] === Number(tag));
    if (e) e[2] = val;
  }
  const ifd = 8;
  const dataAt = ifd + 2 + 12 * entries.length + 4;
  const b = new Uint8Array(dataAt + samples.length);
  const v = new DataView(b.buffer);
  b.set([0x49, 0x49, 42, 0]);
  v.setUint32(4, ifd, true);
  v.setUint16(ifd, entries.length, true);
  entries.forEach(([tag, type, val], k) => {
    const e = ifd + 2 + 12 * k;
    v.setUint16(e, tag, true);
    v.setUint16(e + 2, type, true);
    v.setUint32(e + 4, 1, true);
    if (tag === 273) v.setUint32(e + 8, dataAt, true);
    else if (type === 3) v.setUint16(e + 8, val, true);
    else v.setUint32(e + 8, val, true);
  });
  b.set(samples, dataAt);
  return b;
}

describe('kernels: BMP, PNM and TIFF images', () => {
  it('uncompressed RGB and grayscale TIFF strips to their pixels; compressed or oversized ones refused in one line', () => {
    const rgb = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    assert.equal(imageFormat(tiff(2, 2, rgb, 3)), 'tiff');
    assert.deepEqual(rgbOf(decodeRgba(tiff(2, 2, rgb, 3))), rgb);
    assert.deepEqual(rgbOf(decodeRgba(tiff(2, 1, [0, 200], 1))), [0, 0, 0, 200, 200, 200]);
    assert.throws(() => decodeRgba(tiff(2, 2, rgb, 3, { 259: 5 })), (e: Error) => /compression 5/.test(e.message) && !e.message.includes('\n'));
    assert.throws(() => decodeRgba(tiff(2, 2, rgb, 3, { 256: 1 << 30, 257: 1 << 30 })), /too large/);
    assert.throws(() => decodeRgba(tiff(2, 2, rgb, 3).subarray(0, 100)), /truncated/);
  });

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
