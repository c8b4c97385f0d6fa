#!/usr/bin/env bash
# Install what Phasegate needs on a Debian machine, then its Python packages.
#   scripts/install.sh          what the app needs (Pango and fonts for PDF reports)
#   scripts/install.sh --test   also what the tests need (Chromium, poppler, nginx, axe-core from npm) and a running PostgreSQL
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-cjk)
if [ "${1:-}" = "--test" ]; then
  packages+=(chromium poppler-utils nodejs nginx-light)
  command -v npm >/dev/null || packages+=(npm)  # some builds of nodejs bring npm with them
fi

missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "Please install these Debian packages first: ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing ${missing[*]} ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python -m pip install -q --disable-pip-version-check --root-user-action=ignore -r requirements.txt

# axe-core for the browser tests' accessibility checks, at the version the lock file pins; once only
if [ "${1:-}" = "--test" ]; then
  node_folder=tests/e2e/node
  wanted=$(node -p "require('./$node_folder/package-lock.json').packages['node_modules/axe-core'].version")
  installed=$(node -p "try { require('./$node_folder/node_modules/axe-core/package.json').version } catch { '' }")
  if [ "$wanted" != "$installed" ]; then
    echo "Installing axe-core $wanted for the browser tests ..." >&2
    npm ci --prefix "$node_folder" --no-audit --no-fund --loglevel=error >/dev/null
  fi
fi

if [ "${1:-}" = "--test" ] && command -v pg_lsclusters >/dev/null; then
  version=$(pg_lsclusters -h | awk '{print $1; exit}')
  if [ -n "$version" ] && ! pg_lsclusters -h | awk '{print $4}' | grep -q online; then
    echo "Starting PostgreSQL $version ..." >&2
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
  fi
fi
