// Speed of kernel density estimation: the exact Gaussian sum (kernel evaluations per second), a 256×256
// binned grid from 100,000 points, and exact grids for comparison. tests/bench/compare_density.py runs
// this program and scikit-learn on the same data. Set LOCALLAB_BENCH_DATA to a file of raw little-endian
// doubles (n rows of 2, row by row) to use given data; otherwise a seeded mixture is generated.

#include "locallab/density/binned_density.hpp"
#include "locallab/density/kernel_density.hpp"

#include <benchmark/benchmark.h>
#include <cstdlib>
#include <fstream>
#include <random>
#include <vector>

namespace {

using namespace locallab;

constexpr double bandwidth = 0.2;

Eigen::MatrixXd generatedPoints(Eigen::Index count) {
    std::mt19937 generator(42);
    std::normal_distribution<double> normal;
    Eigen::MatrixXd points(count, 2);
    for (Eigen::Index row = 0; row < count; ++row) {
        const double shift = row % 2 == 0 ? -1.5 : 1.5;
        points(row, 0) = shift + normal(generator);
        points(row, 1) = 0.5 * shift + 0.7 * normal(generator);
    }
    return points;
}

// The first `count` points of the shared data file, or generated ones.
Eigen::MatrixXd benchmarkPoints(Eigen::Index count) {
    if (const char* path = std::getenv("LOCALLAB_BENCH_DATA")) {
        std::ifstream file(path, std::ios::binary);
        std::vector<double> values(static_cast<std::size_t>(2 * count));
        file.read(reinterpret_cast<char*>(values.data()),
                  static_cast<std::streamsize>(values.size() * sizeof(double)));
        if (file) {
            return Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, 2, Eigen::RowMajor>>(values.data(), count,
                                                                                         2);
        }
    }
    return generatedPoints(count);
}

std::vector<GridAxis> benchmarkGrid(const Eigen::MatrixXd& points, Eigen::Index nodes) {
    return gridAxesAround(points, nodes, Eigen::Vector2d::Constant(3.0 * bandwidth));
}

void exactGaussianKde(benchmark::State& state) {
    const Eigen::MatrixXd points = benchmarkPoints(state.range(0));
    const Eigen::MatrixXd targets = generatedPoints(state.range(1));
    const KernelDensity density(points, RadialKernel(KernelProfile::Gaussian), Bandwidth::scalar(bandwidth));
    for (auto _ : state) {
        benchmark::DoNotOptimize(density.evaluate(targets).logDensity.data());
    }
    state.counters["kernel_evaluations_per_second"] = benchmark::Counter(
        static_cast<double>(state.range(0) * state.range(1)), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(exactGaussianKde)
    ->Args({20000, 2000})
    ->Args({100000, 1000})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void binnedGrid(benchmark::State& state) {
    const Eigen::MatrixXd points = benchmarkPoints(100000);
    const auto axes = benchmarkGrid(points, state.range(0));
    const RadialKernel kernel(KernelProfile::Gaussian);
    for (auto _ : state) {
        benchmark::DoNotOptimize(
            binnedDensity(points, kernel, Bandwidth::scalar(bandwidth), axes).values.data());
    }
}
BENCHMARK(binnedGrid)->Arg(64)->Arg(256)->Unit(benchmark::kMillisecond)->UseRealTime();

void exactGrid(benchmark::State& state) {
    const Eigen::MatrixXd points = benchmarkPoints(100000);
    const auto axes = benchmarkGrid(points, state.range(0));
    const KernelDensity density(points, RadialKernel(KernelProfile::Gaussian), Bandwidth::scalar(bandwidth));
    for (auto _ : state) {
        benchmark::DoNotOptimize(exactDensityGrid(density, axes).values.data());
    }
    state.counters["kernel_evaluations_per_second"] =
        benchmark::Counter(static_cast<double>(100000 * state.range(0) * state.range(0)),
                           benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(exactGrid)->Arg(64)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

} // namespace

BENCHMARK_MAIN();
