# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import Command, _, api, fields, models

from ..engine import customer_service_queries
from .crm_sla_policy import SLA_STATUSES

SLA_COLUMNS = [
    "sla_order_count",
    "sla_otif_rate",
    "sla_fill_rate",
    "sla_cycle_time_days",
    "sla_return_rate",
    "sla_status_reason",
]


class CrmRelationshipMetrics(models.Model):
    """The customer's service-level policy and status (METRICS 3,
    docs/service-level-policies.md): matched and evaluated after the company
    pass, status changes logged and followed up."""

    _inherit = "crm.relationship.metrics"  # pylint: disable=R8180

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
        string="Orders (policy window)",
        readonly=True,
        aggregator="sum",
        help="Orders due in the window of the customer's policy.",
    )
    sla_otif_rate = fields.Float(
        string="OTIF % (policy)",
        readonly=True,
        aggregator="avg",
        help="OTIF over the window and tolerances of the customer's policy.",
    )
    sla_fill_rate = fields.Float(
        string="Fill Rate % (policy)",
        readonly=True,
        aggregator="avg",
        help="Fill rate over the window and tolerances of the customer's policy.",
    )
    sla_cycle_time_days = fields.Float(
        string="Cycle Time (policy)",
        readonly=True,
        aggregator="avg",
        help="Mean cycle time in days over the window of the customer's policy.",
    )
    sla_return_rate = fields.Float(
        string="Return Rate % (policy)",
        readonly=True,
        aggregator="avg",
        help="Return rate over the window of the customer's policy.",
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
        # a customer not yet evaluated against the policies has the status
        # "none", not NULL, and no order counted yet
        self._set_column_defaults({"sla_status": "none", "sla_order_count": 0})
        return res

    # ------------------------------------------------------------------
    # Service-level policies
    # ------------------------------------------------------------------
    @api.model
    def _write_after_company(self, partner_ids, company):
        res = super()._write_after_company(partner_ids, company)
        changed = self._sla_match(partner_ids, company)
        if changed:
            # the OTIF risk threshold follows the policy
            self._write_service_rates(changed, company)
            self._write_service_reason(company)
        self._sla_evaluate(partner_ids, company)
        return res

    @api.model
    def _sla_match(self, partner_ids, company):
        """Set the first matching policy of each customer; return who changed."""
        if not self.env["crm.sla.policy"].search_count(
            [("company_id", "=", company.id)], limit=1
        ) and not self._sla_any_policy(company):
            # no policy was ever made in the company: nothing to assign or clear
            return []
        assigned = {
            partner_id: policy.id
            for partner_id, policy in self.env["crm.sla.policy"]
            ._match_customers(partner_ids, company)
            .items()
        }
        self.flush_model(["sla_policy_id"])
        ids = list(partner_ids)
        rows = self.env.execute_query(
            customer_service_queries.set_policies(
                company.id, ids, [assigned.get(pid) for pid in ids]
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
        return customer_service_queries.sla_evaluate(
            partner_ids, company.id, tz, as_of, template, labels
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
            customer_service_queries.has_policy_values(company.id, partner_ids)
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
            records._lifecycle_change(
                {"sla_status": status, "sla_status_date": today},
                log=lambda records=records, old=old: records._sla_log_change(old),
                follow_up=records._sla_follow_up,
            )
            changed |= records
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
            records._follow_up_mail(policy.mail_template_id, config=policy)

    def _sla_schedule_activities(self, policy):
        labels = dict(self._fields["sla_status"]._description_selection(self.env))
        scheduled = self._schedule_follow_up(
            policy,
            summary=lambda row: policy.activity_summary
            or self.env._(
                "%(policy)s: %(status)s",
                policy=policy.name,
                status=labels[row.sla_status],
            ),
            note=lambda row: row.sla_status_reason or "",
        )
        for record, activities in scheduled.items():
            record.sla_activity_ids = [Command.set(activities.ids)]
