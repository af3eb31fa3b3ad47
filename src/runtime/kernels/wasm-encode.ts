// Byte-level helpers for the WebAssembly kernels ReLU Doctor emits at load time (gemm-wasm.ts,
// analysis/stats-wasm.ts): LEB128 integers, sections, and SIMD instructions by opcode.

/** Unsigned LEB128. */
export function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128. */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) { out.push(byte); return out; }
    out.push(byte | 0x80);
  }
}

/** A module section: id, byte length, body. */
export function section(id: number, body: number[]): number[] {
  return [id, ...leb(body.length), ...body];
}

/** A SIMD instruction (0xfd prefix) with its immediates. */
export function simd(op: number, ...imm: number[]): number[] {
  return [0xfd, ...leb(op), ...imm];
}

/** local.get / local.set / local.tee, i32.const. */
export const get = (i: number): number[] => [0x20, ...leb(i)];
export const set = (i: number): number[] => [0x21, ...leb(i)];
export const tee = (i: number): number[] => [0x22, ...leb(i)];
export const i32 = (v: number): number[] => [0x41, ...sleb(v)];

/** An exported function and memory module: one function of the given param/result types, memory of `pages`. */
export function moduleOf(params: number[], locals: number[], body: number[], pages: number): Uint8Array<ArrayBuffer> {
  const func = [...leb(locals.length / 2), ...locals, ...body, 0x0b];
  const name = (s: string): number[] => [...leb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, ...leb(params.length), ...params, 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, ...leb(pages)]),
    ...section(7, [2, ...name('mem'), 0x02, 0, ...name('kernel'), 0x00, 0]),
    ...section(10, [1, ...leb(func.length), ...func]),
  ]);
}

/** Compiles and instantiates `bytes`, or returns null where WebAssembly (SIMD) is unavailable. */
export function instantiate(bytes: Uint8Array<ArrayBuffer>): WebAssembly.Instance | null {
  try {
    if (typeof WebAssembly !== 'object' || !WebAssembly.validate(bytes)) return null;
    return new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  } catch {
    return null;
  }
}
