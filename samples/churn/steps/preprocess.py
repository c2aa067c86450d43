#!/usr/bin/env python3
"""Preprocess step: clean the churn CSV and split it into train and test sets.

Rows with an empty value are dropped (as ``df.dropna()`` does); the remaining
rows are shuffled with ``random.Random(seed)`` and split, so the same input and
seed always give the same two files.
"""

import argparse
import csv
import os
import random
import sys


def fail(message, code=1):
    print("preprocess: error: %s" % message, file=sys.stderr)
    sys.exit(code)


def read_csv(path):
    if not os.path.isfile(path):
        fail("input file not found: %s" % path, 2)
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if not header:
            fail("input file is empty: %s" % path)
        rows = [row for row in reader if row]
    return header, rows


def write_csv(path, header, rows):
    parent = os.path.dirname(path)
    if parent:
        os.makedirs(parent, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Split the churn data into train and test sets.")
    parser.add_argument("--input", required=True, help="input CSV (e.g. data/churn.csv)")
    parser.add_argument("--train", required=True, help="output CSV for the training rows")
    parser.add_argument("--test", required=True, help="output CSV for the test rows")
    parser.add_argument("--test-size", type=float, default=0.2,
                        help="fraction of rows for the test set, 0..1 (default 0.2)")
    parser.add_argument("--seed", type=int, default=42, help="shuffle seed (default 42)")
    args = parser.parse_args(argv)

    if not 0.0 <= args.test_size <= 1.0:
        fail("--test-size must be between 0 and 1, got %s" % args.test_size)

    header, rows = read_csv(args.input)
    width = len(header)
    clean = [row for row in rows if len(row) == width and all(v.strip() for v in row)]
    dropped = len(rows) - len(clean)

    order = list(range(len(clean)))
    random.Random(args.seed).shuffle(order)
    n_test = int(round(len(clean) * args.test_size))
    test_rows = [clean[i] for i in sorted(order[:n_test])]
    train_rows = [clean[i] for i in sorted(order[n_test:])]

    write_csv(args.train, header, train_rows)
    write_csv(args.test, header, test_rows)
    print("read %d rows from %s (%d dropped as incomplete)" % (len(rows), args.input, dropped))
    print("train: %d rows -> %s" % (len(train_rows), args.train))
    print("test:  %d rows -> %s" % (len(test_rows), args.test))


if __name__ == "__main__":
    main()
