// Neighbour search on 100 000 points in 2-D: building the k-d tree, k-nearest-neighbour queries and
// radius queries. tests/bench/compare_neighbors.py times scikit-learn's KDTree on the same data
// (the same generator, written to a file) for the ratio. Speed is measured here, never asserted.
//
//   bench_neighbors --benchmark_out=neighbors.json --benchmark_out_format=json

#include "locallab/neighbors/neighbor_index.hpp"

#include <Eigen/Core>
#include <benchmark/benchmark.h>
#include <cstdint>
#include <fstream>
#include <vector>

namespace {

constexpr Eigen::Index pointCount = 100000;
constexpr Eigen::Index queryCount = 10000;

// A small fixed generator (SplitMix64) so that the python script can rebuild the exact same points.
class SplitMix64 {
public:
    explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
    double uniform() { // in [0, 1), 53 random bits
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        return static_cast<double>(z >> 11) * 0x1.0p-53;
    }

private:
    std::uint64_t state_;
};

Eigen::MatrixXd uniformPoints(Eigen::Index count, std::uint64_t seed) {
    SplitMix64 generator(seed);
    Eigen::MatrixXd points(count, 2);
    for (Eigen::Index row = 0; row < count; ++row) {
        points(row, 0) = generator.uniform();
        points(row, 1) = generator.uniform();
    }
    return points;
}

const Eigen::MatrixXd& dataPoints() {
    static const Eigen::MatrixXd points = uniformPoints(pointCount, 1);
    return points;
}

const Eigen::MatrixXd& queryPoints() {
    static const Eigen::MatrixXd points = uniformPoints(queryCount, 2);
    return points;
}

void buildKdTree(benchmark::State& state) {
    for (auto _ : state) {
        const locallab::NeighborIndex index(dataPoints(), locallab::NeighborIndex::Strategy::KdTree);
        benchmark::DoNotOptimize(index.size());
    }
    state.SetItemsProcessed(state.iterations() * pointCount);
}
BENCHMARK(buildKdTree)->Unit(benchmark::kMillisecond);

void nearestQueries(benchmark::State& state) {
    const locallab::NeighborIndex index(dataPoints(), locallab::NeighborIndex::Strategy::KdTree);
    const Eigen::MatrixXd& queries = queryPoints();
    const auto k = static_cast<Eigen::Index>(state.range(0));
    for (auto _ : state) {
        std::size_t found = 0;
        for (Eigen::Index row = 0; row < queries.rows(); ++row) {
            found += index.nearest(queries.row(row), k).size();
        }
        benchmark::DoNotOptimize(found);
    }
    state.SetItemsProcessed(state.iterations() * queryCount);
}
BENCHMARK(nearestQueries)->Arg(1)->Arg(10)->Arg(100)->Unit(benchmark::kMillisecond);

// Radii giving about 10 and 100 neighbours on average: π r² n = count.
void radiusQueries(benchmark::State& state) {
    const locallab::NeighborIndex index(dataPoints(), locallab::NeighborIndex::Strategy::KdTree);
    const Eigen::MatrixXd& queries = queryPoints();
    const double expectedNeighbors = static_cast<double>(state.range(0));
    const double radiusSquared = expectedNeighbors / (3.141592653589793 * static_cast<double>(pointCount));
    std::size_t found = 0;
    for (auto _ : state) {
        found = 0;
        for (Eigen::Index row = 0; row < queries.rows(); ++row) {
            found += index.withinRadius(queries.row(row), radiusSquared).size();
        }
        benchmark::DoNotOptimize(found);
    }
    state.counters["mean_found"] = static_cast<double>(found) / static_cast<double>(queryCount);
    state.SetItemsProcessed(state.iterations() * queryCount);
}
BENCHMARK(radiusQueries)->Arg(10)->Arg(100)->Unit(benchmark::kMillisecond);

// The brute-force scan on the same data, to show what the tree saves (fewer queries: it is slow).
void nearestBruteForce(benchmark::State& state) {
    const locallab::NeighborIndex index(dataPoints(), locallab::NeighborIndex::Strategy::BruteForce);
    const Eigen::MatrixXd& queries = queryPoints();
    for (auto _ : state) {
        std::size_t found = 0;
        for (Eigen::Index row = 0; row < 100; ++row) {
            found += index.nearest(queries.row(row), 10).size();
        }
        benchmark::DoNotOptimize(found);
    }
    state.SetItemsProcessed(state.iterations() * 100);
}
BENCHMARK(nearestBruteForce)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
