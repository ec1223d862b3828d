#!/usr/bin/python3
"""Times LocalLab's loader against NumPy and pandas on the same 1,000,000-row, 2-column files.

Usage:  /usr/bin/python3 tests/bench/compare_data_loading.py BUILD_DIR/tests/bench/bench_data_loading
The files are written here (CSV with 17 significant digits, .npy as float64), then the benchmark program
is run on them in the same process tree, so both sides see the same machine load, and the ratios are printed.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

ROWS = 1_000_000


def best_of(repeats, action):
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def locallab_seconds(benchmark, name):
    result = subprocess.run([benchmark, "--benchmark_filter=" + name, "--benchmark_format=json",
                             "--benchmark_repetitions=3", "--benchmark_report_aggregates_only=true"],
                            check=True, capture_output=True, text=True)
    for entry in json.loads(result.stdout)["benchmarks"]:
        if entry.get("aggregate_name") == "min" or entry["name"].endswith("_mean"):
            unit = {"ms": 1e-3, "us": 1e-6, "ns": 1e-9, "s": 1.0}[entry["time_unit"]]
            return entry["real_time"] * unit
    raise RuntimeError("no timing for " + name)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    benchmark = sys.argv[1]
    generator = np.random.default_rng(1)
    data = np.column_stack([generator.uniform(-100, 100, ROWS), generator.normal(size=ROWS)])
    with tempfile.TemporaryDirectory() as folder:
        csv_path = os.path.join(folder, "peer.csv")
        npy_path = os.path.join(folder, "peer.npy")
        np.savetxt(csv_path, data, delimiter=",", fmt="%.17g", header="x,y", comments="")
        np.save(npy_path, data)
        numpy_csv = best_of(3, lambda: np.loadtxt(csv_path, delimiter=",", skiprows=1))
        pandas_csv = best_of(3, lambda: pd.read_csv(csv_path).to_numpy())
        numpy_npy = best_of(3, lambda: np.load(npy_path))
    ours_csv = locallab_seconds(benchmark, "BM_LoadCsvOneMillionRows")
    ours_npy = locallab_seconds(benchmark, "BM_LoadNpyOneMillionRows")
    print("1,000,000 rows x 2 columns, best of 3 (LocalLab: mean of 3 repetitions)")
    print("CSV  LocalLab %.3f s | numpy.loadtxt %.3f s (%.1fx) | pandas.read_csv %.3f s (%.1fx)"
          % (ours_csv, numpy_csv, numpy_csv / ours_csv, pandas_csv, pandas_csv / ours_csv))
    print(".npy LocalLab %.4f s | numpy.load %.4f s (%.2fx)" % (ours_npy, numpy_npy, numpy_npy / ours_npy))
    print("(a ratio above 1 means LocalLab is faster)")


if __name__ == "__main__":
    main()
