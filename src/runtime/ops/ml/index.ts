// Registration list for the ai.onnx.ml ops the conformance suite uses that are plain tensor maps.
import { OpDef } from '../../op';
import { arrayFeatureExtractor } from './array-feature-extractor';
import { binarizer } from './binarizer';

/** ai.onnx.ml: Binarizer, ArrayFeatureExtractor. */
export const mlOps: OpDef<any>[] = [binarizer, arrayFeatureExtractor]; // eslint-disable-line @typescript-eslint/no-explicit-any
