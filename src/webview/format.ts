// Number and shape formatting for the viewer (pure, shared with tests).
import type { ValueSummary } from '../protocol/viewer';

/** 1234567 → "1,234,567". */
export function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

/** Bytes in decimal units: "44.7 MB". */
export function bytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}

/** A shape's dims as display parts: fixed sizes, symbolic names (marked) and unknowns ("?"). */
export function shapeParts(shape: ValueSummary['shape']): Array<{ text: string; symbolic: boolean }> | null {
  if (shape === null) return null;
  return shape.map((d) => (d === null ? { text: '?', symbolic: true } : { text: String(d), symbolic: typeof d === 'string' }));
}

/** "float[N,3,224,224]", "float[]" for a scalar, "float" for unknown rank. */
export function typeText(v: ValueSummary): string {
  const parts = shapeParts(v.shape);
  return parts === null ? v.dtype : `${v.dtype}[${parts.map((p) => p.text).join(',')}]`;
}
