# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.tools import SQL

from .crm_sla_policy import SLA_STATUSES

_logger = logging.getLogger(__name__)

# quantities are compared with this margin (floats in reference units)
EPSILON = 1e-6

SLA_COLUMNS = [
    "sla_order_count",
    "sla_otif_rate",
    "sla_fill_rate",
    "sla_cycle_time_days",
    "sla_return_rate",
    "sla_status_reason",
]
SERVICE_COLUMNS = [
    "service_order_count",
    "service_otif_rate",
    "service_on_time_rate",
    "service_in_full_rate",
    "service_perfect_order_rate",
    "service_fill_rate",
    "service_cycle_time_days",
    "service_return_rate",
    "service_late_order_count",
    "service_at_risk",
]


class CrmRelationshipMetrics(models.Model):
    _inherit = "crm.relationship.metrics"

    service_order_count = fields.Integer(
        readonly=True,
        aggregator="sum",
        help="Orders due in the service window: the sample size of the rates.",
    )
    service_otif_rate = fields.Float(string="OTIF %", readonly=True, aggregator="avg")
    service_on_time_rate = fields.Float(
        string="On Time %", readonly=True, aggregator="avg"
    )
    service_in_full_rate = fields.Float(
        string="In Full %", readonly=True, aggregator="avg"
    )
    service_perfect_order_rate = fields.Float(
        string="Perfect Order %", readonly=True, aggregator="avg"
    )
    service_fill_rate = fields.Float(
        string="Fill Rate %", readonly=True, aggregator="avg"
    )
    service_cycle_time_days = fields.Float(
        string="Cycle Time (days)", readonly=True, aggregator="avg"
    )
    service_return_rate = fields.Float(
        string="Return Rate %", readonly=True, aggregator="avg"
    )
    service_late_order_count = fields.Integer(
        string="Late Orders", readonly=True, aggregator="sum"
    )
    service_at_risk = fields.Boolean(
        readonly=True,
        help="The customer's OTIF rate over the window is below its target.",
    )

    # ---- service-level policy (../shared/METRICS.md, 3) ----
    sla_policy_id = fields.Many2one(
        "crm.sla.policy",
        string="Service-Level Policy",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The first matching policy by sequence.",
    )
    sla_status = fields.Selection(
        SLA_STATUSES,
        string="Service-Level Status",
        readonly=True,
        index=True,
        help="None: no policy, or no order due in its window. Breached: a target "
        "is missed. Warning: no target missed but one within the policy's margin.",
    )
    sla_status_date = fields.Date(
        string="Status Since", readonly=True, help="Day the status last changed."
    )
    sla_status_reason = fields.Char(
        string="Targets Missed or Close",
        readonly=True,
        help="Each target missed or within the warning margin, with the figure.",
    )
    sla_order_count = fields.Integer(
        string="Orders (policy window)", readonly=True, aggregator="sum"
    )
    sla_otif_rate = fields.Float(
        string="OTIF % (policy)", readonly=True, aggregator="avg"
    )
    sla_fill_rate = fields.Float(
        string="Fill Rate % (policy)", readonly=True, aggregator="avg"
    )
    sla_cycle_time_days = fields.Float(
        string="Cycle Time (policy)", readonly=True, aggregator="avg"
    )
    sla_return_rate = fields.Float(
        string="Return Rate % (policy)", readonly=True, aggregator="avg"
    )
    sla_activity_ids = fields.Many2many(
        "mail.activity",
        "crm_relationship_metrics_sla_activity_rel",
        "metrics_id",
        "activity_id",
        string="Service-Level Activities",
        readonly=True,
        help="Open follow-up activities scheduled by the policy; closed when the "
        "status changes again.",
    )

    def init(self):
        res = super().init()
        # rows are inserted by SQL (the engine's upsert): a customer not yet
        # evaluated against the policies has the status "none", not NULL, and
        # no order counted yet
        self._set_column_defaults(
            {
                "sla_status": "none",
                "sla_order_count": 0,
                "service_order_count": 0,
                "service_late_order_count": 0,
                "service_at_risk": False,
            }
        )
        return res

    @api.model
    def _batch_columns(self):
        return super()._batch_columns() + SERVICE_COLUMNS

    @api.model
    def _batch_select(self, partner_ids, company):
        # the service rates in the same upsert as the other values
        self.env["crm.order.service"].flush_model()
        return SQL(
            "SELECT b.*, v.srv_n, v.srv_otif, v.srv_on_time, v.srv_in_full, "
            "v.srv_perfect, v.srv_fill, v.srv_cycle, v.srv_ret, v.srv_late, "
            "v.srv_at_risk "
            "FROM (%s) b JOIN (%s) v ON v.partner_id = b.partner_id",
            super()._batch_select(partner_ids, company),
            self._service_query(partner_ids, company),
        )

    @api.model
    def _service_threshold_sql(self, company):
        """The OTIF target each customer is measured against (``m``: its row)."""
        return SQL(
            """COALESCE((SELECT NULLIF(p.target_otif_rate, 0)
                           FROM crm_sla_policy p
                          WHERE p.id = m.sla_policy_id), %s::float)""",
            company.service_risk_otif_threshold,
        )

    @api.model
    def _service_query(self, partner_ids, company):
        """partner_id then the values of SERVICE_COLUMNS, one row per customer
        of ``partner_ids``: the orders due in the service window."""
        tz, as_of = self._as_of(company)
        start = as_of - timedelta(days=company.service_window_days)
        return SQL(
            """
            WITH agg AS (
                SELECT partner_id, count(*) AS n,
                       count(*) FILTER (WHERE is_otif) AS otif,
                       count(*) FILTER (WHERE is_on_time) AS on_time,
                       count(*) FILTER (WHERE is_in_full) AS in_full,
                       count(*) FILTER (WHERE is_perfect_order) AS perfect,
                       sum(on_time_qty) AS on_time_qty, sum(ordered_qty) AS ordered,
                       avg(cycle_time_days) FILTER (
                           WHERE service_level_state IN ('on_time', 'late'))
                           AS cycle,
                       sum(returned_qty) AS returned, sum(delivered_qty) AS delivered,
                       count(*) FILTER (
                           WHERE service_level_state IN ('late', 'overdue')) AS late
                  FROM crm_order_service
                 WHERE company_id = %(company)s
                   AND partner_id = ANY(%(ids)s)
                   AND service_level_state != 'na'
                   AND due_date > %(start)s AND due_date < %(as_of)s
                 GROUP BY partner_id
            )
            SELECT s.partner_id,
                   COALESCE(a.n, 0) AS srv_n,
                   round((100.0 * a.otif / a.n)::numeric, 2)::float AS srv_otif,
                   round((100.0 * a.on_time / a.n)::numeric, 2)::float AS srv_on_time,
                   round((100.0 * a.in_full / a.n)::numeric, 2)::float AS srv_in_full,
                   round((100.0 * a.perfect / a.n)::numeric, 2)::float AS srv_perfect,
                   round((100 * a.on_time_qty / NULLIF(a.ordered, 0))::numeric, 2)
                       ::float AS srv_fill,
                   round(a.cycle::numeric, 2)::float AS srv_cycle,
                   round((100 * a.returned / NULLIF(a.delivered, 0))::numeric, 2)
                       ::float AS srv_ret,
                   COALESCE(a.late, 0) AS srv_late,
                   COALESCE(a.n > 0 AND 100.0 * a.otif / a.n < %(threshold)s, FALSE)
                       AS srv_at_risk
              FROM unnest(%(ids)s::int[]) AS s(partner_id)
              LEFT JOIN agg a ON a.partner_id = s.partner_id
              LEFT JOIN crm_relationship_metrics m
                     ON m.partner_id = s.partner_id AND m.company_id = %(company)s
            """,
            company=company.id,
            ids=list(partner_ids),
            start=start,
            as_of=as_of,
            threshold=self._service_threshold_sql(company),
        )

    @api.model
    def _compute_service(self, partner_ids, company):
        """The service rates of these customers alone (their policy changed)."""
        self.env["crm.order.service"].flush_model()
        self.flush_model()
        self._update_rows(
            company,
            SERVICE_COLUMNS,
            self._service_query(partner_ids, company),
            SQL(
                "v.srv_n, v.srv_otif, v.srv_on_time, v.srv_in_full, v.srv_perfect, "
                "v.srv_fill, v.srv_cycle, v.srv_ret, v.srv_late, v.srv_at_risk"
            ),
        )

    @api.model
    def _compute_company_overrides(self, company):
        res = super()._compute_company_overrides(company)
        self._compute_service_reason(company)
        return res

    @api.model
    def _compute_service_reason(self, company):
        """The service failures decide the risk reason when the rhythm does not."""
        lang = company.partner_id.lang or "en_US"
        template = self.with_context(lang=lang).env._(
            "OTIF %(otif)s%% over the last %(days)s days "
            "(%(late)s of %(count)s orders late or overdue)"
        )
        template = self._pg_format(template, ["otif", "days", "late", "count"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_relationship_metrics
                   SET churn_risk_reason = format(%(template)s, service_otif_rate,
                           %(days)s, service_late_order_count, service_order_count)
                 WHERE company_id = %(company)s
                   AND service_at_risk
                   AND COALESCE(churn_risk, 0) < 50
                   AND churn_risk_reason IS DISTINCT FROM format(%(template)s,
                           service_otif_rate, %(days)s, service_late_order_count,
                           service_order_count)
                """,
                template=template,
                days=company.service_window_days,
                company=company.id,
            )
        )
        self.invalidate_model(["churn_risk_reason"])

    @api.model
    def _cron_process_queue(self, *args, **kwargs):
        # the orders first: their figures feed the customers queued after them
        self.env["crm.order.service.queue"]._process()
        return super()._cron_process_queue(*args, **kwargs)

    @api.model
    def _cron_enqueue_all(self):
        self.env["crm.order.service"]._cron_refresh_open()
        return super()._cron_enqueue_all()

    # ------------------------------------------------------------------
    # Service-level policies
    # ------------------------------------------------------------------
    @api.model
    def _compute_after_company(self, partner_ids, company):
        res = super()._compute_after_company(partner_ids, company)
        changed = self._sla_match(partner_ids, company)
        if changed:
            # the OTIF risk threshold follows the policy
            self._compute_service(changed, company)
            self._compute_service_reason(company)
        self._sla_evaluate(partner_ids, company)
        return res

    @api.model
    def _sla_match(self, partner_ids, company):
        """Set the first matching policy of each customer; return who changed."""
        policies = self.env["crm.sla.policy"].search([("company_id", "=", company.id)])
        if not policies and not self._sla_any_policy(company):
            # no policy was ever made in the company: nothing to assign or clear
            return []
        pending = set(partner_ids)
        assigned = {}
        for policy in policies:
            if not pending:
                break
            try:
                domain = policy._get_partner_domain(company)
            except Exception:  # a broken policy must not stop the others
                _logger.exception("Service-level policy %s skipped", policy.name)
                continue
            matched = self._match_rule(pending, domain, company)
            assigned.update(dict.fromkeys(matched, policy.id))
            pending -= matched
        self.flush_model(["sla_policy_id"])
        ids = list(partner_ids)
        rows = self.env.execute_query(
            SQL(
                """
                UPDATE crm_relationship_metrics m
                   SET sla_policy_id = v.policy_id
                  FROM unnest(%(ids)s::int[], %(policies)s::int[])
                       AS v(partner_id, policy_id)
                 WHERE m.company_id = %(company)s
                   AND m.partner_id = v.partner_id
                   AND m.sla_policy_id IS DISTINCT FROM v.policy_id
             RETURNING m.partner_id
                """,
                ids=ids,
                policies=[assigned.get(pid) for pid in ids],
                company=company.id,
            )
        )
        self.invalidate_model(["sla_policy_id"])
        return [r[0] for r in rows]

    @api.model
    def _sla_reason_template(self, company):
        """Translated '<target> <value> (target <limit>)' for PostgreSQL format()."""
        env = self.with_context(lang=company.partner_id.lang or "en_US").env
        template = env._("%(target)s %(value)s (target %(limit)s)")
        template = self._pg_format(template, ["target", "value", "limit"])
        labels = {
            "otif": env._("OTIF %"),
            "fill": env._("Fill rate %"),
            "cycle": env._("Cycle time (days)"),
            "ret": env._("Return rate %"),
        }
        return template, labels

    @api.model
    def _sla_evaluate_query(self, partner_ids, company):
        tz, as_of = self._as_of(company)
        template, labels = self._sla_reason_template(company)
        reason = SQL(", ").join(
            SQL(
                "CASE WHEN %(gap)s < warning_margin THEN format(%(tpl)s, %(label)s, "
                "%(value)s, %(limit)s) END",
                gap=SQL.identifier(f"{key}_gap"),
                tpl=template,
                label=labels[key],
                value=SQL.identifier(key),
                limit=SQL.identifier(limit),
            )
            for key, limit in (
                ("otif", "target_otif_rate"),
                ("fill", "target_fill_rate"),
                ("cycle", "target_cycle_time_days"),
                ("ret", "target_return_rate"),
            )
        )
        promise_day = SQL(
            "(s.first_promised_date AT TIME ZONE 'UTC' AT TIME ZONE %s)::date", tz
        )
        return SQL(
            """
            WITH pm AS (
                SELECT m.id, m.partner_id, m.sla_status AS old_status,
                       p.id AS policy_id, p.window_days,
                       p.late_tolerance_days AS late_tol,
                       p.qty_tolerance_percent AS qty_tol,
                       p.target_otif_rate, p.target_fill_rate,
                       p.target_cycle_time_days, p.target_return_rate,
                       COALESCE(p.warning_margin, 0) AS warning_margin
                  FROM crm_relationship_metrics m
                  LEFT JOIN crm_sla_policy p ON p.id = m.sla_policy_id
                 WHERE m.company_id = %(company)s AND m.partner_id = ANY(%(ids)s)
            ), o AS (
                -- the customer's orders due in the policy's window, with the
                -- policy's late tolerance
                SELECT pm.id AS mid, s.id AS sid, s.delivered_date,
                       s.cycle_time_days, pm.qty_tol,
                       s.service_level_state IN ('on_time', 'late') AS closed,
                       %(promise_day)s + pm.late_tol AS due_day
                  FROM pm
                  JOIN crm_order_service s ON s.partner_id = pm.partner_id
                                          AND s.company_id = %(company)s
                 WHERE pm.policy_id IS NOT NULL
                   AND s.service_level_state != 'na'
                   AND %(promise_day)s + pm.late_tol
                       > %(as_of)s::date - pm.window_days
                   AND %(promise_day)s + pm.late_tol < %(as_of)s::date
            ), dl AS (
                -- quantity of each line delivered by the policy's due day
                SELECT ls.line_id, sum(mv.quantity / mu.factor * pu.factor) AS qty
                  FROM o
                  JOIN crm_order_line_service ls ON ls.service_id = o.sid
                  JOIN sale_order_line l ON l.id = ls.line_id
                  JOIN stock_move mv ON mv.sale_line_id = l.id
                                    AND mv.product_id = l.product_id
                                    AND mv.state = 'done'
                  JOIN stock_location loc ON loc.id = mv.location_dest_id
                                         AND loc.usage = 'customer'
                  JOIN uom_uom mu ON mu.id = mv.product_uom
                  JOIN product_product pp ON pp.id = mv.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  JOIN uom_uom pu ON pu.id = pt.uom_id
                 WHERE (mv.date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date
                       <= o.due_day
                 GROUP BY ls.line_id
            ), oagg AS (
                SELECT o.mid, o.sid,
                       bool_and(ls.delivered_qty >= ls.ordered_qty
                                * (1 - o.qty_tol / 100.0) - %(eps)s) AS in_full,
                       o.closed AND sum(ls.delivered_qty) > %(eps)s
                           AND o.delivered_date <= o.due_day AS on_time,
                       CASE WHEN o.closed THEN o.cycle_time_days END AS cycle,
                       sum(ls.ordered_qty) AS ordered,
                       sum(LEAST(COALESCE(dl.qty, 0), ls.ordered_qty)) AS on_time_qty,
                       sum(ls.returned_qty) AS returned,
                       sum(ls.delivered_qty) AS delivered
                  FROM o
                  JOIN crm_order_line_service ls ON ls.service_id = o.sid
                  LEFT JOIN dl ON dl.line_id = ls.line_id
                 GROUP BY o.mid, o.sid, o.closed, o.delivered_date, o.due_day,
                          o.cycle_time_days
            ), pagg AS (
                SELECT mid, count(*) AS n,
                       count(*) FILTER (WHERE on_time AND in_full) AS otif,
                       sum(on_time_qty) AS on_time_qty, sum(ordered) AS ordered,
                       avg(cycle) AS cycle,
                       sum(returned) AS returned, sum(delivered) AS delivered
                  FROM oagg
                 GROUP BY mid
            ), vals AS (
                SELECT pm.*, COALESCE(a.n, 0) AS n,
                       round((100.0 * a.otif / a.n)::numeric, 2)::float AS otif,
                       round((100 * a.on_time_qty / NULLIF(a.ordered, 0))::numeric, 2)
                           ::float AS fill,
                       round(a.cycle::numeric, 2)::float AS cycle,
                       round((100 * a.returned / NULLIF(a.delivered, 0))::numeric, 2)
                           ::float AS ret
                  FROM pm
                  LEFT JOIN pagg a ON a.mid = pm.id
            ), gaps AS (
                -- per used target, how far the figure is on the good side
                SELECT v.*,
                       CASE WHEN target_otif_rate > 0
                            THEN otif - target_otif_rate END AS otif_gap,
                       CASE WHEN target_fill_rate > 0
                            THEN fill - target_fill_rate END AS fill_gap,
                       CASE WHEN target_cycle_time_days > 0
                            THEN target_cycle_time_days - cycle END AS cycle_gap,
                       CASE WHEN target_return_rate > 0
                            THEN target_return_rate - ret END AS ret_gap
                  FROM vals v
            ), st AS (
                SELECT g.id, g.old_status, g.n, g.otif, g.fill, g.cycle, g.ret,
                       CASE WHEN g.policy_id IS NULL OR g.n = 0 THEN 'none'
                            WHEN LEAST(otif_gap, fill_gap, cycle_gap, ret_gap) < 0
                                THEN 'breached'
                            WHEN LEAST(otif_gap, fill_gap, cycle_gap, ret_gap)
                                 < warning_margin THEN 'warning'
                            ELSE 'met'
                       END AS status,
                       CASE WHEN g.policy_id IS NOT NULL AND g.n > 0
                            THEN NULLIF(concat_ws('; ', %(reason)s), '') END AS reason
                  FROM gaps g
            ), upd AS (
                UPDATE crm_relationship_metrics m
                   SET sla_order_count = st.n, sla_otif_rate = st.otif,
                       sla_fill_rate = st.fill, sla_cycle_time_days = st.cycle,
                       sla_return_rate = st.ret, sla_status_reason = st.reason,
                       sla_status = COALESCE(m.sla_status, 'none')
                  FROM st
                 WHERE m.id = st.id
                   AND (m.sla_order_count, m.sla_otif_rate, m.sla_fill_rate,
                        m.sla_cycle_time_days, m.sla_return_rate,
                        m.sla_status_reason, m.sla_status IS NULL)
                       IS DISTINCT FROM
                       (st.n, st.otif, st.fill, st.cycle, st.ret, st.reason, FALSE)
            )
            SELECT id, status
              FROM st
             WHERE status != COALESCE(old_status, 'none')
            """,
            company=company.id,
            ids=list(partner_ids),
            promise_day=promise_day,
            as_of=as_of,
            tz=tz,
            eps=EPSILON,
            reason=reason,
        )

    @api.model
    def _sla_any_policy(self, company):
        """Whether the company has a service-level policy, archived or not."""
        return bool(
            self.env["crm.sla.policy"]
            .with_context(active_test=False)
            .search_count([("company_id", "=", company.id)], limit=1)
        )

    @api.model
    def _sla_evaluate(self, partner_ids, company):
        """Policy figures and status of these customers; follow up the changes."""
        for model in ("crm.order.service", "crm.order.line.service", "crm.sla.policy"):
            self.env[model].flush_model()
        self.flush_model()
        if not self._sla_any_policy(company) and not self.env.execute_query(
            SQL(
                """
                SELECT 1 FROM crm_relationship_metrics
                 WHERE company_id = %s AND partner_id = ANY(%s)
                   AND (sla_status != 'none' OR sla_order_count != 0
                        OR sla_status_reason IS NOT NULL)
                 LIMIT 1
                """,
                company.id,
                list(partner_ids),
            )
        ):
            # no policy and no status left from one: nothing to measure
            return self.browse()
        rows = self.env.execute_query(self._sla_evaluate_query(partner_ids, company))
        self.invalidate_model(SLA_COLUMNS + ["sla_status"])
        by_status = {}
        for record_id, status in rows:
            by_status.setdefault(status, []).append(record_id)
        today = self._as_of(company)[1]
        changed = self.browse()
        for status, ids in by_status.items():
            records = self.browse(ids)
            old = {r.id: r.sla_status or "none" for r in records}
            # through the ORM: automation rules on the status see the change
            records.write({"sla_status": status, "sla_status_date": today})
            records._sla_log_change(old)
            changed |= records
        if changed:
            changed._sla_follow_up()
        return changed

    def _sla_log_change(self, old):
        labels = dict(self._fields["sla_status"]._description_selection(self.env))
        bodies = {}
        for record in self:
            bodies[record.partner_id.id] = _(
                "Service level in %(company)s under %(policy)s: %(old)s → %(new)s"
                "%(reason)s",
                company=record.company_id.name,
                policy=record.sla_policy_id.name or _("no policy"),
                old=labels.get(old.get(record.id, "none")),
                new=labels.get(record.sla_status),
                reason=f" ({record.sla_status_reason})"
                if record.sla_status_reason
                else "",
            )
        self._log_notes(bodies)

    def _sla_follow_up(self):
        """Close the activities of the previous status, follow up the new one."""
        open_activities = self.sla_activity_ids
        if open_activities:
            open_activities.action_feedback(
                feedback=_("Closed: the service-level status changed.")
            )
        for policy in self.sla_policy_id:
            records = self.filtered(
                lambda m, p=policy: m.sla_policy_id == p
                and (
                    m.sla_status == "breached"
                    or (m.sla_status == "warning" and p.follow_up_on == "warning")
                )
            )
            if not records:
                continue
            if policy.activity_type_id:
                records._sla_schedule_activities(policy)
            if policy.mail_template_id:
                recipients = records.partner_id._relationship_mail_recipients()
                if recipients:
                    policy.mail_template_id.send_mail_batch(recipients.ids)

    def _sla_schedule_activities(self, policy):
        deadline = fields.Date.context_today(self) + timedelta(
            days=policy.activity_days
        )
        managers = self.env["res.users"]
        if policy.activity_user_mode == "stock_manager":
            managers = (
                self.env.ref("stock.group_stock_manager")
                .users.filtered(
                    lambda u: policy.company_id in u.company_ids and not u.share
                )
                .sorted("id")
            )
        by_user = {}
        for record in self:
            users = managers
            if policy.activity_user_mode == "salesperson":
                users = record.partner_id.user_id
            users = users or policy.activity_user_id
            for user in users:
                by_user.setdefault(user, self.browse())
                by_user[user] |= record
        labels = dict(self._fields["sla_status"]._description_selection(self.env))
        by_record = {}
        for user, records in by_user.items():
            for record in records:
                activity = record.partner_id.activity_schedule(
                    activity_type_id=policy.activity_type_id.id,
                    summary=policy.activity_summary
                    or _(
                        "%(policy)s: %(status)s",
                        policy=policy.name,
                        status=labels[record.sla_status],
                    ),
                    note=record.sla_status_reason or "",
                    user_id=user.id,
                    date_deadline=deadline,
                )
                by_record.setdefault(record, []).append(activity.id)
        for record, activity_ids in by_record.items():
            record.sla_activity_ids = [Command.set(activity_ids)]

    @api.model
    def _sla_evaluate_company(self, company):
        """All customers of the company (policy created or changed, on demand)."""
        self = self.sudo()
        partner_ids = self.search([("company_id", "=", company.id)]).partner_id.ids
        for start in range(0, len(partner_ids), 1000):
            chunk = partner_ids[start : start + 1000]
            changed = self._sla_match(chunk, company)
            if changed:
                self._compute_service(changed, company)
            self._sla_evaluate(chunk, company)
        self._compute_service_reason(company)
