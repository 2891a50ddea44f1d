#!/usr/bin/env python3
"""The PyTorch side of bench/protocol: every run of the manifest that ProtocolBench (--step prepare) wrote, trained in
this machine's own PyTorch (Debian's python3-torch and python3-torchvision are enough), on the same images in the
same order, the way vision-core trains it. One JSON line per run.

  protocol_torch.py --work DIR [--threads 2] [--features-once]

What is mirrored, and where vision-core defines it:
- data: the IDX files of the manifest hold exactly the images vision-core's data preparation samples, relabelled;
  every epoch visits them in the order the manifest lists (vision-core's seeded shuffle), in the same batches.
- inputs (ImageTensors, Preprocessing "unit"): gray 28 px to float, bilinear resize to the spec's side with
  half-pixel centres and no antialiasing, repeated to 3 channels, divided by 255.
- small-cnn (Architecture.smallCnn): conv 32 3x3 relu, conv 32 3x3 relu, max-pool 2, no padding.
- resnet18 (Architecture.resNet18): torchvision's resnet18 without avgpool and fc, which has the same stem (7x7
  stride 2, max-pool 3 stride 2: vision-core does not adapt it to small images either) and blocks; every
  convolution gets a bias as in vision-core (Keras' convention), batch norms use epsilon 1.001e-5 and momentum 0.1
  (Layers.batchNorm).
- head (HeadBlock): avg (mean over H, W) or flatten (C, H, W order), [dropout, dense, relu], dropout, dense.
- initialisation (Backbones.random, Network.assemble): Glorot uniform for every conv and dense kernel, zero biases,
  batch norm gamma 1 and beta 0; seeded from the run's seed (the values differ from vision-core's Java generator).
- optimizers (KerasOptimizer, FusedSteps): Keras' Adam (bias correction folded into the step size, epsilon 1e-7
  outside the square root), RMSprop (rho 0.9, epsilon 1e-7), SGD with momentum; one state per stage (a fine-tuning
  stage starts afresh, as a Keras recompile), head and backbone groups with their own learning rates.
- batch norm (TransferTrainer.batchNormMode): trained from scratch they train; a frozen backbone runs them in eval
  mode; a transferred backbone being fine-tuned uses eval mode unless batchNorm is "train".
- a frozen backbone runs on every batch of every epoch without gradients, as Keras does (vision-core computes its
  features once, its feature cache); --features-once computes them once here too.
- the timed span: from building the network to the trained model evaluated on its training and test images and
  saved (vision-core's TransferTrainer.train, which also publishes the model).
"""
import argparse
import copy
import json
import math
import os
import tempfile
import time

import numpy as np
import torch
import torch.nn.functional as F
import torchvision
from torch import nn

BN_EPSILON = 1.001e-5  # Layers.BN_EPSILON
BN_MOMENTUM = 0.1  # DJL's momentum 0.9 in Layers.batchNorm: the running statistics move 0.1 towards each batch
RHO, BETA1, BETA2, EPSILON = 0.9, 0.9, 0.999, 1e-7  # KerasOptimizer
EVAL_BATCH = 256
# vision-core's ResNet-18 without top: torchvision's 11,176,512 + 4,800 conv biases (its 11,190,912 counts the 9,600
# batch-norm running statistics too)
RESNET18_TRAINABLE = 11_181_312


def read_idx(path):
    with open(path, "rb") as f:
        raw = f.read()
    magic, count = int.from_bytes(raw[0:4], "big"), int.from_bytes(raw[4:8], "big")
    if magic == 0x803:
        rows, cols = int.from_bytes(raw[8:12], "big"), int.from_bytes(raw[12:16], "big")
        return np.frombuffer(raw, dtype=np.uint8, count=count * rows * cols, offset=16).reshape(count, rows, cols)
    if magic == 0x801:
        return np.frombuffer(raw, dtype=np.uint8, count=count, offset=8)
    raise SystemExit("%s is not an IDX file of unsigned bytes" % path)


def inputs(images, side):
    x = torch.from_numpy(images.copy()).unsqueeze(1).float()
    if x.shape[-1] != side or x.shape[-2] != side:
        x = F.interpolate(x, size=(side, side), mode="bilinear", align_corners=False)
    return x.repeat(1, 3, 1, 1).div_(255.0)


def with_biases(module):
    """Replaces every convolution under module by the same convolution with a bias."""
    for name, child in module.named_children():
        if isinstance(child, nn.Conv2d) and child.bias is None:
            setattr(module, name, nn.Conv2d(child.in_channels, child.out_channels, child.kernel_size, child.stride,
                                            child.padding, bias=True))
        else:
            with_biases(child)


def small_cnn():
    return nn.Sequential(nn.Conv2d(3, 32, 3), nn.ReLU(inplace=True), nn.Conv2d(32, 32, 3), nn.ReLU(inplace=True),
                         nn.MaxPool2d(2, 2))


def resnet18():
    body = nn.Sequential(*list(torchvision.models.resnet18(weights=None).children())[:-2])
    with_biases(body)
    for m in body.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.eps, m.momentum = BN_EPSILON, BN_MOMENTUM
    count = sum(p.numel() for p in body.parameters())
    if count != RESNET18_TRAINABLE:
        raise SystemExit("resnet18 has %d trainable parameters, vision-core's has %d" % (count, RESNET18_TRAINABLE))
    return body


def glorot(module):
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)


class Head(nn.Module):
    def __init__(self, pooling, features, dense_units, dropout, classes):
        super().__init__()
        if pooling not in ("avg", "flatten"):
            raise SystemExit("pooling %s is not mirrored" % pooling)
        self.pooling = pooling
        width = features[0] if pooling == "avg" else features[0] * features[1] * features[2]
        layers = []
        if dense_units > 0:
            layers += [nn.Dropout(dropout), nn.Linear(width, dense_units), nn.ReLU(inplace=True)]
            width = dense_units
        layers += [nn.Dropout(dropout), nn.Linear(width, classes)]
        self.layers = nn.Sequential(*layers)

    def forward(self, x):
        x = x.mean(dim=(2, 3)) if self.pooling == "avg" else torch.flatten(x, 1)
        return self.layers(x)


class Net(nn.Module):
    def __init__(self, backbone, head):
        super().__init__()
        self.backbone, self.head = backbone, head

    def forward(self, x):
        return self.head(self.backbone(x))


class KerasOptimizer:
    """KerasOptimizer's arithmetic (FusedSteps), step for step; gradients are cleared by the update."""

    def __init__(self, kind, groups, momentum):
        self.kind, self.momentum, self.steps, self.state = kind, momentum, 0, {}
        self.groups = [([p for p in params if p.requires_grad], lr) for params, lr in groups]

    def _state(self, p, count):
        if p not in self.state:
            self.state[p] = [torch.zeros_like(p) for _ in range(count)]
        return self.state[p]

    @torch.no_grad()
    def step(self):
        self.steps += 1
        for params, lr in self.groups:
            for p in params:
                g = p.grad
                if self.kind == "adam":
                    m, v = self._state(p, 2)
                    lr_t = lr * math.sqrt(1 - BETA2 ** self.steps) / (1 - BETA1 ** self.steps)
                    m.mul_(BETA1).add_(g, alpha=1 - BETA1)
                    v.mul_(BETA2).addcmul_(g, g, value=1 - BETA2)
                    p.addcdiv_(m, v.sqrt().add_(EPSILON), value=-lr_t)
                elif self.kind == "rmsprop":
                    (s,) = self._state(p, 1)
                    s.mul_(RHO).addcmul_(g, g, value=1 - RHO)
                    p.addcdiv_(g, s.sqrt().add_(EPSILON), value=-lr)
                elif self.kind == "sgd" and self.momentum == 0:
                    p.add_(g, alpha=-lr)
                elif self.kind == "sgd":
                    (velocity,) = self._state(p, 1)
                    velocity.mul_(self.momentum).add_(g, alpha=-lr)
                    p.add_(velocity)
                else:
                    raise SystemExit("optimizer %s is not mirrored" % self.kind)
                p.grad = None


def features(backbone, x):
    backbone.eval()
    with torch.no_grad():
        return torch.cat([backbone(x[i:i + 32]) for i in range(0, len(x), 32)])


def stage(net, groups, spec, x, y, orders, frozen, bn_inference, features_once):
    """One stage: the epochs of orders, each in its batches (frozen: only the head trains); returns the seconds its
    epochs took (not the features computed once before them, as vision-core counts its epochs)."""
    for p in net.backbone.parameters():
        p.requires_grad_(not frozen)
    optimizer = KerasOptimizer(spec["optimizer"], groups, spec.get("momentum", 0.0))
    cached = features(net.backbone, x) if frozen and features_once else None
    net.train()
    if bn_inference:
        net.backbone.eval()
    batch = spec["batchSize"]
    began = time.perf_counter()
    for order in orders:
        order = torch.as_tensor(order, dtype=torch.long)
        for first in range(0, len(order), batch):
            idx = order[first:first + batch]
            if cached is not None:
                logits = net.head(cached[idx])
            elif frozen:
                with torch.no_grad():
                    f = net.backbone(x[idx])
                logits = net.head(f)
            else:
                logits = net(x[idx])
            F.cross_entropy(logits, y[idx]).backward()
            optimizer.step()
    return time.perf_counter() - began


def accuracy(net, x, y):
    net.eval()
    with torch.no_grad():
        correct = sum(int((net(x[i:i + EVAL_BATCH]).argmax(1) == y[i:i + EVAL_BATCH]).sum())
                      for i in range(0, len(x), EVAL_BATCH))
    return correct / len(x)


def check(spec):
    unsupported = {k: spec.get(k) for k, ok in (
        ("preprocessing", spec.get("preprocessing") == "unit"),
        ("validationSplit", spec.get("validationSplit") == 0.0),
        ("augmentFlip", not spec.get("augmentFlip")),
        ("augmentShift", not spec.get("augmentShift")),
        ("earlyStoppingPatience", not spec.get("earlyStoppingPatience"))) if not ok}
    if unsupported:
        raise SystemExit("spec fields not mirrored here: %s" % unsupported)


def train(run, data, work, sources, features_once):
    spec = run["spec"]
    check(spec)
    # timed from here: vision-core's run also reads its images (from memory) and converts them to tensors
    start, cpu = time.perf_counter(), time.process_time()
    side = spec["imageSize"]
    x_train = inputs(read_idx(os.path.join(work, data["trainImages"])), side)
    y_train = torch.from_numpy(read_idx(os.path.join(work, data["trainLabels"])).astype(np.int64))
    x_test = inputs(read_idx(os.path.join(work, data["testImages"])), side)
    y_test = torch.from_numpy(read_idx(os.path.join(work, data["testLabels"])).astype(np.int64))
    classes = len(spec["classes"])
    torch.manual_seed(spec["seed"])
    name = spec["backbone"]
    pretrained = name.startswith("run:")
    if pretrained:
        backbone = copy.deepcopy(sources[name[len("run:"):]].backbone)
    elif name in ("small-cnn", "resnet18") and spec.get("weights") == "random":
        backbone = small_cnn() if name == "small-cnn" else resnet18()
        glorot(backbone)
    else:
        raise SystemExit("backbone %s (weights %s) is not mirrored" % (name, spec.get("weights")))
    backbone.eval()
    with torch.no_grad():
        shape = backbone(torch.zeros(1, 3, side, side)).shape[1:]
    head = Head(spec["pooling"], shape, spec["denseUnits"], spec["dropout"], classes)
    glorot(head)
    net = Net(backbone, head)
    frozen = bool(spec["freeze"])
    trains_bn = spec.get("batchNorm") == "train"
    epochs, fine_tune = spec["epochs"], spec.get("fineTuneEpochs") or 0
    orders = data["orders"]
    lr = spec["learningRate"]
    groups = [(head.parameters(), lr)] if frozen else [(head.parameters(), lr), (backbone.parameters(), lr)]
    epoch_seconds = stage(net, groups, spec, x_train, y_train, orders[:epochs], frozen,
                          frozen or (pretrained and not trains_bn), features_once)
    if fine_tune > 0:
        groups = [(head.parameters(), lr), (backbone.parameters(), spec["fineTuneLearningRate"])]
        epoch_seconds += stage(net, groups, spec, x_train, y_train, orders[epochs:epochs + fine_tune], False,
                               pretrained and not trains_bn, False)
    train_acc, test_acc = accuracy(net, x_train, y_train), accuracy(net, x_test, y_test)
    with tempfile.TemporaryDirectory() as tmp:
        torch.save(net.state_dict(), os.path.join(tmp, "weights.pt"))  # vision-core publishes its model
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    for p in net.parameters():
        p.requires_grad_(False)
    return net, test_acc, train_acc, seconds, epoch_seconds, cpu_seconds


def warm_up(manifest, work):
    """First calls pay for kernels being chosen: one untimed ResNet-18 pass over 64 images, as on the Java side."""
    data = next(iter(manifest["data"].values()))
    x = inputs(read_idx(os.path.join(work, data["trainImages"]))[:64], 32)
    y = torch.from_numpy(read_idx(os.path.join(work, data["trainLabels"]))[:64].astype(np.int64))
    net = Net(resnet18(), Head("avg", (512, 1, 1), 0, 0.0, 10))
    spec = {"optimizer": "adam", "batchSize": 32}
    stage(net, [(net.parameters(), 1e-3)], spec, x, y, [list(range(64))], False, False, False)
    accuracy(net, x, y)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--work", required=True, help="the folder with ProtocolBench's manifest.json")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--features-once", action="store_true",
                   help="a frozen backbone's features computed once per run (vision-core's cache), not per epoch")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    with open(os.path.join(args.work, "manifest.json")) as f:
        manifest = json.load(f)
    out = os.path.join(args.work, "results-pytorch.jsonl")
    if os.path.exists(out):
        os.remove(out)
    engine = "PyTorch %s, torchvision %s, %d intra-op threads%s" % (
        torch.__version__, torchvision.__version__, args.threads, ", features once" if args.features_once else "")
    warm_up(manifest, args.work)
    sources = {}
    for run in manifest["runs"]:
        data = manifest["data"][run["data"]]
        net, test_acc, train_acc, seconds, epoch_seconds, cpu_seconds = train(run, data, args.work, sources,
                                                                              args.features_once)
        if run["cell"] == "source":
            sources[run["runId"]] = net
        line = {"side": "pytorch", "runId": run["runId"], "cell": run["cell"], "seed": run["seed"],
                "testAccuracy": test_acc, "trainAccuracy": train_acc, "seconds": seconds,
                "epochSeconds": epoch_seconds, "cpuSeconds": cpu_seconds, "engine": engine}
        with open(out, "a") as f:
            f.write(json.dumps(line) + "\n")
        print("[pytorch] %-32s test acc %.4f  %.1f s (epochs %.1f s, CPU %.1f s)" % (
            run["runId"], test_acc, seconds, epoch_seconds, cpu_seconds), flush=True)


if __name__ == "__main__":
    main()
