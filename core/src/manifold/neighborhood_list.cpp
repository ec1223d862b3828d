#include "locallab/manifold/neighborhood_list.hpp"

#include "locallab/neighbors/neighbor_index.hpp"

#include <algorithm>
#include <mutex>
#include <numeric>
#include <stdexcept>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace locallab {

namespace {

constexpr Eigen::Index queriesPerBlock = 256;

// Runs query(row) for every row in parallel and stores the answers flat, in row order. Blocks end in
// any order, so the count and its report share a lock: the fractions reported never go back.
template <typename Query>
NeighborhoodList collectNeighborhoods(Eigen::Index pointCount, Progress& progress, const Query& query) {
    std::vector<std::vector<Eigen::Index>> perPoint(static_cast<std::size_t>(pointCount));
    std::mutex reporting;
    Eigen::Index done = 0;
    tbb::parallel_for(tbb::blocked_range<Eigen::Index>(0, pointCount, queriesPerBlock),
                      [&](const tbb::blocked_range<Eigen::Index>& rows) {
                          progress.checkCanceled();
                          for (Eigen::Index row = rows.begin(); row < rows.end(); ++row) {
                              perPoint[static_cast<std::size_t>(row)] = query(row);
                          }
                          const std::lock_guard lock(reporting);
                          done += static_cast<Eigen::Index>(rows.size());
                          progress.report(static_cast<double>(done) / static_cast<double>(pointCount));
                      });
    std::vector<Eigen::Index> offsets(static_cast<std::size_t>(pointCount) + 1, 0);
    for (std::size_t row = 0; row < perPoint.size(); ++row) {
        offsets[row + 1] = offsets[row] + static_cast<Eigen::Index>(perPoint[row].size());
    }
    std::vector<Eigen::Index> members;
    members.reserve(static_cast<std::size_t>(offsets.back()));
    for (const auto& neighbors : perPoint) {
        members.insert(members.end(), neighbors.begin(), neighbors.end());
    }
    return NeighborhoodList(std::move(offsets), std::move(members));
}

// Union-find with path halving; small enough to live here.
class DisjointSets {
public:
    explicit DisjointSets(Eigen::Index count) : parent_(static_cast<std::size_t>(count)) {
        std::iota(parent_.begin(), parent_.end(), Eigen::Index{0});
    }
    Eigen::Index root(Eigen::Index element) {
        while (parent_[static_cast<std::size_t>(element)] != element) {
            auto& parent = parent_[static_cast<std::size_t>(element)];
            parent = parent_[static_cast<std::size_t>(parent)];
            element = parent;
        }
        return element;
    }
    // True when the two were in different sets.
    bool merge(Eigen::Index first, Eigen::Index second) {
        const Eigen::Index firstRoot = root(first);
        const Eigen::Index secondRoot = root(second);
        if (firstRoot == secondRoot) {
            return false;
        }
        parent_[static_cast<std::size_t>(std::max(firstRoot, secondRoot))] = std::min(firstRoot, secondRoot);
        return true;
    }

private:
    std::vector<Eigen::Index> parent_;
};

} // namespace

NeighborhoodList::NeighborhoodList(std::vector<Eigen::Index> offsets, std::vector<Eigen::Index> members)
    : offsets_(std::move(offsets)), members_(std::move(members)) {
    if (offsets_.empty() || offsets_.front() != 0 ||
        offsets_.back() != static_cast<Eigen::Index>(members_.size()) ||
        !std::is_sorted(offsets_.begin(), offsets_.end())) {
        throw std::invalid_argument("NeighborhoodList: offsets must rise from 0 to the number of members");
    }
}

std::span<const Eigen::Index> NeighborhoodList::neighborsOf(Eigen::Index point) const {
    const auto begin = static_cast<std::size_t>(offset(point));
    const auto end = static_cast<std::size_t>(offset(point + 1));
    return std::span<const Eigen::Index>(members_).subspan(begin, end - begin);
}

Eigen::Index NeighborhoodList::smallestSize() const {
    Eigen::Index smallest = size() == 0 ? 0 : std::numeric_limits<Eigen::Index>::max();
    for (Eigen::Index point = 0; point < size(); ++point) {
        smallest = std::min(smallest, offset(point + 1) - offset(point));
    }
    return smallest;
}

NeighborhoodList nearestNeighborhoods(const Eigen::MatrixXd& points, Eigen::Index neighbors,
                                      Progress& progress) {
    const NeighborIndex index(points);
    return collectNeighborhoods(points.rows(), progress, [&](Eigen::Index row) {
        const std::vector<Neighbor> found = index.nearest(points.row(row), neighbors + 1);
        std::vector<Eigen::Index> others;
        others.reserve(found.size());
        for (const Neighbor& neighbor : found) {
            if (neighbor.index != row) {
                others.push_back(neighbor.index);
            }
        }
        others.resize(std::min<std::size_t>(others.size(), static_cast<std::size_t>(neighbors)));
        return others;
    });
}

NeighborhoodList radiusNeighborhoods(const Eigen::MatrixXd& points, double radius, Progress& progress) {
    const NeighborIndex index(points);
    return collectNeighborhoods(points.rows(), progress, [&](Eigen::Index row) {
        const std::vector<Neighbor> found = index.withinRadius(points.row(row), radius * radius);
        std::vector<Eigen::Index> others;
        others.reserve(found.size());
        for (const Neighbor& neighbor : found) {
            if (neighbor.index != row) {
                others.push_back(neighbor.index);
            }
        }
        return others;
    });
}

Eigen::Index countConnectedComponents(const NeighborhoodList& neighborhoods) {
    DisjointSets sets(neighborhoods.size());
    Eigen::Index components = neighborhoods.size();
    for (Eigen::Index point = 0; point < neighborhoods.size(); ++point) {
        for (const Eigen::Index neighbor : neighborhoods.neighborsOf(point)) {
            if (sets.merge(point, neighbor)) {
                --components;
            }
        }
    }
    return components;
}

Eigen::VectorXi connectedComponentLabels(const NeighborhoodList& neighborhoods) {
    DisjointSets sets(neighborhoods.size());
    for (Eigen::Index point = 0; point < neighborhoods.size(); ++point) {
        for (const Eigen::Index neighbor : neighborhoods.neighborsOf(point)) {
            sets.merge(point, neighbor);
        }
    }
    // Roots are the lowest point of their piece, so a root is met before any other member.
    Eigen::VectorXi labels(neighborhoods.size());
    int nextLabel = 0;
    for (Eigen::Index point = 0; point < neighborhoods.size(); ++point) {
        const Eigen::Index root = sets.root(point);
        labels(point) = root == point ? nextLabel++ : labels(root);
    }
    return labels;
}

Eigen::Index countDuplicatePoints(const Eigen::MatrixXd& points, const NeighborhoodList& neighborhoods) {
    Eigen::Index duplicates = 0;
    for (Eigen::Index point = 0; point < neighborhoods.size(); ++point) {
        const auto neighbors = neighborhoods.neighborsOf(point);
        const bool copiesAnEarlierPoint =
            std::any_of(neighbors.begin(), neighbors.end(), [&](Eigen::Index other) {
                return other < point && points.row(other) == points.row(point);
            });
        if (copiesAnEarlierPoint) {
            ++duplicates;
        }
    }
    return duplicates;
}

} // namespace locallab
