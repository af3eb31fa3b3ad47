// Registration list for the ai.onnx.ml ops the conformance suite uses that are plain tensor maps.
import { OpDef } from '../../op';
import { arrayFeatureExtractor } from './array-feature-extractor';
import { binarizer } from './binarizer';
import { labelEncoder } from './label-encoder';

/** ai.onnx.ml: Binarizer, ArrayFeatureExtractor, LabelEncoder. */
export const mlOps: OpDef<any>[] = [binarizer, arrayFeatureExtractor, labelEncoder]; // eslint-disable-line @typescript-eslint/no-explicit-any
