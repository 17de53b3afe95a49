#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (-fsanitize=fuzzer,address,undefined) and runs each for
# SECONDS (default 60). Usage: tests/reliability/fuzz/run.sh [SECONDS] [TARGET...]
# Targets: score_csv patient_file formulary date_time. Work folder: build/fuzz (objects, corpora,
# crash artifacts). Seeds come from the shipped files and from regressions/<target>/; a crash
# leaves build/fuzz/artifacts/<target>-crash-*: copy it into regressions/<target>/ (it then runs
# in ctest through fuzz_regression_test.cpp) and report it. Exit 0 only if no target crashed.
set -euo pipefail

seconds=${1:-60}
shift || true
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(score_csv patient_file formulary date_time)

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../../.." && pwd)
work=${TITRATE_FUZZ_DIR:-$src/build/fuzz}
cxx=${CXX_FUZZ:-clang++}

if ! command -v "$cxx" >/dev/null 2>&1; then
  echo "fuzz/run.sh: $cxx not found: the fuzz targets need clang with libFuzzer" >&2
  echo "  (Debian: apt-get install clang libclang-rt-14-dev)" >&2
  exit 1
fi

mkdir -p "$work/obj" "$work/bin" "$work/corpus" "$work/seeds" "$work/artifacts"
flags=(-std=c++20 -g -O1 -fno-omit-frame-pointer -I"$src"
       -DTITRATE_SOURCE_DIR="\"$src\"" -DTITRATE_VERSION="\"fuzz\"")
san=address,undefined

# Objects: the pure libraries the parsers live in, plus the shared target bodies. Rebuilt when
# the source or any header under planner/ or fuzz/ is newer than the object.
newest_header=$(find "$src/planner" "$here" -name '*.hpp' -printf '%T@\n' | sort -n | tail -1)
sources=("$src"/planner/core/*.cpp "$src"/planner/formulary/*.cpp "$here"/target*.cpp)
objs=()
jobs=()
for s in "${sources[@]}"; do
  o="$work/obj/$(echo "${s#"$src"/}" | tr / _).o"
  objs+=("$o")
  jobs+=("$s" "$o")
done
export cxx san newest_header
export flags_str="${flags[*]}"
printf '%s\0%s\0' "${jobs[@]}" | xargs -0 -n2 -P2 bash -c '
  s=$0; o=$1
  if [[ -f $o ]]; then
    ot=$(stat -c %Y "$o"); st=$(stat -c %Y "$s")
    if (( ot >= st )) && (( ot >= ${newest_header%.*} )); then exit 0; fi
  fi
  echo "  CXX $s" >&2
  $cxx $flags_str -fsanitize=fuzzer-no-link,$san -c "$s" -o "$o"'

# An archive, so each target links only the parsers it calls (and builds while others are stubs).
rm -f "$work/libfuzzobjs.a"
ar rcs "$work/libfuzzobjs.a" "${objs[@]}"
boost_lib=()
if ls /usr/lib/*/libboost_date_time.so >/dev/null 2>&1; then boost_lib=(-lboost_date_time); fi

# Seeds from shipped files (copied fresh each run; the growing corpus is kept separately).
seed() { # target files...
  local t=$1; shift
  rm -rf "$work/seeds/$t"; mkdir -p "$work/seeds/$t"
  for f in "$@"; do [[ -f $f ]] && cp "$f" "$work/seeds/$t/$(echo "${f#"$src"/}" | tr / _)"; done
  return 0
}
mapfile -t shipped_csv < <(find "$src/schedules" "$src/tests" -name '*.csv' -not -path '*/build/*' 2>/dev/null)
seed score_csv "${shipped_csv[@]}"
printf 'patient_id,at,score,note\nP001,2026-11-21T08:00,5,ok\nP001,2026-11-22,4,"a, ""quoted"" note"\r\n' \
  >"$work/seeds/score_csv/handmade_import.csv"
printf '\xef\xbb\xbfat,description,severity\n2026-10-03T09:30,nausea,mild\n' >"$work/seeds/score_csv/handmade_ae.csv"
mapfile -t shipped_patients < <(find "$src/schedules" -name '*.toml' -not -path '*/build/*' 2>/dev/null)
seed patient_file "$src/tests/reliability/base/patient.toml" "${shipped_patients[@]}"
seed formulary "$src"/formulary/*.toml
seed date_time
for v in 2026-03-01 2024-02-29 2026-03-01T10:00 "2026-03-01 23:59" 10 0 7 2026-02-30 2026-03-01T10:00Z; do
  printf '%s' "$v" >"$work/seeds/date_time/$(echo "$v" | tr -c 'A-Za-z0-9-' _)"
done

status=0
for t in "${targets[@]}"; do
  bin="$work/bin/fuzz_$t"
  echo "== $t: link" >&2
  "$cxx" "${flags[@]}" -fsanitize=fuzzer,$san "$here/fuzz_$t.cpp" "$work/libfuzzobjs.a" "${boost_lib[@]}" -o "$bin"
  mkdir -p "$work/corpus/$t" "$here/regressions/$t"
  echo "== $t: ${seconds}s" >&2
  if ! "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="$work/artifacts/$t-" \
      "$work/corpus/$t" "$work/seeds/$t" "$here/regressions/$t" 2>"$work/$t.log"; then
    status=1
    echo "== $t: FAILED; log $work/$t.log; artifacts:" >&2
    ls "$work/artifacts/" | grep "^$t-" >&2 || true
    grep -E "ERROR|SUMMARY|invariant|terminate|==[0-9]+==" "$work/$t.log" | head -20 >&2 || true
  else
    grep -E "^stat::number_of_executed_units|^Done" "$work/$t.log" >&2 || true
  fi
done
exit $status
