#!/bin/sh
# Every message of the sources is translated in each language, and none is
# fuzzy; every source file with translatable text is listed in POTFILES.in.
# TAP.
set -eu
po=$1
top=$po/..
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "1..3"

# 1: POTFILES.in names every file that has translatable text.
sort "$po/POTFILES.in" | grep -v '^#' > "$tmp/listed"
missing=$(cd "$top" && grep -rlE '(_|N_|ngettext) ?\("|translatable="yes"' app --include='*.c' --include='*.ui' |
          sort | comm -23 - "$tmp/listed")
if [ -z "$missing" ]; then echo "ok 1 POTFILES.in lists every file with translatable text"
else echo "not ok 1 POTFILES.in misses: $missing"; fi

# 2 and 3: each language, against a template made now from the sources.
(cd "$top" && xgettext --files-from=po/POTFILES.in --from-code=UTF-8 --keyword=_ --keyword=N_ \
   --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 \
   --add-comments=Translators --output="$tmp/fresh.pot" 2>"$tmp/xgettext.err") ||
  { echo "not ok 2 xgettext failed: $(cat "$tmp/xgettext.err")"; echo "not ok 3 skipped"; exit 0; }
untranslated=""
fuzzy=""
for lang in $(grep -v '^#' "$po/LINGUAS"); do
  msgmerge --quiet --no-fuzzy-matching "$po/$lang.po" "$tmp/fresh.pot" -o "$tmp/$lang.po"
  u=$(msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep -c '^msgid ' || true)
  f=$(msgattrib --only-fuzzy --no-obsolete "$tmp/$lang.po" | grep -c '^msgid ' || true)
  # msgattrib prints the header's empty msgid with any other entry.
  [ "$u" -gt 1 ] && untranslated="$untranslated $lang:$((u - 1))"
  [ "$f" -gt 1 ] && fuzzy="$fuzzy $lang:$((f - 1))"
  if [ "$u" -gt 1 ]; then msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep '^msgid ' | head -20 | sed 's/^/# /'; fi
done
if [ -z "$untranslated" ]; then echo "ok 2 every message is translated"
else echo "not ok 2 untranslated messages:$untranslated"; fi
if [ -z "$fuzzy" ]; then echo "ok 3 no translation is fuzzy"
else echo "not ok 3 fuzzy messages:$fuzzy"; fi
