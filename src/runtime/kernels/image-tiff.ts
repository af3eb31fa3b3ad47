// Baseline TIFF decoding of the uncompressed variants (TIFF 6.0, part 1): one image (the first
// IFD), compression 1, 8 bits per sample, RGB (photometric 2, 3 or 4 samples, chunky) or
// grayscale (photometric 0 or 1), stored in strips. LZW, deflate, JPEG, tiles, palettes and
// planar layouts are refused with a one-line error.
import type { Rgba } from './image-codec';

/** True when the bytes start with a little- or big-endian TIFF header. */
export function isTiff(b: Uint8Array): boolean {
  return b.length > 8 && ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 42 && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 42));
}

/** Decodes TIFF bytes; `maxPixels` bounds width × height before anything is allocated. */
export function decodeTiff(b: Uint8Array, maxPixels: number): Rgba {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const le = b[0] === 0x49;
  const u16 = (o: number): number => v.getUint16(o, le);
  const u32 = (o: number): number => v.getUint32(o, le);
  const ifd = u32(4);
  if (ifd + 2 > b.length) throw new Error('TIFF directory is outside the file');
  const count = u16(ifd);
  if (ifd + 2 + 12 * count > b.length) throw new Error('TIFF directory is truncated');
  // Tag values: the first value inline, or (for arrays) the offset of the values.
  const tags = new Map<number, { type: number; n: number; at: number }>();
  for (let k = 0; k < count; k++) {
    const e = ifd + 2 + 12 * k;
    const type = u16(e + 2);
    const n = u32(e + 4);
    const size = (type === 3 ? 2 : type === 4 ? 4 : 1) * n;
    tags.set(u16(e), { type, n, at: size <= 4 ? e + 8 : u32(e + 8) });
  }
  const value = (tag: number, i = 0, dflt?: number): number => {
    const t = tags.get(tag);
    if (!t || i >= t.n) {
      if (dflt === undefined) throw new Error(`TIFF tag ${tag} is missing`);
      return dflt;
    }
    const o = t.at + i * (t.type === 3 ? 2 : 4);
    if (o + (t.type === 3 ? 2 : 4) > b.length) throw new Error(`TIFF tag ${tag} points outside the file`);
    return t.type === 3 ? u16(o) : u32(o);
  };
  const width = value(256);
  const height = value(257);
  if (width === 0 || height === 0) throw new Error('TIFF image has no pixels');
  if (width * height > maxPixels) throw new Error(`TIFF image of ${width}×${height} is too large`);
  const compression = value(259, 0, 1);
  if (compression !== 1) throw new Error(`TIFF compression ${compression} is not supported (uncompressed only)`);
  const photometric = value(262);
  const spp = value(277, 0, 1);
  const rgb = photometric === 2;
  if (!(rgb && (spp === 3 || spp === 4)) && !((photometric === 0 || photometric === 1) && spp === 1)) {
    throw new Error(`TIFF photometric ${photometric} with ${spp} samples per pixel is not supported (RGB or grayscale only)`);
  }
  // BitsPerSample has one value per sample; writers that give one value mean it for all.
  const bpsCount = tags.get(258)?.n ?? 0;
  for (let s = 0; s < spp; s++) if (value(258, s < bpsCount ? s : 0, 1) !== 8) throw new Error('TIFF samples are not 8-bit');
  if (value(284, 0, 1) !== 1) throw new Error('planar TIFF is not supported (chunky only)');
  if (tags.has(322)) throw new Error('tiled TIFF is not supported (strips only)');
  const rowsPerStrip = Math.min(value(278, 0, height), height);
  const strips = tags.get(273);
  if (!strips) throw new Error('TIFF has no strip offsets');
  const rowBytes = width * spp;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const strip = Math.floor(y / rowsPerStrip);
    const src = value(273, strip) + (y - strip * rowsPerStrip) * rowBytes;
    if (src + rowBytes > b.length) throw new Error('TIFF pixel data is truncated');
    for (let x = 0; x < width; x++) {
      const s = src + x * spp;
      const d = 4 * (y * width + x);
      if (rgb) {
        data[d] = b[s]; data[d + 1] = b[s + 1]; data[d + 2] = b[s + 2];
      } else {
        const g = photometric === 0 ? 255 - b[s] : b[s];
        data[d] = g; data[d + 1] = g; data[d + 2] = g;
      }
      data[d + 3] = 255;
    }
  }
  return { width, height, data };
}
