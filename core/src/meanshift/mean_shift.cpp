#include "locallab/meanshift/mean_shift.hpp"

#include "locallab/neighbors/neighbor_index.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace locallab {
namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

void checkPoints(const Eigen::MatrixXd& points) {
    if (points.rows() == 0 || points.cols() == 0) {
        throw std::invalid_argument("MeanShift needs at least one data point");
    }
    if (!points.allFinite()) {
        throw std::invalid_argument(
            "the data contains NaN or infinite values; MeanShift needs finite points");
    }
}

// The coordinates MeanShift runs in. A scalar bandwidth keeps the data as it is, with radius h, so that
// the flat kernel compares exactly the same distances as scikit-learn; diagonal and full bandwidths
// whiten the data once, after which the radius is 1.
struct Space {
    Eigen::MatrixXd points;
    double radius = 1.0;
    const Bandwidth* bandwidth = nullptr;

    Space(const Eigen::MatrixXd& data, const Bandwidth& h) : bandwidth(&h) {
        h.checkDimension(data.cols());
        if (h.form() == Bandwidth::Form::Scalar) {
            points = data;
            radius = h.size();
        } else {
            points = h.whiten(data);
        }
    }
    Eigen::MatrixXd toSpace(const Eigen::MatrixXd& data) const {
        return bandwidth->form() == Bandwidth::Form::Scalar ? data : bandwidth->whiten(data);
    }
    Eigen::MatrixXd fromSpace(const Eigen::MatrixXd& rows) const {
        if (bandwidth->form() == Bandwidth::Form::Scalar) {
            return rows;
        }
        Eigen::MatrixXd original(rows.rows(), rows.cols());
        for (Eigen::Index r = 0; r < rows.rows(); ++r) {
            original.row(r) = bandwidth->unwhitenVector(rows.row(r).transpose()).transpose();
        }
        return original;
    }
};

// One MeanShift step: the weighted local mean of the data around x.
class LocalMean {
public:
    struct Step {
        Eigen::VectorXd mean;
        Eigen::Index withinBandwidth = 0; // data points with u ≤ 1 around x
        double weightSum = 0.0;
    };

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
        step.mean = Eigen::VectorXd::Zero(x.size());
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
        return step;
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

struct SeedOutcome {
    Eigen::VectorXd end;
    Eigen::Index strength = 0; // 0: no data point was within reach of this seed
    int iterations = 0;
    Eigen::MatrixXd path;
};

// Mirrors scikit-learn's _mean_shift_single_seed, including which step's neighbour count is kept.
SeedOutcome climb(const LocalMean& localMean, const Eigen::VectorXd& seed, double radius,
                  const MeanShiftOptions& options, bool recordPath) {
    SeedOutcome outcome;
    outcome.end = seed;
    std::vector<Eigen::VectorXd> path;
    if (recordPath) {
        path.push_back(seed);
    }
    const double stopDistance = options.stopFactor * radius;
    int completed = 0;
    while (true) {
        LocalMean::Step step = localMean.at(outcome.end);
        if (step.weightSum <= 0.0) {
            outcome.strength = 0;
            break;
        }
        const Eigen::VectorXd previous = outcome.end;
        outcome.end = std::move(step.mean);
        outcome.strength = step.withinBandwidth;
        if (recordPath) {
            path.push_back(outcome.end);
        }
        if ((outcome.end - previous).norm() <= stopDistance || completed == options.maxIterations) {
            break;
        }
        ++completed;
    }
    outcome.iterations = completed;
    if (recordPath) {
        outcome.path.resize(static_cast<Eigen::Index>(path.size()), seed.size());
        for (std::size_t k = 0; k < path.size(); ++k) {
            outcome.path.row(static_cast<Eigen::Index>(k)) = path[k].transpose();
        }
    }
    return outcome;
}

template <typename Body>
void forEachInParallel(Eigen::Index count, Progress& progress, Body body) {
    std::atomic<Eigen::Index> done{0};
    tbb::parallel_for(tbb::blocked_range<Eigen::Index>(0, count, 32),
                      [&](const tbb::blocked_range<Eigen::Index>& block) {
                          progress.checkCanceled();
                          for (Eigen::Index i = block.begin(); i != block.end(); ++i) {
                              body(i);
                          }
                          const Eigen::Index finished =
                              done.fetch_add(static_cast<Eigen::Index>(block.size())) + block.size();
                          progress.report(double(finished) / double(count));
                      });
    progress.checkCanceled();
}

// Lexicographic "greater" on coordinates, as Python compares tuples.
bool coordinatesGreater(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
    for (Eigen::Index c = 0; c < a.size(); ++c) {
        if (a[c] != b[c]) {
            return a[c] > b[c];
        }
    }
    return false;
}

struct Candidate {
    Eigen::VectorXd centre;
    Eigen::Index strength;
};

// scikit-learn's merging: strongest first (ties by coordinates, descending); a centre within the
// radius of a stronger kept centre is dropped.
std::vector<Candidate> mergeModes(std::vector<Candidate> candidates, double radius) {
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
        if (a.strength != b.strength) {
            return a.strength > b.strength;
        }
        return coordinatesGreater(a.centre, b.centre);
    });
    // Equal centres (seeds that converged to the very same point) count once, as a dict key does.
    candidates.erase(std::unique(candidates.begin(), candidates.end(),
                                 [](const Candidate& a, const Candidate& b) { return a.centre == b.centre; }),
                     candidates.end());
    std::vector<bool> unique(candidates.size(), true);
    const double radiusSquared = radius * radius;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        if (!unique[i]) {
            continue;
        }
        for (std::size_t j = 0; j < candidates.size(); ++j) {
            if (j != i && (candidates[j].centre - candidates[i].centre).squaredNorm() <= radiusSquared) {
                unique[j] = false;
            }
        }
    }
    std::vector<Candidate> kept;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        if (unique[i]) {
            kept.push_back(std::move(candidates[i]));
        }
    }
    return kept;
}

// Index of the nearest row of centres (lowest index on ties) and its squared distance.
std::pair<int, double> nearestCentre(const Eigen::MatrixXd& centres, const Eigen::VectorXd& x) {
    int best = -1;
    double bestDistance = infinity;
    for (Eigen::Index m = 0; m < centres.rows(); ++m) {
        const double distance = (centres.row(m).transpose() - x).squaredNorm();
        if (distance < bestDistance) {
            bestDistance = distance;
            best = static_cast<int>(m);
        }
    }
    return {best, bestDistance};
}

Eigen::VectorXi assignToModes(const Eigen::MatrixXd& rows, const Eigen::MatrixXd& modes, double radius,
                              bool all) {
    Eigen::VectorXi labels(rows.rows());
    const double radiusSquared = radius * radius;
    for (Eigen::Index i = 0; i < rows.rows(); ++i) {
        const auto [mode, distance] = nearestCentre(modes, rows.row(i).transpose());
        labels[i] = (all || distance <= radiusSquared) ? mode : -1;
    }
    return labels;
}

Eigen::MatrixXd chooseSeeds(const Space& space, const MeanShiftOptions& options, std::string* note) {
    switch (options.seeding) {
    case SeedingStrategy::AllPoints:
        return space.points;
    case SeedingStrategy::BinSeeding:
        return binSeeds(space.points, space.radius, options.minBinFrequency, note);
    case SeedingStrategy::Given:
        if (options.givenSeeds.rows() == 0 || options.givenSeeds.cols() != space.points.cols()) {
            throw std::invalid_argument("the given seeds must be points with as many columns as the data");
        }
        if (!options.givenSeeds.allFinite()) {
            throw std::invalid_argument("the given seeds contain NaN or infinite values");
        }
        return space.toSpace(options.givenSeeds);
    }
    return space.points;
}

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

    MeanShiftResult result;
    const Eigen::MatrixXd seeds = chooseSeeds(space, options, &result.note);
    const Eigen::Index seedCount = seeds.rows();
    std::vector<SeedOutcome> outcomes(static_cast<std::size_t>(seedCount));
    forEachInParallel(seedCount, progress, [&](Eigen::Index s) {
        outcomes[static_cast<std::size_t>(s)] =
            climb(localMean, seeds.row(s).transpose(), space.radius, options, options.recordTrajectories);
    });

    std::vector<Candidate> candidates;
    result.seedIterations.resize(seedCount);
    Eigen::MatrixXd ends(seedCount, points.cols());
    for (Eigen::Index s = 0; s < seedCount; ++s) {
        const SeedOutcome& outcome = outcomes[static_cast<std::size_t>(s)];
        ends.row(s) = outcome.end.transpose();
        result.seedIterations[s] = outcome.iterations;
        result.iterations = std::max(result.iterations, outcome.iterations);
        if (outcome.strength > 0) {
            candidates.push_back({outcome.end, outcome.strength});
        }
    }
    if (candidates.empty()) {
        std::ostringstream message;
        message << "no data point was within the bandwidth (" << options.bandwidth.describe()
                << ") of any seed; increase the bandwidth or seed at the data points";
        throw std::invalid_argument(message.str());
    }
    const std::vector<Candidate> modes = mergeModes(std::move(candidates), space.radius);
    Eigen::MatrixXd modesInSpace(static_cast<Eigen::Index>(modes.size()), points.cols());
    result.modeStrength.resize(static_cast<Eigen::Index>(modes.size()));
    for (std::size_t m = 0; m < modes.size(); ++m) {
        modesInSpace.row(static_cast<Eigen::Index>(m)) = modes[m].centre.transpose();
        result.modeStrength[static_cast<Eigen::Index>(m)] = static_cast<int>(modes[m].strength);
    }
    result.labels = assignToModes(space.points, modesInSpace, space.radius, options.clusterAll);
    result.seedLabels = assignToModes(ends, modesInSpace, space.radius, false);
    result.modes = space.fromSpace(modesInSpace);
    result.seeds = space.fromSpace(seeds);
    result.seedEnds = space.fromSpace(ends);

    if (options.recordTrajectories) {
        result.trajectories = Trajectories(points.cols());
        const Eigen::Index perSeed =
            std::max<Eigen::Index>(2, options.trajectoryBudget / std::max<Eigen::Index>(seedCount, 1));
        for (const SeedOutcome& outcome : outcomes) {
            result.trajectories.append(space.fromSpace(outcome.path), perSeed);
        }
    }
    return result;
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
