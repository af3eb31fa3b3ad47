// The `reluDoctor.*` settings an analysis or a fix uses, turned into the core's options. Pure (the
// caller passes a getter over the configuration), so it is unit-tested without VS Code.
import type { AnalyzeOptions } from '../analysis/analyze';

/** Reads one setting: `get('samples', 256)`. */
export type SettingGetter = <T>(key: string, fallback: T) => T;

/** What the user asked for in one run (command arguments or the data pick). */
export interface RunChoice {
  /** Absolute data path, or undefined for random inputs. */
  data?: string;
  samples?: number;
  seed?: number;
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const numbers = (v: unknown): number[] | undefined => (Array.isArray(v) && v.length > 0 && v.every(finite) ? (v as number[]) : undefined);

/** Positive integer sizes of symbolic dims; anything else is dropped. */
function dims(v: unknown): Record<string, number> | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const out: Record<string, number> = {};
  for (const [k, n] of Object.entries(v as Record<string, unknown>)) if (finite(n) && Number.isInteger(n) && n >= 1) out[k] = n;
  return Object.keys(out).length ? out : undefined;
}

/** The core's analysis options from the settings and this run's choice (the choice wins). */
export function analysisOptions(get: SettingGetter, choice: RunChoice, workers: number): AnalyzeOptions {
  const samples = choice.samples ?? get<number>('samples', 256);
  const seed = choice.seed ?? get<number>('seed', 0);
  const tau = get<number>('dormantThreshold', 0.025);
  const warn = get<number>('warningDeadFraction', 0.1);
  const err = get<number>('errorDeadFraction', 0.5);
  const o: AnalyzeOptions = {
    samples: finite(samples) && samples >= 1 ? Math.floor(samples) : 256,
    seed: finite(seed) ? Math.floor(seed) : 0,
    tau: finite(tau) && tau >= 0 && tau <= 1 ? tau : 0.025,
    warnFraction: finite(warn) && warn >= 0 && warn <= 1 ? warn : 0.1,
    errorFraction: finite(err) && err >= 0 && err <= 1 ? err : 0.5,
    workers: Math.max(1, Math.floor(workers)),
  };
  if (o.errorFraction! < o.warnFraction!) o.errorFraction = o.warnFraction;
  if (choice.data) o.data = choice.data;
  const d = dims(get<unknown>('symbolicDims', {}));
  if (d) o.dims = d;
  const mean = numbers(get<unknown>('imageMean', []));
  const std = numbers(get<unknown>('imageStd', []));
  if (mean) o.imageMean = mean;
  if (std && std.every((x) => x > 0)) o.imageStd = std;
  return o;
}

/** The Leaky ReLU slope for the fix (`reluDoctor.leakyReluAlpha`), in (0, 1]. */
export function leakyAlpha(get: SettingGetter): number {
  const a = get<number>('leakyReluAlpha', 0.01);
  return finite(a) && a > 0 && a <= 1 ? a : 0.01;
}
