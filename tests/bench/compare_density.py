#!/usr/bin/python3
"""Times scikit-learn's KernelDensity and LocalLab's bench_density on the same data, in the same run.

    /usr/bin/python3 tests/bench/compare_density.py path/to/bench_density

Writes 100,000 two-dimensional points (a seeded mixture) to a temporary file of raw doubles, which
bench_density reads through LOCALLAB_BENCH_DATA, then times the same work with scikit-learn:
a 64×64 grid of exact Gaussian densities from all 100,000 points (h = 0.2, grid padded by 3h), and
the exact density at 1,000 targets. No extrapolation: both sides do the whole computation.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from sklearn.neighbors import KernelDensity

BANDWIDTH = 0.2


def shared_points(count=100_000):
    generator = np.random.default_rng(42)
    shift = np.where(np.arange(count) % 2 == 0, -1.5, 1.5)
    return np.column_stack([shift + generator.normal(size=count), 0.5 * shift + 0.7 * generator.normal(size=count)])


def grid_nodes(points, nodes):
    low = points.min(axis=0) - 3 * BANDWIDTH
    high = points.max(axis=0) + 3 * BANDWIDTH
    x = np.linspace(low[0], high[0], nodes)
    y = np.linspace(low[1], high[1], nodes)
    xx, yy = np.meshgrid(x, y)  # first axis fastest, as LocalLab's DensityGrid
    return np.column_stack([xx.ravel(), yy.ravel()])


def time_sklearn(points, targets, repeats=1):
    model = KernelDensity(kernel="gaussian", bandwidth=BANDWIDTH, rtol=0.0, atol=0.0).fit(points)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        model.score_samples(targets)
        best = min(best, time.perf_counter() - start)
    return best


def run_locallab(binary, data_path):
    environment = dict(os.environ, LOCALLAB_BENCH_DATA=data_path)
    output = subprocess.run([binary, "--benchmark_format=json"], env=environment, check=True,
                            capture_output=True, text=True).stdout
    return {entry["name"]: entry for entry in json.loads(output)["benchmarks"]}


def seconds(entry):
    scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[entry["time_unit"]]
    return entry["real_time"] * scale


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    points = shared_points()
    with tempfile.NamedTemporaryFile(suffix=".f64", delete=False) as handle:
        points.astype("<f8").tofile(handle)
        data_path = handle.name
    try:
        ours = run_locallab(sys.argv[1], data_path)
    finally:
        os.unlink(data_path)

    sklearn_grid = time_sklearn(points, grid_nodes(points, 64))
    ours_exact_grid = seconds(ours["exactGrid/64/iterations:2/real_time"])
    ours_binned_64 = seconds(ours["binnedGrid/64/real_time"])
    ours_binned_256 = seconds(ours["binnedGrid/256/real_time"])
    targets = shared_points(1000) * 1.1
    sklearn_targets = time_sklearn(points, targets, repeats=3)
    ours_targets = seconds(ours["exactGaussianKde/100000/1000/real_time"])
    rate = ours["exactGaussianKde/20000/2000/real_time"]["kernel_evaluations_per_second"]

    print("100,000 points in 2-D, Gaussian kernel, h = 0.2")
    print(f"64x64 grid   scikit-learn KernelDensity (kd-tree, rtol=atol=0): {sklearn_grid * 1e3:9.1f} ms")
    print(f"64x64 grid   LocalLab exact grid:                              {ours_exact_grid * 1e3:9.1f} ms"
          f"   ratio {sklearn_grid / ours_exact_grid:6.1f}x")
    print(f"64x64 grid   LocalLab binned grid:                             {ours_binned_64 * 1e3:9.1f} ms"
          f"   ratio {sklearn_grid / ours_binned_64:6.1f}x")
    print(f"256x256 grid LocalLab binned grid:                             {ours_binned_256 * 1e3:9.1f} ms")
    print(f"1000 targets scikit-learn:                                     {sklearn_targets * 1e3:9.1f} ms")
    print(f"1000 targets LocalLab exact:                                   {ours_targets * 1e3:9.1f} ms"
          f"   ratio {sklearn_targets / ours_targets:6.1f}x")
    print(f"LocalLab exact Gaussian kernel evaluations per second:  {rate:.3g}")


if __name__ == "__main__":
    main()
