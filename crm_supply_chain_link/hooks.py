# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def post_init_hook(env):
    # rows now, figures by the scheduled action: a fast install on a large base
    env["crm.order.service"]._init_existing_orders()


def uninstall_hook(env):
    env["crm.relationship.stage"]._restore_default_at_risk_rule()
