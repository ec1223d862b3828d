#include "locallab/density/density_cross_validation.hpp"

#include "locallab/density/kernel_density.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace locallab {
Eigen::VectorXd logSpacedBandwidths(double smallest, double largest, Eigen::Index count) {
    if (!(smallest > 0.0) || !(largest >= smallest) || !std::isfinite(largest) || count < 1) {
        throw std::invalid_argument(
            "log-spaced bandwidths need 0 < smallest <= largest and a count of at least 1");
    }
    if (count == 1) {
        return Eigen::VectorXd::Constant(1, smallest);
    }
    return Eigen::VectorXd::LinSpaced(count, std::log(smallest), std::log(largest)).array().exp();
}

DensityCrossValidation crossValidateDensity(const Eigen::MatrixXd& points, const RadialKernel& kernel,
                                            const Eigen::VectorXd& bandwidths, Progress& progress) {
    if (points.rows() < 2) {
        throw std::invalid_argument("likelihood cross-validation needs at least two data points");
    }
    if (bandwidths.size() == 0) {
        throw std::invalid_argument("likelihood cross-validation needs at least one candidate bandwidth");
    }
    DensityCrossValidation result;
    result.bandwidths = bandwidths;
    result.scores.resize(bandwidths.size());
    const double share = 1.0 / static_cast<double>(bandwidths.size());
    for (Eigen::Index candidate = 0; candidate < bandwidths.size(); ++candidate) {
        ProgressShare part(progress, share * static_cast<double>(candidate), share);
        const KernelDensity density(points, kernel, Bandwidth::scalar(bandwidths[candidate]));
        result.scores[candidate] = density.leaveOneOutLogDensity(part).sum(); // −∞ if any term is
        if (result.scores[candidate] > result.scores[result.bestIndex] ||
            result.scores[result.bestIndex] == -std::numeric_limits<double>::infinity()) {
            result.bestIndex = candidate;
        }
    }
    if (result.scores[result.bestIndex] == -std::numeric_limits<double>::infinity()) {
        throw std::domain_error("every candidate bandwidth leaves some point with no other point within the "
                                "kernel's support; try larger bandwidths");
    }
    return result;
}

DensityCrossValidation crossValidateDensity(const Eigen::MatrixXd& points, const RadialKernel& kernel,
                                            const Eigen::VectorXd& bandwidths) {
    SilentProgress progress;
    return crossValidateDensity(points, kernel, bandwidths, progress);
}

} // namespace locallab
