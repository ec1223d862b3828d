#pragma once
// Sequences of tokens drawn from a two-component Gaussian mixture, the data of attention-based
// clustering (Maulen-Soto, Marion, Boyer 2025), in the symmetric setting: centroids c_{1,2} = ±(s/2)·u
// for a random unit direction u (seeded), so that ||c_1 − c_2|| = s, the separation, and the mixture has
// mean 0. (With centroids that do not sum to 0, dot-product scores only see the difference c_1 − c_2,
// and that direction, not the centroids, is what head parameters would align with.) Each token picks a
// component with probability 1/2 and adds N(0, σ² I) noise.

#include "locallab/data/random_stream.hpp"

#include <Eigen/Core>
#include <cstdint>

namespace locallab {

struct TokenMixtureOptions {
    Eigen::Index dimension = 8; // d ≥ 1
    double separation = 4.0;    // ||c_1 − c_2||
    double noise = 1.0;         // σ
    Eigen::Index tokensPerSequence = 32;
    std::uint64_t seed = 1; // of the centroids
};

struct TokenSequence {
    Eigen::MatrixXd tokens;     // tokensPerSequence × d
    Eigen::VectorXi components; // 0 or 1 for every token
};

class TokenMixture {
public:
    // Throws std::invalid_argument when d < 1, the separation or σ is negative, or no tokens are asked for.
    explicit TokenMixture(const TokenMixtureOptions& options);

    const TokenMixtureOptions& options() const { return options_; }
    // 2 × d, one centroid per row.
    const Eigen::MatrixXd& centroids() const { return centroids_; }
    TokenSequence sample(RandomStream& random) const;

private:
    TokenMixtureOptions options_;
    Eigen::MatrixXd centroids_;
};

} // namespace locallab
