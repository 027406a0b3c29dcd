#!/usr/bin/env python3
"""The lecture's from-scratch experiment in PyTorch, for comparison with deeptype's
(`npx tsx scripts/reproduce-lecture.ts scratch`): same data, same recipe, Keras's defaults
made explicit where PyTorch's differ.
  - images: 150x150 nearest-neighbour resize (Keras load_img), scaled by 1/255, batch 20,
    100 steps per epoch from a reshuffled training folder, 50 validation steps;
  - model: conv32/pool/conv64/pool/conv128/pool/conv128/pool/flatten/dense512/dense1 sigmoid,
    Glorot-uniform weights and zero biases (Keras's initialisers, not PyTorch's);
  - RMSprop lr 1e-4 with Keras's rho 0.9 and epsilon 1e-7; binary cross-entropy.
Run with Debian's torch (not a deeptype dependency), from the project root, in PyTorch's fastest
configuration here (channels-last, set below, and glibc keeping freed memory):
  MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=68719476736 MALLOC_TOP_PAD_=536870912 \
    /usr/bin/python3 scripts/peers/reproduce_scratch_torch.py [--epochs 30]
Writes docs/results/scratch-torch.json."""
import argparse, json, os, time

import torch
from torch import nn
from torchvision import datasets, transforms

p = argparse.ArgumentParser()
p.add_argument("--epochs", type=int, default=30)
p.add_argument("--data", default="../shared/data/cats_and_dogs_small")
args = p.parse_args()
torch.manual_seed(2026)
torch.set_num_threads(2)

tf = transforms.Compose([transforms.Resize((150, 150), interpolation=transforms.InterpolationMode.NEAREST),
                         transforms.ToTensor()])
def loader(split, shuffle):
    folder = datasets.ImageFolder(os.path.join(args.data, split), transform=tf)
    return torch.utils.data.DataLoader(folder, batch_size=20, shuffle=shuffle, num_workers=0, drop_last=False)
train, validation, test = loader("train", True), loader("validation", False), loader("test", False)

def endless(data):
    while True:
        yield from data

model = nn.Sequential(
    nn.Conv2d(3, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(64, 128, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(128, 128, 3), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(7 * 7 * 128, 512), nn.ReLU(), nn.Linear(512, 1), nn.Sigmoid())
for m in model.modules():
    if isinstance(m, (nn.Conv2d, nn.Linear)):
        nn.init.xavier_uniform_(m.weight)
        nn.init.zeros_(m.bias)
model = model.to(memory_format=torch.channels_last)
optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-4, alpha=0.9, eps=1e-7)
loss_fn = nn.BCELoss()

def evaluate(data, steps):
    model.eval()
    seen = correct = total_loss = 0
    with torch.no_grad():
        for i, (x, y) in enumerate(data):
            if i == steps:
                break
            out = model(x.contiguous(memory_format=torch.channels_last)).squeeze(1)
            total_loss += loss_fn(out, y.float()).item() * len(y)
            correct += ((out > 0.5).long() == y).sum().item()
            seen += len(y)
    return total_loss / seen, correct / seen

history = {"loss": [], "acc": [], "val_loss": [], "val_acc": []}
batches = endless(train)
started = time.perf_counter()
for epoch in range(args.epochs):
    model.train()
    seen = correct = total_loss = 0
    for _ in range(100):
        x, y = next(batches)
        out = model(x.contiguous(memory_format=torch.channels_last)).squeeze(1)
        loss = loss_fn(out, y.float())
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(y)
        correct += ((out.detach() > 0.5).long() == y).sum().item()
        seen += len(y)
    val_loss, val_acc = evaluate(validation, 50)
    for key, value in zip(history, (total_loss / seen, correct / seen, val_loss, val_acc)):
        history[key].append(value)
    print(f"epoch {epoch + 1}/{args.epochs}: loss {total_loss / seen:.4f} acc {correct / seen:.4f} "
          f"val_loss {val_loss:.4f} val_acc {val_acc:.4f}", flush=True)
seconds = (time.perf_counter() - started) / args.epochs
test_loss, test_acc = evaluate(test, 50)
record = {"experiment": "scratch-torch", "framework": f"torch {torch.__version__}", "epochs": args.epochs,
          "secondsPerEpoch": seconds, "validationAccuracy": history["val_acc"][-1], "testAccuracy": test_acc,
          "history": history}
os.makedirs("docs/results", exist_ok=True)
with open("docs/results/scratch-torch.json", "w") as f:
    json.dump(record, f, indent=1)
print(f"scratch-torch: validation {record['validationAccuracy']:.4f}, test {test_acc:.4f}, {seconds:.1f} s/epoch")
