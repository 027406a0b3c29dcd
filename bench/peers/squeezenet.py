#!/usr/bin/env python3
"""SqueezeNet 1.1 base (no top, random weights) at 150x150: the peers for deeptype's
`npm run bench -- --squeezenet`. The shared peer scripts have no SqueezeNet, so this one
builds torchvision's with Keras's pools (3x3/2 'valid', i.e. ceil_mode=False), so all three
compute the same 8x8x512 output, then:
  - times PyTorch inference at the given batch (median of --iters), and
  - exports it to ONNX beside the other peer models, for the shared ort_bench.js.
Run with Debian's torch; the fastest configuration is --channels-last with glibc keeping freed
memory (MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=68719476736 MALLOC_TOP_PAD_=536870912):
  /usr/bin/python3 bench/peers/squeezenet.py [--channels-last] [--batch 20] [--export /tmp/jsbench/onnx]
  node <shared bench>/ort_bench.js squeezenet 20 10 2 2
"""
import argparse, json, os, statistics, time

import torch
import torchvision

p = argparse.ArgumentParser()
p.add_argument("--batch", type=int, default=20)
p.add_argument("--iters", type=int, default=10)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--channels-last", action="store_true")
p.add_argument("--export", default="", help="folder to write squeezenet.onnx and its check files into")
args = p.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(0)

base = torchvision.models.squeezenet1_1().features.eval()
for m in base.modules():
    if isinstance(m, torch.nn.MaxPool2d):
        m.ceil_mode = False

# Multiply-adds x 2 of every convolution, counted from the shapes a forward pass produces.
flop = 0
def count(module, inputs, output):
    global flop
    flop += 2 * output.numel() * module.in_channels * module.kernel_size[0] * module.kernel_size[1] // module.groups
hooks = [m.register_forward_hook(count) for m in base.modules() if isinstance(m, torch.nn.Conv2d)]
with torch.no_grad():
    out = base(torch.zeros(1, 3, 150, 150))
for h in hooks:
    h.remove()
print(f"# torch {torch.__version__}, {args.threads} threads, channels_last={args.channels_last}; "
      f"output {tuple(out.shape)}, {flop / 1e9:.4f} GFLOP per image forward")

if args.export:
    os.makedirs(args.export, exist_ok=True)
    x = torch.randn(2, 3, 150, 150)
    with torch.no_grad():
        y = base(x)
    torch.onnx.export(base, x, os.path.join(args.export, "squeezenet.onnx"), opset_version=13, input_names=["input"],
                      output_names=["output"], dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    x.numpy().astype("float32").tofile(os.path.join(args.export, "squeezenet.in.bin"))
    y.numpy().astype("float32").tofile(os.path.join(args.export, "squeezenet.out.bin"))
    json.dump({"in": list(x.shape), "out": list(y.shape)}, open(os.path.join(args.export, "squeezenet.shapes.json"), "w"))
    print(f"# exported {os.path.join(args.export, 'squeezenet.onnx')}")

model = base.to(memory_format=torch.channels_last) if args.channels_last else base
x = torch.rand(args.batch, 3, 150, 150) * 255 - 120
if args.channels_last:
    x = x.contiguous(memory_format=torch.channels_last)
times = []
with torch.no_grad():
    for i in range(2 + args.iters):
        t0 = time.perf_counter()
        model(x)
        if i >= 2:
            times.append((time.perf_counter() - t0) * 1e3)
ms = statistics.median(times)
print(f"torch SqueezeNet base inference b={args.batch}: median {ms:.1f} ms (min {min(times):.1f}, max {max(times):.1f}, "
      f"n={len(times)}), {args.batch * flop / ms / 1e6:.1f} GFLOP/s")
