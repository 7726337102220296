# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Low-code that cannot break the product: what an administrator or a careless
salesperson can give is checked when saved, and a rule that still fails at run
time is skipped and shown, never stopping the scheduled action."""

import re
from contextlib import contextmanager
from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .common import RelationshipCommon

LIFECYCLE_LOGGER = (
    "odoo.addons.crm_relationship.models.crm_relationship_lifecycle_mixin"
)
RULE_LOGGER = "odoo.addons.crm_relationship.models.crm_relationship_rule_mixin"


class TestLowCodeGuardsData:
    """The data and helpers of the TestLowCodeGuards tests (a mixin: not a test
    case of its own, so the runner never runs it)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Stage = cls.env["crm.relationship.stage"]
        cls.stage = cls.Stage.create(
            {
                "name": "Guarded",
                "stage_type": "active",
                "sequence": 1,
                "company_id": cls.company.id,
                "rule_domain": "[('rfm_frequency', '>=', 100)]",
            }
        )
        cls.manager = new_test_user(
            cls.env,
            login="guard_manager",
            groups="sales_team.group_sale_manager,"
            "crm_relationship.crm_relationship_group_manager",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.own_salesman = new_test_user(
            cls.env,
            login="guard_own_salesman",
            groups="sales_team.group_sale_salesman,"
            "crm_relationship.crm_relationship_group_user",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.other_salesman = new_test_user(
            cls.env,
            login="guard_other_salesman",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.portal = new_test_user(
            cls.env, login="guard_portal", groups="base.group_portal"
        )
        cls.archived = new_test_user(
            cls.env,
            login="guard_archived",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.archived.active = False
        Partner = cls.env["res.partner"]
        cls.mine = Partner.create(
            {"name": "Guard Mine", "user_id": cls.own_salesman.id, "customer_rank": 1}
        )
        cls.theirs = Partner.create(
            {
                "name": "Guard Theirs",
                "user_id": cls.other_salesman.id,
                "customer_rank": 1,
            }
        )

    @contextmanager
    def _refused(self, exception, regex):
        """``assertRaisesRegex`` rolled back to a savepoint, as Odoo's
        ``assertRaises`` is (a request that raises is rolled back whole)."""
        with self.assertRaisesRegex(exception, regex), self.env.cr.savepoint():
            yield

    # ---- the engine survives a bad rule anyway -------------------------
    def _break_rule(self, rule):
        """A rule that passed its checks once and fails now (as after a
        field's type changed in an upgrade): written past the ORM."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE crm_relationship_stage SET rule_domain = %s WHERE id = %s",
                rule,
                self.stage.id,
            )
        )
        self.stage.invalidate_recordset()


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30 12:00:00")
class TestLowCodeGuards(TestLowCodeGuardsData, RelationshipCommon):
    # ---- rules validated for what they will do -------------------------
    def test_rule_values_of_the_wrong_type_are_refused(self):
        for rule, condition in (
            # a date that is not a date
            (
                "[('last_order_date', '>', 'not a date')]",
                "('last_order_date', '>', 'not a date')",
            ),
            # text where a number is expected
            ("[('churn_risk', '>=', 'high')]", "('churn_risk', '>=', 'high')"),
            # the same through a path
            (
                "['|', ('rfm_frequency', '>', 2), "
                "('commercial_partner_id.recency_days', '<', 'ten')]",
                "('commercial_partner_id.recency_days', '<', 'ten')",
            ),
        ):
            with (
                self.subTest(rule=rule),
                self._refused(ValidationError, re.escape(condition)),
            ):
                self.stage.rule_domain = rule
        # nothing was changed
        self.stage.invalidate_recordset()
        self.assertEqual(self.stage.rule_domain, "[('rfm_frequency', '>=', 100)]")

    def test_unsearchable_and_unknown_fields_are_refused(self):
        for rule, reason in (
            # computed, no search method: Odoo would drop the condition
            ("[('contact_address', 'ilike', 'x')]", "cannot be searched"),
            (
                "[('commercial_partner_id.contact_address', 'ilike', 'x')]",
                "cannot be searched",
            ),
            ("[('parent_id.no_such_field', '=', 1)]", "no field no_such_field"),
            ("[('name.id', '=', 1)]", "not a relation"),
        ):
            with (
                self.subTest(rule=rule),
                self._refused(ValidationError, reason),
            ):
                self.stage.rule_domain = rule
        self.stage.invalidate_recordset()
        self.assertEqual(self.stage.rule_domain, "[('rfm_frequency', '>=', 100)]")

    def test_stage_rule_reading_the_stage_is_refused(self):
        for rule in (
            "[('relationship_stage_id.stage_type', '=', 'lost')]",
            "[('commercial_partner_id.relationship_stage_id', '!=', False)]",
            "[('relationship_metrics_id.stage_id', '=', False)]",
        ):
            with (
                self.subTest(rule=rule),
                self._refused(ValidationError, "depends on what this rule"),
            ):
                self.stage.rule_domain = rule
        # dates with a granularity and plain paths still pass
        self.stage.rule_domain = (
            "[('commercial_partner_id.recency_days', '>', 10), "
            "('create_date.year_number', '>=', 2000)]"
        )

    def test_blank_names_are_refused(self):
        with self._refused(ValidationError, "needs a name"):
            self.stage.name = "   "
        with self._refused(ValidationError, "needs a subject"):
            self.env["crm.customer.request"].create(
                {"name": " ", "partner_id": self.mine.id}
            )

    def test_scheduled_run_with_a_broken_rule_computes_everyone(self):
        customers = self.env["res.partner"].create(
            [{"name": f"Broken rule {i}", "customer_rank": 1} for i in range(3)]
        )
        for customer in customers:
            self._order(customer, "2026-06-01", 100.0)
        self.env["crm.relationship.queue"].search([]).unlink()
        if "crm.order.service.queue" in self.env:
            self.env["crm.order.service.queue"].search([]).unlink()
        self._break_rule("[('last_order_date', '>', 'not a date')]")
        self.env["crm.relationship.queue"]._enqueue(
            [(pid, self.company.id) for pid in customers.ids]
        )
        with mute_logger(LIFECYCLE_LOGGER, RULE_LOGGER, "odoo.sql_db"):
            done = self.Metrics._cron_process_queue()
        self.assertEqual(done, 3)
        rows = self.Metrics.search(
            [("partner_id", "in", customers.ids), ("company_id", "=", self.company.id)]
        )
        # every customer computed and staged by the next rules: one order 29
        # days ago, tenure <= 90 days: New
        self.assertEqual(len(rows), 3)
        self.assertEqual(set(rows.mapped("lifetime_order_count")), {1})
        self.assertEqual(
            set(rows.stage_id.mapped("stage_type")), {"new"}, "the next rules ran"
        )
        self.assertFalse(
            self.env["crm.relationship.queue"].search_count([("error", "!=", False)])
        )
        # the failure is shown on the stage and counted in the settings
        self.assertIn("not a date", self.stage.rule_error)
        self.assertEqual(self.stage.rule_error_date, datetime(2026, 6, 30, 12, 0))
        settings = self.env["res.config.settings"].with_company(self.company).create({})
        self.assertGreaterEqual(settings.relationship_rule_error_count, 1)
        action = settings.action_view_relationship_rule_errors()
        self.assertIn(self.stage.id, action["domain"][0][2])
        # corrected: the next run clears the alert
        self.stage.rule_domain = "[('rfm_frequency', '>=', 100)]"
        self.env["crm.relationship.queue"]._enqueue(
            [(pid, self.company.id) for pid in customers.ids]
        )
        self.Metrics._cron_process_queue()
        self.assertFalse(self.stage.rule_error)

    def test_field_no_longer_searchable_is_skipped_not_matching_everyone(self):
        customer = self.env["res.partner"].create(
            {"name": "Unsearchable", "customer_rank": 1}
        )
        self._order(customer, "2026-06-01", 50.0)
        self._break_rule("[('contact_address', 'ilike', 'x')]")
        with mute_logger(LIFECYCLE_LOGGER, RULE_LOGGER):
            self.Metrics._refresh(customer.ids, self.company)
        row = customer.with_company(self.company).relationship_metrics_id
        # not in the broken stage (Odoo would have dropped the condition)
        self.assertEqual(row.stage_id.stage_type, "new")
        self.assertIn("cannot be searched", self.stage.rule_error)

    # ---- settings and fields with a range -----------------------------
    def test_history_dates_beyond_the_horizon(self):
        for vals in (
            {"history_next_date": date(2999, 1, 31)},
            {"history_last_date": date(2030, 12, 31)},
            {"history_next_date": date(1900, 1, 31)},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                self.company.write(vals)
        # a date set ahead past the ORM: nothing pending, the page opens
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE res_company SET history_last_date = '9999-12-31', "
                "history_next_date = NULL WHERE id = %s",
                self.company.id,
            )
        )
        self.company.invalidate_recordset()
        Snapshot = self.env["crm.relationship.snapshot"]
        self.assertEqual(Snapshot._pending_months(self.company), [])
        settings = self.env["res.config.settings"].with_company(self.company).create({})
        self.assertIn("0 to compute", settings.history_progress)
        Snapshot._cron_history()

    def test_numbers_out_of_range(self):
        with self._refused(ValidationError, "between 0 and 3650"):
            self.stage.activity_days = 100000
        # larger than the database's integer, as the web client sends it: a
        # clear error, not a database one
        with self._refused(ValidationError, "far too large"):
            self.stage.write({"activity_days": 10**12})
        with self._refused(ValidationError, "far too large"):
            self.company.write({"rfm_window_days": 10**12})
        with self.assertRaises(ValidationError):
            self.company.value_tier_a_percent = float("nan")
        with self.assertRaises(ValidationError):
            self.company.price_conflict_tolerance_percent = float("inf")
        self.stage.invalidate_recordset()
        self.company.invalidate_recordset()
        self.assertEqual(self.stage.activity_days, 0)
        self.assertEqual(self.company.rfm_window_days, 365)
