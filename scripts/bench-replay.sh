#!/usr/bin/env bash
# Benchmark `flowcost replay` against `wc -l` on the same synthetic log, against the floor
# under any replay (examples/replay_floor.rs: read, split, parse the timestamp, hash the
# recipient, update one entry per recipient; nothing else), and, when the Python module duckdb
# is importable, against the DuckDB query an analyst would run instead (scripts/duckdb_peer.py),
# all in the same run. Replay runs with `--pricing pmp`, per-message pricing throughout, as the
# DuckDB query prices; without it, a log that crosses a model switch is billed under each model.
# Usage: scripts/bench-replay.sh [ROWS] [RECIPIENTS]   (defaults: 10000000 1000000)
# Writes the log to a temporary file (about 650 MB for 10M rows) and deletes it at the end.
set -euo pipefail
rows=${1:-10000000}
recipients=${2:-1000000}
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin flowcost --example replay_floor
bin=target/release/flowcost
floor=target/release/examples/replay_floor
log=$(mktemp --suffix=.csv)
trap 'rm -f "$log" "${rss:-}"' EXIT
"$bin" gen-log --rows "$rows" --recipients "$recipients" --seed 1 --output "$log"
ls -l "$log" | awk '{printf "log: %s bytes\n", $5}'
sync "$log"              # write the new log out first: writeback would compete with the runs
cat "$log" > /dev/null   # warm the page cache for both
now() { date +%s.%N; }
t0=$(now); wc -l "$log" > /dev/null; t1=$(now)
rss=$(mktemp)
/usr/bin/time -f "%M %U %S" -o "$rss" "$bin" replay "$log" --pricing pmp --no-progress \
  > /dev/null; t2=$(now)
t3=$(now); read_rows=$("$floor" "$log" | cut -d' ' -f1); t4=$(now)
if [ "$read_rows" != "$rows" ]; then
  echo "error: the floor read $read_rows rows, not $rows" >&2
  exit 1
fi
t5=$(now); wc -l "$log" > /dev/null; t6=$(now)
duck=""
if python3 -c 'import duckdb' 2> /dev/null; then
  d0=$(now); python3 scripts/duckdb_peer.py "$log" > /dev/null; d1=$(now)
  duck=$(awk -v a="$d0" -v b="$d1" 'BEGIN { printf "%.3f", b - a }')
fi
awk -v rows="$rows" -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v e="$t4" -v f="$t5" -v g="$t6" 'BEGIN {
  wc = ((b - a) + (g - f)) / 2; rp = c - b; fl = e - d;
  printf "wc -l:   %.3f s (mean of two runs, before and after)\n", wc;
  printf "floor:   %.3f s = %.1fx wc -l (examples/replay_floor.rs)\n", fl, fl / wc;
  printf "replay:  %.3f s = %.2f million events/s\n", rp, rows / rp / 1e6;
  printf "ratio:   %.1fx wc -l, %.1fx the floor\n", rp / wc, rp / fl;
}'
if [ -n "$duck" ]; then
  awk -v d="$duck" -v a="$t1" -v b="$t2" 'BEGIN {
    printf "duckdb:  %.3f s (scripts/duckdb_peer.py); replay is %.1fx faster\n", d, d / (b - a);
  }'
else
  echo "duckdb:  not measured (pip install duckdb to compare with the DuckDB peer)"
fi
read -r kb user sys < "$rss"
echo "replay max RSS: $kb KB; CPU: $user s user + $sys s sys (wall above is CPU over cores when idle)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine inflates the wall times)"
