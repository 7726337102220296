# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import datetime, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..const import MONEY_GROUPS
from ..engine import queue_queries, relationship_queries
from ..engine.relationship_queries import (  # noqa: F401 (the public names)
    BATCH_COLUMNS,
    COMPANY_COLUMNS,
    DEFAULT_MEDIAN_INTERVAL,
    REQUEST_COLUMNS,
    RFM_GRID,
    RFM_SEGMENTS,
)
from .crm_relationship_queue_mixin import compute_or_split

_logger = logging.getLogger(__name__)


class CrmRelationshipMetrics(models.Model):
    """Relationship values of one customer (commercial partner) in one company.

    A narrow table of its own: the engine writes it set-based, and nothing writes
    the partner row when the values change. res.partner reads the current
    company's row through a company-dependent many2one and related fields.
    """

    _name = "crm.relationship.metrics"
    _inherit = ["crm.relationship.lifecycle.mixin"]
    _description = "Customer Relationship Metrics"
    _order = "company_id, partner_id"
    _rec_name = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, ondelete="cascade", readonly=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(related="partner_id.user_id", string="Salesperson")
    country_id = fields.Many2one(related="partner_id.country_id")
    # ---- lifecycle ----
    stage_id = fields.Many2one(
        "crm.relationship.stage", index=True, ondelete="set null"
    )
    stage_type = fields.Selection(related="stage_id.stage_type")
    stage_locked = fields.Boolean(
        help="The stage was set by hand and rules leave it alone until unlocked."
    )
    stage_date = fields.Date(help="Day the customer entered its current stage.")
    # ---- metrics (../shared/METRICS.md, section 1) ----
    first_order_date = fields.Date(
        readonly=True,
        help="Day of the customer's first confirmed order in this company "
        "(company time zone).",
    )
    last_order_date = fields.Date(
        readonly=True,
        help="Day of the customer's last confirmed order in this company.",
    )
    lifetime_order_count = fields.Integer(
        readonly=True,
        aggregator="sum",
        help="Confirmed orders of the customer in this company, all time.",
    )
    lifetime_revenue = fields.Float(
        readonly=True,
        aggregator="sum",
        groups=MONEY_GROUPS,
        help="Untaxed amount of every confirmed order, all time, in the "
        "company's currency.",
    )
    average_order_value = fields.Float(
        readonly=True,
        aggregator="avg",
        groups=MONEY_GROUPS,
        help="Lifetime revenue / lifetime orders.",
    )
    recency_days = fields.Integer(
        readonly=True,
        aggregator="avg",
        help="Days since the last confirmed order (R of RFM).",
    )
    tenure_days = fields.Integer(
        readonly=True,
        aggregator="avg",
        help="Days since the first confirmed order (length of the relationship).",
    )
    rfm_frequency = fields.Integer(
        string="RFM Frequency",
        readonly=True,
        aggregator="sum",
        help="Confirmed orders in the RFM window (the last N days, settings).",
    )
    rfm_monetary = fields.Float(
        string="RFM Monetary",
        readonly=True,
        aggregator="sum",
        groups=MONEY_GROUPS,
        help="Untaxed amount of the confirmed orders in the RFM window, in the "
        "company's currency.",
    )
    purchase_interval_days = fields.Float(
        readonly=True,
        aggregator="avg",
        help="Mean gap in days between distinct order days: the customer's "
        "buying rhythm.",
    )
    expected_next_order_date = fields.Date(
        readonly=True,
        help="Last order day plus the buying rhythm.",
    )
    churn_risk = fields.Float(
        readonly=True,
        aggregator="avg",
        help="0-100: how far the silence exceeds the customer's own buying "
        "rhythm (0 up to one rhythm, 100 from three); an old open complaint"
        " raises it.",
    )
    churn_risk_reason = fields.Char(
        readonly=True,
        help="Why the churn risk is what it is.",
    )
    rfm_recency_score = fields.Integer(
        string="RFM Recency Score",
        readonly=True,
        aggregator="avg",
        help="1-5: the company's customers in fifths by days since the last "
        "order (5: the most recent).",
    )
    rfm_frequency_score = fields.Integer(
        string="RFM Frequency Score",
        readonly=True,
        aggregator="avg",
        help="1-5: the company's customers in fifths by orders in the RFM window.",
    )
    rfm_monetary_score = fields.Integer(
        string="RFM Monetary Score",
        readonly=True,
        aggregator="avg",
        help="1-5: the company's customers in fifths by revenue in the RFM window.",
    )
    rfm_segment = fields.Selection(
        RFM_SEGMENTS,
        string="RFM Segment",
        readonly=True,
        help="The segment of the recency score and the mean of the frequency "
        "and monetary scores (champions, loyal, at risk...).",
    )
    value_tier = fields.Selection(
        [("A", "A"), ("B", "B"), ("C", "C")],
        readonly=True,
        help="Pareto tier on the revenue of the RFM window: A, the customers "
        "making the first 80 % of it; B, the next 15 %; C, the rest (settings).",
    )
    predicted_clv = fields.Float(
        readonly=True,
        aggregator="sum",
        groups=MONEY_GROUPS,
        help="Predicted revenue of the next 365 days: average order value x "
        "orders a year at the customer's rhythm x (1 - churn risk).",
    )
    product_category_count = fields.Integer(
        readonly=True,
        aggregator="avg",
        help="Distinct product categories bought in the RFM window (depth).",
    )
    contact_count = fields.Integer(
        readonly=True,
        aggregator="avg",
        help="Distinct ordering contacts in the RFM window (breadth).",
    )
    reactivation_date = fields.Date(
        readonly=True,
        help="Last order day that came after a gap longer than the 'won back "
        "after' setting.",
    )
    relationship_computed_on = fields.Date(
        readonly=True,
        help="Day the values were last computed.",
    )
    _sql_constraints = [
        (
            "partner_company_uniq",
            "unique(partner_id, company_id)",
            "A customer has one set of relationship values per company.",
        )
    ]

    def _set_column_defaults(self, defaults):
        """Database defaults of columns the engine's inserts leave out, and
        the same value in the rows that have none."""
        for column, value in defaults.items():
            self.env.cr.execute(queue_queries.set_column_default(column, value))

    # ---- ORM ----
    @api.model_create_multi
    def create(self, vals_list):
        self._check_not_in_the_past()
        return super().create(vals_list)

    def write(self, vals):
        self._check_not_in_the_past()
        return super().write(vals)

    def _check_not_in_the_past(self):
        """A month end of the history is computed into a temporary table named
        like this one (docs/architecture.md, "The history's temporary values
        table"): an ORM write then would write rows that are dropped after
        it, silently. It fails loudly instead."""
        if self.env.context.get("relationship_as_of"):
            raise UserError(
                self.env._(
                    "The relationship values of a past day are being computed: "
                    "they cannot be written through the ORM."
                )
            )

    # ------------------------------------------------------------------
    # Engine
    # ------------------------------------------------------------------
    @api.model
    def _refresh(
        self,
        partner_ids,
        company,
        evaluate_stages=True,
        batch_size=None,
        failures=None,
        scoped=False,
    ):
        """Recompute ``partner_ids`` (commercial partners) in ``company``.

        Per batch of ``batch_size`` (default: all at once): one aggregation and
        one upsert; then one company-wide pass for the scores, tiers and churn
        risk (in the upsert itself when one batch holds every customer of the
        company); then per batch the values that need it and the lifecycle
        rules. A batch that fails is retried customer by customer; a customer
        that still fails is logged and skipped, its values left as they were,
        and its error is added to ``failures`` ({partner id: error}) for the
        caller (the scheduled action queues it again).

        ``scoped``: the company pass writes the company-wide values of
        ``partner_ids`` only (ranked against every customer's stored values);
        the other customers keep theirs until a pass over the whole company
        (the scheduled action's choice for the day's events, see
        ``crm.relationship.queue._drain``; docs/user-guide.md, "When the
        values are computed").
        """
        # sudo: the engine maintains computed values for every customer of the
        # company, whatever the rights of the user who triggered it
        self = self.sudo()
        partner_ids = sorted(set(partner_ids))
        if not partner_ids:
            return True
        self._disable_jit()
        size = batch_size or len(partner_ids)
        batches = [
            partner_ids[start : start + size]
            for start in range(0, len(partner_ids), size)
        ]
        # one batch with every customer of the company (a first computation,
        # the nightly pass): the company-wide values in the same statement
        whole = len(batches) == 1 and not self._rows_outside(partner_ids, company)
        company_done = False
        for chunk in batches:
            company_done = self._write_batch_safe(chunk, company, whole, failures)
        if company_done:
            self._write_company_overrides(company)
        else:
            self._write_company_values(company, partner_ids if scoped else None)
        rules = self._stage_rules(company) if evaluate_stages else []
        for chunk in batches:
            self._write_after_company(chunk, company)
            self.invalidate_model()
            # the partner's related fields read the rows written above
            self._invalidate_partner_fields()
            if evaluate_stages:
                self._evaluate_stage_rules(chunk, company, rules)
        return True

    @api.model
    def _disable_jit(self):
        """Turn PostgreSQL's JIT compilation off for the rest of the transaction.

        The engine runs a few mid-sized statements per batch. With JIT on (the
        default), each one estimated above ``jit_above_cost`` is compiled first,
        which took 60-80 ms per statement at M, several times the statement
        itself (docs/benchmarks.md). The setting ends with the transaction.
        """
        self.env.cr.execute(queue_queries.disable_jit())

    @api.model
    def _write_batch_safe(
        self, partner_ids, company, with_company=False, failures=None
    ):
        """Compute the batch, else its customers one by one (the errors of
        those that fail alone go to ``failures``); return whether the
        company-wide values were written with it (``with_company``, when the
        batch went through)."""
        whole, failed = compute_or_split(
            self.env.cr,
            partner_ids,
            batch=lambda ids: self._write_batch(ids, company, with_company),
            one=lambda partner_id: self._write_batch([partner_id], company),
            logger=_logger,
            what=f"Relationship metrics in company {company.id}",
        )
        if failures is not None:
            failures.update(failed)
        return with_company and whole

    @api.model
    def _write_after_company(self, partner_ids, company):
        """Values of the batch that need the company pass done first (none
        here; the service-level policies of crm_supply_chain_link)."""

    @api.model
    def _pg_format(self, template, names):
        return relationship_queries.pg_format(template, names)

    @api.model
    def _as_of(self, company):
        """(time zone, day) of the computation: today in the company's time
        zone, or the day of ``relationship_as_of`` in the context (a month
        end of the history, docs/history.md)."""
        tz = company.partner_id.tz or "UTC"
        as_of = self.env.context.get("relationship_as_of")
        if as_of:
            return tz, fields.Date.to_date(as_of)
        return tz, fields.Date.context_today(self.with_context(tz=tz))

    @api.model
    def _as_of_now(self, company):
        """The moment of the computation (UTC): now, or the end of the day of
        ``relationship_as_of``."""
        tz, as_of = self._as_of(company)
        if not self.env.context.get("relationship_as_of"):
            return fields.Datetime.now()
        end = pytz.timezone(tz).localize(
            datetime.combine(as_of + timedelta(days=1), datetime.min.time())
        )
        return end.astimezone(pytz.utc).replace(tzinfo=None)
