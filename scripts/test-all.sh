#!/usr/bin/env bash
# README's test command (npm test): installs everything on a fresh machine of this kind, then runs every check
# and test, the end-to-end test in a real VS Code (code-server) included. .ci/run calls exactly this.
#
# A failing step does not hide the others: every step whose prerequisites passed still runs (a unit-test
# failure must not keep the e2e suite from telling its own story), a step whose prerequisite failed is
# reported as skipped with the reason, and the run ends with one summary of every step and the test counts.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/steps.sh

logs=.artifacts/test-all
mkdir -p "$logs"

run_step system "system packages (apt: chromium, Fashion-MNIST, code-server build deps)" bash scripts/install-system.sh
run_step setup "npm dependencies and build" bash scripts/setup.sh
if passed setup; then
  # The e2e scripts are plain JavaScript that nothing compiles: a syntax error would otherwise surface
  # only minutes later, after packaging, as a test file that never ran.
  run_step architecture "architecture checks (core imports, commands, e2e scripts parse)" bash -c 'node scripts/check-core-imports.mjs && node scripts/check-commands.mjs && for f in e2e/lib/*.mjs e2e/tests/*.mjs; do node --check "$f" || exit 1; done'
  run_step typecheck "type check" npm run --silent typecheck
  run_tests unit "unit and webview tests" "$logs/unit.log" npm run --silent test:unit
  rm -f collapse-lens-linux-x64-*.vsix
  run_step package "package the .vsix" bash scripts/package.sh linux-x64
else
  for s in architecture typecheck unit package; do skip_step "$s" "npm dependencies and build failed"; done
fi
if passed package && passed system; then
  run_tests e2e "end-to-end tests in code-server" "$logs/e2e.log" bash e2e/run.sh "$(ls -t collapse-lens-linux-x64-*.vsix | head -1)"
else
  skip_step e2e "$(passed package && echo "system packages failed" || echo "no .vsix was packaged")"
fi

print_summary
