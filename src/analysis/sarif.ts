// SARIF 2.1.0 output for code-scanning dashboards: one result per finding per layer (dead,
// proven dead, dormant units), located at the model file with a logical location naming the node.
import { Report, LayerReport } from './report';
import { Severity } from './verdicts';

/** SARIF rules ReLU Doctor reports. */
export const SARIF_RULES = [
  { id: 'relu-doctor/dead-units', name: 'DeadReluUnits', text: 'ReLU units that never fired on the analysed samples.', level: 'warning' },
  { id: 'relu-doctor/proven-dead', name: 'ProvenDeadReluUnits', text: 'ReLU units proven dead over the whole input box: they can be pruned without changing the outputs.', level: 'warning' },
  { id: 'relu-doctor/dormant-units', name: 'DormantReluUnits', text: 'ReLU units whose mean activation is at most τ of their layer mean (Sokar et al. 2023).', level: 'note' },
] as const;

type RuleId = (typeof SARIF_RULES)[number]['id'];

function level(sev: Severity): 'error' | 'warning' | 'note' {
  return sev === 'error' ? 'error' : sev === 'warning' ? 'warning' : 'note';
}

/** A model path as a SARIF artifact URI (forward slashes, relative paths kept relative). */
function artifactUri(p: string): string {
  const s = p.replace(/\\/g, '/');
  return /^[A-Za-z]:\//.test(s) ? `file:///${encodeURI(s)}` : s.startsWith('/') ? `file://${encodeURI(s)}` : encodeURI(s);
}

function list(units: number[], max = 12): string {
  return units.length <= max ? units.join(', ') : `${units.slice(0, max).join(', ')}, … (${units.length - max} more)`;
}

function result(r: Report, l: LayerReport, ruleId: RuleId, lvl: string, text: string, units: number[]) {
  return {
    ruleId,
    ruleIndex: SARIF_RULES.findIndex((x) => x.id === ruleId),
    level: lvl,
    message: { text },
    locations: [{
      physicalLocation: { artifactLocation: { uri: artifactUri(r.model.path) } },
      logicalLocations: [{ name: l.node, fullyQualifiedName: l.graphPath ? `${l.graphPath}/${l.node}` : l.node, kind: 'object' }],
    }],
    properties: { node: l.node, op: l.op, output: l.output, units: l.units, unitIndices: units, deadFraction: l.deadFraction, severity: l.severity, causes: l.causes.map((c) => c.id) },
  };
}

/** The SARIF 2.1.0 log of a report. */
export function toSarif(r: Report): object {
  const results = [];
  for (const l of r.layers) {
    const main = l.causes[0];
    const why = main ? ` Main cause: ${main.message}. Remedies: ${main.remedies.join(', ')}.` : '';
    if (l.dead.length) {
      const pct = Math.round((l.dead.length / l.units) * 1000) / 10;
      results.push(result(r, l, 'relu-doctor/dead-units', level(l.severity), `${l.dead.length} of ${l.units} units of ${l.op} '${l.node}' (${pct}%) never fired on ${r.samples.count} ${r.samples.random ? 'RANDOM ' : ''}samples: units ${list(l.dead)}.${why}`, l.dead));
    }
    if (l.provenDead.length) {
      results.push(result(r, l, 'relu-doctor/proven-dead', level(l.severity === 'none' ? 'warning' : l.severity), `${l.provenDead.length} of ${l.units} units of ${l.op} '${l.node}' are proven dead over the input box: units ${list(l.provenDead)}. They can be pruned.`, l.provenDead));
    }
    if (l.dormant.length) {
      results.push(result(r, l, 'relu-doctor/dormant-units', 'note', `${l.dormant.length} of ${l.units} units of ${l.op} '${l.node}' are dormant (τ ≤ ${r.options.tau}): units ${list(l.dormant)}.`, l.dormant));
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'relu-doctor',
          version: r.tool.version,
          rules: SARIF_RULES.map((x) => ({ id: x.id, name: x.name, shortDescription: { text: x.text }, defaultConfiguration: { level: x.level } })),
        },
      },
      artifacts: [{ location: { uri: artifactUri(r.model.path) } }],
      results,
      properties: { samples: r.samples, totals: r.totals },
    }],
  };
}
