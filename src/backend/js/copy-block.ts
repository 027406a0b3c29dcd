/** Block copy between row-major buffers (concatenation on the last axes, and its split). */
export function copyBlock(dst: Float32Array, dstStride: number, dstOffset: number, src: Float32Array,
  srcStride: number, srcOffset: number, rows: number, width: number): void {
  if (width >= 64) {
    for (let r = 0; r < rows; r++) {
      const from = r * srcStride + srcOffset;
      dst.set(src.subarray(from, from + width), r * dstStride + dstOffset);
    }
    return;
  }
  // Short rows: a plain loop beats creating a subarray per row.
  for (let r = 0; r < rows; r++) {
    const from = r * srcStride + srcOffset;
    const to = r * dstStride + dstOffset;
    for (let j = 0; j < width; j++) dst[to + j] = src[from + j]!;
  }
}
