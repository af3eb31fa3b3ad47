// Protobuf wire-format helpers private to src/onnx/: list a message's fields with their byte
// ranges (to keep unknown fields and pair nested messages with their bytes) and read varints.
import { Reader } from 'protobufjs/minimal';

/** One field of a message: number, wire type, [start, end) of the whole field, [dataStart, end) of its payload. */
export interface WireField {
  no: number;
  wt: number;
  start: number;
  dataStart: number;
  end: number;
}

/** Every field of one message, in file order. Throws on malformed input (caller wraps the error). */
export function walkFields(buf: Uint8Array): WireField[] {
  const r = Reader.create(buf);
  const out: WireField[] = [];
  while (r.pos < r.len) {
    const start = r.pos;
    const tag = r.uint32();
    const no = tag >>> 3;
    const wt = tag & 7;
    if (no === 0) throw new Error(`invalid field number 0 at byte ${start}`);
    let dataStart = r.pos;
    switch (wt) {
      case 0:
        r.skip();
        break;
      case 1:
        r.skip(8);
        break;
      case 2: {
        const len = r.uint32();
        dataStart = r.pos;
        if (len > r.len - r.pos) throw new Error(`field ${no} runs past the end of its message at byte ${start}`);
        r.pos += len;
        break;
      }
      case 5:
        r.skip(4);
        break;
      default:
        throw new Error(`unsupported wire type ${wt} at byte ${start}`);
    }
    if (r.pos > r.len) throw new Error(`field ${no} runs past the end of its message at byte ${start}`);
    out.push({ no, wt, start, dataStart, end: r.pos });
  }
  return out;
}

/** Payload bytes of a length-delimited field. */
export function payload(buf: Uint8Array, f: WireField): Uint8Array {
  return buf.subarray(f.dataStart, f.end);
}

/** Payloads of every occurrence of length-delimited field `no`, in order. */
export function payloads(buf: Uint8Array, fields: WireField[], no: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const f of fields) if (f.no === no && f.wt === 2) out.push(buf.subarray(f.dataStart, f.end));
  return out;
}

/** Payload of the last occurrence of length-delimited field `no` (protobuf "last wins"), if any. */
export function lastPayload(buf: Uint8Array, fields: WireField[], no: number): Uint8Array | undefined {
  for (let i = fields.length - 1; i >= 0; i--) {
    const f = fields[i];
    if (f.no === no && f.wt === 2) return buf.subarray(f.dataStart, f.end);
  }
  return undefined;
}

/** The wire bytes of every field whose number is not in `known`, concatenated, or undefined when none. */
export function unknownBytes(buf: Uint8Array, fields: WireField[], known: ReadonlySet<number>): Uint8Array | undefined {
  let total = 0;
  for (const f of fields) if (!known.has(f.no)) total += f.end - f.start;
  if (total === 0) return undefined;
  const out = new Uint8Array(total);
  let o = 0;
  for (const f of fields) {
    if (known.has(f.no)) continue;
    out.set(buf.subarray(f.start, f.end), o);
    o += f.end - f.start;
  }
  return out;
}

/** Read the int64 values of field `no` (packed or not) as two's-complement bigints. */
export function readInt64s(buf: Uint8Array, fields: WireField[], no: number, unsigned: boolean): bigint[] {
  const out: bigint[] = [];
  for (const f of fields) {
    if (f.no !== no) continue;
    if (f.wt === 0) {
      out.push(varint64(buf, f.dataStart, unsigned)[0]);
    } else if (f.wt === 2) {
      let p = f.dataStart;
      while (p < f.end) {
        const [v, next] = varint64(buf, p, unsigned);
        if (next > f.end) throw new Error(`packed int64 field ${no} is truncated`);
        out.push(v);
        p = next;
      }
    }
  }
  return out;
}

function varint64(buf: Uint8Array, pos: number, unsigned: boolean): [bigint, number] {
  let lo = 0;
  let hi = 0;
  let shift = 0;
  let p = pos;
  for (;;) {
    if (p >= buf.length || shift >= 70) throw new Error('truncated varint');
    const b = buf[p++];
    if (shift < 28) lo |= (b & 0x7f) << shift;
    else if (shift === 28) {
      lo |= (b & 0x0f) << 28;
      hi |= (b & 0x7f) >> 4;
    } else if (shift < 63) hi |= (b & 0x7f) << (shift - 32);
    else hi |= (b & 0x01) << 31;
    shift += 7;
    if ((b & 0x80) === 0) break;
  }
  const v = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  return [unsigned ? v : BigInt.asIntN(64, v), p];
}
