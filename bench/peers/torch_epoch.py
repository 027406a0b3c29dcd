"""PyTorch peer of bench/epoch.ts: the lecture's epoch as a PyTorch user writes it.

torchvision ImageFolder with images resized to 150x150 (nearest) once and kept in memory (as
deeptype's and Keras's caches do), the lecture's augmentation as torchvision transforms
(RandomAffine: rotation 40 degrees, shifts 0.2, shear 0.2 degrees as Keras's shear_range,
zoom 0.8-1.2; horizontal flip), ToTensor (the 1/255 rescale), a DataLoader with persistent
workers, the lecture convnet in channels-last memory (PyTorch's fastest layout on this CPU),
RMSprop as Keras's (rho 0.9, eps 1e-7), validation over the 1,000 validation images.
Prints one JSON line: {"tool", "version", "experiment", "epochSeconds"}.

Run by bench/epoch.ts with Debian's python3-torch and python3-torchvision, with glibc told to
keep freed memory (PyTorch's fastest configuration here; ../shared/bench/README.md).
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from torchvision.transforms import InterpolationMode

RECIPES = {"scratch": (20, False), "augment": (32, True)}  # batch size, augmentation + dropout
STEPS, VALIDATION_BATCH, VALIDATION_STEPS = 100, 20, 50

p = argparse.ArgumentParser()
p.add_argument("--data", required=True)
p.add_argument("--exp", choices=sorted(RECIPES), default="augment")
p.add_argument("--epochs", type=int, default=3)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--workers", type=int, default=1)
args = p.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(1)
batch, augment = RECIPES[args.exp]


class CachedFolder(datasets.ImageFolder):
    """ImageFolder whose decoded, resized images stay in memory (per worker process)."""

    def __init__(self, root, transform):
        super().__init__(root, transform=transform)
        self.resize = transforms.Resize((150, 150), interpolation=InterpolationMode.NEAREST)
        self.cache = {}

    def __getitem__(self, i):
        if i not in self.cache:
            path, label = self.samples[i]
            self.cache[i] = (self.resize(self.loader(path)), label)
        image, label = self.cache[i]
        return self.transform(image), label


augmentation = [transforms.RandomAffine(40, translate=(0.2, 0.2), scale=(0.8, 1.2), shear=0.2,
                                        interpolation=InterpolationMode.BILINEAR),
                transforms.RandomHorizontalFlip()] if augment else []
train_set = CachedFolder(f"{args.data}/train", transforms.Compose([*augmentation, transforms.ToTensor()]))
validation_set = CachedFolder(f"{args.data}/validation", transforms.ToTensor())
loader = dict(num_workers=args.workers, persistent_workers=args.workers > 0)
train_loader = DataLoader(train_set, batch_size=batch, shuffle=True, drop_last=False, **loader)
validation_loader = DataLoader(validation_set, batch_size=VALIDATION_BATCH, shuffle=False, **loader)


def block(cin, cout):
    return [nn.Conv2d(cin, cout, 3), nn.ReLU(), nn.MaxPool2d(2)]


model = nn.Sequential(*block(3, 32), *block(32, 64), *block(64, 128), *block(128, 128), nn.Flatten(),
                      *([nn.Dropout(0.5)] if augment else []), nn.Linear(128 * 7 * 7, 512), nn.ReLU(),
                      nn.Linear(512, 1)).to(memory_format=torch.channels_last)
optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-4, alpha=0.9, eps=1e-7)
loss_fn = nn.BCEWithLogitsLoss()


def endless(loader_):
    while True:
        yield from loader_


train_batches = endless(train_loader)
seconds = []
for epoch in range(args.epochs):
    start = time.perf_counter()
    model.train()
    correct = seen = 0
    for _ in range(STEPS):
        x, y = next(train_batches)
        x = x.contiguous(memory_format=torch.channels_last)
        y = y.float().unsqueeze(1)
        optimizer.zero_grad(set_to_none=True)
        logits = model(x)
        loss = loss_fn(logits, y)
        loss.backward()
        optimizer.step()
        correct += ((logits > 0).float() == y).sum().item()
        seen += len(y)
    model.eval()
    val_correct = val_seen = 0
    with torch.no_grad():
        for x, y in validation_loader:
            logits = model(x.contiguous(memory_format=torch.channels_last))
            val_correct += ((logits > 0).float().squeeze(1) == y.float()).sum().item()
            val_seen += len(y)
    seconds.append(time.perf_counter() - start)
    print(f"epoch {epoch + 1}: {seconds[-1]:.1f} s, acc {correct / seen:.3f}, val_acc {val_correct / val_seen:.3f}", flush=True)
print(json.dumps({"tool": "torch", "version": f"{torch.__version__} (torchvision {torchvision.__version__}, {args.workers} workers)",
                  "experiment": args.exp, "epochSeconds": seconds}))
