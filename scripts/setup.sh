#!/usr/bin/env bash
# Installs everything Collapse Lens needs to build and run, from the npm registry alone.
# onnxruntime-node's postinstall would download the CUDA provider libraries from outside the npm
# registry (unreachable here, and not needed for the CPU provider): skip it. A machine with a GPU and
# network installs with ONNXRUNTIME_NODE_INSTALL=cuda12 instead (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
export ONNXRUNTIME_NODE_INSTALL="${ONNXRUNTIME_NODE_INSTALL:-skip}"
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
source scripts/lib/build-if-stale.sh
build_if_stale
