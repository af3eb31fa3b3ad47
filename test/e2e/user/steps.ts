// The user-level test's steps: each is named, timed and recorded; a failed step is reported and
// the later ones still run, unless it was fatal (then the run stops, e.g. no workbench at all).

/** One recorded step. */
export interface Outcome {
  name: string;
  error?: string;
}

/** Every step run so far, in order. */
export const outcomes: Outcome[] = [];

/** Runs one named step, recording its outcome; throws only when `fatal` and it failed. Resolves to whether it passed. */
export async function step(name: string, fn: () => Promise<void>, fatal = false): Promise<boolean> {
  const t0 = Date.now();
  try {
    await fn();
    outcomes.push({ name });
    console.log(`  ✔ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return true;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    outcomes.push({ name, error: msg });
    console.log(`  ✘ ${name}: ${msg}`);
    if (fatal) throw new Error(`stopping after: ${name}`);
    return false;
  }
}
