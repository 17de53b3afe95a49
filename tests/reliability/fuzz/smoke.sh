#!/usr/bin/env bash
# reliability:fuzz_smoke: runs `bench/fuzz SECONDS [TARGET...]` (as docs/reliability.md shows it)
# and checks what the doc says it prints: per target a line with its runs, coverage and 0
# findings. ctest runs it once per target, after reliability:fuzz_build (run.sh --build-only).
set -uo pipefail
seconds=${1:-3}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(score_csv patient_file formulary pathway date_time web_form web_json)
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
out=$("$root/bench/fuzz" "$seconds" "${targets[@]}")
rc=$?
echo "$out"
status=$rc
for t in "${targets[@]}"; do
  if ! grep -qE "^fuzz $t: $seconds s, runs [1-9][0-9]*, cov [0-9]+, ft [0-9]+, corpus [0-9]+, findings 0\$" <<<"$out"; then
    echo "fuzz_smoke: no clean summary line for $t" >&2
    status=1
  fi
done
exit $status
