#include "locallab/density/density_grid.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace locallab {

Eigen::Index DensityGrid::nodeCount() const {
    Eigen::Index count = 1;
    for (const GridAxis& axis : axes) {
        count *= axis.size;
    }
    return count;
}

double DensityGrid::at(Eigen::Index first, Eigen::Index second, Eigen::Index third) const {
    const Eigen::Index firstSize = axes.empty() ? 1 : axes[0].size;
    const Eigen::Index secondSize = axes.size() < 2 ? 1 : axes[1].size;
    return values[first + firstSize * (second + secondSize * third)];
}

Eigen::MatrixXd DensityGrid::nodes() const {
    const auto dimension = static_cast<Eigen::Index>(axes.size());
    Eigen::MatrixXd coordinates(nodeCount(), dimension);
    for (Eigen::Index node = 0; node < coordinates.rows(); ++node) {
        Eigen::Index remaining = node;
        for (Eigen::Index axis = 0; axis < dimension; ++axis) {
            const GridAxis& gridAxis = axes[static_cast<std::size_t>(axis)];
            coordinates(node, axis) = gridAxis.coordinate(remaining % gridAxis.size);
            remaining /= gridAxis.size;
        }
    }
    return coordinates;
}

void checkGridAxes(const std::vector<GridAxis>& axes) {
    if (axes.empty() || axes.size() > 3) {
        std::ostringstream message;
        message << "a density grid has 1 to 3 axes, not " << axes.size();
        throw std::invalid_argument(message.str());
    }
    for (std::size_t axis = 0; axis < axes.size(); ++axis) {
        const GridAxis& gridAxis = axes[axis];
        if (gridAxis.size < 2 || !std::isfinite(gridAxis.minimum) || !std::isfinite(gridAxis.maximum) ||
            !(gridAxis.minimum < gridAxis.maximum)) {
            std::ostringstream message;
            message << "grid axis " << axis + 1 << " needs at least 2 nodes and a finite range with minimum "
                    << "below maximum (got " << gridAxis.size << " nodes over [" << gridAxis.minimum << ", "
                    << gridAxis.maximum << "])";
            throw std::invalid_argument(message.str());
        }
    }
}

std::vector<GridAxis> gridAxesAround(const Eigen::MatrixXd& points, Eigen::Index nodesPerAxis,
                                     const Eigen::VectorXd& padding) {
    if (points.rows() == 0) {
        throw std::invalid_argument("cannot place a grid around empty data");
    }
    if (padding.size() != points.cols()) {
        throw std::invalid_argument("the grid padding needs one value per data column");
    }
    std::vector<GridAxis> axes;
    for (Eigen::Index column = 0; column < points.cols(); ++column) {
        double low = points.col(column).minCoeff() - padding[column];
        double high = points.col(column).maxCoeff() + padding[column];
        if (!(low < high)) {
            low -= 0.5;
            high += 0.5;
        }
        axes.push_back({low, high, nodesPerAxis});
    }
    checkGridAxes(axes);
    return axes;
}

} // namespace locallab
