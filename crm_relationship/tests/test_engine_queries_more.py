# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from ..engine import (
    batch,
    lifecycle_queries,
    queue_queries,
    relationship_queries,
    request_queries,
)
from .test_engine_queries import (
    AS_OF,
    NOW,
    EngineCommon,
)


@tagged("post_install", "-at_install")
class TestEngineQueriesMore(EngineCommon):
    """More of the TestEngineQueries tests, on the same data."""

    def test_upsert_link_and_update(self):
        company = self.company.id
        parts = [
            batch.Part(
                "orders",
                tuple(relationship_queries.BATCH_COLUMNS),
                lambda _inputs: batch.renamed(
                    relationship_queries.customer_values(
                        [self.a.id], company, "UTC", AS_OF, 365, 365, False
                    ),
                    relationship_queries.BATCH_NAMES,
                ),
            ),
            batch.Part(
                "requests",
                tuple(relationship_queries.REQUEST_COLUMNS),
                lambda _inputs: batch.renamed(
                    request_queries.request_values(
                        [self.a.id], company, "UTC", AS_OF, NOW, datetime(2025, 6, 30)
                    ),
                    relationship_queries.REQUEST_NAMES,
                ),
            ),
        ]
        upsert = relationship_queries.upsert(
            batch.columns(parts), batch.assemble(parts), company, self.env.uid
        )
        # new: inserted; the same values again: nothing written
        self.assertEqual(
            self._rows(upsert), [{"partner_id": self.a.id, "?column?": True}]
        )
        self.assertEqual(self._rows(upsert), [])
        self.env.cr.execute(relationship_queries.link_partners([self.a.id], company))
        row = self._rows(
            SQL(
                "SELECT id, lifetime_revenue, request_open_count "
                "FROM crm_relationship_metrics WHERE partner_id = %s "
                "AND company_id = %s",
                self.a.id,
                company,
            )
        )[0]
        self.assertEqual(
            (row["lifetime_revenue"], row["request_open_count"]), (600.0, 1)
        )
        self.env.invalidate_all()
        self.assertEqual(
            self.a.with_company(self.company).relationship_metrics_id.id, row["id"]
        )
        # the company has no other customer's row; then one outside the list
        self.assertFalse(
            self._rows(relationship_queries.rows_outside([self.a.id], company))
        )
        self.assertTrue(
            self._rows(relationship_queries.rows_outside([self.b.id], company))
        )
        self.env.cr.execute(
            relationship_queries.update_rows(
                company,
                ["value_tier"],
                SQL("SELECT %s AS partner_id, 'B' AS tier", self.a.id),
                SQL("v.tier"),
            )
        )
        self.assertEqual(
            self._rows(
                SQL(
                    "SELECT value_tier FROM crm_relationship_metrics WHERE id = %s",
                    row["id"],
                )
            ),
            [{"value_tier": "B"}],
        )

    def test_lifecycle_moves_and_notes(self):
        with freeze_time(NOW):
            self.Metrics._refresh(self.ids, self.company)
        row = self.Metrics.search(
            [("partner_id", "=", self.a.id), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(
            self._rows(lifecycle_queries.rows_of(row.ids)),
            [{"id": row.id, "partner_id": self.a.id, "company_id": self.company.id}],
        )
        stage = self.env.ref("crm_relationship.crm_relationship_stage_loyal")
        before = self.env["mail.message"].search_count(
            [("model", "=", "res.partner"), ("res_id", "=", self.a.id)]
        )
        # a move goes through the ORM: a write override sees it
        seen = []
        original = type(self.Metrics).write

        def spy(records, vals):
            seen.append((records.ids, dict(vals)))
            return original(records, vals)

        with patch.object(type(self.Metrics), "write", spy), freeze_time(NOW):
            row._set_stage(stage, reason="manual", lock=True)
        self.assertEqual([ids for ids, vals in seen if "stage_id" in vals], [row.ids])
        self.assertEqual((row.stage_id, row.stage_locked), (stage, True))
        self.assertEqual(self.a.with_company(self.company).relationship_stage_id, stage)
        self.assertFalse(
            self._rows(lifecycle_queries.unlocked_rows(self.company.id, [self.a.id]))
        )
        self.env.invalidate_all()
        notes = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.a.id)],
            order="id desc",
        )
        self.assertEqual(len(notes), before + 1)
        self.assertEqual(notes[0].message_type, "notification")
        self.assertEqual(notes[0].subtype_id, self.env.ref("mail.mt_note"))
        self.assertIn("→ Loyal (set by hand)", str(notes[0].body))

    def test_queue_wake_and_defaults(self):
        cron = self.env.ref("crm_relationship.ir_cron_relationship_queue")
        Queue = self.env["crm.relationship.queue"]
        before = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        self.env.cr.precommit.data.pop("crm_relationship.queue_woken", None)
        with freeze_time(NOW):
            Queue._wake()
            Queue._wake()  # once per transaction
        triggers = self.env["ir.cron.trigger"].search(
            [("cron_id", "=", cron.id)], order="id desc"
        )
        self.assertEqual(len(triggers), before + 1)
        self.assertEqual(triggers[0].call_at, NOW)
        # the next transaction's documents: that trigger is due and pending
        # (the workers were notified of it), no second one
        self.env.flush_all()
        self.env.cr.precommit.data.pop("crm_relationship.queue_woken", None)
        with freeze_time(NOW + timedelta(seconds=30)):
            Queue._wake()
        self.assertEqual(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            before + 1,
        )
        # once the action ran (its due triggers removed), a document wakes it
        self.env["ir.cron.trigger"].search(
            [("cron_id", "=", cron.id), ("call_at", "<=", NOW)]
        ).unlink()
        self.env.flush_all()
        self.env.cr.precommit.data.pop("crm_relationship.queue_woken", None)
        with freeze_time(NOW + timedelta(seconds=60)):
            Queue._wake()
        self.assertEqual(
            self.env["ir.cron.trigger"]
            .search([("cron_id", "=", cron.id)], order="id desc", limit=1)
            .call_at,
            NOW + timedelta(seconds=60),
        )
        # a column default: the rows without a value get it, new rows too
        with freeze_time(NOW):
            self.Metrics._refresh([self.p.id], self.company)
        self.env.cr.execute(
            SQL(
                "UPDATE crm_relationship_metrics SET open_complaint_days = NULL "
                "WHERE partner_id = %s",
                self.p.id,
            )
        )
        self.env.cr.execute(queue_queries.set_column_default("open_complaint_days", 0))
        self.assertEqual(
            self._rows(
                SQL(
                    "SELECT open_complaint_days FROM crm_relationship_metrics "
                    "WHERE partner_id = %s",
                    self.p.id,
                )
            ),
            [{"open_complaint_days": 0}],
        )
