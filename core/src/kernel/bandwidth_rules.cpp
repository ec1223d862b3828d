#include "locallab/kernel/bandwidth_rules.hpp"

#include "locallab/neighbors/neighbor_index.hpp"
#include "locallab/util/progress.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <vector>

namespace locallab {
namespace {

void checkPointCount(Eigen::Index pointCount, const char* rule) {
    if (pointCount < 2) {
        std::ostringstream message;
        message << rule << " needs at least 2 points to measure a spread, got " << pointCount;
        throw std::invalid_argument(message.str());
    }
}

void checkFinite(const Eigen::MatrixXd& points) {
    for (Eigen::Index column = 0; column < points.cols(); ++column) {
        for (Eigen::Index row = 0; row < points.rows(); ++row) {
            if (!std::isfinite(points(row, column))) {
                std::ostringstream message;
                message << "the value in row " << row + 1 << ", column " << column + 1 << " is "
                        << points(row, column) << "; a bandwidth rule needs finite numbers";
                throw std::invalid_argument(message.str());
            }
        }
    }
}

// Standard deviations of the columns, each required to be positive.
Eigen::VectorXd columnDeviations(const Eigen::MatrixXd& covariance) {
    const Eigen::VectorXd variances = covariance.diagonal();
    for (Eigen::Index column = 0; column < variances.size(); ++column) {
        if (!(variances[column] > 0.0)) {
            std::ostringstream message;
            message << "column " << column + 1
                    << " has zero variance (every value is the same), so no bandwidth can be scaled to it";
            throw std::invalid_argument(message.str());
        }
    }
    return variances.cwiseSqrt();
}

RuleOfThumbBandwidth ruleOfThumb(const Eigen::MatrixXd& points, double factor) {
    const Eigen::MatrixXd covariance = sampleCovariance(points);
    const Eigen::VectorXd deviations = columnDeviations(covariance);
    RuleOfThumbBandwidth result;
    result.factor = factor;
    result.perColumn = Bandwidth::diagonal(factor * deviations);
    try {
        result.covariance = Bandwidth::full(factor * factor * covariance);
    } catch (const std::invalid_argument&) {
        throw std::invalid_argument(
            "the columns are linearly dependent (the covariance matrix is singular; "
            "fewer points than columns, or one column a combination of others), so "
            "no full bandwidth matrix can be scaled to them; use the per-column reading");
    }
    return result;
}

// numpy's linear interpolation between neighbouring order statistics, written the way numpy evaluates it
// (from the upper value when the fraction is at least one half) so that the results agree to the last bit.
double interpolatedPercentile(const std::vector<double>& sorted, double fraction) {
    const double position = fraction * static_cast<double>(sorted.size() - 1);
    const double lowerPosition = std::floor(position);
    const auto lower = static_cast<std::size_t>(lowerPosition);
    const std::size_t upper = std::min(lower + 1, sorted.size() - 1);
    const double weight = position - lowerPosition;
    const double difference = sorted[upper] - sorted[lower];
    return weight >= 0.5 ? sorted[upper] - difference * (1.0 - weight) : sorted[lower] + difference * weight;
}

} // namespace

double scottFactor(Eigen::Index pointCount, Eigen::Index dimension) {
    return std::pow(static_cast<double>(pointCount), -1.0 / (static_cast<double>(dimension) + 4.0));
}

double silvermanFactor(Eigen::Index pointCount, Eigen::Index dimension) {
    const double d = static_cast<double>(dimension);
    return std::pow(static_cast<double>(pointCount) * (d + 2.0) / 4.0, -1.0 / (d + 4.0));
}

Eigen::MatrixXd sampleCovariance(const Eigen::MatrixXd& points) {
    checkPointCount(points.rows(), "a covariance");
    checkFinite(points);
    const Eigen::MatrixXd centered = points.rowwise() - points.colwise().mean();
    return centered.transpose() * centered / static_cast<double>(points.rows() - 1);
}

RuleOfThumbBandwidth scottBandwidth(const Eigen::MatrixXd& points) {
    checkPointCount(points.rows(), "Scott's rule");
    return ruleOfThumb(points, scottFactor(points.rows(), points.cols()));
}

RuleOfThumbBandwidth silvermanBandwidth(const Eigen::MatrixXd& points) {
    checkPointCount(points.rows(), "Silverman's rule");
    return ruleOfThumb(points, silvermanFactor(points.rows(), points.cols()));
}

double interquartileRange(const Eigen::VectorXd& values) {
    if (values.size() == 0) {
        throw std::invalid_argument("the interquartile range of no values is undefined");
    }
    std::vector<double> sorted(values.begin(), values.end());
    std::sort(sorted.begin(), sorted.end());
    return interpolatedPercentile(sorted, 0.75) - interpolatedPercentile(sorted, 0.25);
}

double robustSilvermanBandwidth(const Eigen::VectorXd& values) {
    checkPointCount(values.size(), "Silverman's robust rule");
    const double deviation = columnDeviations(sampleCovariance(values))[0];
    const double spreadFromQuartiles = interquartileRange(values) / 1.34;
    const double spread = spreadFromQuartiles > 0.0 ? std::min(deviation, spreadFromQuartiles) : deviation;
    return 0.9 * spread * std::pow(static_cast<double>(values.size()), -0.2);
}

double estimateBandwidth(const Eigen::MatrixXd& points, double quantile, Progress& progress) {
    if (!(quantile >= 0.0 && quantile <= 1.0)) {
        std::ostringstream message;
        message << "the quantile must lie in [0, 1], got " << quantile;
        throw std::invalid_argument(message.str());
    }
    if (points.rows() < 1) {
        throw std::invalid_argument("estimating a bandwidth needs at least one point");
    }
    checkFinite(points);
    const Eigen::Index pointCount = points.rows();
    // int(n·quantile) truncates the double product, exactly as Python does.
    const auto neighborCount =
        std::max<Eigen::Index>(1, static_cast<Eigen::Index>(static_cast<double>(pointCount) * quantile));
    const NeighborIndex index(points);
    std::vector<double> distances(static_cast<std::size_t>(pointCount));
    std::atomic<Eigen::Index> done{0};
    constexpr Eigen::Index blockSize = 256;
    tbb::parallel_for(tbb::blocked_range<Eigen::Index>(0, pointCount, blockSize),
                      [&](const tbb::blocked_range<Eigen::Index>& block) {
                          progress.checkCanceled();
                          for (Eigen::Index row = block.begin(); row != block.end(); ++row) {
                              const auto neighbors = index.nearest(points.row(row), neighborCount);
                              distances[static_cast<std::size_t>(row)] =
                                  std::sqrt(neighbors.back().squaredDistance);
                          }
                          const Eigen::Index finished = done += static_cast<Eigen::Index>(block.size());
                          progress.report(static_cast<double>(finished) / static_cast<double>(pointCount));
                      });
    // Summed in point order after the parallel part, so the result does not depend on the schedule.
    double total = 0.0;
    for (const double distance : distances) {
        total += distance;
    }
    return total / static_cast<double>(pointCount);
}

double estimateBandwidth(const Eigen::MatrixXd& points, double quantile) {
    SilentProgress progress;
    return estimateBandwidth(points, quantile, progress);
}

} // namespace locallab
