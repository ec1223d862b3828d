#pragma once
// A density sampled on a regular 1-, 2- or 3-D grid: what the heatmap, contour and volume views draw.

#include <Eigen/Core>
#include <vector>

namespace locallab {

struct GridAxis {
    double minimum = 0.0;
    double maximum = 1.0;
    Eigen::Index size = 2; // nodes, from minimum to maximum inclusive; at least 2

    double spacing() const { return (maximum - minimum) / static_cast<double>(size - 1); }
    double coordinate(Eigen::Index node) const { return minimum + spacing() * static_cast<double>(node); }
};

struct DensityGrid {
    std::vector<GridAxis> axes; // one per data column
    // One value per node. The first axis varies fastest: node (i₀, i₁, i₂) is stored at
    // i₀ + n₀·(i₁ + n₁·i₂), the layout of vtkImageData. A 2-D grid is therefore a row-major matrix with
    // one row per node of the second axis (y) and one column per node of the first (x).
    Eigen::VectorXd values;
    // True when the values come from binning and FFT convolution, false when summed exactly.
    bool binned = false;

    Eigen::Index nodeCount() const;
    double at(Eigen::Index first, Eigen::Index second = 0, Eigen::Index third = 0) const;
    // The coordinates of every node (nodeCount() × axes.size()), in the order of values.
    Eigen::MatrixXd nodes() const;
};

// Throws std::invalid_argument unless there are 1 to 3 axes, each with at least 2 nodes and a finite
// minimum below its maximum.
void checkGridAxes(const std::vector<GridAxis>& axes);

// Axes spanning the data's range in each column, widened by padding[k] on both sides, nodesPerAxis
// nodes each. A column whose values are all equal gets a range of ±padding (or ±0.5 if that is zero).
std::vector<GridAxis> gridAxesAround(const Eigen::MatrixXd& points, Eigen::Index nodesPerAxis,
                                     const Eigen::VectorXd& padding);

} // namespace locallab
