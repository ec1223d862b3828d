// Attention speed: the n × n weight matrix and the output (weights · values) for each kernel, tokens as
// their own queries, keys and values. With --data FILE (CSV or .npy, as tests/bench/compare_attention.py
// writes) the benchmarks run on that file so that numpy and LocalLab are timed on the same tokens;
// without it they run on seeded Gaussian tokens of 1,024 and 4,096 × 64.
//   bench_attention [--data FILE] [google benchmark flags]

#include "locallab/attention/attention_weights.hpp"
#include "locallab/attention/hopfield_retrieval.hpp"
#include "locallab/attention/random_matrix.hpp"
#include "locallab/data/load_dataset.hpp"

#include <benchmark/benchmark.h>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace {

constexpr Eigen::Index tokenDimension = 64;
std::string dataPath;

const Eigen::MatrixXd& tokensOfSize(Eigen::Index size) {
    static std::map<Eigen::Index, Eigen::MatrixXd> cache;
    auto found = cache.find(size);
    if (found == cache.end()) {
        Eigen::MatrixXd tokens;
        if (!dataPath.empty()) {
            tokens = locallab::loadDataset(dataPath).points;
        } else {
            locallab::RandomStream random(7);
            tokens = locallab::gaussianMatrix(size, tokenDimension, 1.0, random);
        }
        found = cache.emplace(size, std::move(tokens)).first;
    }
    return found->second;
}

void attention(benchmark::State& state, locallab::AttentionKernel kernel) {
    const Eigen::MatrixXd& tokens = tokensOfSize(state.range(0));
    locallab::AttentionWeightOptions options;
    options.kernel = kernel;
    options.neighborCount = 16;
    for (auto _ : state) {
        const locallab::AttentionResult result = locallab::attend(tokens, tokens, tokens, options);
        benchmark::DoNotOptimize(result.output.data());
    }
    state.counters["tokens"] = static_cast<double>(tokens.rows());
    state.counters["dimension"] = static_cast<double>(tokens.cols());
}

void softmax(benchmark::State& state) {
    attention(state, locallab::AttentionKernel::Softmax);
}
void gaussian(benchmark::State& state) {
    attention(state, locallab::AttentionKernel::Gaussian);
}
void cosine(benchmark::State& state) {
    attention(state, locallab::AttentionKernel::Cosine);
}
void nearest(benchmark::State& state) {
    attention(state, locallab::AttentionKernel::NearestNeighbors);
}

// One Hopfield update per stored token as the query: the same work as one attention row per step.
void hopfieldRetrieval(benchmark::State& state) {
    const Eigen::MatrixXd patterns = tokensOfSize(state.range(0)).transpose();
    locallab::HopfieldOptions options;
    options.inverseTemperature = 0.1;
    options.maxSteps = 10;
    const Eigen::VectorXd start = locallab::maskEntries(patterns.col(0), 0.3, 1);
    for (auto _ : state) {
        const auto retrieval = locallab::retrieveHopfield(patterns, start, options);
        benchmark::DoNotOptimize(retrieval.retrieved().data());
    }
}

} // namespace

int main(int argc, char** argv) {
    std::vector<char*> remaining{argv[0]};
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
            dataPath = argv[++i];
        } else {
            remaining.push_back(argv[i]);
        }
    }
    const std::vector<long> sizes = dataPath.empty() ? std::vector<long>{1'024, 4'096} : std::vector<long>{0};
    for (const long size : sizes) {
        benchmark::RegisterBenchmark("Attention/softmax", softmax)->Arg(size)->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark("Attention/gaussian", gaussian)
            ->Arg(size)
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark("Attention/cosine", cosine)->Arg(size)->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark("Attention/knn16", nearest)->Arg(size)->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark("Hopfield/10_steps", hopfieldRetrieval)
            ->Arg(size)
            ->Unit(benchmark::kMillisecond);
    }
    int remainingCount = static_cast<int>(remaining.size());
    benchmark::Initialize(&remainingCount, remaining.data());
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
