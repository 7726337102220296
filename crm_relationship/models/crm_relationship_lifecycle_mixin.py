# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.osv import expression
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL

from ..engine import lifecycle_queries
from .crm_relationship_rule_mixin import RULE_ERRORS

_logger = logging.getLogger(__name__)


class CrmRelationshipLifecycleMixin(models.AbstractModel):
    """The lifecycle of customers' values rows: stage rules evaluated in
    sequence (first match), moves written through the ORM (one ``write`` per
    target stage and batch, so that ``write`` overrides, automation rules,
    audit logs and tracking see them), history rows, chatter notes
    (``_message_log_batch``) and follow-ups. ``crm.relationship.metrics``
    uses it for stages, and crm_supply_chain_link's service-level statuses
    reuse its notes
    (docs/user-guide.md, "Stages and rules (administrators)")."""

    _name = "crm.relationship.lifecycle.mixin"
    _description = "Relationship Lifecycle"

    def _evaluate_stages(self):
        """Set the first stage (by sequence) whose rule matches, per company."""
        for company in self.company_id:
            records = self.filtered(lambda m, c=company: m.company_id == c)
            self._evaluate_stage_rules(
                records.partner_id.ids, company, self._stage_rules(company)
            )

    @api.model
    def _stage_rules(self, company):
        """[(stage, domain on contacts)] of ``company``, by sequence; a rule
        that no longer parses is skipped and shown (the rule mixin)."""
        return (
            self.env["crm.relationship.stage"]
            .search([("company_id", "in", (False, company.id))], order="sequence, id")
            ._parsed_rules(company)
        )

    @api.model
    def _evaluate_stage_rules(self, partner_ids, company, rules):
        """Move the unlocked customers among ``partner_ids`` to the stage of
        the first rule they match: one query per rule, then one move per
        stage; only the rows that move are read through the ORM."""
        self.flush_model(["stage_id", "stage_locked"])
        rows = self.env.execute_query(
            lifecycle_queries.unlocked_rows(company.id, partner_ids)
        )
        target = self._first_matches({row[1] for row in rows}, company, rules)
        by_stage = {}
        old_stage_ids = {}
        for metrics_id, partner_id, stage_id in rows:
            stage = target.get(partner_id)
            if stage and stage.id != stage_id:
                by_stage.setdefault(stage, []).append(metrics_id)
                old_stage_ids[metrics_id] = stage_id
        for stage, ids in by_stage.items():
            self.browse(ids)._set_stage(
                stage, reason="rule", old_stage_ids=old_stage_ids
            )

    @api.model
    def _first_matches(self, partner_ids, company, rules):
        """{partner id: config (stage, policy) of the first rule of ``rules``
        ([(config, domain)]) it matches} for the customers among
        ``partner_ids``: one query per rule.

        The rules run in one savepoint; when one fails (a field it reads
        changed type...), they run again each in its own savepoint: the
        failing one matches no one, its failure is kept on its config and
        every other rule and customer goes on. Concurrency errors propagate
        (the cron runner retries the call)."""
        try:
            with self.env.cr.savepoint(flush=False):
                target, ran = self._first_matches_of(partner_ids, company, rules)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise
        except RULE_ERRORS:  # configuration must never stop the engine
            return self._first_matches_of(partner_ids, company, rules, guarded=True)[0]
        # the rules that ran went through: their alerts go
        for config in ran:
            config._clear_rule_error()
        return target

    @api.model
    def _first_matches_of(self, partner_ids, company, rules, guarded=False):
        """(target, the configs whose rule ran) of ``_first_matches``;
        ``guarded``: each rule in a savepoint of its own."""
        pending = set(partner_ids)
        target = {}
        ran = []
        for config, domain in rules:
            if not pending:
                break
            if guarded:
                matched = self._match_rule_safely(pending, domain, company, config)
            else:
                matched = self._match_rule(pending, domain, company)
            ran.append(config)
            target.update(dict.fromkeys(matched, config))
            pending -= matched
        return target, ran

    @api.model
    def _match_rule_safely(self, partner_ids, domain, company, config):
        """``_match_rule`` in a savepoint: a failing rule matches no one and
        its failure is kept on ``config``."""
        try:
            with self.env.cr.savepoint(flush=False):
                matched = self._match_rule(partner_ids, domain, company)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise
        except RULE_ERRORS as error:  # configuration must never stop the engine
            _logger.warning("Rule of %s skipped: %s", config.display_name, error)
            config._record_rule_error(error)
            return set()
        config._clear_rule_error()
        return matched

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

    def _lifecycle_change(self, vals, log, follow_up):
        """The sequence every change of a customer's stage or status follows:
        write ``vals`` on these rows in one ORM ``write`` (automation rules,
        tracking, audit logs and other addons' ``write`` see it), log the
        change (``log()``: history rows, chatter notes), then ``follow_up()``
        (activities, emails) in a savepoint."""
        self.write(vals)
        # the partner's related fields read these rows
        self._invalidate_partner_fields()
        log()
        if follow_up:
            # the values and the move are kept whatever the follow-up does
            self._safely("Relationship follow-up", follow_up)

    def _safely(self, what, call, config=None):
        """Run ``call`` in a savepoint: a failure is logged (and recorded on
        ``config``, the stage or policy) and rolled back alone. Concurrency
        errors propagate: the cron runner retries the whole call in a new
        transaction."""
        try:
            with self.env.cr.savepoint():
                call()
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise
        except Exception as error:
            _logger.exception("%s of %s customers failed, skipped", what, len(self))
            if config:
                config._record_follow_up_error(error)
            return
        if config:
            config._clear_follow_up_error()

    def _follow_up_mail(self, template, config=None):
        """Send ``template`` to these customers who accept emails (Odoo's
        blacklist is respected), in one render for the batch. A template that
        fails (it does not render...) is recorded on ``config`` and skipped."""
        if not template:
            return
        recipients = self.partner_id._relationship_mail_recipients()
        if recipients:
            self._safely(
                f"Mail {template.display_name}",
                lambda: template.send_mail_batch(recipients.ids),
                config=config,
            )

    def _set_stage(self, stage, reason="rule", lock=None, old_stage_ids=None):
        """Move these rows to ``stage`` through the ORM, logged and followed up.

        Works per batch: one write, one history insert, one insert of chatter
        notes and the follow-ups, whatever the number of customers.
        ``old_stage_ids`` ({row id: stage id}), when the caller read them, saves
        reading the rows.
        """
        Stage = self.env["crm.relationship.stage"]
        if old_stage_ids is None:
            old_stage_ids = {record.id: record.stage_id.id for record in self}
        moved = self.browse(
            [rid for rid in self.ids if old_stage_ids.get(rid) != stage.id]
        )
        # one move per company: the stage date is a day of its time zone
        for company in moved.company_id:
            rows = moved.filtered(lambda r, c=company: r.company_id == c)
            old_stages = {rid: Stage.browse(old_stage_ids.get(rid)) for rid in rows.ids}
            vals = {"stage_id": stage.id, "stage_date": self._as_of(company)[1]}
            if lock is not None:
                vals["stage_locked"] = lock
            rows._lifecycle_change(
                vals,
                log=lambda rows=rows, old_stages=old_stages: rows._log_stage_moves(
                    old_stages, stage, reason
                ),
                follow_up=(lambda rows=rows: rows._stage_follow_up(stage))
                if stage.activity_type_id or stage.mail_template_id
                else None,
            )
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

    def _log_stage_moves(self, old_stages, stage, reason):
        """History rows and chatter notes of a move to ``stage`` (set-based).

        ``old_stages``: {metrics id: stage before the move}. The history
        records the values the move was decided on, read from the rows.
        """
        self.flush_recordset()
        ids = self.ids
        rows = self.env.execute_query(lifecycle_queries.rows_of(ids))
        Company = self.env["res.company"]
        days = {
            company: self._as_of(company)[1]
            for company in Company.browse({row[2] for row in rows})
        }
        self.env.cr.execute(
            lifecycle_queries.history_insert(
                ids,
                [old_stages[i].id or None for i in ids],
                stage.id,
                stage.stage_type,
                reason,
                uid=self.env.uid,
                now=fields.Datetime.now(),
                company_days={c.id: day for c, day in days.items()},
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
        chatter with ``_message_log_batch`` (one batch of messages, no
        notification)."""
        if not bodies:
            return
        html = {text: Markup("<p>%s</p>") % text for text in set(bodies.values())}
        self.env["res.partner"].browse(list(bodies))._message_log_batch(
            {partner_id: html[text] for partner_id, text in bodies.items()}
        )

    def _schedule_follow_up(self, config, summary, note=None):
        """Schedule the activity of ``config`` (a stage or a service-level
        policy, ``crm.relationship.follow.up.mixin``) on these rows'
        customers, due ``activity_days`` after today in the company's time
        zone (these rows are of one company), for the users
        ``config._follow_up_users`` names: one ``activity_schedule`` call per
        user, summary and note (``summary`` and ``note``: functions of a
        row). Return {row: its activities}."""
        result = {}
        if not config.activity_type_id or not self:
            return result
        deadline = self._as_of(self.company_id[:1])[1] + timedelta(
            days=config.activity_days
        )
        groups = {}
        for row in self:
            key_text = (summary(row), note(row) if note else "")
            for user in config._follow_up_users(row.partner_id, row.company_id):
                groups.setdefault((user, *key_text), []).append(row)
        Activity = self.env["mail.activity"]
        for (user, text, body), rows in groups.items():
            activities = self.browse([r.id for r in rows]).partner_id.activity_schedule(
                activity_type_id=config.activity_type_id.id,
                summary=text,
                note=body,
                user_id=user.id,
                date_deadline=deadline,
            )
            by_partner = {}
            for activity in activities:
                by_partner.setdefault(activity.res_id, Activity)
                by_partner[activity.res_id] |= activity
            for row in rows:
                result[row] = result.get(row, Activity) | by_partner.get(
                    row.partner_id.id, Activity
                )
        return result

    def _stage_follow_up(self, stage):
        """Schedule the stage's activity and send its mail template."""
        self._schedule_follow_up(
            stage, summary=lambda _row: stage.activity_summary or stage.name
        )
        self._follow_up_mail(stage.mail_template_id, config=stage)
