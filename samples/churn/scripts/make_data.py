#!/usr/bin/env python3
"""Generate the synthetic customer-churn data of the MLOps Workbench demo.

Writes these CSV files (paths relative to the sample folder by default):

  data/churn.csv               ~2,000 customers, the training/reference data
  data/incoming/batch-001.csv  ~500 later customers whose `days_since_last_order`
                               and `avg_order_value` distributions have shifted
                               (data drift for the monitor demo)

and the same customers split the way a feature store holds them:

  data/customer_stats.csv      the feature rows of all of them (the source of the
                               feature view customer_features)
  data/labels.csv              the entity rows of the first ~2,000: customer_id, a
                               label time six hours after the feature row, the plan
                               and the label (what the pipeline's training set joins)
  data/labels-batch-001.csv    the same for the later ~500 (for retraining)

Everything comes from one ``random.Random(42)`` stream and fixed timestamps, so
running the script again reproduces both files byte for byte.

Churn follows a logistic link on the features, and the label is drawn from
that probability, so a logistic regression recovers the signal well but not
perfectly (AUC around 0.85).
"""

import argparse
import csv
import math
import os
import random
from datetime import datetime, timedelta, timezone

SEED = 42
COLUMNS = [
    "customer_id",
    "event_timestamp",
    "total_purchases",
    "avg_order_value",
    "days_since_last_order",
    "num_returns",
    "plan",
    "churned",
]
FEATURE_COLUMNS = COLUMNS[:6]
LABEL_COLUMNS = ["customer_id", "event_timestamp", "plan", "churned"]
# Labels are known some hours after the features they are trained on (inside the view's 1-day ttl).
LABEL_DELAY = timedelta(hours=6)
PLANS = ["basic", "plus", "pro"]
PLAN_WEIGHTS = [0.5, 0.3, 0.2]
# Effect of the plan on the churn log-odds (pro customers stay longer).
PLAN_EFFECT = {"basic": 0.6, "plus": 0.0, "pro": -0.8}


def churn_probability(purchases, order_value, days_since, returns, plan):
    """The true (hidden) model: a logistic link on the features."""
    logit = (
        0.3
        + 0.07 * days_since
        - 0.16 * purchases
        + 0.45 * returns
        - 0.02 * order_value
        + PLAN_EFFECT[plan]
    )
    return 1.0 / (1.0 + math.exp(-logit))


def make_rows(rng, first_id, count, start, span_minutes, drift=False):
    """Draw ``count`` customers; with ``drift`` recency and basket size shift."""
    rows = []
    for i in range(count):
        customer_id = "C%05d" % (first_id + i)
        # Timestamps are increasing and depend only on the stream: deterministic.
        offset = int(span_minutes * i / count) + rng.randrange(0, 60)
        timestamp = (start + timedelta(minutes=offset)).strftime("%Y-%m-%dT%H:%M:%SZ")

        purchases = max(1, int(round(rng.lognormvariate(2.3, 0.6))))
        # Drift: customers order less recently and spend more per order.
        value_mu = 4.15 if drift else 3.8
        order_value = round(min(rng.lognormvariate(value_mu, 0.45), 999.0), 2)
        recency_mean = 32.0 if drift else 18.0
        days_since = min(365, int(rng.expovariate(1.0 / recency_mean)))
        returns = sum(1 for _ in range(purchases) if rng.random() < 0.07)
        plan = rng.choices(PLANS, weights=PLAN_WEIGHTS)[0]

        p = churn_probability(purchases, order_value, days_since, returns, plan)
        churned = 1 if rng.random() < p else 0
        rows.append([
            customer_id,
            timestamp,
            str(purchases),
            "%.2f" % order_value,
            str(days_since),
            str(returns),
            plan,
            str(churned),
        ])
    return rows


def write_csv(path, rows, columns=COLUMNS):
    parent = os.path.dirname(path)
    if parent:
        os.makedirs(parent, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)


def label_rows(rows):
    """customer_id, label time (the feature time plus LABEL_DELAY), plan, churned."""
    out = []
    for row in rows:
        seen = datetime.strptime(row[1], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        out.append([row[0], (seen + LABEL_DELAY).strftime("%Y-%m-%dT%H:%M:%SZ"), row[6], row[7]])
    return out


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    sample = os.path.dirname(here)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(sample, "data", "churn.csv"),
                        help="reference dataset (default: data/churn.csv)")
    parser.add_argument("--batch", default=os.path.join(sample, "data", "incoming", "batch-001.csv"),
                        help="drifted batch (default: data/incoming/batch-001.csv)")
    parser.add_argument("--rows", type=int, default=2000, help="rows of the reference set")
    parser.add_argument("--batch-rows", type=int, default=500, help="rows of the drifted batch")
    args = parser.parse_args(argv)

    rng = random.Random(SEED)
    utc = timezone.utc
    reference = make_rows(rng, 1, args.rows,
                          datetime(2024, 1, 1, tzinfo=utc), 90 * 24 * 60)
    batch = make_rows(rng, args.rows + 1, args.batch_rows,
                      datetime(2024, 4, 1, tzinfo=utc), 14 * 24 * 60, drift=True)
    write_csv(args.out, reference)
    write_csv(args.batch, batch)
    data = os.path.dirname(args.out)
    write_csv(os.path.join(data, "customer_stats.csv"), [r[:6] for r in reference + batch], FEATURE_COLUMNS)
    write_csv(os.path.join(data, "labels.csv"), label_rows(reference), LABEL_COLUMNS)
    write_csv(os.path.join(data, "labels-batch-001.csv"), label_rows(batch), LABEL_COLUMNS)
    for path, rows in ((args.out, reference), (args.batch, batch)):
        rate = sum(int(r[-1]) for r in rows) / len(rows)
        print("wrote %s: %d rows, churn rate %.3f" % (path, len(rows), rate))


if __name__ == "__main__":
    main()
