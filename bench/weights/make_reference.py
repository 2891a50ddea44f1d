"""Writes torchvision networks with random weights and their outputs, for bench/weights/verify.

For resnet18, resnet50 and vgg16: random parameters (torchvision's own initialisation), batch-norm running
statistics estimated on random batches (so activations stay O(1) in eval mode, as with real weights), the state
dict saved with torch.save (zip format for the ResNets, the legacy format for VGG16: torchvision's published
vgg16-397923af.pth is a legacy file), and for one fixed input batch the logits and the no-top features, as
little-endian float32 files with their shapes in a JSON manifest.
"""
import json
import sys

import torch
import torchvision

out = sys.argv[1]
batch = int(sys.argv[2]) if len(sys.argv) > 2 else 4
torch.manual_seed(20261204)
x = torch.randn(batch, 3, 224, 224)
x.numpy().astype("<f4").tofile(f"{out}/input.bin")
manifest = {"torch": torch.__version__, "torchvision": torchvision.__version__, "input": list(x.shape), "nets": {}}
for arch, legacy in [("resnet18", False), ("resnet50", False), ("vgg16", True)]:
    model = getattr(torchvision.models, arch)()
    bns = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    for bn in bns:
        bn.reset_running_stats()
        bn.momentum = None  # cumulative average over the calibration batches
        with torch.no_grad():
            bn.weight.uniform_(0.5, 1.5)
            bn.bias.uniform_(-0.2, 0.2)
    if bns:
        model.train()
        with torch.no_grad():
            for _ in range(3):
                model(torch.randn(8, 3, 224, 224))
    model.eval()
    with torch.no_grad():
        logits = model(x)
        if arch == "vgg16":
            features = model.features(x)
        else:
            features = torch.nn.Sequential(*list(model.children())[:-2])(x)
    torch.save(model.state_dict(), f"{out}/{arch}.pth", _use_new_zipfile_serialization=not legacy)
    logits.numpy().astype("<f4").tofile(f"{out}/{arch}-logits.bin")
    features.numpy().astype("<f4").tofile(f"{out}/{arch}-features.bin")
    manifest["nets"][arch] = {"logits": list(logits.shape), "features": list(features.shape),
                              "format": "legacy" if legacy else "zip",
                              "max_abs_logit": float(logits.abs().max()),
                              "max_abs_feature": float(features.abs().max())}
    print(f"{arch}: logits {tuple(logits.shape)}, features {tuple(features.shape)}, saved in "
          f"{'legacy' if legacy else 'zip'} format", file=sys.stderr)
with open(f"{out}/manifest.json", "w") as f:
    json.dump(manifest, f, indent=1)
