// Timing for `relu-doctor run --repeat N`: seeded random feeds for any model (`--inputs random`,
// symbolic dims from --dim), one warm-up then N timed runs, and the median / min / max per run.
import { Model } from '../onnx/ir';
import { dtypeName } from '../onnx/dtype';
import { inputSpecs } from '../data/inputs';
import { mulberry32, randomValues } from '../data/random';
import { Session } from '../runtime/executor';
import { makeTensor, Tensor } from '../runtime/tensor';
import { safe } from './format';

/** Most elements a random input may have (1 G), so a typo in --dim cannot exhaust memory. */
const MAX_RANDOM_ELEMENTS = 2 ** 30;

/** Seeded random feeds for every input the model needs: floats N(0,1), integers in [0,10), bool a coin. */
export function randomFeeds(model: Model, dims: Record<string, number>, seed: number, notes: string[]): Record<string, Tensor> {
  const next = mulberry32(seed);
  const used = new Set<string>();
  const feeds: Record<string, Tensor> = {};
  for (const spec of inputSpecs(model)) {
    if (!spec.dims) throw new Error(`input "${safe(spec.name)}" has no declared shape, so random values cannot be made; pass --inputs with real data`);
    const shape = spec.dims.map((d, i) => {
      if (typeof d === 'number') return d;
      if (typeof d === 'string' && dims[d] !== undefined) {
        used.add(d);
        return dims[d];
      }
      notes.push(`input "${safe(spec.name)}" dimension ${i} ('${safe(d ?? '?')}') is symbolic; set to 1 (pass --dim ${d ? safe(d) : 'NAME'}=N to choose)`);
      return 1;
    });
    const n = shape.reduce((a, b) => a * b, 1);
    if (n > MAX_RANDOM_ELEMENTS) throw new Error(`input "${safe(spec.name)}" of shape [${shape.join(',')}] has ${n} elements, more than random inputs allow (${MAX_RANDOM_ELEMENTS}); choose smaller --dim values`);
    try {
      feeds[spec.name] = makeTensor(spec.dtype, shape, randomValues(spec.dtype, n, next, spec.name));
    } catch (err) {
      throw new Error(`input "${safe(spec.name)}" (${dtypeName(spec.dtype)}): ${(err as Error).message}`);
    }
  }
  for (const name of Object.keys(dims)) {
    if (!used.has(name)) notes.push(`--dim ${safe(name)}: no input has a symbolic dimension of that name`);
  }
  return feeds;
}

/** Median, min and max time per run in ms, and the thread count used. */
export interface RunTiming { medianMs: number; minMs: number; maxMs: number; threads: number }

/** One warm-up run, then `repeat` timed runs (without yielding); returns the timing and the last outputs. */
export function timeSession(session: Session, feeds: Record<string, Tensor>, repeat: number): { timing: RunTiming; outputs: Record<string, Tensor> } {
  let outputs = session.runSync(feeds);
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    outputs = session.runSync(feeds);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const n = times.length;
  const medianMs = n % 2 ? times[n >> 1] : (times[n / 2 - 1] + times[n / 2]) / 2;
  return { timing: { medianMs: round(medianMs), minMs: round(times[0]), maxMs: round(times[n - 1]), threads: 1 }, outputs };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
