// PNG (pngjs), JPEG (jpeg-js), BMP, PNM and TIFF (image-bmp.ts, image-pnm.ts, image-tiff.ts) bytes to RGBA pixels, for
// image sample folders and ImageDecoder.
// Sizes are checked before decoding so a hostile header cannot make it allocate without bound.
import { PNG } from 'pngjs';
import * as jpeg from 'jpeg-js';
import { decodeBmp, isBmp } from './image-bmp';
import { decodePnm, isPnm } from './image-pnm';
import { decodeTiff, isTiff } from './image-tiff';

/** Largest image decoded, in pixels. */
export const MAX_IMAGE_PIXELS = 64 * 1024 * 1024;

/** Decoded pixels: RGBA bytes, row-major. */
export interface Rgba { width: number; height: number; data: Uint8Array }

/** The format of encoded image bytes, by their signature (undefined when not one decoded here). */
export function imageFormat(bytes: Uint8Array): 'png' | 'jpeg' | 'bmp' | 'pnm' | 'tiff' | undefined {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'jpeg';
  if (isBmp(bytes)) return 'bmp';
  if (isPnm(bytes)) return 'pnm';
  if (isTiff(bytes)) return 'tiff';
  return undefined;
}

/** Decodes PNG, JPEG, BMP, PNM or TIFF bytes; throws a one-line Error for anything else or a corrupt image. */
export function decodeRgba(bytes: Uint8Array): Rgba {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const format = imageFormat(bytes);
  if (format === 'png') {
    if (buf.length >= 24 && buf.readUInt32BE(16) * buf.readUInt32BE(20) > MAX_IMAGE_PIXELS) throw new Error('image too large');
    const png = PNG.sync.read(buf);
    return { width: png.width, height: png.height, data: png.data };
  }
  if (format === 'jpeg') {
    const j = jpeg.decode(buf, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6, maxMemoryUsageInMB: 1024 });
    return { width: j.width, height: j.height, data: j.data };
  }
  if (format === 'bmp') return decodeBmp(bytes, MAX_IMAGE_PIXELS);
  if (format === 'pnm') return decodePnm(bytes, MAX_IMAGE_PIXELS);
  if (format === 'tiff') return decodeTiff(bytes, MAX_IMAGE_PIXELS);
  throw new Error('not a PNG, JPEG, BMP, PNM or TIFF image');
}
