# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.addons.crm_relationship.hooks import keep_demo_products


def post_init_hook(env):
    # rows now, figures by the scheduled action: a fast install on a large base
    env["crm.order.service"]._init_existing_orders()
    # the month-end history written before this module again, with the
    # service and profit values (a demo database has them already)
    env.cr.execute(
        "SELECT DISTINCT company_id FROM crm_relationship_snapshot "
        "WHERE service_order_count IS NULL"
    )
    companies = env["res.company"].browse([row[0] for row in env.cr.fetchall()])
    if companies:
        env["crm.relationship.snapshot"]._schedule_backfill(companies)


def uninstall_hook(env):
    Stage = env["crm.relationship.stage"]
    Stage._restore_default_at_risk_rule()
    # user stages whose rules read our fields would fail every night
    Stage._deactivate_rules_on_our_fields()
    keep_demo_products(env, "crm_supply_chain_link")
