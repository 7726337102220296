# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .common import ServiceCommon

TODAY = "2026-03-20 12:00:00"


@tagged("post_install", "-at_install")
class TestSlaPolicy(ServiceCommon):
    """Policies of ../shared/METRICS.md section 3 on four hand-made orders.

    All confirmed 2026-03-02, promised 2026-03-05, evaluated 2026-03-20:
    - o1: 10 delivered 03-05 (on time, in full);
    - o2: 10 delivered 03-06 (one day late);
    - o3: 9 of 10 delivered 03-05, rest cancelled (short by 10 %);
    - o4: 10 delivered 03-05, 2 returned 03-07.
    With the company's settings (no tolerance): OTIF 2/4 = 50 %, fill
    (10 + 0 + 9 + 10) / 40 = 72.5 %, cycle (3 + 4 + 3 + 3) / 4 = 3.25 days,
    returns 2 / 39 = 5.13 %. With one day and 10 % of tolerance: o2 is on
    time and o3 in full, OTIF 4/4 = 100 %, fill (10 + 10 + 9 + 10) / 40 = 97.5 %.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key_tag = cls.env["res.partner.category"].create({"name": "SLA Key"})
        cls.customer.write(
            {
                "category_id": [Command.link(cls.key_tag.id)],
                "email": "sla.customer@example.com",
            }
        )
        cls.salesman = new_test_user(
            cls.env, login="sla_sales", groups="sales_team.group_sale_salesman"
        )
        cls.customer.user_id = cls.salesman
        cls.plain = cls.env["res.partner"].create({"name": "SLA Plain"})
        o1 = cls._order()
        cls._deliver(o1.picking_ids, 10, "2026-03-05")
        o2 = cls._order()
        cls._deliver(o2.picking_ids, 10, "2026-03-06")
        o3 = cls._order()
        cls._deliver(o3.picking_ids, 9, "2026-03-05", backorder=False)
        o4 = cls._order()
        cls._deliver(o4.picking_ids, 10, "2026-03-05")
        cls._return(o4.picking_ids, 2, "2026-03-07")
        cls.orders = o1 | o2 | o3 | o4
        plain_order = cls._order(partner=cls.plain)
        cls._deliver(plain_order.picking_ids, 10, "2026-03-05")
        cls.Policy = cls.env["crm.sla.policy"]
        # the policies of the database (demo data) stay out of the way
        cls.Policy.search([]).action_archive()
        cls.Metrics = cls.env["crm.relationship.metrics"]
        cls.todo = cls.env.ref("mail.mail_activity_data_todo")

    def _policy(self, **vals):
        vals.setdefault("name", "SLA test policy")
        vals.setdefault(
            "partner_domain", f"[('category_id', 'in', [{self.key_tag.id}])]"
        )
        vals.setdefault("late_tolerance_days", 0)
        vals.setdefault("qty_tolerance_percent", 0)
        return self.Policy.create(vals)

    def _evaluate(self, partners=None):
        partners = partners or self.customer | self.plain
        with freeze_time(TODAY):
            self.Metrics._refresh(partners.ids, self.company)
        return self.customer.with_company(self.company)

    def _sla_activities(self, partner=None):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", (partner or self.customer).id),
                ("activity_type_id", "=", self.todo.id),
            ]
        )

    def _sla_messages(self):
        return [
            m.body
            for m in self.customer.message_ids
            if "Service level in" in (m.body or "")
        ]

    def test_matching_by_sequence_and_domain(self):
        key = self._policy(sequence=5)
        everyone = self._policy(name="Everyone", sequence=10, partner_domain="[]")
        self._evaluate()
        self.assertEqual(self.customer.with_company(self.company).sla_policy_id, key)
        self.assertEqual(self.plain.with_company(self.company).sla_policy_id, everyone)
        everyone.sequence = 1
        self._evaluate()
        self.assertEqual(
            self.customer.with_company(self.company).sla_policy_id, everyone
        )
        everyone.active = False
        self._evaluate()
        self.assertEqual(self.customer.with_company(self.company).sla_policy_id, key)
        self.assertFalse(self.plain.with_company(self.company).sla_policy_id)
        self.assertEqual(self.plain.with_company(self.company).sla_status, "none")
        self.assertEqual(key.customer_count, 1)
        # the partner fields are searchable, per company
        Partner = self.env["res.partner"].with_company(self.company)
        self.assertEqual(
            Partner.search([("sla_policy_id", "=", key.id)]), self.customer
        )

    def test_broken_policy_is_skipped_and_shown(self):
        """A policy whose domain fails at run time (written past the ORM, as
        after an upgrade changed a field): the next policy takes its
        customers, the failure is on the policy and in the settings."""
        broken = self._policy(sequence=1, name="Broken")
        everyone = self._policy(name="Everyone", sequence=10, partner_domain="[]")
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE crm_sla_policy SET partner_domain = %s WHERE id = %s",
                "[('last_order_date', '>', 'soon')]",
                broken.id,
            )
        )
        broken.invalidate_recordset()
        logger = "odoo.addons.crm_relationship.models.crm_relationship_lifecycle_mixin"
        rule_logger = "odoo.addons.crm_relationship.models.crm_relationship_rule_mixin"
        with mute_logger(logger, rule_logger, "odoo.sql_db"):
            partner = self._evaluate()
        self.assertEqual(partner.sla_policy_id, everyone)
        self.assertEqual(self.plain.with_company(self.company).sla_policy_id, everyone)
        self.assertIn("soon", broken.rule_error)
        settings = self.env["res.config.settings"].with_company(self.company).create({})
        self.assertEqual(settings.relationship_rule_error_count, 1)
        action = settings.action_view_relationship_rule_errors()
        self.assertEqual(action["res_model"], "crm.sla.policy")
        self.assertEqual(action["domain"], [("id", "in", broken.ids)])
        # recording a failure queues no one (it is no change of the policy)
        Queue = self.env["crm.relationship.queue"]
        Queue.search([]).unlink()
        broken._record_rule_error(ValueError("again"))
        self.assertEqual(broken.rule_error, "again")
        self.assertFalse(Queue.search_count([("company_id", "=", self.company.id)]))

    def test_breached_with_company_tolerances(self):
        policy = self._policy(target_otif_rate=90, target_fill_rate=70)
        partner = self._evaluate()
        self.assertEqual(partner.sla_policy_id, policy)
        self.assertEqual(partner.sla_order_count, 4)
        self.assertAlmostEqual(partner.sla_otif_rate, 50.0)
        self.assertAlmostEqual(partner.sla_fill_rate, 72.5)
        self.assertAlmostEqual(partner.sla_cycle_time_days, 3.25)
        self.assertAlmostEqual(partner.sla_return_rate, 5.13)
        self.assertEqual(partner.sla_status, "breached")
        self.assertEqual(partner.sla_status_reason, "OTIF % 50 (target 90)")
        self.assertEqual(str(partner.sla_status_date), "2026-03-20")
        self.assertEqual(partner.service_otif_rate, 50.0)

    def test_tolerance_overrides_only_for_the_policy(self):
        self._policy(
            target_otif_rate=95,
            target_fill_rate=95,
            late_tolerance_days=1,
            qty_tolerance_percent=10,
        )
        partner = self._evaluate()
        self.assertAlmostEqual(partner.sla_otif_rate, 100.0)
        self.assertAlmostEqual(partner.sla_fill_rate, 97.5)
        self.assertEqual(partner.sla_status, "met")
        self.assertFalse(partner.sla_status_reason)
        # the orders and the customer's service figures keep the company's
        self.assertEqual(self.orders[1].service_level_state, "late")
        self.assertFalse(self.orders[2].is_in_full)
        self.assertAlmostEqual(partner.service_otif_rate, 50.0)

    def test_warning_within_margin(self):
        self._policy(
            target_otif_rate=95,
            target_return_rate=6,
            warning_margin=1,
            late_tolerance_days=1,
            qty_tolerance_percent=10,
        )
        partner = self._evaluate()
        # return rate 5.13 % is 0.87 points under its 6 % limit: < 1 point
        self.assertEqual(partner.sla_status, "warning")
        self.assertEqual(partner.sla_status_reason, "Return rate % 5.13 (target 6)")

    def test_cycle_time_and_return_limits(self):
        policy = self._policy(target_cycle_time_days=3)
        partner = self._evaluate()
        self.assertEqual(partner.sla_status, "breached")
        self.assertEqual(partner.sla_status_reason, "Cycle time (days) 3.25 (target 3)")
        policy.write({"target_cycle_time_days": 4, "target_return_rate": 5})
        partner = self._evaluate()
        self.assertEqual(partner.sla_status, "breached")
        self.assertEqual(partner.sla_status_reason, "Return rate % 5.13 (target 5)")

    def test_no_order_in_window_is_none(self):
        self._policy(target_otif_rate=90, window_days=5)
        # due day 2026-03-05 is 15 days before the evaluation
        partner = self._evaluate()
        self.assertEqual(partner.sla_order_count, 0)
        self.assertEqual(partner.sla_status, "none")

    def test_policy_target_drives_service_risk(self):
        partner = self._evaluate()
        # no policy: the company threshold (80 %) against 50 %
        self.assertTrue(partner.service_at_risk)
        self._policy(target_otif_rate=40)
        partner = self._evaluate()
        self.assertFalse(partner.service_at_risk)

    def test_follow_up_once_and_closed_on_recovery(self):
        template = self.env["mail.template"].create(
            {
                "name": "SLA breach",
                "model_id": self.env.ref("base.model_res_partner").id,
                "subject": "About our deliveries",
                "email_to": "{{ object.email }}",
                "body_html": "<p>We are sorry.</p>",
            }
        )
        policy = self._policy(
            target_otif_rate=90,
            activity_type_id=self.todo.id,
            activity_days=2,
            mail_template_id=template.id,
        )
        Mail = self.env["mail.mail"]
        mail_domain = [("subject", "=", "About our deliveries")]
        self._evaluate()
        activities = self._sla_activities()
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.salesman)
        self.assertEqual(str(activities.date_deadline), "2026-03-22")
        self.assertEqual(Mail.search_count(mail_domain), 1)
        self.assertIn("→ Breached (OTIF % 50 (target 90))", self._sla_messages()[0])
        # re-evaluation without change: no duplicate activity, no second mail
        self._evaluate()
        self.assertEqual(self._sla_activities(), activities)
        self.assertEqual(Mail.search_count(mail_domain), 1)
        # targets lowered: the customer recovers and the activity is closed
        policy.target_otif_rate = 40
        partner = self._evaluate()
        self.assertEqual(partner.sla_status, "met")
        self.assertFalse(self._sla_activities())
        self.assertFalse(activities.exists().filtered("active"))
        self.assertIn("Breached → Met", self._sla_messages()[0])

    def test_follow_up_warehouse_managers(self):
        manager = new_test_user(
            self.env, login="sla_stock_manager", groups="stock.group_stock_manager"
        )
        self._policy(
            target_otif_rate=90,
            activity_type_id=self.todo.id,
            activity_user_mode="stock_manager",
        )
        self._evaluate()
        managers = self.env.ref("stock.group_stock_manager").users.filtered(
            lambda u: self.company in u.company_ids and not u.share
        )
        self.assertIn(manager, managers)
        self.assertEqual(self._sla_activities().user_id, managers)

    def test_broken_template_keeps_status_and_activity(self):
        """A policy template that does not render is recorded on the policy;
        the status, its note and the activity are kept."""
        template = self.env["mail.template"].create(
            {
                "name": "SLA broken",
                "model_id": self.env.ref("base.model_res_partner").id,
                "subject": "Broken breach",
                "email_to": "{{ object.email }}",
                "body_html": '<p><t t-out="object.no_such_field"/></p>',
            }
        )
        policy = self._policy(
            target_otif_rate=90,
            activity_type_id=self.todo.id,
            mail_template_id=template.id,
        )
        logger = "odoo.addons.crm_relationship.models.crm_relationship_lifecycle_mixin"
        with self.assertLogs(logger, level="ERROR"):
            partner = self._evaluate()
        self.assertEqual(partner.sla_status, "breached")
        self.assertEqual(len(self._sla_activities()), 1)
        self.assertIn("→ Breached", self._sla_messages()[0])
        self.assertFalse(
            self.env["mail.mail"].search([("subject", "=", "Broken breach")])
        )
        self.assertIn("no_such_field", policy.follow_up_error)

    def test_mail_skips_blacklisted(self):
        self.env["mail.blacklist"].create({"email": "sla.customer@example.com"})
        template = self.env["mail.template"].create(
            {
                "name": "SLA breach blacklisted",
                "model_id": self.env.ref("base.model_res_partner").id,
                "subject": "Blacklisted breach",
                "email_to": "{{ object.email }}",
            }
        )
        self._policy(target_otif_rate=90, mail_template_id=template.id)
        partner = self._evaluate()
        self.assertEqual(partner.sla_status, "breached")
        self.assertFalse(
            self.env["mail.mail"].search([("subject", "=", "Blacklisted breach")])
        )

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "SLA Other Co"})
        other_policy = self.Policy.with_company(other).create(
            {"name": "Other", "partner_domain": "[]", "target_otif_rate": 90}
        )
        self.assertEqual(other_policy.company_id, other)
        partner = self._evaluate()
        self.assertFalse(partner.sla_policy_id)
        self.assertEqual(partner.sla_status, "none")
        outsider = new_test_user(
            self.env,
            login="sla_outsider",
            groups="crm_relationship.crm_relationship_group_manager",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        self.assertFalse(
            self.Policy.with_user(outsider).search([("id", "=", other_policy.id)])
        )

    def test_access(self):
        policy = self._policy(target_otif_rate=90)
        self.assertEqual(policy.with_user(self.salesman).target_otif_rate, 90)
        with self.assertRaises(AccessError):
            policy.with_user(self.salesman).write({"target_otif_rate": 10})
        with self.assertRaises(AccessError):
            policy.with_user(self.salesman).action_evaluate()

    def test_bad_input(self):
        for vals in (
            {"target_otif_rate": 120},
            {"target_fill_rate": -1},
            {"target_return_rate": 101},
            {"target_cycle_time_days": -2},
            {"window_days": -5},
            {"late_tolerance_days": -1},
            {"qty_tolerance_percent": 100},
            {"partner_domain": "[('no_such_field', '=', 1)]"},
            {"partner_domain": "[('sla_status', '=', 'breached')]"},
            {"partner_domain": "[('service_otif_rate', '<', 50)]"},
            {"partner_domain": "not a domain"},
            # circular through a path, on every step
            {"partner_domain": "[('commercial_partner_id.sla_status', '=', 'met')]"},
            {"partner_domain": "[('parent_id.sla_policy_id', '!=', False)]"},
            {"partner_domain": "[('relationship_metrics_id.sla_status', '=', 'met')]"},
            # values of the wrong type, run as the engine will
            {"partner_domain": "[('last_order_date', '>', 'soon')]"},
            # NaN and infinity compare false with every bound
            {"warning_margin": float("nan")},
            {"warning_margin": float("inf")},
            {"target_cycle_time_days": float("inf")},
            # a blank name
            {"name": "  "},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                self._policy(**vals)
        self.assertFalse(self.Policy.search([("name", "=", "SLA test policy")]))

    def test_policy_change_queues_company_customers(self):
        self.env["crm.relationship.queue"].search([]).unlink()
        self._policy(target_otif_rate=90)
        queued = self.env["crm.relationship.queue"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertIn(self.customer, queued.partner_id)

    def test_status_none_before_any_evaluation(self):
        other = self.env["res.company"].create({"name": "SLA Fresh Co"})
        # the engine's upsert alone (no policy pass yet) creates the row by SQL
        self.Metrics._write_batch(self.plain.ids, other)
        row = self.Metrics.search(
            [("partner_id", "=", self.plain.id), ("company_id", "=", other.id)]
        )
        self.assertEqual(row.sla_status, "none")
