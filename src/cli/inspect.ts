// `relu-doctor inspect MODEL [--json] [--layers]`: what a model is, at a glance or as JSON.
import * as path from 'node:path';
import { loadModel } from '../onnx/load';
import { inferShapes } from '../onnx/shapes';
import { ModelSummary, summarizeModel, ValueSummary } from '../onnx/summary';
import { parseCommand } from './args';
import { bytes, safe, table, thousands } from './format';

export const INSPECT_USAGE = 'relu-doctor inspect MODEL [--json] [--layers]';

/** The JSON document `inspect --json` prints (schemaVersion 1). */
export function inspectJson(file: string, s: ModelSummary, withLayers: boolean) {
  return {
    schemaVersion: 1,
    file,
    producerName: s.producerName,
    producerVersion: s.producerVersion,
    irVersion: s.irVersion,
    domain: s.domain,
    modelVersion: s.modelVersion,
    graphName: s.graphName,
    opsets: s.opsets,
    metadata: s.metadata,
    inputs: s.inputs,
    outputs: s.outputs,
    nodeCount: s.nodeCount,
    opHistogram: s.opHistogram,
    parameterCount: s.parameterCount,
    parameterBytes: s.parameterBytes,
    reluSiteCount: s.reluSites.length,
    reluSites: s.reluSites,
    functions: s.functions,
    ...(withLayers ? { layers: s.layers } : {}),
  };
}

function typeText(v: ValueSummary): string {
  return v.shape === null ? v.dtype : `${v.dtype}[${v.shape.map((d) => (d === null ? '?' : d)).join(',')}]`;
}

/** Human-readable summary. */
export function inspectText(file: string, s: ModelSummary): string {
  const out: string[] = [safe(file)];
  const producer = [s.producerName, s.producerVersion].filter(Boolean).join(' ') || '(not recorded)';
  out.push(
    table([
      ['producer', safe(producer)],
      ['IR version', String(s.irVersion)],
      ['opsets', s.opsets.map((o) => `${safe(o.domain)} ${o.version}`).join(', ') || '(none)'],
      ['graph', safe(s.graphName) || '(unnamed)'],
      ['nodes', thousands(s.nodeCount)],
      ['parameters', `${thousands(s.parameterCount)} (${bytes(s.parameterBytes)})`],
      ['ReLU sites', String(s.reluSites.length)],
      ...(s.functions ? [['functions', String(s.functions)]] : []),
    ]),
  );
  out.push('inputs');
  out.push(s.inputs.length ? table(s.inputs.map((v) => [safe(v.name), safe(typeText(v))])) : '  (none)');
  out.push('outputs');
  out.push(s.outputs.length ? table(s.outputs.map((v) => [safe(v.name), safe(typeText(v))])) : '  (none)');
  out.push('ops');
  out.push(s.opHistogram.length ? table(s.opHistogram.map((h) => [safe(h.op), String(h.count)])) : '  (none)');
  if (s.metadata.length) {
    out.push('metadata');
    out.push(table(s.metadata.map((m) => [safe(m.key), safe(m.value)])));
  }
  return out.join('\n');
}

/** Runs `inspect`; returns the exit code. Errors propagate to main.ts, which prints one line. */
export async function inspectCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand('inspect', argv, {
    json: { type: 'boolean' },
    layers: { type: 'boolean' },
  }, { min: 1, max: 1, usage: INSPECT_USAGE });
  const file = positionals[0];
  const model = loadModel(path.resolve(file));
  const summary = summarizeModel(model, inferShapes(model));
  if (values.json) {
    process.stdout.write(JSON.stringify(inspectJson(file, summary, !!values.layers), null, 2) + '\n');
  } else {
    process.stdout.write(inspectText(file, summary) + '\n');
  }
  return 0;
}
