// Registration list for the attention op family: every OpDef of this folder.
import { OpDef } from '../../op';
import { attention } from './attention';
import { rotaryEmbedding } from './rotary-embedding';

/** Attention ops: ai.onnx Attention, RotaryEmbedding and the com.microsoft transformer ops. */
export const attentionOps: OpDef<any>[] = [attention, rotaryEmbedding]; // eslint-disable-line @typescript-eslint/no-explicit-any
