# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The first computation in production server mode: Odoo in prefork mode
(two HTTP workers, two cron workers, ``limit_time_real_cron``) drains the
queue of every customer in calls bounded by the time budget."""

import re
import signal
import socket
import subprocess
import time
from datetime import datetime

import psycopg2

from .harness import Env, copy_db, drop_db, release, run_sql

# "... 2026-12-02 06:07:24,079 8316 INFO db odoo.addons.base.models.ir_cron:
# Job 'Relationship: update changed customers' (24) processed 6000 records,
# 0 records remaining"
CALL = re.compile(
    r"^(\S+ \S+) \d+ INFO \S+ odoo\.addons\.base\.models\.ir_cron: "
    r"Job '(?P<job>[^']+)' \(\d+\) processed (?P<done>\d+) records, "
    r"(?P<left>\d+) records remaining"
)
START = re.compile(
    r"^(\S+ \S+) \d+ INFO \S+ odoo\.addons\.base\.models\.ir_cron: "
    r"Job '(?P<job>[^']+)' \(\d+\) starting"
)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stamp(text):
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S,%f")


def _pending(db):
    return run_sql(
        "SELECT (SELECT count(*) FROM crm_relationship_queue)"
        " + (SELECT count(*) FROM crm_order_service_queue)"
        " + (SELECT count(*) FROM crm_order_service WHERE due_date IS NULL)",
        db=db,
    )[0][0]


def calls_of(log_text):
    """[(job, seconds, done, remaining)] of each call of a scheduled action,
    from the cron runner's log lines (a call ends with its 'processed' line;
    it starts at the job's start or at the end of the call before)."""
    calls, start = [], None
    for line in log_text.splitlines():
        if m := START.match(line):
            start = _stamp(m.group(1))
        elif (m := CALL.match(line)) and start:
            end = _stamp(m.group(1))
            calls.append(
                (
                    m["job"],
                    (end - start).total_seconds(),
                    int(m["done"]),
                    int(m["left"]),
                )
            )
            start = end
    return calls


def scenario_prefork(args, ours, result, budget=60, limit_cron=120):
    out = result.setdefault("prefork_first_computation", {})
    run_db = f"crmbench_{args.size}_prefork"
    copy_db(ours, run_db)
    with Env(run_db) as env:
        env.cr.execute(env["crm.relationship.metrics"]._scope_query())
        env.cr.execute("UPDATE res_company SET relationship_time_budget = %s", [budget])
    release(run_db)
    customers = run_sql(
        "SELECT count(DISTINCT (partner_id, company_id)) FROM crm_relationship_queue",
        db=run_db,
    )[0][0]
    log = f"{args.out_dir}/prefork-{args.size}.log"
    server = subprocess.Popen(
        [
            args.python,
            args.odoo_bin,
            "-c",
            args.config,
            "-d",
            run_db,
            "--db-filter",
            f"^{run_db}$",
            "--workers",
            "2",
            "--max-cron-threads",
            "2",
            "--limit-time-real-cron",
            str(limit_cron),
            "--http-port",
            str(_free_port()),
            "--gevent-port",
            str(_free_port()),
            "--logfile",
            log,
            "--log-level",
            "info",
        ],
        start_new_session=True,
    )
    t0 = time.perf_counter()
    try:
        while _pending(run_db):
            if server.poll() is not None:
                raise RuntimeError(f"Odoo exited with {server.returncode} ({log})")
            if time.perf_counter() - t0 > 4 * 3600:
                raise RuntimeError(f"not drained after 4 hours ({log})")
            # what ir.cron._notifydb does: wake the cron workers now
            with psycopg2.connect(dbname="postgres") as conn:
                conn.autocommit = True
                conn.cursor().execute("NOTIFY cron_trigger, %s", [run_db])
            time.sleep(2)
        seconds = time.perf_counter() - t0
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=120)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    with open(log) as f:
        text = f.read()
    calls = calls_of(text)
    relationship = [c for c in calls if c[0].startswith("Relationship")]
    out.update(
        {
            "customers": customers,
            "budget_seconds": budget,
            "limit_time_real_cron": limit_cron,
            "seconds_until_drained": round(seconds, 1),
            "calls": len(relationship),
            "longest_call_seconds": round(
                max((c[1] for c in relationship), default=0), 1
            ),
            "calls_over_budget": sum(1 for c in relationship if c[1] > budget),
            "calls_over_time_limit": sum(1 for c in relationship if c[1] > limit_cron),
            "errors_in_log": sum(
                1
                for line in text.splitlines()
                if " ERROR " in line or " CRITICAL " in line
            ),
            "log": log,
        }
    )
    drop_db(run_db)
