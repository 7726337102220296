# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The burst scenario of the benchmark."""

import time

from odoo.tools import SQL

from .harness import Env, computed_copy, drop_db, timed


def scenario_burst(args, ours, result):
    """2,000 confirmed orders of 2,000 customers: one cron run drains them."""
    out = result.setdefault("burst", {})
    run_db = computed_copy(args, ours)
    with Env(run_db) as env:
        Metrics = env["crm.relationship.metrics"]
        partners = env.execute_query(
            SQL(
                "SELECT id FROM res_partner WHERE customer_rank > 0 AND company_id "
                "IS NULL AND name LIKE 'Bench %%' ORDER BY id LIMIT 2000"
            )
        )
        ids = [p[0] for p in partners]
        company = env.ref("base.main_company")
        env.cr.execute(
            SQL(
                """
                INSERT INTO sale_order (name, partner_id, partner_invoice_id,
                       partner_shipping_id, company_id, date_order, picking_policy,
                       state, amount_untaxed, amount_tax, amount_total, currency_rate,
                       currency_id, create_date, write_date, create_uid, write_uid)
                SELECT 'BURST/' || p, p, p, p, %(company)s,
                       now() AT TIME ZONE 'UTC', 'direct', 'sale', 100, 0, 100, 1.0,
                       %(currency)s, now() AT TIME ZONE 'UTC',
                       now() AT TIME ZONE 'UTC', 1, 1
                  FROM unnest(%(ids)s::int[]) p
                """,
                company=company.id,
                currency=company.currency_id.id,
                ids=ids,
            )
        )
        env["crm.relationship.queue"]._enqueue({(p, company.id) for p in ids})
        env.cr.commit()
        company_pass = []
        original = type(Metrics)._write_company_values

        def timed_company(self, *a, **kw):
            t0 = time.perf_counter()
            res = original(self, *a, **kw)
            company_pass.append(time.perf_counter() - t0)
            return res

        type(Metrics)._write_company_values = timed_company
        try:
            seconds, done = timed(Metrics._cron_process_queue)  # default limit
        finally:
            type(Metrics)._write_company_values = original
        remaining = env.execute_query(
            SQL("SELECT count(*) FROM crm_relationship_queue")
        )
        out["orders"] = len(ids)
        out["one_cron_run_seconds"] = round(seconds, 2)
        out["customers_done"] = done
        out["remaining_after_one_run"] = remaining[0][0]
        batches = -(-len(ids) // 500)
        out["batches"] = batches
        out["company_pass_ms"] = round(sum(company_pass) * 1000, 1)
        out["per_batch_ms"] = round((seconds - sum(company_pass)) * 1000 / batches, 1)
    drop_db(run_db)
