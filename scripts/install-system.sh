#!/usr/bin/env bash
# Installs the Debian packages Collapse Lens needs to build, test and run its end-to-end harness.
# Idempotent and quiet: when every package is already installed it touches nothing (fast reruns);
# otherwise it installs the missing ones, printing apt's output only if something fails.
# Safe for CI (runs as root, no stdin); uses sudo when run as a normal user.
set -euo pipefail

# dataset-fashion-mnist: the real dataset the fixtures and demo use (/usr/share/datasets/fashion-mnist).
# chromium: the browser the e2e harness drives through playwright-core.
# libkrb5-dev, pkg-config, build-essential, python3: code-server's native modules build with node-gyp.
# ripgrep: seeds @vscode/ripgrep's download cache (it would otherwise download from GitHub, unreachable here).
# python3-torch is deliberately absent: only the fixture-training scripts need it, never the tests.
readonly PACKAGES=(dataset-fashion-mnist chromium libkrb5-dev pkg-config ripgrep build-essential python3)

is_installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

missing=()
for package in "${PACKAGES[@]}"; do
  is_installed "$package" || missing+=("$package")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

if [[ "$(id -u)" -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo -n)
else
  echo "install-system.sh: missing packages (${missing[*]}) and not root, no sudo to install them" >&2
  exit 1
fi

log="$(mktemp -t install-system.XXXXXX.log)"
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive

apt_install() {
  "${as_root[@]}" apt-get install -y -q "${missing[@]}" </dev/null >>"$log" 2>&1
}
apt_update() {
  "${as_root[@]}" apt-get update -q </dev/null >>"$log" 2>&1
}

# Update the package lists once, and only when they are absent (fresh container) or stale enough
# that the install fails; a machine with current lists installs without touching the network twice.
if ! compgen -G "/var/lib/apt/lists/*_Packages*" >/dev/null; then
  apt_update || { cat "$log" >&2; echo "install-system.sh: apt-get update failed" >&2; exit 1; }
  apt_install || { cat "$log" >&2; echo "install-system.sh: apt-get install ${missing[*]} failed" >&2; exit 1; }
elif ! apt_install; then
  apt_update && apt_install || {
    cat "$log" >&2
    echo "install-system.sh: apt-get install ${missing[*]} failed" >&2
    exit 1
  }
fi

for package in "${missing[@]}"; do
  if ! is_installed "$package"; then
    cat "$log" >&2
    echo "install-system.sh: $package is still not installed after apt-get" >&2
    exit 1
  fi
done
