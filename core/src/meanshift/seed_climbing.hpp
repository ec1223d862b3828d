#pragma once
// The parts of MeanShift that do not care where a local mean comes from (exact sums over the data in
// mean_shift.cpp, a binned field in approximate_mean_shift.cpp): the coordinates the iteration runs in,
// the choice of seeds, and one seed's climb with scikit-learn's stopping rule. Sharing them is what makes
// the approximate path behave like the exact one in everything but the local means.

#include "locallab/kernel/bandwidth.hpp"
#include "locallab/meanshift/mean_shift.hpp"
#include "locallab/util/progress.hpp"

#include <Eigen/Core>
#include <atomic>
#include <string>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <utility>
#include <vector>

namespace locallab::detail {

// The coordinates MeanShift runs in. A scalar bandwidth keeps the data as it is, with radius h, so that
// the flat kernel compares exactly the same distances as scikit-learn; diagonal and full bandwidths
// whiten the data once, after which the radius is 1.
struct Space {
    Eigen::MatrixXd points;
    double radius = 1.0;
    const Bandwidth* bandwidth = nullptr;

    Space(const Eigen::MatrixXd& data, const Bandwidth& h);
    Eigen::MatrixXd toSpace(const Eigen::MatrixXd& data) const;
    Eigen::MatrixXd fromSpace(const Eigen::MatrixXd& rows) const;
};

// Throws std::invalid_argument for empty data or data with NaN or infinite values.
void checkPoints(const Eigen::MatrixXd& points);

// The seeds MeanShiftOptions::seeding asks for, in the coordinates of space; note says why bin seeding
// fell back to the points.
Eigen::MatrixXd chooseSeeds(const Space& space, const MeanShiftOptions& options, std::string* note);

// One MeanShift step as a local-mean source reports it.
struct LocalMeanStep {
    Eigen::VectorXd mean;
    Eigen::Index withinBandwidth = 0; // data points with u ≤ 1 around x
    double weightSum = 0.0;           // ≤ 0: no data within reach of x
};

struct SeedOutcome {
    Eigen::VectorXd end;
    Eigen::Index strength = 0; // 0: no data point was within reach of this seed
    int iterations = 0;
    Eigen::MatrixXd path;
};

// Mirrors scikit-learn's _mean_shift_single_seed, including which step's neighbour count is kept.
// localMean.at(x, step) fills a LocalMeanStep, reusing the storage of step.mean, so that the three
// positions a step needs (the current one, the previous one, the new mean) rotate without allocation.
template <typename LocalMeanSource>
SeedOutcome climb(const LocalMeanSource& localMean, const Eigen::VectorXd& seed, double radius,
                  const MeanShiftOptions& options, bool recordPath) {
    SeedOutcome outcome;
    outcome.end = seed;
    // Positions one after another, seed.size() numbers each: one growing buffer, not a vector per step.
    std::vector<double> path;
    const auto record = [&](const Eigen::VectorXd& x) {
        if (recordPath) {
            path.insert(path.end(), x.data(), x.data() + x.size());
        }
    };
    record(seed);
    const double stopDistance = options.stopFactor * radius;
    int completed = 0;
    Eigen::VectorXd previous;
    LocalMeanStep step;
    while (true) {
        localMean.at(outcome.end, step);
        if (step.weightSum <= 0.0) {
            outcome.strength = 0;
            break;
        }
        previous.swap(outcome.end);
        outcome.end.swap(step.mean);
        outcome.strength = step.withinBandwidth;
        record(outcome.end);
        if ((outcome.end - previous).norm() <= stopDistance || completed == options.maxIterations) {
            break;
        }
        ++completed;
    }
    outcome.iterations = completed;
    if (recordPath) {
        const auto dimension = seed.size();
        outcome.path =
            Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
                path.data(), static_cast<Eigen::Index>(path.size()) / dimension, dimension);
    }
    return outcome;
}

template <typename Body>
void forEachInParallel(Eigen::Index count, Progress& progress, Body body) {
    std::atomic<Eigen::Index> done{0};
    tbb::parallel_for(tbb::blocked_range<Eigen::Index>(0, count, 8),
                      [&](const tbb::blocked_range<Eigen::Index>& block) {
                          progress.checkCanceled();
                          // One seed can take hundreds of steps over the whole data, so a cancelled
                          // job stops between seeds, not only between blocks.
                          for (Eigen::Index i = block.begin(); i != block.end(); ++i) {
                              progress.checkCanceled();
                              body(i);
                          }
                          const Eigen::Index finished =
                              done.fetch_add(static_cast<Eigen::Index>(block.size())) + block.size();
                          progress.report(double(finished) / double(count));
                      });
    progress.checkCanceled();
}

} // namespace locallab::detail
