#include "locallab/local/regression_cross_validation.hpp"

#include "locallab/neighbors/neighbor_index.hpp"
#include "parallel_targets.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <tbb/combinable.h>

namespace locallab {

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();
// Below this 1 − L_ii the shortcut loses more digits than a refit costs.
constexpr double smallestLeverageComplement = 1e-8;

struct SquaredResiduals {
    double sum = 0.0;
    bool undefined = false;
};

template <typename ResidualOfRow>
double meanSquaredResidual(Eigen::Index count, Progress& progress, ResidualOfRow residualOfRow) {
    tbb::combinable<SquaredResiduals> partial;
    detail::forEachTargetBlock(count, progress, [&](Eigen::Index begin, Eigen::Index end) {
        SquaredResiduals& sums = partial.local();
        for (Eigen::Index row = begin; row < end; ++row) {
            const std::optional<double> residual = residualOfRow(row);
            if (!residual) {
                sums.undefined = true;
                continue;
            }
            sums.sum += *residual * *residual;
        }
    });
    const SquaredResiduals total = partial.combine([](const SquaredResiduals& a, const SquaredResiduals& b) {
        return SquaredResiduals{a.sum + b.sum, a.undefined || b.undefined};
    });
    return total.undefined ? infinity : total.sum / static_cast<double>(count);
}

std::optional<double> refittedResidual(const LocalRegression& regression, Eigen::Index row) {
    const LocalEstimate estimate = regression.fitLeavingOut(row);
    if (!estimate.hasValue()) {
        return std::nullopt;
    }
    return regression.responses()(row) - estimate.value;
}

} // namespace

double leaveOneOutError(const LocalRegression& regression, Progress& progress) {
    return meanSquaredResidual(regression.size(), progress, [&](Eigen::Index row) -> std::optional<double> {
        const SmootherWeights weights = regression.weightsAtDataPoint(row);
        const double leverageComplement = 1.0 - weights.weightOf(row);
        if (weights.status != LocalFitStatus::Fitted || !(leverageComplement > smallestLeverageComplement)) {
            return refittedResidual(regression, row);
        }
        const double residual = regression.responses()(row) - weights.apply(regression.responses());
        return residual / leverageComplement;
    });
}

double leaveOneOutErrorByRefitting(const LocalRegression& regression, Progress& progress) {
    return meanSquaredResidual(regression.size(), progress,
                               [&](Eigen::Index row) { return refittedResidual(regression, row); });
}

CrossValidationCurve crossValidateBandwidth(const Eigen::MatrixXd& points, const Eigen::VectorXd& responses,
                                            const LocalRegressionSettings& settings,
                                            const std::vector<double>& bandwidths, Progress& progress) {
    if (bandwidths.empty()) {
        throw std::invalid_argument("cross-validation needs at least one bandwidth");
    }
    CrossValidationCurve curve;
    curve.bandwidths = bandwidths;
    for (const double bandwidth : bandwidths) {
        LocalRegressionSettings candidate = settings;
        candidate.bandwidth = Bandwidth::scalar(bandwidth); // validates h
        const LocalRegression regression(points, responses, candidate);
        curve.errors.push_back(leaveOneOutError(regression, progress));
    }
    const auto best = std::min_element(curve.errors.begin(), curve.errors.end());
    if (!std::isfinite(*best)) {
        throw std::domain_error("cross-validation: at every bandwidth some point has no other point in its "
                                "kernel's support; try larger bandwidths");
    }
    curve.bestIndex = static_cast<std::size_t>(best - curve.errors.begin());
    return curve;
}

std::vector<double> defaultBandwidthGrid(const Eigen::MatrixXd& points, int count) {
    if (points.rows() < 2 || count < 2) {
        throw std::invalid_argument("a bandwidth grid needs at least two points and two bandwidths");
    }
    const NeighborIndex index(points);
    std::vector<double> nearestDistances;
    nearestDistances.reserve(static_cast<std::size_t>(points.rows()));
    for (Eigen::Index row = 0; row < points.rows(); ++row) {
        const std::vector<Neighbor> nearest = index.nearest(points.row(row).transpose(), 2);
        nearestDistances.push_back(std::sqrt(nearest.back().squaredDistance));
    }
    const auto middle = nearestDistances.begin() + static_cast<std::ptrdiff_t>(nearestDistances.size() / 2);
    std::nth_element(nearestDistances.begin(), middle, nearestDistances.end());
    const Eigen::RowVectorXd mean = points.colwise().mean();
    const double spread =
        std::sqrt((points.rowwise() - mean).squaredNorm() / static_cast<double>(points.rows() - 1));
    if (!(spread > 0.0)) {
        throw std::invalid_argument("a bandwidth grid needs points that are not all equal");
    }
    const double largest = 2.0 * spread;
    const double smallest = std::min(std::max(2.0 * *middle, 1e-3 * spread), 0.5 * largest);
    std::vector<double> grid;
    for (int step = 0; step < count; ++step) {
        const double fraction = static_cast<double>(step) / static_cast<double>(count - 1);
        grid.push_back(smallest * std::pow(largest / smallest, fraction));
    }
    return grid;
}

} // namespace locallab
