# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _is_follow_up_user(self, company=None):
        """Whether follow-ups and handovers may go to this user: active,
        internal (not portal or public) and, with ``company``, allowed in it."""
        self.ensure_one()
        # sudo: reading an archived user's flags is not a right to grant
        user = self.sudo().with_context(active_test=False)
        return bool(
            user.active
            and user._is_internal()
            and (not company or company in user.company_ids)
        )
