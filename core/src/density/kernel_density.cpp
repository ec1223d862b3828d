#include "locallab/density/kernel_density.hpp"

#include "locallab/neighbors/neighbor_index.hpp"
#include "locallab/util/log_domain.hpp"

#include <Eigen/Cholesky>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace locallab {
namespace {

constexpr double negativeInfinity = -std::numeric_limits<double>::infinity();
// Points are visited in chunks that fit in the first-level cache with their squared distances.
constexpr Eigen::Index pointChunk = 2048;
// Each parallel block of targets does about this many kernel evaluations: coarse enough that
// scheduling and cancellation checks cost nothing, fine enough that a cancel is seen quickly.
constexpr double evaluationsPerBlock = 2e6;

void checkFinite(const Eigen::MatrixXd& matrix, const char* what) {
    for (Eigen::Index column = 0; column < matrix.cols(); ++column) {
        for (Eigen::Index row = 0; row < matrix.rows(); ++row) {
            if (!std::isfinite(matrix(row, column))) {
                std::ostringstream message;
                message << what << " contain a value that is not a finite number (row " << row + 1
                        << ", column " << column + 1 << ")";
                throw std::invalid_argument(message.str());
            }
        }
    }
}

// log k(u) over a whole chunk, in place; vectorised for the Gaussian, whose tails are the common case.
void applyLogProfile(const RadialKernel& kernel, Eigen::Ref<Eigen::ArrayXd> squaredDistances) {
    if (kernel.profile() == KernelProfile::Gaussian) {
        squaredDistances *= -0.5;
        return;
    }
    squaredDistances = squaredDistances.unaryExpr([&kernel](double u) { return kernel.logValue(u); });
}

// log g(u) for the gradient. The uniform kernel is flat inside its support, so it contributes nothing.
double logShadow(const RadialKernel& kernel, double u) {
    switch (kernel.profile()) {
    case KernelProfile::Gaussian:
        return std::log(0.5) - 0.5 * u;
    case KernelProfile::Uniform:
        return negativeInfinity;
    default: {
        const double shadow = kernel.shadow(u);
        return shadow > 0.0 ? std::log(shadow) : negativeInfinity;
    }
    }
}

Eigen::Index targetsPerBlock(Eigen::Index pointsPerTarget) {
    const double perBlock =
        evaluationsPerBlock / static_cast<double>(std::max<Eigen::Index>(pointsPerTarget, 1));
    return std::clamp<Eigen::Index>(static_cast<Eigen::Index>(perBlock), 1, 4096);
}

// Runs body(targetIndex, buffer) for every target in parallel blocks, checking for cancellation once
// per block and reporting the fraction done.
template <typename Body>
void forEachTargetInParallel(Eigen::Index targetCount, Eigen::Index pointsPerTarget, Progress& progress,
                             const Body& body) {
    std::atomic<Eigen::Index> finished{0};
    const Eigen::Index grain = targetsPerBlock(pointsPerTarget);
    tbb::parallel_for(tbb::blocked_range<Eigen::Index>(0, targetCount, grain),
                      [&](const tbb::blocked_range<Eigen::Index>& block) {
                          progress.checkCanceled();
                          Eigen::ArrayXd buffer(pointChunk);
                          for (Eigen::Index target = block.begin(); target != block.end(); ++target) {
                              body(target, buffer);
                          }
                          const Eigen::Index done = finished.fetch_add(block.size()) + block.size();
                          progress.report(static_cast<double>(done) / static_cast<double>(targetCount));
                      });
}

} // namespace

// A running log-sum-exp: the sum is exp(maximum)·scaledSum, kept so that no term overflows or
// underflows before the end.
struct KernelDensity::LogSum {
    double maximum = negativeInfinity;
    double scaledSum = 0.0;

    void addBlock(const Eigen::Ref<const Eigen::ArrayXd>& logTerms) {
        const double blockMaximum = logTerms.maxCoeff();
        if (blockMaximum == negativeInfinity) {
            return;
        }
        if (blockMaximum > maximum) {
            scaledSum *= std::exp(maximum - blockMaximum);
            maximum = blockMaximum;
        }
        // Terms below e^−745 relative to the largest cannot change the sum, so Eigen's vectorised exp
        // (which returns 5.6e−309 rather than 0 there) is exact enough and keeps this loop fast.
        scaledSum += (logTerms - maximum).exp().sum();
    }

    double logValue() const {
        return maximum == negativeInfinity ? negativeInfinity : maximum + std::log(scaledSum);
    }
};

bool DensityValues::anyOutsideSupport() const {
    return std::find(outsideSupport.begin(), outsideSupport.end(), true) != outsideSupport.end();
}

KernelDensity::KernelDensity(const Eigen::MatrixXd& points, RadialKernel kernel, Bandwidth bandwidth,
                             KernelDensityOptions options)
    : kernel_(kernel), bandwidth_(std::move(bandwidth)), options_(std::move(options)) {
    if (points.rows() == 0 || points.cols() == 0) {
        throw std::invalid_argument("kernel density estimation needs at least one data point with at least "
                                    "one column, but the data is empty");
    }
    checkFinite(points, "the data points");
    bandwidth_.checkDimension(points.cols());
    const auto n = points.rows();
    const auto d = points.cols();

    if (options_.weights.size() > 0) {
        if (options_.weights.size() != n) {
            std::ostringstream message;
            message << "there are " << options_.weights.size() << " weights for " << n << " data points";
            throw std::invalid_argument(message.str());
        }
        if (!options_.weights.allFinite() || (options_.weights.array() < 0.0).any() ||
            options_.weights.sum() <= 0.0) {
            throw std::invalid_argument("the weights must be finite, non-negative and not all zero");
        }
        logTermOffsets_ = options_.weights.array().log();
        logTotalWeight_ = std::log(options_.weights.sum());
    } else {
        logTotalWeight_ = std::log(static_cast<double>(n));
    }

    double largestScale = 1.0;
    if (options_.bandwidthScales.size() > 0) {
        if (options_.bandwidthScales.size() != n) {
            std::ostringstream message;
            message << "there are " << options_.bandwidthScales.size() << " bandwidth scales for " << n
                    << " data points";
            throw std::invalid_argument(message.str());
        }
        if (!options_.bandwidthScales.allFinite() || (options_.bandwidthScales.array() <= 0.0).any()) {
            throw std::invalid_argument("the bandwidth scales must be positive finite numbers");
        }
        const Eigen::ArrayXd scales = options_.bandwidthScales.array();
        inverseSquaredScales_ = scales.square().inverse();
        const Eigen::ArrayXd scaleOffsets = -static_cast<double>(d) * scales.log();
        logTermOffsets_ =
            logTermOffsets_.size() > 0 ? Eigen::ArrayXd(logTermOffsets_ + scaleOffsets) : scaleOffsets;
        largestScale = scales.maxCoeff();
    }

    logNormalization_ =
        kernel_.logNormalization(static_cast<int>(d)) - bandwidth_.logSquareRootDeterminant(d);
    whitenedPoints_ = bandwidth_.whiten(points);
    inverseBandwidthMatrix_ = bandwidth_.matrix(d).llt().solve(Eigen::MatrixXd::Identity(d, d));

    const bool truncates = options_.summation == KernelDensityOptions::Summation::TruncatedTails &&
                           std::isfinite(kernel_.supportSquared(options_.relativeTolerance));
    if (kernel_.isCompact() || truncates) {
        const double tolerance = kernel_.isCompact() ? 0.0 : options_.relativeTolerance;
        searchRadiusSquared_ = kernel_.supportSquared(tolerance) * largestScale * largestScale;
        truncationTolerance_ = tolerance;
        neighborIndex_ = std::make_unique<NeighborIndex>(whitenedPoints_);
    }
}

KernelDensity::~KernelDensity() = default;
KernelDensity::KernelDensity(KernelDensity&&) noexcept = default;
KernelDensity& KernelDensity::operator=(KernelDensity&&) noexcept = default;

Eigen::MatrixXd KernelDensity::checkedWhitenedTargets(const Eigen::MatrixXd& targets) const {
    if (targets.cols() != dimension()) {
        std::ostringstream message;
        message << "the evaluation points have " << targets.cols() << " columns but the data has "
                << dimension();
        throw std::invalid_argument(message.str());
    }
    checkFinite(targets, "the evaluation points");
    return bandwidth_.whiten(targets);
}

KernelDensity::LogSum KernelDensity::logSumAt(const double* whitenedTarget, Eigen::Index excludedIndex,
                                              Eigen::ArrayXd& buffer) const {
    return usesNeighborIndex() ? logSumOverNeighbors(whitenedTarget, excludedIndex)
                               : logSumOverAll(whitenedTarget, excludedIndex, buffer);
}

KernelDensity::LogSum KernelDensity::logSumOverAll(const double* whitenedTarget, Eigen::Index excludedIndex,
                                                   Eigen::ArrayXd& buffer) const {
    LogSum sum;
    const Eigen::Index n = size();
    for (Eigen::Index start = 0; start < n; start += pointChunk) {
        const Eigen::Index count = std::min(pointChunk, n - start);
        auto logTerms = buffer.head(count);
        logTerms = (whitenedPoints_.col(0).segment(start, count).array() - whitenedTarget[0]).square();
        for (Eigen::Index column = 1; column < dimension(); ++column) {
            logTerms +=
                (whitenedPoints_.col(column).segment(start, count).array() - whitenedTarget[column]).square();
        }
        if (inverseSquaredScales_.size() > 0) {
            logTerms *= inverseSquaredScales_.segment(start, count);
        }
        applyLogProfile(kernel_, logTerms);
        if (logTermOffsets_.size() > 0) {
            logTerms += logTermOffsets_.segment(start, count);
        }
        if (excludedIndex >= start && excludedIndex < start + count) {
            logTerms[excludedIndex - start] = negativeInfinity;
        }
        sum.addBlock(logTerms);
    }
    return sum;
}

KernelDensity::LogSum KernelDensity::logSumOverNeighbors(const double* whitenedTarget,
                                                         Eigen::Index excludedIndex) const {
    const std::vector<Neighbor> neighbors =
        neighborIndex_->withinRadius(whitenedTarget, searchRadiusSquared_);
    Eigen::ArrayXd logTerms(static_cast<Eigen::Index>(neighbors.size()));
    for (std::size_t position = 0; position < neighbors.size(); ++position) {
        const Neighbor& neighbor = neighbors[position];
        double u = neighbor.squaredDistance;
        if (inverseSquaredScales_.size() > 0) {
            u *= inverseSquaredScales_[neighbor.index];
        }
        double logTerm = kernel_.logValue(u);
        if (logTermOffsets_.size() > 0) {
            logTerm += logTermOffsets_[neighbor.index];
        }
        logTerms[static_cast<Eigen::Index>(position)] =
            neighbor.index == excludedIndex ? negativeInfinity : logTerm;
    }
    LogSum sum;
    if (logTerms.size() > 0) {
        sum.addBlock(logTerms);
    }
    return sum;
}

DensityValues KernelDensity::evaluate(const Eigen::MatrixXd& targets, Progress& progress) const {
    const Eigen::MatrixXd whitened = checkedWhitenedTargets(targets);
    const Eigen::Index count = whitened.rows();
    DensityValues values;
    values.logDensity.resize(count);
    values.truncationTolerance = truncationTolerance_;
    const double logScale = logNormalization_ - logTotalWeight_;
    forEachTargetInParallel(
        count, usesNeighborIndex() ? 64 : size(), progress, [&](Eigen::Index target, Eigen::ArrayXd& buffer) {
            const Eigen::VectorXd point = whitened.row(target).transpose();
            values.logDensity[target] = logScale + logSumAt(point.data(), -1, buffer).logValue();
        });
    values.density = exponentiate(values.logDensity.array());
    values.outsideSupport.resize(static_cast<std::size_t>(count));
    for (Eigen::Index target = 0; target < count; ++target) {
        values.outsideSupport[static_cast<std::size_t>(target)] =
            values.logDensity[target] == negativeInfinity;
    }
    return values;
}

DensityValues KernelDensity::evaluate(const Eigen::MatrixXd& targets) const {
    SilentProgress progress;
    return evaluate(targets, progress);
}

double KernelDensity::logDensityAt(const Eigen::VectorXd& target) const {
    return evaluate(target.transpose()).logDensity[0];
}

double KernelDensity::densityAt(const Eigen::VectorXd& target) const {
    return std::exp(logDensityAt(target));
}

Eigen::VectorXd KernelDensity::gradientAt(const double* whitenedTarget) const {
    const Eigen::Index d = dimension();
    std::vector<Eigen::Index> candidates;
    if (usesNeighborIndex()) {
        for (const Neighbor& neighbor : neighborIndex_->withinRadius(whitenedTarget, searchRadiusSquared_)) {
            candidates.push_back(neighbor.index);
        }
    } else {
        candidates.resize(static_cast<std::size_t>(size()));
        for (Eigen::Index index = 0; index < size(); ++index) {
            candidates[static_cast<std::size_t>(index)] = index;
        }
    }
    const Eigen::Map<const Eigen::VectorXd> target(whitenedTarget, d);
    // Terms log(w_i λ_i^{−d} g(u_i)), then a sum shifted by their maximum so nothing underflows early.
    std::vector<double> logTerms(candidates.size());
    double largest = negativeInfinity;
    for (std::size_t position = 0; position < candidates.size(); ++position) {
        const Eigen::Index index = candidates[position];
        const double scale = inverseSquaredScales_.size() > 0 ? inverseSquaredScales_[index] : 1.0;
        const double u = (whitenedPoints_.row(index).transpose() - target).squaredNorm() * scale;
        logTerms[position] =
            logShadow(kernel_, u) + (logTermOffsets_.size() > 0 ? logTermOffsets_[index] : 0.0);
        largest = std::max(largest, logTerms[position]);
    }
    Eigen::VectorXd whitenedDirection = Eigen::VectorXd::Zero(d);
    if (largest == negativeInfinity) {
        return whitenedDirection;
    }
    for (std::size_t position = 0; position < candidates.size(); ++position) {
        const Eigen::Index index = candidates[position];
        const double scale = inverseSquaredScales_.size() > 0 ? inverseSquaredScales_[index] : 1.0;
        whitenedDirection += std::exp(logTerms[position] - largest) * scale *
                             (target - whitenedPoints_.row(index).transpose());
    }
    // With z = L⁻¹x: H⁻¹(x − x_i) = L⁻ᵀ(z − z_i) = H⁻¹L(z − z_i).
    const double factor = -2.0 * std::exp(logNormalization_ - logTotalWeight_ + largest);
    return factor * (inverseBandwidthMatrix_ * bandwidth_.unwhitenVector(whitenedDirection));
}

Eigen::MatrixXd KernelDensity::gradient(const Eigen::MatrixXd& targets, Progress& progress) const {
    const Eigen::MatrixXd whitened = checkedWhitenedTargets(targets);
    Eigen::MatrixXd gradients(whitened.rows(), dimension());
    forEachTargetInParallel(whitened.rows(), usesNeighborIndex() ? 64 : size(), progress,
                            [&](Eigen::Index target, Eigen::ArrayXd&) {
                                const Eigen::VectorXd point = whitened.row(target).transpose();
                                gradients.row(target) = gradientAt(point.data()).transpose();
                            });
    return gradients;
}

Eigen::MatrixXd KernelDensity::gradient(const Eigen::MatrixXd& targets) const {
    SilentProgress progress;
    return gradient(targets, progress);
}

Eigen::VectorXd KernelDensity::leaveOneOutLogDensity(Progress& progress) const {
    if (size() < 2) {
        throw std::invalid_argument("leaving one point out needs at least two data points");
    }
    Eigen::VectorXd result(size());
    forEachTargetInParallel(
        size(), usesNeighborIndex() ? 64 : size(), progress, [&](Eigen::Index index, Eigen::ArrayXd& buffer) {
            const Eigen::VectorXd point = whitenedPoints_.row(index).transpose();
            const double ownWeight = options_.weights.size() > 0 ? options_.weights[index] : 1.0;
            const double othersWeight = std::exp(logTotalWeight_) - ownWeight;
            const double logSum = logSumAt(point.data(), index, buffer).logValue();
            result[index] = othersWeight > 0.0 && logSum != negativeInfinity
                                ? logNormalization_ - std::log(othersWeight) + logSum
                                : negativeInfinity;
        });
    return result;
}

} // namespace locallab
