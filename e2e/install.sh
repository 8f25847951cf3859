#!/usr/bin/env bash
# Installs the e2e harness (code-server + playwright-core) into e2e/node_modules from e2e/package-lock.json.
# Works offline except for the npm registry: code-server's postinstall builds native modules against the
# local Node headers, and @vscode/ripgrep's postinstall (which would download rg from GitHub) is fed
# Debian's rg through its download cache.
# Quiet unless failing; the full log is kept in .artifacts/e2e/install.log.
set -euo pipefail

e2e_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(dirname "$e2e_dir")"
artifacts_dir="$repo_root/.artifacts/e2e"
mkdir -p "$artifacts_dir"
log="$artifacts_dir/install.log"
: >"$log"

fail() {
  echo "e2e/install.sh: $*" >&2
  echo "e2e/install.sh: last lines of $log:" >&2
  tail -n 40 "$log" >&2
  exit 1
}

# System packages: node-gyp toolchain and krb5 headers for code-server's native modules, rg, chromium.
bash "$repo_root/scripts/install-system.sh" || fail "installing system packages failed (scripts/install-system.sh)"

scratch="$(mktemp -d -t collapse-lens-e2e-install.XXXXXX)"
trap 'rm -rf "$scratch"' EXIT

# Which @vscode/ripgrep code-server pins, and which ripgrep release that package would download, are read
# from the packages themselves, so bumping code-server in package.json needs no edit here. `npm pack`
# leaves the tarballs in npm's cache, where `npm ci` finds them again.
code_server_version="$(node -p "require('$e2e_dir/package-lock.json').packages['node_modules/code-server'].version")"
(cd "$scratch" && npm pack --silent "code-server@$code_server_version" >>"$log" 2>&1) ||
  fail "npm pack code-server@$code_server_version failed"
tar -xzf "$scratch/code-server-$code_server_version.tgz" -C "$scratch" package/lib/vscode/npm-shrinkwrap.json ||
  fail "code-server@$code_server_version has no lib/vscode/npm-shrinkwrap.json"
ripgrep_package_version="$(node -p "require('$scratch/package/lib/vscode/npm-shrinkwrap.json').packages['node_modules/@vscode/ripgrep'].version")"
(cd "$scratch" && npm pack --silent "@vscode/ripgrep@$ripgrep_package_version" >>"$log" 2>&1) ||
  fail "npm pack @vscode/ripgrep@$ripgrep_package_version failed"
tar -xzf "$scratch/vscode-ripgrep-$ripgrep_package_version.tgz" -C "$scratch" package/lib/postinstall.js
ripgrep_release="$(sed -n "s/^const VERSION = '\(v[^']*\)';.*/\1/p" "$scratch/package/lib/postinstall.js")"
[[ -n "$ripgrep_release" ]] || fail "cannot read the ripgrep release from @vscode/ripgrep@$ripgrep_package_version's postinstall.js"

case "$(uname -m)" in
  x86_64) ripgrep_target=x86_64-unknown-linux-musl ;;
  aarch64) ripgrep_target=aarch64-unknown-linux-musl ;;
  *) fail "no ripgrep cache seeding for architecture $(uname -m)" ;;
esac

system_rg="$(command -v rg)" || fail "rg not found (apt-get install ripgrep)"
ripgrep_cache="$(node -p "require('os').tmpdir()")/vscode-ripgrep-cache-$ripgrep_package_version"
ripgrep_asset="$ripgrep_cache/ripgrep-$ripgrep_release-$ripgrep_target.tar.gz"
mkdir -p "$ripgrep_cache" "$scratch/rg"
cp "$system_rg" "$scratch/rg/rg"
# The postinstall untars the asset into its bin/ and expects `rg` at the archive's top level.
tar -czf "$ripgrep_asset" -C "$scratch/rg" rg
echo "seeded $ripgrep_asset from $system_rg" >>"$log"

# node-gyp must build against the running Node's headers (offline it cannot download them). Distribution
# and NodeSource packages put them in <prefix>/include/node next to <prefix>/bin/node.
node_prefix="$(dirname "$(dirname "$(node -p 'process.execPath')")")"
if [[ -f "$node_prefix/include/node/common.gypi" ]]; then
  export npm_config_nodedir="$node_prefix"
fi
# code-server's postinstall refuses to run as root without unsafe-perm; `yes` answers npm's prompts.
export npm_config_yes=true npm_config_unsafe_perm=true

# --foreground-scripts puts the postinstall output (node-gyp, ripgrep) in the log, where it is checked below.
(cd "$e2e_dir" && npm ci --no-audit --no-fund --foreground-scripts >>"$log" 2>&1) || fail "npm ci in e2e/ failed"

grep -q "Using cached download" "$log" || fail "@vscode/ripgrep did not use the seeded cache"
[[ -x "$e2e_dir/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ]] ||
  fail "code-server's ripgrep binary is missing after install"
# code-server writes a default config.yaml under XDG_CONFIG_HOME even for --version: keep it out of $HOME.
XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" \
  "$e2e_dir/node_modules/.bin/code-server" --version >>"$log" 2>&1 || fail "code-server --version failed after install"
