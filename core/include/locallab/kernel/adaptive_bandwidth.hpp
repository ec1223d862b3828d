#pragma once
// Bandwidths that change from place to place, so that sparse regions are smoothed more than dense ones.
//
// Balloon (target-adaptive): the bandwidth at a target x* is the distance from x* to its k-th nearest
// data point. Sample-point (source-adaptive, Abramson): each data point x_i carries its own bandwidth
// h_i = h·(f̃(x_i)/g)^(−α), with f̃ a pilot Gaussian KDE at bandwidth h, log g = mean_i log f̃(x_i) and
// α = 1/2 (Abramson's square-root law). Both work in the whitened space of a Bandwidth when one is given.

#include "locallab/kernel/bandwidth.hpp"

#include <Eigen/Core>

namespace locallab {

class NeighborIndex;
class Progress;

// Distance from each target row to its k-th nearest indexed point (k ≥ 1). A target that is itself a
// data point counts as its own first neighbour, at distance 0. Throws std::invalid_argument when k is 0
// or larger than the number of points, and std::domain_error naming the first target whose k-th
// neighbour is at distance 0 (k or more points coincide with it), since a zero bandwidth is unusable.
Eigen::VectorXd balloonBandwidths(const NeighborIndex& data, const Eigen::MatrixXd& targets,
                                  Eigen::Index neighborCount, Progress& progress);
Eigen::VectorXd balloonBandwidths(const NeighborIndex& data, const Eigen::MatrixXd& targets,
                                  Eigen::Index neighborCount);

struct SamplePointBandwidths {
    // λ_i = (f̃(x_i)/g)^(−α): local bandwidth matrix H_i = λ_i²·H, and h_i = λ_i·h for a scalar h.
    Eigen::VectorXd factors;
    // λ_i times the pilot bandwidth's size (exactly h_i for a scalar bandwidth).
    Eigen::VectorXd sizes;
    // log f̃(x_i), the pilot density at each point, a normalised Gaussian KDE including the point itself.
    Eigen::VectorXd logPilotDensity;
    // log g, the mean of logPilotDensity.
    double logGeometricMean = 0.0;
};

// Sample-point bandwidths of the given points with a Gaussian pilot of bandwidth `pilot` (scalar,
// diagonal or full). sensitivity α ∈ [0, 1], 1/2 for Abramson. The pilot is an exact O(n²) sum, done in
// the log domain so that far-apart points (log f̃ below the smallest double) still get finite factors.
// Parallel over points; cancellable.
SamplePointBandwidths samplePointBandwidths(const Eigen::MatrixXd& points, const Bandwidth& pilot,
                                            Progress& progress, double sensitivity = 0.5);
SamplePointBandwidths samplePointBandwidths(const Eigen::MatrixXd& points, const Bandwidth& pilot,
                                            double sensitivity = 0.5);

} // namespace locallab
