// Locally linear embedding speed: standard LLE with k = 12 on a Swiss roll of 2,000 points (the size at
// which changing k must feel live) and 5,000 points. With --data FILE (CSV or .npy, as
// tests/bench/compare_manifold.py writes) the benchmarks run on that file, so scikit-learn and LocalLab are
// timed on the same points. LLE/phase/... time the standard method's phases one by one (neighbours,
// barycentre weights, one point after the other, the assembly of M, the sparse eigensolver), each on the
// previous phase's output.
//   bench_manifold [--data FILE] [--neighbors K] [google benchmark flags]

#include "locallab/data/generators.hpp"
#include "locallab/data/load_dataset.hpp"
#include "locallab/manifold/barycenter_weights.hpp"
#include "locallab/manifold/local_alignment.hpp"
#include "locallab/manifold/locally_linear_embedding.hpp"

#include <benchmark/benchmark.h>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace {

std::string dataPath;
Eigen::Index neighbors = 12;

const Eigen::MatrixXd& dataOfSize(Eigen::Index size) {
    static std::map<Eigen::Index, Eigen::MatrixXd> cache;
    auto found = cache.find(size);
    if (found == cache.end()) {
        Eigen::MatrixXd points;
        if (!dataPath.empty()) {
            points = locallab::loadDataset(dataPath).points;
        } else {
            locallab::ManifoldOptions options;
            options.samples = size;
            options.seed = 7;
            points = locallab::makeSwissRoll(options).points;
        }
        found = cache.emplace(size, std::move(points)).first;
    }
    return found->second;
}

void run(benchmark::State& state, locallab::LleMethod method) {
    const Eigen::MatrixXd& points = dataOfSize(state.range(0));
    locallab::LocallyLinearEmbeddingOptions options;
    options.neighbors = neighbors;
    options.components = 2;
    options.method = method;
    locallab::SilentProgress progress;
    bool succeeded = true;
    for (auto _ : state) {
        const auto result = locallab::locallyLinearEmbedding(points, options, progress);
        succeeded = succeeded && result.succeeded();
        benchmark::DoNotOptimize(result.embedding.data());
    }
    if (!succeeded) {
        state.SkipWithError("the embedding failed");
    }
    state.counters["points"] = static_cast<double>(points.rows());
}

// The standard method's barycentre weights, aligned with neighborhoods.members(), one point after the
// other (locallyLinearEmbedding computes them in parallel).
std::vector<double> reconstructionWeights(const Eigen::MatrixXd& points,
                                          const locallab::NeighborhoodList& neighborhoods) {
    std::vector<double> weights;
    weights.reserve(neighborhoods.members().size());
    for (Eigen::Index point = 0; point < points.rows(); ++point) {
        const Eigen::VectorXd own =
            *locallab::barycenterWeights(points, point, neighborhoods.neighborsOf(point), 1e-3);
        weights.insert(weights.end(), own.begin(), own.end());
    }
    return weights;
}

void neighborPhase(benchmark::State& state) {
    const Eigen::MatrixXd& points = dataOfSize(state.range(0));
    locallab::SilentProgress progress;
    for (auto _ : state) {
        benchmark::DoNotOptimize(
            locallab::nearestNeighborhoods(points, neighbors, progress).members().data());
    }
}

void weightPhase(benchmark::State& state) {
    const Eigen::MatrixXd& points = dataOfSize(state.range(0));
    locallab::SilentProgress progress;
    const locallab::NeighborhoodList neighborhoods =
        locallab::nearestNeighborhoods(points, neighbors, progress);
    for (auto _ : state) {
        benchmark::DoNotOptimize(reconstructionWeights(points, neighborhoods).data());
    }
}

void assemblyPhase(benchmark::State& state) {
    const Eigen::MatrixXd& points = dataOfSize(state.range(0));
    locallab::SilentProgress progress;
    const locallab::NeighborhoodList neighborhoods =
        locallab::nearestNeighborhoods(points, neighbors, progress);
    const std::vector<double> weights = reconstructionWeights(points, neighborhoods);
    for (auto _ : state) {
        const auto alignment =
            locallab::assembleReconstructionAlignmentMatrix(neighborhoods, weights, progress);
        benchmark::DoNotOptimize(alignment.valuePtr());
    }
}

void eigensolverPhase(benchmark::State& state) {
    const Eigen::MatrixXd& points = dataOfSize(state.range(0));
    locallab::SilentProgress progress;
    const locallab::NeighborhoodList neighborhoods =
        locallab::nearestNeighborhoods(points, neighbors, progress);
    const auto alignment = locallab::assembleReconstructionAlignmentMatrix(
        neighborhoods, reconstructionWeights(points, neighborhoods), progress);
    for (auto _ : state) {
        const auto bottom =
            locallab::bottomEigenvectors(alignment, 2, 1, locallab::EigenSolverChoice::Sparse, progress);
        benchmark::DoNotOptimize(bottom.vectors.data());
    }
}

void standard(benchmark::State& state) {
    run(state, locallab::LleMethod::Standard);
}
void modified(benchmark::State& state) {
    run(state, locallab::LleMethod::Modified);
}
void ltsa(benchmark::State& state) {
    run(state, locallab::LleMethod::Ltsa);
}

} // namespace

int main(int argc, char** argv) {
    std::vector<char*> remaining{argv[0]};
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
            dataPath = argv[++i];
        } else if (std::strcmp(argv[i], "--neighbors") == 0 && i + 1 < argc) {
            neighbors = std::stol(argv[++i]);
        } else {
            remaining.push_back(argv[i]);
        }
    }
    const std::vector<long> sizes = dataPath.empty() ? std::vector<long>{2'000, 5'000} : std::vector<long>{0};
    for (const long size : sizes) {
        benchmark::RegisterBenchmark("LLE/standard", standard)->Arg(size)->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark("LLE/modified", modified)->Arg(size)->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark("LLE/ltsa", ltsa)->Arg(size)->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark("LLE/phase/neighbors", neighborPhase)
            ->Arg(size)
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark("LLE/phase/weights", weightPhase)
            ->Arg(size)
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark("LLE/phase/assembly", assemblyPhase)
            ->Arg(size)
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark("LLE/phase/eigensolver", eigensolverPhase)
            ->Arg(size)
            ->Unit(benchmark::kMillisecond);
    }
    int remainingCount = static_cast<int>(remaining.size());
    benchmark::Initialize(&remainingCount, remaining.data());
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
