#pragma once
// Kernel density on a regular grid, two ways that give the same DensityGrid so views can switch:
//
// - binnedDensity: linear binning (each point's weight split between the 2^d grid nodes around it, in
//   proportion to its distance from each) followed by one FFT convolution with the kernel sampled on the
//   grid. The kernel is cut where it falls below relativeTolerance of its peak; the binned data are
//   zero-padded so the circular convolution never wraps around; FFT sizes have only the factors 2, 3, 5.
//   Cost O(N log N) in the grid size, almost independent of the number of points. The error grows like
//   (spacing/h)²: within 1e-3 of the exact values (relative to the peak) for a Gaussian whose h spans
//   about ten grid cells.
// - exactDensityGrid: KernelDensity::evaluate at every node.
//
// The binned path handles scalar and diagonal bandwidths. A full bandwidth matrix, per-sample bandwidth
// scales, or more than 3 dimensions fall back to the exact path (DensityGrid::binned tells which ran).

#include "locallab/density/density_grid.hpp"
#include "locallab/density/kernel_density.hpp"
#include "locallab/kernel/bandwidth.hpp"
#include "locallab/kernel/radial_kernel.hpp"
#include "locallab/util/progress.hpp"

#include <Eigen/Core>
#include <vector>

namespace locallab {

struct BinnedDensityOptions {
    double relativeTolerance = 1e-12; // the kernel is cut where k(u) < relativeTolerance·k(0)
    Eigen::VectorXd weights;          // per point, ≥ 0; empty means all equal
};

// points: n × d with d = axes.size(). Points outside the grid still count where their kernel reaches it.
DensityGrid binnedDensity(const Eigen::MatrixXd& points, const RadialKernel& kernel,
                          const Bandwidth& bandwidth, const std::vector<GridAxis>& axes,
                          const BinnedDensityOptions& options, Progress& progress);
DensityGrid binnedDensity(const Eigen::MatrixXd& points, const RadialKernel& kernel,
                          const Bandwidth& bandwidth, const std::vector<GridAxis>& axes,
                          const BinnedDensityOptions& options = {});

DensityGrid exactDensityGrid(const KernelDensity& density, const std::vector<GridAxis>& axes,
                             Progress& progress);
DensityGrid exactDensityGrid(const KernelDensity& density, const std::vector<GridAxis>& axes);

// The first step of binnedDensity alone, for other binned estimators: each point's weight (1 when
// weights is empty; any sign, e.g. a response) split between the 2^d grid nodes around it in proportion
// to its nearness to each. A share that falls on a node outside the grid is dropped. One value per node,
// laid out as DensityGrid::values.
Eigen::VectorXd linearBinning(const Eigen::MatrixXd& points, const std::vector<GridAxis>& axes,
                              const Eigen::VectorXd& weights = {});

// The smallest n' ≥ n whose only prime factors are 2, 3 and 5 (fast FFT lengths).
Eigen::Index fastFourierLength(Eigen::Index n);

} // namespace locallab
