#!/usr/bin/python3
"""Times statsmodels' and scikit-learn's local models and LocalLab's on the same data, in the same run, and
prints the ratios.

    /usr/bin/python3 tests/bench/compare_local_models.py BUILD_DIR/tests/bench/bench_local_models [ARGS]

ARGS go to the benchmark program, e.g. --benchmark_filter=KernelClassifier; peers run only for the
benchmarks that ran.

The data are the formula bench_local_models.cpp uses (no random generator, so both sides fit the very
same numbers): x_i = frac(i * 0.6180339887498949), y_i = sin(2 pi x_i) + frac(i * 0.7548776662466927) - 0.5,
targets evenly spaced in [0, 1], bandwidth h = 0.02 (Gaussian).

- KernelReg (local constant 'lc' and local linear 'll') needs about a second per target on 10^6 points,
  so both sides are compared on 10^6 points at 50 targets rather than 1,000.
- lowess runs on 10^4 points with frac = 2/3, it = 3, delta = 0 (statsmodels' defaults but delta).
- The k-NN classifier (k = 15) is scikit-learn's KNeighborsClassifier.predict_proba (its default k-d tree,
  n_jobs=-1 so that it may use every core, as LocalLab does) on 10^4 labelled points in 2-D,
  (frac(i * 0.6180339887498949), frac(i * 0.7548776662466927)) with the label
  floor(3 * frac(x1 + x2 + 0.3 * frac(i * 0.5698402909980532))), at the 256 x 256 grid of [0, 1]^2.
  LocalLab's Gaussian (h = 0.05, exact over every point) and Epanechnikov posterior maps of the same grid
  are listed beside it; scikit-learn has no kernel-weighted classifier to compare them with.

Timings on a shared machine are noisy: read them as an order of magnitude.
"""

import json
import subprocess
import sys
import time

import numpy as np
from sklearn.neighbors import KNeighborsClassifier
from statsmodels.nonparametric.kernel_regression import KernelReg
from statsmodels.nonparametric.smoothers_lowess import lowess

BANDWIDTH = 0.02
KERNEL_POINTS = 1_000_000
KERNEL_TARGETS = 50
LOWESS_POINTS = 10_000
CLASSIFIER_POINTS = 10_000
GRID_SIDE = 256
NEIGHBORS = 15


def data(count):
    index = np.arange(count, dtype=float)
    x = np.mod(index * 0.6180339887498949, 1.0)
    y = np.sin(2.0 * np.pi * x) + (np.mod(index * 0.7548776662466927, 1.0) - 0.5)
    return x, y


def labelled_data(count):
    index = np.arange(count, dtype=float)
    x1 = np.mod(index * 0.6180339887498949, 1.0)
    x2 = np.mod(index * 0.7548776662466927, 1.0)
    jitter = 0.3 * np.mod(index * 0.5698402909980532, 1.0)
    labels = np.minimum(2, np.floor(3.0 * np.mod(x1 + x2 + jitter, 1.0))).astype(int)
    return np.column_stack([x1, x2]), labels


def grid(side):
    axis = np.linspace(0.0, 1.0, side)
    first, second = np.meshgrid(axis, axis)
    return np.column_stack([first.ravel(), second.ravel()])


def seconds(function):
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def kernel_regression_peer(reg_type):
    x, y = data(KERNEL_POINTS)
    targets = np.linspace(0.0, 1.0, KERNEL_TARGETS)
    model = KernelReg(endog=y, exog=x, var_type="c", reg_type=reg_type, bw=[BANDWIDTH])
    return seconds(lambda: model.fit(targets))


def lowess_peer():
    x, y = data(LOWESS_POINTS)
    return seconds(lambda: lowess(y, x, frac=2.0 / 3.0, it=3, delta=0.0))


def nearest_neighbors_peer():
    points, labels = labelled_data(CLASSIFIER_POINTS)
    classifier = KNeighborsClassifier(n_neighbors=NEIGHBORS, n_jobs=-1).fit(points, labels)
    targets = grid(GRID_SIDE)
    return seconds(lambda: classifier.predict_proba(targets))


# benchmark name: (what the peer is, a function that times it); run only for the benchmarks that ran.
PEERS = {
    f"NadarayaWatsonGaussianExact/{KERNEL_POINTS}/{KERNEL_TARGETS}":
        ("KernelReg('lc')", lambda: kernel_regression_peer("lc")),
    f"LocalLinearGaussianExact/{KERNEL_POINTS}/{KERNEL_TARGETS}":
        ("KernelReg('ll')", lambda: kernel_regression_peer("ll")),
    f"LowessFit/{LOWESS_POINTS}": ("lowess(frac=2/3, it=3)", lowess_peer),
    f"KernelClassifierNearestNeighbors/{CLASSIFIER_POINTS}/{GRID_SIDE}":
        (f"KNeighborsClassifier(n_neighbors={NEIGHBORS}).predict_proba", nearest_neighbors_peer),
}


def our_times(binary, extra_arguments):
    result = subprocess.run([binary, "--benchmark_format=json", *extra_arguments], check=True, capture_output=True,
                            text=True)
    report = json.loads(result.stdout)
    unit_seconds = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    return {entry["name"].removesuffix("/real_time"): entry["real_time"] * unit_seconds[entry["time_unit"]]
            for entry in report["benchmarks"]}


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    ours = our_times(sys.argv[1], sys.argv[2:])
    print(f"{'benchmark':52} {'LocalLab':>12} {'peer':>12} {'ratio':>9}  peer")
    for name, seconds_ours in ours.items():
        peer, timer = PEERS.get(name, ("-", None))
        if timer is None:
            print(f"{name:52} {seconds_ours:11.4f}s {'-':>12} {'-':>9}  (no peer run at this size)")
        else:
            seconds_peer = timer()
            print(f"{name:52} {seconds_ours:11.4f}s {seconds_peer:11.4f}s {seconds_peer / seconds_ours:8.1f}x  {peer}")


if __name__ == "__main__":
    main()
