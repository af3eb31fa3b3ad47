// Fix "Copy the PyTorch fix": a snippet for users who retrain from code rather than edit the file.
import { Report } from '../analysis/report';
import { findLayerIn } from './layers';

/** Python lines that apply Leaky ReLU and He initialization to a report layer in PyTorch. */
export function pytorchSnippet(report: Report, layer: string | number, alpha = 0.01): string {
  const l = findLayerIn(report, layer);
  // Model strings only ever appear after '#', with line breaks and control characters removed.
  const clean = (s: string) => s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ');
  const producer = l.producer ? `${clean(l.producer.node)} (${clean(l.producer.op)})` : 'the layer feeding it';
  const dead = new Set([...l.dead, ...l.provenDead]).size;
  const a = Number.isFinite(alpha) ? alpha : 0.01;
  return [
    `# ReLU Doctor: ${dead} of ${l.units} units of ${clean(l.node)} are dead (${l.provenDead.length} proven).`,
    `# In the ONNX graph the ReLU is ${clean(l.node)}, fed by ${producer}.`,
    '# 1. Replace that ReLU with a Leaky ReLU:',
    `act = nn.LeakyReLU(${a})`,
    `# 2. Re-initialize the producing layer (${producer}) with He/Kaiming init; this discards its training:`,
    "nn.init.kaiming_normal_(layer.weight, nonlinearity='relu')",
    'if layer.bias is not None:',
    '    nn.init.zeros_(layer.bias)',
    '# 3. Consider a lower learning rate and normalized inputs (see the causes in the report).',
    '',
  ].join('\n');
}
