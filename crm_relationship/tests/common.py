# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from odoo import Command

from odoo.addons.base.tests.common import BaseCommon


class RelationshipCommon(BaseCommon):
    """A company of its own, so company-wide scores see only our customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.usd = cls.env.ref("base.USD")
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.company = cls.env["res.company"].create(
            {"name": "Relationship Test Co", "currency_id": cls.usd.id}
        )
        cls.company.partner_id.tz = "UTC"
        cls.env["res.currency.rate"].create(
            {
                "name": "2024-01-01",
                "rate": 2.0,
                "currency_id": cls.eur.id,
                "company_id": cls.company.id,
            }
        )
        cls.pricelist_eur = cls.env["product.pricelist"].create(
            {"name": "EUR", "currency_id": cls.eur.id, "company_id": cls.company.id}
        )
        cls.pricelist_usd = cls.env["product.pricelist"].create(
            {"name": "USD", "currency_id": cls.usd.id, "company_id": cls.company.id}
        )
        cls.categ_1 = cls.env["product.category"].create({"name": "Rel Cat 1"})
        cls.categ_2 = cls.env["product.category"].create({"name": "Rel Cat 2"})
        cls.product_1 = cls.env["product.product"].create(
            {"name": "Rel Service 1", "type": "service", "categ_id": cls.categ_1.id}
        )
        cls.product_2 = cls.env["product.product"].create(
            {"name": "Rel Service 2", "type": "service", "categ_id": cls.categ_2.id}
        )
        cls.Metrics = cls.env["crm.relationship.metrics"]

    @classmethod
    def _order(cls, partner, day, amount, product=None, company=None, pricelist=None):
        """A confirmed order of ``amount`` (untaxed) on ``day`` ('YYYY-MM-DD' or
        datetime, UTC)."""
        company = company or cls.company
        order = (
            cls.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "pricelist_id": (pricelist or cls.pricelist_usd).id
                    if company == cls.company
                    else False,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": (product or cls.product_1).id,
                                "product_uom_qty": 1,
                                "price_unit": amount,
                                "tax_id": False,
                            }
                        ),
                        Command.create({"display_type": "line_note", "name": "note"}),
                    ],
                }
            )
        )
        order.action_confirm()
        when = (
            day
            if isinstance(day, datetime)
            else datetime.fromisoformat(day + " 10:00:00")
        )
        order.date_order = when
        return order
