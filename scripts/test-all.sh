#!/usr/bin/env bash
# README's test command (npm test): installs everything on a fresh machine of this kind, then runs every check
# and test, the end-to-end test in a real VS Code (code-server) included. .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n=== %s\n' "$*"; }

step "system packages (apt: chromium, Fashion-MNIST, code-server build deps)"
bash scripts/install-system.sh
step "npm dependencies and build"
bash scripts/setup.sh
step "architecture checks"
node scripts/check-core-imports.mjs
node scripts/check-commands.mjs
step "type check"
npm run --silent typecheck
step "unit tests"
npm run --silent test:unit
step "package the .vsix"
rm -f collapse-lens-linux-x64-*.vsix
bash scripts/package.sh linux-x64
step "end-to-end tests in code-server"
bash e2e/run.sh "$(ls -t collapse-lens-linux-x64-*.vsix | head -1)"
