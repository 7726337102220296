# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A straightforward per-customer computation of ../shared/METRICS.md section 1.

Used by the tests and the benchmarks to cross-check the set-based engine: it
reads orders through the ORM, one customer at a time, and computes everything
in Python.
"""

import math
import statistics
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytz

from ..models.crm_relationship_metrics import DEFAULT_MEDIAN_INTERVAL, RFM_GRID


def half_up(value, digits=0):
    q = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(value)).quantize(q, rounding=ROUND_HALF_UP))


def _day(dt, tz):
    return pytz.utc.localize(dt).astimezone(pytz.timezone(tz)).date()


def naive_customer(env, partner, company, as_of):
    tz = company.partner_id.tz or "UTC"
    orders = env["sale.order"].search(
        [
            ("state", "=", "sale"),
            ("company_id", "=", company.id),
            ("partner_id.commercial_partner_id", "=", partner.id),
        ]
    )
    start = as_of - timedelta(days=company.rfm_window_days)
    rows = []
    for order in orders:
        rows.append(
            (
                _day(order.date_order, tz),
                order.amount_untaxed / (order.currency_rate or 1.0),
                order,
            )
        )
    res = {"lifetime_order_count": len(rows)}
    if not rows:
        res.update(rfm_frequency=0, product_category_count=0, contact_count=0)
        return res
    days = sorted({r[0] for r in rows})
    in_w = [r for r in rows if start < r[0] <= as_of]
    res["first_order_date"] = days[0]
    res["last_order_date"] = days[-1]
    res["lifetime_revenue"] = sum(r[1] for r in rows)
    res["average_order_value"] = res["lifetime_revenue"] / len(rows)
    res["recency_days"] = (as_of - days[-1]).days
    res["tenure_days"] = (as_of - days[0]).days
    res["rfm_frequency"] = len(in_w)
    res["rfm_monetary"] = sum(r[1] for r in in_w)
    res["purchase_interval_days"] = (
        (days[-1] - days[0]).days / (len(days) - 1) if len(days) >= 2 else None
    )
    res["expected_next_order_date"] = (
        days[-1] + timedelta(days=int(half_up(res["purchase_interval_days"])))
        if res["purchase_interval_days"] is not None
        else None
    )
    res["contact_count"] = len({r[2].partner_id.id for r in in_w})
    categories = set()
    for order in (r[2] for r in in_w):
        for line in order.order_line:
            if (
                line.display_type
                or line.is_downpayment
                or not line.product_id
                or line.product_id.type == "combo"
                or getattr(line, "is_delivery", False)
            ):
                continue
            categories.add(line.product_id.categ_id.id)
    res["product_category_count"] = len(categories)
    reactivation = None
    for prev, day in zip(days, days[1:], strict=False):
        if (day - prev).days > company.lost_after_days:
            reactivation = day
    res["reactivation_date"] = reactivation
    return res


def _cume_scores(values):
    """ceil(5 * cume_dist()) for each value, ordered ascending."""
    n = len(values)
    return [math.ceil(5 * sum(1 for w in values if w <= v) / n) for v in values]


def naive_company(env, partners, company, as_of):
    """Every value of section 1 for ``partners`` (all the company's customers)."""
    result = {p.id: naive_customer(env, p, company, as_of) for p in partners}
    buyers = [pid for pid, r in result.items() if r["lifetime_order_count"]]
    intervals = [
        result[pid]["purchase_interval_days"]
        for pid in buyers
        if result[pid]["purchase_interval_days"] is not None
    ]
    median = statistics.median(intervals) if intervals else DEFAULT_MEDIAN_INTERVAL
    # scored among the customers with a confirmed order in the window; the
    # others score 1, 1, 1 (METRICS.md section 1)
    active = [pid for pid in buyers if result[pid]["rfm_frequency"]]
    scores = dict.fromkeys(buyers, (1, 1, 1))
    scores.update(
        zip(
            active,
            zip(
                _cume_scores([-result[pid]["recency_days"] for pid in active]),
                _cume_scores([result[pid]["rfm_frequency"] for pid in active]),
                _cume_scores([result[pid]["rfm_monetary"] for pid in active]),
                strict=True,
            ),
            strict=True,
        )
    )
    ranked = sorted(buyers, key=lambda pid: (-result[pid]["rfm_monetary"], pid))
    total = sum(max(result[pid]["rfm_monetary"], 0) for pid in buyers)
    before = 0.0
    tiers = {}
    for pid in ranked:
        monetary = result[pid]["rfm_monetary"]
        if monetary <= 0:
            tiers[pid] = "C"
        elif before / total < company.value_tier_a_percent / 100:
            tiers[pid] = "A"
        elif before / total < company.value_tier_b_percent / 100:
            tiers[pid] = "B"
        else:
            tiers[pid] = "C"
        before += max(monetary, 0)
    for pid in buyers:
        r = result[pid]
        r_score, f_score, m_score = scores[pid]
        interval = r["purchase_interval_days"] or median
        ratio = r["recency_days"] / interval
        if ratio <= 1:
            risk = 0.0
        elif ratio < 3:
            risk = half_up(50 * (ratio - 1), 2)
        else:
            risk = 100.0
        fm = (f_score + m_score + 1) // 2
        r.update(
            rfm_recency_score=r_score,
            rfm_frequency_score=f_score,
            rfm_monetary_score=m_score,
            rfm_segment=RFM_GRID[fm][r_score - 1],
            value_tier=tiers[pid],
            churn_risk=risk,
            predicted_clv=half_up(
                r["average_order_value"] * 365 / interval * (1 - risk / 100), 2
            ),
        )
    for r in result.values():
        if not r["lifetime_order_count"]:
            r["value_tier"] = "C"
    return result
