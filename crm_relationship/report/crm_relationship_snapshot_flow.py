# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models, tools

from ..const import MONEY_GROUPS
from ..engine import history_queries


class CrmRelationshipSnapshotFlow(models.Model):
    """Stage flow between consecutive month ends (read only): each snapshot
    with the customer's stage at the previous month end (docs/history.md,
    "Reports")."""

    _name = "crm.relationship.snapshot.flow"
    _description = "Customer Stage Flow Between Month Ends"
    _auto = False
    _order = "date desc, id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date = fields.Date(string="Month End", readonly=True)
    from_stage_id = fields.Many2one(
        "crm.relationship.stage",
        string="From Stage",
        readonly=True,
        help="The stage at the previous month end; empty for a customer whose "
        "first order came in the month.",
    )
    stage_id = fields.Many2one(
        "crm.relationship.stage", string="To Stage", readonly=True
    )
    moved = fields.Boolean(
        readonly=True, help="The stage differs from the previous month end's."
    )
    rfm_monetary = fields.Float(
        string="RFM Monetary",
        readonly=True,
        aggregator="sum",
        groups=MONEY_GROUPS,
        help="Revenue of the RFM window ending on the month end: the value that "
        "moved with the customers.",
    )
    predicted_clv = fields.Float(
        string="Predicted Value", readonly=True, aggregator="sum", groups=MONEY_GROUPS
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(history_queries.flow_view(self._table))
