#!/bin/sh
# meson install into a scratch DESTDIR installs a working console: the
# programs, the desktop file, the metainfo, the icons, the schema and the
# French translation; the installed program runs and its schema compiles.
# TAP.
set -u
build=$1
prefix=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "1..4"
if meson install -C "$build" --no-rebuild --quiet --destdir "$tmp" >"$tmp/log" 2>&1; then
  echo "ok 1 meson install"
else
  echo "not ok 1 meson install failed"; sed 's/^/# /' "$tmp/log"; exit 0
fi

root=$tmp$prefix
missing=""
for f in bin/bafoka-console bin/bafokactl \
         share/applications/org.bafoka.Console.desktop \
         share/metainfo/org.bafoka.Console.metainfo.xml \
         share/icons/hicolor/scalable/apps/org.bafoka.Console.svg \
         share/icons/hicolor/symbolic/apps/org.bafoka.Console-symbolic.svg \
         share/glib-2.0/schemas/org.bafoka.Console.gschema.xml \
         share/locale/fr/LC_MESSAGES/bafoka-console.mo; do
  [ -e "$root/$f" ] || missing="$missing $f"
done
if [ -z "$missing" ]; then echo "ok 2 every file is installed"; else echo "not ok 2 missing:$missing"; fi

# The installed program, with the installed translation: its help in French.
if BAFOKA_LOCALEDIR="$root/share/locale" LANGUAGE=fr LC_ALL=fr_FR.UTF-8 \
     "$root/bin/bafoka-console" --help >"$tmp/help" 2>&1 && grep -q -- "--headless" "$tmp/help"; then
  echo "ok 3 the installed console runs"
else
  echo "not ok 3 the installed console does not run"; sed 's/^/# /' "$tmp/help"
fi

if glib-compile-schemas --strict --targetdir "$tmp" "$root/share/glib-2.0/schemas" 2>"$tmp/err"; then
  echo "ok 4 the installed schema compiles"
else
  echo "not ok 4 $(cat "$tmp/err")"
fi
