// Speed of the local models on large 1-D data: Nadaraya–Watson and local linear on 10⁶ points at 10³
// targets (the Gaussian exact over every point, the Epanechnikov through the k-d tree), LOWESS on 10⁴
// points. tests/bench/compare_local_models.py times statsmodels on the same data and prints the ratios.
//
// The data are a formula rather than a random generator so that the peer script builds the very same
// numbers: x_i = frac(i·φ⁻¹), y_i = sin(2πx_i) + frac(i·ψ) − 0.5, targets evenly spaced in [0, 1].

#include "locallab/local/local_regression.hpp"
#include "locallab/local/lowess.hpp"

#include <benchmark/benchmark.h>
#include <cmath>
#include <map>
#include <numbers>

namespace {

using namespace locallab;

struct RegressionData {
    Eigen::VectorXd x;
    Eigen::VectorXd y;
};

const RegressionData& dataOfSize(Eigen::Index count) {
    static std::map<Eigen::Index, RegressionData> cache;
    auto found = cache.find(count);
    if (found == cache.end()) {
        RegressionData data{Eigen::VectorXd(count), Eigen::VectorXd(count)};
        for (Eigen::Index index = 0; index < count; ++index) {
            const auto position = static_cast<double>(index);
            data.x(index) = std::fmod(position * 0.6180339887498949, 1.0);
            data.y(index) = std::sin(2.0 * std::numbers::pi * data.x(index)) +
                            (std::fmod(position * 0.7548776662466927, 1.0) - 0.5);
        }
        found = cache.emplace(count, std::move(data)).first;
    }
    return found->second;
}

constexpr double bandwidth = 0.02;

void fitLocalModel(benchmark::State& state, KernelProfile profile, int degree) {
    const RegressionData& data = dataOfSize(state.range(0));
    const Eigen::MatrixXd targets = Eigen::VectorXd::LinSpaced(state.range(1), 0.0, 1.0);
    LocalRegressionSettings settings;
    settings.kernel = RadialKernel(profile);
    settings.bandwidth = Bandwidth::scalar(bandwidth);
    settings.degree = degree;
    const LocalRegression regression(data.x, data.y, settings); // builds the tree for compact kernels
    SilentProgress progress;
    for (auto _ : state) {
        benchmark::DoNotOptimize(regression.fit(targets, progress));
    }
    state.counters["points"] = static_cast<double>(state.range(0));
    state.counters["targets"] = static_cast<double>(state.range(1));
}

void NadarayaWatsonGaussianExact(benchmark::State& state) {
    fitLocalModel(state, KernelProfile::Gaussian, 0);
}
void LocalLinearGaussianExact(benchmark::State& state) {
    fitLocalModel(state, KernelProfile::Gaussian, 1);
}
void NadarayaWatsonEpanechnikovTree(benchmark::State& state) {
    fitLocalModel(state, KernelProfile::Epanechnikov, 0);
}
void LocalLinearEpanechnikovTree(benchmark::State& state) {
    fitLocalModel(state, KernelProfile::Epanechnikov, 1);
}

void LowessFit(benchmark::State& state) {
    const RegressionData& data = dataOfSize(state.range(0));
    SilentProgress progress;
    for (auto _ : state) {
        benchmark::DoNotOptimize(Lowess(data.x, data.y, {2.0 / 3.0, 3}, progress));
    }
    state.counters["points"] = static_cast<double>(state.range(0));
}

} // namespace

// statsmodels' KernelReg needs about a second per target on 10⁶ points, so the peer comparison runs at
// 50 targets; the 1,000-target runs are the size this program is about.
BENCHMARK(NadarayaWatsonGaussianExact)
    ->Args({1'000'000, 50})
    ->Args({1'000'000, 1'000})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(LocalLinearGaussianExact)
    ->Args({1'000'000, 50})
    ->Args({1'000'000, 1'000})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(NadarayaWatsonEpanechnikovTree)
    ->Args({1'000'000, 1'000})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(LocalLinearEpanechnikovTree)
    ->Args({1'000'000, 1'000})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(LowessFit)->Arg(10'000)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
