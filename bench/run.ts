// `npm run bench [-- --filter <regex>] [--batch <n>] [--backend native|js]`: kernel-level timings
// on realistic shapes, GFLOP/s and % of this machine's measured FMA peak.
import { parseArgs } from 'node:util';
import { getBackend, setBackend } from '../src/backend/index.js';
import { nativeAddon } from '../src/backend/native/load.js';
import { kernelCases, runKernels } from './kernels.js';
import { printPeers } from './peers.js';

const { values } = parseArgs({
  options: {
    filter: { type: 'string', default: '' },
    batch: { type: 'string', default: '20' },
    backend: { type: 'string', default: 'native' },
  },
});
const backendName = values.backend === 'js' ? 'js' : 'native';
setBackend(backendName);
const backend = getBackend();
const addon = nativeAddon();

let peak: number | null = null;
if (addon && backendName === 'native') {
  peak = Math.max(addon.fmaPeak(), addon.fmaPeak(), addon.fmaPeak());
  console.log(`native: ${addon.threads()} threads, ${addon.isa()} micro-kernel; FMA peak measured now: ` +
    `${peak.toFixed(0)} GFLOP/s (neighbours on shared cores lower it; DEEPTYPE_NUM_THREADS sets the threads)`);
} else {
  console.log(`backend: ${backendName}`);
}

const filter = new RegExp(values.filter ?? '', 'i');
const cases = kernelCases(Number(values.batch)).filter((c) => filter.test(c.name));
console.log(`\nkernels (batch ${values.batch}, medians):`);
runKernels(backend, cases, peak, (line) => console.log(line));
printPeers((line) => console.log(line));
