// A self-contained HTML rendering of a report: inline CSS, no scripts, every string from the model
// escaped. Per-layer stacked bars (dead / dormant / alive / always active), a table, pre-activation
// histograms as inline SVG and the causes with their remedies.
import { LayerReport, Report } from './report';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1b1b1b;background:#fff}
h1{font-size:1.4rem;margin:0 0 .3rem}h2{font-size:1.1rem;margin:2rem 0 .5rem}
.meta{color:#555}.random{background:#fff3cd;border:1px solid #e0b400;padding:.5rem .8rem;font-weight:600;margin:1rem 0}
table{border-collapse:collapse;margin:.5rem 0}th,td{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}
.bar{display:flex;width:320px;height:14px;border:1px solid #999;background:#eee}
.bar span{display:block;height:100%}.dead{background:#c62828}.dormant{background:#ef9a00}.alive{background:#2e7d32}.always{background:#1565c0}
.sev-error{color:#b71c1c;font-weight:600}.sev-warning{color:#9a6700;font-weight:600}.sev-none{color:#2e7d32}
.legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 1rem;vertical-align:middle}
svg{background:#fafafa;border:1px solid #ddd}code{font-family:ui-monospace,Consolas,monospace}
ul.causes{margin:.3rem 0 0 1rem;padding:0}.units{color:#555;word-break:break-all}
@media (prefers-color-scheme:dark){body{background:#1e1e1e;color:#ddd}th{background:#2a2a2a}th,td{border-color:#444}.meta,.units{color:#aaa}svg{background:#252525;border-color:#444}.random{background:#4d3b00;color:#fff}}
`;

function pct(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}

function bar(l: LayerReport): string {
  const n = l.units || 1;
  const dead = new Set([...l.dead, ...l.provenDead]).size;
  const dormant = l.dormant.length;
  const always = l.alwaysActive.length;
  const alive = Math.max(0, l.units - dead - dormant - always);
  const seg = (cls: string, k: number, label: string): string => (k ? `<span class="${cls}" style="width:${(100 * k) / n}%" title="${k} ${label}"></span>` : '');
  return `<div class="bar" role="img" aria-label="${dead} dead, ${dormant} dormant, ${alive} alive, ${always} always active">${seg('dead', dead, 'dead')}${seg('dormant', dormant, 'dormant')}${seg('alive', alive, 'alive')}${seg('always', always, 'always active')}</div>`;
}

function histogram(l: LayerReport): string {
  const counts = l.histogram.counts;
  if (!counts.length) return '';
  const w = 320;
  const h = 60;
  const max = Math.max(...counts, 1);
  const bw = w / counts.length;
  const { min, max: hi } = l.histogram;
  const zeroX = hi > min ? ((0 - min) / (hi - min)) * w : -1;
  const bars = counts.map((c, i) => {
    const bh = (c / max) * (h - 2);
    const centre = min + ((i + 0.5) * (hi - min)) / counts.length;
    return `<rect x="${(i * bw).toFixed(1)}" y="${(h - bh).toFixed(1)}" width="${Math.max(bw - 1, 1).toFixed(1)}" height="${bh.toFixed(1)}" fill="${centre > 0 ? '#2e7d32' : '#9e9e9e'}"/>`;
  }).join('');
  const zero = zeroX >= 0 && zeroX <= w ? `<line x1="${zeroX.toFixed(1)}" x2="${zeroX.toFixed(1)}" y1="0" y2="${h}" stroke="#c62828" stroke-dasharray="3,2"/>` : '';
  return `<svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="pre-activation histogram from ${min} to ${hi}">${bars}${zero}</svg><div class="meta">pre-activation ${min} … ${hi}; dashed line at 0</div>`;
}

function unitList(units: number[]): string {
  if (!units.length) return '–';
  const shown = units.length > 40 ? `${units.slice(0, 40).join(', ')}, … (+${units.length - 40})` : units.join(', ');
  return `<span class="units">${shown}</span>`;
}

function layerSection(l: LayerReport, i: number): string {
  const causes = l.causes.length
    ? `<ul class="causes">${l.causes.map((c) => `<li><code>${escapeHtml(c.id)}</code> (${c.units.length} units): ${escapeHtml(c.message)}. <em>Remedies:</em> ${c.remedies.map(escapeHtml).join(', ')}</li>`).join('')}</ul>`
    : '<p class="meta">No cause identified.</p>';
  const producer = l.producer ? `${escapeHtml(l.producer.op)} <code>${escapeHtml(l.producer.node)}</code>` : '–';
  const bn = l.batchNorm ? ` → BatchNormalization <code>${escapeHtml(l.batchNorm.node)}</code>` : '';
  return `<section id="layer-${i}"><h2>${escapeHtml(l.op)} <code>${escapeHtml(l.node)}</code> <span class="sev-${l.severity}">${l.severity}</span></h2>
<p class="meta">producer: ${producer}${bn}; output <code>${escapeHtml(l.output)}</code>; unit axis ${l.unitAxis}; ${l.units} units${l.note ? `; ${escapeHtml(l.note)}` : ''}</p>
${bar(l)}
<table><tr><th>dead</th><td>${unitList(l.dead)}</td></tr><tr><th>proven dead</th><td>${l.proofAvailable ? unitList(l.provenDead) : 'no proof available'}</td></tr>
<tr><th>dormant</th><td>${unitList(l.dormant)}</td></tr><tr><th>always active</th><td>${unitList(l.alwaysActive)}</td></tr>
<tr><th>sparsity</th><td>${pct(l.sparsity)} of outputs are zero</td></tr></table>
${histogram(l)}
<h3>Causes</h3>${causes}</section>`;
}

/** The report as one self-contained HTML document. */
export function toHtml(r: Report): string {
  const rows = r.layers.map((l, i) => `<tr><td><a href="#layer-${i}"><code>${escapeHtml(l.node)}</code></a></td><td>${escapeHtml(l.op)}</td><td class="n">${l.units}</td><td class="n">${l.dead.length}</td><td class="n">${l.proofAvailable ? l.provenDead.length : '–'}</td><td class="n">${l.dormant.length}</td><td class="n">${l.alwaysActive.length}</td><td class="n">${pct(l.sparsity)}</td><td>${bar(l)}</td><td class="sev-${l.severity}">${l.severity}</td></tr>`).join('\n');
  const nonDying = r.nonDying.length ? `<h2>Non-dying activations</h2><p>${r.nonDying.map((n) => `${escapeHtml(n.op)} <code>${escapeHtml(n.node)}</code>`).join(', ')}</p>` : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>ReLU Doctor: ${escapeHtml(r.model.name)}</title><style>${CSS}</style></head><body>
<h1>ReLU Doctor report: <code>${escapeHtml(r.model.path)}</code></h1>
<p class="meta">${escapeHtml(r.model.producer || 'producer not recorded')}; IR ${r.model.irVersion}; ${r.samples.count} samples from ${escapeHtml(r.samples.source)}; τ = ${r.options.tau}; relu-doctor ${escapeHtml(r.tool.version)}</p>
${r.samples.random ? '<p class="random">RANDOM INPUTS: results describe random inputs, not your data.</p>' : ''}
<p>${r.totals.dead} dead, ${r.totals.provenDead} proven dead, ${r.totals.dormant} dormant and ${r.totals.alwaysActive} always-active units of ${r.totals.units} in ${r.totals.layers} ReLU layers.</p>
<p class="legend"><span class="dead"></span>dead<span class="dormant"></span>dormant<span class="alive"></span>alive<span class="always"></span>always active</p>
<table><tr><th>layer</th><th>op</th><th>units</th><th>dead</th><th>proven dead</th><th>dormant</th><th>always active</th><th>sparsity</th><th></th><th>severity</th></tr>
${rows}</table>
${r.layers.map(layerSection).join('\n')}
${nonDying}
<h2>Notes</h2><ul>${r.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>
</body></html>
`;
}
