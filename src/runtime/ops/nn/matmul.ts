// MatMul (opsets 1, 9, 13): numpy matmul — 1-D operands promoted and their axis dropped, batch
// axes broadcast. Floats go through the blocked GEMM; integer types use exact wrapping loops.

import { DataType } from '../../../onnx/ir';
import { gemm } from '../../kernels/gemm';
import { OpDef, RunContext } from '../../op';
import { makeTensor, Tensor } from '../../tensor';
import { need, nodeError, shapeStr } from './attrs';

function run(inputs: ReadonlyArray<Tensor | undefined>, _a: unknown, ctx: RunContext): Tensor[] {
  const node = ctx.node;
  const A = need(node, inputs, 0, 'A');
  const B = need(node, inputs, 1, 'B');
  if (A.dtype !== B.dtype) throw nodeError(node, 'A and B must have the same dtype');
  if (A.shape.length === 0 || B.shape.length === 0) throw nodeError(node, 'scalar operands are not allowed');
  const aS = A.shape.length === 1 ? [1, A.shape[0]] : A.shape.slice();
  const bS = B.shape.length === 1 ? [B.shape[0], 1] : B.shape.slice();
  const M = aS[aS.length - 2];
  const K = aS[aS.length - 1];
  const N = bS[bS.length - 1];
  if (bS[bS.length - 2] !== K) throw nodeError(node, `inner dimensions differ: A ${shapeStr(A.shape)}, B ${shapeStr(B.shape)}`);
  const aB = aS.slice(0, -2);
  const bB = bS.slice(0, -2);
  const r = Math.max(aB.length, bB.length);
  const batch: number[] = [];
  for (let i = 0; i < r; i++) {
    const x = i - (r - aB.length) >= 0 ? aB[i - (r - aB.length)] : 1;
    const z = i - (r - bB.length) >= 0 ? bB[i - (r - bB.length)] : 1;
    if (x !== z && x !== 1 && z !== 1) throw nodeError(node, `batch axes do not broadcast: A ${shapeStr(A.shape)}, B ${shapeStr(B.shape)}`);
    batch.push(x === 1 ? z : x);
  }
  const outShape = [...batch];
  if (A.shape.length > 1) outShape.push(M);
  if (B.shape.length > 1) outShape.push(N);
  const y = ctx.alloc(A.dtype, outShape);
  const nBatch = batch.reduce((s, v) => s * v, 1);
  // Batch offsets (in matrices) of A and B for each output batch index.
  const aOff = new Int32Array(nBatch);
  const bOff = new Int32Array(nBatch);
  const idx = new Array<number>(r).fill(0);
  for (let t = 0; t < nBatch; t++) {
    let ao = 0, bo = 0;
    for (let i = 0; i < r; i++) {
      const ai = i - (r - aB.length);
      const bi = i - (r - bB.length);
      if (ai >= 0) ao = ao * aB[ai] + (aB[ai] === 1 ? 0 : idx[i]);
      if (bi >= 0) bo = bo * bB[bi] + (bB[bi] === 1 ? 0 : idx[i]);
    }
    aOff[t] = ao;
    bOff[t] = bo;
    for (let i = r - 1; i >= 0; i--) { if (++idx[i] < batch[i]) break; idx[i] = 0; }
  }
  const a = A.data, b = B.data;
  if ((a instanceof Float32Array || a instanceof Float64Array) && (A.dtype === DataType.FLOAT || A.dtype === DataType.DOUBLE)) {
    const yd = y as Float32Array;
    const bb = b as Float32Array;
    const bConst = bB.reduce((s, v) => s * v, 1) === 1;
    if (bConst && aB.reduce((s, v) => s * v, 1) === nBatch) {
      gemm(false, false, nBatch * M, N, K, 1, a, 0, K, bb, 0, N, 0, yd, 0, N);
    } else {
      for (let t = 0; t < nBatch; t++) {
        gemm(false, false, M, N, K, 1, a, aOff[t] * M * K, K, bb, bOff[t] * K * N, N, 0, yd, t * M * N, N);
      }
    }
  } else if (a instanceof BigInt64Array || a instanceof BigUint64Array) {
    const bb = b as BigInt64Array, yd = y as BigInt64Array;
    const signed = a instanceof BigInt64Array;
    for (let t = 0; t < nBatch; t++) {
      const ao = aOff[t] * M * K, bo = bOff[t] * K * N, yo = t * M * N;
      for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
        let s = 0n;
        for (let k = 0; k < K; k++) s += a[ao + i * K + k] * bb[bo + k * N + j];
        yd[yo + i * N + j] = signed ? BigInt.asIntN(64, s) : BigInt.asUintN(64, s);
      }
    }
  } else if (a instanceof Int32Array || a instanceof Uint32Array) {
    const bb = b as Int32Array, yd = y as Int32Array;
    for (let t = 0; t < nBatch; t++) {
      const ao = aOff[t] * M * K, bo = bOff[t] * K * N, yo = t * M * N;
      for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s = (s + Math.imul(a[ao + i * K + k], bb[bo + k * N + j])) | 0;
        yd[yo + i * N + j] = s;
      }
    }
  } else {
    throw nodeError(node, `dtype ${DataType[A.dtype]} is not supported (FLOAT, DOUBLE, INT32, UINT32, INT64, UINT64)`);
  }
  return [makeTensor(A.dtype, outShape, y)];
}

/** MatMul from opset 1 on. */
export const matMul: OpDef<unknown> = { domain: '', opType: 'MatMul', since: 1, run };
