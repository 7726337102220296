# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

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

    @api.model
    def _compute_batch(self, partner_ids, company):
        changed = super()._compute_batch(partner_ids, company)
        self._compute_service(partner_ids, company)
        return changed

    @api.model
    def _service_threshold_sql(self, company):
        """The OTIF target each customer is measured against."""
        return SQL("%s::float", company.service_risk_otif_threshold)

    @api.model
    def _compute_service(self, partner_ids, company):
        self.env["crm.order.service"].flush_model()
        tz, as_of = self._as_of(company)
        start = as_of - timedelta(days=company.service_window_days)
        self.env.cr.execute(
            SQL(
                """
                WITH o AS (
                    SELECT s.*
                      FROM crm_order_service s
                     WHERE s.company_id = %(company)s
                       AND s.partner_id = ANY(%(ids)s)
                       AND s.service_level_state != 'na'
                       AND s.due_date > %(start)s AND s.due_date < %(as_of)s
                ), agg AS (
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
                      FROM o
                     GROUP BY partner_id
                ), vals AS (
                    SELECT m.id,
                           COALESCE(a.n, 0) AS n,
                           round((100.0 * a.otif / a.n)::numeric, 2)::float AS otif,
                       round((100.0 * a.on_time / a.n)::numeric, 2)::float AS on_time,
                       round((100.0 * a.in_full / a.n)::numeric, 2)::float AS in_full,
                       round((100.0 * a.perfect / a.n)::numeric, 2)::float AS perfect,
                       round((100 * a.on_time_qty / NULLIF(a.ordered, 0))::numeric, 2)
                               ::float AS fill,
                           round(a.cycle::numeric, 2)::float AS cycle,
                       round((100 * a.returned / NULLIF(a.delivered, 0))::numeric, 2)
                               ::float AS ret,
                           COALESCE(a.late, 0) AS late,
                           COALESCE(a.n > 0
                                    AND 100.0 * a.otif / a.n < %(threshold)s, FALSE)
                               AS at_risk
                      FROM crm_relationship_metrics m
                      LEFT JOIN agg a ON a.partner_id = m.partner_id
                     WHERE m.company_id = %(company)s AND m.partner_id = ANY(%(ids)s)
                )
                UPDATE crm_relationship_metrics m
                   SET (service_order_count, service_otif_rate, service_on_time_rate,
                        service_in_full_rate, service_perfect_order_rate,
                        service_fill_rate, service_cycle_time_days,
                        service_return_rate, service_late_order_count,
                        service_at_risk)
                     = (v.n, v.otif, v.on_time, v.in_full, v.perfect, v.fill, v.cycle,
                        v.ret, v.late, v.at_risk)
                  FROM vals v
                 WHERE m.id = v.id
                   AND (m.service_order_count, m.service_otif_rate,
                        m.service_on_time_rate, m.service_in_full_rate,
                        m.service_perfect_order_rate, m.service_fill_rate,
                        m.service_cycle_time_days, m.service_return_rate,
                        m.service_late_order_count, m.service_at_risk)
                       IS DISTINCT FROM
                       (v.n, v.otif, v.on_time, v.in_full, v.perfect, v.fill, v.cycle,
                        v.ret, v.late, v.at_risk)
                """,
                company=company.id,
                ids=list(partner_ids),
                start=start,
                as_of=as_of,
                threshold=self._service_threshold_sql(company),
            )
        )
        self.invalidate_model(SERVICE_COLUMNS)

    @api.model
    def _compute_company(self, company):
        res = super()._compute_company(company)
        # the service failures decide the risk when the rhythm does not
        lang = company.partner_id.lang or "en_US"
        template = self.with_context(lang=lang).env._(
            "OTIF %(otif)s%% over the last %(days)s days "
            "(%(late)s of %(count)s orders late or overdue)"
        )
        template = (
            template.replace("%%", "%")
            .replace("%", "%%")
            .replace("%%(otif)s", "%1$s")
            .replace("%%(days)s", "%2$s")
            .replace("%%(late)s", "%3$s")
            .replace("%%(count)s", "%4$s")
        )
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
        return res

    @api.model
    def _cron_enqueue_all(self):
        self.env["crm.order.service"]._cron_refresh_open()
        return super()._cron_enqueue_all()
