#!/usr/bin/env bash
# The main job on the bundled demo: a small CNN trained on Fashion-MNIST into the terminal phase,
# analysed on a committed 2,000-image training slice and 1,000 held-out images.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p .artifacts
node bin/collapse-lens.js analyze test/fixtures/models/cnn.onnx \
  --train test/fixtures/fashion --test test/fixtures/fashion \
  --out .artifacts/demo-result.json "$@"
