#!/bin/sh
# The compiled schema (the build's data/gschemas.compiled, which the UI
# tests load with GSETTINGS_SCHEMA_DIR) holds every key the window keeps,
# with the defaults a first start shows.  Prints TAP.
schemadir=$1
schema=org.bafoka.Console

gs () {
  GSETTINGS_BACKEND=memory gsettings --schemadir "$schemadir" "$@"
}

echo '1..10'
n=0
expect () {
  n=$((n + 1))
  got=$(gs get "$schema" "$1" 2>&1)
  if [ "$got" = "$2" ]; then
    echo "ok $n - $1 defaults to $2"
  else
    echo "not ok $n - $1 defaults to $2"
    echo "# got: $got"
  fi
}
expect width 1100
expect height 720
expect maximized false
expect members-sort-column "'name'"
expect members-sort-ascending true
expect transactions-sort-column "'time'"
expect transactions-sort-ascending false
expect last-page "'communities'"

# No key the window does not know about: a stray key would be state that
# nothing restores.
n=$((n + 1))
keys=$(gs list-keys "$schema" | sort | tr '\n' ' ')
want='height last-page maximized members-sort-ascending members-sort-column transactions-sort-ascending transactions-sort-column width '
if [ "$keys" = "$want" ]; then
  echo "ok $n - the schema has exactly the window's keys"
else
  echo "not ok $n - the schema has exactly the window's keys"
  echo "# got: $keys"
fi

# The ranges hold: a window cannot be restored smaller than a phone.
n=$((n + 1))
if gs set "$schema" width 100 >/dev/null 2>&1; then
  echo "not ok $n - a width below 360 is refused"
else
  echo "ok $n - a width below 360 is refused"
fi
