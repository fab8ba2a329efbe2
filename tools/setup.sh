# tools/setup.sh: the set-up shared by tools/run and tools/test.
# Sourced, not run.  Installs what is missing, then configures and builds.
# Idempotent: a second run checks and returns in a few seconds.

set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="${BAFOKA_BUILD_DIR:-$top/build}"

apt_packages=(
  build-essential meson ninja-build pkg-config gettext
  libglib2.0-dev libjson-glib-dev libsoup-3.0-dev libsqlite3-dev
  libcurl4-openssl-dev libsecp256k1-dev nettle-dev libssl-dev
  libgtk-4-dev libadwaita-1-dev
  nodejs npm jq xvfb xauth wrk locales
  desktop-file-utils appstream libxml2-utils flatpak-builder
)

say () { printf '==> %s\n' "$*" >&2; }

install_apt_packages () {
  local missing=()
  for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  # npm may come from elsewhere than Debian (the image's own Node): keep it.
  if command -v node >/dev/null && command -v npm >/dev/null; then
    local keep=()
    for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || keep+=("$p"); done
    missing=("${keep[@]}")
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "tools: these packages are missing: ${missing[*]}; run as root, or install them with apt-get" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_node_modules () {
  local stamp="$top/contracts/node_modules/.bafoka-lock-stamp"
  if [ -f "$stamp" ] && cmp -s "$stamp" "$top/contracts/package-lock.json"; then
    return 0
  fi
  say "installing the contract toolchain (npm ci in contracts/)"
  (cd "$top/contracts" && npm ci --no-audit --no-fund --loglevel=error >&2)
  cp "$top/contracts/package-lock.json" "$stamp"
}

# The console is tested in French and in English: both locales must exist.
generate_locales () {
  local missing=()
  for l in fr_FR en_US; do
    locale -a 2>/dev/null | grep -qix "$l.utf8" || missing+=("$l")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "tools: the locales ${missing[*]} (UTF-8) are missing; run as root, or generate them with locale-gen" >&2
    exit 1
  fi
  say "generating the locales ${missing[*]}"
  for l in "${missing[@]}"; do
    sed -i "s/^# *$l.UTF-8 UTF-8/$l.UTF-8 UTF-8/" /etc/locale.gen
    grep -q "^$l.UTF-8 UTF-8" /etc/locale.gen || echo "$l.UTF-8 UTF-8" >> /etc/locale.gen
  done
  locale-gen >/dev/null
}

build_project () {
  if [ ! -f "$build/build.ninja" ]; then
    say "configuring $build"
    meson setup "$build" "$top" >/dev/null
  fi
  say "building"
  ninja -C "$build" >/dev/null || ninja -C "$build"
}

install_apt_packages
generate_locales
install_node_modules
build_project
export PATH="$top/contracts/node_modules/.bin:$PATH"
