#!/usr/bin/env python3
"""Replay a CSV message log on Apache Spark: flowcost runs on every partition, Spark only moves rows.

    spark-submit scripts/spark_replay.py LOG.csv [LOG2.csv …] --flowcost /path/to/flowcost \
        [--partitions N] [--format table|json] [--by month|day] [-- REPLAY OPTIONS…]

1. read the log as lines of text (so each row reaches flowcost exactly as written: bad rows are
   found and reported by flowcost as in one run); header lines are dropped;
2. `repartition` by recipient (every recipient's rows in one partition), then
   `sortWithinPartitions` by timestamp (ties keep the log's order);
3. pipe each partition, under the header, through `flowcost replay - --format json`: the binary
   is shipped to the executors with `SparkContext.addFile` and found with `SparkFiles.get`;
4. collect the partial results on the driver and add them up with `flowcost merge-replays`,
   which prints the same table or JSON as `flowcost replay LOG.csv` on one machine.

Options after `--` go to every `flowcost replay` (`--pricing`, `--account-tz`, `--map`, …).
The exit code is merge-replays': 0, or 2 when a partition could not read everything.
See docs/replay.md, "Past one machine".
"""

import argparse
import csv
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading

# flowcost's header names and aliases (docs/replay.md, "Formats"), any case.
ALIASES = {
    "timestamp": ["timestamp", "ts", "time", "datetime", "created_at", "sent_at"],
    "recipient": ["recipient", "recipient_id", "wa_id", "phone", "phone_number", "msisdn",
                  "contact", "to"],
}


def parse_args(argv):
    if "--" in argv:
        cut = argv.index("--")
        argv, replay_args = argv[:cut], argv[cut + 1:]
    else:
        replay_args = []
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("logs", nargs="+", metavar="LOG", help="CSV logs (any Spark path; .gz too)")
    p.add_argument("--flowcost", default=os.environ.get("FLOWCOST") or shutil.which("flowcost"),
                   help="the flowcost binary for the executors' platform (default: $FLOWCOST, "
                        "else flowcost on PATH)")
    p.add_argument("--partitions", type=int, default=None,
                   help="partitions (default: Spark's default parallelism)")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--by", choices=["month", "day"], default="month")
    p.add_argument("--parts-dir", default=None,
                   help="keep the partial results here (default: a temporary directory)")
    args = p.parse_args(argv)
    if not args.flowcost or not os.path.isfile(args.flowcost):
        p.error("the flowcost binary was not found: pass --flowcost PATH or set FLOWCOST")
    args.replay_args = replay_args
    return args


def mapped(replay_args):
    """`--map COLUMN=NAME` given to replay, as {COLUMN: NAME}."""
    out = {}
    for i, a in enumerate(replay_args):
        value = None
        if a == "--map" and i + 1 < len(replay_args):
            value = replay_args[i + 1]
        elif a.startswith("--map="):
            value = a[len("--map="):]
        if value and "=" in value:
            column, name = value.split("=", 1)
            out[column.strip().lower()] = name.strip().lower()
    return out


def column_index(header, column, replay_args):
    """Where flowcost finds COLUMN in the header: by --map, else by name or alias."""
    names = [n.strip().lower() for n in next(csv.reader([header]))]
    wanted = mapped(replay_args).get(column)
    for name in [wanted] if wanted else ALIASES[column]:
        if name in names:
            return names.index(name), len(names)
    sys.exit(f"error: the header has no {column} column (--map {column}=NAME names one): {header}")


def replay_partition(binary_name, header, replay_args):
    """The function each partition runs: its rows, under the header, through `flowcost replay -`."""

    def run(rows):
        from pyspark import SparkFiles

        binary = SparkFiles.get(binary_name)
        mode = os.stat(binary).st_mode
        if not mode & stat.S_IXUSR:
            os.chmod(binary, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        cmd = [binary, "replay", "-", "--format", "json", "--no-progress", *replay_args]
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, bufsize=1 << 20)
        err = []
        reader = threading.Thread(target=lambda: err.append(proc.stderr.read()))
        reader.start()

        def feed():
            try:
                with proc.stdin as w:
                    w.write(header.encode() + b"\n")
                    for row in rows:
                        w.write(row.line.encode() + b"\n")
            except BrokenPipeError:
                pass

        writer = threading.Thread(target=feed)
        writer.start()
        out = proc.stdout.read()
        writer.join()
        reader.join()
        code = proc.wait()
        # 0, or 2 with a partial result that says what it could not read: merge-replays
        # reports it. Anything else (no JSON at all) fails the task.
        if code not in (0, 2) or not out.strip():
            raise RuntimeError(f"flowcost replay exited with {code}: {b''.join(err).decode()}")
        yield out.decode()

    return run


def main(argv):
    args = parse_args(argv)
    from pyspark.sql import SparkSession, functions as F

    spark = (SparkSession.builder.appName("flowcost replay")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.ui.showConsoleProgress", "false").getOrCreate())
    sc = spark.sparkContext
    sc.setLogLevel("ERROR")
    sc.addFile(os.path.abspath(args.flowcost))
    binary_name = os.path.basename(args.flowcost)

    lines = spark.read.text(args.logs).withColumnRenamed("value", "line")
    header = lines.first().line.lstrip("\ufeff")
    ts_at, width = column_index(header, "timestamp", args.replay_args)
    to_at, _ = column_index(header, "recipient", args.replay_args)
    # The log's order, kept for rows at the same instant (before any shuffle).
    lines = lines.withColumn("seq", F.monotonically_increasing_id())
    lines = lines.filter(F.trim(F.regexp_replace("line", "^\ufeff", "")) != header.strip())
    lines = lines.filter(F.trim("line") != "")
    schema = ", ".join(f"c{i} STRING" for i in range(width))
    fields = F.from_csv("line", schema, {"mode": "PERMISSIVE"})
    rows = (lines.withColumn("recipient", F.trim(fields[f"c{to_at}"]))
            .withColumn("ts", F.trim(fields[f"c{ts_at}"])))
    number = F.expr("try_cast(ts AS DOUBLE)")
    # RFC 3339 and dates, else Unix seconds or (from 10^11) milliseconds; unreadable ones
    # first: flowcost reports them.
    seconds = F.coalesce(
        F.unix_micros(F.expr("try_to_timestamp(ts)")) / 1e6,
        F.when(number >= 1e11, number / 1000).otherwise(number),
    )
    rows = rows.withColumn("at", seconds)
    partitions = args.partitions or sc.defaultParallelism
    rows = (rows.repartition(partitions, "recipient")
            .sortWithinPartitions("at", "seq")
            .select("line"))
    parts = rows.rdd.mapPartitions(replay_partition(binary_name, header, args.replay_args))
    results = parts.collect()

    keep = args.parts_dir
    work = keep or tempfile.mkdtemp(prefix="flowcost-parts-")
    os.makedirs(work, exist_ok=True)
    paths = []
    for i, text in enumerate(results):
        path = os.path.join(work, f"part-{i:05}.json")
        with open(path, "w") as f:
            f.write(text)
        paths.append(path)
    spark.stop()
    # Run where the parts are, so that problems are named `part-00003.json:<stdin>:LINE`.
    merged = subprocess.run([os.path.abspath(args.flowcost), "merge-replays",
                             *[os.path.basename(p) for p in paths],
                             "--format", args.format, "--by", args.by], cwd=work)
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return merged.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
