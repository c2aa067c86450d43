#!/usr/bin/env python3
"""Train step: logistic regression by batch gradient descent, standard library only.

Features are the standardized numeric columns plus a one-hot encoding of
``plan``; the label is ``churned``. The model is written as JSON (weights, bias,
feature names and the standardization means/stds) so that evaluate.py, or any
other consumer, can apply it without this code.

If the environment variable MLOPS_METRICS_FILE is set, the training loss is
appended to that file as JSON lines ``{"key": "train_loss", "value": .., "step": ..}``,
which the MLOps Workbench runner turns into a live chart.
"""

import argparse
import csv
import json
import math
import os
import sys

NUMERIC = ["total_purchases", "avg_order_value", "days_since_last_order", "num_returns"]
CATEGORICAL = "plan"
LABEL = "churned"


def fail(message, code=1):
    print("train: error: %s" % message, file=sys.stderr)
    sys.exit(code)


def read_rows(path):
    if not os.path.isfile(path):
        fail("training data not found: %s" % path, 2)
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        missing = [c for c in NUMERIC + [CATEGORICAL, LABEL] if c not in (reader.fieldnames or [])]
        if missing:
            fail("%s lacks column(s): %s" % (path, ", ".join(missing)))
        rows = list(reader)
    if not rows:
        fail("training data is empty: %s" % path)
    return rows


def sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Train a logistic-regression churn model.")
    parser.add_argument("--train", required=True, help="training CSV")
    parser.add_argument("--model", required=True, help="output model JSON")
    parser.add_argument("--epochs", type=int, default=300, help="gradient-descent epochs (default 300)")
    parser.add_argument("--lr", type=float, default=0.1, help="learning rate (default 0.1)")
    args = parser.parse_args(argv)
    if args.epochs < 1:
        fail("--epochs must be at least 1")
    if args.lr < 0:
        fail("--lr must not be negative")

    rows = read_rows(args.train)
    try:
        raw = [[float(r[c]) for c in NUMERIC] for r in rows]
        y = [float(int(r[LABEL])) for r in rows]
    except ValueError as e:
        fail("bad value in %s: %s" % (args.train, e))

    n = len(rows)
    means = [sum(col) / n for col in zip(*raw)]
    stds = []
    for j, col in enumerate(zip(*raw)):
        var = sum((v - means[j]) ** 2 for v in col) / n
        stds.append(math.sqrt(var) if var > 0 else 1.0)
    categories = sorted({r[CATEGORICAL] for r in rows})
    features = NUMERIC + ["%s=%s" % (CATEGORICAL, c) for c in categories]

    X = []
    for r, values in zip(rows, raw):
        x = [(v - m) / s for v, m, s in zip(values, means, stds)]
        x.extend(1.0 if r[CATEGORICAL] == c else 0.0 for c in categories)
        X.append(x)

    d = len(features)
    w = [0.0] * d
    b = 0.0
    log_every = max(1, args.epochs // 50)
    print_every = max(1, args.epochs // 10)
    metrics_path = os.environ.get("MLOPS_METRICS_FILE")
    metrics_file = open(metrics_path, "a", encoding="utf-8") if metrics_path else None
    print("training on %d rows, %d features, %d epochs, lr %g" % (n, d, args.epochs, args.lr))

    loss = float("nan")
    try:
        for epoch in range(1, args.epochs + 1):
            grad_w = [0.0] * d
            grad_b = 0.0
            loss = 0.0
            for x, t in zip(X, y):
                z = b
                for wj, xj in zip(w, x):
                    z += wj * xj
                p = sigmoid(z)
                # log-loss, clamped away from log(0)
                q = min(max(p, 1e-12), 1 - 1e-12)
                loss -= t * math.log(q) + (1 - t) * math.log(1 - q)
                err = p - t
                grad_b += err
                for j in range(d):
                    grad_w[j] += err * x[j]
            loss /= n
            b -= args.lr * grad_b / n
            w = [wj - args.lr * g / n for wj, g in zip(w, grad_w)]
            # The loss is that of the weights before this epoch's update.
            if metrics_file and (epoch % log_every == 0 or epoch == args.epochs or epoch == 1):
                metrics_file.write(json.dumps({"key": "train_loss", "value": round(loss, 6), "step": epoch}) + "\n")
                metrics_file.flush()
            if epoch % print_every == 0 or epoch == 1 or epoch == args.epochs:
                print("epoch %4d/%d  loss %.4f" % (epoch, args.epochs, loss), flush=True)
    finally:
        if metrics_file:
            metrics_file.close()

    model = {
        "type": "logistic_regression",
        "label": LABEL,
        "numeric_features": NUMERIC,
        "categorical_feature": CATEGORICAL,
        "categories": categories,
        "feature_names": features,
        "means": means,
        "stds": stds,
        "weights": w,
        "bias": b,
        "threshold": 0.5,
        "train_rows": n,
        "epochs": args.epochs,
        "learning_rate": args.lr,
        "final_train_loss": loss,
    }
    parent = os.path.dirname(args.model)
    if parent:
        os.makedirs(parent, exist_ok=True)
    with open(args.model, "w", encoding="utf-8") as f:
        json.dump(model, f, indent=2)
        f.write("\n")
    print("wrote model to %s" % args.model)
    for name, weight in zip(features, w):
        print("  %-24s %+.4f" % (name, weight))
    print("  %-24s %+.4f" % ("(bias)", b))


if __name__ == "__main__":
    main()
