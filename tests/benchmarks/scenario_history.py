# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The history scenario (issue #17): the backfill of 24 month ends by the
scheduled action's calls, as the cron runner makes them, and the snapshot
reports."""

import time

from .harness import Env, computed_copy, drop_db, stats, timed

MONTHS = 24


def _ms(values):
    return {k: round(v * 1000, 1) for k, v in stats(values).items() if k != "n"}


def scenario_history(args, ours, result):
    out = result.setdefault("history", {})
    run_db = computed_copy(args, ours)
    with Env(run_db) as env:
        Snapshot = env["crm.relationship.snapshot"]
        companies = env["res.company"].search([])
        companies.write({"history_months": MONTHS})
        Snapshot._schedule_backfill(companies)
        env.cr.commit()
        budget = env.company.relationship_time_budget
        calls, months = [], 0
        t0 = time.perf_counter()
        # the runner: call, commit, again while month ends remain
        while True:
            seconds, done = timed(Snapshot._cron_history)
            env.cr.commit()
            if not done:
                break
            calls.append(seconds)
            months += done
        total = time.perf_counter() - t0
        rows = Snapshot.search_count([])
        out["backfill"] = {
            "companies": len(companies),
            "month_ends": months,
            "rows": rows,
            "seconds": round(total, 2),
            "calls": len(calls),
            "call_seconds": stats(calls),
            "budget_seconds": budget,
            "per_month_seconds": round(total / max(months, 1), 2),
        }
        cases = {
            "customers_per_stage_by_month": (
                Snapshot,
                ["date:month", "stage_id"],
                ["__count"],
            ),
            "retention_cohorts": (
                Snapshot,
                ["first_order_date:month", "cohort_age_months"],
                ["ordered_in_month:sum"],
            ),
            "otif_and_contribution_by_month": (
                Snapshot,
                ["date:month"],
                [
                    "service_otif_rate:sum",
                    "net_contribution:sum",
                    "value_at_risk:sum",
                ],
            ),
            "stage_flow": (
                env["crm.relationship.snapshot.flow"],
                ["from_stage_id", "stage_id"],
                ["__count", "rfm_monetary:sum"],
            ),
        }
        for name, (model, groupby, measures) in cases.items():
            times = []
            for _i in range(args.repeat * 3):
                env.invalidate_all()
                times.append(
                    timed(
                        lambda m=model, g=groupby, a=measures: m._read_group(
                            [("date", ">=", "1900-01-01")], g, a
                        )
                    )[0]
                )
            out[name] = {"orm_ms": _ms(times)}
    drop_db(run_db)
