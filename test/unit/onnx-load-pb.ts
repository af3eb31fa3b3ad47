// Test helper: builds protobuf wire bytes by hand (field by field), so tests can craft ONNX
// messages with unknown fields, bad values and deep nesting that no encoder would emit.

/** Concatenate byte chunks. */
export function cat(...parts: Uint8Array[]): Uint8Array {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A base-128 varint (non-negative, or negative as 64-bit two's complement). */
export function varint(v: number | bigint): Uint8Array {
  let x = BigInt.asUintN(64, BigInt(v));
  const out: number[] = [];
  do {
    let b = Number(x & 0x7fn);
    x >>= 7n;
    if (x) b |= 0x80;
    out.push(b);
  } while (x);
  return Uint8Array.from(out);
}

/** A varint field. */
export function vint(no: number, v: number | bigint): Uint8Array {
  return cat(varint((no << 3) | 0), varint(v));
}

/** A length-delimited field holding `payload`. */
export function ld(no: number, payload: Uint8Array): Uint8Array {
  return cat(varint((no << 3) | 2), varint(payload.length), payload);
}

/** A string field (UTF-8). */
export function str(no: number, s: string): Uint8Array {
  return ld(no, new TextEncoder().encode(s));
}

/** A fixed32 float field. */
export function f32(no: number, v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, v, true);
  return cat(varint((no << 3) | 5), b);
}

/** Little-endian float32 bytes. */
export function floatBytes(vs: number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(vs).buffer);
}

/** A TensorProto: dims, data type, name, and raw bytes (plus extra fields). */
export function tensorPb(name: string, dt: number, dims: number[], raw: Uint8Array | undefined, ...extra: Uint8Array[]): Uint8Array {
  return cat(...dims.map((d) => vint(1, d)), vint(2, dt), str(8, name), ...(raw ? [ld(9, raw)] : []), ...extra);
}

/** A ValueInfoProto with a float tensor type of the given shape. */
export function valueInfoPb(name: string, dims: number[], elem = 1): Uint8Array {
  const shape = cat(...dims.map((d) => ld(1, vint(1, d))));
  return cat(str(1, name), ld(2, ld(1, cat(vint(1, elem), ld(2, shape)))));
}

/** A ModelProto (ir 8, opset 17) around a graph payload. */
export function modelPb(graph: Uint8Array, ...extra: Uint8Array[]): Uint8Array {
  return cat(vint(1, 8), str(2, 'test'), ld(7, graph), ld(8, cat(str(1, ''), vint(2, 17))), ...extra);
}

/** A one-Relu graph with an optional initializer payload. */
export function reluGraphPb(init?: Uint8Array): Uint8Array {
  return cat(
    ld(1, cat(str(1, 'x'), str(2, 'y'), str(3, 'relu0'), str(4, 'Relu'))),
    str(2, 'g'),
    ...(init ? [ld(5, init)] : []),
    ld(11, valueInfoPb('x', [2])),
    ld(12, valueInfoPb('y', [2])),
  );
}

/** Byte offset of `needle` in `hay`, or -1. */
export function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength).indexOf(Buffer.from(needle));
}
