#include "locallab/neighbors/neighbor_index.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nanoflann.hpp>

namespace locallab {
namespace {

using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// The interface nanoflann asks of a point cloud.
struct PointCloud {
    const RowMajorMatrix* points = nullptr;
    std::size_t kdtree_get_point_count() const { return static_cast<std::size_t>(points->rows()); }
    double kdtree_get_pt(std::size_t index, std::size_t dimension) const {
        return (*points)(static_cast<Eigen::Index>(index), static_cast<Eigen::Index>(dimension));
    }
    template <class BoundingBox>
    bool kdtree_get_bbox(BoundingBox&) const {
        return false;
    }
};

using KdTree = nanoflann::KDTreeSingleIndexAdaptor<nanoflann::L2_Simple_Adaptor<double, PointCloud>,
                                                   PointCloud, -1, std::size_t>;

// The tree prunes cells with a lower bound on the distance that is accumulated in floating point and may
// exceed the exact bound by a few rounding errors. Searching a slightly larger ball and filtering with the
// exact radius afterwards keeps points that lie exactly on the sphere.
double widenedForPruning(double radiusSquared) {
    return radiusSquared * (1.0 + 1e-9) + std::numeric_limits<double>::denorm_min();
}

// A nanoflann result set that appends the points within the exact radius straight into a vector.
class AppendingResultSet {
public:
    AppendingResultSet(double searchRadiusSquared, double exactRadiusSquared, std::vector<Neighbor>& into)
        : searchRadiusSquared_(searchRadiusSquared), exactRadiusSquared_(exactRadiusSquared), into_(into) {}
    void init() {}
    std::size_t size() const { return into_.size(); }
    bool full() const { return true; }
    double worstDist() const { return searchRadiusSquared_; }
    bool addPoint(double squaredDistance, std::size_t index) {
        if (squaredDistance <= exactRadiusSquared_) {
            into_.push_back({static_cast<Eigen::Index>(index), squaredDistance});
        }
        return true;
    }

private:
    double searchRadiusSquared_;
    double exactRadiusSquared_;
    std::vector<Neighbor>& into_;
};

bool closer(const Neighbor& a, const Neighbor& b) {
    return a.squaredDistance < b.squaredDistance ||
           (a.squaredDistance == b.squaredDistance && a.index < b.index);
}

} // namespace

struct NeighborIndex::Implementation {
    RowMajorMatrix points;
    PointCloud cloud;
    std::unique_ptr<KdTree> tree;

    // Summed coordinate by coordinate in index order, exactly as nanoflann's L2_Simple_Adaptor does, so
    // that the tree and the brute-force scan see bit-identical distances and break ties the same way.
    double squaredDistanceTo(const double* query, Eigen::Index row) const {
        const double* point = points.data() + row * points.cols();
        double sum = 0.0;
        for (Eigen::Index column = 0; column < points.cols(); ++column) {
            const double difference = query[column] - point[column];
            sum += difference * difference;
        }
        return sum;
    }

    std::vector<Neighbor> treeWithinRadius(const double* query, double radiusSquared) const {
        std::vector<std::pair<std::size_t, double>> matches;
        nanoflann::SearchParams parameters;
        parameters.sorted = false;
        tree->radiusSearch(query, widenedForPruning(radiusSquared), matches, parameters);
        std::vector<Neighbor> result;
        result.reserve(matches.size());
        for (const auto& [index, distance] : matches) {
            if (distance <= radiusSquared) {
                result.push_back({static_cast<Eigen::Index>(index), distance});
            }
        }
        return result;
    }

    // The k nearest by (distance, index). nanoflann keeps whichever of several equally distant points it
    // meets first, so one extra neighbour is asked for: when it is strictly farther than the k-th, the
    // first k are unambiguous; otherwise every point as close as the k-th is collected and ties go to the
    // lower index, as in the brute-force scan.
    std::vector<Neighbor> treeNearest(const double* query, Eigen::Index count) const {
        const auto asked = static_cast<std::size_t>(std::min<Eigen::Index>(count + 1, points.rows()));
        std::vector<std::size_t> indices(asked);
        std::vector<double> distances(asked);
        const std::size_t found = tree->knnSearch(query, asked, indices.data(), distances.data());
        std::vector<Neighbor> result;
        result.reserve(found);
        for (std::size_t i = 0; i < found; ++i) {
            result.push_back({static_cast<Eigen::Index>(indices[i]), distances[i]});
        }
        std::sort(result.begin(), result.end(), closer);
        const auto wanted = static_cast<std::size_t>(count);
        const bool boundaryIsClear =
            result.size() <= wanted ||
            result[wanted].squaredDistance > widenedForPruning(result[wanted - 1].squaredDistance);
        if (!boundaryIsClear) {
            result = treeWithinRadius(query, result[wanted - 1].squaredDistance);
            std::sort(result.begin(), result.end(), closer);
        }
        result.resize(std::min(result.size(), wanted));
        return result;
    }
};

NeighborIndex::NeighborIndex(const Eigen::MatrixXd& points, Strategy strategy)
    : implementation_(std::make_unique<Implementation>()) {
    implementation_->points = points;
    implementation_->cloud.points = &implementation_->points;
    const bool useTree =
        strategy == Strategy::KdTree ||
        (strategy == Strategy::Automatic && points.cols() <= kdTreeMaxDimension && points.rows() > 64);
    if (useTree && points.rows() > 0 && points.cols() > 0) {
        implementation_->tree =
            std::make_unique<KdTree>(static_cast<int>(points.cols()), implementation_->cloud,
                                     nanoflann::KDTreeSingleIndexAdaptorParams(16));
        implementation_->tree->buildIndex();
    }
}

NeighborIndex::~NeighborIndex() = default;
NeighborIndex::NeighborIndex(NeighborIndex&&) noexcept = default;
NeighborIndex& NeighborIndex::operator=(NeighborIndex&&) noexcept = default;

Eigen::Index NeighborIndex::size() const {
    return implementation_->points.rows();
}
Eigen::Index NeighborIndex::dimension() const {
    return implementation_->points.cols();
}
bool NeighborIndex::usesKdTree() const {
    return implementation_->tree != nullptr;
}

void NeighborIndex::collectWithinRadius(const double* query, double radiusSquared,
                                        std::vector<Neighbor>& into) const {
    into.clear();
    if (implementation_->tree) {
        AppendingResultSet resultSet(widenedForPruning(radiusSquared), radiusSquared, into);
        implementation_->tree->findNeighbors(resultSet, query, nanoflann::SearchParams());
        return;
    }
    for (Eigen::Index row = 0; row < size(); ++row) {
        const double distance = implementation_->squaredDistanceTo(query, row);
        if (distance <= radiusSquared) {
            into.push_back({row, distance});
        }
    }
}

std::vector<Neighbor> NeighborIndex::withinRadius(const double* query, double radiusSquared) const {
    std::vector<Neighbor> result;
    if (implementation_->tree) {
        result = implementation_->treeWithinRadius(query, radiusSquared);
    } else {
        for (Eigen::Index row = 0; row < size(); ++row) {
            const double distance = implementation_->squaredDistanceTo(query, row);
            if (distance <= radiusSquared) {
                result.push_back({row, distance});
            }
        }
    }
    std::sort(result.begin(), result.end(), closer);
    return result;
}

std::vector<Neighbor> NeighborIndex::nearest(const double* query, Eigen::Index k) const {
    const Eigen::Index count = std::min<Eigen::Index>(std::max<Eigen::Index>(k, 0), size());
    if (count == 0) {
        return {};
    }
    if (implementation_->tree) {
        return implementation_->treeNearest(query, count);
    }
    std::vector<Neighbor> result;
    result.reserve(static_cast<std::size_t>(size()));
    for (Eigen::Index row = 0; row < size(); ++row) {
        result.push_back({row, implementation_->squaredDistanceTo(query, row)});
    }
    std::partial_sort(result.begin(), result.begin() + count, result.end(), closer);
    result.resize(static_cast<std::size_t>(count));
    return result;
}

} // namespace locallab
