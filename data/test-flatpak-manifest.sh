#!/bin/sh
# The Flatpak manifest parses: flatpak-builder reads it and prints it back
# with the app id, the runtime and the recovery module of libsecp256k1.
# Building it needs Flathub and the GNOME runtime, which this test does not
# reach.  Prints TAP.
manifest=$1

if ! command -v flatpak-builder >/dev/null 2>&1; then
  echo '1..0 # SKIP flatpak-builder is not installed'
  exit 0
fi

# flatpak-builder writes a state directory (.flatpak-builder) into the
# current one (even for --show-manifest, which takes no --state-dir): keep
# it out of the source tree.
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

echo '1..4'
if flatpak-builder --show-manifest "$manifest" >"$work/out" 2>"$work/err"; then
  echo 'ok 1 - flatpak-builder --show-manifest exits 0'
else
  echo 'not ok 1 - flatpak-builder --show-manifest exits 0'
  sed 's/^/# /' "$work/err"
fi

check () {
  n=$1 pattern=$2 what=$3
  if grep -q -- "$pattern" "$work/out"; then
    echo "ok $n - $what"
  else
    echo "not ok $n - $what"
  fi
}
check 2 '"id" : "org.bafoka.Console"' 'the app id is org.bafoka.Console'
check 3 '"runtime" : "org.gnome.Platform"' 'the runtime is org.gnome.Platform'
check 4 '"--enable-module-recovery"' 'libsecp256k1 is built with its recovery module'
