#!/usr/bin/env bash
# Packages the .vsix for one platform (default linux-x64). onnxruntime-node ships every platform's
# native binaries (~288 MB); only the target's are kept. Other targets: win32-x64, darwin-arm64,
# darwin-x64, linux-arm64 (run on any machine: the binaries are all in the npm package).
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:-linux-x64}"
os="${target%-*}"; arch="${target#*-}"
[[ -d "node_modules/onnxruntime-node/bin/napi-v6/$os/$arch" ]] || { echo "package.sh: onnxruntime-node has no binaries for $target" >&2; exit 1; }
# A stale bundle packaged silently is a .vsix that does not hold the code being tested.
source scripts/lib/build-if-stale.sh
build_if_stale
# .vscodeignore keeps linux/x64; for another target swap that line for the target's folder.
cp .vscodeignore .vscodeignore.orig
trap 'mv .vscodeignore.orig .vscodeignore' EXIT
sed -i "s#napi-v6/linux/x64/#napi-v6/$os/$arch/#" .vscodeignore
# sharp's native packages are per platform (@img/sharp-<os>-<arch>, and its libvips where separate);
# npm installs only this machine's. Without the target's, the .vsix decodes images in JavaScript
# (slower; the result says so): said here, not left to be found later.
sed -i "s#@img/sharp-linux-x64/#@img/sharp-$target/#; s#@img/sharp-libvips-linux-x64/#@img/sharp-libvips-$target/#" .vscodeignore
[[ -d "node_modules/@img/sharp-$target" ]] || echo "package.sh: warning: no @img/sharp-$target in node_modules: this .vsix will decode images with the JavaScript fallback (install it with npm install --os=$os --cpu=$arch to ship sharp)" >&2
version=$(node -p "require('./package.json').version")
npx vsce package --target "$target" --allow-missing-repository --skip-license --no-rewrite-relative-links -o "collapse-lens-$target-$version.vsix" 2>&1 | grep -v "^npm warn Unknown user config"
