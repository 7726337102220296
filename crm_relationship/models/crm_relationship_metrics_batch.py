# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists

from ..engine import batch, relationship_queries
from ..engine.relationship_queries import (
    BATCH_COLUMNS,
    COMPANY_COLUMNS,
    REQUEST_COLUMNS,
)


class CrmRelationshipMetrics(models.Model):
    """The per-customer batch (its named parts, engine/batch.py) and the
    company pass: what the orchestration of ``_refresh`` calls, and the hooks
    the other files and crm_supply_chain_link extend (``_batch_parts``,
    ``_write_company_overrides``)."""

    _inherit = "crm.relationship.metrics"  # pylint: disable=R8180

    @api.model
    def _batch_query(self, partner_ids, company):
        """The per-customer aggregation: one row per partner id."""
        tz, as_of = self._as_of(company)
        return relationship_queries.customer_values(
            partner_ids,
            company.id,
            tz,
            as_of,
            window_days=company.rfm_window_days,
            lost_after=company.lost_after_days,
            has_is_delivery=column_exists(
                self.env.cr, "sale_order_line", "is_delivery"
            ),
        )

    @api.model
    def _batch_parts(self, partner_ids, company):
        """The named parts of the per-customer batch (engine/batch.py): each
        produces values-table columns by name and may read other parts'
        columns; the batch orders them by what they read. Every per-customer
        value (orders, requests and, in other files and addons, receivables,
        service rates, profitability) is computed in one statement and
        written in one upsert of the row. Queries are built when the batch is
        assembled."""
        return [
            batch.Part(
                "orders",
                tuple(BATCH_COLUMNS),
                lambda _inputs: batch.renamed(
                    self._batch_query(partner_ids, company),
                    relationship_queries.BATCH_NAMES,
                ),
            ),
            batch.Part(
                "requests",
                tuple(REQUEST_COLUMNS),
                lambda _inputs: batch.renamed(
                    self._request_query(partner_ids, company),
                    relationship_queries.REQUEST_NAMES,
                ),
            ),
        ]

    @api.model
    def _company_part(self, company):
        """The company-wide values as a part of a batch holding every
        customer of the company: ranked from the batch's own values, each row
        then written once."""
        return batch.Part(
            "company",
            tuple(COMPANY_COLUMNS),
            lambda inputs: batch.renamed(
                self._company_query(company, relationship_queries.as_stored(inputs)),
                relationship_queries.COMPANY_NAMES,
            ),
            reads=relationship_queries.COMPANY_READS,
            outer=True,
        )

    @api.model
    def _batch_columns(self):
        """The columns the per-customer upsert writes (by name)."""
        return batch.columns(self._batch_parts([], self.env.company))

    @api.model
    def _write_batch(self, partner_ids, company, with_company=False):
        """Upsert the batch values; link the customers whose row is new.

        ``with_company``: ``partner_ids`` are all the customers of the
        company, and the company-wide values are computed from the batch's and
        written in the same statement (each row written once).
        """
        for model in (
            "sale.order",
            "sale.order.line",
            "res.partner",
            "product.product",
            "crm.customer.request",
        ):
            self.env[model].flush_model()
        self.flush_model()
        parts = self._batch_parts(partner_ids, company)
        if with_company:
            parts.append(self._company_part(company))
        columns = batch.columns(parts)
        rows = self.env.execute_query(
            relationship_queries.upsert(
                columns, batch.assemble(parts), company.id, self.env.uid
            )
        )
        self.invalidate_model(columns)
        inserted = [partner_id for partner_id, new in rows if new]
        if inserted:
            self._link_partners(inserted, company)

    @api.model
    def _link_partners(self, partner_ids, company):
        """Point the company-dependent many2one of new customers to their row.

        Writes a partner row once per (customer, company), when its values are
        first created; never afterwards.
        """
        self.env.cr.execute(relationship_queries.link_partners(partner_ids, company.id))
        self.env["res.partner"].invalidate_model(["relationship_metrics_id"])

    @api.model
    def _company_query(self, company, source):
        """The company-wide values of the customers of ``source``: partner_id
        then the values of COMPANY_COLUMNS (engine/relationship_queries.py)."""
        lang = company.partner_id.lang or "en_US"
        template = self.with_context(lang=lang).env._(
            "Last order %(recency)s days ago, %(ratio)sx the usual %(interval)s days"
        )
        return relationship_queries.company_values(
            source,
            self._pg_format(template, ["recency", "ratio", "interval"]),
            a_share=company.value_tier_a_percent / 100.0,
            b_share=company.value_tier_b_percent / 100.0,
        )

    @api.model
    def _write_company_values(self, company, partner_ids=None):
        """Scores, segments, tiers, churn risk and CLV of the whole company,
        from the values stored (one statement); written for ``partner_ids``
        only when given."""
        self.flush_model()
        self._update_rows(
            company,
            COMPANY_COLUMNS,
            self._company_query(
                company, relationship_queries.stored_values(company.id)
            ),
            SQL("v.r, v.f, v.m, v.segment, v.tier, v.risk, v.reason, v.clv"),
            partner_ids,
        )
        self._write_company_overrides(company, partner_ids)

    @api.model
    def _update_rows(self, company, columns, query, values, partner_ids=None):
        """Write ``columns`` of the company's rows from ``query`` (one row per
        partner_id, read as ``v``; ``values``: its expressions, in the order
        of ``columns``), where they differ (the rows of ``partner_ids`` only,
        when given)."""
        self.env.cr.execute(
            relationship_queries.update_rows(
                company.id, columns, query, values, partner_ids
            )
        )
        self.invalidate_model(columns)

    @api.model
    def _write_company_overrides(self, company, partner_ids=None):
        """What overrides the buying rhythm's churn risk and reason, once the
        company-wide values are written (a complaint open too long: the
        requests' file; the service reason: crm_supply_chain_link); for
        ``partner_ids`` only when given."""

    @api.model
    def _rows_outside(self, partner_ids, company):
        """Whether the company has rows of customers not in ``partner_ids``."""
        self.flush_model(["partner_id", "company_id"])
        return bool(
            self.env.execute_query(
                relationship_queries.rows_outside(partner_ids, company.id)
            )
        )
