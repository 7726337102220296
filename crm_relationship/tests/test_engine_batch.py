# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The batch assembled from named parts (engine/batch.py): columns by name,
parts ordered by what they read, never by their declaration order."""

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from ..engine import batch
from .common import RelationshipCommon


def _constant(name, columns, values, reads=(), expression=None):
    """A part of fixed values for partner 1 and 2 (``expression`` builds its
    query from ``inputs`` instead)."""

    def build(inputs):
        if expression:
            return expression(inputs)
        return SQL(
            "SELECT * FROM (VALUES %s) AS v(partner_id, %s)",
            SQL(", ").join(SQL("(%s, %s)", pid, value) for pid, value in values),
            SQL(", ").join(SQL.identifier(c) for c in columns),
        )

    return batch.Part(name, tuple(columns), build, reads=tuple(reads))


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30 12:00:00")
class TestEngineBatch(RelationshipCommon):
    def _rows(self, parts):
        """{partner_id: {column: value}} of the assembled batch."""
        return {
            row["partner_id"]: row
            for row in (
                dict(r) for r in self.env.execute_query_dict(batch.assemble(parts))
            )
        }

    def test_parts_by_name_in_any_order(self):
        parts = [
            _constant("a", ["x"], [(1, 10), (2, 20)]),
            # reads x of part a: 2x + 1
            _constant(
                "b",
                ["y"],
                None,
                reads=["x"],
                expression=lambda inputs: SQL(
                    "SELECT partner_id, 2 * x + 1 AS y FROM %s i", inputs
                ),
            ),
            _constant("c", ["z"], [(1, 100), (2, 200)]),
            # reads y (of b, which reads a) and z: y + z
            _constant(
                "d",
                ["w"],
                None,
                reads=["y", "z"],
                expression=lambda inputs: SQL(
                    "SELECT partner_id, y + z AS w FROM %s i", inputs
                ),
            ),
        ]
        expected = {
            1: {"partner_id": 1, "x": 10, "y": 21, "z": 100, "w": 121},
            2: {"partner_id": 2, "x": 20, "y": 41, "z": 200, "w": 241},
        }
        self.assertEqual(self._rows(parts), expected)
        # declared in reverse: the same rows (dependencies decide the order)
        self.assertEqual(self._rows(list(reversed(parts))), expected)
        self.assertEqual(
            [p.name for p in batch.ordered(list(reversed(parts)))],
            ["c", "a", "b", "d"],
        )
        self.assertEqual(batch.columns(parts), ["x", "y", "z", "w"])

    def test_bad_declarations_are_refused(self):
        a = _constant("a", ["x"], [(1, 1)])
        with self.assertRaisesRegex(ValueError, "reads nowhere, which no other"):
            batch.ordered([a, _constant("b", ["y"], None, reads=["nowhere"])])
        with self.assertRaisesRegex(ValueError, "produced by parts a and b"):
            batch.ordered([a, _constant("b", ["x"], [(1, 2)])])
        with self.assertRaisesRegex(ValueError, "in a circle"):
            batch.ordered(
                [
                    _constant("b", ["y"], None, reads=["z"]),
                    _constant("c", ["z"], None, reads=["y"]),
                ]
            )

    def test_engine_batch_in_reverse_order(self):
        """The engine's own parts (orders, requests, receivables and, with
        crm_supply_chain_link, service rates and profitability, plus the
        company part) declared in reverse give identical rows."""
        customer = self.env["res.partner"].create(
            {"name": "Batch order", "customer_rank": 1}
        )
        other = self.env["res.partner"].create(
            {"name": "Batch other", "customer_rank": 1}
        )
        self._order(customer, "2026-06-01", 120.0)
        self._order(customer, "2026-05-01", 80.0)
        self._order(other, "2025-01-01", 40.0)
        self.env.flush_all()
        ids = [customer.id, other.id]
        Metrics = self.Metrics
        parts = Metrics._batch_parts(ids, self.company) + [
            Metrics._company_part(self.company)
        ]
        forward = self._rows(parts)
        backward = self._rows(list(reversed(parts)))
        self.assertEqual(forward, backward)
        self.assertEqual(set(forward), set(ids))
        # hand-computed: two orders in W, 200 in all, last 29 days ago
        row = forward[customer.id]
        self.assertEqual(
            (
                row["lifetime_order_count"],
                float(row["rfm_monetary"]),
                row["recency_days"],
                row["rfm_recency_score"],
            ),
            (2, 200.0, 29, 5),
        )
        # the other has no order in W: 1, 1, 1 and lost
        self.assertEqual(
            (
                forward[other.id]["rfm_frequency_score"],
                forward[other.id]["rfm_segment"],
            ),
            (1, "lost"),
        )
        self.assertEqual(list(forward[customer.id])[1:], batch.columns(parts))
