# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The company-wide relationship values: RFM quintile scores among the
customers active in the window, segments by the RFM grid, Pareto tiers,
churn risk against the customer's rhythm (else the company's median), its
sentence and the predicted value; from the stored values or, in a batch
holding every customer of the company, from the batch's own.

Plain functions returning ``odoo.tools.SQL`` (docs/user-guide.md, "What the
values mean"; ../shared/METRICS.md, section 1).
"""

from odoo.tools import SQL

RFM_SEGMENTS = [
    ("champions", "Champions"),
    ("loyal", "Loyal"),
    ("potential_loyalist", "Potential loyalist"),
    ("new", "New customers"),
    ("promising", "Promising"),
    ("need_attention", "Need attention"),
    ("about_to_sleep", "About to sleep"),
    ("at_risk", "At risk"),
    ("cannot_lose", "Cannot lose them"),
    ("hibernating", "Hibernating"),
    ("lost", "Lost"),
]


# rows FM 5..1, columns R 1..5 (../shared/METRICS.md, section 1)
RFM_GRID = {
    5: ["cannot_lose", "at_risk", "loyal", "champions", "champions"],
    4: ["cannot_lose", "at_risk", "loyal", "loyal", "champions"],
    3: [
        "hibernating",
        "at_risk",
        "need_attention",
        "potential_loyalist",
        "potential_loyalist",
    ],
    2: [
        "lost",
        "hibernating",
        "about_to_sleep",
        "potential_loyalist",
        "potential_loyalist",
    ],
    1: ["lost", "lost", "about_to_sleep", "promising", "new"],
}


DEFAULT_MEDIAN_INTERVAL = 90.0


# Columns written by the company-wide pass (they depend on the whole base).
COMPANY_COLUMNS = [
    "rfm_recency_score",
    "rfm_frequency_score",
    "rfm_monetary_score",
    "rfm_segment",
    "value_tier",
    "churn_risk",
    "churn_risk_reason",
    "predicted_clv",
]


# the values table's column -> company_values()' name for it
COMPANY_NAMES = dict(
    zip(
        COMPANY_COLUMNS,
        ["r", "f", "m", "segment", "tier", "risk", "reason", "clv"],
        strict=True,
    )
)


# what company_values() reads of each customer: the values it ranks
COMPANY_READS = (
    "recency_days",
    "rfm_frequency",
    "rfm_monetary",
    "purchase_interval_days",
    "average_order_value",
    "lifetime_order_count",
)


def company_values(source, template, a_share, b_share):
    """partner_id then the values of COMPANY_COLUMNS (r, f, m, segment, tier,
    risk, reason, clv) of the customers of ``source`` (a query of all the
    company's customers with partner_id, recency_days, rfm_frequency,
    rfm_monetary, purchase_interval_days, average_order_value and
    lifetime_order_count): quintile scores, RFM segment by RFM_GRID, Pareto
    tier, churn risk against the customer's rhythm (else the company's
    median), its sentence and predicted value (docs/user-guide.md, "What the
    values mean")."""
    grid = SQL(", ").join(
        SQL("(%s, %s, %s)", fm, r + 1, segment)
        for fm, row in RFM_GRID.items()
        for r, segment in enumerate(row)
    )
    return SQL(
        """
        WITH src AS (%(source)s), base AS (
            SELECT partner_id, recency_days, rfm_frequency,
                   COALESCE(rfm_monetary, 0) AS monetary,
                   purchase_interval_days, average_order_value
              FROM src
             WHERE lifetime_order_count > 0
        ), med AS (
            SELECT COALESCE(
                       percentile_cont(0.5) WITHIN GROUP (
                           ORDER BY purchase_interval_days),
                       %(default_median)s) AS median
              FROM base
             WHERE purchase_interval_days IS NOT NULL
        ), scored AS (
            SELECT b.partner_id,
                   -- scored among the customers with an order in the window;
                   -- the others score 1, 1, 1 (lost)
                   CASE WHEN b.rfm_frequency > 0
                        THEN ceil(5 * cume_dist() OVER (
                            PARTITION BY b.rfm_frequency > 0
                            ORDER BY b.recency_days DESC))::int
                        ELSE 1 END AS r,
                   CASE WHEN b.rfm_frequency > 0
                        THEN ceil(5 * cume_dist() OVER (
                            PARTITION BY b.rfm_frequency > 0
                            ORDER BY b.rfm_frequency))::int
                        ELSE 1 END AS f,
                   CASE WHEN b.rfm_frequency > 0
                        THEN ceil(5 * cume_dist() OVER (
                            PARTITION BY b.rfm_frequency > 0
                            ORDER BY b.monetary))::int
                        ELSE 1 END AS m,
                   COALESCE(sum(GREATEST(b.monetary, 0)) OVER (
                       ORDER BY b.monetary DESC, b.partner_id
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
                       AS before,
                   sum(GREATEST(b.monetary, 0)) OVER () AS total,
                   b.monetary,
                   b.recency_days,
                   b.average_order_value,
                   COALESCE(b.purchase_interval_days, med.median) AS eff
              FROM base b, med
        ), ratio AS (
            SELECT s.*, s.recency_days / s.eff AS ratio FROM scored s
        ), churn AS (
            SELECT rt.*,
                   CASE WHEN rt.ratio <= 1 THEN 0
                        WHEN rt.ratio < 3
                        THEN round((50 * (rt.ratio - 1))::numeric, 2)
                        ELSE 100
                   END AS risk
              FROM ratio rt
        ), final AS (
            SELECT c.partner_id, c.r, c.f, c.m, g.segment,
                   CASE WHEN c.monetary <= 0 THEN 'C'
                        WHEN c.before / c.total < %(a_share)s THEN 'A'
                        WHEN c.before / c.total < %(b_share)s THEN 'B'
                        ELSE 'C'
                   END AS tier,
                   c.risk::float AS risk,
                   format(%(template)s, c.recency_days,
                          to_char(round(c.ratio::numeric, 1), 'FM999990.0'),
                          round(c.eff::numeric)) AS reason,
                   round((c.average_order_value * 365 / c.eff
                          * (1 - c.risk / 100))::numeric, 2)::float AS clv
              FROM churn c
              JOIN (VALUES %(grid)s) AS g(fm, r, segment)
                ON g.fm = floor((c.f + c.m + 1) / 2) AND g.r = c.r
            UNION ALL
            SELECT partner_id, NULL, NULL, NULL, NULL, 'C', NULL, NULL, NULL
              FROM src
             WHERE COALESCE(lifetime_order_count, 0) = 0
        )
        SELECT * FROM final
        """,
        source=source,
        default_median=DEFAULT_MEDIAN_INTERVAL,
        a_share=a_share,
        b_share=b_share,
        template=template,
        grid=grid,
    )


def stored_values(company_id):
    """The stored values company_values() reads for the company pass."""
    return SQL(
        """
        SELECT partner_id, recency_days, rfm_frequency, rfm_monetary,
               purchase_interval_days, average_order_value,
               lifetime_order_count
          FROM crm_relationship_metrics
         WHERE company_id = %s
        """,
        company_id,
    )


def as_stored(inputs):
    """The values company_values() ranks (COMPANY_READS of ``inputs``, a
    relation of the batch's parts) with the types they are stored with: the
    source of the company part of a batch holding every customer of the
    company."""
    return SQL(
        """
        SELECT partner_id, recency_days::int AS recency_days,
               rfm_frequency::int AS rfm_frequency,
               rfm_monetary::float8 AS rfm_monetary,
               purchase_interval_days::float8 AS purchase_interval_days,
               average_order_value::float8 AS average_order_value,
               lifetime_order_count::int AS lifetime_order_count
          FROM %s i
        """,
        inputs,
    )
