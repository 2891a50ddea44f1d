#!/usr/bin/env python3
"""Exports torchvision's ImageNet-pretrained networks as the TorchScript files vision-core loads.

For each --arch (resnet50, resnet18, vgg16) it writes into --out:
  <arch>-imagenet.pt        the whole classifier: float32 N x 3 x 224 x 224 (torch preprocessing) -> N x 1000 logits
  <arch>-imagenet-notop.pt  the backbone without pooling and top: -> N x C x 7 x 7 feature maps (transfer learning)

Run it where torchvision can download its weights (or has them cached), then copy the files into the weights
directory (TRANSFERLAB_WEIGHTS_DIR). --random exports untrained networks (for tests and benchmarks; no download).

--fast bf16 --channels-last makes the modules compute in bfloat16 and the channels-last layout inside (inputs and
outputs stay float32 NCHW). On CPUs with AMX (Intel Sapphire Rapids and later) ResNet-50 features are then about
2.8x faster (see docs/vision-core.md); on CPUs without native bf16 they are slower. Use such files for frozen
backbones and classification only: fine-tuning bf16 weights loses small updates.
"""
import argparse
import os

import torch
import torchvision

WEIGHTS = {
    "resnet50": "ResNet50_Weights.IMAGENET1K_V1",
    "resnet18": "ResNet18_Weights.IMAGENET1K_V1",
    "vgg16": "VGG16_Weights.IMAGENET1K_V1",
}


class Converting(torch.nn.Module):
    """float32 NCHW in and out; the wrapped module runs in its own precision and memory layout."""

    def __init__(self, body, dtype, channels_last):
        super().__init__()
        self.body = body
        self.dtype = dtype
        self.channels_last = channels_last

    def forward(self, x):
        x = x.to(self.dtype)
        if self.channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        return self.body(x).float().contiguous()


def build(arch, random):
    ctor = getattr(torchvision.models, arch)
    if random:
        torch.manual_seed(0)
        return ctor(weights=None).eval()
    return ctor(weights=WEIGHTS[arch]).eval()


def without_top(arch, model):
    if arch.startswith("resnet"):
        return torch.nn.Sequential(*list(model.children())[:-2]).eval()
    return model.features.eval()


def prepare(module, fast, channels_last):
    if not fast and not channels_last:
        return module
    dtype = torch.bfloat16 if fast == "bf16" else torch.float32
    module = module.to(dtype)
    if channels_last:
        module = module.to(memory_format=torch.channels_last)
    return Converting(module, dtype, channels_last).eval()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--arch", action="append", choices=sorted(WEIGHTS), required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--random", action="store_true", help="untrained weights (nothing is downloaded)")
    p.add_argument("--fast", choices=["bf16"], help="compute in bfloat16 inside the module")
    p.add_argument("--channels-last", action="store_true", help="channels-last memory layout inside the module")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    example = torch.zeros(1, 3, 224, 224)
    suffix = "random" if a.random else "imagenet"
    for arch in a.arch:
        model = build(arch, a.random)
        with torch.no_grad():
            for name, module in (("%s-%s.pt" % (arch, suffix), model),
                                 ("%s-%s-notop.pt" % (arch, suffix), without_top(arch, model))):
                path = os.path.join(a.out, name)
                torch.jit.trace(prepare(module, a.fast, a.channels_last), example, check_trace=False).save(path)
                print("wrote", path)


if __name__ == "__main__":
    main()
