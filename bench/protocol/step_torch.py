#!/usr/bin/env python3
"""The PyTorch half of the step benchmark: one gradient step of protocol_torch.py's ResNet-18 (or small CNN), split
into forward, backward and optimizer, timed over many steps; bench/vision's StepBench times the same step in
vision-core. bench/protocol/steps runs both alternately.

  step_torch.py [--arch resnet18] [--size 32] [--batch 16] [--steps 60] [--warmup 10] [--threads 2]
"""
import argparse
import time

import torch
import torch.nn.functional as F

import protocol_torch as pt


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--arch", default="resnet18")
    p.add_argument("--size", type=int, default=32)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--steps", type=int, default=60)
    p.add_argument("--warmup", type=int, default=10)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--channels-last", action="store_true")
    p.add_argument("--zero-grads", action="store_true",
                   help="zero the gradients in place after the update, as vision-core must, instead of dropping them")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(1)
    backbone = pt.resnet18() if args.arch == "resnet18" else pt.small_cnn()
    backbone.eval()
    with torch.no_grad():
        shape = backbone(torch.zeros(1, 3, args.size, args.size)).shape[1:]
    net = pt.Net(backbone, pt.Head("avg", shape, 0, 0.0, 5))
    pt.glorot(net)
    if args.channels_last:
        net = net.to(memory_format=torch.channels_last)
    net.train()
    optimizer = pt.KerasOptimizer("adam", [(list(net.parameters()), 1e-3)], 0.0)
    forward, backward, update = [], [], []
    for s in range(-args.warmup, args.steps):
        x = torch.rand(args.batch, 3, args.size, args.size)
        if args.channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        y = torch.randint(0, 5, (args.batch,))
        t0 = time.perf_counter()
        loss = F.cross_entropy(net(x), y)
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        optimizer.step()
        if args.zero_grads:
            with torch.no_grad():
                for q in net.parameters():
                    if q.grad is None:
                        q.grad = torch.zeros_like(q)
                    else:
                        q.grad.zero_()
        loss.item()
        t3 = time.perf_counter()
        if s >= 0:
            forward.append(t1 - t0)
            backward.append(t2 - t1)
            update.append(t3 - t2)
    step = [a + b + c for a, b, c in zip(forward, backward, update)]
    count = sum(len(ps) for ps, _ in optimizer.groups)
    print("| PyTorch %s | %s | %d px | %d | %d | %s | %s | %s | %s |" % (
        torch.__version__, args.arch, args.size, args.batch, count, ms(forward), ms(backward), ms(update), ms(step)))


def ms(seconds):
    s = sorted(seconds)
    return "%.1f (min %.1f) ms" % (s[len(s) // 2] * 1e3, s[0] * 1e3)


if __name__ == "__main__":
    main()
