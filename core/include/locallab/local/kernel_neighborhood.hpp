#pragma once
// The kernel weights K(x*, x_i) of every data point at a target, the first half of every local model.
// Points are whitened once by the bandwidth, so u = ||x_i − x*||² in whitened coordinates. Weights are
// computed in the log domain and scaled so that the largest is exactly 1: with a tiny bandwidth the
// Gaussian weights of every point may be far below the smallest double, yet their ratios, which are all
// a local model needs, stay exact.
//
// Compact kernels (and infinite-support kernels given a truncation tolerance) look up only the points
// within their support through a k-d tree; infinite-support kernels are exact by default and scan all
// points.

#include "locallab/kernel/bandwidth.hpp"
#include "locallab/kernel/radial_kernel.hpp"
#include "locallab/neighbors/neighbor_index.hpp"

#include <Eigen/Core>
#include <memory>
#include <vector>

namespace locallab {

struct WeightedNeighbor {
    Eigen::Index index = 0; // row of the data point
    double weight = 0.0;    // K(x*, x_i) divided by the largest weight at this target, in (0, 1]
};

class KernelNeighborhood {
public:
    // truncationTolerance = 0 keeps infinite-support kernels exact; a positive value drops the points
    // whose weight is below that fraction of k(0) (see RadialKernel::supportSquared).
    KernelNeighborhood(const Eigen::MatrixXd& points, RadialKernel kernel, const Bandwidth& bandwidth,
                       double truncationTolerance = 0.0);
    ~KernelNeighborhood();
    KernelNeighborhood(KernelNeighborhood&&) noexcept;
    KernelNeighborhood& operator=(KernelNeighborhood&&) noexcept;

    Eigen::Index size() const { return whitenedPoints_.rows(); }
    Eigen::Index dimension() const { return whitenedPoints_.cols(); }
    const RadialKernel& kernel() const { return kernel_; }
    const Bandwidth& bandwidth() const { return bandwidth_; }
    bool usesSearchTree() const { return index_ != nullptr; }

    // Row i of the points in whitened coordinates.
    Eigen::VectorXd whitenedPoint(Eigen::Index row) const { return whitenedPoints_.row(row).transpose(); }
    // The same without a copy: dimension() contiguous values.
    const double* whitenedRow(Eigen::Index row) const { return whitenedPoints_.row(row).data(); }
    Eigen::VectorXd whiten(const Eigen::VectorXd& target) const { return bandwidth_.whitenPoint(target); }

    // Replaces `neighbors` by every point of positive weight at the whitened target (optionally leaving
    // one row out, for leave-one-out fits): by row for a full scan, nearest first through the tree. Returns
    // false when no point has positive weight: then `neighbors` is empty.
    bool gather(const Eigen::VectorXd& whitenedTarget, std::vector<WeightedNeighbor>& neighbors,
                Eigen::Index excludedRow = -1) const;

private:
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> whitenedPoints_;
    RadialKernel kernel_;
    Bandwidth bandwidth_;
    double supportSquared_;
    std::unique_ptr<NeighborIndex> index_; // only when the support is finite
};

} // namespace locallab
