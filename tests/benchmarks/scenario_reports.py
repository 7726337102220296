# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The reports scenario of the benchmark."""

import statistics
import time

from .harness import Env, computed_copy, drop_db, stats, timed


def scenario_reports(args, ours, result):
    out = result.setdefault("reports", {})
    run_db = computed_copy(args, ours)
    with Env(run_db) as env:
        Metrics = env["crm.relationship.metrics"]
        cases = {
            # the logistics staff's screen: the order grain (issue #20)
            "service_pivot_by_customer": (
                lambda: env["crm.service.order.report"]._read_group(
                    [], ["partner_id"], ["otif_rate:sum", "fill_rate:sum"]
                ),
                """SELECT s.partner_id,
                          sum(CASE WHEN s.is_otif THEN 1 ELSE 0 END)::float / count(*),
                          sum(s.on_time_qty) / NULLIF(sum(s.ordered_qty), 0)
                     FROM crm_order_service s
                    WHERE s.service_level_state != 'na'
                    GROUP BY s.partner_id""",
            ),
            "service_pivot_by_due_week": (
                lambda: env["crm.service.order.report"]._read_group(
                    [], ["due_date:week"], ["otif_rate:sum", "fill_rate:sum"]
                ),
                """SELECT date_trunc('week', s.due_date::timestamp),
                          sum(CASE WHEN s.is_otif THEN 1 ELSE 0 END)::float / count(*),
                          sum(s.on_time_qty) / NULLIF(sum(s.ordered_qty), 0)
                     FROM crm_order_service s
                    WHERE s.service_level_state != 'na'
                    GROUP BY 1""",
            ),
            # the line grain, kept for products and categories
            "service_pivot_by_customer_lines": (
                lambda: env["crm.service.level.report"]._read_group(
                    [], ["partner_id"], ["otif_rate:sum", "fill_rate:sum"]
                ),
                """SELECT s.partner_id,
                          sum(CASE WHEN s.is_otif THEN 1 ELSE 0 END)::float / count(*),
                          sum(ls.on_time_qty) / NULLIF(sum(ls.ordered_qty), 0)
                     FROM crm_order_line_service ls
                     JOIN crm_order_service s ON s.id = ls.service_id
                    WHERE s.service_level_state != 'na'
                    GROUP BY s.partner_id""",
            ),
            "metrics_pivot_stage_tier": (
                lambda: Metrics._read_group(
                    [], ["stage_id", "value_tier"], ["__count", "lifetime_revenue:sum"]
                ),
                """SELECT stage_id, value_tier, count(*), sum(lifetime_revenue)
                     FROM crm_relationship_metrics GROUP BY stage_id, value_tier""",
            ),
            "partner_search_churn": (
                lambda: env["res.partner"].search([("churn_risk", ">=", 50)], limit=80),
                """SELECT p.id FROM res_partner p
                     JOIN crm_relationship_metrics m ON m.partner_id = p.id
                    WHERE m.company_id = 1 AND m.churn_risk >= 50
                    ORDER BY p.complete_name LIMIT 80""",
            ),
        }
        sale_report = lambda: env["sale.report"]._read_group(  # noqa: E731
            [], ["partner_id"], ["price_subtotal:sum"]
        )
        for name, (orm_call, raw) in cases.items():
            orm, sql, sr = [], [], []
            for _i in range(args.repeat * 3):
                env.invalidate_all()
                orm.append(timed(orm_call)[0])
                t0 = time.perf_counter()
                env.cr.execute(raw)
                env.cr.fetchall()
                sql.append(time.perf_counter() - t0)
                if name == "service_pivot_by_customer":
                    sr.append(timed(sale_report)[0])
            entry = {
                "orm_ms": {
                    k: round(v * 1000, 1) for k, v in stats(orm).items() if k != "n"
                },
                "raw_sql_ms": {
                    k: round(v * 1000, 1) for k, v in stats(sql).items() if k != "n"
                },
            }
            entry["ratio_vs_raw_sql"] = round(
                statistics.median(orm) / statistics.median(sql), 2
            )
            if sr:
                entry["sale_report_by_customer_ms"] = round(
                    statistics.median(sr) * 1000, 1
                )
            out[name] = entry
    drop_db(run_db)
