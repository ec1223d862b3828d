#pragma once
// Radius and k-nearest-neighbour queries over a fixed point set. A k-d tree (nanoflann) serves low
// dimensions; above kdTreeMaxDimension, where trees stop paying off, a blocked brute-force scan is used.
// The choice is automatic and invisible to callers; both paths return exactly the same neighbours.

#include <Eigen/Core>
#include <memory>
#include <vector>

namespace locallab {

struct Neighbor {
    Eigen::Index index = 0;     // row in the indexed points
    double squaredDistance = 0; // Euclidean, squared
};

class NeighborIndex {
public:
    static constexpr Eigen::Index kdTreeMaxDimension = 10;

    enum class Strategy { Automatic, KdTree, BruteForce };

    // Keeps a copy of the points (row-major, for cache-friendly scans); the source may go away.
    explicit NeighborIndex(const Eigen::MatrixXd& points, Strategy strategy = Strategy::Automatic);
    ~NeighborIndex();
    NeighborIndex(NeighborIndex&&) noexcept;
    NeighborIndex& operator=(NeighborIndex&&) noexcept;
    NeighborIndex(const NeighborIndex&) = delete;
    NeighborIndex& operator=(const NeighborIndex&) = delete;

    Eigen::Index size() const;
    Eigen::Index dimension() const;
    bool usesKdTree() const;

    // Every point with squared distance ≤ radiusSquared, sorted by distance. Thread-safe.
    std::vector<Neighbor> withinRadius(const double* query, double radiusSquared) const;
    // The same points as withinRadius, in no particular order, written into `into` (cleared first, its
    // capacity reused). For inner loops that only sum over the neighbours, such as a MeanShift step.
    void collectWithinRadius(const double* query, double radiusSquared, std::vector<Neighbor>& into) const;
    // The k nearest points (all of them when k ≥ size()), sorted by distance, ties by index.
    std::vector<Neighbor> nearest(const double* query, Eigen::Index k) const;

    template <typename Derived>
    std::vector<Neighbor> withinRadius(const Eigen::MatrixBase<Derived>& query, double radiusSquared) const {
        const Eigen::VectorXd copy = query;
        return withinRadius(copy.data(), radiusSquared);
    }
    template <typename Derived>
    std::vector<Neighbor> nearest(const Eigen::MatrixBase<Derived>& query, Eigen::Index k) const {
        const Eigen::VectorXd copy = query;
        return nearest(copy.data(), k);
    }

private:
    struct Implementation;
    std::unique_ptr<Implementation> implementation_;
};

} // namespace locallab
