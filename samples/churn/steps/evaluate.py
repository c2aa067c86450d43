#!/usr/bin/env python3
"""Evaluate step: score the test set with the JSON model and write metrics.

The metrics file is a JSON object of name -> number (accuracy, precision,
recall, f1, auc), each rounded to 4 decimals. AUC is computed by the rank
(Mann-Whitney U) method, with tied scores given their average rank.
"""

import argparse
import csv
import json
import math
import os
import sys


def fail(message, code=1):
    print("evaluate: error: %s" % message, file=sys.stderr)
    sys.exit(code)


def load_model(path):
    if not os.path.isfile(path):
        fail("model file not found: %s" % path, 2)
    try:
        with open(path, encoding="utf-8") as f:
            model = json.load(f)
        for key in ("numeric_features", "categorical_feature", "categories",
                    "means", "stds", "weights", "bias", "label"):
            model[key]
    except (ValueError, KeyError) as e:
        fail("%s is not a model written by train.py (%s)" % (path, e))
    return model


def sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def predict_proba(model, row):
    x = [(float(row[c]) - m) / s
         for c, m, s in zip(model["numeric_features"], model["means"], model["stds"])]
    value = row[model["categorical_feature"]]
    x.extend(1.0 if value == c else 0.0 for c in model["categories"])
    return sigmoid(model["bias"] + sum(w * v for w, v in zip(model["weights"], x)))


def auc_score(labels, scores):
    """Area under the ROC curve via the Mann-Whitney U statistic (average ranks for ties)."""
    n_pos = sum(labels)
    n_neg = len(labels) - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        average = (i + j) / 2.0 + 1.0  # ranks are 1-based
        for k in range(i, j + 1):
            ranks[order[k]] = average
        i = j + 1
    rank_sum = sum(r for r, t in zip(ranks, labels) if t == 1)
    return (rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Evaluate the churn model on the test set.")
    parser.add_argument("--model", required=True, help="model JSON written by train.py")
    parser.add_argument("--test", required=True, help="test CSV")
    parser.add_argument("--metrics", required=True, help="output metrics JSON")
    args = parser.parse_args(argv)

    model = load_model(args.model)
    if not os.path.isfile(args.test):
        fail("test data not found: %s" % args.test, 2)
    with open(args.test, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        needed = model["numeric_features"] + [model["categorical_feature"], model["label"]]
        missing = [c for c in needed if c not in (reader.fieldnames or [])]
        if missing:
            fail("%s lacks column(s): %s" % (args.test, ", ".join(missing)))
        rows = list(reader)
    if not rows:
        fail("test data is empty: %s (is test_size 0?)" % args.test)

    threshold = model.get("threshold", 0.5)
    try:
        labels = [int(r[model["label"]]) for r in rows]
        scores = [predict_proba(model, r) for r in rows]
    except ValueError as e:
        fail("bad value in %s: %s" % (args.test, e))
    preds = [1 if s >= threshold else 0 for s in scores]

    tp = sum(1 for p, t in zip(preds, labels) if p == 1 and t == 1)
    fp = sum(1 for p, t in zip(preds, labels) if p == 1 and t == 0)
    fn = sum(1 for p, t in zip(preds, labels) if p == 0 and t == 1)
    tn = len(labels) - tp - fp - fn
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    metrics = {
        "accuracy": (tp + tn) / len(labels),
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }
    auc = auc_score(labels, scores)
    if auc is None:
        print("evaluate: warning: the test set has only one class; auc is left out", file=sys.stderr)
    else:
        metrics["auc"] = auc
    metrics = {k: round(v, 4) for k, v in metrics.items()}

    parent = os.path.dirname(args.metrics)
    if parent:
        os.makedirs(parent, exist_ok=True)
    with open(args.metrics, "w", encoding="utf-8") as f:
        json.dump(metrics, f, indent=2)
        f.write("\n")
    print("evaluated %d rows (tp %d, fp %d, fn %d, tn %d)" % (len(labels), tp, fp, fn, tn))
    for name, value in metrics.items():
        print("  %-10s %.4f" % (name, value))
    print("wrote metrics to %s" % args.metrics)


if __name__ == "__main__":
    main()
