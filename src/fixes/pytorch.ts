// Fix "Copy the PyTorch fix": a snippet for users who retrain from code rather than edit the file.
import { LayerReport } from '../analysis/report';

/** Python lines that apply Leaky ReLU and He initialization to the layer in PyTorch. */
export function pytorchSnippet(layer: LayerReport, alpha: number): string {
  // Model strings only ever appear after '#' on a line of their own, with line breaks removed.
  const clean = (s: string) => s.replace(/[\r\n\u2028\u2029]/g, ' ');
  const producer = layer.producer ? `${clean(layer.producer.node)} (${layer.producer.op})` : 'the layer feeding it';
  const dead = layer.dead.length;
  return [
    `# ReLU Doctor: ${dead} of ${layer.units} units of ${clean(layer.node)} never fired.`,
    `# Producer in the ONNX graph: ${producer}`,
    '# 1. Replace the ReLU with a Leaky ReLU:',
    `act = nn.LeakyReLU(${alpha})`,
    '# 2. Re-initialize the producing layer (He/Kaiming, for ReLU-family activations):',
    `nn.init.kaiming_normal_(layer.weight, a=${alpha}, nonlinearity='leaky_relu')`,
    'if layer.bias is not None:',
    '    nn.init.zeros_(layer.bias)',
    '# 3. Consider a lower learning rate and normalized inputs (see the report causes).',
    '',
  ].join('\n');
}
