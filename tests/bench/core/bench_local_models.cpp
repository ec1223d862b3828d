// Speed of the local models on large 1-D data: Nadaraya–Watson and local linear on 10⁶ points at 10³
// targets (the Gaussian exact over every point, the Epanechnikov through the k-d tree), LOWESS on 10⁴
// points; and the kernel classifier on 10⁴ labelled points in 2-D at a 256 × 256 grid of targets (a
// posterior map). tests/bench/compare_local_models.py times statsmodels and scikit-learn on the same data
// and prints the ratios.
//
// The data are a formula rather than a random generator so that the peer script builds the very same
// numbers: x_i = frac(i·φ⁻¹), y_i = sin(2πx_i) + frac(i·ψ) − 0.5, targets evenly spaced in [0, 1]. The
// classifier's points are (frac(i·φ⁻¹), frac(i·ψ)) with the label ⌊3·frac(x₁ + x₂ + 0.3·frac(i·ρ))⌋, three
// diagonal bands with ragged edges, and its targets the grid of 256 evenly spaced values per axis in [0, 1].

#include "locallab/local/kernel_classifier.hpp"
#include "locallab/local/local_regression.hpp"
#include "locallab/local/lowess.hpp"

#include <algorithm>
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

struct LabelledData {
    Eigen::MatrixXd points;
    Eigen::VectorXi labels;
};

const LabelledData& labelledDataOfSize(Eigen::Index count) {
    static std::map<Eigen::Index, LabelledData> cache;
    auto found = cache.find(count);
    if (found == cache.end()) {
        LabelledData data{Eigen::MatrixXd(count, 2), Eigen::VectorXi(count)};
        for (Eigen::Index index = 0; index < count; ++index) {
            const auto position = static_cast<double>(index);
            const double first = std::fmod(position * 0.6180339887498949, 1.0);
            const double second = std::fmod(position * 0.7548776662466927, 1.0);
            const double jitter = 0.3 * std::fmod(position * 0.5698402909980532, 1.0);
            data.points.row(index) << first, second;
            data.labels(index) = std::min(2, static_cast<int>(3.0 * std::fmod(first + second + jitter, 1.0)));
        }
        found = cache.emplace(count, std::move(data)).first;
    }
    return found->second;
}

Eigen::MatrixXd gridTargets(Eigen::Index perSide) {
    const Eigen::VectorXd axis = Eigen::VectorXd::LinSpaced(perSide, 0.0, 1.0);
    Eigen::MatrixXd targets(perSide * perSide, 2);
    for (Eigen::Index row = 0; row < perSide; ++row) {
        for (Eigen::Index column = 0; column < perSide; ++column) {
            targets.row(row * perSide + column) << axis(column), axis(row);
        }
    }
    return targets;
}

constexpr double classifierBandwidth = 0.05;
constexpr Eigen::Index classifierNeighbors = 15;

void classifyGrid(benchmark::State& state, const KernelClassifierSettings& settings) {
    const LabelledData& data = labelledDataOfSize(state.range(0));
    const Eigen::MatrixXd targets = gridTargets(state.range(1));
    const KernelClassifier classifier(data.points, data.labels, settings);
    SilentProgress progress;
    for (auto _ : state) {
        benchmark::DoNotOptimize(classifier.classify(targets, progress));
    }
    state.counters["points"] = static_cast<double>(state.range(0));
    state.counters["targets"] = static_cast<double>(targets.rows());
}

void KernelClassifierGaussianExact(benchmark::State& state) {
    classifyGrid(state, KernelClassifierSettings::radial(RadialKernel(KernelProfile::Gaussian),
                                                         Bandwidth::scalar(classifierBandwidth)));
}
void KernelClassifierEpanechnikovTree(benchmark::State& state) {
    classifyGrid(state, KernelClassifierSettings::radial(RadialKernel(KernelProfile::Epanechnikov),
                                                         Bandwidth::scalar(classifierBandwidth)));
}
void KernelClassifierNearestNeighbors(benchmark::State& state) {
    classifyGrid(state, KernelClassifierSettings::nearestNeighbors(classifierNeighbors));
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
// The second argument is the grid's side: 256 × 256 = 65,536 targets.
BENCHMARK(KernelClassifierGaussianExact)->Args({10'000, 256})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(KernelClassifierEpanechnikovTree)
    ->Args({10'000, 256})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(KernelClassifierNearestNeighbors)
    ->Args({10'000, 256})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

BENCHMARK_MAIN();
