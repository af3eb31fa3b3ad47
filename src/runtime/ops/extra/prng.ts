// The random source of the random ops: xoshiro128** seeded through splitmix32 from the op's float
// `seed` attribute (same seed → same values on every run), or from Math.random when there is none.

/** A seeded generator of uniform [0, 1) doubles (53 random bits) and standard normal draws. */
export interface Rng {
  uniform(): number;
  normal(): number;
}

/** A generator for a float `seed` (its 64 bits all matter), or an unseeded one. */
export function makeRng(seed: number | undefined): Rng {
  const words = new Uint32Array(new Float64Array([seed ?? Math.random() * 2 ** 52]).buffer);
  let sm = (words[0] ^ Math.imul(words[1], 0x9e3779b9)) >>> 0;
  const split = (): number => {
    sm = (sm + 0x9e3779b9) >>> 0;
    let z = sm;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(), b = split(), c = split(), d = split();
  if ((a | b | c | d) === 0) a = 1;
  const next32 = (): number => {
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t;
    d = rotl(d, 11);
    return r;
  };
  const uniform = (): number => ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992;
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
