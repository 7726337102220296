# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tools import SQL


def migrate(cr, version):
    """The order's link to its service row is computed from the row's order
    since 18.0.1.2.0: drop the column it was stored in before."""
    if not version:
        return
    cr.execute(SQL("ALTER TABLE sale_order DROP COLUMN IF EXISTS service_id"))
