// Maps a model URI to the read-only text document URI that shows its textual form, and back.
// Pure string logic (no vscode import) so it is unit-tested; the path keeps the model's name
// (plus ".txt") for the tab title, the query carries the full model URI.

/** The URI scheme of ReLU Doctor's text views. */
export const TEXT_SCHEME = 'relu-doctor-model';

/** Parts of the text URI: `scheme:path?query`, ready for `Uri.from`. */
export interface TextUriParts {
  readonly scheme: string;
  readonly path: string;
  readonly query: string;
}

/** The text view URI parts for a model URI given as `uri.toString()` and its path. */
export function textUriFor(modelUri: string, modelPath: string): TextUriParts {
  return { scheme: TEXT_SCHEME, path: `${modelPath}.txt`, query: modelUri };
}

/** The model URI string behind a text view URI's query, or undefined when it is not ours. */
export function modelUriOf(scheme: string, query: string): string | undefined {
  return scheme === TEXT_SCHEME && query !== '' ? query : undefined;
}
