#!/usr/bin/env python3
"""How far a frozen source can go on the protocol's small target, in the field's standard tool: for every seed of a
ProtocolBench manifest, the source model and the target runs of one size are trained exactly as protocol_torch.py
trains them (same images, same order), and then the frozen source is given every chance the protocol does not give
it. One Markdown table: test accuracy per seed, mean, and accuracy per target class.

  frozen_ceiling.py --work DIR [--size 200] [--threads 2] [--seeds 1,2,3]

Why: BatchNormTransferIT's issue asks that a frozen source + head beat ResNet-18 from scratch on 200 images of
classes 5-9. If no head on the frozen features gets there, the source's features (Fashion-MNIST classes 0-4: tops,
trousers, dresses, coats) are what falls short, not the way a head is trained, and no engine can meet it.

Rows, each after the source of its seed (the frozen rows differ only in what is listed):
- ResNet-18 from scratch, frozen + head, fine-tuned (batch norm frozen / train): the protocol's cells.
- frozen, head 50 epochs: the head trained five times as long (epochs past the manifest's orders reuse them).
- frozen, head at 1e-2: ten times the learning rate, 10 epochs.
- frozen, batch norms re-estimated on the target: every batch norm's running statistics recomputed from the
  200 target images (AdaBN) before the head is trained, 50 epochs.
- frozen at layer3: the last residual stage dropped, the head on layer3's 256 x 2 x 2 output, 50 epochs.
"""
import argparse
import copy
import json
import os

import numpy as np
import torch
from torch import nn

import protocol_torch as pt

FASHION = ["T-shirt/top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot"]


def per_class(net, x, y, classes):
    net.eval()
    with torch.no_grad():
        predicted = torch.cat([net(x[i:i + pt.EVAL_BATCH]).argmax(1) for i in range(0, len(x), pt.EVAL_BATCH)])
    return [float((predicted[y == c] == c).float().mean()) for c in range(classes)]


def cycled(orders, epochs):
    return [orders[e % len(orders)] for e in range(epochs)]


def frozen_head(backbone, spec, x, y, orders, epochs, lr, seed):
    """A new head on a frozen backbone, trained as the protocol's frozen cell is, for epochs at lr."""
    torch.manual_seed(seed)
    backbone.eval()
    with torch.no_grad():
        shape = backbone(x[:1]).shape[1:]
    head = pt.Head("avg", shape, 0, 0.0, len(spec["classes"]))
    pt.glorot(head)
    net = pt.Net(backbone, head)
    pt.stage(net, [(head.parameters(), lr)], spec, x, y, cycled(orders, epochs), True, True, True)
    return net


def batch_norms_on(backbone, x):
    """The backbone with every batch norm's running statistics recomputed from x (a cumulative average)."""
    adapted = copy.deepcopy(backbone)
    for m in adapted.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None
    adapted.train()
    with torch.no_grad():
        for i in range(0, len(x), 32):
            adapted(x[i:i + 32])
    return adapted.eval()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--work", required=True, help="the folder with ProtocolBench's manifest.json (--step prepare)")
    p.add_argument("--size", type=int, default=200, help="the target training size whose runs are examined")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seeds", help="source seeds to run, comma-separated (default: every seed of the manifest)")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    with open(os.path.join(args.work, "manifest.json")) as f:
        manifest = json.load(f)
    runs = {r["runId"]: r for r in manifest["runs"]}
    rows, class_names = {}, None

    def record(name, seed, acc, classes_acc):
        rows.setdefault(name, {})[seed] = (acc, classes_acc)
        print("[ceiling] seed %d  %-52s %.4f  %s" % (seed, name, acc, " ".join("%.2f" % a for a in classes_acc)),
              flush=True)

    seeds = [int(x) for x in args.seeds.split(",")] if args.seeds else manifest["seeds"]
    for source_seed in seeds:
        source_run = runs["source-s%d" % source_seed]
        source_net = pt.train(source_run, manifest["data"][source_run["data"]], args.work, {}, True)[0]
        sources = {source_run["runId"]: source_net}
        target_seed = source_seed + 6
        key = "n%d-s%d" % (args.size, target_seed)
        if key + "-frozen" not in runs:
            raise SystemExit("the manifest has no %d-image target runs" % args.size)
        data = manifest["data"][key]
        side = runs[key + "-frozen"]["spec"]["imageSize"]
        x = pt.inputs(pt.read_idx(os.path.join(args.work, data["trainImages"])), side)
        y = torch.from_numpy(pt.read_idx(os.path.join(args.work, data["trainLabels"])).astype(np.int64))
        xt = pt.inputs(pt.read_idx(os.path.join(args.work, data["testImages"])), side)
        yt = torch.from_numpy(pt.read_idx(os.path.join(args.work, data["testLabels"])).astype(np.int64))
        spec = runs[key + "-frozen"]["spec"]
        k = len(spec["classes"])
        class_names = [FASHION[c] for c in spec["classes"]]
        for cell, name in (("resnet18", "ResNet-18 from scratch (protocol)"),
                           ("frozen", "frozen + head (protocol)"),
                           ("fine-tuned-bn-frozen", "fine-tuned, batch norm frozen (protocol)"),
                           ("fine-tuned-bn-train", "fine-tuned, batch norm train (protocol)")):
            run = runs["%s-%s" % (key, cell)]
            net, acc = pt.train(run, data, args.work, sources, True)[:2]
            record(name, target_seed, acc, per_class(net, xt, yt, k))
        backbone = source_net.backbone
        epochs, orders, lr = spec["epochs"], data["orders"], spec["learningRate"]
        variants = (
            ("frozen, head 50 epochs", lambda: frozen_head(copy.deepcopy(backbone), spec, x, y, orders, 50, lr,
                                                            target_seed)),
            ("frozen, head at 1e-2", lambda: frozen_head(copy.deepcopy(backbone), spec, x, y, orders, epochs, 1e-2,
                                                          target_seed)),
            ("frozen, batch norms re-estimated on the target, 50 epochs",
             lambda: frozen_head(batch_norms_on(backbone, x), spec, x, y, orders, 50, lr, target_seed)),
            ("frozen at layer3 (layer4 dropped), 50 epochs",
             lambda: frozen_head(nn.Sequential(*list(copy.deepcopy(backbone).children())[:-1]), spec, x, y, orders,
                                 50, lr, target_seed)),
        )
        for name, build in variants:
            net = build()
            record(name, target_seed, pt.accuracy(net, xt, yt), per_class(net, xt, yt, k))

    print_table(rows, args.size, class_names)


def print_table(rows, size, class_names):
    """rows: run name -> target seed -> (test accuracy, accuracy per class)."""
    target_seeds = sorted(next(iter(rows.values())).keys())
    print()
    print("Frozen source vs ResNet-18 from scratch, %d target images, %s; test accuracy (target seeds %s) and mean "
          "accuracy per class" % (size, "PyTorch " + torch.__version__, ", ".join(str(s) for s in target_seeds)))
    print()
    header = ["run"] + ["seed %d" % s for s in target_seeds] + ["mean"] + class_names
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for name, by_seed in rows.items():
        accs = [by_seed[s][0] for s in target_seeds]
        classes_mean = np.mean([by_seed[s][1] for s in target_seeds], axis=0)
        print("| " + " | ".join([name] + ["%.3f" % a for a in accs] + ["%.3f" % np.mean(accs)]
                                + ["%.2f" % c for c in classes_mean]) + " |")

if __name__ == "__main__":
    main()
