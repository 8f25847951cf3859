"""Exports torchvision's ResNet-18 (1,000 classes, random weights: speed does not depend on them) to ONNX
for bench:data's inference column. Written to the path given (a temp dir), never committed.

  /usr/bin/python3 bench/scripts/make_resnet18.py /tmp/collapse-lens-bench/resnet18.onnx
"""
import os
import sys

import torch
import torchvision

out = sys.argv[1]
os.makedirs(os.path.dirname(out), exist_ok=True)
torch.manual_seed(0)
model = torchvision.models.resnet18(num_classes=1000).eval()
torch.onnx.export(model, torch.zeros(1, 3, 224, 224), out, opset_version=13, input_names=["input"], output_names=["logits"],
                  dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
print(out)
