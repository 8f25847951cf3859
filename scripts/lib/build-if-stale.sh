# build_if_stale: runs `npm run build` unless a build has finished since every input last changed, so
# `npm run demo` twice in a row builds once, and a changed source is never packaged or run stale.
# Sourced by scripts/setup.sh and scripts/package.sh.
#
# The stamp, not the bundles' own times: webpack leaves a bundle whose content did not change unwritten
# (compareBeforeEmit), so an output's mtime says nothing about when the last build ran.

build_stamp=dist/.build-stamp
build_outputs=(dist/extension.js dist/engine.js dist/reduceWorker.js dist/webview/analysis.js dist/webview/compare.js)
build_inputs=(src webview media package.json package-lock.json webpack.config.js tsconfig.json)

dist_is_stale() {
  local out
  [[ -f "$build_stamp" ]] || return 0
  for out in "${build_outputs[@]}"; do [[ -f "$out" ]] || return 0; done
  [[ -n "$(find "${build_inputs[@]}" -newer "$build_stamp" -type f -print -quit 2>/dev/null)" ]]
}

build_if_stale() {
  if dist_is_stale; then
    rm -f "$build_stamp"
    local started
    mkdir -p dist
    started=$(mktemp dist/.build-started.XXXXXX)
    npm run --silent build
    # Stamped with the time the build started: a source saved during the build stays newer than it.
    mv "$started" "$build_stamp"
  else
    echo "dist/ is up to date with the sources (no rebuild)"
  fi
}
