import type { ChannelSlice, Conv2DInfo, ConvSpec, FusedActivation, Pool2DInfo } from '../backend.js';
import { copyBlock } from './copy-block.js';
import { activationGrad } from './elementwise.js';
import { applyEpilogue, gemmAccumulate } from './matmul.js';
import { alloc, release } from './memory.js';
import { maxPool, maxPoolBackwardFromWinners, maxPoolWithWinners } from './pool2d.js';
import { reduce } from './reduce.js';

/**
 * Convolution as im2col + GEMM, one image at a time: the patch matrix of an image is
 * [outH·outW, kh·kw·inC], and the kernel [kh, kw, in, out] is already that matrix's partner
 * [kh·kw·inC, outC]. Slow but plainly correct: this backend is the oracle.
 */
function im2col(x: Float32Array, image: number, info: Conv2DInfo, cols: Float32Array): void {
  const { inH, inW, inC, outH, outW, kernelH, kernelW, strideH, strideW, padTop, padLeft } = info;
  const base = image * inH * inW * inC;
  let p = 0;
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      for (let ky = 0; ky < kernelH; ky++) {
        const iy = oy * strideH + ky - padTop;
        for (let kx = 0; kx < kernelW; kx++) {
          const ix = ox * strideW + kx - padLeft;
          const inside = iy >= 0 && iy < inH && ix >= 0 && ix < inW;
          const src = base + (iy * inW + ix) * inC;
          for (let c = 0; c < inC; c++) cols[p++] = inside ? x[src + c]! : 0;
        }
      }
    }
  }
}

/** The adjoint of im2col: adds each patch entry back onto the pixel it came from. */
function col2imAccumulate(cols: Float32Array, image: number, info: Conv2DInfo, dx: Float32Array): void {
  const { inH, inW, inC, outH, outW, kernelH, kernelW, strideH, strideW, padTop, padLeft } = info;
  const base = image * inH * inW * inC;
  let p = 0;
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      for (let ky = 0; ky < kernelH; ky++) {
        const iy = oy * strideH + ky - padTop;
        for (let kx = 0; kx < kernelW; kx++) {
          const ix = ox * strideW + kx - padLeft;
          if (iy < 0 || iy >= inH || ix < 0 || ix >= inW) {
            p += inC;
            continue;
          }
          const dst = base + (iy * inW + ix) * inC;
          for (let c = 0; c < inC; c++) dx[dst + c] += cols[p++]!;
        }
      }
    }
  }
}

const patchSize = (info: Conv2DInfo): number => info.kernelH * info.kernelW * info.inC;

export function conv2d(x: Float32Array, kernel: Float32Array, info: Conv2DInfo, bias: Float32Array | null,
  activation: FusedActivation, into?: ChannelSlice): Float32Array {
  const pixels = info.outH * info.outW;
  const y = alloc(info.batch * pixels * info.outC, 'conv2d').fill(0);
  const cols = new Float32Array(pixels * patchSize(info));
  for (let b = 0; b < info.batch; b++) {
    im2col(x, b, info, cols);
    gemmAccumulate(cols, kernel, y, pixels, patchSize(info), info.outC, 0, b * pixels * info.outC);
  }
  applyEpilogue(y, info.outC, bias, activation);
  return into ? moveInto(into, y, info.batch * pixels, info.outC) : y;
}

/** y's `pixels` × `channels` copied into its channel slice of `into`, y released. */
function moveInto(into: ChannelSlice, y: Float32Array, pixels: number, channels: number): Float32Array {
  copyBlock(into.buffer, into.channels, into.offset, y, channels, 0, pixels, channels);
  release(y);
  return into.buffer;
}

export function concatConv2dPointwise(x: Float32Array, first: ConvSpec, second: ConvSpec, next: ConvSpec): Float32Array {
  const channels = first.info.outC + second.info.outC;
  const joined = alloc(first.info.batch * first.info.outH * first.info.outW * channels, 'concatConv2dPointwise');
  conv2d(x, first.kernel, first.info, first.bias, first.activation, { buffer: joined, channels, offset: 0 });
  conv2d(x, second.kernel, second.info, second.bias, second.activation, { buffer: joined, channels, offset: first.info.outC });
  const z = conv2d(joined, next.kernel, next.info, next.bias, next.activation);
  release(joined);
  return z;
}

export function conv2dMaxPool(x: Float32Array, kernel: Float32Array, info: Conv2DInfo, bias: Float32Array | null,
  activation: FusedActivation, pool: Pool2DInfo, winners?: Uint8Array, into?: ChannelSlice): Float32Array {
  const y = conv2d(x, kernel, info, bias, activation);
  const pooled = winners ? maxPoolWithWinners(y, pool, winners) : maxPool(y, pool);
  release(y);
  return into ? moveInto(into, pooled, pool.batch * pool.outH * pool.outW, info.outC) : pooled;
}

export function conv2dMaxPoolBackward(x: Float32Array, kernel: Float32Array, y: Float32Array, activation: FusedActivation,
  dy: Float32Array, winners: Uint8Array, info: Conv2DInfo, pool: Pool2DInfo, inputGrad: boolean,
  biasGrad: boolean): { dx: Float32Array | null; dkernel: Float32Array; dbias: Float32Array | null } {
  const dpool = activation === 'linear' ? dy : activationGrad(activation, y, dy);
  const dbias = biasGrad ? reduce('sum', dpool, 1, dpool.length / info.outC, info.outC) : null;
  const routed = maxPoolBackwardFromWinners(winners, dpool, pool);
  if (dpool !== dy) release(dpool);
  const dx = inputGrad ? conv2dBackpropInput(routed, kernel, info) : null;
  const dkernel = conv2dBackpropFilter(x, routed, info);
  release(routed);
  return { dx, dkernel, dbias };
}

export function conv2dBackpropInput(dy: Float32Array, kernel: Float32Array, info: Conv2DInfo): Float32Array {
  const pixels = info.outH * info.outW;
  const k = patchSize(info);
  const dx = alloc(info.batch * info.inH * info.inW * info.inC, 'conv2dBackpropInput').fill(0);
  // dcols[p, q] = Σ_o dy[p, o] · kernel[q, o]
  const kernelT = new Float32Array(k * info.outC);
  for (let q = 0; q < k; q++) for (let o = 0; o < info.outC; o++) kernelT[o * k + q] = kernel[q * info.outC + o]!;
  const dcols = new Float32Array(pixels * k);
  for (let b = 0; b < info.batch; b++) {
    dcols.fill(0);
    gemmAccumulate(dy, kernelT, dcols, pixels, info.outC, k, b * pixels * info.outC, 0);
    col2imAccumulate(dcols, b, info, dx);
  }
  return dx;
}

export function conv2dBackpropFilter(x: Float32Array, dy: Float32Array, info: Conv2DInfo): Float32Array {
  const pixels = info.outH * info.outW;
  const k = patchSize(info);
  const dk = alloc(k * info.outC, 'conv2dBackpropFilter').fill(0);
  const cols = new Float32Array(pixels * k);
  for (let b = 0; b < info.batch; b++) {
    im2col(x, b, info, cols);
    const dyBase = b * pixels * info.outC;
    // dk[q, o] += Σ_p cols[p, q] · dy[p, o]
    for (let p = 0; p < pixels; p++) {
      const dyRow = dyBase + p * info.outC;
      for (let q = 0; q < k; q++) {
        const cv = cols[p * k + q]!;
        if (cv === 0) continue;
        const dkRow = q * info.outC;
        for (let o = 0; o < info.outC; o++) dk[dkRow + o] += cv * dy[dyRow + o]!;
      }
    }
  }
  return dk;
}
