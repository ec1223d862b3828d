#include "locallab/attention/token_mixture.hpp"

#include "locallab/attention/random_matrix.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace locallab {
namespace {

void checkOptions(const TokenMixtureOptions& options) {
    std::ostringstream message;
    if (options.dimension < 1) {
        message << "the tokens need a dimension of at least 1, got " << options.dimension;
    } else if (!(options.separation >= 0.0) || !std::isfinite(options.separation)) {
        message << "the separation must be a finite number ≥ 0, got " << options.separation;
    } else if (!(options.noise >= 0.0) || !std::isfinite(options.noise)) {
        message << "the noise σ must be a finite number ≥ 0, got " << options.noise;
    } else if (options.tokensPerSequence < 1) {
        message << "a sequence needs at least one token, got " << options.tokensPerSequence;
    } else {
        return;
    }
    throw std::invalid_argument(message.str());
}

} // namespace

TokenMixture::TokenMixture(const TokenMixtureOptions& options) : options_(options) {
    checkOptions(options);
    RandomStream random(options.seed);
    Eigen::RowVectorXd direction = gaussianMatrix(1, options.dimension, 1.0, random);
    direction.normalize();
    centroids_.resize(2, options.dimension);
    centroids_.row(0) = 0.5 * options.separation * direction;
    centroids_.row(1) = -centroids_.row(0);
}

TokenSequence TokenMixture::sample(RandomStream& random) const {
    TokenSequence sequence{Eigen::MatrixXd(options_.tokensPerSequence, options_.dimension),
                           Eigen::VectorXi(options_.tokensPerSequence)};
    for (Eigen::Index token = 0; token < options_.tokensPerSequence; ++token) {
        const int component = random.uniform() < 0.5 ? 0 : 1;
        sequence.components[token] = component;
        for (Eigen::Index column = 0; column < options_.dimension; ++column) {
            sequence.tokens(token, column) = centroids_(component, column) + options_.noise * random.normal();
        }
    }
    return sequence;
}

} // namespace locallab
