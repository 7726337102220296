# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The service scenario of the benchmark."""

import time

from odoo.tools import SQL

from .baselines import BASELINE_SERVICE
from .harness import Env, copy_db, drop_db, stats


def scenario_service(args, ours, result):
    out = result.setdefault("service_full", {})
    runs = {"ours": [], "raw_sql": []}
    run_db = f"crmbench_{args.size}_run"
    copy_db(ours, run_db)
    with Env(run_db) as env:
        Service = env["crm.order.service"]
        ids = [
            r[0]
            for r in env.execute_query(SQL("SELECT order_id FROM crm_order_service"))
        ]
        out["orders"] = len(ids)
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
    drop_db(run_db)
    out["ours"] = stats(runs["ours"])
    out["raw_sql"] = stats(runs["raw_sql"])
    out["ratio_vs_raw_sql"] = round(out["ours"]["median"] / out["raw_sql"]["median"], 2)
