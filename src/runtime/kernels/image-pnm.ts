// Netpbm (PNM) decoding: P2/P5 graymaps and P3/P6 pixmaps with a maxval up to 255 (the Netpbm
// format pages: a magic number, whitespace-separated width, height and maxval, '#' comments, then
// samples, ASCII or one byte each). Samples are scaled to 0..255 as PIL does. Anything else — bitmaps
// (P1/P4), 16-bit maxvals, PAM — is refused with a one-line error.
import type { Rgba } from './image-codec';

/** True when the bytes start like a PNM image this module decodes (P2, P3, P5, P6). */
export function isPnm(b: Uint8Array): boolean {
  return b.length > 2 && b[0] === 0x50 && (b[1] === 0x32 || b[1] === 0x33 || b[1] === 0x35 || b[1] === 0x36) && isSpace(b[2]);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c;
}

/** Decodes PNM bytes; `maxPixels` bounds width × height before anything is allocated. */
export function decodePnm(b: Uint8Array, maxPixels: number): Rgba {
  const kind = b[1] - 0x30;
  let p = 2;
  const next = (): number => {
    for (;;) {
      while (p < b.length && isSpace(b[p])) p++;
      if (b[p] !== 0x23) break;
      while (p < b.length && b[p] !== 0x0a && b[p] !== 0x0d) p++;
    }
    const start = p;
    let v = 0;
    while (p < b.length && b[p] >= 0x30 && b[p] <= 0x39) v = v * 10 + (b[p++] - 0x30);
    if (p === start || p - start > 9) throw new Error('PNM header: expected a number');
    return v;
  };
  const width = next();
  const height = next();
  const maxval = next();
  if (width === 0 || height === 0) throw new Error('PNM image has no pixels');
  if (width * height > maxPixels) throw new Error(`PNM image of ${width}×${height} is too large`);
  if (maxval < 1 || maxval > 255) throw new Error(`PNM maxval ${maxval} is not supported (1..255 only)`);
  const channels = kind === 3 || kind === 6 ? 3 : 1;
  const n = width * height;
  const data = new Uint8Array(n * 4);
  // Sample → 0..255, rounded to nearest (a table, not arithmetic per sample).
  const scale = new Uint8Array(maxval + 1);
  for (let s = 0; s <= maxval; s++) scale[s] = Math.floor((s * 255 + (maxval >> 1)) / maxval);
  if (kind === 5 || kind === 6) {
    p++; // the single whitespace after maxval
    if (b.length - p < n * channels) throw new Error('PNM image is truncated');
  }
  for (let i = 0; i < n; i++) {
    let r: number, g: number, bl: number;
    if (kind === 5 || kind === 6) {
      r = b[p++];
      g = channels === 3 ? b[p++] : r;
      bl = channels === 3 ? b[p++] : r;
    } else {
      r = next();
      g = channels === 3 ? next() : r;
      bl = channels === 3 ? next() : r;
    }
    if (r > maxval || g > maxval || bl > maxval) throw new Error('PNM sample above maxval');
    data[4 * i] = scale[r];
    data[4 * i + 1] = scale[g];
    data[4 * i + 2] = scale[bl];
    data[4 * i + 3] = 255;
  }
  return { width, height, data };
}
