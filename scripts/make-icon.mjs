// Draws media/icon.png (128×128): a ReLU curve on a rounded tile with a medical cross, rendered
// with 4×4 supersampling. Run `node scripts/make-icon.mjs` after changing it; the PNG is committed.
import { PNG } from 'pngjs';
import { writeFileSync } from 'node:fs';

const N = 128;
const SS = 4;

/** Distance from point p to segment ab. */
function segDist(px, py, ax, ay, bx, by) {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Inside a rounded rectangle? */
function inRoundRect(x, y, x0, y0, x1, y1, r) {
  const cx = Math.max(x0 + r, Math.min(x1 - r, x));
  const cy = Math.max(y0 + r, Math.min(y1 - r, y));
  return Math.hypot(x - cx, y - cy) <= r;
}

const layers = [
  // Tile: deep teal.
  { rgb: [14, 99, 112], hit: (x, y) => inRoundRect(x, y, 4, 4, 124, 124, 22) },
  // Axis: faint line.
  { rgb: [108, 170, 178], hit: (x, y) => segDist(x, y, 18, 92, 110, 92) <= 2 },
  // ReLU: flat at zero, then rising.
  { rgb: [255, 255, 255], hit: (x, y) => segDist(x, y, 18, 92, 62, 92) <= 6 || segDist(x, y, 62, 92, 104, 34) <= 6 },
  // Medical cross, top left.
  { rgb: [232, 72, 85], hit: (x, y) => (Math.abs(x - 36) <= 5 && Math.abs(y - 38) <= 15) || (Math.abs(y - 38) <= 5 && Math.abs(x - 36) <= 15) },
];

const png = new PNG({ width: N, height: N });
for (let y = 0; y < N; y++) {
  for (let x = 0; x < N; x++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const px = x + (sx + 0.5) / SS, py = y + (sy + 0.5) / SS;
        let c = null;
        for (const l of layers) if (l.hit(px, py)) c = l.rgb;
        if (c) { r += c[0]; g += c[1]; b += c[2]; a += 1; }
      }
    }
    const i = (y * N + x) * 4;
    png.data[i] = a ? Math.round(r / a) : 0;
    png.data[i + 1] = a ? Math.round(g / a) : 0;
    png.data[i + 2] = a ? Math.round(b / a) : 0;
    png.data[i + 3] = Math.round((255 * a) / (SS * SS));
  }
}
writeFileSync(new URL('../media/icon.png', import.meta.url), PNG.sync.write(png));
console.log('wrote media/icon.png');
