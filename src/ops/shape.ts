import { record } from '../autograd/tape.js';
import { getBackend } from '../backend/index.js';
import { pooledTensor } from '../tensor/create.js';
import { normalizeAxis, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** Same data, new shape; one dimension may be -1 and is inferred. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const resolved = shape.map((d) => (d === -1 ? x.size / known : d));
  if (sizeOf(resolved) !== x.size || shape.filter((d) => d === -1).length > 1) {
    throw new Error(`reshape: cannot reshape [${x.shape.join(', ')}] (${x.size} values) to [${shape.join(', ')}]`);
  }
  // The view shares storage, so it stays out of step scopes: its buffer is owned by `x`.
  const y = new Tensor(x.data, resolved, x.dtype);
  return record(y, 'reshape', [x], (dy) => [reshape(dy, x.shape)]);
}

/** [batch, ...] → [batch, prod(...)], row-major, as Keras's Flatten. */
export function flatten(x: Tensor): Tensor {
  return reshape(x, [x.shape[0] ?? 1, x.size / (x.shape[0] || 1)]);
}

export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const p = perm ?? x.shape.map((_, i) => x.rank - 1 - i);
  if (p.length !== x.rank || [...p].sort().some((v, i) => v !== i)) {
    throw new Error(`transpose: perm [${p.join(', ')}] is not a permutation of the ${x.rank} axes of [${x.shape.join(', ')}]`);
  }
  const y = pooledTensor(getBackend().transpose(x.f32, x.shape, p), p.map((a) => x.shape[a]!));
  const inverse = p.map((_, i) => p.indexOf(i));
  return record(y, 'transpose', [x], (dy) => [transpose(dy, inverse)]);
}

/** Rows [begin, begin + size) along the first axis (a copy). */
export function slice(x: Tensor, begin: number, size: number): Tensor {
  const n = x.shape[0] ?? 0;
  if (begin < 0 || size < 0 || begin + size > n) {
    throw new Error(`slice: rows [${begin}, ${begin + size}) are out of range for a first axis of ${n}`);
  }
  return gather(x, Array.from({ length: size }, (_, i) => begin + i));
}

/** The rows at `indices` along the first axis, in that order. */
export function gather(x: Tensor, indices: ArrayLike<number>): Tensor {
  const n = x.shape[0] ?? 0;
  const row = n === 0 ? 0 : x.size / n;
  const shape = [indices.length, ...x.shape.slice(1)];
  const copyRows = (src: Tensor['data'], dst: Tensor['data']): void => {
    for (let i = 0; i < indices.length; i++) {
      const r = indices[i]!;
      if (!(r >= 0 && r < n)) throw new Error(`gather: index ${r} is out of range for a first axis of ${n}`);
      dst.set(src.subarray(r * row, (r + 1) * row), i * row);
    }
  };
  if (x.dtype === 'int32') {
    const out = new Int32Array(indices.length * row);
    copyRows(x.data, out);
    return new Tensor(out, shape, 'int32');
  }
  const out = getBackend().alloc(indices.length * row);
  copyRows(x.data, out);
  return record(pooledTensor(out, shape), 'gather', [x], (dy) => {
    const dx = getBackend().alloc(x.size).fill(0);
    for (let i = 0; i < indices.length; i++) {
      const r = indices[i]!;
      for (let j = 0; j < row; j++) dx[r * row + j] += dy.f32[i * row + j]!;
    }
    return [pooledTensor(dx, x.shape)];
  });
}

/** Joins tensors along `axis`; all other dimensions must agree. */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new Error('concat: expected at least one tensor');
  const first = tensors[0]!;
  const a = normalizeAxis(axis, first.rank, 'concat');
  for (const t of tensors) {
    if (t.rank !== first.rank || t.shape.some((d, i) => i !== a && d !== first.shape[i])) {
      throw new Error(`concat: shapes [${first.shape.join(', ')}] and [${t.shape.join(', ')}] differ outside axis ${a}`);
    }
  }
  const outer = sizeOf(first.shape.slice(0, a));
  const inner = sizeOf(first.shape.slice(a + 1));
  const widths = tensors.map((t) => t.shape[a]! * inner);
  const total = widths.reduce((s, w) => s + w, 0);
  const shape = [...first.shape];
  shape[a] = total / inner;
  const backend = getBackend();
  const out = backend.alloc(outer * total);
  let offset = 0;
  tensors.forEach((t, k) => {
    backend.copyBlock(out, total, offset, t.f32, widths[k]!, 0, outer, widths[k]!);
    offset += widths[k]!;
  });
  return record(pooledTensor(out, shape), 'concat', tensors, (dy) => {
    let start = 0;
    return tensors.map((t, k) => {
      const w = widths[k]!;
      const part = backend.alloc(outer * w);
      backend.copyBlock(part, w, 0, dy.f32, total, start, outer, w);
      start += w;
      return pooledTensor(part, t.shape);
    });
  });
}
