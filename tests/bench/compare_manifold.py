#!/usr/bin/python3
"""Times scikit-learn's LocallyLinearEmbedding and LocalLab's on the same Swiss roll, in the same run.

    /usr/bin/python3 tests/bench/compare_manifold.py BUILD_DIR/tests/bench/bench_manifold [--samples 5000 2000]

The Swiss roll is written to a temporary CSV file that both read. scikit-learn runs standard LLE with
n_neighbors=12 and eigen_solver='arpack' (what its default 'auto' picks at these sizes); the benchmark
program runs LocalLab's standard LLE with k = 12 on the file (--data). Each side reports its best time
over a few repetitions; the ratio is scikit-learn's time over LocalLab's.
"""

import argparse
import json
import pathlib
import subprocess
import tempfile
import time

import numpy as np
from sklearn.datasets import make_swiss_roll
from sklearn.manifold import LocallyLinearEmbedding

NEIGHBORS = 12
REPETITIONS = 5


def time_scikit_learn(points):
    best = float("inf")
    for _ in range(REPETITIONS):
        model = LocallyLinearEmbedding(n_neighbors=NEIGHBORS, n_components=2, eigen_solver="arpack", random_state=0)
        start = time.perf_counter()
        model.fit(points)
        best = min(best, time.perf_counter() - start)
    return best


def time_locallab(benchmark, data_path):
    completed = subprocess.run(
        [benchmark, "--data", str(data_path), "--neighbors", str(NEIGHBORS), "--benchmark_filter=LLE/standard",
         f"--benchmark_repetitions={REPETITIONS}", "--benchmark_format=json"],
        check=True, capture_output=True, text=True)
    runs = [entry for entry in json.loads(completed.stdout)["benchmarks"] if entry.get("run_type") == "iteration"]
    if not runs or any("error_message" in entry for entry in runs):
        raise RuntimeError("the benchmark did not produce an embedding")
    scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    return min(entry["real_time"] * scale[entry["time_unit"]] for entry in runs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("benchmark", help="path of the bench_manifold program")
    parser.add_argument("--samples", type=int, nargs="+", default=[5000, 2000])
    arguments = parser.parse_args()

    for samples in arguments.samples:
        points, _ = make_swiss_roll(n_samples=samples, random_state=0)
        with tempfile.TemporaryDirectory() as directory:
            data_path = pathlib.Path(directory) / "swiss_roll.csv"
            np.savetxt(data_path, points, delimiter=",", header="x1,x2,x3", comments="", fmt="%.17g")
            peer = time_scikit_learn(points)
            ours = time_locallab(arguments.benchmark, data_path)
        print(f"standard LLE, Swiss roll n = {samples}, k = {NEIGHBORS}: scikit-learn {peer:.4f} s, "
              f"LocalLab {ours:.4f} s, LocalLab is {peer / ours:.2f}x faster")


if __name__ == "__main__":
    main()
