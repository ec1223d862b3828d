#include "locallab/local/smoother_weights.hpp"

#include <algorithm>

namespace locallab {

double SmootherWeights::apply(const Eigen::VectorXd& responses) const {
    double sum = 0.0;
    for (std::size_t entry = 0; entry < indices.size(); ++entry) {
        sum += weights[entry] * responses(indices[entry]);
    }
    return sum;
}

double SmootherWeights::sumOfSquares() const {
    double sum = 0.0;
    for (const double weight : weights) {
        sum += weight * weight;
    }
    return sum;
}

double SmootherWeights::weightOf(Eigen::Index row) const {
    const auto found = std::find(indices.begin(), indices.end(), row);
    return found == indices.end() ? 0.0 : weights[static_cast<std::size_t>(found - indices.begin())];
}

Eigen::VectorXd SmootherWeights::dense(Eigen::Index size) const {
    Eigen::VectorXd all = Eigen::VectorXd::Zero(size);
    for (std::size_t entry = 0; entry < indices.size(); ++entry) {
        all(indices[entry]) += weights[entry];
    }
    return all;
}

} // namespace locallab
