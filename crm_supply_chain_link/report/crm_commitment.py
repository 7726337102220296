# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.tools import SQL


class CrmCommitment(models.Model):
    _inherit = "crm.commitment"

    def _promise_query(self):
        """Orders not yet delivered: the first promise and the current one."""
        return SQL(
            """
            SELECT so.id * 4 + 1, 'promise', s.partner_id, so.user_id,
                   so.company_id, so.name, NULL,
                   (s.first_promised_date AT TIME ZONE 'UTC')::date,
                   COALESCE((so.commitment_date AT TIME ZONE 'UTC')::date,
                            (s.first_promised_date AT TIME ZONE 'UTC')::date),
                   NULL::int, NULL::float, NULL::float, so.currency_id, so.id,
                   NULL::int, NULL::int
              FROM crm_order_service s
              JOIN sale_order so ON so.id = s.order_id
             WHERE s.service_level_state IN ('open', 'overdue')
            """
        )
