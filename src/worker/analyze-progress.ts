// The progress text of the `analyze` worker job ("done/total" samples), written by the worker and
// read by the host; its own file so the host does not bundle the analysis to parse it.

/** Progress text of an analysis: "done/total" samples. */
export function analyzeProgress(done: number, total: number): string {
  return `${done}/${total}`;
}

/** The samples done and total in a progress text, or undefined for other stages. */
export function parseAnalyzeProgress(s: string): { done: number; total: number } | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(s);
  return m ? { done: Number(m[1]), total: Number(m[2]) } : undefined;
}
