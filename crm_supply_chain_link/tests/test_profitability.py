# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import ServiceCommon

AS_OF = "2026-06-30 12:00:00"
# the drivers of the test and the events of customer X (see setUpClass)
COSTS = {
    "order": 5.0,
    "order_line": 1.0,
    "delivery": 8.0,
    "return": 15.0,
    "credit_note": 12.0,
    "late_order": 20.0,
}


@tagged("post_install", "-at_install")
class TestProfitability(ServiceCommon):
    """Profitability of ../shared/METRICS.md section 7, hand-computed.

    Today is 2026-06-30 (UTC), the RFM window the last 365 days. Customer X:
    - O1 on 2026-06-01, promised for 06-05: 5 widgets at 10 (cost 6) and a
      service at 30 (cost 0): revenue 80, margin 5 x 4 + 30 = 50, 2 lines;
      delivered on time on 06-03 (one
      delivery), 1 widget returned on 06-05 (one return), invoiced and
      credited on 06-12 (one credit note);
    - O2 on 2026-06-15: 1 widget at 10, promised for 06-18, never delivered:
      revenue 10, margin 4, 1 line, overdue (one late order);
    - a complaint on 06-10 and a question on 06-11.
    Revenue 90, gross margin 54 (60 %).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.late_tolerance_days = 0
        cls.env["crm.cost.driver"].search([]).active = False
        cls.product.write({"list_price": 10.0, "standard_price": 6.0})
        cls.service.write({"list_price": 30.0, "standard_price": 0.0})
        cls.x = cls.env["res.partner"].create({"name": "X", "is_company": True})
        o1 = cls._sale(
            cls.x,
            "2026-06-01",
            [(cls.product, 5), (cls.service, 1)],
            promise="2026-06-05",
        )
        picking = o1.picking_ids
        cls._deliver(picking, 5, "2026-06-03")
        cls._return(picking, 1, "2026-06-05")
        with freeze_time("2026-06-12 10:00:00"):
            invoice = o1._create_invoices()
            invoice.action_post()
            refund = invoice._reverse_moves()
            refund.action_post()
        cls._sale(cls.x, "2026-06-15", [(cls.product, 1)], promise="2026-06-18")
        Request = cls.env["crm.customer.request"]
        for kind, day in (("complaint", "2026-06-10"), ("question", "2026-06-11")):
            Request.create(
                {
                    "name": kind,
                    "partner_id": cls.x.id,
                    "request_type": kind,
                    "request_date": f"{day} 09:00:00",
                }
            )
        with freeze_time(AS_OF):
            cls.Service._cron_refresh_open()

    @classmethod
    def _sale(cls, partner, day, lines, promise=None, pricelist=None):
        with freeze_time(f"{day} 10:00:00"):
            order = cls.env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "commitment_date": f"{promise or day} 12:00:00",
                    "pricelist_id": pricelist.id if pricelist else False,
                    "order_line": [
                        Command.create({"product_id": p.id, "product_uom_qty": q})
                        for p, q in lines
                    ],
                }
            )
            order.action_confirm()
            cls._drain()
        return order

    def _driver(self, driver, cost, request_type=False):
        return self.env["crm.cost.driver"].create(
            {
                "name": f"{driver} {request_type or ''}",
                "driver": driver,
                "request_type": request_type,
                "cost": cost,
            }
        )

    def _values(self, partner=None):
        partner = partner or self.x
        with freeze_time(AS_OF):
            self.env["crm.relationship.metrics"]._refresh(partner.ids, self.company)
        partner = partner.with_company(self.company)
        return {
            name: partner[name]
            for name in (
                "rfm_monetary",
                "gross_margin",
                "gross_margin_percent",
                "cost_to_serve",
                "net_contribution",
                "net_contribution_percent",
                "profit_class",
            )
        }

    def test_margin_without_driver(self):
        # events but no driver: the cost is 0, the customer profitable
        self.assertEqual(
            self._values(),
            {
                "rfm_monetary": 90.0,
                "gross_margin": 54.0,
                "gross_margin_percent": 60.0,
                "cost_to_serve": 0.0,
                "net_contribution": 54.0,
                "net_contribution_percent": 60.0,
                "profit_class": "profitable",
            },
        )
        # no order and no event in the window: nothing to say
        y = self.env["res.partner"].create({"name": "Y", "is_company": True})
        values = self._values(y)
        self.assertEqual(values["gross_margin"], 0.0)
        self.assertFalse(values["profit_class"])
        self.assertFalse(values["gross_margin_percent"])

    def test_each_driver_alone(self):
        # events of X per driver: 2 orders, 3 lines, 1 delivery, 1 return,
        # 1 credit note, 1 late order
        events = {
            "order": 2,
            "order_line": 3,
            "delivery": 1,
            "return": 1,
            "credit_note": 1,
            "late_order": 1,
        }
        for driver, cost in COSTS.items():
            record = self._driver(driver, cost)
            values = self._values()
            self.assertAlmostEqual(
                values["cost_to_serve"], events[driver] * cost, msg=driver
            )
            self.assertAlmostEqual(
                values["net_contribution"], 54.0 - events[driver] * cost, msg=driver
            )
            record.active = False

    def test_lines_counted_once(self):
        """Only product lines are order-line events: not a note, not a
        combo's own line (its items are lines of their own), in the customer
        values and in the analysis' months alike."""
        combo = self.env["product.combo"].create(
            {
                "name": "Box",
                "combo_item_ids": [Command.create({"product_id": self.service.id})],
            }
        )
        box = self.env["product.product"].create(
            {"name": "Box", "type": "combo", "combo_ids": [Command.link(combo.id)]}
        )
        z = self.env["res.partner"].create({"name": "Z", "is_company": True})
        with freeze_time("2026-06-20 10:00:00"):
            order = self.env["sale.order"].create(
                {
                    "partner_id": z.id,
                    "order_line": [
                        Command.create({"product_id": box.id, "product_uom_qty": 1}),
                        Command.create({"display_type": "line_note", "name": "n"}),
                        Command.create(
                            {"product_id": self.service.id, "product_uom_qty": 2}
                        ),
                    ],
                }
            )
            order.action_confirm()
        self._driver("order_line", 1.0)
        # one counted line (the service), one order without a driver
        self.assertEqual(self._values(z)["cost_to_serve"], 1.0)
        months = self.env["crm.profitability.report"]._read_group(
            [("partner_id", "=", z.id)], [], ["order_line_cost:sum"]
        )
        self.assertEqual(months, [(1.0,)])

    def test_all_drivers_and_request_types(self):
        for driver, cost in COSTS.items():
            self._driver(driver, cost)
        self._driver("request", 25.0, "complaint")  # the complaint only
        self._driver("request", 3.0)  # every request
        # 2x5 + 3x1 + 8 + 15 + 12 + 20 + (25 + 3) + 3 = 99
        self.assertEqual(
            self._values(),
            {
                "rfm_monetary": 90.0,
                "gross_margin": 54.0,
                "gross_margin_percent": 60.0,
                "cost_to_serve": 99.0,
                "net_contribution": -45.0,
                "net_contribution_percent": -50.0,
                "profit_class": "unprofitable",
            },
        )
        # the analysis counts the same events: June holds all of them
        rows = self.env["crm.profitability.report"].read_group(
            [("partner_id", "=", self.x.id), ("date", "=", "2026-06-01")],
            [
                "revenue:sum",
                "gross_margin:sum",
                "cost_to_serve:sum",
                "net_contribution:sum",
                "order_cost:sum",
                "order_line_cost:sum",
                "delivery_cost:sum",
                "return_cost:sum",
                "request_cost:sum",
                "credit_note_cost:sum",
                "late_order_cost:sum",
                "order_count:sum",
                "gross_margin_percent:sum",
                "net_contribution_percent:sum",
            ],
            [],
        )
        self.assertEqual(len(rows), 1)
        row = rows[0]
        expected = {
            "revenue": 90.0,
            "gross_margin": 54.0,
            "cost_to_serve": 99.0,
            "net_contribution": -45.0,
            "order_cost": 10.0,
            "order_line_cost": 3.0,
            "delivery_cost": 8.0,
            "return_cost": 15.0,
            "request_cost": 31.0,
            "credit_note_cost": 12.0,
            "late_order_cost": 20.0,
            "order_count": 2,
            "gross_margin_percent": 60.0,
            "net_contribution_percent": -50.0,
        }
        for name, value in expected.items():
            self.assertAlmostEqual(row[name], value, msg=name)

    def test_lost_quotation_and_win_rate(self):
        with freeze_time("2026-06-20 10:00:00"):
            lost = self.env["sale.order"].create(
                {
                    "partner_id": self.x.id,
                    "order_line": [Command.create({"product_id": self.product.id})],
                }
            )
            lost.action_cancel()
        self._values()
        groups = self.env["crm.profitability.report"].read_group(
            [("partner_id", "=", self.x.id)],
            ["quotations_won:sum", "quotations_lost:sum", "quotation_win_rate:sum"],
            [],
        )
        # 2 won, 1 lost: 66.67 %
        self.assertEqual(groups[0]["quotations_won"], 2)
        self.assertEqual(groups[0]["quotations_lost"], 1)
        self.assertAlmostEqual(groups[0]["quotation_win_rate"], 66.67)

    def test_second_currency(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        self.env["res.currency.rate"].create(
            {"name": "2026-01-01", "rate": 2.0, "currency_id": eur.id}
        )
        pricelist = self.env["product.pricelist"].create(
            {"name": "EUR", "currency_id": eur.id}
        )
        z = self.env["res.partner"].create({"name": "Z", "is_company": True})
        order = self._sale(z, "2026-06-20", [(self.product, 5)], pricelist=pricelist)
        # 5 at 20 EUR, cost 12 EUR: margin 40 EUR = 20 in company currency
        self.assertAlmostEqual(order.margin, 40.0)
        values = self._values(z)
        self.assertAlmostEqual(values["gross_margin"], 20.0)
        self.assertAlmostEqual(values["rfm_monetary"], 50.0)
        self.assertAlmostEqual(values["gross_margin_percent"], 40.0)

    def test_driver_changes_queue_and_bad_input(self):
        Queue = self.env["crm.relationship.queue"]
        Queue.search([]).unlink()
        driver = self._driver("order", 5.0)
        self.assertIn(self.x, Queue.search([]).partner_id)
        Queue.search([]).unlink()
        driver.cost = 6.0
        self.assertIn(self.x, Queue.search([]).partner_id)
        # an inactive driver prices nothing: creating, changing or deleting
        # it queues no customer (an example driver installed on a large
        # database queued every customer of every company)
        Queue.search([]).unlink()
        idle = self.env["crm.cost.driver"].create(
            {
                "name": "Idle",
                "driver": "order",
                "cost": 3.0,
                "company_id": self.company.id,
                "active": False,
            }
        )
        idle.cost = 4.0
        idle.unlink()
        self.assertFalse(Queue.search_count([]))
        with self.assertRaises(ValidationError):
            self._driver("order", -1.0)
        with self.assertRaises(ValidationError):
            self._driver("order", 1.0, "complaint")
        # NaN and infinity compare false with every bound; a blank name
        for cost in (float("nan"), float("inf")):
            with self.subTest(cost=cost), self.assertRaises(ValidationError):
                self._driver("order", cost)
        driver = self._driver("order", 1.0)
        with (
            self.assertRaisesRegex(ValidationError, "needs a name"),
            self.env.cr.savepoint(),
        ):
            driver.name = " "

    def test_money_rights(self):
        self._driver("order", 5.0)
        self._values()
        stock_user = new_test_user(
            self.env, login="prof_stock", groups="stock.group_stock_user"
        )
        rep = new_test_user(
            self.env, login="prof_rep", groups="sales_team.group_sale_salesman"
        )
        other = new_test_user(
            self.env, login="prof_other", groups="sales_team.group_sale_salesman"
        )
        self.x.user_id = rep
        # inventory users: no margin, no cost, no analysis
        with self.assertRaises(AccessError):
            self.x.with_user(stock_user).read(["gross_margin"])
        with self.assertRaises(AccessError):
            self.env["crm.profitability.report"].with_user(stock_user).search([])
        # salespeople with own documents: their own customers' rows only
        Report = self.env["crm.profitability.report"]
        self.assertEqual(
            Report.with_user(rep).search([("partner_id", "=", self.x.id)]).partner_id,
            self.x,
        )
        self.assertFalse(
            Report.with_user(other).search([("partner_id", "=", self.x.id)])
        )
        self.assertAlmostEqual(
            self.x.with_user(rep).with_company(self.company).cost_to_serve, 10.0
        )
