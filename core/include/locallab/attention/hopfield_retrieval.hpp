#pragma once
// Modern (continuous) Hopfield networks, Ramsauer et al. 2020, "Hopfield Networks is All You Need".
// N stored patterns are the columns of X (d × N). A state ξ is updated by one attention step with the
// patterns as keys and values and β as inverse temperature:
//
//   ξ ← X softmax(β Xᵀ ξ)
//
// which never increases the energy
//
//   E(ξ) = −lse(β, Xᵀ ξ) + ½ ξᵀξ + β⁻¹ log N + ½ M²,   lse(β, z) = β⁻¹ log Σ_i exp(β z_i),
//   M = max_i ||x_i||.
//
// Large β retrieves the stored pattern nearest in inner product to the start (one-hot weights); small
// β averages, and as β → 0 the fixed point is the mean of the patterns: β plays the inverse bandwidth.

#include "locallab/util/progress.hpp"

#include <Eigen/Core>
#include <cstdint>
#include <vector>

namespace locallab {

struct HopfieldOptions {
    double inverseTemperature = 1.0; // β > 0
    int maxSteps = 100;
    // Stop when an update moves ξ by at most this much (Euclidean); the last state is then a fixed point.
    double tolerance = 1e-12;
};

struct HopfieldRetrieval {
    std::vector<Eigen::VectorXd> states; // ξ_0 (the start), ξ_1, ... one per update
    std::vector<double> energies;        // E(ξ_t) for every state
    Eigen::VectorXd finalWeights;        // softmax(β Xᵀ ξ) at the last state: which patterns it mixes
    bool converged = false;              // stopped at a fixed point rather than at maxSteps

    const Eigen::VectorXd& retrieved() const { return states.back(); }
};

// E(ξ) above. Throws std::invalid_argument when the sizes do not fit or β is not positive and finite.
double hopfieldEnergy(const Eigen::MatrixXd& patterns, const Eigen::VectorXd& state,
                      double inverseTemperature);
// softmax(β Xᵀ ξ), computed through a log-sum-exp.
Eigen::VectorXd hopfieldWeights(const Eigen::MatrixXd& patterns, const Eigen::VectorXd& state,
                                double inverseTemperature);
// One update X softmax(β Xᵀ ξ).
Eigen::VectorXd hopfieldUpdate(const Eigen::MatrixXd& patterns, const Eigen::VectorXd& state,
                               double inverseTemperature);

// Updates from `start` until a fixed point or options.maxSteps updates; checks for cancellation and
// reports progress once per update.
HopfieldRetrieval retrieveHopfield(const Eigen::MatrixXd& patterns, const Eigen::VectorXd& start,
                                   const HopfieldOptions& options, Progress& progress);
HopfieldRetrieval retrieveHopfield(const Eigen::MatrixXd& patterns, const Eigen::VectorXd& start,
                                   const HopfieldOptions& options);

// A pattern plus independent N(0, σ²) noise on every entry (seeded).
Eigen::VectorXd addGaussianNoise(const Eigen::VectorXd& pattern, double standardDeviation,
                                 std::uint64_t seed);
// A pattern with round(fraction · d) entries, chosen uniformly at random (seeded), set to fillValue.
Eigen::VectorXd maskEntries(const Eigen::VectorXd& pattern, double fraction, std::uint64_t seed,
                            double fillValue = 0.0);

} // namespace locallab
