#!/usr/bin/env python3
"""The peer of GpuCheck's forward check: ResNet-50 without its top (random weights) at 224 px in this machine's own
PyTorch, eager mode, images per second at each batch size, fp32 and bf16. Prints one JSON line per result.

torchvision's resnet50 when torchvision is installed; otherwise the same network written out here (the accelerator
machine may have torch alone), so the figure never depends on what else is installed.
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn


class Bottleneck(nn.Module):
    def __init__(self, inplanes, planes, stride):
        super().__init__()
        width, out = planes, planes * 4
        self.conv1 = nn.Conv2d(inplanes, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, out, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(out)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = None
        if stride != 1 or inplanes != out:
            self.downsample = nn.Sequential(nn.Conv2d(inplanes, out, 1, stride, bias=False), nn.BatchNorm2d(out))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.relu(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        return self.relu(y + identity)


def resnet50_features():
    try:
        import torchvision
        model = torchvision.models.resnet50()
        return nn.Sequential(*list(model.children())[:-2]), "torchvision"
    except ImportError:
        layers = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True),
                  nn.MaxPool2d(3, 2, 1)]
        inplanes = 64
        for planes, blocks, stride in ((64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)):
            for i in range(blocks):
                layers.append(Bottleneck(inplanes, planes, stride if i == 0 else 1))
                inplanes = planes * 4
        return nn.Sequential(*layers), "written-out"


def rate(body, batch, dtype, device, seconds):
    rates = []
    with torch.inference_mode():
        for i in range(1000000):
            start = time.perf_counter()
            x = torch.rand(batch, 3, 224, 224, device=device).to(dtype)
            y = body(x)
            float(y[0].float().sum())  # waits for the device
            if i >= 3:
                rates.append(batch / (time.perf_counter() - start))
            if i == 3:
                deadline = time.perf_counter() + seconds
            if i > 3 and time.perf_counter() > deadline and len(rates) >= 3:
                break
    return statistics.median(rates)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--batches", default="1,64,256")
    p.add_argument("--precisions", default="fp32,bf16")
    p.add_argument("--seconds", type=float, default=10)
    args = p.parse_args()
    torch.manual_seed(0)
    body, source = resnet50_features()
    body = body.eval().to(args.device)
    for precision in args.precisions.split(","):
        dtype = torch.bfloat16 if precision == "bf16" else torch.float32
        net = body.to(dtype)
        for batch in (int(b) for b in args.batches.split(",")):
            r = rate(net, batch, dtype, args.device, args.seconds)
            print(json.dumps({"engine": "pytorch-" + torch.__version__, "network": source, "device": args.device,
                              "precision": precision, "batch": batch, "images_per_second": round(r, 1)}),
                  flush=True)


if __name__ == "__main__":
    main()
