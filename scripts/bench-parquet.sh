#!/usr/bin/env bash
# Replay's throughput on Parquet against plain CSV: the same synthetic log (gen-log, one seed)
# written both ways, replayed in alternating pairs in one run; prints each run's wall and CPU
# time, peak memory and events/s, and the median ratio of Parquet's events/s to CSV's.
# Usage: scripts/bench-parquet.sh [ROWS] [RECIPIENTS] [PAIRS]   (defaults: 10000000 1000000 3)
# Writes the logs to a temporary directory (about 650 MB of CSV and 100 MB of Parquet for 10M
# rows) and deletes it at the end.
set -euo pipefail
rows=${1:-10000000}
recipients=${2:-1000000}
pairs=${3:-3}
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin flowcost
bin=target/release/flowcost
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for ext in csv parquet; do
  "$bin" gen-log --rows "$rows" --recipients "$recipients" --seed 1 --output "$dir/log.$ext"
done
ls -l "$dir" | awk 'NR > 1 {printf "%s: %s bytes\n", $9, $5}'
sync
cat "$dir/log.csv" "$dir/log.parquet" > /dev/null   # warm the page cache for both
ratios=()
for ((i = 1; i <= pairs; i++)); do
  declare -A rate=()
  for ext in csv parquet; do
    /usr/bin/time -f "%e %U %S %M" -o "$dir/time" "$bin" replay "$dir/log.$ext" --pricing pmp \
      --no-progress > /dev/null
    read -r wall user sys kb < "$dir/time"
    rate[$ext]=$(awk -v r="$rows" -v w="$wall" 'BEGIN { printf "%.0f", r / w }')
    printf '%-8s %5.2f s wall, %5.2f s CPU, %4d MB, %5.2f million events/s\n' "$ext" "$wall" \
      "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" $((kb / 1024)) \
      "$(awk -v r="${rate[$ext]}" 'BEGIN { print r / 1e6 }')"
  done
  ratios+=("$(awk -v p="${rate[parquet]}" -v c="${rate[csv]}" 'BEGIN { printf "%.2f", p / c }')")
done
printf 'Parquet events/s ÷ CSV events/s, pair by pair: %s; median %s\n' "${ratios[*]}" \
  "$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')"
printf 'load average: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
