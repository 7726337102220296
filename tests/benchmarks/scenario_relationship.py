# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The relationship scenario of the benchmark."""

import importlib
import time
from datetime import date, timedelta

import odoo

from .baselines import BASELINE_RELATIONSHIP, baseline_full
from .harness import (
    Env,
    SqlTimer,
    copy_db,
    drop_db,
    next_day,
    queries,
    rss_mb,
    run_cron,
    stats,
    vacuum_analyze,
)


def scenario_relationship(args, ours, result):
    """Full relationship recompute vs raw SQL vs a naive ORM loop: the first
    computation (every row inserted, every customer given its stage), the
    nightly pass of the next day (every row changes) and a pass with nothing
    changed, each against the same-outputs raw SQL on the same state."""
    out = result.setdefault("relationship_full", {})
    runs = {
        "ours": [],
        "raw_sql": [],
        "raw_full_first": [],
        "nightly": [],
        "raw_full_nightly": [],
    }
    today = date.today()
    for i in range(args.repeat):
        run_db = f"crmbench_{args.size}_run"
        copy_db(ours, run_db)
        with Env(run_db) as env:
            Metrics = env["crm.relationship.metrics"]
            cr = env.cr
            # ours: queue every customer, drain as the cron runner does
            before = rss_mb()
            q0 = queries(cr)
            cr.execute(Metrics._scope_query())
            with SqlTimer(cr) as sql_time:
                seconds = run_cron(env)
            runs["ours"].append(seconds)
            out.setdefault("sql_seconds", []).append(round(sql_time.seconds, 2))
            out["queries"] = queries(cr) - q0
            out["customers"] = Metrics.search_count([])
            after = rss_mb()
            out["rss_growth_mb"] = round(after["VmRSS"] - before["VmRSS"], 1)
            cr.commit()
            # baselines on the same state: the same outputs (first write of
            # its table), then the minimal aggregation of earlier runs
            runs["raw_full_first"].append(baseline_full(cr, today)[0])
            t0 = time.perf_counter()
            cr.execute(BASELINE_RELATIONSHIP)
            runs["raw_sql"].append(time.perf_counter() - t0)
            cr.commit()
            # a day passes: autovacuum has cleaned and analyzed what the
            # first computation wrote (every row inserted, then updated)
            vacuum_analyze(run_db)
            with next_day(env):
                # the next night, as the cron runs it: queued, then drained
                # in a transaction of its own
                cr.execute(Metrics._scope_query())
                cr.commit()
                with SqlTimer(cr) as sql_time:
                    seconds = run_cron(env)
                runs["nightly"].append(seconds)
                out.setdefault("nightly_sql_seconds", []).append(
                    round(sql_time.seconds, 2)
                )
                cr.commit()
                runs["raw_full_nightly"].append(
                    baseline_full(cr, today + timedelta(days=1))[0]
                )
                cr.commit()
                if i == 0:
                    # the same day again, nothing changed: the IS DISTINCT
                    # FROM path
                    cr.execute(Metrics._scope_query())
                    cr.commit()
                    with SqlTimer(cr) as sql_time:
                        s2 = run_cron(env)
                    out["unchanged_seconds"] = round(s2, 3)
                    out["unchanged_sql_seconds"] = round(sql_time.seconds, 2)
                    out["mismatches"] = cross_check(env, args.sample)
                    out["naive"] = naive_loop(env, args.naive_sample)
        drop_db(run_db)
    for key, values in runs.items():
        out[key] = stats(values)
    median = {key: out[key]["median"] for key in runs}
    out["ratio_vs_raw_sql"] = round(median["ours"] / median["raw_sql"], 2)
    out["ratio_first_vs_raw_full"] = round(median["ours"] / median["raw_full_first"], 2)
    out["ratio_nightly_vs_raw_full"] = round(
        median["nightly"] / median["raw_full_nightly"], 2
    )
    naive_total = out["naive"]["extrapolated_seconds"]
    out["naive_extrapolated_seconds"] = naive_total
    out["speedup_vs_naive"] = round(naive_total / median["ours"], 1)
    out["nightly_speedup_vs_naive"] = round(naive_total / median["nightly"], 1)


def _naive_customer():
    """The naive per-customer computation of crm_relationship's tests.

    Importing an addon's tests package imports Odoo's test framework, which
    logs an error outside test mode: import it once in test mode first.
    """
    config = odoo.tools.config
    previous = config["test_enable"]
    config["test_enable"] = True
    try:
        importlib.import_module("odoo.tests.common")
    finally:
        config["test_enable"] = previous
    from odoo.addons.crm_relationship.tests.naive import naive_customer

    return naive_customer


def cross_check(env, sample):
    """Per-customer values of the engine vs the naive ORM computation."""
    from odoo.addons.crm_relationship.models.crm_relationship_metrics import (
        BATCH_COLUMNS,
    )

    naive_customer = _naive_customer()

    company = env.ref("base.main_company")
    Metrics = env["crm.relationship.metrics"]
    rows = Metrics.search([("company_id", "=", company.id)], limit=sample, order="id")
    as_of = Metrics._as_of(company)[1]
    mismatches = 0
    for row in rows:
        expected = naive_customer(env, row.partner_id, company, as_of)
        for column in BATCH_COLUMNS:
            if column not in expected:
                continue
            value, want = row[column], expected[column]
            if isinstance(want, float) and isinstance(value, float):
                same = abs(value - want) < 0.011
            else:
                same = (value or False) == (want or False)
            if not same:
                mismatches += 1
                if mismatches <= 5:
                    print(
                        f"[bench] mismatch {row.partner_id.id} {column}: "
                        f"{value!r} != {want!r}",
                        flush=True,
                    )
    return mismatches


def naive_loop(env, sample):
    """Seconds of a per-customer ORM search + compute + write() loop over all
    customer rows, extrapolated: typical customers from an evenly spaced
    sample, the whales (the largest order counts) timed one by one."""
    naive_customer = _naive_customer()
    Metrics = env["crm.relationship.metrics"]
    company = env.ref("base.main_company")
    as_of = Metrics._as_of(company)[1]
    whales = Metrics.search(
        [("company_id", "=", company.id)], order="lifetime_order_count desc", limit=3
    )
    whales = (
        whales.filtered(
            lambda m: m.lifetime_order_count
            >= 10 * (whales[-1:].lifetime_order_count or 1)
        )
        or whales[:1]
    )
    rows = Metrics.search(
        [("company_id", "=", company.id), ("id", "not in", whales.ids)]
    )
    step = max(len(rows) // max(sample, 1), 1)
    typical = rows[::step][:sample]

    def run(records):
        env.invalidate_all()
        t0 = time.perf_counter()
        for row in records:
            values = naive_customer(env, row.partner_id, company, as_of)
            row.write(
                {
                    "lifetime_order_count": values.get("lifetime_order_count", 0),
                    "lifetime_revenue": values.get("lifetime_revenue", 0.0),
                    "recency_days": values.get("recency_days", 0),
                }
            )
            env.flush_all()
        return time.perf_counter() - t0

    per_typical = run(typical) / max(len(typical), 1)
    whale_seconds = run(whales)
    total_rows = Metrics.search_count([])
    return {
        "typical_seconds_per_customer": round(per_typical, 4),
        "whales": len(whales),
        "whale_seconds": round(whale_seconds, 2),
        "extrapolated_seconds": round(
            per_typical * (total_rows - len(whales)) + whale_seconds, 1
        ),
    }
