#include "locallab/meanshift/mean_shift.hpp"

#include "locallab/neighbors/neighbor_index.hpp"
#include "mode_merging.hpp"
#include "seed_climbing.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <sstream>
#include <stdexcept>

namespace locallab {
namespace {

using detail::checkPoints;
using detail::climb;
using detail::forEachInParallel;
using detail::nearestCentre;
using detail::SeedOutcome;
using detail::Space;

constexpr double infinity = std::numeric_limits<double>::infinity();

// One MeanShift step: the weighted local mean of the data around x.
class LocalMean {
public:
    using Step = detail::LocalMeanStep;

    LocalMean(const Eigen::MatrixXd& points, double radius, const MeanShiftOptions& options)
        : points_(points), radius_(radius), kernel_(options.kernel), scales_(options.sampleScales) {
        if (scales_.size() != 0 && scales_.size() != points.rows()) {
            throw std::invalid_argument("there must be one adaptive bandwidth factor per data point");
        }
        if (scales_.size() != 0 && (!scales_.allFinite() || (scales_.array() <= 0.0).any())) {
            throw std::invalid_argument("adaptive bandwidth factors must be positive and finite");
        }
        const double largestScale = scales_.size() ? scales_.maxCoeff() : 1.0;
        const double supportSquared =
            kernel_.isCompact()
                ? 1.0
                : (options.relativeTolerance > 0 ? kernel_.supportSquared(options.relativeTolerance)
                                                 : infinity);
        querySquared_ = supportSquared * radius * radius * largestScale * largestScale;
        if (std::isfinite(querySquared_)) {
            index_.emplace(points);
        }
    }

    Step at(const Eigen::VectorXd& x) const {
        Step step;
        at(x, step);
        return step;
    }

    // The same, into step, reusing the storage of step.mean: a climb takes thousands of steps.
    void at(const Eigen::VectorXd& x, Step& step) const {
        step.mean.setZero(x.size());
        step.withinBandwidth = 0;
        step.weightSum = 0.0;
        const double inverseRadiusSquared = 1.0 / (radius_ * radius_);
        auto accumulate = [&](Eigen::Index i, double squaredDistance) {
            const double u = squaredDistance * inverseRadiusSquared;
            if (u <= 1.0) {
                ++step.withinBandwidth;
            }
            double weight;
            if (scales_.size()) {
                const double scale = scales_[i];
                // ∇ of the sample-point KDE: each term carries its own h_i^{−(d+2)}
                weight = kernel_.shadow(u / (scale * scale)) * std::pow(scale, -double(x.size() + 2));
            } else {
                weight = kernel_.shadow(u);
            }
            if (weight > 0.0) {
                step.weightSum += weight;
                step.mean += weight * points_.row(i).transpose();
            }
        };
        if (index_) {
            // One buffer per thread: a step runs thousands of times per seed batch, so no allocation.
            thread_local std::vector<Neighbor> neighbors;
            index_->collectWithinRadius(x.data(), querySquared_, neighbors);
            for (const Neighbor& neighbor : neighbors) {
                accumulate(neighbor.index, neighbor.squaredDistance);
            }
        } else {
            for (Eigen::Index i = 0; i < points_.rows(); ++i) {
                accumulate(i, (points_.row(i).transpose() - x).squaredNorm());
            }
        }
        if (step.weightSum > 0.0) {
            step.mean /= step.weightSum;
        }
    }

    Eigen::Index countWithin(const Eigen::VectorXd& x) const {
        const double radiusSquared = radius_ * radius_;
        if (index_) {
            return static_cast<Eigen::Index>(index_->withinRadius(x.data(), radiusSquared).size());
        }
        return ((points_.rowwise() - x.transpose()).rowwise().squaredNorm().array() <= radiusSquared).count();
    }

private:
    const Eigen::MatrixXd& points_;
    double radius_;
    RadialKernel kernel_;
    Eigen::VectorXd scales_;
    double querySquared_ = infinity;
    std::optional<NeighborIndex> index_;
};

} // namespace

Eigen::MatrixXd binSeeds(const Eigen::MatrixXd& points, double binSize, int minBinFrequency,
                         std::string* note) {
    if (binSize == 0.0) {
        return points;
    }
    // np.round rounds half to even, which is nearbyint in the default rounding mode.
    std::map<std::vector<double>, std::size_t> binOfKey;
    std::vector<std::vector<double>> bins;
    std::vector<int> frequency;
    for (Eigen::Index i = 0; i < points.rows(); ++i) {
        std::vector<double> key(static_cast<std::size_t>(points.cols()));
        for (Eigen::Index c = 0; c < points.cols(); ++c) {
            key[static_cast<std::size_t>(c)] = std::nearbyint(points(i, c) / binSize);
        }
        const auto [found, inserted] = binOfKey.try_emplace(key, bins.size());
        if (inserted) {
            bins.push_back(key);
            frequency.push_back(0);
        }
        ++frequency[found->second];
    }
    std::vector<std::size_t> kept;
    for (std::size_t b = 0; b < bins.size(); ++b) {
        if (frequency[b] >= minBinFrequency) {
            kept.push_back(b);
        }
    }
    if (static_cast<Eigen::Index>(kept.size()) == points.rows()) {
        if (note) {
            std::ostringstream text;
            text << "binning with bin size " << binSize
                 << " gave every point its own bin; using the points as seeds";
            *note = text.str();
        }
        return points;
    }
    // scikit-learn keeps bin seeds in single precision: the product is taken in float, as numpy does.
    Eigen::MatrixXd seeds(static_cast<Eigen::Index>(kept.size()), points.cols());
    const float size = static_cast<float>(binSize);
    for (std::size_t s = 0; s < kept.size(); ++s) {
        for (Eigen::Index c = 0; c < points.cols(); ++c) {
            seeds(static_cast<Eigen::Index>(s), c) =
                static_cast<float>(bins[kept[s]][static_cast<std::size_t>(c)]) * size;
        }
    }
    return seeds;
}

MeanShiftResult meanShift(const Eigen::MatrixXd& points, const MeanShiftOptions& options,
                          Progress& progress) {
    checkPoints(points);
    if (options.maxIterations < 0) {
        throw std::invalid_argument("the number of iterations cannot be negative");
    }
    const Space space(points, options.bandwidth);
    const LocalMean localMean(space.points, space.radius, options);

    std::string note;
    const Eigen::MatrixXd seeds = detail::chooseSeeds(space, options, &note);
    const Eigen::Index seedCount = seeds.rows();
    std::vector<SeedOutcome> outcomes(static_cast<std::size_t>(seedCount));
    forEachInParallel(seedCount, progress, [&](Eigen::Index s) {
        outcomes[static_cast<std::size_t>(s)] =
            climb(localMean, seeds.row(s).transpose(), space.radius, options, options.recordTrajectories);
    });
    return detail::collectResult(space, seeds, outcomes, options, std::move(note));
}

MeanShiftResult meanShift(const Eigen::MatrixXd& points, const MeanShiftOptions& options) {
    SilentProgress progress;
    return meanShift(points, options, progress);
}

BlurringMeanShiftResult blurringMeanShift(const Eigen::MatrixXd& points, const MeanShiftOptions& options,
                                          Progress& progress) {
    checkPoints(points);
    const Space space(points, options.bandwidth);
    BlurringMeanShiftResult result;
    result.frames.push_back(points);
    Eigen::MatrixXd current = space.points;
    const double stopDistance = options.stopFactor * space.radius;
    for (int iteration = 0; iteration < options.maxIterations; ++iteration) {
        progress.checkCanceled();
        const LocalMean localMean(current, space.radius, options);
        Eigen::MatrixXd next(current.rows(), current.cols());
        SilentProgress inner;
        forEachInParallel(current.rows(), inner, [&](Eigen::Index i) {
            const LocalMean::Step step = localMean.at(current.row(i).transpose());
            if (step.weightSum > 0.0) {
                next.row(i) = step.mean.transpose();
            } else {
                next.row(i) = current.row(i);
            }
        });
        const double largestStep = (next - current).rowwise().norm().maxCoeff();
        current = std::move(next);
        result.frames.push_back(space.fromSpace(current));
        progress.report(double(iteration + 1) / options.maxIterations);
        if (largestStep <= stopDistance) {
            break;
        }
    }
    return result;
}

ConvergedClusters clusterConvergedPoints(const Eigen::MatrixXd& points, const Bandwidth& bandwidth) {
    checkPoints(points);
    const Space space(points, bandwidth);
    const NeighborIndex index(space.points);
    const double radiusSquared = space.radius * space.radius;
    std::vector<std::vector<Neighbor>> company(static_cast<std::size_t>(points.rows()));
    for (Eigen::Index i = 0; i < points.rows(); ++i) {
        company[static_cast<std::size_t>(i)] =
            index.withinRadius(space.points.row(i).transpose().eval().data(), radiusSquared);
    }
    std::vector<Eigen::Index> order(static_cast<std::size_t>(points.rows()));
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    std::stable_sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) {
        return company[static_cast<std::size_t>(a)].size() > company[static_cast<std::size_t>(b)].size();
    });
    ConvergedClusters clusters;
    clusters.labels = Eigen::VectorXi::Constant(points.rows(), -1);
    std::vector<Eigen::VectorXd> centres;
    std::vector<int> sizes;
    for (const Eigen::Index founder : order) {
        if (clusters.labels[founder] >= 0) {
            continue;
        }
        const int label = static_cast<int>(centres.size());
        Eigen::VectorXd sum = Eigen::VectorXd::Zero(points.cols());
        int members = 0;
        for (const Neighbor& neighbor : company[static_cast<std::size_t>(founder)]) {
            if (clusters.labels[neighbor.index] < 0) {
                clusters.labels[neighbor.index] = label;
                sum += points.row(neighbor.index).transpose();
                ++members;
            }
        }
        centres.push_back(sum / members);
        sizes.push_back(members);
    }
    clusters.centres.resize(static_cast<Eigen::Index>(centres.size()), points.cols());
    clusters.sizes.resize(static_cast<Eigen::Index>(centres.size()));
    for (std::size_t c = 0; c < centres.size(); ++c) {
        clusters.centres.row(static_cast<Eigen::Index>(c)) = centres[c].transpose();
        clusters.sizes[static_cast<Eigen::Index>(c)] = sizes[c];
    }
    return clusters;
}

BasinMap basinMap(const Eigen::MatrixXd& points, const MeanShiftOptions& options,
                  const MeanShiftResult& result, Eigen::Index columns, Eigen::Index rows, double xMinimum,
                  double xMaximum, double yMinimum, double yMaximum, Progress& progress) {
    checkPoints(points);
    if (points.cols() != 2) {
        throw std::invalid_argument("a basin map is drawn for two-dimensional data");
    }
    if (columns < 1 || rows < 1 || !(xMaximum > xMinimum) || !(yMaximum > yMinimum)) {
        throw std::invalid_argument("a basin map needs at least one cell and a non-empty rectangle");
    }
    const Space space(points, options.bandwidth);
    const LocalMean localMean(space.points, space.radius, options);
    const Eigen::MatrixXd modesInSpace = space.toSpace(result.modes);
    BasinMap map;
    map.modeIndex.resize(rows, columns);
    map.xMinimum = xMinimum;
    map.xMaximum = xMaximum;
    map.yMinimum = yMinimum;
    map.yMaximum = yMaximum;
    const double cellWidth = (xMaximum - xMinimum) / double(columns);
    const double cellHeight = (yMaximum - yMinimum) / double(rows);
    forEachInParallel(rows * columns, progress, [&](Eigen::Index cell) {
        const Eigen::Index row = cell / columns;
        const Eigen::Index column = cell % columns;
        const Eigen::Vector2d centre(xMinimum + (column + 0.5) * cellWidth,
                                     yMinimum + (row + 0.5) * cellHeight);
        const Eigen::VectorXd seed = space.toSpace(centre.transpose()).transpose();
        const SeedOutcome outcome = climb(localMean, seed, space.radius, options, false);
        int mode = -1;
        if (outcome.strength > 0) {
            const auto [nearest, distance] = nearestCentre(modesInSpace, outcome.end);
            mode = distance <= space.radius * space.radius ? nearest : -1;
        }
        map.modeIndex(row, column) = mode;
    });
    return map;
}

} // namespace locallab
