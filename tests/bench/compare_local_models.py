#!/usr/bin/python3
"""Times statsmodels' local models and LocalLab's on the same data, in the same run, and prints the ratios.

    /usr/bin/python3 tests/bench/compare_local_models.py BUILD_DIR/tests/bench/bench_local_models

The data are the formula bench_local_models.cpp uses (no random generator, so both sides fit the very
same numbers): x_i = frac(i * 0.6180339887498949), y_i = sin(2 pi x_i) + frac(i * 0.7548776662466927) - 0.5,
targets evenly spaced in [0, 1], bandwidth h = 0.02 (Gaussian).

- KernelReg (local constant 'lc' and local linear 'll') needs about a second per target on 10^6 points,
  so both sides are compared on 10^6 points at 50 targets rather than 1,000.
- lowess runs on 10^4 points with frac = 2/3, it = 3, delta = 0 (statsmodels' defaults but delta).

Timings on a shared machine are noisy: read them as an order of magnitude.
"""

import json
import subprocess
import sys
import time

import numpy as np
from statsmodels.nonparametric.kernel_regression import KernelReg
from statsmodels.nonparametric.smoothers_lowess import lowess

BANDWIDTH = 0.02
KERNEL_POINTS = 1_000_000
KERNEL_TARGETS = 50
LOWESS_POINTS = 10_000


def data(count):
    index = np.arange(count, dtype=float)
    x = np.mod(index * 0.6180339887498949, 1.0)
    y = np.sin(2.0 * np.pi * x) + (np.mod(index * 0.7548776662466927, 1.0) - 0.5)
    return x, y


def seconds(function):
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def peer_times():
    x, y = data(KERNEL_POINTS)
    targets = np.linspace(0.0, 1.0, KERNEL_TARGETS)
    times = {}
    for reg_type, name in (("lc", "NadarayaWatsonGaussianExact"), ("ll", "LocalLinearGaussianExact")):
        model = KernelReg(endog=y, exog=x, var_type="c", reg_type=reg_type, bw=[BANDWIDTH])
        times[f"{name}/{KERNEL_POINTS}/{KERNEL_TARGETS}"] = (f"KernelReg('{reg_type}')", seconds(lambda: model.fit(targets)))
    x, y = data(LOWESS_POINTS)
    times[f"LowessFit/{LOWESS_POINTS}"] = (
        "lowess(frac=2/3, it=3)", seconds(lambda: lowess(y, x, frac=2.0 / 3.0, it=3, delta=0.0)))
    return times


def our_times(binary):
    result = subprocess.run([binary, "--benchmark_format=json"], check=True, capture_output=True, text=True)
    report = json.loads(result.stdout)
    unit_seconds = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    return {entry["name"].removesuffix("/real_time"): entry["real_time"] * unit_seconds[entry["time_unit"]]
            for entry in report["benchmarks"]}


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    ours = our_times(sys.argv[1])
    peers = peer_times()
    print(f"{'benchmark':52} {'LocalLab':>12} {'statsmodels':>12} {'ratio':>9}  peer")
    for name, seconds_ours in ours.items():
        peer, seconds_peer = peers.get(name, ("-", None))
        if seconds_peer is None:
            print(f"{name:52} {seconds_ours:11.4f}s {'-':>12} {'-':>9}  (no peer run at this size)")
        else:
            print(f"{name:52} {seconds_ours:11.4f}s {seconds_peer:11.4f}s {seconds_peer / seconds_ours:8.1f}x  {peer}")


if __name__ == "__main__":
    main()
