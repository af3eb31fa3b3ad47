// BMP decoding of the uncompressed variants: BITMAPINFOHEADER (or later) with 24 or 32 bits per
// pixel and BI_RGB (Microsoft's BMP file format: a 14-byte file header, the info header, then rows
// of B, G, R(, X) bytes padded to 4 bytes, bottom-up unless the height is negative). Palettes,
// RLE and bitfield compression are refused with a one-line error.
import type { Rgba } from './image-codec';

/** True when the bytes start with the BMP signature. */
export function isBmp(b: Uint8Array): boolean {
  return b.length > 2 && b[0] === 0x42 && b[1] === 0x4d;
}

/** Decodes BMP bytes; `maxPixels` bounds width × height before anything is allocated. */
export function decodeBmp(b: Uint8Array, maxPixels: number): Rgba {
  if (b.length < 54) throw new Error('BMP file is truncated');
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const offset = v.getUint32(10, true);
  const headerSize = v.getUint32(14, true);
  if (headerSize < 40) throw new Error(`BMP info header of ${headerSize} bytes is not supported (BITMAPINFOHEADER or later only)`);
  const width = v.getInt32(18, true);
  const rawHeight = v.getInt32(22, true);
  const bpp = v.getUint16(28, true);
  const compression = v.getUint32(30, true);
  if (compression !== 0) throw new Error(`BMP compression ${compression} is not supported (uncompressed only)`);
  if (bpp !== 24 && bpp !== 32) throw new Error(`BMP with ${bpp} bits per pixel is not supported (24 or 32 only)`);
  const height = Math.abs(rawHeight);
  if (width <= 0 || height === 0) throw new Error('BMP image has no pixels');
  if (width * height > maxPixels) throw new Error(`BMP image of ${width}×${height} is too large`);
  const bytesPer = bpp / 8;
  const stride = Math.ceil((width * bytesPer) / 4) * 4;
  if (offset + stride * (height - 1) + width * bytesPer > b.length) throw new Error('BMP pixel data is truncated');
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const row = offset + (rawHeight > 0 ? height - 1 - y : y) * stride;
    for (let x = 0; x < width; x++) {
      const s = row + x * bytesPer;
      const d = 4 * (y * width + x);
      data[d] = b[s + 2];
      data[d + 1] = b[s + 1];
      data[d + 2] = b[s];
      data[d + 3] = 255;
    }
  }
  return { width, height, data };
}
