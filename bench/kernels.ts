import type { Backend, Conv2DInfo, Pool2DInfo } from '../src/backend/backend.js';
import { filled, formatTable, timeIt } from './harness.js';

/** One kernel call on realistic shapes: `flop` is what it computes (2 per multiply-add). */
export interface KernelCase {
  name: string;
  flop: number;
  prepare(backend: Backend): () => Float32Array | void;
}

function conv(batch: number, h: number, w: number, inC: number, outC: number, k = 3, same = false): Conv2DInfo {
  const pad = same ? Math.floor((k - 1) / 2) : 0;
  const outH = same ? h : h - k + 1;
  const outW = same ? w : w - k + 1;
  return { batch, inH: h, inW: w, inC, outH, outW, outC, kernelH: k, kernelW: k, strideH: 1, strideW: 1,
    padTop: pad, padLeft: pad };
}

function pool(batch: number, h: number, w: number, channels: number): Pool2DInfo {
  return { batch, inH: h, inW: w, channels, outH: Math.floor(h / 2), outW: Math.floor(w / 2), poolH: 2, poolW: 2,
    strideH: 2, strideW: 2, padTop: 0, padLeft: 0 };
}

/** A conv layer's operands, and its FLOP (2·outPixels·k²·in·out) for one pass. */
function convOperands(info: Conv2DInfo): { flop: number; x: Float32Array; kernel: Float32Array; bias: Float32Array } {
  return {
    flop: 2 * info.batch * info.outH * info.outW * info.outC * info.kernelH * info.kernelW * info.inC,
    x: filled(info.batch * info.inH * info.inW * info.inC),
    kernel: filled(info.kernelH * info.kernelW * info.inC * info.outC).map((v) => v * 0.05),
    bias: filled(info.outC),
  };
}

/** Forward, backprop-input and backprop-filter of one conv layer. */
function convCases(name: string, info: Conv2DInfo, withInputGrad = true): KernelCase[] {
  const { flop, x, kernel, bias } = convOperands(info);
  const dy = filled(info.batch * info.outH * info.outW * info.outC);
  const cases: KernelCase[] = [
    { name: `${name} forward (+bias, relu)`, flop, prepare: (b) => () => b.conv2d(x, kernel, info, bias, 'relu') },
    { name: `${name} backprop filter`, flop, prepare: (b) => () => b.conv2dBackpropFilter(x, dy, info) },
  ];
  if (withInputGrad) {
    cases.splice(1, 0, { name: `${name} backprop input`, flop, prepare: (b) => () => b.conv2dBackpropInput(dy, kernel, info) });
  }
  return cases;
}

/** What model A's training step runs: conv+relu+2×2 max pool fused, keeping the winners, and its backward. */
function convPoolCases(name: string, info: Conv2DInfo, withInputGrad = true): KernelCase[] {
  const { flop, x, kernel, bias } = convOperands(info);
  const p = pool(info.batch, info.outH, info.outW, info.outC);
  const winners = new Uint8Array(p.batch * p.outH * p.outW * p.channels);
  const dpool = filled(winners.length);
  return [
    { name: `${name} conv+pool forward`, flop,
      prepare: (b) => () => b.conv2dMaxPool(x, kernel, info, bias, 'relu', p, winners) },
    { name: `${name} conv+pool inference`, flop,
      prepare: (b) => () => b.conv2dMaxPool(x, kernel, info, bias, 'relu', p) },
    { name: `${name} conv+pool backward`, flop: (withInputGrad ? 2 : 1) * flop,
      prepare: (b) => {
        const y = b.conv2dMaxPool(x, kernel, info, bias, 'relu', p, winners);
        return () => {
          const { dx, dkernel, dbias } = b.conv2dMaxPoolBackward(x, kernel, y, 'relu', dpool, winners, info, p,
            withInputGrad, true);
          if (dx) b.release(dx);
          if (dbias) b.release(dbias);
          return dkernel;
        };
      } },
  ];
}

function gemmCase(name: string, m: number, k: number, n: number, transA = false, transB = false): KernelCase {
  const a = filled(m * k);
  const b = filled(k * n);
  return { name, flop: 2 * m * n * k, prepare: (be) => () => be.matmul(a, b, m, k, n, transA, transB, null, 'linear') };
}

function poolCases(name: string, info: Pool2DInfo): KernelCase[] {
  const x = filled(info.batch * info.inH * info.inW * info.channels);
  const dy = filled(info.batch * info.outH * info.outW * info.channels);
  return [
    { name: `${name} max pool`, flop: 0, prepare: (b) => () => b.maxPool(x, info) },
    { name: `${name} max pool backward`, flop: 0, prepare: (b) => () => b.maxPoolBackward(x, dy, info) },
  ];
}

/**
 * The shapes that dominate training: sgemm 2048³; model A (150×150×3 → conv32/pool/conv64/
 * pool/conv128/pool/conv128/pool/dense512/dense1) at the given batch; a few VGG16 layers at 150×150.
 */
export function kernelCases(batch: number): KernelCase[] {
  return [
    gemmCase('sgemm 2048³', 2048, 2048, 2048),
    gemmCase('sgemm 2048³ Aᵀ·B', 2048, 2048, 2048, true, false),
    gemmCase('sgemm 2048³ A·Bᵀ', 2048, 2048, 2048, false, true),
    ...convCases('modelA conv1 150²×3→32', conv(batch, 150, 150, 3, 32), false),
    ...convCases('modelA conv2 74²×32→64', conv(batch, 74, 74, 32, 64)),
    ...convCases('modelA conv3 36²×64→128', conv(batch, 36, 36, 64, 128)),
    ...convCases('modelA conv4 17²×128→128', conv(batch, 17, 17, 128, 128)),
    ...convPoolCases('modelA layer1', conv(batch, 150, 150, 3, 32), false),
    ...convPoolCases('modelA layer2', conv(batch, 74, 74, 32, 64)),
    ...convPoolCases('modelA layer3', conv(batch, 36, 36, 64, 128)),
    ...convPoolCases('modelA layer4', conv(batch, 17, 17, 128, 128)),
    gemmCase('modelA dense1 forward', batch, 6272, 512),
    gemmCase('modelA dense1 dW = xᵀ·dy', 6272, batch, 512, true, false),
    gemmCase('modelA dense1 dx = dy·Wᵀ', batch, 512, 6272, false, true),
    ...poolCases('modelA pool1 148²×32', pool(batch, 148, 148, 32)),
    ...convCases('vgg16 block1_conv2 150²×64→64', conv(batch, 150, 150, 64, 64, 3, true)),
    ...convCases('vgg16 block3_conv2 37²×256→256', conv(batch, 37, 37, 256, 256, 3, true)),
    ...convCases('vgg16 block5_conv1 9²×512→512', conv(batch, 9, 9, 512, 512, 3, true)),
  ];
}

/** The FMA peak two ways: all threads' GFLOP/s now, and GFLOP per CPU-second (one core's peak). */
export interface Peak {
  gflops: number;
  perCore: number;
}

/**
 * Times each case on `backend`, releasing outputs as the engine does so the pool recycles them.
 * Reports wall GFLOP/s against the peak measured at the start, and GFLOP per CPU-second
 * against one core's peak: the second holds still when neighbours share the cores.
 */
export function runKernels(backend: Backend, cases: KernelCase[], peak: Peak | null,
  log: (line: string) => void): void {
  const rows: string[][] = [];
  for (const c of cases) {
    const run = c.prepare(backend);
    const t = timeIt(() => {
      const out = run();
      if (out) backend.release(out);
    });
    const wall = c.flop / t.ms / 1e6;
    const perCore = c.flop / t.cpuMs / 1e6;
    const pct = (v: number, of: number | undefined): string => (c.flop && of ? `${((100 * v) / of).toFixed(0)}%` : '');
    rows.push([c.name, t.ms.toFixed(2), c.flop ? wall.toFixed(1) : '', pct(wall, peak?.gflops),
      c.flop ? perCore.toFixed(1) : '', pct(perCore, peak?.perCore)]);
    log(`  ${c.name}: ${t.ms.toFixed(2)} ms${c.flop ? `, ${wall.toFixed(1)} GFLOP/s` : ''}`);
  }
  log('');
  log(formatTable(['kernel', 'ms', 'GFLOP/s', '% of peak', 'GFLOP/cpu-s', '% of core peak'], rows));
}
