// Registration list for the attention op family: every OpDef of this folder.
import { OpDef } from '../../op';
import { attention } from './attention';
import { biasGelu, fastGelu, msGelu } from './contrib-gelu';
import { flexAttention } from './flex-attention';
import { linearAttention } from './linear-attention';
import { msAttention } from './ms-attention';
import { rotaryEmbedding } from './rotary-embedding';
import { skipLayerNormalization } from './skip-layer-normalization';

/** Attention ops: ai.onnx Attention, LinearAttention, RotaryEmbedding, preview FlexAttention and the com.microsoft transformer ops. */
export const attentionOps: OpDef<any>[] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
  attention, linearAttention, flexAttention, rotaryEmbedding, msGelu, biasGelu, fastGelu, skipLayerNormalization, msAttention,
];
