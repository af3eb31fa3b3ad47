// Registration list for the string op family: every OpDef of this folder.
import { OpDef } from '../../op';
import { regexFullMatch } from './regex-full-match';
import { stringConcat } from './string-concat';
import { stringNormalizer } from './string-normalizer';
import { stringSplit } from './string-split';
import { tfIdfVectorizer } from './tfidf-vectorizer';

/** String ops: StringNormalizer, StringSplit, StringConcat, RegexFullMatch, TfIdfVectorizer. */
export const textOps: OpDef<any>[] = [stringNormalizer, stringSplit, stringConcat, regexFullMatch, tfIdfVectorizer]; // eslint-disable-line @typescript-eslint/no-explicit-any
