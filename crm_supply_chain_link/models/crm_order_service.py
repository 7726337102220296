# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import time
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import float_is_zero, sql
from odoo.tools.sql import column_exists

from odoo.addons.crm_relationship.const import MONEY_GROUPS

from ..engine import service_queries

_logger = logging.getLogger(__name__)

SERVICE_STATES = [
    ("na", "Not measured"),
    ("open", "Open"),
    ("overdue", "Overdue"),
    ("on_time", "On time"),
    ("late", "Late"),
]


class CrmOrderService(models.Model):
    """Service level of one confirmed sales order (../shared/METRICS.md, 3).

    A narrow table of its own, written set-based by SQL: validating a delivery
    updates only the rows of the orders it touches.
    """

    _name = "crm.order.service"
    _description = "Sales Order Service Level"
    _rec_name = "order_id"
    _order = "id desc"
    _check_company_auto = True

    order_id = fields.Many2one(
        "sale.order", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        readonly=True,
        index=True,
        help="Commercial partner of the order.",
    )
    first_promised_date = fields.Datetime(
        readonly=True,
        help="The promise frozen when the order was first confirmed: the "
        "commitment date, else the expected date at that moment.",
    )
    promise_change_count = fields.Integer(
        default=0,
        readonly=True,
        help="How many times the promised day was moved afterwards.",
    )
    due_date = fields.Date(
        readonly=True, help="Day of the first promise plus the late tolerance."
    )
    delivered_date = fields.Date(
        readonly=True,
        help="When every measured line is closed: the latest closing day.",
    )
    is_in_full = fields.Boolean(
        string="In Full",
        readonly=True,
        help="Every measured line delivered at its ordered quantity (within the "
        "quantity tolerance).",
    )
    is_on_time = fields.Boolean(
        string="On Time",
        readonly=True,
        help="The order closed, something delivered, on or before its due day.",
    )
    is_otif = fields.Boolean(string="OTIF", readonly=True, help="On time and in full.")
    fill_rate = fields.Float(
        readonly=True,
        aggregator="avg",
        help="Quantity delivered by the due day / ordered quantity, in %.",
    )
    cycle_time_days = fields.Integer(
        readonly=True,
        aggregator="avg",
        help="Days from the order day to the delivered day (delivered orders).",
    )
    delay_days = fields.Integer(
        readonly=True,
        aggregator="avg",
        help="Days from the promised day to the delivered day; negative: early.",
    )
    return_rate = fields.Float(
        readonly=True,
        aggregator="avg",
        help="Quantity returned by the customer / quantity delivered, in %.",
    )
    is_perfect_order = fields.Boolean(
        string="Perfect Order",
        readonly=True,
        help="On time, in full, nothing returned and no credit note.",
    )
    service_level_state = fields.Selection(
        SERVICE_STATES,
        readonly=True,
        default="na",
        index=True,
        help="Open: not delivered, not yet due. Overdue: not delivered, past its "
        "due day. On time / Late: delivered by / after the due day. Not "
        "measured: nothing to deliver.",
    )
    ordered_qty = fields.Float(readonly=True)
    delivered_qty = fields.Float(readonly=True)
    on_time_qty = fields.Float(readonly=True)
    returned_qty = fields.Float(readonly=True)
    revenue = fields.Float(
        readonly=True,
        help="Untaxed amount of the measured lines, in company currency.",
        groups=MONEY_GROUPS,
    )
    margin = fields.Float(
        readonly=True,
        help="Margin of the measured lines (Sales Margin), in company currency.",
        groups=MONEY_GROUPS,
    )
    line_count = fields.Integer(
        readonly=True, help="Measured lines: the report spreads the order over them."
    )
    line_ids = fields.One2many("crm.order.line.service", "service_id", readonly=True)

    _sql_constraints = [
        ("order_uniq", "unique(order_id)", "An order has one service-level row.")
    ]

    # ------------------------------------------------------------------
    # Engine
    # ------------------------------------------------------------------
    @api.model
    def _ensure_rows(self, orders):
        """Rows for confirmed orders that have none: freeze the promise now.
        Return the orders that got a row.

        One statement in the user's transaction inserts the rows and queues
        them: the figures are computed by the scheduled action (the row waits
        with the state "not measured").
        """
        orders = orders.filtered(lambda o: o.state == "sale")
        if not orders:
            return orders
        self.env["crm.order.service"].flush_model()
        # the orders with a row already are left out by the statement (no
        # read of their rows here, in the user's confirmation)
        rows = self.env.execute_query(
            service_queries.ensure_rows(
                orders.ids,
                [o.company_id.id for o in orders],
                [o.partner_id.commercial_partner_id.id for o in orders],
                [o.commitment_date or o.expected_date or o.date_order for o in orders],
                uid=self.env.uid,
                now=self.env.cr.now(),
            )
        )
        new = orders.browse(order_id for (order_id,) in rows)
        new.invalidate_recordset(["service_ids", "service_id"])
        return new

    @api.model
    def _recompute_orders(self, order_ids):
        """Recompute the service figures of these orders (set-based)."""
        order_ids = list({oid for oid in order_ids if oid})
        if not order_ids:
            return
        self.env["crm.relationship.metrics"]._disable_jit()
        for model in (
            "res.company",
            "res.partner",
            "sale.order",
            "sale.order.line",
            "stock.move",
            "account.move",
            "crm.order.service",
        ):
            self.env[model].flush_model()
        self.env.cr.execute(
            service_queries.recompute_orders(
                order_ids,
                now=fields.Datetime.now(),
                uid=self.env.uid,
                has_is_delivery=column_exists(
                    self.env.cr, "sale_order_line", "is_delivery"
                ),
                kits=self._kit_components(order_ids),
            )
        )
        self.env["crm.order.line.service"].invalidate_model()
        self.invalidate_model()
        # the order's related fields read the rows written above (only those:
        # the rest of the order's cache stays warm for the caller)
        SaleOrder = self.env["sale.order"]
        SaleOrder.invalidate_model(
            [
                name
                for name, field in SaleOrder._fields.items()
                if field.related and field.related.startswith("service_id.")
            ]
        )

    @api.model
    def _kit_components(self, order_ids):
        """(line id, component id, quantity per kit) of the orders' kit lines.

        The guarded hook of ``mrp``: without it (no ``bom_line_id`` on moves)
        there is no kit and every line counts its own product. With it, the
        kit's bill of materials is found as ``sale_mrp`` finds it for
        ``qty_delivered`` (the BoM of the line's moves, else the product's
        phantom BoM) and exploded once per line: the quantity of each stocked
        component in one unit of the kit (the kit's and the component's
        units), nested kits multiplied out. Read as superuser: the engine
        reads bills of materials a salesperson may not open.
        """
        if "bom_line_id" not in self.env["stock.move"]._fields:
            return []
        line_ids = [
            r[0] for r in self.env.execute_query(service_queries.kit_lines(order_ids))
        ]
        if not line_ids:
            return []
        components = []
        # sudo: the kit's components, whatever the user's manufacturing rights
        Bom = self.env["mrp.bom"].sudo()
        # sudo: the lines are measured whoever validated the delivery
        for line in self.env["sale.order.line"].sudo().browse(line_ids):
            product = line.product_id
            bom = line.move_ids.bom_line_id.bom_id.filtered(
                lambda b, p=product: b.type == "phantom"
                and (
                    b.product_id == p
                    or (b.product_tmpl_id == p.product_tmpl_id and not b.product_id)
                )
            )[:1]
            if not bom:
                bom = Bom._bom_find(
                    product, company_id=line.company_id.id, bom_type="phantom"
                )[product]
            if not bom:
                continue
            # one unit of the kit (its product's unit) in the BoM's unit
            kit_in_bom = product.uom_id._compute_quantity(
                1.0, bom.product_uom_id, round=False
            )
            per_kit = defaultdict(float)
            for bom_line, data in bom.explode(product, 1.0)[1]:
                component = bom_line.product_id
                if component.type != "consu" or float_is_zero(
                    data["qty"], precision_rounding=bom_line.product_uom_id.rounding
                ):
                    continue
                per_kit[component.id] += bom_line.product_uom_id._compute_quantity(
                    data["qty"] / bom.product_qty * kit_in_bom,
                    component.uom_id,
                    round=False,
                )
            components += [(line.id, pid, qty) for pid, qty in per_kit.items() if qty]
        return components

    @api.model
    def _init_existing_orders(self):
        """Install: rows for orders confirmed before the addon, by SQL.

        The promise is the commitment date, else the earliest deadline of the
        order's outgoing moves, else the order date; no change counted. Their
        figures are computed by the scheduled action that runs
        ``_cron_fill_pending`` (the install stays fast on a large database).
        """
        self.env.flush_all()
        cr = self.env.cr
        # the rows' foreign keys checked once per key, by the constraint
        # added again after the insert, not by a trigger call per row and key
        # (at L, a million rows: 33 s of the statement's 48 s); all in the
        # install's transaction
        keys = self.env.execute_query(service_queries.foreign_keys(self._table))
        for name, _definition in keys:
            sql.drop_constraint(cr, self._table, name)
        cr.execute(service_queries.init_existing_orders(self.env.uid))
        for name, definition in keys:
            sql.add_constraint(cr, self._table, name, definition)
        self.env["sale.order"].invalidate_model(["service_ids", "service_id"])
        self.env.ref("crm_supply_chain_link.ir_cron_order_service_fill")._trigger()

    @api.model
    def _cron_fill_pending(self, limit=50000, chunk=5000):
        """Compute the rows never computed (orders found at install), by
        chunks, within the time budget (``_cron_deadline``); the runner calls
        again while orders remain, a call that spent the budget starts a new
        run instead (``_cron_report``); when none remain, every customer is
        queued for its service rates."""
        deadline = self.env["crm.relationship.metrics"]._cron_deadline()
        order_ids = [
            r[0] for r in self.env.execute_query(service_queries.pending_orders(limit))
        ]
        done = []
        conflict = False
        for start in range(0, len(order_ids), chunk):
            if done and time.monotonic() > deadline:
                break
            try:
                with self.env.cr.savepoint():
                    self._recompute_orders(order_ids[start : start + chunk])
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                # a user changed one of these orders meanwhile: keep what is
                # done, the next run (in a few seconds) takes the rest in a
                # new transaction, instead of a failed run logged as an error
                _logger.info("Service levels: orders changed meanwhile; retried")
                conflict = True
                break
            done += order_ids[start : start + chunk]
        order_ids = done
        remaining = self.env.execute_query(service_queries.pending_count())[0][0]
        if conflict:
            self.env.ref("crm_supply_chain_link.ir_cron_order_service_fill")._trigger(
                at=fields.Datetime.now() + timedelta(seconds=5)
            )
            remaining = 0
        self.env["crm.relationship.metrics"]._cron_report(
            "crm_supply_chain_link.ir_cron_order_service_fill",
            len(order_ids),
            remaining,
            deadline,
        )
        if order_ids and not remaining:
            self.env["crm.relationship.metrics"]._cron_enqueue_all()
        return len(order_ids)

    @api.model
    def _cron_refresh_open(self):
        """Nightly: open orders may have become overdue (depends on today)."""
        ids = self.search([("service_level_state", "in", ("open", "overdue"))]).order_id
        for start in range(0, len(ids), 5000):
            self._recompute_orders(ids[start : start + 5000].ids)
