#!/usr/bin/env bash
# Every flow of the project and every real export of its fixtures through the release binary:
# `simulate` (table and JSON), `lint --format json` and `cost --format json`, each timed and
# measured (peak memory) on its own, with the bytes it prints. Prints one line per run and the
# slowest, the largest and the wordiest at the end.
# Usage: scripts/bench-exports.sh [DIR…]   (default: flows tests/fixtures)
set -euo pipefail
cd "$(dirname "$0")/.."
dirs=("$@")
[ ${#dirs[@]} -eq 0 ] && dirs=(flows tests/fixtures)
cargo build --release --quiet --bin flowcost
bin=target/release/flowcost
out=$(mktemp)
measured=$(mktemp)
trap 'rm -f "$out" "$measured"' EXIT
find "${dirs[@]}" -type f \( -name '*.json' -o -name '*.yaml' \) ! -path '*/bad/*' \
  ! -name '*catalog*' | sort | while read -r f; do
  case "$f" in *studio*) templates=tests/fixtures/import/own/studio-catalog.yaml ;;
                *) templates=tests/fixtures/import/own/goflow-catalog.yaml ;; esac
  for cmd in "simulate" "simulate --format json" "lint --format json --no-config" \
             "cost --format json --market DE"; do
    # shellcheck disable=SC2086
    if /usr/bin/time -f "%e %M" -o "$measured" "$bin" $cmd "$f" --at 2026-11-02 \
        --templates "$templates" > "$out" 2>/dev/null || [ $? -eq 1 ]; then
      read -r secs kib < <(tail -n 1 "$measured")
      printf '%6.2f s %7d KiB %9d B  %s %s\n' "$secs" "$kib" "$(stat -c %s "$out")" "$cmd" "$f"
    fi
  done
done | tee /dev/stderr | awk '
  BEGIN { t = -1 } { n++; if ($1 > t) { t = $1; tl = $0 } if ($3 > m) { m = $3; ml = $0 } if ($5 > b) { b = $5; bl = $0 } }
  END {
    printf "\n%d runs\nslowest: %s\nlargest: %s\nwordiest: %s\n", n, tl, ml, bl
  }' 1>&2
