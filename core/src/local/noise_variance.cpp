#include "locallab/local/noise_variance.hpp"

#include "parallel_targets.hpp"

#include <cmath>
#include <stdexcept>
#include <string>
#include <tbb/combinable.h>

namespace locallab {

namespace {

struct HatMatrixSums {
    double residualSquares = 0.0;
    double trace = 0.0;
    double squaredEntries = 0.0;
    long long rowsWithoutFit = 0;
};

} // namespace

NoiseVarianceEstimate estimateNoiseVariance(const LinearSmoother& smoother, Progress& progress) {
    const Eigen::VectorXd& responses = smoother.responses();
    tbb::combinable<HatMatrixSums> partialSums;
    detail::forEachTargetBlock(smoother.size(), progress, [&](Eigen::Index begin, Eigen::Index end) {
        HatMatrixSums& sums = partialSums.local();
        for (Eigen::Index row = begin; row < end; ++row) {
            const SmootherWeights weights = smoother.weightsAtDataPoint(row);
            if (weights.status == LocalFitStatus::NoSupport) {
                ++sums.rowsWithoutFit;
                continue;
            }
            const double residual = responses(row) - weights.apply(responses);
            sums.residualSquares += residual * residual;
            sums.trace += weights.weightOf(row);
            sums.squaredEntries += weights.sumOfSquares();
        }
    });
    const HatMatrixSums total = partialSums.combine([](const HatMatrixSums& a, const HatMatrixSums& b) {
        return HatMatrixSums{a.residualSquares + b.residualSquares, a.trace + b.trace,
                             a.squaredEntries + b.squaredEntries, a.rowsWithoutFit + b.rowsWithoutFit};
    });
    if (total.rowsWithoutFit > 0) {
        throw std::domain_error("noise variance: " + std::to_string(total.rowsWithoutFit) +
                                " data points have no fit (no other point within the kernel's support)");
    }
    NoiseVarianceEstimate estimate;
    estimate.residualSumOfSquares = total.residualSquares;
    estimate.traceSmoother = total.trace;
    estimate.traceSmootherSquared = total.squaredEntries;
    estimate.residualDegreesOfFreedom =
        static_cast<double>(smoother.size()) - 2.0 * total.trace + total.squaredEntries;
    if (!(estimate.residualDegreesOfFreedom > 0.0)) {
        throw std::domain_error(
            "noise variance: the fit interpolates the data (no residual degrees of freedom)");
    }
    estimate.variance = estimate.residualSumOfSquares / estimate.residualDegreesOfFreedom;
    return estimate;
}

LocalFit standardErrors(const LinearSmoother& smoother, const Eigen::MatrixXd& targets, double noiseVariance,
                        Progress& progress) {
    LocalFit result;
    result.values = Eigen::VectorXd::Zero(targets.rows());
    result.statuses.assign(static_cast<std::size_t>(targets.rows()), LocalFitStatus::NoSupport);
    const double noiseLevel = std::sqrt(noiseVariance);
    detail::forEachTargetBlock(targets.rows(), progress, [&](Eigen::Index begin, Eigen::Index end) {
        for (Eigen::Index target = begin; target < end; ++target) {
            const SmootherWeights weights = smoother.weightsAt(targets.row(target).transpose());
            if (weights.status == LocalFitStatus::NoSupport) {
                continue;
            }
            result.values(target) = noiseLevel * std::sqrt(weights.sumOfSquares());
            result.statuses[static_cast<std::size_t>(target)] = weights.status;
        }
    });
    return result;
}

} // namespace locallab
