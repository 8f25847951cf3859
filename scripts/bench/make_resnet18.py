#!/usr/bin/env python3
"""A torchvision ResNet-18 for bench:onnx (issue 16): nothing large is committed, this script makes it.

Adapted to Fashion-MNIST's 1x28x28 images the way CIFAR ResNets are: a 3x3 stride-1 stem and no max-pool,
so the blocks see 28x28, 14x14, 7x7 and 4x4 maps (about 0.45 GFLOP an image, 11.2 M parameters). The
weights are torchvision's initialisation, untrained: the benchmark measures time and memory, and the
metrics' exactness is tested on the trained fixtures. Exported with opset 14 and a dynamic batch, as a
user's torch.onnx.export would.

    /usr/bin/python3 scripts/bench/make_resnet18.py OUT.onnx
"""
import sys

import torch
import torchvision


def main(out: str) -> None:
    torch.manual_seed(0)
    model = torchvision.models.resnet18(num_classes=10)
    model.conv1 = torch.nn.Conv2d(1, 64, kernel_size=3, stride=1, padding=1, bias=False)
    model.maxpool = torch.nn.Identity()
    model.eval()
    example = torch.zeros(2, 1, 28, 28)
    torch.onnx.export(model, example, out, opset_version=14, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_resnet18.py OUT.onnx")
    main(sys.argv[1])
