import { spawnSync } from 'node:child_process';

/**
 * Peers are measured by their own scripts, never installed as deeptype dependencies: this says
 * which are present and how to add the missing ones (in a scratch folder or from Debian).
 */
export function printPeers(log: (line: string) => void): void {
  const torch = spawnSync('/usr/bin/python3', ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  log('\npeers (for ratios; none of them is a deeptype dependency):');
  log(torch.status === 0
    ? `  PyTorch ${torch.stdout.trim()} is installed: time model A with channels-last and glibc keeping freed memory ` +
      '(MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=68719476736 MALLOC_TOP_PAD_=536870912 /usr/bin/python3 torch_bench.py --channels-last)'
    : '  PyTorch: missing; install with `apt-get install -y python3-torch python3-torchvision` and run with /usr/bin/python3');
  log('  ONNX Runtime / TF.js: install in a scratch folder, not here: ' +
    '`mkdir -p /tmp/jsbench && cd /tmp/jsbench && npm init -y && npm install onnxruntime-node @tensorflow/tfjs @tensorflow/tfjs-backend-wasm`');
  log('  SqueezeNet 1.1 base (no shared peer script): `/usr/bin/python3 bench/peers/squeezenet.py --channels-last ' +
    '--export /tmp/jsbench/onnx` times PyTorch and writes the ONNX file for `ort_bench.js squeezenet`');
  log('  OpenBLAS sgemm: `apt-get install -y python3-numpy libopenblas0-pthread`, then time numpy.matmul on 2048³ float32');
}
