#!/usr/bin/env bash
# Benchmark `flowcost replay` against `wc -l` on the same synthetic log, against the floor
# under any replay (examples/replay_floor.rs: read, split, parse the timestamp, hash the
# recipient, update one entry per recipient; nothing else), and, when the Python module duckdb
# is importable, against the DuckDB query an analyst would run instead (scripts/duckdb_peer.py).
# Replay runs with `--pricing pmp`, per-message pricing throughout, as the DuckDB query prices;
# without it, a log that crosses a model switch is billed under each model.
#
# The runs alternate in ROUNDS rounds (wc -l, replay, the floor, DuckDB, wc -l again), and every
# ratio is taken within one round, so that a slow minute on a shared machine slows a round's
# baseline as much as its replay; the medians over the rounds are the figures to quote.
# Usage: scripts/bench-replay.sh [ROWS] [RECIPIENTS] [ROUNDS]   (defaults: 10000000 1000000 3)
# Writes the log to a temporary file (about 650 MB for 10M rows) and deletes it at the end.
set -euo pipefail
rows=${1:-10000000}
recipients=${2:-1000000}
rounds=${3:-3}
if ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]]; then
  echo "error: ROUNDS must be a whole number of at least 1, not $rounds" >&2
  exit 2
fi
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin flowcost --example replay_floor
bin=target/release/flowcost
floor=target/release/examples/replay_floor
log=$(mktemp --suffix=.csv)
times=$(mktemp)
rss=$(mktemp)
trap 'rm -f "$log" "$times" "$rss"' EXIT
"$bin" gen-log --rows "$rows" --recipients "$recipients" --seed 1 --output "$log"
ls -l "$log" | awk '{printf "log: %s bytes\n", $5}'
sync "$log"              # write the new log out first: writeback would compete with the runs
cat "$log" > /dev/null   # warm the page cache for every run
duck=false
if python3 -c 'import duckdb' 2> /dev/null; then
  duck=true
else
  echo "duckdb: not measured (pip install duckdb to compare with the DuckDB peer)"
fi
now() { date +%s.%N; }
for ((r = 1; r <= rounds; r++)); do
  t0=$(now); wc -l "$log" > /dev/null; t1=$(now)
  /usr/bin/time -f "%M %U %S" -o "$rss" "$bin" replay "$log" --pricing pmp --no-progress \
    > /dev/null
  t2=$(now)
  read_rows=$("$floor" "$log" | cut -d' ' -f1); t3=$(now)
  if [ "$read_rows" != "$rows" ]; then
    echo "error: the floor read $read_rows rows, not $rows" >&2
    exit 1
  fi
  d=0
  if $duck; then
    d0=$(now); python3 scripts/duckdb_peer.py "$log" > /dev/null; d1=$(now)
    d=$(awk -v a="$d0" -v b="$d1" 'BEGIN { printf "%.3f", b - a }')
  fi
  t4=$(now); wc -l "$log" > /dev/null; t5=$(now)
  read -r kb user sys < "$rss"
  # One line per round in $times: wc -l (mean of two), replay, floor, DuckDB (0: not run),
  # replay's memory and CPU; and the round printed as it ends.
  awk -v a="$t0" -v b="$t1" -v c="$t2" -v e="$t3" -v f="$t4" -v g="$t5" -v d="$d" \
    -v kb="$kb" -v cpu="$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" 'BEGIN {
    printf "%.4f %.3f %.3f %s %d %.2f\n", ((b - a) + (g - f)) / 2, c - b, e - c, d, kb / 1024, cpu;
  }' | tee -a "$times" | awk -v rows="$rows" -v r="$r" '{
    printf "round %d: wc -l %.3f s, replay %.3f s (%.2f million events/s, %.2f s CPU, %d MB), floor %.3f s", r, $1, $2, rows / $2 / 1e6, $6, $5, $3;
    if ($4 > 0) printf ", duckdb %.3f s", $4;
    printf "\n         replay = %.1fx wc -l, %.2fx the floor", $2 / $1, $2 / $3;
    if ($4 > 0) printf "; %.2fx faster than duckdb", $4 / $2;
    printf "\n";
  }'
done
awk -v duck="$duck" '
  function median(a, n,   i, j, t) {
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
      t = a[j]; a[j] = a[j - 1]; a[j - 1] = t;
    }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2;
  }
  { n++; rp[n] = $2; rf[n] = $2 / $3; rw[n] = $2 / $1; rd[n] = ($4 > 0) ? $4 / $2 : 0 }
  END {
    printf "median over %d rounds: replay %.3f s = %.2fx the floor (examples/replay_floor.rs), %.1fx wc -l", n, median(rp, n), median(rf, n), median(rw, n);
    if (duck == "true") printf "; %.2fx faster than the DuckDB peer (scripts/duckdb_peer.py)", median(rd, n);
    printf "\n";
  }' "$times"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine inflates the wall times)"
