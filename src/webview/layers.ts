// Pure layer-list logic for the viewer: search across every layer, the "ReLU sites only" filter,
// and paging so the DOM holds at most a few hundred rows even for 100k-node models.
import type { LayerSummary } from '../protocol/viewer';

/** Rows rendered per page ("Show more" adds another page). */
export const PAGE_SIZE = 500;

/** What the user typed and ticked. */
export interface LayerFilter {
  /** Whitespace-separated terms; a layer matches when every term occurs (case-insensitive). */
  readonly query: string;
  readonly reluOnly: boolean;
}

/** One lower-cased search string per layer (name, op, domain, inputs, outputs, shapes), built once. */
export function searchIndex(layers: readonly LayerSummary[]): string[] {
  return layers.map((l) =>
    [l.name, l.opType, l.domain, `#${l.index}`, ...l.inputs, ...l.outputs, ...l.outputShapes].join('\n').toLowerCase(),
  );
}

/** The search terms of a query, lower-cased. */
export function queryTerms(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter((t) => t !== '');
}

/** Indices (into `layers`) of the layers that pass the filter, in graph order. */
export function filterLayers(layers: readonly LayerSummary[], index: readonly string[], filter: LayerFilter): number[] {
  const terms = queryTerms(filter.query);
  const out: number[] = [];
  for (let i = 0; i < layers.length; i++) {
    if (filter.reluOnly && !layers[i].reluSite) continue;
    const hay = index[i];
    if (terms.every((t) => hay.includes(t))) out.push(i);
  }
  return out;
}

/** How many of `matches` rows to show: `pages` pages, never more than there are. */
export function visibleRows(matches: number, pages: number): number {
  return Math.min(matches, Math.max(1, Math.floor(pages)) * PAGE_SIZE);
}

/** The count line under the search box, e.g. "Showing 500 of 1,204 matching layers (12,000 total)". */
export function countLabel(shown: number, matches: number, total: number, filtered: boolean): string {
  const n = (x: number) => x.toLocaleString('en-US');
  if (!filtered) return shown < total ? `Showing ${n(shown)} of ${n(total)} layers` : `${n(total)} layers`;
  if (matches === 0) return `No layers match (${n(total)} total)`;
  const what = `${n(matches)} matching layer${matches === 1 ? '' : 's'}`;
  return shown < matches ? `Showing ${n(shown)} of ${what} (${n(total)} total)` : `${what} (${n(total)} total)`;
}
