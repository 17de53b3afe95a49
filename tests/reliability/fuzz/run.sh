#!/usr/bin/env bash
# The fuzzing engine (bench/fuzz and the ctest smoke are thin drivers over it): builds the
# libFuzzer targets with clang (-fsanitize=fuzzer,address,undefined) and runs each for SECONDS
# (default 60), one after the other. Usage: tests/reliability/fuzz/run.sh [SECONDS] [TARGET...]
# Targets: score_csv patient_file formulary pathway date_time web_form web_json (default: all).
# Folders: TITRATE_FUZZ_DIR (objects, binaries, seeds, logs, crash artifacts; default build/fuzz)
# and TITRATE_FUZZ_CORPUS (the growing corpus, one folder per target; default TITRATE_FUZZ_DIR/
# corpus). Seeds come from the shipped files and from regressions/<target>/. Prints one line per
# target: "fuzz TARGET: S s, runs N, cov C, ft F, corpus K, findings M" (cov and ft from libFuzzer's
# final status line). A finding leaves TITRATE_FUZZ_DIR/artifacts/<target>-crash-* (or -leak-,
# -timeout-, -oom-): copy it into regressions/<target>/ (ctest then replays it through
# fuzz_regression_test.cpp) and fix it. Exit 0 only if every target ran clean.
# `run.sh --build-only [TARGET...]` compiles and links the targets without running them (ctest's
# reliability:fuzz_build, after which one smoke test per target runs in parallel: each run seeds,
# links and fuzzes only its own targets, and leaves the shared objects and archive as they are
# unless a source changed).
# The body is one function, so editing this file while it runs does not change a running job.
set -euo pipefail

all_targets=(score_csv patient_file formulary pathway date_time web_form web_json)

main() {
  local build_only=0
  if [[ ${1:-} == --build-only ]]; then
    build_only=1
    shift
    set -- 1 "$@"
  fi
  local seconds=${1:-60}
  shift || true
  local targets=("$@")
  [[ ${#targets[@]} -gt 0 ]] || targets=("${all_targets[@]}")
  local t
  for t in "${targets[@]}"; do
    if [[ " ${all_targets[*]} " != *" $t "* ]]; then
      echo "fuzz/run.sh: \"$t\" is not a target; expected one of: ${all_targets[*]}" >&2
      return 2
    fi
  done
  if ! [[ $seconds =~ ^[0-9]+$ ]] || ((seconds < 1)); then
    echo "fuzz/run.sh: \"$seconds\" is not a number of seconds; expected a whole number >= 1" >&2
    return 2
  fi

  local here src work corpus cxx
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  src=$(cd "$here/../../.." && pwd)
  work=${TITRATE_FUZZ_DIR:-$src/build/fuzz}
  corpus=${TITRATE_FUZZ_CORPUS:-$work/corpus}
  cxx=${CXX_FUZZ:-clang++}

  if ! command -v "$cxx" >/dev/null 2>&1; then
    echo "fuzz/run.sh: $cxx not found: the fuzz targets need clang with libFuzzer" >&2
    echo "  (Debian: apt-get install clang libclang-rt-14-dev)" >&2
    return 1
  fi

  mkdir -p "$work/obj" "$work/bin" "$corpus" "$work/seeds" "$work/artifacts"
  local flags=(-std=c++20 -g -O1 -fno-omit-frame-pointer -I"$src"
               -DTITRATE_SOURCE_DIR="\"$src\"" -DTITRATE_VERSION="\"fuzz\"")
  local san=address,undefined

  # Objects: the pure libraries the parsers live in (and the web's form readers, without the
  # server), plus the shared target bodies, compiled as three unity files (one per group below):
  # the 29 files one by one parsed the same heavy headers 29 times and took 90 s of a CI run.
  # A group is recompiled when one of its sources or any header under planner/ or fuzz/ is newer
  # than its object.
  local newest_header s o g
  newest_header=$(find "$src/planner" "$here" -name '*.hpp' -printf '%T@\n' | sort -n | tail -1)
  local -A groups=(
    [core]="$(echo "$src"/planner/core/*.cpp)"
    [formulary]="$(echo "$src"/planner/formulary/*.cpp "$src"/planner/pathways/*.cpp)"
    [targets]="$(echo "$src"/planner/web/forms.cpp "$here"/target*.cpp)"
  )
  mkdir -p "$work/unity"
  local objs=() jobs=() unity text newest
  for g in core formulary targets; do
    unity="$work/unity/$g.cpp"
    o="$work/obj/$g.o"
    objs+=("$o")
    text=""
    newest=${newest_header%.*}
    for s in ${groups[$g]}; do
      text+="#include \"$s\""$'\n'
      (( $(stat -c %Y "$s") > newest )) && newest=$(stat -c %Y "$s")
    done
    # Rewritten only when the list changes, so its time says when the list last changed.
    [[ -f $unity && $(cat "$unity") == "${text%$'\n'}" ]] || printf '%s' "$text" >"$unity"
    (( $(stat -c %Y "$unity") > newest )) && newest=$(stat -c %Y "$unity")
    if [[ -f $o ]] && (( $(stat -c %Y "$o") >= newest )); then continue; fi
    jobs+=("$unity" "$o")
  done
  export cxx san
  export flags_str="${flags[*]}"
  if ((${#jobs[@]} > 0)); then
    printf '%s\0%s\0' "${jobs[@]}" | xargs -0 -n2 -P2 bash -c '
      echo "  CXX $0" >&2
      $cxx $flags_str -fsanitize=fuzzer-no-link,$san -c "$0" -o "$1"'
  fi

  # An archive, so each target links only the parsers it calls. Remade only when an object is
  # newer, and renamed into place, so runs of other targets in parallel never see half of it.
  local stale=0
  [[ -f $work/libfuzzobjs.a ]] || stale=1
  for o in "${objs[@]}"; do [[ $o -nt $work/libfuzzobjs.a ]] && stale=1; done
  if ((stale)); then
    rm -f "$work/libfuzzobjs.a.$$"
    ar rcs "$work/libfuzzobjs.a.$$" "${objs[@]}"
    mv -f "$work/libfuzzobjs.a.$$" "$work/libfuzzobjs.a"
  fi
  local boost_lib=()
  if ls /usr/lib/*/libboost_date_time.so >/dev/null 2>&1; then boost_lib=(-lboost_date_time); fi

  # Seeds from shipped files (copied fresh each run; the growing corpus is kept separately), for
  # the selected targets only (another target's seeds may be in use by a run beside this one).
  wanted() { [[ " ${targets[*]} " == *" $1 "* ]] && ((!build_only)); }
  seed() { # target files...
    local t=$1 f
    shift
    wanted "$t" || return 0
    rm -rf "$work/seeds/$t"
    mkdir -p "$work/seeds/$t"
    for f in "$@"; do [[ -f $f ]] && cp "$f" "$work/seeds/$t/$(echo "${f#"$src"/}" | tr / _)"; done
    return 0
  }
  local shipped_csv shipped_patients v
  mapfile -t shipped_csv < <(find "$src/schedules" "$src/tests" -name '*.csv' -not -path '*/build/*' 2>/dev/null)
  seed score_csv "${shipped_csv[@]}"
  if wanted score_csv; then
    printf 'patient_id,at,score,note\nP001,2026-11-21T08:00,5,ok\nP001,2026-11-22,4,"a, ""quoted"" note"\r\n' \
      >"$work/seeds/score_csv/handmade_import.csv"
    printf '\xef\xbb\xbfat,description,severity\n2026-10-03T09:30,nausea,mild\n' >"$work/seeds/score_csv/handmade_ae.csv"
  fi
  mapfile -t shipped_patients < <(find "$src/schedules/examples" -name '*.toml' 2>/dev/null)
  seed patient_file "$src/tests/reliability/base/patient.toml" "${shipped_patients[@]}"
  seed formulary "$src"/formulary/*.toml
  seed pathway "$src"/schedules/*.toml
  seed date_time
  if wanted date_time; then
    for v in 2026-03-01 2024-02-29 2026-03-01T10:00 "2026-03-01 23:59" 10 0 7 2026-02-30 2026-03-01T10:00Z; do
      printf '%s' "$v" >"$work/seeds/date_time/$(echo "$v" | tr -c 'A-Za-z0-9-' _)"
    done
  fi
  # web_form: the first byte picks the form (0 score, 1 side effect, 2 plan draft).
  seed web_form
  if wanted web_form; then
    printf '\x00score=7&note=a+bit+better+%%C3%%A9' >"$work/seeds/web_form/score"
    printf '\x01description=nausea&severity=moderate' >"$work/seeds/web_form/adverse_effect"
    printf '\x02csrf=x&start=2026-12-01&pathway=cipn-esmo&prefer=&submit=1' >"$work/seeds/web_form/plan_draft"
  fi
  seed web_json
  if wanted web_json; then
    printf '{"score": 7, "at": "2026-11-30T08:15", "note": "after the walk"}' >"$work/seeds/web_json/full"
    printf '{"score": "3", "at": null, "note": null}' >"$work/seeds/web_json/nulls"
  fi

  local status=0 bin log before after findings runs cov ft units
  for t in "${targets[@]}"; do
    bin="$work/bin/fuzz_$t"
    log="$work/$t.log"
    # Linked again only when the archive or the target's main is newer than the binary.
    if ! [[ -x $bin && $bin -nt $work/libfuzzobjs.a && $bin -nt $here/fuzz_$t.cpp ]]; then
      echo "== $t: link" >&2
      "$cxx" "${flags[@]}" -fsanitize=fuzzer,$san "$here/fuzz_$t.cpp" "$work/libfuzzobjs.a" \
        "${boost_lib[@]}" -o "$bin.$$"
      mv -f "$bin.$$" "$bin"
    fi
    ((build_only)) && continue
    mkdir -p "$corpus/$t" "$here/regressions/$t"
    echo "== $t: ${seconds}s (log $log)" >&2
    before=$(find "$work/artifacts" -name "$t-*" | wc -l)
    local rc=0
    "$bin" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="$work/artifacts/$t-" \
      "$corpus/$t" "$work/seeds/$t" "$here/regressions/$t" 2>"$log" || rc=$?
    after=$(find "$work/artifacts" -name "$t-*" | wc -l)
    findings=$((after - before))
    # A non-zero exit without an artifact (e.g. a failed start) still counts as a failure.
    if ((rc != 0 && findings == 0)); then findings=1; fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$({ grep -oE 'cov: [0-9]+' "$log" || true; } | tail -1 | cut -d' ' -f2)
    ft=$({ grep -oE 'ft: [0-9]+' "$log" || true; } | tail -1 | cut -d' ' -f2)
    units=$(find "$corpus/$t" -type f | wc -l)
    echo "fuzz $t: ${seconds} s, runs ${runs:-?}, cov ${cov:-?}, ft ${ft:-?}, corpus $units, findings $findings"
    if ((rc != 0)); then
      status=1
      echo "== $t: FAILED (exit $rc); log $log; artifacts:" >&2
      find "$work/artifacts" -name "$t-*" -newer "$bin" >&2 || true
      grep -E "ERROR|SUMMARY|invariant|terminate|==[0-9]+==" "$log" | head -20 >&2 || true
    fi
  done
  return $status
}

main "$@"; exit $?
