// `npm run bench [-- --filter <regex>] [--batch <n>] [--backend native|js] [--models] [--breakdown] [--vgg] [--squeezenet] [--record <file.json>]`:
// kernel timings on realistic shapes (GFLOP/s, % of this machine's measured FMA peak), then
// model A's training step and inference through the public API; with --vgg (alone or beside the
// others) the VGG16 base's inference and a block5 + head fine-tuning step at 150×150; with
// --squeezenet the SqueezeNet 1.1 base's inference (peers: bench/peers/squeezenet.py). --breakdown
// adds time per kernel to model A's training step and SqueezeNet's inference.
import { parseArgs } from 'node:util';
import { getBackend, setBackend } from '../src/backend/index.js';
import { nativeAddon } from '../src/backend/native/load.js';
import { writeRecord } from './harness.js';
import { kernelCases, type Peak, runKernels } from './kernels.js';
import { runModelA, runSqueezeNet, runVgg16 } from './models.js';
import { printPeers } from './peers.js';

const { values } = parseArgs({
  options: {
    filter: { type: 'string', default: '' },
    batch: { type: 'string', default: '20' },
    backend: { type: 'string', default: 'native' },
    steps: { type: 'string', default: '5' },
    models: { type: 'boolean', default: false },
    kernels: { type: 'boolean', default: false },
    breakdown: { type: 'boolean', default: false },
    vgg: { type: 'boolean', default: false },
    squeezenet: { type: 'boolean', default: false },
    record: { type: 'string' },
  },
});
/** Every line printed; with --record <file>, written there as JSON with the command, commit and machine. */
const lines: string[] = [];
const log = (line: string): void => {
  lines.push(...line.split('\n'));
  console.log(line);
};
const backendName = values.backend === 'js' ? 'js' : 'native';
setBackend(backendName);
const backend = getBackend();
const addon = nativeAddon();

let peak: Peak | null = null;
if (addon && backendName === 'native') {
  peak = { gflops: 0, perCore: 0 };
  for (let i = 0; i < 3; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const gflops = addon.fmaPeak();
    const wallMs = performance.now() - t0;
    const c = process.cpuUsage(c0);
    peak.gflops = Math.max(peak.gflops, gflops);
    peak.perCore = Math.max(peak.perCore, (gflops * wallMs * 1000) / (c.user + c.system));
  }
  log(`native: ${addon.threads()} threads, ${addon.isa()} micro-kernel; FMA peak measured now: ` +
    `${peak.gflops.toFixed(0)} GFLOP/s on all threads, ${peak.perCore.toFixed(0)} GFLOP per CPU-second ` +
    '(neighbours on shared cores lower the first; DEEPTYPE_NUM_THREADS sets the threads)');
} else {
  log(`backend: ${backendName}`);
}

// Both parts by default; --kernels or --models picks one; --vgg or --squeezenet alone runs only that part.
const both = !values.kernels && !values.models && !values.vgg && !values.squeezenet;
if (values.kernels || both) {
  const filter = new RegExp(values.filter ?? '', 'i');
  const cases = kernelCases(Number(values.batch)).filter((c) => filter.test(c.name));
  log(`\nkernels (batch ${values.batch}, medians):`);
  runKernels(backend, cases, peak, log);
}
if (values.models || both) {
  log('');
  await runModelA(Number(values.batch), Number(values.steps), values.breakdown ?? false, log);
}
if (values.vgg) {
  log('');
  await runVgg16(Number(values.batch), Number(values.steps), log);
}
if (values.squeezenet) {
  log('');
  await runSqueezeNet(Number(values.batch), Number(values.steps), values.breakdown ?? false, log);
}
printPeers(log);
if (values.record) writeRecord(values.record, { lines });
