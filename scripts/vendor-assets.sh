#!/usr/bin/env bash
# Vendor the front-end files factcheck serves or tests with, from the npm registry, pinned.
#
#   scripts/vendor-assets.sh            # fetch the pinned versions below
#
# Each package is fetched with `npm pack` into a temporary folder (nothing is installed, no
# node_modules), one dist file is copied into the tree, and its version and SHA-256 are written to
# factcheck/static/vendor/VERSIONS.txt. The pages never load anything from a CDN.
#
# - htmx.org -> factcheck/static/vendor/htmx.min.js (served by the app, loaded by base.html)
# - axe-core -> tests/browser/vendor/axe.min.js     (injected by the accessibility tests only)
set -euo pipefail
cd "$(dirname "$0")/.."

HTMX_VERSION=2.0.11
AXE_VERSION=4.14.1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
versions=factcheck/static/vendor/VERSIONS.txt
mkdir -p factcheck/static/vendor tests/browser/vendor

vendor() {  # package version file-in-package destination
  local package=$1 version=$2 inner=$3 dest=$4
  (cd "$work" && npm pack --silent "$package@$version" >/dev/null)
  local tarball
  tarball=$(ls "$work"/"${package}"-"${version}".tgz)
  tar -xzf "$tarball" -C "$work" "package/$inner"
  cp "$work/package/$inner" "$dest"
  rm -rf "$work/package"
  local sum
  sum=$(sha256sum "$dest" | cut -d' ' -f1)
  printf '%s\t%s\t%s\t%s\n' "$package" "$version" "$dest" "$sum" >>"$versions.new"
  echo "vendored $package@$version -> $dest ($sum)"
}

printf '# package\tversion\tfile\tsha256 (written by scripts/vendor-assets.sh; do not edit by hand)\n' >"$versions.new"
vendor htmx.org "$HTMX_VERSION" dist/htmx.min.js factcheck/static/vendor/htmx.min.js
vendor axe-core "$AXE_VERSION" axe.min.js tests/browser/vendor/axe.min.js
mv "$versions.new" "$versions"
