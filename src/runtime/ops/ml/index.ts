// Registration list for the ai.onnx.ml ops the conformance suite uses that are plain tensor maps.
import { OpDef } from '../../op';
import { arrayFeatureExtractor } from './array-feature-extractor';
import { binarizer } from './binarizer';
import { labelEncoder } from './label-encoder';
import { treeEnsemble } from './tree-ensemble';

/** ai.onnx.ml: Binarizer, ArrayFeatureExtractor, LabelEncoder, TreeEnsemble. */
export const mlOps: OpDef<any>[] = [binarizer, arrayFeatureExtractor, labelEncoder, treeEnsemble]; // eslint-disable-line @typescript-eslint/no-explicit-any
