"""Writes torchvision networks with random weights and their outputs, for bench/weights/verify.

For resnet18, resnet50 and vgg16: random parameters (torchvision's own initialisation), batch-norm running
statistics estimated on random batches (so activations stay O(1) in eval mode, as with real weights), the state
dict saved with torch.save (zip format for the ResNets, the legacy format for VGG16: torchvision's published
vgg16-397923af.pth is a legacy file), and for one fixed input batch the logits and the no-top features, as
little-endian float32 files with their shapes in a JSON manifest.

The same model and batch run again in float64 (`.double()` casts the parameters and the running statistics;
the float32 values widen exactly): those outputs go to little-endian float64 files, and the manifest records how
far PyTorch's own float32 outputs lie from them, the rounding that float32 alone causes.
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


def outputs(arch, model, inputs):
    """The logits and the no-top features (everything before the pooling and the classifier) of inputs."""
    with torch.no_grad():
        logits = model(inputs)
        if arch == "vgg16":
            features = model.features(inputs)
        else:
            features = torch.nn.Sequential(*list(model.children())[:-2])(inputs)
    return logits, features


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
    torch.save(model.state_dict(), f"{out}/{arch}.pth", _use_new_zipfile_serialization=not legacy)
    logits, features = outputs(arch, model, x)
    logits64, features64 = outputs(arch, model.double(), x.double())
    logits.numpy().astype("<f4").tofile(f"{out}/{arch}-logits.bin")
    features.numpy().astype("<f4").tofile(f"{out}/{arch}-features.bin")
    logits64.numpy().astype("<f8").tofile(f"{out}/{arch}-logits-f64.bin")
    features64.numpy().astype("<f8").tofile(f"{out}/{arch}-features-f64.bin")
    manifest["nets"][arch] = {"logits": list(logits.shape), "features": list(features.shape),
                              "format": "legacy" if legacy else "zip",
                              "float64": {"logits": f"{arch}-logits-f64.bin", "features": f"{arch}-features-f64.bin"},
                              "max_abs_logit": float(logits.abs().max()),
                              "max_abs_feature": float(features.abs().max()),
                              "torch_f32_vs_f64": {"logits": float((logits.double() - logits64).abs().max()),
                                                   "features": float((features.double() - features64).abs().max())}}
    print(f"{arch}: logits {tuple(logits.shape)}, features {tuple(features.shape)}, saved in "
          f"{'legacy' if legacy else 'zip'} format", file=sys.stderr)
with open(f"{out}/manifest.json", "w") as f:
    json.dump(manifest, f, indent=1)
