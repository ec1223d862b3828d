#pragma once
// The neighbourhood of every point, stored flat: the members of point i are
// members()[offset(i) .. offset(i + 1)), nearest first. A point is never its own neighbour.
// k-nearest neighbourhoods all have k members; radius neighbourhoods vary in size.

#include "locallab/util/progress.hpp"

#include <Eigen/Core>
#include <span>
#include <vector>

namespace locallab {

class NeighborhoodList {
public:
    NeighborhoodList() = default;
    // offsets has size() + 1 entries, starting at 0 and ending at members.size().
    NeighborhoodList(std::vector<Eigen::Index> offsets, std::vector<Eigen::Index> members);

    Eigen::Index size() const {
        return static_cast<Eigen::Index>(offsets_.empty() ? 0 : offsets_.size() - 1);
    }
    std::span<const Eigen::Index> neighborsOf(Eigen::Index point) const;
    Eigen::Index offset(Eigen::Index point) const { return offsets_[static_cast<std::size_t>(point)]; }
    Eigen::Index smallestSize() const;
    const std::vector<Eigen::Index>& members() const { return members_; }

private:
    std::vector<Eigen::Index> offsets_;
    std::vector<Eigen::Index> members_;
};

// The k nearest other points of every row, as scikit-learn's kneighbors(X, k + 1) without the point
// itself. When exact duplicates make the point not come first, the point is still the one left out.
NeighborhoodList nearestNeighborhoods(const Eigen::MatrixXd& points, Eigen::Index neighbors,
                                      Progress& progress);

// Every other point within the given Euclidean radius of each row, nearest first.
NeighborhoodList radiusNeighborhoods(const Eigen::MatrixXd& points, double radius, Progress& progress);

// How many pieces the neighbour graph falls into when every edge i → j is also read as j → i.
Eigen::Index countConnectedComponents(const NeighborhoodList& neighborhoods);

// Which of those pieces each point lies in: 0 for the piece of point 0, then 1, 2, ... in the order of
// each piece's first point.
Eigen::VectorXi connectedComponentLabels(const NeighborhoodList& neighborhoods);

// How many points are exact copies of a point with a lower index among their neighbours
// (n − number of distinct points, when each copy has its twin among its neighbours).
Eigen::Index countDuplicatePoints(const Eigen::MatrixXd& points, const NeighborhoodList& neighborhoods);

} // namespace locallab
