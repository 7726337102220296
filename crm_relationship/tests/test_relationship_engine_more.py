# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import time
from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2.errors import SerializationFailure

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RelationshipCommon
from .datagen import make_customers
from .test_relationship_engine import (
    FIELDS,
    TestRelationshipEngineData,
)


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30 12:00:00")
class TestRelationshipEngineMore(TestRelationshipEngineData, RelationshipCommon):
    """More of the TestRelationshipEngine tests, on the same data."""

    def test_time_budget_splits_the_call(self):
        """A call whose time budget is spent stops after the slice under way
        and reports the rest to the cron runner; the next calls finish, with
        the values of one whole computation."""
        from ..models import crm_relationship_queue

        ids = make_customers(
            self.env, self.company, 5, 2, date(2026, 6, 30), self.product_1
        )
        Queue = self.env["crm.relationship.queue"]
        self._clear_queues()
        Queue._enqueue({(pid, self.company.id) for pid in ids})
        progress = []
        Cron = type(self.env["ir.cron"])

        def notify(cron, done, remaining, deactivate=False):
            progress.append((done, remaining))

        with (
            patch.object(crm_relationship_queue, "SLICE", 2),
            patch.object(Cron, "_notify_progress", notify),
        ):
            # budget already spent: one slice, 2 of the 5 customers; the run
            # ends (nothing reported as remaining, so that the runner does not
            # call again within the worker's time limit) and a new run is
            # triggered
            cron = self.env.ref("crm_relationship.ir_cron_relationship_queue")
            Trigger = self.env["ir.cron.trigger"]
            triggers = Trigger.search_count([("cron_id", "=", cron.id)])
            spent = time.monotonic() - 1
            self.assertEqual(self.Metrics._cron_process_queue(deadline=spent), 2)
            self.assertEqual(len(set(Queue.search([]).partner_id.ids)), 3)
            self.assertEqual(progress, [(2, 0)])
            self.assertEqual(
                Trigger.search_count(
                    [
                        ("cron_id", "=", cron.id),
                        ("call_at", "=", datetime(2026, 6, 30, 12, 0, 1)),
                    ]
                ),
                1,
            )
            self.assertGreater(
                Trigger.search_count([("cron_id", "=", cron.id)]), triggers
            )
            self.assertEqual(self.Metrics._cron_process_queue(deadline=spent), 2)
            # time left: the last customer, nothing remains
            left = time.monotonic() + 3600
            self.assertEqual(self.Metrics._cron_process_queue(deadline=left), 1)
            self.assertEqual(progress, [(2, 0), (2, 0), (1, 0)])
        self.assertFalse(Queue.search_count([]))
        rows = self.Metrics.search([("partner_id", "in", ids)], order="partner_id")
        sliced = rows.read(FIELDS + ["stage_id"])
        # the same values as one computation of the five together
        self.Metrics._refresh(ids, self.company)
        rows.invalidate_recordset()
        self.assertEqual(rows.read(FIELDS + ["stage_id"]), sliced)
        # the time budget is a company setting, checked
        with self.assertRaises(ValidationError):
            self.company.relationship_time_budget = 2

    def test_failing_customer_stays_queued(self):
        """A customer whose computation fails keeps its queue entry with the
        error and is retried after a delay; the others are computed."""
        ids = make_customers(
            self.env, self.company, 3, 2, date(2026, 6, 30), self.product_1
        )
        Queue = self.env["crm.relationship.queue"]
        self._clear_queues()
        Queue._enqueue({(pid, self.company.id) for pid in ids})
        Metrics = type(self.Metrics)
        original = Metrics._batch_query

        def failing(model, partner_ids, company):
            if ids[1] in partner_ids:
                raise ValueError("broken customer")
            return original(model, partner_ids, company)

        logger = "odoo.addons.crm_relationship.models.crm_relationship_metrics"
        with (
            mute_logger(logger, "odoo.sql_db"),
            patch.object(Metrics, "_batch_query", failing),
        ):
            self.assertEqual(self.Metrics._cron_process_queue(), 3)
            entry = Queue.search([])
            self.assertEqual(entry.partner_id.id, ids[1])
            self.assertEqual(entry.error, "ValueError: broken customer")
            self.assertEqual(entry.attempt, 1)
            self.assertEqual(entry.retry_after, datetime(2026, 6, 30, 12, 5))
            # the scheduled action is triggered for the retry
            cron = self.env.ref("crm_relationship.ir_cron_relationship_queue")
            self.assertTrue(
                self.env["ir.cron.trigger"].search_count(
                    [
                        ("cron_id", "=", cron.id),
                        ("call_at", "=", datetime(2026, 6, 30, 12, 5)),
                    ]
                )
            )
            # administrators see it in the settings
            settings = (
                self.env["res.config.settings"].with_company(self.company).create({})
            )
            self.assertEqual(settings.relationship_failed_count, 1)
            action = settings.action_view_relationship_failures()
            self.assertEqual(
                self.env["crm.relationship.queue"].search(action["domain"]), entry
            )
            # not due yet: the next call takes nothing
            self.assertEqual(self.Metrics._cron_process_queue(), 0)
            with freeze_time("2026-06-30 12:06:00"):
                # due, fails again: the delay doubles
                self.assertEqual(self.Metrics._cron_process_queue(), 1)
            entry = Queue.search([])
            self.assertEqual(
                (entry.attempt, entry.retry_after), (2, datetime(2026, 6, 30, 12, 16))
            )
        rows = self.Metrics.search([("partner_id", "in", ids)])
        self.assertEqual(sorted(rows.partner_id.ids), sorted([ids[0], ids[2]]))
        # repaired: computed at the next due call, off the queue
        with freeze_time("2026-06-30 12:20:00"):
            self.assertEqual(self.Metrics._cron_process_queue(), 1)
        self.assertFalse(Queue.search([]))
        row = self.Metrics.search([("partner_id", "=", ids[1])])
        self.assertEqual(row.lifetime_order_count, 2)

    def test_scheduled_actions_run_as_superuser(self):
        """The scheduled actions run as OdooBot, whoever installed the addon,
        and an administrator's changes to them survive an upgrade."""
        for name in (
            "ir_cron_relationship_queue",
            "ir_cron_relationship_nightly",
            "ir_cron_customer_request_escalation",
        ):
            cron = self.env.ref(f"crm_relationship.{name}")
            self.assertEqual(cron.user_id, self.env.ref("base.user_root"), name)
            data = self.env["ir.model.data"].search(
                [("module", "=", "crm_relationship"), ("name", "=", name)]
            )
            self.assertTrue(data.noupdate, name)

    def test_concurrency_error_propagates(self):
        """A serialization failure is not retried customer by customer in the
        same snapshot: it reaches the cron runner, which retries the call."""
        ids = make_customers(
            self.env, self.company, 2, 1, date(2026, 6, 30), self.product_1
        )
        Metrics = type(self.Metrics)
        calls = []

        def conflicting(model, partner_ids, company, with_company=False):
            calls.append(list(partner_ids))
            raise SerializationFailure("could not serialize access")

        with (
            patch.object(Metrics, "_write_batch", conflicting),
            self.assertRaises(SerializationFailure),
        ):
            self.Metrics._refresh(ids, self.company)
        # the batch once, never customer by customer
        self.assertEqual(calls, [sorted(ids)])
