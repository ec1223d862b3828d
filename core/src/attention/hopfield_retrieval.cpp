#include "locallab/attention/hopfield_retrieval.hpp"

#include "locallab/data/random_stream.hpp"
#include "locallab/kernel/similarity_kernel.hpp"
#include "locallab/util/log_domain.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace locallab {
namespace {

void checkArguments(const Eigen::MatrixXd& patterns, const Eigen::VectorXd& state,
                    double inverseTemperature) {
    std::ostringstream message;
    if (patterns.cols() == 0) {
        message << "a Hopfield network needs at least one stored pattern";
    } else if (patterns.rows() != state.size()) {
        message << "the stored patterns have " << patterns.rows() << " entries but the state has "
                << state.size();
    } else if (!std::isfinite(inverseTemperature) || inverseTemperature <= 0.0) {
        message << "the inverse temperature β must be a positive finite number, got " << inverseTemperature;
    } else {
        return;
    }
    throw std::invalid_argument(message.str());
}

} // namespace

double hopfieldEnergy(const Eigen::MatrixXd& patterns, const Eigen::VectorXd& state,
                      double inverseTemperature) {
    checkArguments(patterns, state, inverseTemperature);
    const double beta = inverseTemperature;
    const Eigen::VectorXd scaledSimilarities = beta * (patterns.transpose() * state);
    const double largestNorm = patterns.colwise().norm().maxCoeff();
    return -logSumExp(scaledSimilarities) / beta + 0.5 * state.squaredNorm() +
           std::log(static_cast<double>(patterns.cols())) / beta + 0.5 * largestNorm * largestNorm;
}

Eigen::VectorXd hopfieldWeights(const Eigen::MatrixXd& patterns, const Eigen::VectorXd& state,
                                double inverseTemperature) {
    checkArguments(patterns, state, inverseTemperature);
    const Eigen::VectorXd scaledSimilarities = inverseTemperature * (patterns.transpose() * state);
    return exponentiate(scaledSimilarities.array() - logSumExp(scaledSimilarities)).matrix();
}

Eigen::VectorXd hopfieldUpdate(const Eigen::MatrixXd& patterns, const Eigen::VectorXd& state,
                               double inverseTemperature) {
    return patterns * hopfieldWeights(patterns, state, inverseTemperature);
}

HopfieldRetrieval retrieveHopfield(const Eigen::MatrixXd& patterns, const Eigen::VectorXd& start,
                                   const HopfieldOptions& options, Progress& progress) {
    const double beta = options.inverseTemperature;
    HopfieldRetrieval retrieval;
    retrieval.states.push_back(start);
    retrieval.energies.push_back(hopfieldEnergy(patterns, start, beta));
    for (int step = 0; step < options.maxSteps && !retrieval.converged; ++step) {
        progress.checkCanceled();
        Eigen::VectorXd next = hopfieldUpdate(patterns, retrieval.states.back(), beta);
        retrieval.converged = (next - retrieval.states.back()).norm() <= options.tolerance;
        retrieval.energies.push_back(hopfieldEnergy(patterns, next, beta));
        retrieval.states.push_back(std::move(next));
        progress.report(static_cast<double>(step + 1) / options.maxSteps);
    }
    retrieval.finalWeights = hopfieldWeights(patterns, retrieval.states.back(), beta);
    return retrieval;
}

HopfieldRetrieval retrieveHopfield(const Eigen::MatrixXd& patterns, const Eigen::VectorXd& start,
                                   const HopfieldOptions& options) {
    SilentProgress progress;
    return retrieveHopfield(patterns, start, options, progress);
}

Eigen::VectorXd addGaussianNoise(const Eigen::VectorXd& pattern, double standardDeviation,
                                 std::uint64_t seed) {
    RandomStream random(seed);
    Eigen::VectorXd noisy = pattern;
    for (Eigen::Index entry = 0; entry < noisy.size(); ++entry) {
        noisy[entry] += standardDeviation * random.normal();
    }
    return noisy;
}

Eigen::VectorXd maskEntries(const Eigen::VectorXd& pattern, double fraction, std::uint64_t seed,
                            double fillValue) {
    if (!(fraction >= 0.0 && fraction <= 1.0)) {
        std::ostringstream message;
        message << "the masked fraction must lie in [0, 1], got " << fraction;
        throw std::invalid_argument(message.str());
    }
    RandomStream random(seed);
    const auto order = random.permutation(static_cast<std::size_t>(pattern.size()));
    const auto masked = static_cast<std::size_t>(std::lround(fraction * static_cast<double>(pattern.size())));
    Eigen::VectorXd result = pattern;
    for (std::size_t position = 0; position < masked; ++position) {
        result[static_cast<Eigen::Index>(order[position])] = fillValue;
    }
    return result;
}

} // namespace locallab
