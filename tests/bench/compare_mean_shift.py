#!/usr/bin/python3
"""Times scikit-learn's MeanShift and LocalLab's on the same points in the same run, and checks that the
labels agree (adjusted Rand index, number of clusters).

    tests/bench/compare_mean_shift.py BUILD_DIR [--sizes 10000 50000] [--bandwidth 1.0]

BUILD_DIR is a release build (it holds tests/bench/bench_mean_shift and app/cli/locallab-cli).
Needs python3-sklearn (scripts/install-dependencies.sh --peers).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from sklearn.cluster import MeanShift
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score


def make_points(size):
    centres = [[0, 0], [6, 1], [2, 7], [-5, 4], [8, 8]]
    points, _ = make_blobs(n_samples=size, centers=centres, cluster_std=1.0, random_state=42)
    return points


def time_locallab(build, data_path, bandwidth, bin_seeding):
    name = "MeanShift/flat/bin_seeds" if bin_seeding else "MeanShift/flat/all_seeds"
    output = subprocess.run(
        [os.path.join(build, "tests", "bench", "bench_mean_shift"), "--data", data_path, "--bandwidth", str(bandwidth),
         "--benchmark_filter=^" + name + "/", "--benchmark_format=json", "--benchmark_min_time=0.5"],
        check=True, capture_output=True, text=True).stdout
    runs = json.loads(output)["benchmarks"]
    return runs[0]["real_time"] / 1000.0  # milliseconds → seconds


def labels_from_cli(build, data_path, bandwidth, bin_seeding, directory):
    out = os.path.join(directory, "labels.csv")
    command = [os.path.join(build, "app", "cli", "locallab-cli"), "meanshift", "--input", data_path, "--kernel", "flat",
               "--bandwidth", str(bandwidth), "--output", out]
    if bin_seeding:
        command.append("--bin-seeding")
    subprocess.run(command, check=True)
    return np.loadtxt(out, delimiter=",", skiprows=1)[:, -1].astype(int)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("build")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 50000])
    parser.add_argument("--bandwidth", type=float, default=1.0)
    arguments = parser.parse_args()

    print("%-8s %-6s %12s %12s %8s %9s %s" % ("points", "seeds", "sklearn s", "LocalLab s", "ratio", "ARI", "clusters"))
    with tempfile.TemporaryDirectory() as directory:
        for size in arguments.sizes:
            points = make_points(size)
            data_path = os.path.join(directory, "points_%d.csv" % size)
            np.savetxt(data_path, points, delimiter=",", header="x,y", comments="", fmt="%.17g")
            for bin_seeding in (False, True):
                # LocalLab first: at 50,000 points scikit-learn runs for over half an hour, and a machine
                # that has been busy that long is no longer the quiet one the first timing had.
                ours = time_locallab(arguments.build, data_path, arguments.bandwidth, bin_seeding)
                labels = labels_from_cli(arguments.build, data_path, arguments.bandwidth, bin_seeding, directory)
                print("%-8d %-6s LocalLab %.4f s; scikit-learn running..." % (
                    size, "bins" if bin_seeding else "all", ours))
                sys.stdout.flush()
                start = time.perf_counter()
                model = MeanShift(bandwidth=arguments.bandwidth, bin_seeding=bin_seeding, n_jobs=None).fit(points)
                peer = time.perf_counter() - start
                agreement = adjusted_rand_score(model.labels_, labels)
                print("%-8d %-6s %12.3f %12.4f %7.1fx %9.6f %d vs %d" % (
                    size, "bins" if bin_seeding else "all", peer, ours, peer / ours, agreement,
                    len(model.cluster_centers_), labels.max() + 1))
                sys.stdout.flush()


if __name__ == "__main__":
    main()
