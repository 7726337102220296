# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, models
from odoo.exceptions import AccessError, UserError


class ResPartner(models.Model):
    """What users do on a customer's relationship: set the stage by hand (and
    unlock it) under the customer's own record rules, ask for a recompute,
    open its requests and commitments; the values rows behind it."""

    _inherit = "res.partner"  # pylint: disable=R8180

    def write(self, vals):
        if "relationship_stage_id" not in vals:
            return super().write(vals)
        vals = dict(vals)
        stage = self.env["crm.relationship.stage"].browse(
            vals.pop("relationship_stage_id")
        )
        if not stage:
            raise UserError(_("A customer's relationship stage cannot be emptied."))
        res = super().write(vals) if vals else True
        self._relationship_set_stage_by_hand(stage)
        return res

    def action_relationship_refresh(self):
        """Queue the selected customers for a recomputation in the current
        company: the scheduled action computes them within a minute, outside
        the user's request."""
        self.check_access("read")
        if not self.env.user.has_group("crm_relationship.crm_relationship_group_user"):
            raise AccessError(
                _("Only relationship users may recompute relationship values.")
            )
        partners = self.commercial_partner_id
        company = self.env.company
        # sudo: the queue is the engine's; the user only asks for a recompute
        self.env["crm.relationship.queue"].sudo()._enqueue(
            {(partner.id, company.id) for partner in partners}
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": _(
                    "%(count)s customer(s) queued: their values are recomputed "
                    "in the background within a minute.",
                    count=len(partners),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_relationship_unlock(self):
        self.check_access("read")
        if not self.env.user.has_group("crm_relationship.crm_relationship_group_user"):
            raise AccessError(_("Only relationship users may unlock a stage."))
        metrics = self.commercial_partner_id.relationship_metrics_id
        # the customers' own record rules (a salesperson limited to own
        # documents unlocks only their customers)
        metrics.sudo(False).check_access("read")
        # sudo: the lock lives on the engine's table, which users only read
        metrics.sudo().write({"stage_locked": False})
        metrics.sudo()._evaluate_stages()
        return True

    def action_view_customer_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "crm_relationship.crm_customer_request_action"
        )
        partner = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", partner.id)]
        action["context"] = {
            "default_partner_id": partner.id,
            "search_default_filter_open": 1,
        }
        return action

    def action_view_commitments(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "crm_relationship.crm_commitment_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["display_name"] = _(
            "Commitments to %(customer)s",
            customer=self.commercial_partner_id.display_name,
        )
        return action

    def _relationship_metrics(self, company=None):
        """The metrics rows of these customers in ``company``, created if missing."""
        company = company or self.env.company
        # sudo: the values rows are the engine's; callers check rights first
        Metrics = self.env["crm.relationship.metrics"].sudo()
        partners = self.commercial_partner_id.with_company(company)
        missing = partners.filtered(lambda p: not p.relationship_metrics_id)
        if missing:
            Metrics._refresh(missing.ids, company, evaluate_stages=False)
            partners.invalidate_recordset(["relationship_metrics_id"])
        # sudo: the values rows are the engine's; callers check rights first
        return partners.relationship_metrics_id.sudo()

    def _relationship_mail_recipients(self):
        """Consent: the customers our follow-up emails may be sent to.

        Addresses on Odoo's blacklist (unsubscribed, opted out) are skipped.
        """
        return self.filtered(lambda p: p.email_normalized and not p.is_blacklisted)

    def _relationship_set_stage_by_hand(self, stage):
        self.check_access("read")
        if not self.env.user.has_group("crm_relationship.crm_relationship_group_user"):
            raise AccessError(
                _("Only relationship users may set a customer's stage by hand.")
            )
        if stage.company_id and stage.company_id != self.env.company:
            raise UserError(
                _("Stage %(stage)s belongs to another company.", stage=stage.name)
            )
        rows = self._relationship_metrics()
        # the customers' own record rules (a salesperson limited to own
        # documents moves only their customers)
        rows.sudo(False).check_access("read")
        # sudo: stage changes are written on the engine's table, after the
        # access checks above
        rows._set_stage(stage, reason="user", lock=True)
