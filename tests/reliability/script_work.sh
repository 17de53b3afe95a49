# Sourced by crash_test.sh and concurrency_test.sh once they have read their arguments, with the
# script's short name ("crash", "concurrency"): checks for the sqlite3 shell, makes a work folder
# that is removed on exit, points titrate at a database in it (TITRATE_DB, TITRATE_TODAY,
# TITRATE_USER=NAME-test, TITRATE_ROLE, XDG_DATA_HOME) and defines fail.
script_name=$1
command -v sqlite3 >/dev/null || {
  echo "${script_name}_test.sh: the sqlite3 shell is needed" >&2
  exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/titrate-$script_name.XXXXXX")
trap 'rm -rf "$work"' EXIT
export TITRATE_DB=$work/titrate.db TITRATE_TODAY=2026-12-01 TITRATE_USER=$script_name-test \
       TITRATE_ROLE=clinician XDG_DATA_HOME=$work

fail() { echo "${script_name}_test.sh: FAIL: $*" >&2; exit 1; }
