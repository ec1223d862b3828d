#include "locallab/local/kernel_neighborhood.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace locallab {

KernelNeighborhood::KernelNeighborhood(const Eigen::MatrixXd& points, RadialKernel kernel,
                                       const Bandwidth& bandwidth, double truncationTolerance)
    : kernel_(kernel), bandwidth_(bandwidth) {
    if (points.rows() == 0 || points.cols() == 0) {
        throw std::invalid_argument("a kernel neighbourhood needs at least one point of dimension ≥ 1");
    }
    if (!(truncationTolerance >= 0.0)) {
        throw std::invalid_argument("the truncation tolerance must be 0 (exact) or positive");
    }
    bandwidth_.checkDimension(points.cols());
    whitenedPoints_ = bandwidth_.whiten(points);
    supportSquared_ = kernel_.isCompact()         ? 1.0
                      : truncationTolerance > 0.0 ? kernel_.supportSquared(truncationTolerance)
                                                  : std::numeric_limits<double>::infinity();
    if (std::isfinite(supportSquared_)) {
        index_ = std::make_unique<NeighborIndex>(Eigen::MatrixXd(whitenedPoints_));
    }
}

KernelNeighborhood::~KernelNeighborhood() = default;
KernelNeighborhood::KernelNeighborhood(KernelNeighborhood&&) noexcept = default;
KernelNeighborhood& KernelNeighborhood::operator=(KernelNeighborhood&&) noexcept = default;

bool KernelNeighborhood::gather(const Eigen::VectorXd& whitenedTarget,
                                std::vector<WeightedNeighbor>& neighbors, Eigen::Index excludedRow) const {
    neighbors.clear();
    // First pass: log-weights (stored in .weight) and their maximum.
    double largestLogWeight = -std::numeric_limits<double>::infinity();
    const auto addCandidate = [&](Eigen::Index row, double squaredDistance) {
        if (row == excludedRow) {
            return;
        }
        const double logWeight = kernel_.logValue(squaredDistance);
        if (logWeight == -std::numeric_limits<double>::infinity()) {
            return;
        }
        largestLogWeight = std::max(largestLogWeight, logWeight);
        neighbors.push_back({row, logWeight});
    };
    if (index_) {
        for (const Neighbor& neighbor : index_->withinRadius(whitenedTarget.data(), supportSquared_)) {
            addCandidate(neighbor.index, neighbor.squaredDistance);
        }
    } else {
        neighbors.reserve(static_cast<std::size_t>(size()));
        const Eigen::Index dimensions = dimension();
        for (Eigen::Index row = 0; row < size(); ++row) {
            const double* point = whitenedPoints_.row(row).data();
            double squaredDistance = 0.0;
            for (Eigen::Index column = 0; column < dimensions; ++column) {
                const double difference = point[column] - whitenedTarget(column);
                squaredDistance += difference * difference;
            }
            addCandidate(row, squaredDistance);
        }
    }
    if (neighbors.empty()) {
        return false;
    }
    // Second pass: weights relative to the largest, dropping those that underflow to zero.
    std::size_t kept = 0;
    for (const WeightedNeighbor& neighbor : neighbors) {
        const double weight = std::exp(neighbor.weight - largestLogWeight);
        if (weight > 0.0) {
            neighbors[kept++] = {neighbor.index, weight};
        }
    }
    neighbors.resize(kept);
    return true;
}

} // namespace locallab
