#include "locallab/meanshift/mean_shift_step.hpp"

#include "locallab/util/log_domain.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace locallab {

double logShadow(const RadialKernel& kernel, double u) {
    constexpr double minusInfinity = -std::numeric_limits<double>::infinity();
    switch (kernel.profile()) {
    case KernelProfile::Gaussian: // g(u) = ½ exp(−u/2)
        return std::log(0.5) - 0.5 * u;
    case KernelProfile::Laplacian: { // g(u) = exp(−√u) / (2√u)
        const double root = std::sqrt(std::max(u, 1e-300));
        return -root - std::log(2.0 * root);
    }
    case KernelProfile::Cauchy: // g(u) = 1/(1 + u)²
        return -2.0 * std::log1p(u);
    default: {
        const double value = kernel.shadow(u);
        return value > 0.0 ? std::log(value) : minusInfinity;
    }
    }
}

MeanShiftStep meanShiftStep(const Eigen::MatrixXd& points, const RadialKernel& kernel, double bandwidth,
                            const Eigen::VectorXd& position) {
    if (points.rows() == 0 || position.size() != points.cols()) {
        throw std::invalid_argument("a MeanShift step needs data points of the seed's dimension");
    }
    if (!(bandwidth > 0.0) || !std::isfinite(bandwidth)) {
        throw std::invalid_argument("the bandwidth must be a positive finite number");
    }
    const Eigen::ArrayXd u =
        (points.rowwise() - position.transpose()).rowwise().squaredNorm().array() / (bandwidth * bandwidth);
    Eigen::ArrayXd logWeights(u.size());
    for (Eigen::Index i = 0; i < u.size(); ++i) {
        logWeights[i] = logShadow(kernel, u[i]);
    }
    MeanShiftStep step;
    step.position = position;
    step.pointsWithinBandwidth = (u <= 1.0).count();
    const double largest = logWeights.maxCoeff();
    if (!std::isfinite(largest)) {
        step.logWeightSum = -std::numeric_limits<double>::infinity();
        step.localMean = position;
        step.shift = Eigen::VectorXd::Zero(position.size());
        return step;
    }
    const Eigen::ArrayXd relative = exponentiate(logWeights - largest);
    const double relativeSum = relative.sum();
    step.logWeightSum = largest + std::log(relativeSum);
    step.effectivePointCount = relativeSum * relativeSum / relative.square().sum();
    step.localMean = (points.transpose() * relative.matrix()) / relativeSum;
    step.shift = step.localMean - position;
    return step;
}

std::vector<MeanShiftStep> meanShiftSteps(const Eigen::MatrixXd& points, const RadialKernel& kernel,
                                          double bandwidth, const Eigen::VectorXd& seed, int maxIterations,
                                          double stopFactor) {
    // The same rule as meanShift(): move to the local mean, and stop once that move was small enough
    // or the budget is spent. Every position of the path gets its record, the last one included.
    std::vector<MeanShiftStep> steps{meanShiftStep(points, kernel, bandwidth, seed)};
    for (int completed = 0;; ++completed) {
        const MeanShiftStep& last = steps.back();
        if (!std::isfinite(last.logWeightSum)) {
            break; // no point has weight here: the seed cannot move
        }
        const bool smallStep = last.shift.norm() <= stopFactor * bandwidth;
        const Eigen::VectorXd next = last.localMean;
        steps.push_back(meanShiftStep(points, kernel, bandwidth, next));
        if (smallStep || completed == maxIterations) {
            break;
        }
    }
    return steps;
}

} // namespace locallab
