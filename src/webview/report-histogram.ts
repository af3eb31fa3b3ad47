// The pre-activation histogram of a layer as an SVG: the geometry is pure (unit-tested), the
// drawing uses createElementNS and CSS classes only (colours come from the theme's stylesheet).
import type { LayerReport } from '../protocol/report';
import { count, stat } from './report-format';

/** One bin's rectangle, and whether its centre lies above zero (where the ReLU fires). */
export interface HistBar {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly count: number;
  readonly lo: number;
  readonly hi: number;
  readonly positive: boolean;
}

/**
 * Bars of a histogram in a `width`×`height` box, and the x of 0 when it is in range. Heights are on
 * a square-root scale of the count (relative to the tallest bin), so a spike near 0 leaves the tails visible.
 */
export function histogramGeometry(hist: LayerReport['histogram'], width: number, height: number): { bars: HistBar[]; zeroX?: number } {
  const n = hist.counts.length;
  if (n === 0) return { bars: [] };
  const top = Math.max(1, ...hist.counts);
  const bw = width / n;
  const span = hist.max - hist.min;
  const bars = hist.counts.map((c, i) => {
    const bh = c > 0 ? Math.max(1, Math.sqrt(c / top) * height) : 0;
    const lo = hist.min + (i * span) / n;
    const hi = hist.min + ((i + 1) * span) / n;
    return { x: i * bw, y: height - bh, w: Math.max(1, bw - 1), h: bh, count: c, lo, hi, positive: (lo + hi) / 2 > 0 };
  });
  const zeroX = span > 0 && hist.min <= 0 && hist.max >= 0 ? (-hist.min / span) * width : undefined;
  return zeroX === undefined ? { bars } : { bars, zeroX };
}

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

const W = 480;
const H = 120;
const PAD = 18;

/** The histogram figure of a layer (an SVG with a title per bin, axis labels and the zero line). */
export function histogramFigure(l: LayerReport): HTMLElement {
  const fig = document.createElement('figure');
  fig.className = 'preact-hist';
  fig.dataset.testid = 'histogram';
  const caption = document.createElement('figcaption');
  const total = l.histogram.counts.reduce((a, b) => a + b, 0);
  if (!l.histogram.counts.length || total === 0) {
    caption.textContent = l.observation === 'none' ? 'Not observed: no histogram.' : 'No pre-activation values were recorded for this layer.';
    fig.append(caption);
    return fig;
  }
  const what = l.observation === 'output' ? 'Output' : 'Pre-activation';
  caption.textContent = `${what} histogram: ${count(total)} values in ${l.histogram.counts.length} bins from ${stat(l.histogram.min)} to ${stat(l.histogram.max)}; the ReLU fires right of the dashed line at 0 (bar heights: square root of the count).`;
  const { bars, zeroX } = histogramGeometry(l.histogram, W, H);
  const root = svg('svg', { viewBox: `0 0 ${W} ${H + PAD}`, role: 'img', 'aria-label': caption.textContent, preserveAspectRatio: 'none' });
  root.append(svg('rect', { class: 'hist-frame', x: 0, y: 0, width: W, height: H }));
  for (const b of bars) {
    if (b.count === 0) continue;
    const r = svg('rect', { class: b.positive ? 'hist-bar pos' : 'hist-bar neg', x: b.x.toFixed(1), y: b.y.toFixed(1), width: b.w.toFixed(1), height: b.h.toFixed(1) });
    r.append(svg('title', {}, `${stat(b.lo)} … ${stat(b.hi)}: ${count(b.count)}`));
    root.append(r);
  }
  if (zeroX !== undefined) {
    root.append(svg('line', { class: 'hist-zero', x1: zeroX.toFixed(1), x2: zeroX.toFixed(1), y1: 0, y2: H }));
    // The "0" label only where it cannot run into the range labels at the ends.
    if (zeroX > 40 && zeroX < W - 40) root.append(svg('text', { class: 'hist-label', x: zeroX.toFixed(1), y: H + 13, 'text-anchor': 'middle' }, '0'));
  }
  root.append(svg('text', { class: 'hist-label', x: 2, y: H + 13, 'text-anchor': 'start' }, stat(l.histogram.min)));
  root.append(svg('text', { class: 'hist-label', x: W - 2, y: H + 13, 'text-anchor': 'end' }, stat(l.histogram.max)));
  fig.append(root, caption);
  return fig;
}
