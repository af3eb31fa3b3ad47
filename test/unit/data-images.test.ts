// Image folders as samples: decoding (PNG, JPEG), antialiased bilinear resizing, RGB or grey,
// [0,1] scaling and mean/std normalization, NCHW / NHWC / NHW layouts, skipped corrupt files and
// the one-line errors (no images, symbolic size, wrong channel count). Fixtures: scripts/fixtures/make-data-images.mjs.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { DataType, Dim, Model } from '../../src/onnx/ir';
import { openSampleSource, SampleBatch, SampleOptions } from '../../src/data/source';
import { resizeToPlanes } from '../../src/data/images';
import { ModelBuilder } from '../helpers/model-builder';

const dir = path.join(__dirname, '..', 'fixtures', 'data', 'images');

function imageModel(shape: Dim[], dtype = DataType.FLOAT): Model {
  const b = new ModelBuilder();
  b.input('image', dtype, shape);
  return b.build();
}

async function batches(model: Model, opts: SampleOptions): Promise<SampleBatch[]> {
  const out: SampleBatch[] = [];
  for await (const b of openSampleSource(model, opts).batches()) out.push(b);
  return out;
}

const close = (a: number, b: number, tol: number, what: string): void => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

describe('data: image folders', () => {
  it('decodes PNG and JPEG, resizes to H×W, scales to [0,1], NCHW', async () => {
    const src = openSampleSource(imageModel(['N', 3, 8, 8]), { data: path.join(dir, 'rgb') });
    assert.equal(src.description.kind, 'images');
    assert.equal(src.description.count, 3);
    assert.match(src.description.note, /3 of 3 images in rgb, resized to 8×8 RGB \(NCHW\)/);
    const got: SampleBatch[] = [];
    for await (const b of src.batches()) got.push(b);
    assert.equal(got.length, 1);
    const t = got[0].feeds.image;
    assert.deepEqual(t.shape, [3, 3, 8, 8]);
    const x = t.data as Float32Array;
    const at = (n: number, c: number, y: number, w: number): number => x[((n * 3 + c) * 8 + y) * 8 + w];
    // a-red.png: solid (255, 0, 128) stays solid through a 20→8 resize.
    for (let p = 0; p < 64; p++) {
      close(x[p], 1, 1e-6, 'red R');
      close(x[64 + p], 0, 1e-6, 'red G');
      close(x[128 + p], 128 / 255, 1e-6, 'red B');
    }
    // b-green.jpg: (0, 255, 0) within JPEG error.
    close(at(1, 0, 4, 4), 0, 4 / 255, 'green R');
    close(at(1, 1, 4, 4), 1, 4 / 255, 'green G');
    // c-ramp.png: red = 16x + 8 on 16 columns → 8 columns; away from the edges the triangle
    // filter of a linear ramp gives the ramp at the output pixel's centre: 32o + 16.
    for (let o = 1; o < 7; o++) close(at(2, 0, 3, o), (32 * o + 16) / 255, 1e-5, `ramp column ${o}`);
    for (let o = 1; o < 8; o++) assert.ok(at(2, 0, 0, o) > at(2, 0, 0, o - 1), 'ramp stays increasing');
    const box = src.inputBox().image;
    assert.deepEqual(box.shape, [1, 3, 8, 8]);
    close((box.hi as Float32Array)[0], 1, 1e-6, 'box hi');
  });

  it('normalizes by mean/std per channel and lays out NHWC', async () => {
    const got = await batches(imageModel(['N', 8, 8, 3]), { data: path.join(dir, 'rgb'), imageMean: [0.5, 0.5, 0.5], imageStd: [0.5], samples: 1 });
    const t = got[0].feeds.image;
    assert.deepEqual(t.shape, [1, 8, 8, 3]);
    const x = t.data as Float32Array;
    const p = (3 * 8 + 5) * 3;
    close(x[p], 1, 1e-5, 'R');
    close(x[p + 1], -1, 1e-5, 'G');
    close(x[p + 2], (128 / 255 - 0.5) / 0.5, 1e-5, 'B');
  });

  it('gives grey (ITU-R 601 luma) for one-channel and [N,H,W] inputs, raw 0–255 for uint8 inputs', async () => {
    const grey = await batches(imageModel(['N', 1, 4, 4]), { data: path.join(dir, 'rgb'), samples: 1 });
    close((grey[0].feeds.image.data as Float32Array)[5], 0.299 + (0.114 * 128) / 255, 1e-5, 'luma');
    const nhw = await batches(imageModel(['N', 4, 4]), { data: path.join(dir, 'rgb'), samples: 1 });
    assert.deepEqual(nhw[0].feeds.image.shape, [1, 4, 4]);
    const u8 = await batches(imageModel(['N', 3, 4, 4], DataType.UINT8), { data: path.join(dir, 'rgb'), samples: 1 });
    assert.deepEqual(Array.from((u8[0].feeds.image.data as Uint8Array).subarray(0, 2)), [255, 255]);
    assert.equal((u8[0].feeds.image.data as Uint8Array)[32], 128);
  });

  it('takes symbolic H/W from dims, and otherwise asks for --dim', async () => {
    const got = await batches(imageModel(['N', 3, 'H', 'W']), { data: path.join(dir, 'rgb'), dims: { H: 5, W: 6 }, samples: 1 });
    assert.deepEqual(got[0].feeds.image.shape, [1, 3, 5, 6]);
    assert.throws(() => openSampleSource(imageModel(['N', 3, 'H', 'W']), { data: path.join(dir, 'rgb') }), /input "image" dimension 2 \('H'\) is symbolic; pass --dim H=SIZE/);
  });

  it('skips a corrupt image with a warning in the note', async () => {
    const src = openSampleSource(imageModel(['N', 3, 8, 8]), { data: path.join(dir, 'broken') });
    const got: SampleBatch[] = [];
    for await (const b of src.batches()) got.push(b);
    assert.equal(got.reduce((s, b) => s + b.count, 0), 1);
    assert.equal(src.description.count, 1);
    assert.match(src.description.note, /skipped 1 unreadable image: bad\.png/);
  });

  it('errors: no images, a channel count images cannot give, bad mean/std, a single image file', () => {
    assert.throws(() => openSampleSource(imageModel(['N', 3, 8, 8]), { data: path.join(dir, 'empty') }), /empty: no samples found/);
    assert.throws(() => openSampleSource(imageModel(['N', 5, 8, 8]), { data: path.join(dir, 'rgb') }), /rgb: cannot tell the channel axis of input "image"/);
    assert.throws(() => openSampleSource(imageModel(['N', 3, 8, 8]), { data: path.join(dir, 'rgb'), imageMean: [0.1, 0.2] }), /rgb: image mean has 2 values; give 1 or 3/);
    assert.throws(() => openSampleSource(imageModel(['N', 3, 8, 8]), { data: path.join(dir, 'rgb'), imageStd: [0] }), /image std values must be > 0/);
    assert.throws(() => openSampleSource(imageModel(['N', 3, 8, 8]), { data: path.join(dir, 'rgb', 'a-red.png') }), /pass the folder holding the images/);
  });

  it('antialiases a strong downscale: a 1-pixel checkerboard averages to grey', () => {
    const w = 64;
    const data = new Uint8Array(w * w * 4);
    for (let y = 0; y < w; y++) for (let x = 0; x < w; x++) data.fill((x + y) % 2 ? 255 : 0, (y * w + x) * 4, (y * w + x) * 4 + 3);
    const planes = resizeToPlanes({ width: w, height: w, data }, 1, 8, 8);
    for (const v of planes) close(v, 0.5, 0.02, 'checkerboard');
  });
});
