/**
 * The backend contract: every kernel deeptype needs, as raw typed arrays + shapes + plain
 * options in, typed arrays out. A missing kernel is a compile error, never a runtime surprise.
 *
 * Output buffers are allocated with the backend's own `alloc`, so a backend may pool memory:
 * fresh pages cost ~12 µs each on these machines, and a training step would otherwise spend
 * most of its time faulting them in. The engine hands a step's intermediates back with `release`.
 */
export type UnaryOp = 'neg' | 'exp' | 'log' | 'sqrt' | 'square' | 'abs' | 'relu' | 'sigmoid' | 'tanh';

/** Ops whose gradient is cheapest from their output y: relu (y > 0), sigmoid y(1-y), tanh 1-y². */
export type ActivationGradOp = 'relu' | 'sigmoid' | 'tanh';

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum';

export type ReduceOp = 'sum' | 'max';

/** Activations a conv or matmul can apply in its epilogue. */
export type FusedActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh';

/** Geometry of one NHWC convolution; padding already resolved to the TF rule. */
export interface Conv2DInfo {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  kernelH: number;
  kernelW: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
}

/** A max pool's winning cells are bytes: a window may hold at most this many cells for them. */
export const MAX_WINDOW_CELLS = 256;

/** Geometry of one NHWC pooling window sweep; padded cells never count. */
export interface Pool2DInfo {
  batch: number;
  inH: number;
  inW: number;
  channels: number;
  outH: number;
  outW: number;
  poolH: number;
  poolW: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
}

export interface SgdOptions {
  learningRate: number;
  momentum: number;
  nesterov: boolean;
}

export interface RmspropOptions {
  learningRate: number;
  rho: number;
  epsilon: number;
}

/** `learningRate` here is Keras's bias-corrected lr_t for this step. */
export interface AdamOptions {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** Channels [offset, offset + width) of every pixel of an NHWC buffer with `channels` channels. */
export interface ChannelSlice {
  buffer: Float32Array;
  channels: number;
  offset: number;
}

/** One convolution's kernel, geometry, bias and activation. */
export interface ConvSpec {
  kernel: Float32Array;
  info: Conv2DInfo;
  bias: Float32Array | null;
  activation: FusedActivation;
}

export interface Backend {
  readonly name: string;

  /**
   * A buffer of `size` floats with unspecified contents (may be recycled). A size this machine
   * cannot hold is a RangeError naming `op` (default 'alloc') and the bytes.
   */
  alloc(size: number, op?: string): Float32Array;
  /** Gives a buffer from `alloc` back; the caller must not touch it afterwards. */
  release(buffer: Float32Array): void;

  unary(op: UnaryOp, x: Float32Array): Float32Array;
  /** dx = dy · f'(x), computed from the op's output y. */
  activationGrad(op: ActivationGradOp, y: Float32Array, dy: Float32Array): Float32Array;
  /** Elementwise with NumPy broadcasting; `outShape` is the broadcast shape. */
  binary(op: BinaryOp, a: Float32Array, aShape: readonly number[], b: Float32Array,
    bShape: readonly number[], outShape: readonly number[]): Float32Array;
  /** x viewed as [outer, n, inner], reduced over the middle axis to [outer, inner]. */
  reduce(op: ReduceOp, x: Float32Array, outer: number, n: number, inner: number): Float32Array;
  transpose(x: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array;
  /**
   * Copies a [rows, width] block between row-major buffers, into `dst` in place (concatenation
   * and its split): dst[r·dstStride + dstOffset + j] = src[r·srcStride + srcOffset + j].
   */
  copyBlock(dst: Float32Array, dstStride: number, dstOffset: number, src: Float32Array, srcStride: number,
    srcOffset: number, rows: number, width: number): void;
  /** Row-wise softmax of x viewed as [rows, cols]. */
  softmax(x: Float32Array, rows: number, cols: number): Float32Array;

  /**
   * C[m,n] = op(A)·op(B) (+ bias[n], then activation). A is [m,k] or, transposed, [k,m];
   * B is [k,n] or, transposed, [n,k].
   */
  matmul(a: Float32Array, b: Float32Array, m: number, k: number, n: number, transA: boolean,
    transB: boolean, bias: Float32Array | null, activation: FusedActivation): Float32Array;

  /**
   * NHWC x, kernel [kh, kw, in, out] → NHWC y (+ bias, then activation): a new buffer, or
   * written into channels [offset, offset + outC) of `into` (concatenation without a copy).
   */
  conv2d(x: Float32Array, kernel: Float32Array, info: Conv2DInfo, bias: Float32Array | null,
    activation: FusedActivation, into?: ChannelSlice): Float32Array;
  /**
   * conv2d(concat([conv2d(x, first), conv2d(x, second)], channels), next), `next` pointwise (1×1,
   * stride 1, unpadded) over both convolutions' channels: a new buffer. The concatenation need
   * not be stored whole (SqueezeNet's fire module and the next one's squeeze).
   */
  concatConv2dPointwise(x: Float32Array, first: ConvSpec, second: ConvSpec, next: ConvSpec): Float32Array;
  /**
   * maxPool(conv2d(x, kernel, info, bias, activation), pool) without keeping the convolution's
   * output. With `winners` (one byte per pooled value; windows of at most 256 cells), it also
   * writes the window cell each value came from, ky·poolW + kx: the first maximal one, as
   * maxPoolBackward routes to. That is all conv2dMaxPoolBackward needs of the forward. With
   * `into` instead, it writes channels [offset, offset + outC) of a pooled concatenation.
   */
  conv2dMaxPool(x: Float32Array, kernel: Float32Array, info: Conv2DInfo, bias: Float32Array | null,
    activation: FusedActivation, pool: Pool2DInfo, winners?: Uint8Array, into?: ChannelSlice): Float32Array;
  /**
   * The gradients of y = conv2dMaxPool(x, kernel, info, bias, activation, pool, winners) from
   * `dy`, y's: the kernel's, the input's when `inputGrad`, the bias's when `biasGrad`. The
   * activation's derivative is taken from y (each activation is non-decreasing, so a window's
   * winning cell holds the pooled value) and each value reaches the cell `winners` names.
   */
  conv2dMaxPoolBackward(x: Float32Array, kernel: Float32Array, y: Float32Array, activation: FusedActivation,
    dy: Float32Array, winners: Uint8Array, info: Conv2DInfo, pool: Pool2DInfo, inputGrad: boolean,
    biasGrad: boolean): { dx: Float32Array | null; dkernel: Float32Array; dbias: Float32Array | null };
  conv2dBackpropInput(dy: Float32Array, kernel: Float32Array, info: Conv2DInfo): Float32Array;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, info: Conv2DInfo): Float32Array;

  maxPool(x: Float32Array, info: Pool2DInfo): Float32Array;
  /** Routes each dy to the first maximal input cell of its window (as TF does). */
  maxPoolBackward(x: Float32Array, dy: Float32Array, info: Pool2DInfo): Float32Array;
  avgPool(x: Float32Array, info: Pool2DInfo): Float32Array;
  avgPoolBackward(dy: Float32Array, info: Pool2DInfo): Float32Array;

  /** In-place optimizer updates of `weight` (and its slots). */
  sgdUpdate(weight: Float32Array, grad: Float32Array, velocity: Float32Array | null, options: SgdOptions): void;
  rmspropUpdate(weight: Float32Array, grad: Float32Array, meanSquare: Float32Array, options: RmspropOptions): void;
  adamUpdate(weight: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, options: AdamOptions): void;
}
