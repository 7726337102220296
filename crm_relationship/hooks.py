# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def keep_demo_products(env, module):
    """Keep the demo products of ``module``, archived, when it goes: the
    deliveries, invoices and journal items made from the demo orders are not
    module data and still point to them, so Odoo could not delete them (its
    ``DELETE`` would fail and be logged as an error)."""
    data = env["ir.model.data"].search(
        [
            ("module", "=", module),
            ("model", "in", ("product.product", "product.template")),
        ]
    )
    records = [env[d.model].browse(d.res_id).exists() for d in data]
    data.unlink()
    for record in records:
        record.active = False


def post_init_hook(env):
    """The month-end history of every company, computed from its past orders
    by the scheduled action (docs/history.md); a demo database has it
    already."""
    companies = env["res.company"].search([])
    # sudo: the history dates are system fields (groups=base.group_system)
    pending = companies.sudo().filtered(lambda c: not c.history_last_date)
    if pending:
        env["crm.relationship.snapshot"]._schedule_backfill(pending)


def uninstall_hook(env):
    keep_demo_products(env, "crm_relationship")
