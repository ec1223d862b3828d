#include "locallab/neighbors/neighbor_index.hpp"

#include <nanoflann.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

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

using KdTree = nanoflann::KDTreeSingleIndexAdaptor<nanoflann::L2_Simple_Adaptor<double, PointCloud>, PointCloud,
                                                   -1, std::size_t>;

bool closer(const Neighbor& a, const Neighbor& b) {
    return a.squaredDistance < b.squaredDistance ||
           (a.squaredDistance == b.squaredDistance && a.index < b.index);
}

} // namespace

struct NeighborIndex::Implementation {
    RowMajorMatrix points;
    PointCloud cloud;
    std::unique_ptr<KdTree> tree;

    double squaredDistanceTo(const double* query, Eigen::Index row) const {
        const Eigen::Map<const Eigen::RowVectorXd> q(query, points.cols());
        return (points.row(row) - q).squaredNorm();
    }
};

NeighborIndex::NeighborIndex(const Eigen::MatrixXd& points, Strategy strategy)
    : implementation_(std::make_unique<Implementation>()) {
    implementation_->points = points;
    implementation_->cloud.points = &implementation_->points;
    const bool useTree = strategy == Strategy::KdTree ||
                         (strategy == Strategy::Automatic && points.cols() <= kdTreeMaxDimension &&
                          points.rows() > 64);
    if (useTree && points.rows() > 0 && points.cols() > 0) {
        implementation_->tree = std::make_unique<KdTree>(static_cast<int>(points.cols()), implementation_->cloud,
                                                         nanoflann::KDTreeSingleIndexAdaptorParams(16));
        implementation_->tree->buildIndex();
    }
}

NeighborIndex::~NeighborIndex() = default;
NeighborIndex::NeighborIndex(NeighborIndex&&) noexcept = default;
NeighborIndex& NeighborIndex::operator=(NeighborIndex&&) noexcept = default;

Eigen::Index NeighborIndex::size() const { return implementation_->points.rows(); }
Eigen::Index NeighborIndex::dimension() const { return implementation_->points.cols(); }
bool NeighborIndex::usesKdTree() const { return implementation_->tree != nullptr; }

std::vector<Neighbor> NeighborIndex::withinRadius(const double* query, double radiusSquared) const {
    std::vector<Neighbor> result;
    if (implementation_->tree) {
        std::vector<std::pair<std::size_t, double>> matches;
        nanoflann::SearchParams parameters;
        parameters.sorted = false;
        // nanoflann keeps distances < radius; the contract here is ≤, as in scikit-learn, so points
        // exactly on the sphere are asked for with the next larger radius and filtered.
        const double widened = std::nextafter(radiusSquared, std::numeric_limits<double>::infinity());
        implementation_->tree->radiusSearch(query, widened, matches, parameters);
        result.reserve(matches.size());
        for (const auto& [index, distance] : matches) {
            if (distance <= radiusSquared) {
                result.push_back({static_cast<Eigen::Index>(index), distance});
            }
        }
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
    std::vector<Neighbor> result;
    if (count == 0) {
        return result;
    }
    if (implementation_->tree) {
        std::vector<std::size_t> indices(static_cast<std::size_t>(count));
        std::vector<double> distances(static_cast<std::size_t>(count));
        const auto found = implementation_->tree->knnSearch(query, static_cast<std::size_t>(count),
                                                            indices.data(), distances.data());
        result.reserve(found);
        for (std::size_t i = 0; i < found; ++i) {
            result.push_back({static_cast<Eigen::Index>(indices[i]), distances[i]});
        }
        std::sort(result.begin(), result.end(), closer);
        return result;
    }
    result.reserve(static_cast<std::size_t>(size()));
    for (Eigen::Index row = 0; row < size(); ++row) {
        result.push_back({row, implementation_->squaredDistanceTo(query, row)});
    }
    std::partial_sort(result.begin(), result.begin() + count, result.end(), closer);
    result.resize(static_cast<std::size_t>(count));
    return result;
}

} // namespace locallab
