#!/usr/bin/python3
"""Times scikit-learn's KDTree on the data of bench_neighbors.cpp and prints the ratio to LocalLab.

    /usr/bin/python3 tests/bench/compare_neighbors.py BUILD_DIR/tests/bench/bench_neighbors

Runs the C++ benchmark (JSON output) and the scikit-learn equivalents in the same run, on the same points
(the SplitMix64 generator is rebuilt here), single-threaded on both sides, and prints one line per case:
LocalLab's time, scikit-learn's time and their ratio (> 1: LocalLab is faster).
"""

import json
import subprocess
import sys
import time

import numpy as np
from sklearn.neighbors import KDTree

POINT_COUNT = 100_000
QUERY_COUNT = 10_000
MASK = (1 << 64) - 1


def uniform_points(count, seed):
    """The same SplitMix64 stream as the C++ benchmark, vectorised with numpy's wrapping uint64."""
    with np.errstate(over="ignore"):
        steps = np.arange(1, 2 * count + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        z = np.uint64(seed) + steps
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z ^= z >> np.uint64(31)
    return ((z >> np.uint64(11)).astype(np.float64) * 2.0**-53).reshape(count, 2)


def best_of(repeats, function):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    benchmark = subprocess.run(
        [sys.argv[1], "--benchmark_format=json", "--benchmark_min_time=0.5"],
        check=True, capture_output=True, text=True,
    )
    ours = {entry["name"]: entry["real_time"] / 1000.0 for entry in json.loads(benchmark.stdout)["benchmarks"]}

    data = uniform_points(POINT_COUNT, 1)
    queries = uniform_points(QUERY_COUNT, 2)
    tree = KDTree(data, leaf_size=16)
    peers = {"buildKdTree": best_of(5, lambda: KDTree(data, leaf_size=16))}
    for k in (1, 10, 100):
        peers[f"nearestQueries/{k}"] = best_of(3, lambda: tree.query(queries, k=k))
    for expected in (10, 100):
        radius = np.sqrt(expected / (np.pi * POINT_COUNT))
        peers[f"radiusQueries/{expected}"] = best_of(3, lambda: tree.query_radius(queries, r=radius))

    print(f"{'case':<22}{'LocalLab s':>12}{'sklearn s':>12}{'ratio':>8}")
    for name, peer_time in peers.items():
        our_time = ours[name]
        print(f"{name:<22}{our_time:>12.4f}{peer_time:>12.4f}{peer_time / our_time:>8.2f}")


if __name__ == "__main__":
    main()
