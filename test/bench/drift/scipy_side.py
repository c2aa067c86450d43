"""The scipy side of test/bench/drift/run.ts: times ks_2samp on the very data the TypeScript side used.

    python3 scipy_side.py ks A.f64 B.f64 REPEATS       -> JSON {scipy, times: [s...], statistic, pvalue}
    python3 scipy_side.py csv REF.csv CUR.csv REPEATS  -> JSON {scipy, read_s, ks_s: [s...], columns}
    python3 scipy_side.py large REF.csv CUR.csv READER -> JSON {scipy, reader, read_s, ks_s, cpu_s, max_rss_mb, columns: [{column, statistic, pvalue}]}
        READER: pandas (read_csv, C engine) or loadtxt (np.loadtxt); every column numeric
"""
import csv
import json
import sys
import time

import numpy as np
import scipy
from scipy import stats


def ks_files(a, b, repeats):
    x = np.fromfile(a, dtype="<f8")
    y = np.fromfile(b, dtype="<f8")
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        r = stats.ks_2samp(x, y)
        times.append(time.perf_counter() - t)
    return {"scipy": scipy.__version__, "times": times, "statistic": float(r.statistic), "pvalue": float(r.pvalue)}


def read_numeric_columns(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    columns = {}
    for i, name in enumerate(header):
        try:
            columns[name] = np.array([float(r[i]) for r in body])
        except ValueError:
            pass  # text column: ks_2samp compares numbers only
    return columns


def csv_files(ref, cur, repeats):
    t = time.perf_counter()
    a = read_numeric_columns(ref)
    b = read_numeric_columns(cur)
    read_s = time.perf_counter() - t
    names = [n for n in a if n in b]
    ks_s = []
    for _ in range(repeats):
        t = time.perf_counter()
        for n in names:
            stats.ks_2samp(a[n], b[n])
        ks_s.append(time.perf_counter() - t)
    return {"scipy": scipy.__version__, "read_s": read_s, "ks_s": ks_s, "columns": len(names)}


def read_all(path, reader):
    if reader == "pandas":
        import pandas as pd

        frame = pd.read_csv(path, dtype=np.float64, engine="c")
        return {name: frame[name].to_numpy() for name in frame.columns}
    with open(path) as f:
        header = f.readline().strip().split(",")
    table = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64, ndmin=2)
    return {name: table[:, i] for i, name in enumerate(header)}


def large_files(ref, cur, reader):
    import resource

    t = time.perf_counter()
    a = read_all(ref, reader)
    b = read_all(cur, reader)
    read_s = time.perf_counter() - t
    t = time.perf_counter()
    columns = []
    for name in a:
        r = stats.ks_2samp(a[name], b[name])
        columns.append({"column": name, "statistic": float(r.statistic), "pvalue": float(r.pvalue)})
    ks_s = time.perf_counter() - t
    usage = resource.getrusage(resource.RUSAGE_SELF)
    rss = usage.ru_maxrss / 1024
    version = scipy.__version__
    if reader == "pandas":
        import pandas as pd

        version += f", pandas {pd.__version__}"
    return {"scipy": version, "reader": reader, "read_s": read_s, "ks_s": ks_s, "cpu_s": usage.ru_utime + usage.ru_stime, "max_rss_mb": rss, "columns": columns}


if __name__ == "__main__":
    mode, p1, p2 = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode == "large":
        print(json.dumps(large_files(p1, p2, sys.argv[4])))
    else:
        repeats = int(sys.argv[4])
        print(json.dumps(ks_files(p1, p2, repeats) if mode == "ks" else csv_files(p1, p2, repeats)))
