# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The concurrency scenario of the benchmark."""

import threading

import psycopg2

from odoo import SUPERUSER_ID, api

from .harness import Env, copy_db, drop_db, registry
from .scenario_confirm import _quotations


def scenario_concurrency(args, ours, result):
    """Two users confirm orders of one customer at the same moment."""
    out = result.setdefault("concurrency", {})
    run_db = f"crmbench_{args.size}_run"
    copy_db(ours, run_db)
    rounds = args.concurrency_rounds
    with Env(run_db) as env:
        partner = env["res.partner"].search([("name", "like", "Bench %")], limit=1)
        product = env["product.product"].search([("name", "=", "Bench product 2")])
        ids = _quotations(env, partner, product, 2 * rounds)
    failures = {"serialization": 0, "other": 0}
    for r in range(rounds):
        barrier = threading.Barrier(2)

        def confirm(order_id, barrier=barrier):
            with registry(run_db).cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                order = env["sale.order"].browse(order_id)
                order.partner_id.name  # noqa: B018 (warm the cache)
                barrier.wait()
                try:
                    order.action_confirm()
                    env.flush_all()
                    cr.commit()
                except psycopg2.errors.SerializationFailure:
                    failures["serialization"] += 1
                    cr.rollback()
                except Exception:  # noqa: BLE001
                    failures["other"] += 1
                    cr.rollback()

        threads = [
            threading.Thread(target=confirm, args=(ids[2 * r + k],)) for k in (0, 1)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    out["rounds"] = rounds
    out.update(failures)
    drop_db(run_db)
