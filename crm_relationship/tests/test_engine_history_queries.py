# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The request statements and the history statements run alone on the
hand-made customers of test_engine_queries.py; rows computed by hand."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from ..engine import history_queries, request_queries
from .test_engine_queries import AS_OF, NOW, EngineCommon


@tagged("post_install", "-at_install")
class TestEngineRequestsAndHistory(EngineCommon):
    def test_request_values_and_complaint_risk(self):
        rows = self._rows(
            request_queries.request_values(
                [self.a.id, self.b.id],
                self.company.id,
                "UTC",
                AS_OF,
                now=NOW,
                window_start=datetime(2025, 6, 30),
            )
        )
        self.assertEqual(
            [tuple(r.values()) for r in rows],
            [
                # open, overdue (due 2026-06-11 09:00), complaints, oldest
                # complaint's days, response and solve hours (none yet)
                (self.a.id, 1, 1, 1, 20, None, None),
                (self.b.id, 0, 0, 0, 0, None, None),
            ],
        )
        with freeze_time(NOW):
            self.Metrics._refresh(self.ids, self.company)
        self.env.cr.execute(
            SQL(
                "UPDATE crm_relationship_metrics SET churn_risk = 10, "
                "churn_risk_reason = NULL WHERE partner_id = ANY(%s)",
                self.ids,
            )
        )
        self.env.cr.execute(
            request_queries.complaint_risk_update(
                self.company.id, "UTC", AS_OF, "Open since %1$s (%2$s days)", 7
            )
        )
        rows = self._rows(
            SQL(
                "SELECT partner_id, churn_risk, churn_risk_reason "
                "FROM crm_relationship_metrics WHERE partner_id = ANY(%s) "
                "ORDER BY partner_id",
                self.ids,
            )
        )
        self.assertEqual(
            [tuple(r.values()) for r in rows],
            [
                (self.a.id, 75.0, "Open since 2026-06-10 (20 days)"),
                (self.b.id, 10.0, None),
                (self.p.id, 10.0, None),
            ],
        )

    def test_requests_as_of_a_past_day(self):
        """A month end of the history (docs/history.md): the complaint of
        2026-06-10, answered 2026-06-12 and solved 2026-07-05, was open and
        answered at the end of 2026-06-30; it did not exist at the end of
        2026-05-31."""
        self.complaint.state = "solved"
        self.complaint.write(
            {
                "first_response_date": datetime(2026, 6, 12, 9),
                "solved_date": datetime(2026, 7, 5, 9),
            }
        )
        end_of_june = datetime(2026, 7, 1)
        rows = self._rows(
            request_queries.request_values(
                [self.a.id],
                self.company.id,
                "UTC",
                AS_OF,
                now=end_of_june,
                window_start=datetime(2025, 6, 30),
            )
        )
        # open, not overdue (answered by then), a complaint 20 days old,
        # answered in 48 hours, not solved by then
        self.assertEqual(
            [tuple(r.values()) for r in rows], [(self.a.id, 1, 0, 1, 20, 48.0, None)]
        )
        rows = self._rows(
            request_queries.request_values(
                [self.a.id],
                self.company.id,
                "UTC",
                date(2026, 5, 31),
                now=datetime(2026, 6, 1),
                window_start=datetime(2025, 5, 31),
            )
        )
        self.assertEqual(
            [tuple(r.values()) for r in rows], [(self.a.id, 0, 0, 0, 0, None, None)]
        )
        # 2026-07-10: solved, 600 hours (25 days) from request to solution
        rows = self._rows(
            request_queries.request_values(
                [self.a.id],
                self.company.id,
                "UTC",
                date(2026, 7, 10),
                now=datetime(2026, 7, 10, 12),
                window_start=datetime(2025, 7, 10),
            )
        )
        self.assertEqual(
            [tuple(r.values()) for r in rows], [(self.a.id, 0, 0, 0, 0, 48.0, 600.0)]
        )

    def test_history_statements(self):
        self.assertEqual(
            history_queries.month_end(date(2024, 2, 10)), date(2024, 2, 29)
        )
        self.assertEqual(
            history_queries.month_end(date(2026, 12, 31)), date(2026, 12, 31)
        )
        self.assertEqual(
            history_queries.month_ends(date(2025, 11, 15), date(2026, 2, 28)),
            [
                date(2025, 11, 30),
                date(2025, 12, 31),
                date(2026, 1, 31),
                date(2026, 2, 28),
            ],
        )
        self.assertEqual(
            history_queries.month_ends(date(2026, 3, 1), date(2026, 2, 28)), []
        )

        # customers with a confirmed order by the end of the day: A's first
        # order is 2026-01-10 10:00 UTC, B's 2025-01-15
        def customers(day, tz="UTC"):
            rows = self._rows(history_queries.customers_as_of(self.company.id, tz, day))
            return [r["commercial_partner_id"] for r in rows]

        self.assertEqual(customers(date(2025, 12, 31)), [self.b.id])
        self.assertEqual(customers(date(2026, 1, 10)), sorted([self.a.id, self.b.id]))
        # in Honolulu (UTC-10) 2026-01-10 10:00 UTC is 2026-01-10 00:00: still
        # counted; in Shanghai it is 18:00 the same day
        self.assertEqual(customers(date(2026, 1, 9), "Pacific/Honolulu"), [self.b.id])
        self.assertEqual(
            customers(date(2026, 1, 10), "Asia/Shanghai"),
            sorted([self.a.id, self.b.id]),
        )
