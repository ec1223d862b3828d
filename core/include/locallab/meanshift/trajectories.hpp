#pragma once
// The paths of many seeds through an iteration, stored compactly. A seed's positions are rows
// offsets[s] … offsets[s+1]−1 of positions (single precision: paths are for drawing, the computation
// itself runs in double). Long paths are decimated when stored — first and last positions always kept,
// evenly spaced ones between — so a million seeds × tens of iterations fit in memory; step[r] says which
// iteration row r is.

#include <Eigen/Core>
#include <cstdint>
#include <vector>

namespace locallab {

class Trajectories {
public:
    Trajectories() = default;
    explicit Trajectories(Eigen::Index dimension) : dimension_(dimension) {}

    Eigen::Index dimension() const { return dimension_; }
    Eigen::Index seedCount() const { return static_cast<Eigen::Index>(offsets_.size()) - 1; }
    Eigen::Index storedPositionCount() const { return static_cast<Eigen::Index>(steps_.size()); }

    // Appends one seed's full path (rows = iterations 0, 1, …), keeping at most maxStored positions.
    void append(const Eigen::MatrixXd& path, Eigen::Index maxStored);

    // The stored rows of one seed and the iteration each row belongs to.
    Eigen::MatrixXd path(Eigen::Index seed) const;
    std::vector<int> pathSteps(Eigen::Index seed) const;
    // The last iteration a seed reached.
    int lastStep(Eigen::Index seed) const;
    // Where a seed was at an iteration: linear interpolation between stored rows, the last position
    // once the seed has converged.
    Eigen::VectorXd positionAt(Eigen::Index seed, double iteration) const;

private:
    Eigen::Index dimension_ = 0;
    std::vector<float> positions_;        // row-major, dimension_ floats per stored position
    std::vector<int> steps_;              // iteration of each stored position
    std::vector<std::size_t> offsets_{0}; // seedCount + 1 entries into steps_
};

} // namespace locallab
