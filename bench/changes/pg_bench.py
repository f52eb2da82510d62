#!/usr/bin/python3
"""PostgreSQL change-capture benchmark (pgbench), run by bench/changes/run.sh.

    pg_bench.py --bindir DIR --port N --out FILE [--seconds S] [--reps R]
                [--clients "1 2 8"] [--only "scenario ..."]

Starts its own cluster (initdb in a temporary directory, fsync on,
shared_buffers 256MB, max_wal_size 8GB), creates one table per scenario --
the same rex-made table (id, a integer, b text) -- and runs pgbench on each:

  plain           no capture
  plpgsql_log     PL/pgSQL AFTER ROW trigger inserting to_jsonb(NEW) into a
                  change-log table (what people write by hand)
  plpgsql_notify  PL/pgSQL AFTER ROW trigger pg_notify('rex', row_to_json(NEW))
  rex_off         rex capture, "notify": "off" (log only)
  rex_row         rex capture, NOTIFY of each event from the writer
  rex_doorbell    rex capture, one NOTIFY per transaction from the writer
  rex_worker      rex capture, the notifier worker signals; writers never NOTIFY

each with single-row INSERT transactions and with 10-row INSERT ... SELECT
statements, at 1, 2 and 8 clients, synchronous_commit on and off.  Points
of one (commit mode, clients, shape) group run interleaved, R times; the
median counts.  For the scenarios that signal, a listener drains channel
rex during the run and the delivery latency (receipt minus the statement's
start time of the newest event it names) is recorded.

Besides transactions per second (wall clock: other processes on this
2-core machine disturb it), the cluster's CPU time per transaction is
measured (postmaster's children, from /proc), which other load disturbs
far less; both ratios to plain are reported.
"""
import argparse
import json
import os
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import psycopg2

PAYLOAD = "repeat('x', 200)"
SCENARIOS = {
    "plain": None, "plpgsql_log": None, "plpgsql_notify": None,
    "rex_off": "off", "rex_row": "row", "rex_doorbell": "doorbell", "rex_worker": "worker",
}
TABLE = {k: ("cap_" + k[4:] if k.startswith("rex_") else k) for k in SCENARIOS}
SIGNALS = {"plpgsql_notify", "rex_row", "rex_doorbell", "rex_worker"}
TICKS = os.sysconf("SC_CLK_TCK")

SETUP = """
CREATE EXTENSION rex_orm;
CREATE TABLE changelog (id bigserial PRIMARY KEY, tbl text NOT NULL, op text NOT NULL,
                        row jsonb, at timestamptz NOT NULL DEFAULT now());
CREATE FUNCTION log_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO changelog (tbl, op, row) VALUES (TG_TABLE_NAME, lower(TG_OP), to_jsonb(NEW));
  RETURN NULL;
END $$;
CREATE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('rex', json_build_object('table', TG_TABLE_NAME, 'op', lower(TG_OP),
                                             'row', row_to_json(NEW))::text);
  RETURN NULL;
END $$;
"""


def sh(*args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw)


class Cluster:
    def __init__(self, bindir, port):
        self.bindir = bindir
        self.port = port
        self.dir = tempfile.mkdtemp(prefix="rex-bench-pg-")
        shutil.chown(self.dir, "postgres")
        self.data = os.path.join(self.dir, "data")

    def pg(self, prog, *args):
        return sh("runuser", "-u", "postgres", "--", os.path.join(self.bindir, prog), *args)

    def start(self):
        self.pg("initdb", "-D", self.data, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8")
        opts = ("-p %d -k %s -c listen_addresses='' -c shared_buffers=256MB -c max_wal_size=8GB "
                "-c checkpoint_timeout=30min -c max_connections=50 -c wal_level=replica"
                % (self.port, self.dir))
        self.pg("pg_ctl", "-D", self.data, "-w", "-l", os.path.join(self.dir, "log"), "-o", opts, "start")
        with open(os.path.join(self.data, "postmaster.pid")) as f:
            self.pid = int(f.readline())
        os.environ.update(PGHOST=self.dir, PGPORT=str(self.port), PGUSER="postgres",
                          PGDATABASE="postgres")

    def stop(self):
        try:
            self.pg("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def cpu_seconds(self):
        """CPU of the postmaster, its live children and its reaped children."""
        def stat(pid):
            with open("/proc/%d/stat" % pid) as f:
                return f.read().rsplit(")", 1)[1].split()
        total = 0
        s = stat(self.pid)
        total += sum(int(x) for x in s[11:15])     # utime stime cutime cstime
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                s = stat(int(pid))
            except OSError:
                continue
            if int(s[1]) == self.pid:
                total += int(s[11]) + int(s[12])
        return total / TICKS


def connect():
    c = psycopg2.connect("")
    c.autocommit = True
    return c


def setup(conn):
    with conn.cursor() as cur:
        cur.execute(SETUP)
        for name, mode in SCENARIOS.items():
            d = {"table": TABLE[name], "columns": [{"name": "id", "type": "id"},
                                                   {"name": "a", "type": "integer"},
                                                   {"name": "b", "type": "text"}]}
            if mode:
                d["changes"] = {"notify": mode}
            cur.execute("SELECT rex.define_entity(%s, %s)", (TABLE[name], json.dumps(d)))
        cur.execute("SELECT rex.migrate()")
        cur.execute("CREATE TRIGGER log_change AFTER INSERT OR UPDATE OR DELETE ON plpgsql_log"
                    " FOR EACH ROW EXECUTE FUNCTION log_change()")
        cur.execute("CREATE TRIGGER notify_change AFTER INSERT OR UPDATE OR DELETE ON plpgsql_notify"
                    " FOR EACH ROW EXECUTE FUNCTION notify_change()")
        cur.execute("SELECT rex.start_notifier()")


class Listener(threading.Thread):
    """Drains channel rex; keeps (receipt time, payload) for latency."""

    def __init__(self):
        super().__init__(daemon=True)
        self.conn = connect()
        with self.conn.cursor() as cur:
            cur.execute("LISTEN rex")
        self.got = []
        self.stop = False

    def run(self):
        while not self.stop:
            if select.select([self.conn], [], [], 0.05) == ([], [], []):
                continue
            self.conn.poll()
            now = time.time()
            while self.conn.notifies:
                self.got.append((now, self.conn.notifies.pop(0).payload))


def latency_ms(conn, got):
    """Receipt minus statement start of the newest event each signal names."""
    ids = {}
    for t, payload in got:
        p = json.loads(payload)
        if "last_id" in p:
            ids[p["last_id"]] = t
        elif "id" in p:
            ids[p["id"]] = t
    if not ids:
        return None
    with conn.cursor() as cur:
        cur.execute("SELECT id, extract(epoch FROM at) FROM rex.changes WHERE id = ANY(%s)",
                    (list(ids),))
        lat = sorted(1000 * (ids[i] - float(at)) for i, at in cur.fetchall())
    if not lat:
        return None
    return {"n": len(lat), "p50": lat[len(lat) // 2], "p99": lat[int(len(lat) * 0.99)],
            "max": lat[-1]}


def pgbench(bindir, script, clients, seconds, sync):
    env = dict(os.environ, PGOPTIONS="-c synchronous_commit=%s" % sync)
    r = subprocess.run([os.path.join(bindir, "pgbench"), "-n", "-M", "prepared", "-c", str(clients),
                        "-j", str(min(clients, 2)), "-T", str(seconds), "-f", script],
                       capture_output=True, text=True, env=env)
    m = re.search(r"number of transactions actually processed: (\d+)", r.stdout)
    t = re.search(r"tps = ([\d.]+) \(without", r.stdout)
    if not m or not t:
        raise RuntimeError(r.stdout + r.stderr)
    return int(m.group(1)), float(t.group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bindir", required=True)
    ap.add_argument("--port", type=int, default=55635)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--clients", default="1 2 8")
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    only = set(args.only.split()) if args.only else set(SCENARIOS)
    cl = Cluster(args.bindir, args.port)
    cl.start()
    out = open(args.out, "w")

    def log(line):
        print(line)
        out.write(line + "\n")
        out.flush()

    try:
        conn = connect()
        setup(conn)
        scripts = {}
        tmp = tempfile.mkdtemp(prefix="rex-bench-scripts-")
        for name in SCENARIOS:
            for shape in ("1row", "10rows"):
                p = os.path.join(tmp, "%s-%s.sql" % (name, shape))
                with open(p, "w") as f:
                    if shape == "1row":
                        f.write("\\set a random(1, 1000000)\nINSERT INTO %s (a, b) VALUES (:a, %s);\n"
                                % (TABLE[name], PAYLOAD))
                    else:
                        f.write("INSERT INTO %s (a, b) SELECT g, %s FROM generate_series(1, 10) g;\n"
                                % (TABLE[name], PAYLOAD))
                scripts[name, shape] = p
        # warm-up: touch the shared buffers once, so that first-use page
        # faults do not count against whichever scenario comes first
        for name in SCENARIOS:
            if name in only:
                pgbench(args.bindir, scripts[name, "10rows"], 2, 2, "off")
        log("# scenario shape sync clients rep tps cpu_us_per_tx latency")
        results = {}
        for sync in ("on", "off"):
            for clients in [int(c) for c in args.clients.split()]:
                for shape in ("1row", "10rows"):
                    for rep in range(args.reps):
                        for name in SCENARIOS:
                            if name not in only:
                                continue
                            with conn.cursor() as cur:
                                cur.execute("TRUNCATE %s" % TABLE[name])
                                cur.execute("TRUNCATE changelog, rex.changes")
                                cur.execute("CHECKPOINT")
                            lst = None
                            if name in SIGNALS:
                                lst = Listener()
                                lst.start()
                            c0 = cl.cpu_seconds()
                            n, tps = pgbench(args.bindir, scripts[name, shape], clients,
                                             args.seconds, sync)
                            time.sleep(0.3)  # backends exit; their CPU is reaped
                            cpu_us = 1e6 * (cl.cpu_seconds() - c0) / n
                            lat = None
                            if lst:
                                time.sleep(0.2)
                                lst.stop = True
                                lst.join()
                                lat = latency_ms(conn, lst.got) if name.startswith("rex_") else None
                                lst.conn.close()
                            results.setdefault((name, shape, sync, clients), []).append((tps, cpu_us, lat))
                            log("%s %s %s %d %d %.0f %.1f %s" % (name, shape, sync, clients, rep + 1,
                                                               tps, cpu_us, json.dumps(lat)))
        log("")
        log("## medians: tps (ratio to plain) | server CPU us per transaction (ratio of "
            "plain's CPU to this one's: the throughput ratio on a CPU-bound server)")
        for sync in ("on", "off"):
            for shape in ("1row", "10rows"):
                for clients in [int(c) for c in args.clients.split()]:
                    base = results.get(("plain", shape, sync, clients))
                    if not base:
                        continue
                    btps = statistics.median(r[0] for r in base)
                    bcpu = statistics.median(r[1] for r in base)
                    for name in SCENARIOS:
                        rs = results.get((name, shape, sync, clients))
                        if not rs:
                            continue
                        tps = statistics.median(r[0] for r in rs)
                        cpu = statistics.median(r[1] for r in rs)
                        lats = [r[2] for r in rs if r[2]]
                        lat = ("p50 %.1f ms, p99 %.1f ms" % (statistics.median(l["p50"] for l in lats),
                                                             max(l["p99"] for l in lats))) if lats else ""
                        log("RESULT pg sync=%s %s c=%d %-14s tps %7.0f (%.2fx)  cpu/tx %6.1f us (%.2fx)  %s"
                            % (sync, shape, clients, name, tps, tps / btps, cpu, bcpu / cpu, lat))
    finally:
        out.close()
        cl.stop()


if __name__ == "__main__":
    main()
