# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import time
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..const import MONEY_GROUPS
from ..engine import batch, history_queries
from ..engine.relationship_queries import RFM_SEGMENTS

_logger = logging.getLogger(__name__)

# the values a snapshot copies from one computation as of its day
SNAPSHOT_COLUMNS = [
    "rfm_segment",
    "value_tier",
    "churn_risk",
    "rfm_monetary",
    "lifetime_revenue",
    "predicted_clv",
    "value_at_risk",
    "lifetime_order_count",
    "recency_days",
    "tenure_days",
    "rfm_frequency",
    "first_order_date",
    "last_order_date",
    "reactivation_date",
]


class CrmRelationshipSnapshot(models.Model):
    """A customer's values at a month end, as if computed at the end of that
    day (docs/history.md; ../shared/METRICS.md, section 8). Written by the
    history scheduled action only, with the engine's own statements run as of
    that day."""

    _name = "crm.relationship.snapshot"
    _description = "Customer Relationship Month-End Snapshot"
    _order = "date desc, company_id, partner_id"
    _rec_name = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, ondelete="cascade", readonly=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        related="partner_id.user_id", string="Salesperson (today)"
    )
    date = fields.Date(
        string="Month End",
        required=True,
        index=True,
        readonly=True,
        help="The last day of the month, in the company's time zone; the values "
        "are those of the end of that day.",
    )
    stage_id = fields.Many2one(
        "crm.relationship.stage",
        string="Stage",
        ondelete="set null",
        readonly=True,
        help="The stage the stage rules gave on that day's values (locks set by "
        "hand are not applied to past months).",
    )
    from_stage_id = fields.Many2one(
        "crm.relationship.stage",
        string="Stage at the Previous Month End",
        ondelete="set null",
        readonly=True,
        help="Empty for a customer whose first order came in the month.",
    )
    rfm_segment = fields.Selection(RFM_SEGMENTS, string="RFM Segment", readonly=True)
    value_tier = fields.Selection([("A", "A"), ("B", "B"), ("C", "C")], readonly=True)
    churn_risk = fields.Float(readonly=True, aggregator="avg")
    rfm_monetary = fields.Float(
        string="RFM Monetary",
        readonly=True,
        aggregator="sum",
        groups=MONEY_GROUPS,
        help="Revenue of the RFM window ending on the month end.",
    )
    lifetime_revenue = fields.Float(
        readonly=True,
        aggregator="sum",
        groups=MONEY_GROUPS,
        help="Revenue of every confirmed order up to the month end.",
    )
    predicted_clv = fields.Float(
        string="Predicted Value", readonly=True, aggregator="sum", groups=MONEY_GROUPS
    )
    value_at_risk = fields.Float(readonly=True, aggregator="sum", groups=MONEY_GROUPS)
    lifetime_order_count = fields.Integer(readonly=True, aggregator="sum")
    recency_days = fields.Integer(readonly=True, aggregator="avg")
    tenure_days = fields.Integer(readonly=True, aggregator="avg")
    rfm_frequency = fields.Integer(string="RFM Frequency", readonly=True)
    first_order_date = fields.Date(readonly=True)
    last_order_date = fields.Date(readonly=True)
    reactivation_date = fields.Date(readonly=True)
    # ---- retention cohorts ----
    month_order_count = fields.Integer(
        string="Orders in the Month",
        readonly=True,
        aggregator="sum",
        help="Orders the customer confirmed in the month.",
    )
    ordered_in_month = fields.Integer(
        string="Retention (%)",
        readonly=True,
        aggregator="sum",
        help="Share of the customers who confirmed an order in the month "
        "(1 per ordering customer; shown as a percentage of the customers of "
        "the group).",
    )
    cohort_age_months = fields.Integer(
        string="Months Since First Order",
        readonly=True,
        aggregator=None,
        help="0 in the month of the customer's first confirmed order (its cohort).",
    )

    _sql_constraints = [
        (
            "partner_company_date_uniq",
            "unique(partner_id, company_id, date)",
            "A customer has one snapshot per company and month end.",
        )
    ]

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        """Retention: the share of the group's customers ordering in the
        month (a ratio of sums, not a sum of 0 and 1)."""
        if aggregate_spec == "ordered_in_month:sum":
            return SQL(
                "round(100.0 * sum(%s) / NULLIF(count(*), 0), 2)",
                SQL.identifier(self._table, "ordered_in_month"),
            )
        return super()._read_group_select(aggregate_spec, query)

    # ------------------------------------------------------------------
    # Computing a month end
    # ------------------------------------------------------------------
    @api.model
    def _snapshot_columns(self):
        """The values copied from the computation as of the day (names of
        both tables); crm_supply_chain_link adds the service and profit ones."""
        return list(SNAPSHOT_COLUMNS)

    @api.model
    def _write_month(self, company, date):
        """Write the snapshots of ``company`` at ``date`` (a month end): every
        customer with a confirmed order on or before it, computed by the
        engine's statements as of that day, stages by the rules on those
        values; the rows of that day are replaced. Return the row count."""
        metrics = (
            self.env["crm.relationship.metrics"]
            # sudo: the history is computed for every customer, by the scheduled action
            .sudo()
            .with_context(relationship_as_of=date)
        )
        cr = self.env.cr
        tz = company.partner_id.tz or "UTC"
        self.env.flush_all()
        partner_ids = [
            row[0]
            for row in self.env.execute_query(
                history_queries.customers_as_of(company.id, tz, date)
            )
        ]
        cr.execute(history_queries.delete_snapshots(company.id, date))
        if not partner_ids:
            return 0
        metrics._disable_jit()
        parts = metrics._batch_parts(partner_ids, company)
        parts.append(metrics._company_part(company))
        columns = batch.columns(parts)
        query = batch.assemble(parts)
        rules = metrics._stage_rules(company)
        # the rollback to the savepoint drops the temporary table on error
        with cr.savepoint(flush=False):
            cr.execute(history_queries.create_values_table())
            cr.execute(history_queries.insert_values(columns, query, company.id))
            metrics._write_company_overrides(company)
            stages = metrics._first_matches(partner_ids, company, rules)
            cr.execute(
                history_queries.write_snapshots(
                    company.id,
                    date,
                    self._snapshot_columns(),
                    list(stages),
                    [stage.id for stage in stages.values()],
                    tz,
                    self.env.uid,
                )
            )
            cr.execute(history_queries.drop_values_table())
        metrics.invalidate_model()
        self.invalidate_model()
        return len(partner_ids)

    # ------------------------------------------------------------------
    # Scheduling: backfill, month just ended, rebuild
    # ------------------------------------------------------------------
    @api.model
    def _last_month_end(self, company):
        """The last day of the month before today (company time zone)."""
        today = fields.Date.context_today(
            self.with_context(tz=company.partner_id.tz or "UTC")
        )
        return today.replace(day=1) - timedelta(days=1)

    @api.model
    def _first_month_end(self, company):
        """The oldest month end of the history: ``history_months`` month ends
        up to the last one."""
        day = self._last_month_end(company)
        for _i in range(max(company.history_months, 1) - 1):
            day = day.replace(day=1) - timedelta(days=1)
        return day

    @api.model
    def _pending_months(self, company):
        """The month ends still to write for ``company``, oldest first: from
        the backfill's next month end, else the months after the last one
        written, to the month just ended."""
        # sudo: the history dates are system fields
        company = company.sudo()
        last = self._last_month_end(company)
        start = company.history_next_date
        if not start and company.history_last_date:
            if company.history_last_date >= last:
                # written up to the month just ended (or a date set ahead by
                # hand, which the constraints refuse now): nothing pending
                return []
            start = company.history_last_date + timedelta(days=1)
        if not start or start > last:
            return []
        return history_queries.month_ends(start, last)

    @api.model
    def _schedule_backfill(self, companies):
        """Start (again) the history of ``companies`` from their oldest month
        end; the scheduled action writes it, oldest first."""
        # sudo: the history dates are system fields
        for company in companies.sudo():
            company.write(
                {
                    "history_next_date": self._first_month_end(company),
                    "history_last_date": False,
                }
            )
        self.env.ref("crm_relationship.ir_cron_relationship_history")._trigger()

    @api.model
    def _cron_history(self):
        """The history scheduled action: write the pending month ends of every
        company, oldest first, one month end at a time, while the time budget
        lasts; progress to the cron runner, a new run for the rest. A failure
        rolls the call back: the next run starts again at the same month end."""
        metrics = self.env["crm.relationship.metrics"]
        deadline = metrics._cron_deadline()
        # sudo: every company's history, by the scheduled action
        companies = self.env["res.company"].sudo().search([])
        done = 0
        last = 0.0  # seconds of the last month end: the next one takes as long
        spent = False
        while True:
            pending = [
                (company, months[0], len(months))
                for company in companies
                for months in [self._pending_months(company)]
                if months
            ]
            remaining = sum(count for _c, _d, count in pending)
            # stop before a month end that would end past the budget
            spent = bool(done and time.monotonic() + last > deadline)
            if not pending or spent:
                break
            company, date, _count = pending[0]
            started = time.monotonic()
            rows = self._write_month(company, date)
            company.write({"history_next_date": False, "history_last_date": date})
            done += 1
            last = time.monotonic() - started
            _logger.info(
                "Relationship history of company %s at %s: %s customers in %.1f s",
                company.id,
                date,
                rows,
                last,
            )
        metrics._cron_report(
            "crm_relationship.ir_cron_relationship_history",
            done,
            remaining,
            deadline,
            spent=spent,
        )
        return done

    @api.model
    def _history_progress(self, company):
        """(written, pending) month ends of ``company``, for the settings."""
        written = len(
            # sudo: a count for the settings, whatever the reader's rules
            self.sudo()._read_group([("company_id", "=", company.id)], ["date:day"])
        )
        return written, len(self._pending_months(company))
