# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestHistoryService(ServiceCommon):
    """Service levels at past month ends (../shared/METRICS.md, section 8):
    orders confirmed 2026-03-02, promised 2026-03-05."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.late = cls._order(qty=10)
        cls.on_time = cls._order(qty=4)
        cls._deliver(cls.on_time.picking_ids, 4, "2026-03-04")
        # late at the month end, delivered after it
        cls._deliver(cls.late.picking_ids, 10, "2026-04-10")
        cls.Snapshot = cls.env["crm.relationship.snapshot"]

    def _snapshot(self, day):
        self.Snapshot._write_month(self.company, day)
        return self.Snapshot.search(
            [
                ("partner_id", "=", self.customer.id),
                ("company_id", "=", self.company.id),
                ("date", "=", day),
            ]
        )

    @freeze_time("2026-05-03 09:00:00")
    def test_overdue_at_the_month_end_counts_as_a_miss(self):
        # today both are measured: one late, one on time
        self.assertEqual(self.late.service_id.service_level_state, "late")
        self.assertEqual(self.on_time.service_id.service_level_state, "on_time")
        february = self._snapshot(date(2026, 2, 28))
        self.assertFalse(february, "no confirmed order on 2026-02-28")
        march = self._snapshot(date(2026, 3, 31))
        # 2026-03-31: both due, the late one still overdue: OTIF 1 of 2
        self.assertEqual(march.service_order_count, 2)
        self.assertEqual(march.service_otif_rate, 50.0)
        metrics = self.env["crm.relationship.metrics"].with_context(
            relationship_as_of=date(2026, 3, 31)
        )
        rates = dict(
            (row[0], row[1:])
            for row in self.env.execute_query(
                metrics._service_query([self.customer.id], self.company)
            )
        )[self.customer.id]
        # in full: only the order delivered by then (1 of 2); cycle time: the
        # on-time order alone (2026-03-02 to 2026-03-04: 2 days)
        self.assertEqual(rates[3], 50.0)
        self.assertEqual(rates[6], 2.0)
        # a group's OTIF is a ratio of the orders, not a mean of the rates
        april = self._snapshot(date(2026, 4, 30))
        self.assertEqual(april.service_otif_rate, 50.0)
        total = self.Snapshot._read_group(
            [("partner_id", "=", self.customer.id)],
            [],
            ["service_otif_rate:sum", "service_order_count:sum"],
        )
        self.assertEqual(total, [(50.0, 4)])

    @freeze_time("2026-05-03 09:00:00")
    def test_logistics_reads_service_not_money(self):
        """METRICS 9: inventory users read the service history, not the
        money of the snapshots."""
        march = self._snapshot(date(2026, 3, 31))
        stock_user = new_test_user(
            self.env, login="history_stock", groups="stock.group_stock_user"
        )
        row = march.with_user(stock_user)
        self.assertEqual(row.read(["service_otif_rate"])[0]["service_otif_rate"], 50.0)
        for money in ("lifetime_revenue", "gross_margin", "net_contribution"):
            with self.assertRaises(AccessError):
                row.read([money])
