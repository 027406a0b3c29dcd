/**
 * The compiled addon's exports (native/binding.cc), one function per kernel in native/kernels.h
 * with the output buffer first. Geometry travels as an Int32Array of the info's fields in
 * declaration order; op codes come from codes.ts.
 */
export interface NativeAddon {
  alloc(size: number): Float32Array;
  /** Micro-kernel instruction sets this CPU can run ('scalar', 'avx2', 'avx512', 'neon'), best last. */
  isas(): string[];
  isa(): string;
  /** The CPU's SIMD features the kernels look at ('avx2', 'fma', 'avx512f', …; 'neon'), for messages. */
  cpuFeatures(): string[];
  /** Switches the GEMM micro-kernel; false when the CPU lacks that instruction set. */
  setIsa(name: string): boolean;
  /** The path conv2d takes for this geometry: 'direct', 'winograd 4×4', 'winograd 2×2' (the tile) or 'gemm'. */
  convAlgorithm(geometry: Int32Array): string;
  /** The largest Winograd tile 3×3 stride-1 convolutions take: 4 (the default), 2, or 0 for the GEMM path (for comparisons). */
  setWinograd(largestTile: 0 | 2 | 4): void;
  threads(): number;
  /** GFLOP/s of independent FMA chains on every pool thread with the current instruction set. */
  fmaPeak(): number;

  matmul(c: Float32Array, a: Float32Array, b: Float32Array, m: number, k: number, n: number, transA: boolean,
    transB: boolean, bias: Float32Array | null, activation: number): void;
  /** y's pixels are yChannels apart; this convolution's channels start at yOffset. */
  conv2d(y: Float32Array, x: Float32Array, kernel: Float32Array, geometry: Int32Array, bias: Float32Array | null,
    activation: number, yChannels: number, yOffset: number): void;
  concat_conv2d_pointwise(z: Float32Array, x: Float32Array, kernel0: Float32Array, geometry0: Int32Array,
    bias0: Float32Array | null, activation0: number, kernel1: Float32Array, geometry1: Int32Array,
    bias1: Float32Array | null, activation1: number, nextKernel: Float32Array, nextGeometry: Int32Array,
    nextBias: Float32Array | null, nextActivation: number): void;
  conv2d_max_pool(y: Float32Array, winners: Uint8Array | null, x: Float32Array, kernel: Float32Array, geometry: Int32Array,
    bias: Float32Array | null, activation: number, pool: Int32Array, yChannels: number, yOffset: number): void;
  conv2d_max_pool_backward(dx: Float32Array | null, dkernel: Float32Array, dbias: Float32Array | null, x: Float32Array,
    kernel: Float32Array, y: Float32Array, activation: number, dy: Float32Array, winners: Uint8Array, geometry: Int32Array,
    pool: Int32Array): void;
  conv2d_backprop_input(dx: Float32Array, dy: Float32Array, kernel: Float32Array, geometry: Int32Array): void;
  conv2d_backprop_filter(dkernel: Float32Array, x: Float32Array, dy: Float32Array, geometry: Int32Array): void;
  max_pool(y: Float32Array, x: Float32Array, geometry: Int32Array): void;
  max_pool_backward(dx: Float32Array, x: Float32Array, dy: Float32Array, geometry: Int32Array): void;
  avg_pool(y: Float32Array, x: Float32Array, geometry: Int32Array): void;
  avg_pool_backward(dx: Float32Array, dy: Float32Array, geometry: Int32Array): void;
  unary(y: Float32Array, op: number, x: Float32Array, n: number): void;
  activation_grad(dx: Float32Array, op: number, y: Float32Array, dy: Float32Array, n: number): void;
  binary(out: Float32Array, op: number, a: Float32Array, aShape: Int32Array, b: Float32Array, bShape: Int32Array,
    outShape: Int32Array): void;
  reduce(out: Float32Array, op: number, x: Float32Array, outer: number, n: number, inner: number): void;
  transpose(out: Float32Array, x: Float32Array, shape: Int32Array, perm: Int32Array): void;
  copy_block(dst: Float32Array, dstStride: number, dstOffset: number, src: Float32Array, srcStride: number,
    srcOffset: number, rows: number, width: number): void;
  softmax(out: Float32Array, x: Float32Array, rows: number, cols: number): void;
  sgd_update(w: Float32Array, g: Float32Array, velocity: Float32Array | null, n: number, lr: number, momentum: number,
    nesterov: boolean): void;
  rmsprop_update(w: Float32Array, g: Float32Array, meanSquare: Float32Array, n: number, lr: number, rho: number,
    epsilon: number): void;
  /**
   * The augmentation's resampling, src/data/warp.ts's arithmetic: map [rr, rc, r0, cr, cc, c0],
   * fillMode an index into FILL_MODES, every value then times `scale` in float32.
   */
  affine_warp(out: Float32Array, src: Float32Array, height: number, width: number, channels: number, map: Float64Array,
    fillMode: number, cval: number, scale: number, flipHorizontal: boolean, flipVertical: boolean): void;
  affine_warp_u8(out: Float32Array, src: Uint8Array, height: number, width: number, channels: number, map: Float64Array,
    fillMode: number, cval: number, scale: number, flipHorizontal: boolean, flipVertical: boolean): void;
  /**
   * affine_warp_u8 for a batch: image j from sources[j] into out's j-th slot, its map
   * maps[6j, 6j + 6), flips[j] bit 0 horizontal, bit 1 vertical.
   */
  affine_warp_batch_u8(out: Float32Array, sources: readonly Uint8Array[], maps: Float64Array, flips: Uint8Array,
    height: number, width: number, channels: number, fillMode: number, cval: number, scale: number): void;
  /** out[i] = src[i] · scale in float32. */
  scale_u8(out: Float32Array, src: Uint8Array, n: number, scale: number): void;
  adam_update(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, n: number, lr: number,
    beta1: number, beta2: number, epsilon: number): void;
}
