#pragma once
// MeanShift with every local mean read from a binned field, for a first picture within tens of
// milliseconds while a bandwidth slider moves (the exact meanShift takes 0.2–15 s on 10,000 points).
//
// MeanShift's update is x ← S1(x)/S0(x) with S0(x) = Σ g(u_i) and S1(x) = Σ g(u_i)·x_i, g the shadow of the
// kernel. Both are kernel sums, so both are computed once on a regular grid by linear binning and one FFT
// convolution each (binnedDensity: S0 with weights 1, every coordinate of S1 with weights x_i shifted to be
// positive); a step is then a multilinear interpolation of S0 and S1 instead of a sum over the data. The
// normalising constants cancel in S1/S0. The error of the binned sums grows like (spacing/h)², so modes
// move by a small fraction of h when h spans a few grid cells.
//
// The profile binned for g: the Gaussian's shadow is the Gaussian, the Epanechnikov's the uniform, the
// uniform's itself, the biweight's the Epanechnikov, the triweight's the biweight. The triangular,
// tricube, cosine and Laplacian kernels have shadows that are no profile of the set (singular at the
// centre for the triangular and Laplacian ones); for them the kernel itself weights the points, and the
// result's note says so. The Cauchy kernel is not binned in 2-D and 3-D, where binnedDensity cannot
// normalise it (its integral diverges): use the exact path.

#include "locallab/density/density_grid.hpp"
#include "locallab/kernel/bandwidth.hpp"
#include "locallab/kernel/radial_kernel.hpp"
#include "locallab/meanshift/mean_shift.hpp"
#include "locallab/util/progress.hpp"

#include <Eigen/Core>
#include <optional>
#include <string>
#include <vector>

namespace locallab {

struct ApproximateMeanShiftOptions {
    // Grid nodes along each axis. 0: enough for h to span at least 4 cells on every axis, clamped to
    // [64, 4096] in 1-D, [64, 256] in 2-D and [32, 64] in 3-D (the note warns when h spans fewer than 2).
    Eigen::Index gridNodesPerAxis = 0;
    // 0: every seed the seeding strategy gives; otherwise at most this many, evenly strided among them.
    Eigen::Index maximumSeeds = 0;
};

// S0 and S1 on a grid, and the local mean S1/S0 anywhere on it.
struct MeanShiftField {
    std::vector<GridAxis> axes;
    // S0 = Σ_i g̃(u_i) at every node, g̃ the binned profile (see weighting) scaled to g̃(0) = 1; nodes are
    // laid out as DensityGrid::values (first axis fastest).
    Eigen::VectorXd weightSum;
    // S1 = Σ_i g̃(u_i)·x_i: nodes × d, rows in the same order as weightSum.
    Eigen::MatrixXd weightedSum;
    // The profile that weighted the points: the kernel's shadow, or the kernel itself (see note).
    RadialKernel weighting;
    // Below this S0 a node holds no data within reach (what is left there is FFT round-off).
    double negligibleWeightSum = 0.0;
    std::string note; // set when the kernel itself stands in for its shadow

    // S1(x)/S0(x) by multilinear interpolation of both; nullopt where S0 is negligible or x is off the
    // grid. Throws std::invalid_argument when x has not one coordinate per axis.
    std::optional<Eigen::VectorXd> localMean(const Eigen::VectorXd& x) const;
};

// points: n × d, 1 ≤ d ≤ 3, d = axes.size(); a scalar or diagonal bandwidth. Points outside the grid still
// count where their kernel reaches it. Throws std::invalid_argument for a full bandwidth matrix, a
// dimension beyond 3 or unusable data.
MeanShiftField meanShiftField(const Eigen::MatrixXd& points, const RadialKernel& kernel,
                              const Bandwidth& bandwidth, const std::vector<GridAxis>& axes,
                              Progress& progress);

// The same meaning and result as meanShift(points, options): the same seeds (all points, bins or given),
// the same stopping rule (a step ≤ stopFactor·h, or maxIterations), the same merging of modes and the same
// labels, trajectories recorded the same way; but every local mean is read from a MeanShiftField whose
// grid reaches beyond the data by 3h (h for kernels of compact support) and takes in the given seeds
// within the kernel's reach of the data. A seed that gets where S0 is negligible, or off the grid, stops
// there.
// Where seeds stopped is ranked by a binned count of the points within h for the merging; the merged
// modes are then counted exactly and sorted by those counts, as the exact path sorts its own. A cut of
// the kernel's tail (options.relativeTolerance > 0) applies to the binned kernel too.
// Throws std::invalid_argument, saying the exact path must be used, for more than 3 dimensions, a full
// bandwidth matrix or sample-point bandwidths (sampleScales); and for what meanShift refuses.
MeanShiftResult approximateMeanShift(const Eigen::MatrixXd& points, const MeanShiftOptions& options,
                                     const ApproximateMeanShiftOptions& approximation, Progress& progress);

} // namespace locallab
