# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from markupsafe import escape

from odoo import _, api, fields, models
from odoo.osv import expression
from odoo.tools import SQL, html_sanitize
from odoo.tools.mail import generate_tracking_message_id
from odoo.tools.sql import column_exists

# money needs sales rights, or the relationship group that sales users imply;
# logistics staff read this model for the service values, not the money
MONEY_GROUPS = "crm_relationship.crm_relationship_group_user"

_logger = logging.getLogger(__name__)

RFM_SEGMENTS = [
    ("champions", "Champions"),
    ("loyal", "Loyal"),
    ("potential_loyalist", "Potential loyalist"),
    ("new", "New customers"),
    ("promising", "Promising"),
    ("need_attention", "Need attention"),
    ("about_to_sleep", "About to sleep"),
    ("at_risk", "At risk"),
    ("cannot_lose", "Cannot lose them"),
    ("hibernating", "Hibernating"),
    ("lost", "Lost"),
]

# rows FM 5..1, columns R 1..5 (../shared/METRICS.md, section 1)
RFM_GRID = {
    5: ["cannot_lose", "at_risk", "loyal", "champions", "champions"],
    4: ["cannot_lose", "at_risk", "loyal", "loyal", "champions"],
    3: [
        "hibernating",
        "at_risk",
        "need_attention",
        "potential_loyalist",
        "potential_loyalist",
    ],
    2: [
        "lost",
        "hibernating",
        "about_to_sleep",
        "potential_loyalist",
        "potential_loyalist",
    ],
    1: ["lost", "lost", "about_to_sleep", "promising", "new"],
}

DEFAULT_MEDIAN_INTERVAL = 90.0
# churn risk of a customer with a complaint open too long
COMPLAINT_RISK = 75.0

# A call that recomputed this many customers refreshes the table's statistics.
ANALYZE_AFTER = 5000
# Columns written by the per-customer batch query, in order.
BATCH_COLUMNS = [
    "first_order_date",
    "last_order_date",
    "lifetime_order_count",
    "lifetime_revenue",
    "average_order_value",
    "recency_days",
    "tenure_days",
    "rfm_frequency",
    "rfm_monetary",
    "purchase_interval_days",
    "expected_next_order_date",
    "product_category_count",
    "contact_count",
    "reactivation_date",
    "relationship_computed_on",
]
REQUEST_COLUMNS = [
    "request_open_count",
    "request_overdue_count",
    "open_complaint_count",
    "open_complaint_days",
    "request_response_hours",
    "request_solve_hours",
]
# Columns written by the company-wide pass (they depend on the whole base).
COMPANY_COLUMNS = [
    "rfm_recency_score",
    "rfm_frequency_score",
    "rfm_monetary_score",
    "rfm_segment",
    "value_tier",
    "churn_risk",
    "churn_risk_reason",
    "predicted_clv",
]


class CrmRelationshipMetrics(models.Model):
    """Relationship values of one customer (commercial partner) in one company.

    A narrow table of its own: the engine writes it set-based, and nothing writes
    the partner row when the values change. res.partner reads the current
    company's row through a company-dependent many2one and related fields.
    """

    _name = "crm.relationship.metrics"
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
    first_order_date = fields.Date(readonly=True)
    last_order_date = fields.Date(readonly=True)
    lifetime_order_count = fields.Integer(readonly=True, aggregator="sum")
    lifetime_revenue = fields.Float(
        readonly=True, aggregator="sum", groups=MONEY_GROUPS
    )
    average_order_value = fields.Float(
        readonly=True, aggregator="avg", groups=MONEY_GROUPS
    )
    recency_days = fields.Integer(readonly=True, aggregator="avg")
    tenure_days = fields.Integer(readonly=True, aggregator="avg")
    rfm_frequency = fields.Integer(readonly=True, aggregator="sum")
    rfm_monetary = fields.Float(readonly=True, aggregator="sum", groups=MONEY_GROUPS)
    purchase_interval_days = fields.Float(readonly=True, aggregator="avg")
    expected_next_order_date = fields.Date(readonly=True)
    churn_risk = fields.Float(readonly=True, aggregator="avg")
    churn_risk_reason = fields.Char(readonly=True)
    rfm_recency_score = fields.Integer(readonly=True, aggregator="avg")
    rfm_frequency_score = fields.Integer(readonly=True, aggregator="avg")
    rfm_monetary_score = fields.Integer(readonly=True, aggregator="avg")
    rfm_segment = fields.Selection(RFM_SEGMENTS, readonly=True)
    value_tier = fields.Selection([("A", "A"), ("B", "B"), ("C", "C")], readonly=True)
    predicted_clv = fields.Float(readonly=True, aggregator="sum", groups=MONEY_GROUPS)
    product_category_count = fields.Integer(readonly=True, aggregator="avg")
    contact_count = fields.Integer(readonly=True, aggregator="avg")
    reactivation_date = fields.Date(readonly=True)
    relationship_computed_on = fields.Date(readonly=True)
    # ---- customer requests ----
    request_open_count = fields.Integer(
        string="Open Requests", readonly=True, aggregator="sum"
    )
    request_overdue_count = fields.Integer(
        string="Overdue Requests",
        readonly=True,
        aggregator="sum",
        help="Open requests without an answer past their response due date.",
    )
    open_complaint_count = fields.Integer(
        string="Open Complaints", readonly=True, aggregator="sum"
    )
    open_complaint_days = fields.Integer(
        string="Oldest Open Complaint (days)",
        readonly=True,
        aggregator="max",
        help="Age in days of the customer's oldest open complaint; 0 without one.",
    )
    request_response_hours = fields.Float(
        string="Mean Response Time (hours)",
        readonly=True,
        aggregator="avg",
        help="Mean hours to the first answer of the requests created in the RFM "
        "window.",
    )
    request_solve_hours = fields.Float(
        string="Mean Solve Time (hours)",
        readonly=True,
        aggregator="avg",
        help="Mean hours to solve the requests created in the RFM window.",
    )

    _sql_constraints = [
        (
            "partner_company_uniq",
            "unique(partner_id, company_id)",
            "A customer has one set of relationship values per company.",
        )
    ]

    def init(self):
        # rows are inserted by SQL (the engine's upsert) with only the batch
        # columns: the counts start at 0, so that a first computation does not
        # write every row a second time to turn NULL into 0
        self._set_column_defaults(
            {
                "request_open_count": 0,
                "request_overdue_count": 0,
                "open_complaint_count": 0,
                "open_complaint_days": 0,
            }
        )

    def _set_column_defaults(self, defaults):
        """Database defaults of columns the engine's inserts leave out, and
        the same value in the rows that have none."""
        for column, value in defaults.items():
            self.env.cr.execute(
                SQL(
                    """
                    ALTER TABLE crm_relationship_metrics
                          ALTER COLUMN %(col)s SET DEFAULT %(value)s;
                    UPDATE crm_relationship_metrics SET %(col)s = %(value)s
                     WHERE %(col)s IS NULL
                    """,
                    col=SQL.identifier(column),
                    value=value,
                )
            )

    # ------------------------------------------------------------------
    # Scheduled actions
    # ------------------------------------------------------------------
    @api.model
    def _cron_enqueue_all(self):
        """Nightly: queue every customer of every company, then drain."""
        self.env["crm.relationship.queue"].flush_model()
        self.env.cr.execute(self._scope_query())
        self.env.ref("crm_relationship.ir_cron_relationship_queue")._trigger()

    @api.model
    def _scope_query(self, company_ids=None, target="crm_relationship_queue"):
        companies = company_ids or self.env["res.company"].sudo().search([]).ids
        return SQL(
            """
            INSERT INTO %(target)s (partner_id, company_id)
            SELECT p.id, c.id
              FROM res_partner p
              JOIN res_company c ON c.id = ANY(%(companies)s)
             WHERE p.id = p.commercial_partner_id
               AND p.active
               AND p.customer_rank > 0
               AND (p.company_id IS NULL OR p.company_id = c.id)
            UNION
            SELECT DISTINCT p.commercial_partner_id, so.company_id
              FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
             WHERE so.company_id = ANY(%(companies)s)
            """,
            target=SQL.identifier(target),
            companies=list(companies),
        )

    @api.model
    def _cron_process_queue(self, limit=100000, batch_size=None):
        """Drain the queue: up to ``limit`` customers per call, in batches.

        Companies are taken whole, in the order of their oldest entry, until
        ``limit`` customers: a batch holding all the customers of a company
        (a first computation, the nightly pass) computes the company-wide
        values in its own statement, and a company cut by the limit gets a
        company pass after its batches. The cron runner commits after each
        call and calls again while progress reports remaining work, so a crash
        loses at most the call under way. By default, up to 2,000 customers of
        a company (the day's changes) go in batches of 500, more (the nightly
        pass) in one batch: large statements, which PostgreSQL runs as hash
        joins over the tables, cost less than many small ones.
        """
        rows = self.env.execute_query(
            SQL(
                """
                SELECT partner_id, company_id, max_id
                  FROM (SELECT partner_id, company_id, max(id) AS max_id,
                               min(id) AS first_id,
                               min(min(id)) OVER (PARTITION BY company_id)
                                   AS company_first_id
                          FROM crm_relationship_queue
                         GROUP BY partner_id, company_id) q
                 ORDER BY company_first_id, first_id
                 LIMIT %s
                """,
                limit,
            )
        )
        done = len(rows)
        if rows:
            by_company = {}
            for partner_id, company_id, _max_id in rows:
                by_company.setdefault(company_id, []).append(partner_id)
            for company_id, partner_ids in by_company.items():
                self._refresh(
                    partner_ids,
                    self.env["res.company"].browse(company_id),
                    batch_size=batch_size
                    or (500 if len(partner_ids) <= 2000 else None),
                )
            if done >= ANALYZE_AFTER:
                # a first computation or the nightly pass: the next passes plan
                # their queries (the stage rules) on the table's statistics,
                # which autovacuum may refresh only much later
                self.flush_model()
                self.env.cr.execute(SQL("ANALYZE crm_relationship_metrics"))
            self.env.cr.execute(
                SQL(
                    """
                    DELETE FROM crm_relationship_queue q
                     USING (VALUES %s) AS v(partner_id, company_id, max_id)
                     WHERE q.partner_id = v.partner_id
                       AND q.company_id = v.company_id
                       AND q.id <= v.max_id
                    """,
                    SQL(", ").join(SQL("(%s, %s, %s)", *row) for row in rows),
                )
            )
        remaining = self.env.execute_query(
            SQL(
                "SELECT count(*) FROM (SELECT DISTINCT partner_id, company_id "
                "FROM crm_relationship_queue) q"
            )
        )[0][0]
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    # ------------------------------------------------------------------
    # Engine
    # ------------------------------------------------------------------
    @api.model
    def _refresh(self, partner_ids, company, evaluate_stages=True, batch_size=None):
        """Recompute ``partner_ids`` (commercial partners) in ``company``.

        Per batch of ``batch_size`` (default: all at once): one aggregation and
        one upsert; then one company-wide pass for the scores, tiers and churn
        risk (in the upsert itself when one batch holds every customer of the
        company); then per batch the values that need it and the lifecycle
        rules. A batch that fails is retried customer by customer; a customer
        that still fails is logged and skipped, its values left as they were.
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
        for batch in batches:
            company_done = self._compute_batch_safe(batch, company, whole)
        if company_done:
            self._compute_company_overrides(company)
        else:
            self._compute_company(company)
        rules = self._stage_rules(company) if evaluate_stages else []
        for batch in batches:
            self._compute_after_company(batch, company)
            self.invalidate_model()
            # the partner's related fields read the rows written above
            self._invalidate_partner_fields()
            if evaluate_stages:
                self._evaluate_stage_rules(batch, company, rules)
        return True

    @api.model
    def _disable_jit(self):
        """Turn PostgreSQL's JIT compilation off for the rest of the transaction.

        The engine runs a few mid-sized statements per batch. With JIT on (the
        default), each one estimated above ``jit_above_cost`` is compiled first,
        which took 60-80 ms per statement at M, several times the statement
        itself (docs/benchmarks.md). The setting ends with the transaction.
        """
        self.env.cr.execute(SQL("SET LOCAL jit = off"))

    @api.model
    def _compute_batch_safe(self, partner_ids, company, with_company=False):
        """Compute the batch; return whether the company-wide values were
        written with it (``with_company``, when the batch did not fail)."""
        try:
            with self.env.cr.savepoint():
                self._compute_batch(partner_ids, company, with_company)
                return with_company
        except Exception:
            _logger.exception(
                "Relationship batch of %s customers failed; retrying one by one",
                len(partner_ids),
            )
        for partner_id in partner_ids:
            try:
                with self.env.cr.savepoint():
                    self._compute_batch([partner_id], company)
            except Exception:
                _logger.exception(
                    "Relationship metrics of customer %s in company %s failed",
                    partner_id,
                    company.id,
                )
        return False

    @api.model
    def _compute_after_company(self, partner_ids, company):
        """Values of the batch that need the company pass done first (none
        here; the service-level policies of crm_supply_chain_link)."""

    @api.model
    def _request_query(self, partner_ids, company):
        """The customer request figures: partner_id then the values of
        REQUEST_COLUMNS, one row per customer of ``partner_ids``."""
        tz, as_of = self._as_of(company)
        return SQL(
            """
                WITH agg AS (
                    SELECT r.partner_id,
                           count(*) FILTER (WHERE r.state IN %(open)s) AS n_open,
                           count(*) FILTER (
                               WHERE r.state IN %(open)s
                                 AND r.first_response_date IS NULL
                                 AND r.date_deadline < %(now)s) AS n_overdue,
                           count(*) FILTER (
                               WHERE r.state IN %(open)s
                                 AND r.request_type = 'complaint') AS n_complaint,
                           max(%(as_of)s::date - (r.request_date AT TIME ZONE 'UTC'
                                   AT TIME ZONE %(tz)s)::date) FILTER (
                               WHERE r.state IN %(open)s
                                 AND r.request_type = 'complaint') AS complaint_days,
                           avg(EXTRACT(EPOCH FROM r.first_response_date
                                       - r.request_date) / 3600) FILTER (
                               WHERE r.first_response_date IS NOT NULL
                                 AND r.request_date >= %(window)s) AS response,
                           avg(EXTRACT(EPOCH FROM r.solved_date - r.request_date)
                               / 3600) FILTER (
                               WHERE r.solved_date IS NOT NULL
                                 AND r.request_date >= %(window)s) AS solve
                      FROM crm_customer_request r
                     WHERE r.company_id = %(company)s
                       AND r.partner_id = ANY(%(ids)s)
                     GROUP BY r.partner_id
                )
                SELECT s.partner_id, COALESCE(a.n_open, 0) AS req_open,
                       COALESCE(a.n_overdue, 0) AS req_overdue,
                       COALESCE(a.n_complaint, 0) AS req_complaint,
                       COALESCE(a.complaint_days, 0) AS req_complaint_days,
                       round(a.response::numeric, 2)::float AS req_response,
                       round(a.solve::numeric, 2)::float AS req_solve
                  FROM unnest(%(ids)s::int[]) AS s(partner_id)
                  LEFT JOIN agg a ON a.partner_id = s.partner_id
            """,
            open=("new", "in_progress", "waiting"),
            now=fields.Datetime.now(),
            as_of=as_of,
            tz=tz,
            window=fields.Datetime.to_datetime(as_of)
            - timedelta(days=company.rfm_window_days),
            company=company.id,
            ids=list(partner_ids),
        )

    @api.model
    def _pg_format(self, template, names):
        """A translated ``%(name)s`` message made a PostgreSQL format() string:
        ``%%`` is a literal percent sign, the placeholders become positional
        (``%1$s``...) in the order of ``names``."""
        template = template.replace("%%", "%").replace("%", "%%")
        for position, name in enumerate(names, start=1):
            template = template.replace(f"%%({name})s", f"%{position}$s")
        return template

    @api.model
    def _compute_complaint_risk(self, company):
        """An open complaint older than the company's delay raises churn risk."""
        tz, as_of = self._as_of(company)
        lang = company.partner_id.lang or "en_US"
        template = self.with_context(lang=lang).env._(
            "Complaint open since %(date)s (%(days)s days)"
        )
        template = self._pg_format(template, ["date", "days"])
        self.env["crm.customer.request"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                WITH c AS (
                    SELECT partner_id,
                           min((request_date AT TIME ZONE 'UTC'
                                AT TIME ZONE %(tz)s)::date) AS since
                      FROM crm_customer_request
                     WHERE company_id = %(company)s
                       AND request_type = 'complaint'
                       AND state IN ('new', 'in_progress', 'waiting')
                     GROUP BY partner_id
                ), vals AS (
                    SELECT c.partner_id, GREATEST(COALESCE(m.churn_risk, 0), %(risk)s)
                               AS risk,
                           format(%(template)s, to_char(c.since, 'YYYY-MM-DD'),
                                  %(as_of)s::date - c.since) AS reason
                      FROM c
                      JOIN crm_relationship_metrics m
                        ON m.partner_id = c.partner_id AND m.company_id = %(company)s
                     WHERE %(as_of)s::date - c.since > %(days)s
                )
                UPDATE crm_relationship_metrics m
                   SET churn_risk = v.risk, churn_risk_reason = v.reason
                  FROM vals v
                 WHERE m.company_id = %(company)s AND m.partner_id = v.partner_id
                   AND (m.churn_risk, m.churn_risk_reason)
                       IS DISTINCT FROM (v.risk, v.reason)
                """,
                tz=tz,
                company=company.id,
                risk=COMPLAINT_RISK,
                template=template,
                as_of=as_of,
                days=company.complaint_risk_days,
            )
        )
        self.invalidate_model(["churn_risk", "churn_risk_reason"])

    @api.model
    def _as_of(self, company):
        tz = company.partner_id.tz or "UTC"
        return tz, fields.Date.context_today(self.with_context(tz=tz))

    @api.model
    def _batch_query(self, partner_ids, company):
        """The per-customer aggregation: one row per partner id."""
        tz, as_of = self._as_of(company)
        window_start = as_of - timedelta(days=company.rfm_window_days)
        in_window = SQL("o.day > %s AND o.day <= %s", window_start, as_of)
        line_filter = SQL(
            "l.display_type IS NULL AND NOT COALESCE(l.is_downpayment, FALSE) "
            "AND pt.type != 'combo'"
        )
        if column_exists(self.env.cr, "sale_order_line", "is_delivery"):
            line_filter = SQL("%s AND NOT COALESCE(l.is_delivery, FALSE)", line_filter)
        return SQL(
            """
            WITH scope AS (
                SELECT unnest(%(ids)s::int[]) AS partner_id
            ), o AS (
                SELECT p.commercial_partner_id AS partner_id,
                       so.id AS order_id,
                       so.partner_id AS contact_id,
                       (so.date_order AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date
                           AS day,
                       so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1)
                           AS amount
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state = 'sale'
                   AND so.company_id = %(company)s
                   AND p.commercial_partner_id = ANY(%(ids)s)
            ), agg AS (
                SELECT o.partner_id,
                       min(o.day) AS first_day,
                       max(o.day) AS last_day,
                       count(*) AS n_orders,
                       sum(o.amount) AS revenue,
                       count(*) FILTER (WHERE %(in_window)s) AS frequency,
                       COALESCE(sum(o.amount) FILTER (WHERE %(in_window)s), 0)
                           AS monetary,
                       count(DISTINCT o.contact_id) FILTER (WHERE %(in_window)s)
                           AS contacts
                  FROM o
                 GROUP BY o.partner_id
            ), days AS (
                SELECT d.partner_id, d.day,
                       d.day - lag(d.day) OVER (
                           PARTITION BY d.partner_id ORDER BY d.day) AS gap
                  FROM (SELECT DISTINCT partner_id, day FROM o) d
            ), dagg AS (
                SELECT partner_id,
                       count(*) AS n_days,
                       max(day) FILTER (WHERE gap > %(lost_after)s) AS reactivation
                  FROM days
                 GROUP BY partner_id
            ), cat AS (
                -- from the tables, not from "o": the planner then knows how
                -- many orders are in the window (the order date between the
                -- window's first and last local midnights) and joins their
                -- lines by hash when they are many
                SELECT partner_id, count(*) AS categories
                  FROM (
                SELECT DISTINCT p.commercial_partner_id AS partner_id, pt.categ_id
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                  JOIN sale_order_line l ON l.order_id = so.id
                  JOIN product_product pp ON pp.id = l.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE so.state = 'sale'
                   AND so.company_id = %(company)s
                   AND p.commercial_partner_id = ANY(%(ids)s)
                   AND so.date_order >= (%(window_first)s::timestamp
                                         AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC'
                   AND so.date_order < (%(window_end)s::timestamp
                                        AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC'
                   AND %(line_filter)s
                       ) pc
                 GROUP BY partner_id
            ), res AS (
                SELECT s.partner_id,
                       a.first_day, a.last_day,
                       COALESCE(a.n_orders, 0) AS n_orders,
                       a.revenue,
                       a.revenue / NULLIF(a.n_orders, 0) AS aov,
                       %(as_of)s::date - a.last_day AS recency,
                       %(as_of)s::date - a.first_day AS tenure,
                       COALESCE(a.frequency, 0) AS frequency,
                       a.monetary,
                       CASE WHEN dg.n_days >= 2
                            THEN (a.last_day - a.first_day)::float / (dg.n_days - 1)
                       END AS interval,
                       COALESCE(c.categories, 0) AS categories,
                       COALESCE(a.contacts, 0) AS contacts,
                       dg.reactivation
                  FROM scope s
                  LEFT JOIN agg a ON a.partner_id = s.partner_id
                  LEFT JOIN dagg dg ON dg.partner_id = s.partner_id
                  LEFT JOIN cat c ON c.partner_id = s.partner_id
            )
            SELECT partner_id, first_day, last_day, n_orders, revenue, aov, recency,
                   tenure, frequency, monetary, interval,
                   last_day + floor(interval + 0.5)::int,
                   categories, contacts, reactivation, %(as_of)s::date
              FROM res
            """,
            ids=partner_ids,
            tz=tz,
            company=company.id,
            in_window=in_window,
            lost_after=company.lost_after_days,
            line_filter=line_filter,
            as_of=as_of,
            window_first=window_start + timedelta(days=1),
            window_end=as_of + timedelta(days=1),
        )

    @api.model
    def _batch_columns(self):
        """The columns the per-customer upsert writes, in the order of
        ``_batch_select``'s values."""
        return BATCH_COLUMNS + REQUEST_COLUMNS

    @api.model
    def _batch_select(self, partner_ids, company):
        """partner_id then the values of ``_batch_columns()``, one row per
        customer: every per-customer value (orders, requests and, with
        crm_supply_chain_link, service rates) in one statement and one write
        of the row, instead of one update per kind of value."""
        return SQL(
            "SELECT b.*, r.req_open, r.req_overdue, r.req_complaint, "
            "r.req_complaint_days, r.req_response, r.req_solve "
            "FROM (%s) b JOIN (%s) r ON r.partner_id = b.partner_id",
            self._batch_query(partner_ids, company),
            self._request_query(partner_ids, company),
        )

    @api.model
    def _compute_batch(self, partner_ids, company, with_company=False):
        """Upsert the batch values; link the customers whose row is new.

        ``with_company``: ``partner_ids`` are all the customers of the
        company, and the company-wide values are computed from the batch's and
        written in the same statement (each row written once).
        """
        for model in (
            "sale.order",
            "sale.order.line",
            "res.partner",
            "product.product",
            "crm.customer.request",
        ):
            self.env[model].flush_model()
        self.flush_model()
        columns = self._batch_columns()
        batch = self._batch_select(partner_ids, company)
        if with_company:
            columns = columns + COMPANY_COLUMNS
            # the stored types, so that the values are those of the
            # company pass over the stored rows
            source = SQL(
                """
                SELECT partner_id, recency::int AS recency_days,
                       frequency::int AS rfm_frequency,
                       monetary::float8 AS rfm_monetary,
                       interval::float8 AS purchase_interval_days,
                       aov::float8 AS average_order_value,
                       n_orders::int AS lifetime_order_count
                  FROM b
                """
            )
            batch = SQL(
                """
                WITH b AS MATERIALIZED (%s)
                SELECT b.*, v.r, v.f, v.m, v.segment, v.tier, v.risk, v.reason,
                       v.clv
                  FROM b LEFT JOIN (%s) v ON v.partner_id = b.partner_id
                """,
                batch,
                self._company_query(company, source),
            )
        cols = SQL(", ").join(SQL.identifier(c) for c in columns)
        excluded = SQL(", ").join(
            SQL("EXCLUDED.%s", SQL.identifier(c)) for c in columns
        )
        current = SQL(", ").join(SQL("m.%s", SQL.identifier(c)) for c in columns)
        rows = self.env.execute_query(
            SQL(
                """
                INSERT INTO crm_relationship_metrics AS m
                       (partner_id, %(cols)s, company_id,
                        create_uid, create_date, write_uid, write_date)
                SELECT b.*, %(company)s, %(uid)s, now() AT TIME ZONE 'UTC',
                       %(uid)s, now() AT TIME ZONE 'UTC'
                  FROM (%(batch)s) b
                ON CONFLICT (partner_id, company_id) DO UPDATE
                   SET (%(cols)s, write_uid, write_date)
                     = (%(excluded)s, EXCLUDED.write_uid, EXCLUDED.write_date)
                 WHERE (%(current)s) IS DISTINCT FROM (%(excluded)s)
                RETURNING m.partner_id, m.xmax = 0
                """,
                cols=cols,
                excluded=excluded,
                current=current,
                company=company.id,
                uid=self.env.uid,
                batch=batch,
            )
        )
        self.invalidate_model(columns)
        inserted = [partner_id for partner_id, new in rows if new]
        if inserted:
            self._link_partners(inserted, company)

    @api.model
    def _link_partners(self, partner_ids, company):
        """Point the company-dependent many2one of new customers to their row.

        Writes a partner row once per (customer, company), when its values are
        first created; never afterwards.
        """
        key = str(company.id)
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner p
                   SET relationship_metrics_id =
                       COALESCE(p.relationship_metrics_id, '{}'::jsonb)
                       || jsonb_build_object(%(key)s::text, m.id)
                  FROM crm_relationship_metrics m
                 WHERE m.partner_id = p.id
                   AND m.company_id = %(company)s
                   AND m.partner_id = ANY(%(ids)s)
                   AND (p.relationship_metrics_id ->> %(key)s) IS NULL
                """,
                key=key,
                company=company.id,
                ids=list(partner_ids),
            )
        )
        self.env["res.partner"].invalidate_model(["relationship_metrics_id"])

    @api.model
    def _company_query(self, company, source):
        """The company-wide values of the customers of ``source`` (a query of
        all the company's customers with partner_id, recency_days,
        rfm_frequency, rfm_monetary, purchase_interval_days,
        average_order_value and lifetime_order_count): partner_id then the
        values of COMPANY_COLUMNS."""
        lang = company.partner_id.lang or "en_US"
        template = self.with_context(lang=lang).env._(
            "Last order %(recency)s days ago, %(ratio)sx the usual %(interval)s days"
        )
        template = self._pg_format(template, ["recency", "ratio", "interval"])
        grid = SQL(", ").join(
            SQL("(%s, %s, %s)", fm, r + 1, segment)
            for fm, row in RFM_GRID.items()
            for r, segment in enumerate(row)
        )
        return SQL(
            """
                WITH src AS (%(source)s), base AS (
                    SELECT partner_id, recency_days, rfm_frequency,
                           COALESCE(rfm_monetary, 0) AS monetary,
                           purchase_interval_days, average_order_value
                      FROM src
                     WHERE lifetime_order_count > 0
                ), med AS (
                    SELECT COALESCE(
                               percentile_cont(0.5) WITHIN GROUP (
                                   ORDER BY purchase_interval_days),
                               %(default_median)s) AS median
                      FROM base
                     WHERE purchase_interval_days IS NOT NULL
                ), scored AS (
                    SELECT b.partner_id,
                           ceil(5 * cume_dist() OVER (
                               ORDER BY b.recency_days DESC))::int AS r,
                           ceil(5 * cume_dist() OVER (ORDER BY b.rfm_frequency))::int
                               AS f,
                           ceil(5 * cume_dist() OVER (ORDER BY b.monetary))::int AS m,
                           COALESCE(sum(GREATEST(b.monetary, 0)) OVER (
                               ORDER BY b.monetary DESC, b.partner_id
                               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
                               AS before,
                           sum(GREATEST(b.monetary, 0)) OVER () AS total,
                           b.monetary,
                           b.recency_days,
                           b.average_order_value,
                           COALESCE(b.purchase_interval_days, med.median) AS eff
                      FROM base b, med
                ), ratio AS (
                    SELECT s.*, s.recency_days / s.eff AS ratio FROM scored s
                ), churn AS (
                    SELECT rt.*,
                           CASE WHEN rt.ratio <= 1 THEN 0
                                WHEN rt.ratio < 3
                                THEN round((50 * (rt.ratio - 1))::numeric, 2)
                                ELSE 100
                           END AS risk
                      FROM ratio rt
                ), final AS (
                    SELECT c.partner_id, c.r, c.f, c.m, g.segment,
                           CASE WHEN c.monetary <= 0 THEN 'C'
                                WHEN c.before / c.total < %(a_share)s THEN 'A'
                                WHEN c.before / c.total < %(b_share)s THEN 'B'
                                ELSE 'C'
                           END AS tier,
                           c.risk::float AS risk,
                           format(%(template)s, c.recency_days,
                                  to_char(round(c.ratio::numeric, 1), 'FM999990.0'),
                                  round(c.eff::numeric)) AS reason,
                           round((c.average_order_value * 365 / c.eff
                                  * (1 - c.risk / 100))::numeric, 2)::float AS clv
                      FROM churn c
                      JOIN (VALUES %(grid)s) AS g(fm, r, segment)
                        ON g.fm = floor((c.f + c.m + 1) / 2) AND g.r = c.r
                    UNION ALL
                    SELECT partner_id, NULL, NULL, NULL, NULL, 'C', NULL, NULL, NULL
                      FROM src
                     WHERE COALESCE(lifetime_order_count, 0) = 0
                )
                SELECT * FROM final
            """,
            source=source,
            default_median=DEFAULT_MEDIAN_INTERVAL,
            a_share=company.value_tier_a_percent / 100.0,
            b_share=company.value_tier_b_percent / 100.0,
            template=template,
            grid=grid,
        )

    @api.model
    def _compute_company(self, company):
        """Scores, segments, tiers, churn risk and CLV of the whole company,
        from the values stored (one statement)."""
        self.flush_model()
        source = SQL(
            """
            SELECT partner_id, recency_days, rfm_frequency, rfm_monetary,
                   purchase_interval_days, average_order_value,
                   lifetime_order_count
              FROM crm_relationship_metrics
             WHERE company_id = %s
            """,
            company.id,
        )
        self._update_rows(
            company,
            COMPANY_COLUMNS,
            self._company_query(company, source),
            SQL("v.r, v.f, v.m, v.segment, v.tier, v.risk, v.reason, v.clv"),
        )
        self._compute_company_overrides(company)

    @api.model
    def _update_rows(self, company, columns, query, values):
        """Write ``columns`` of the company's rows from ``query`` (one row per
        partner_id, read as ``v``; ``values``: its expressions, in the order
        of ``columns``), where they differ."""
        current = SQL(", ").join(SQL("t.%s", SQL.identifier(c)) for c in columns)
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_relationship_metrics t
                   SET (%(cols)s) = (%(values)s)
                  FROM (%(query)s) v
                 WHERE t.company_id = %(company)s AND t.partner_id = v.partner_id
                   AND (%(current)s) IS DISTINCT FROM (%(values)s)
                """,
                cols=SQL(", ").join(SQL.identifier(c) for c in columns),
                values=values,
                query=query,
                company=company.id,
                current=current,
            )
        )
        self.invalidate_model(columns)

    @api.model
    def _compute_company_overrides(self, company):
        """What overrides the buying rhythm's churn risk and reason, once the
        company-wide values are written: a complaint open too long."""
        self._compute_complaint_risk(company)

    @api.model
    def _rows_outside(self, partner_ids, company):
        """Whether the company has rows of customers not in ``partner_ids``."""
        self.flush_model(["partner_id", "company_id"])
        return bool(
            self.env.execute_query(
                SQL(
                    """
                    SELECT 1 FROM crm_relationship_metrics
                     WHERE company_id = %s AND partner_id <> ALL(%s)
                     LIMIT 1
                    """,
                    company.id,
                    list(partner_ids),
                )
            )
        )

    # ------------------------------------------------------------------
    # Lifecycle
    # ------------------------------------------------------------------
    def _evaluate_stages(self):
        """Set the first stage (by sequence) whose rule matches, per company."""
        for company in self.company_id:
            records = self.filtered(lambda m, c=company: m.company_id == c)
            self._evaluate_stage_rules(
                records.partner_id.ids, company, self._stage_rules(company)
            )

    @api.model
    def _stage_rules(self, company):
        """[(stage, domain on contacts)] of ``company``, by sequence."""
        rules = []
        for stage in self.env["crm.relationship.stage"].search(
            [("company_id", "in", (False, company.id))]
        ):
            try:
                rules.append((stage, stage._get_rule_domain(company)))
            except Exception:  # a broken rule must not stop the others
                _logger.exception("Stage rule %s skipped", stage.display_name)
        return rules

    @api.model
    def _evaluate_stage_rules(self, partner_ids, company, rules):
        """Move the unlocked customers among ``partner_ids`` to the stage of
        the first rule they match: one query per rule, then one move per
        stage; only the rows that move are read through the ORM."""
        self.flush_model(["stage_id", "stage_locked"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT id, partner_id, stage_id
                  FROM crm_relationship_metrics
                 WHERE company_id = %s AND partner_id = ANY(%s)
                   AND NOT COALESCE(stage_locked, FALSE)
                """,
                company.id,
                list(partner_ids),
            )
        )
        pending = {row[1] for row in rows}
        target = {}
        for stage, domain in rules:
            if not pending:
                break
            matched = self._match_rule(pending, domain, company)
            target.update(dict.fromkeys(matched, stage))
            pending -= matched
        by_stage = {}
        old_stage_ids = {}
        for metrics_id, partner_id, stage_id in rows:
            stage = target.get(partner_id)
            if stage and stage.id != stage_id:
                by_stage.setdefault(stage, []).append(metrics_id)
                old_stage_ids[metrics_id] = stage_id
        by_sql = bool(by_stage) and not self._write_watched()
        for stage, ids in by_stage.items():
            self.browse(ids)._set_stage(
                stage, reason="rule", old_stage_ids=old_stage_ids, by_sql=by_sql
            )

    @api.model
    def _match_rule(self, partner_ids, domain, company):
        """The ids of the customers among ``partner_ids`` matching ``domain``
        (on contacts) in ``company``."""
        own = self._rule_on_metrics(domain)
        if own is None:
            query = (
                self.env["res.partner"]
                .with_company(company)
                ._search([("id", "in", list(partner_ids))] + domain)
            )
            return {row[0] for row in self.env.execute_query(query.select())}
        # the rule reads only our values: one query on this table
        query = self._search(
            [
                ("company_id", "=", company.id),
                ("partner_id", "in", list(partner_ids)),
                # as the contact search: archived contacts never match
                ("partner_id.active", "=", True),
            ]
            + own
        )
        return {
            row[0]
            for row in self.env.execute_query(
                query.select(SQL.identifier(self._table, "partner_id"))
            )
        }

    @api.model
    def _rule_on_metrics(self, domain):
        """``domain`` (on contacts) rewritten on this model, or None.

        A rule whose every leaf reads a contact field related to these values
        (``commercial_partner_id.relationship_metrics_id.<field>``) is the same
        condition on the current company's row of the customer.
        """
        prefix = "commercial_partner_id.relationship_metrics_id."
        fields_ = self.env["res.partner"]._fields
        result = []
        for leaf in expression.normalize_domain(domain):
            if not expression.is_leaf(leaf) or leaf in (
                expression.TRUE_LEAF,
                expression.FALSE_LEAF,
            ):
                result.append(leaf)
                continue
            name, _sep, rest = str(leaf[0]).partition(".")
            field = fields_.get(name)
            related = field.related if field else None
            if not related or not related.startswith(prefix):
                return None
            path = related[len(prefix) :] + (f".{rest}" if rest else "")
            result.append((path, leaf[1], leaf[2]))
        return result

    def _set_stage(
        self, stage, reason="rule", lock=None, old_stage_ids=None, by_sql=False
    ):
        """Move these rows to ``stage`` through the ORM, logged and followed up.

        Works per batch: one write, one history insert, one insert of chatter
        notes and the follow-ups, whatever the number of customers.
        ``old_stage_ids`` ({row id: stage id}), when the caller read them, saves
        reading the rows. ``by_sql``: write the rows in one UPDATE (the rule
        engine, when no automation rule watches this model).
        """
        Stage = self.env["crm.relationship.stage"]
        if old_stage_ids is None:
            old_stage_ids = {record.id: record.stage_id.id for record in self}
        moved = self.browse(
            [rid for rid in self.ids if old_stage_ids.get(rid) != stage.id]
        )
        if moved:
            old_stages = {
                rid: Stage.browse(old_stage_ids.get(rid)) for rid in moved.ids
            }
            vals = {"stage_id": stage.id, "stage_date": fields.Date.context_today(self)}
            if lock is not None:
                vals["stage_locked"] = lock
            if by_sql:
                # the rules move thousands of customers at a time (a first
                # computation, the nightly pass): one UPDATE
                moved._write_by_sql(vals)
            else:
                # through the ORM: automation rules on the stage see the change
                moved.write(vals)
            moved._log_stage_moves(old_stages, stage, reason)
            moved._stage_follow_up(stage)
        if lock is not None and self - moved:
            (self - moved).write({"stage_locked": lock})

    @api.model
    def _invalidate_partner_fields(self):
        """Drop the cached contact fields that read these rows (only those: the
        rest of the contacts' cache stays warm)."""
        Partner = self.env["res.partner"]
        Partner.invalidate_model(
            ["relationship_metrics_id"]
            + [
                name
                for name, field in Partner._fields.items()
                if field.related and "relationship_metrics_id" in field.related
            ]
        )

    @api.model
    def _write_watched(self):
        """Whether an automation rule (base_automation) is set on this model:
        its writes must then go through the ORM."""
        if "base.automation" not in self.env:
            return False
        return bool(
            self.env["base.automation"]
            .sudo()
            .search_count([("model_id.model", "=", self._name)], limit=1)
        )

    def _write_by_sql(self, vals):
        """Write ``vals`` (plain column values) on these rows in one UPDATE."""
        self.flush_recordset()
        assignments = SQL(", ").join(
            SQL("%s = %s", SQL.identifier(name), value) for name, value in vals.items()
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_relationship_metrics
                   SET %(assignments)s, write_uid = %(uid)s,
                       write_date = now() AT TIME ZONE 'UTC'
                 WHERE id = ANY(%(ids)s)
                """,
                assignments=assignments,
                uid=self.env.uid,
                ids=self.ids,
            )
        )
        self.invalidate_recordset(list(vals) + ["write_uid", "write_date"])
        # the partner's related fields read these rows
        self._invalidate_partner_fields()

    def _log_stage_moves(self, old_stages, stage, reason):
        """History rows and chatter notes of a move to ``stage`` (set-based).

        ``old_stages``: {metrics id: stage before the move}. The history
        records the values the move was decided on, read from the rows.
        """
        self.flush_recordset()
        ids = self.ids
        rows = self.env.execute_query(
            SQL(
                "SELECT id, partner_id, company_id FROM crm_relationship_metrics "
                "WHERE id = ANY(%s)",
                ids,
            )
        )
        Company = self.env["res.company"]
        days = {
            company: self._as_of(company)[1]
            for company in Company.browse({row[2] for row in rows})
        }
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_relationship_stage_history
                       (partner_id, company_id, stage_from_id, stage_to_id,
                        stage_to_type, reason, user_id, day, date, metric_values,
                        churn_risk_reason, create_uid, create_date, write_uid,
                        write_date)
                SELECT m.partner_id, m.company_id, v.stage_from_id, %(stage)s,
                       %(stage_type)s, %(reason)s, %(uid)s, d.day, %(now)s,
                       concat_ws(', ',
                           'lifetime_order_count='
                               || COALESCE(m.lifetime_order_count, 0),
                           'recency_days=' || COALESCE(m.recency_days, 0),
                           'tenure_days=' || COALESCE(m.tenure_days, 0),
                           'rfm_frequency=' || COALESCE(m.rfm_frequency, 0),
                           'churn_risk=' || CASE
                               WHEN COALESCE(m.churn_risk, 0)
                                    = trunc(COALESCE(m.churn_risk, 0))
                               THEN trunc(COALESCE(m.churn_risk, 0))::bigint || '.0'
                               ELSE m.churn_risk::text END,
                           'reactivation_date='
                               || COALESCE(m.reactivation_date::text, 'False')),
                       m.churn_risk_reason, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(ids)s::int[], %(from)s::int[])
                       AS v(id, stage_from_id)
                  JOIN crm_relationship_metrics m ON m.id = v.id
                  JOIN unnest(%(companies)s::int[], %(days)s::date[])
                       AS d(company_id, day) ON d.company_id = m.company_id
                """,
                stage=stage.id,
                stage_type=stage.stage_type,
                reason=reason,
                uid=self.env.uid,
                now=fields.Datetime.now(),
                ids=ids,
                **{"from": [old_stages[i].id or None for i in ids]},
                companies=[c.id for c in days],
                days=list(days.values()),
            )
        )
        self.env["crm.relationship.stage.history"].invalidate_model()
        by_reason = _("by rule") if reason == "rule" else _("set by hand")
        texts = {}
        bodies = {}
        for metrics_id, partner_id, company_id in rows:
            key = (company_id, old_stages[metrics_id])
            if key not in texts:
                texts[key] = _(
                    "Relationship stage in %(company)s: %(old)s → %(new)s (%(reason)s)",
                    company=Company.browse(company_id).name,
                    old=key[1].name or _("none"),
                    new=stage.name,
                    reason=by_reason,
                )
            bodies[partner_id] = texts[key]
        self._log_notes(bodies)

    @api.model
    def _log_notes(self, bodies):
        """Log ``bodies`` ({customer id: text}) as notes in the customers'
        chatter, with the values ``_message_log_batch`` gives them, in one
        INSERT.

        The engine moves thousands of customers at a time (a first computation,
        the nightly pass); creating as many messages through the ORM cost more
        than all of the computation (docs/benchmarks.md). The notes notify no
        one, as ``_message_log_batch``'s.
        """
        if not bodies:
            return
        Partner = self.env["res.partner"]
        author_id, email_from = Partner._message_compute_author(
            None, None, raise_on_email=False
        )
        reply_to = self.env["mail.thread"]._notify_get_reply_to(default=email_from)[
            False
        ]
        html = {}
        for text in set(bodies.values()):
            html[text] = str(html_sanitize(escape(text)))
        ids = list(bodies)
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO mail_message
                       (model, res_id, body, message_type, subtype_id, is_internal,
                        author_id, email_from, reply_to, message_id,
                        email_add_signature, date, create_uid, create_date,
                        write_uid, write_date)
                SELECT 'res.partner', v.res_id, v.body, 'notification',
                       %(subtype)s, TRUE, %(author)s, %(email_from)s, %(reply_to)s,
                       %(message_id)s, FALSE, %(now)s, %(uid)s, %(now)s, %(uid)s,
                       %(now)s
                  FROM unnest(%(ids)s::int[], %(bodies)s::text[]) AS v(res_id, body)
                """,
                subtype=self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
                author=author_id,
                email_from=email_from,
                reply_to=reply_to,
                message_id=generate_tracking_message_id("message-notify"),
                now=now,
                uid=self.env.uid,
                ids=ids,
                bodies=[html[bodies[i]] for i in ids],
            )
        )
        Partner.browse(ids).invalidate_recordset(["message_ids"])

    def _stage_follow_up(self, stage):
        """Schedule the stage's activity and send its mail template."""
        if stage.activity_type_id:
            deadline = fields.Date.context_today(self) + timedelta(
                days=stage.activity_days
            )
            by_user = {}
            for record in self:
                user = stage.activity_user_id
                if (
                    stage.activity_user_mode == "salesperson"
                    and record.partner_id.user_id
                ):
                    user = record.partner_id.user_id
                if user:
                    by_user.setdefault(user, self.env["res.partner"])
                    by_user[user] |= record.partner_id
            for user, partners in by_user.items():
                partners.activity_schedule(
                    activity_type_id=stage.activity_type_id.id,
                    summary=stage.activity_summary or stage.name,
                    user_id=user.id,
                    date_deadline=deadline,
                )
        if stage.mail_template_id:
            recipients = self.partner_id._relationship_mail_recipients()
            if recipients:
                stage.mail_template_id.send_mail_batch(recipients.ids)
