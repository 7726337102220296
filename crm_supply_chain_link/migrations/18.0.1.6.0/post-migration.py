# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def migrate(cr, version):
    """18.0.1.6.0 keeps the revenue and margin of the measured lines on the
    order's service row (the order-grain report reads them): filled once from
    the line rows, as the engine computes them (company currency)."""
    if not version:
        return
    cr.execute(
        """
        UPDATE crm_order_service s
           SET revenue = v.revenue, margin = v.margin
          FROM (SELECT ls.service_id,
                       sum((l.price_subtotal
                            / COALESCE(NULLIF(so.currency_rate, 0), 1.0))::float)
                           AS revenue,
                       sum((COALESCE(l.margin, 0)
                            / COALESCE(NULLIF(so.currency_rate, 0), 1.0))::float)
                           AS margin
                  FROM crm_order_line_service ls
                  JOIN sale_order_line l ON l.id = ls.line_id
                  JOIN sale_order so ON so.id = l.order_id
                 GROUP BY ls.service_id) v
         WHERE s.id = v.service_id AND s.service_level_state != 'na'
        """
    )
