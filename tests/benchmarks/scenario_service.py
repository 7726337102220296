# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The service scenario of the benchmark."""

import time

from odoo.tools import SQL

from .baselines import (
    BASELINE_SERVICE,
    BASELINE_SERVICE_FULL,
    BASELINE_SERVICE_FULL_TABLES,
)
from .harness import Env, copy_db, drop_db, stats


def scenario_service(args, ours, result):
    out = result.setdefault("service_full", {})
    runs = {"ours": [], "raw_sql": [], "raw_full": []}
    run_db = f"crmbench_{args.size}_run"
    copy_db(ours, run_db)
    with Env(run_db) as env:
        Service = env["crm.order.service"]
        ids = [
            r[0]
            for r in env.execute_query(SQL("SELECT order_id FROM crm_order_service"))
        ]
        out["orders"] = len(ids)
        as_of = env.cr.now().date()
        full = SQL(BASELINE_SERVICE_FULL, as_of=as_of)
        # the same-outputs baseline's tables, filled once before the clock
        env.cr.execute(BASELINE_SERVICE_FULL_TABLES)
        env.cr.execute(full)
        env.cr.commit()
        for _i in range(args.repeat):
            # interleaved: ours, then the baseline, on the same state
            env.cr.execute("UPDATE crm_order_service SET service_level_state = 'na'")
            # committed, as the rows the cron recomputes were written by
            # earlier transactions (a row written twice in one transaction has
            # its foreign keys checked again, which the harness would add)
            env.cr.commit()
            t0 = time.perf_counter()
            for start in range(0, len(ids), 5000):
                Service._recompute_orders(ids[start : start + 5000])
            runs["ours"].append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            env.cr.execute("DROP TABLE IF EXISTS bench_srv")
            env.cr.execute(BASELINE_SERVICE)
            runs["raw_sql"].append(time.perf_counter() - t0)
            # the same outputs, from the same state: every order row to write
            # again, the line rows unchanged
            env.cr.execute("UPDATE bench_srv_order SET state = 'na'")
            env.cr.commit()
            env.cr.execute("SET LOCAL jit = off")
            t0 = time.perf_counter()
            env.cr.execute(full)
            runs["raw_full"].append(time.perf_counter() - t0)
            out["raw_full_rows_written"] = env.cr.rowcount
            env.cr.commit()
        # the baseline computes what the engine computes: orders whose figures
        # differ (UTC days: the bench companies' time zone is UTC)
        env.cr.execute(
            """SELECT count(*) FROM crm_order_service s
                 JOIN bench_srv_order b ON b.order_id = s.order_id
                WHERE (s.due_date, s.delivered_date, s.is_in_full, s.is_on_time,
                       s.is_otif, s.fill_rate, s.cycle_time_days, s.delay_days,
                       s.return_rate, s.is_perfect_order, s.service_level_state,
                       s.line_count, round(s.revenue::numeric, 2))
                      IS DISTINCT FROM
                      (b.due_day, b.delivered_date, b.in_full, b.on_time, b.otif,
                       b.fill_rate, b.cycle, b.delay, b.return_rate, b.perfect,
                       b.state, b.line_count, round(b.revenue::numeric, 2))"""
        )
        out["raw_full_mismatches"] = env.cr.fetchone()[0]
    drop_db(run_db)
    out["ours"] = stats(runs["ours"])
    out["raw_sql"] = stats(runs["raw_sql"])
    out["ratio_vs_raw_sql"] = round(out["ours"]["median"] / out["raw_sql"]["median"], 2)
    out["raw_full"] = stats(runs["raw_full"])
    out["ratio_vs_raw_full"] = round(
        out["ours"]["median"] / out["raw_full"]["median"], 2
    )
