# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tools import SQL


def migrate(cr, version):
    """Fill the new line count of existing order service rows (the report's
    weights read it)."""
    if not version:
        return
    cr.execute(
        SQL(
            """
            UPDATE crm_order_service s
               SET line_count = c.n
              FROM (SELECT service_id, count(*) AS n
                      FROM crm_order_line_service
                     GROUP BY service_id) c
             WHERE c.service_id = s.id
               AND s.line_count IS DISTINCT FROM c.n
            """
        )
    )
