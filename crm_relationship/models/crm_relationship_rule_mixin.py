# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import math

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.models import READ_GROUP_NUMBER_GRANULARITY
from odoo.osv import expression
from odoo.tools.safe_eval import safe_eval

_logger = logging.getLogger(__name__)

# what a rule can raise when it runs (a value of the wrong type, a field
# changed under it...): skipped and shown; a programming error propagates
RULE_ERRORS = (psycopg2.Error, UserError, ValueError, TypeError, KeyError)

# PostgreSQL's integer column
INT_MAX = 2**31 - 1


def check_number(env, value, label, low=None, high=None):
    """Raise a ValidationError naming ``label`` unless ``value`` is a finite
    number within [``low``, ``high``] (either bound may be None)."""
    if value is None or value is False:
        value = 0
    if not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(env._("%(field)s must be a finite number.", field=label))
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValidationError(
            env._(
                "%(field)s must be between %(low)s and %(high)s (got %(value)s).",
                field=label,
                low=low,
                high=high,
                value=value,
            )
        )


def check_number_vals(model, vals):
    """Raise a ValidationError for a number of ``vals`` that cannot be stored:
    an integer the database cannot hold, a NaN or infinite float (instead of
    a raw database or rounding error on the write)."""
    for name, value in vals.items():
        field = model._fields.get(name)
        if field is None or isinstance(value, bool) or value is None:
            continue
        label = field.get_description(model.env)["string"]
        if (
            field.type == "integer"
            and isinstance(value, int)
            and not -INT_MAX <= value <= INT_MAX
        ):
            raise ValidationError(
                model.env._(
                    "%(field)s: %(value)s is far too large.",
                    field=label,
                    value=value,
                )
            )
        if (
            field.type in ("float", "monetary")
            and isinstance(value, int | float)
            and not math.isfinite(value)
        ):
            raise ValidationError(
                model.env._("%(field)s must be a finite number.", field=label)
            )


class CrmRelationshipRuleMixin(models.AbstractModel):
    """A low-code rule on contacts (a stage rule, a service-level policy's
    customers): validated for what it will do when saved, and, when it still
    fails at run time (a field changed under it), skipped by the engine and
    the failure shown on the record (docs/user-guide.md, "Rules that fail")."""

    _name = "crm.relationship.rule.mixin"
    _description = "Relationship Rule"

    # {model name: field name prefixes a rule may not read on that model}:
    # the fields that depend on what the rule decides
    _rule_circular_prefixes = {}

    rule_error = fields.Text(
        string="Rule Error",
        readonly=True,
        copy=False,
        help="The last run of this rule failed (a field it reads changed or was "
        "removed...): the engine skipped the rule and went on with the others. "
        "Cleared when the rule runs again without error.",
    )
    rule_error_date = fields.Datetime(readonly=True, copy=False)

    @api.model
    def _rule_label(self):
        """How messages name the rule ("The rule of stage")."""
        return self._description

    def _rule_domain(self, company=None):
        """This record's domain on contacts (``_parse_rule`` of its text)."""
        raise NotImplementedError

    def _parsed_rules(self, company):
        """[(record, domain)] of these records, in their order, for the
        engine: a record whose rule no longer parses or checks is skipped,
        its failure kept on it, and the others go on."""
        rules = []
        for record in self:
            try:
                rules.append((record, record._rule_domain(company)))
            except RULE_ERRORS as error:  # a broken rule must not stop the others
                _logger.warning("Rule of %s skipped: %s", record.display_name, error)
                record._record_rule_error(error)
        return rules

    def _parse_rule(self, text, company=None):
        """The domain of the rule ``text``, evaluated as the engine does
        (``context_today()`` in the company's time zone, ``relativedelta``),
        with every field of every path checked before Odoo builds the query
        (it would drop a condition on a field it cannot search), then the
        query built. Raise a ValidationError when unusable."""
        self.ensure_one()
        context = self.env["crm.relationship.stage"]._rule_eval_context(company)
        try:
            domain = safe_eval(text or "[]", context)
            if not isinstance(domain, list | tuple):
                raise ValueError(self.env._("a domain is a list"))
            domain = list(domain)
            expression.normalize_domain(domain)
        except Exception as error:  # whatever the text does is the rule's
            raise ValidationError(
                self.env._(
                    "%(what)s '%(name)s' cannot be used: it is not a valid domain "
                    "on contacts (%(error)s).",
                    what=self._rule_label(),
                    name=self.display_name,
                    error=error,
                )
            ) from error
        self._check_rule_builds(domain)
        return domain

    def _check_rule(self, domain, company=None):
        """Run ``domain`` (on contacts, parsed and checked by ``_parse_rule``)
        once as the engine will, each condition alone, then the whole. Raise
        a ValidationError naming the condition."""
        company = company or self.env.company
        Partner = self.env["res.partner"].with_company(company)
        leaves = self._rule_leaves(domain)
        for leaf in leaves:
            self._check_rule_runs([leaf], Partner, leaf)
        # the whole domain too: its operators combine the leaves
        self._check_rule_runs(domain, Partner, None)

    @api.model
    def _rule_leaves(self, domain):
        """The conditions of ``domain`` (its leaves but the constant ones)."""
        return [
            leaf
            for leaf in expression.normalize_domain(domain)
            if expression.is_leaf(leaf)
            and leaf not in (expression.TRUE_LEAF, expression.FALSE_LEAF)
        ]

    def _check_rule_paths(self, domain):
        """Check the path of every leaf of ``domain`` (no query: the engine
        calls it before each run too, since a field can stop being searchable
        after an upgrade, and Odoo would then drop the condition and match
        everyone). Return the leaves."""
        leaves = self._rule_leaves(domain)
        for leaf in leaves:
            self._check_rule_path(leaf)
        return leaves

    def _check_rule_builds(self, domain):
        """Build the query of ``domain`` without running it (operators and
        values Odoo converts: text for a number...); a failure raises a
        ValidationError naming the condition."""
        Partner = self.env["res.partner"]
        for leaf in self._check_rule_paths(domain):
            try:
                Partner._search([leaf])
            except Exception as error:  # any failure is the condition's
                raise ValidationError(self._rule_message(leaf, error)) from error
        try:
            Partner._search(domain)
        except Exception as error:  # the operators combining the leaves
            raise ValidationError(
                self.env._(
                    "%(what)s '%(name)s' cannot be used: %(error)s",
                    what=self._rule_label(),
                    name=self.display_name,
                    error=error,
                )
            ) from error

    def _check_rule_path(self, leaf):
        """Every step of ``leaf``'s path: known, searchable, not circular."""
        path = leaf[0]
        if not isinstance(path, str):
            raise ValidationError(self._rule_message(leaf, _("no field is named")))
        model = self.env["res.partner"]
        names = path.split(".")
        for position, name in enumerate(names):
            field = model._fields.get(name)
            if field is None:
                raise ValidationError(
                    self._rule_message(
                        leaf,
                        _(
                            "%(model)s has no field %(field)s",
                            model=model._description,
                            field=name,
                        ),
                    )
                )
            if not field._description_searchable:
                raise ValidationError(
                    self._rule_message(
                        leaf,
                        _(
                            "the field %(field)s is computed and cannot be searched",
                            field=name,
                        ),
                    )
                )
            if name.startswith(self._rule_circular_prefixes.get(model._name, ())):
                raise ValidationError(
                    self._rule_message(
                        leaf,
                        _(
                            "the field %(field)s depends on what this rule decides",
                            field=name,
                        ),
                    )
                )
            if position < len(names) - 1:
                if (
                    field.type in ("date", "datetime")
                    and position == len(names) - 2
                    and names[-1] in READ_GROUP_NUMBER_GRANULARITY
                ):
                    return
                if not field.relational:
                    raise ValidationError(
                        self._rule_message(
                            leaf,
                            _(
                                "the field %(field)s is not a relation: the path "
                                "cannot go on",
                                field=name,
                            ),
                        )
                    )
                model = self.env[field.comodel_name]

    def _check_rule_runs(self, domain, Partner, leaf):
        """Run ``domain`` once on the company's contacts (one row at most), as
        the engine will; a failure (a date that is not a date, text for a
        number...) raises a ValidationError naming ``leaf``."""
        try:
            with self.env.cr.savepoint():
                query = Partner._search(list(domain), limit=1)
                # the error goes to the administrator, not to the server log
                self.env.cr.execute(query.select(), log_exceptions=False)
        except Exception as error:  # any failure of the search is the rule's
            reason = str(error).strip().splitlines()[0] if str(error) else repr(error)
            raise ValidationError(
                self._rule_message(leaf, reason)
                if leaf
                else _(
                    "%(what)s '%(name)s' cannot be used: %(error)s",
                    what=self._rule_label(),
                    name=self.display_name,
                    error=reason,
                )
            ) from error

    def _rule_message(self, leaf, reason):
        return _(
            "%(what)s '%(name)s' cannot be used: in the condition "
            "%(condition)s, %(reason)s.",
            what=self._rule_label(),
            name=self.display_name,
            condition=str(tuple(leaf)) if isinstance(leaf, list | tuple) else leaf,
            reason=reason,
        )

    def _record_rule_error(self, error):
        """The rule failed at run time: keep why on the record."""
        # sudo: the engine records it whoever triggered the computation
        self.sudo().write(
            {
                "rule_error": str(error)[:2000] or repr(error),
                "rule_error_date": fields.Datetime.now(),
            }
        )

    def _clear_rule_error(self):
        # sudo: the engine clears it whoever triggered the computation
        failed = self.sudo().filtered("rule_error")
        if failed:
            failed.write({"rule_error": False, "rule_error_date": False})
