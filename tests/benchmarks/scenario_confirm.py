# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The confirm scenario of the benchmark."""

import statistics

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

from .harness import copy_db, drop_db, registry, stats, user_action


def _quotations(env, partner, product, n):
    orders = env["sale.order"].create(
        [
            {
                "partner_id": partner.id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": product.id,
                            "product_uom_qty": 2,
                            "price_unit": 10.0,
                            "tax_id": False,
                        },
                    )
                ],
            }
            for _i in range(n)
        ]
    )
    env.cr.commit()
    return orders.ids


def scenario_confirm(args, base, ours, result):
    """Added latency of action_confirm and button_validate (typical, whale)."""
    out = result.setdefault("confirm_validate", {})
    dbs = {
        "base": f"crmbench_{args.size}_run_base",
        "ours": f"crmbench_{args.size}_run",
    }
    copy_db(base, dbs["base"])
    copy_db(ours, dbs["ours"])
    envs = {}
    crs = []
    for key, db in dbs.items():
        cr = registry(db).cursor()
        crs.append(cr)
        envs[key] = api.Environment(cr, SUPERUSER_ID, {})
    whale_id = envs["base"].execute_query(
        SQL(
            "SELECT partner_id FROM sale_order GROUP BY partner_id "
            "ORDER BY count(*) DESC LIMIT 1"
        )
    )[0][0]
    typical_id = envs["base"].execute_query(
        SQL(
            "SELECT partner_id FROM sale_order GROUP BY partner_id "
            "ORDER BY count(*), partner_id LIMIT 1 OFFSET 100"
        )
    )[0][0]
    n = args.confirm_n
    for who, partner_id in (("typical", typical_id), ("whale", whale_id)):
        samples = {(k, op): [] for k in dbs for op in ("confirm", "validate")}
        qcount = {(k, op): [] for k in dbs for op in ("confirm", "validate")}
        todo = {}
        for key, env in envs.items():
            product = env["product.product"].search([("name", "=", "Bench product 1")])
            todo[key] = _quotations(
                env, env["res.partner"].browse(partner_id), product, n
            )
        for i in range(n):
            for key, env in envs.items():  # interleaved
                order = env["sale.order"].browse(todo[key][i])
                seconds, count = user_action(env, order.action_confirm)
                samples[(key, "confirm")].append(seconds)
                qcount[(key, "confirm")].append(count)
            for key, env in envs.items():
                order = env["sale.order"].browse(todo[key][i])
                picking = order.picking_ids
                for move in picking.move_ids:
                    move.quantity = move.product_uom_qty
                    move.picked = True
                env.flush_all()
                env.cr.commit()
                seconds, count = user_action(env, picking.button_validate)
                samples[(key, "validate")].append(seconds)
                qcount[(key, "validate")].append(count)
        for op in ("confirm", "validate"):
            b, o = stats(samples[("base", op)]), stats(samples[("ours", op)])
            out[f"{who}_{op}"] = {
                "base_ms": {k: round(v * 1000, 1) for k, v in b.items() if k != "n"},
                "ours_ms": {k: round(v * 1000, 1) for k, v in o.items() if k != "n"},
                "added_median_percent": round(100 * (o["median"] / b["median"] - 1), 1),
                "added_p95_percent": round(100 * (o["p95"] / b["p95"] - 1), 1),
                "base_queries": statistics.median(qcount[("base", op)]),
                "ours_queries": statistics.median(qcount[("ours", op)]),
            }
    for cr in crs:
        cr.close()
    for db in dbs.values():
        drop_db(db)
