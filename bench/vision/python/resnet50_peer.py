#!/usr/bin/env python3
"""ResNet-50 feature extraction in PyTorch, for vision-core's benchmark.

  export --out DIR   trace torchvision's ResNet-50 without its top (random weights, seed 0) to TorchScript files
                     in the variants the Java benchmark loads in DJL
  peer               time the same network in PyTorch eager mode on this machine and print one JSON line per result

Debian's python3-torch (1.13) is enough; no pretrained weights are needed.
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch
import torchvision

# the wrapper that vision-core's export script writes into bf16/channels-last backbones, so both measure the same
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "vision-core", "scripts"))
from export_torchvision import Converting  # noqa: E402


def features(dtype=torch.float32, channels_last=False):
    torch.manual_seed(0)
    model = torchvision.models.resnet50(weights=None)
    body = torch.nn.Sequential(*list(model.children())[:-2]).eval()
    body = body.to(dtype)
    if channels_last:
        body = body.to(memory_format=torch.channels_last)
    return body


VARIANTS = {
    "fp32": (torch.float32, False),
    "fp32-channels-last": (torch.float32, True),
    "bf16-channels-last": (torch.bfloat16, True),
}


def export(out):
    os.makedirs(out, exist_ok=True)
    example = torch.zeros(1, 3, 224, 224)
    for name, (dtype, cl) in VARIANTS.items():
        module = Converting(features(dtype, cl), dtype, cl) if (dtype != torch.float32 or cl) else features()
        with torch.no_grad():
            traced = torch.jit.trace(module, example, check_trace=False)
        path = os.path.join(out, "resnet50-random-notop-%s.pt" % name)
        traced.save(path)
        print("wrote", path, file=sys.stderr)
    with torch.no_grad():
        frozen = torch.jit.freeze(torch.jit.trace(features(), example).eval())
    path = os.path.join(out, "resnet50-random-notop-fp32-frozen.pt")
    frozen.save(path)
    print("wrote", path, file=sys.stderr)


def measure(module, batch, seconds, dtype, channels_last):
    x = torch.rand(batch, 3, 224, 224)
    with torch.no_grad():
        def run():
            y = x.to(dtype)
            if channels_last:
                y = y.contiguous(memory_format=torch.channels_last)
            return module(y)
        for _ in range(3):
            run()
        rates = []
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline or len(rates) < 3:
            t = time.perf_counter()
            run()
            rates.append(batch / (time.perf_counter() - t))
    return statistics.median(rates), len(rates)


def peer(threads, batches, seconds, variants):
    torch.set_num_threads(threads)
    for name in variants:
        dtype, cl = VARIANTS[name]
        module = features(dtype, cl)
        for batch in batches:
            rate, n = measure(module, batch, seconds, dtype, cl)
            print(json.dumps({"engine": "pytorch-%s-eager" % torch.__version__, "variant": name, "batch": batch,
                              "threads": torch.get_num_threads(), "images_per_second": rate, "runs": n}),
                  flush=True)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("export")
    e.add_argument("--out", required=True)
    q = sub.add_parser("peer")
    q.add_argument("--threads", type=int, default=2)
    q.add_argument("--batches", default="1,16")
    q.add_argument("--seconds", type=float, default=20)
    q.add_argument("--variants", default="fp32,fp32-channels-last")
    a = p.parse_args()
    if a.command == "export":
        export(a.out)
    else:
        peer(a.threads, [int(b) for b in a.batches.split(",")], a.seconds, a.variants.split(","))


if __name__ == "__main__":
    main()
