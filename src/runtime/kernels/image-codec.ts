// PNG (pngjs) and JPEG (jpeg-js) bytes to RGBA pixels, for image sample folders and ImageDecoder.
// Sizes are checked before decoding so a hostile header cannot make it allocate without bound.
import { PNG } from 'pngjs';
import * as jpeg from 'jpeg-js';

/** Largest image decoded, in pixels. */
export const MAX_IMAGE_PIXELS = 64 * 1024 * 1024;

/** Decoded pixels: RGBA bytes, row-major. */
export interface Rgba { width: number; height: number; data: Uint8Array }

/** The format of encoded image bytes, by their signature ('png', 'jpeg', or undefined). */
export function imageFormat(bytes: Uint8Array): 'png' | 'jpeg' | undefined {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'jpeg';
  return undefined;
}

/** Decodes PNG or JPEG bytes; throws a one-line Error for anything else or a corrupt image. */
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
  throw new Error('not a PNG or JPEG image');
}
