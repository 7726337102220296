# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class CrmRelationshipMetrics(models.Model):
    """The order queue's scheduled work in the relationship actions: the
    queued orders computed before the customers, the open orders refreshed
    before the nightly pass."""

    _inherit = "crm.relationship.metrics"  # pylint: disable=R8180

    @api.model
    def _cron_process_queue(self, limit=100000, batch_size=None, deadline=None):
        # the orders first: their figures feed the customers queued after
        # them; one time budget for both parts of the call
        deadline = deadline or self._cron_deadline()
        self.env["crm.order.service.queue"]._process(deadline=deadline)
        return super()._cron_process_queue(limit, batch_size, deadline=deadline)

    @api.model
    def _cron_enqueue_all(self):
        self.env["crm.order.service"]._cron_refresh_open()
        return super()._cron_enqueue_all()
