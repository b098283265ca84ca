#!/usr/bin/env python3
"""What an analyst would run in DuckDB instead of `flowcost replay`, the peer replay's speed is
measured against (scripts/bench-replay.sh).

    scripts/duckdb_peer.py LOG.csv        (needs: pip install duckdb)

It counts charged template messages by month and category under per-message pricing with SQL
window functions: every template is charged, except a utility template sent within 24 hours of
the recipient's last inbound message. That is a strict subset of replay's work (no
conversation-based models, no free entry points, no model changes, no refused free-form
messages), so its time is a floor for the peer. Prints the counts, then the wall time."""
import sys
import time

import duckdb

start = time.time()
con = duckdb.connect()
rows = con.execute(f"""
WITH events AS (
  SELECT timestamp, recipient, direction, kind, category,
         max(CASE WHEN direction = 'inbound' THEN timestamp END)
           OVER (PARTITION BY recipient ORDER BY timestamp ROWS UNBOUNDED PRECEDING) AS last_inbound
  FROM read_csv('{sys.argv[1]}', header = true,
                types = {{'timestamp': 'TIMESTAMP', 'category': 'VARCHAR', 'entry_point': 'VARCHAR',
                         'market': 'VARCHAR', 'flow': 'VARCHAR', 'kind': 'VARCHAR'}}))
SELECT strftime(timestamp, '%Y-%m') AS month, category,
       count(*) FILTER (WHERE NOT (category = 'utility' AND last_inbound IS NOT NULL
                                   AND timestamp < last_inbound + INTERVAL 24 HOUR)) AS charged
FROM events WHERE direction = 'outbound' AND kind = 'template'
GROUP BY ALL ORDER BY ALL""").fetchall()
for row in rows:
    print(*row)
print(f"duckdb wall {time.time() - start:.3f} s")
