#pragma once
// Seeded random numbers that are the same on every platform. std::mt19937_64 is specified bit for bit
// by the standard, but std::normal_distribution and std::uniform_real_distribution are not, so the
// mapping from raw bits to uniform and normal numbers is done here: a generator and a seed then give
// the same data with any standard library, which is what scene files rely on.

#include <cstdint>
#include <random>
#include <vector>

namespace locallab {

class RandomStream {
public:
    explicit RandomStream(std::uint64_t seed) : engine_(seed) {}

    // Uniform in [0, 1), from the top 53 bits of one draw.
    double uniform();
    double uniform(double low, double high) { return low + (high - low) * uniform(); }

    // Standard normal by the Box–Muller transform; the second value of each pair is kept for the next call.
    double normal();
    double normal(double mean, double standardDeviation) { return mean + standardDeviation * normal(); }

    // Uniform in {0, ..., count − 1} without modulo bias; count must be positive.
    std::uint64_t index(std::uint64_t count);

    // A uniformly random permutation of 0..count−1 (Fisher–Yates).
    std::vector<std::size_t> permutation(std::size_t count);

private:
    std::mt19937_64 engine_;
    double spareNormal_ = 0.0;
    bool hasSpareNormal_ = false;
};

} // namespace locallab
