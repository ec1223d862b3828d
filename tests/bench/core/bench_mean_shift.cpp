// MeanShift speed, exact and binned (approximate). With --data FILE (CSV or .npy, as
// tests/bench/compare_mean_shift.py writes) the benchmarks run on that file, so the peer and LocalLab are
// timed on the same points; without it they run on generated blobs of 10,000 and 50,000 points.
//   bench_mean_shift [--data FILE] [--bandwidth H] [google benchmark flags]

#include "locallab/data/generator_registry.hpp"
#include "locallab/data/load_dataset.hpp"
#include "locallab/meanshift/approximate_mean_shift.hpp"
#include "locallab/meanshift/mean_shift.hpp"

#include <benchmark/benchmark.h>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace {

std::string dataPath;
double bandwidth = 1.0;

const Eigen::MatrixXd& dataOfSize(Eigen::Index size) {
    static std::map<Eigen::Index, Eigen::MatrixXd> cache;
    auto found = cache.find(size);
    if (found == cache.end()) {
        Eigen::MatrixXd points;
        if (!dataPath.empty()) {
            points = locallab::loadDataset(dataPath).points;
        } else {
            locallab::ParameterValues values(locallab::findGenerator("blobs")->parameters);
            values.set("samples", static_cast<long long>(size));
            values.set("seed", 7LL);
            points = locallab::generate("blobs", values).points;
        }
        found = cache.emplace(size, std::move(points)).first;
    }
    return found->second;
}

void run(benchmark::State& state, locallab::KernelProfile profile, locallab::SeedingStrategy seeding,
         double tolerance) {
    const Eigen::MatrixXd& points = dataOfSize(state.range(0));
    locallab::MeanShiftOptions options;
    options.kernel = locallab::RadialKernel(profile);
    options.bandwidth = locallab::Bandwidth::scalar(bandwidth);
    options.seeding = seeding;
    options.relativeTolerance = tolerance;
    Eigen::Index clusters = 0;
    for (auto _ : state) {
        const auto result = locallab::meanShift(points, options);
        clusters = result.modes.rows();
        benchmark::DoNotOptimize(result.labels.data());
    }
    state.counters["points"] = static_cast<double>(points.rows());
    state.counters["clusters"] = static_cast<double>(clusters);
}

// The binned first frame of the explorer: every point a seed, every local mean read from the grid.
void gaussianApproximate(benchmark::State& state) {
    const Eigen::MatrixXd& points = dataOfSize(state.range(0));
    locallab::MeanShiftOptions options;
    options.kernel = locallab::RadialKernel(locallab::KernelProfile::Gaussian);
    options.bandwidth = locallab::Bandwidth::scalar(bandwidth);
    Eigen::Index clusters = 0;
    locallab::SilentProgress progress;
    for (auto _ : state) {
        const auto result = locallab::approximateMeanShift(points, options, {}, progress);
        clusters = result.modes.rows();
        benchmark::DoNotOptimize(result.labels.data());
    }
    state.counters["points"] = static_cast<double>(points.rows());
    state.counters["clusters"] = static_cast<double>(clusters);
}

void flatAllSeeds(benchmark::State& state) {
    run(state, locallab::KernelProfile::Uniform, locallab::SeedingStrategy::AllPoints, 0);
}
void flatBinSeeds(benchmark::State& state) {
    run(state, locallab::KernelProfile::Uniform, locallab::SeedingStrategy::BinSeeding, 0);
}
void gaussianTruncated(benchmark::State& state) {
    run(state, locallab::KernelProfile::Gaussian, locallab::SeedingStrategy::AllPoints, 1e-6);
}

} // namespace

int main(int argc, char** argv) {
    std::vector<char*> remaining{argv[0]};
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
            dataPath = argv[++i];
        } else if (std::strcmp(argv[i], "--bandwidth") == 0 && i + 1 < argc) {
            bandwidth = std::stod(argv[++i]);
        } else {
            remaining.push_back(argv[i]);
        }
    }
    const std::vector<long> sizes =
        dataPath.empty() ? std::vector<long>{10'000, 50'000} : std::vector<long>{0};
    for (const long size : sizes) {
        benchmark::RegisterBenchmark("MeanShift/flat/all_seeds", flatAllSeeds)
            ->Arg(size)
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark("MeanShift/flat/bin_seeds", flatBinSeeds)
            ->Arg(size)
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark("MeanShift/gaussian_1e-6/all_seeds", gaussianTruncated)
            ->Arg(size)
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark("MeanShift/gaussian/approximate", gaussianApproximate)
            ->Arg(size)
            ->Unit(benchmark::kMillisecond);
    }
    int remainingCount = static_cast<int>(remaining.size());
    benchmark::Initialize(&remainingCount, remaining.data());
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
