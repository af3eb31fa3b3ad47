// ImageDecoder (opset 20): decodes an encoded PNG (pngjs), uncompressed BMP or TIFF, or PNM image (a 1-D
// uint8 tensor) into [H, W, 3] RGB or BGR or [H, W, 1] grayscale uint8. JPEG is refused: jpeg-js's
// IDCT and upsampling differ from libjpeg's (the reference's) by ±1 on most values, and a near-miss
// is a wrong result. Formats without an exact decoder here (JPEG 2000, WebP, compressed TIFF) are refused too.
import { DataType } from '../../../onnx/ir';
import { unsupported } from '../../errors';
import { decodeRgba, imageFormat } from '../../kernels/image-codec';
import { OpDef } from '../../op';
import { stringAttr } from '../nn/attrs';
import { need, nodeError } from './common';

type PixelFormat = 'RGB' | 'BGR' | 'Grayscale';

/** ImageDecoder (opset 20): PNG, BMP, PNM, TIFF. */
export const imageDecoder: OpDef<PixelFormat> = {
  domain: '', opType: 'ImageDecoder', since: 20, lowPrecision: 'native',
  parse(ctx) {
    const f = stringAttr(ctx.node, 'pixel_format', 'RGB');
    if (f !== 'RGB' && f !== 'BGR' && f !== 'Grayscale') throw nodeError(ctx.node, `pixel_format "${f}" is not RGB, BGR or Grayscale`);
    return f;
  },
  run(inputs, format, ctx) {
    const x = need(ctx.node, inputs, 0, 'encoded_stream');
    if (x.dtype !== DataType.UINT8 || x.shape.length !== 1) throw nodeError(ctx.node, 'encoded_stream must be a 1-D uint8 tensor');
    const bytes = x.data as Uint8Array;
    const kind = imageFormat(bytes);
    if (kind === 'jpeg') throw unsupported(nodeError(ctx.node, 'JPEG is not decoded: the pure-JS decoder differs from libjpeg by ±1 per value; PNG, BMP, PNM and TIFF are decoded exactly'));
    if (!kind) throw unsupported(nodeError(ctx.node, 'only PNG, uncompressed BMP and TIFF, and PNM images can be decoded (no exact decoder for this format here)'));
    let img;
    try {
      img = decodeRgba(bytes);
    } catch (e) {
      throw nodeError(ctx.node, `cannot decode the image (${String((e as Error).message ?? e).split('\n')[0]})`);
    }
    const n = img.width * img.height;
    const ch = format === 'Grayscale' ? 1 : 3;
    const shape = [img.height, img.width, ch];
    const out = ctx.alloc(DataType.UINT8, shape) as Uint8Array;
    const src = img.data;
    for (let i = 0; i < n; i++) {
      const r = src[4 * i];
      const g = src[4 * i + 1];
      const b = src[4 * i + 2];
      if (format === 'RGB') { out[3 * i] = r; out[3 * i + 1] = g; out[3 * i + 2] = b; }
      else if (format === 'BGR') { out[3 * i] = b; out[3 * i + 1] = g; out[3 * i + 2] = r; }
      // ITU-R 601-2 luma with the fixed-point rounding of PIL's convert('L').
      else out[i] = (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
    }
    return [{ dtype: DataType.UINT8, shape, data: out }];
  },
};
