// Finding a layer of a report by its `node` (site id) or index, shared by the fixes and the snippet.
import { LayerReport, Report } from '../analysis/report';
import { FixError } from './types';

/** A report layer by `node` or index; a FixError when there is none. */
export function findLayerIn(report: Report, ref: string | number): LayerReport {
  const layer = typeof ref === 'number' ? report.layers[ref] : report.layers.find((l) => l.node === ref);
  if (!layer) throw new FixError(`no ReLU layer ${typeof ref === 'number' ? `#${ref}` : `"${ref}"`} in the report`);
  return layer;
}
