#!/usr/bin/env bash
# Runs the end-to-end tests: the extension under test in a real VS Code (code-server 4.100.3 /
# VS Code 1.100.3) driven by headless Chromium.
#
#   bash e2e/run.sh                      # the newest *.vsix in the repo root (`npm run package` makes it)
#   bash e2e/run.sh path/to/x.vsix       # that .vsix
#   bash e2e/run.sh path/to/folder       # an unpacked extension folder, linked (no packaging; for development)
#   bash e2e/run.sh X e2e/tests/smoke.test.mjs   # only the named test files
#   COLLAPSE_LENS_E2E_HOG=2 bash e2e/run.sh X     # with two busy loops beside it (the suite must pass under load)
#
# Exits non-zero when a test fails. Screenshots and logs land in .artifacts/e2e/<test>/.
set -euo pipefail

e2e_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(dirname "$e2e_dir")"
cd "$repo_root"

if [[ ! -f "$e2e_dir/node_modules/code-server/out/node/entry.js" || ! -d "$e2e_dir/node_modules/playwright-core" ]]; then
  echo "e2e: installing code-server and playwright-core (about a minute; log in .artifacts/e2e/install.log)"
  bash "$e2e_dir/install.sh"
fi

chromium="${COLLAPSE_LENS_E2E_CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x "$chromium" ]]; then
  echo "e2e: no Chromium at $chromium (run scripts/install-system.sh, or set COLLAPSE_LENS_E2E_CHROMIUM)" >&2
  exit 1
fi

extension="${1:-}"
if [[ $# -gt 0 ]]; then shift; fi
if [[ -z "$extension" ]]; then
  extension="$(ls -t -- "$repo_root"/*.vsix 2>/dev/null | head -n 1 || true)"
  if [[ -z "$extension" ]]; then
    echo "e2e: no .vsix in $repo_root: run \`npm run package\` first, or pass a .vsix or an unpacked extension folder" >&2
    exit 1
  fi
fi

unset COLLAPSE_LENS_E2E_VSIX COLLAPSE_LENS_E2E_EXTENSION_FOLDER
if [[ -f "$extension" && "$extension" == *.vsix ]]; then
  export COLLAPSE_LENS_E2E_VSIX="$(realpath "$extension")"
elif [[ -d "$extension" && -f "$extension/package.json" ]]; then
  export COLLAPSE_LENS_E2E_EXTENSION_FOLDER="$(realpath "$extension")"
else
  echo "e2e: $extension is neither a .vsix file nor an extension folder with a package.json" >&2
  exit 1
fi
echo "e2e: testing ${COLLAPSE_LENS_E2E_VSIX:-$COLLAPSE_LENS_E2E_EXTENSION_FOLDER}"

if [[ $# -gt 0 ]]; then
  tests=("$@")
else
  tests=("$e2e_dir"/tests/*.test.mjs)
fi

# COLLAPSE_LENS_E2E_HOG=N runs N busy loops beside the tests: the suite must pass on a machine whose cores
# are taken by another job, so every wait has to be on a state, never on elapsed time. The loops form one
# process group, killed when this script exits; each loop also stops by itself once this script is gone
# (even killed with SIGKILL), so none can outlive the run.
hog="${COLLAPSE_LENS_E2E_HOG:-0}"
if [[ ! "$hog" =~ ^[0-9]+$ ]]; then
  echo "e2e: COLLAPSE_LENS_E2E_HOG must be a number of busy loops (e.g. 2), not \"$hog\"" >&2
  exit 1
fi
if (( hog > 0 )); then
  # Without job control a background child is no group leader, so setsid makes it one without forking:
  # $! is the new group's id.
  setsid bash -c '
    runner=$1
    for ((i = 0; i < $2; i++)); do
      ( while kill -0 "$runner" 2>/dev/null; do for ((j = 0; j < 50000; j++)); do :; done; done ) &
    done
    wait' e2e-cpu-hog "$$" "$hog" </dev/null >/dev/null 2>&1 &
  hog_group=$!
  trap 'kill -- "-$hog_group" 2>/dev/null || true' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP
  echo "e2e: $hog busy loop(s) running beside the tests (process group $hog_group)"
fi

# One test file at a time: each starts its own code-server and Chromium, and the machine has two cores.
# Each test sets its own timeout (e2e/lib/timeouts.mjs). Node 20 gives --test-timeout to each FILE as a
# whole (its tests inherit it as a ceiling), so it is only the guard against a hung file, above the sum
# of any file's own ceilings; a hung test still fails and its after() hook still cleans up.
# Not exec'd: the busy loops' trap must run when the tests end.
status=0
node --test --test-concurrency=1 --test-timeout=1800000 --test-reporter=spec "${tests[@]}" || status=$?
exit "$status"
