#include "locallab/meanshift/trajectories.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace locallab {

void Trajectories::append(const Eigen::MatrixXd& path, Eigen::Index maxStored) {
    if (dimension_ == 0) {
        dimension_ = path.cols();
    }
    if (path.cols() != dimension_) {
        throw std::invalid_argument("a trajectory's dimension differs from the others'");
    }
    const Eigen::Index length = path.rows();
    const Eigen::Index kept = std::min(length, std::max<Eigen::Index>(maxStored, 2));
    for (Eigen::Index k = 0; k < kept; ++k) {
        // Evenly spaced rows, the first and the last included.
        const Eigen::Index row =
            kept == length ? k
                           : static_cast<Eigen::Index>(std::llround(double(k) * (length - 1) / (kept - 1)));
        for (Eigen::Index c = 0; c < dimension_; ++c) {
            positions_.push_back(static_cast<float>(path(row, c)));
        }
        steps_.push_back(static_cast<int>(row));
    }
    offsets_.push_back(steps_.size());
}

Eigen::MatrixXd Trajectories::path(Eigen::Index seed) const {
    const std::size_t begin = offsets_.at(static_cast<std::size_t>(seed));
    const std::size_t end = offsets_.at(static_cast<std::size_t>(seed) + 1);
    Eigen::MatrixXd rows(static_cast<Eigen::Index>(end - begin), dimension_);
    for (std::size_t r = begin; r < end; ++r) {
        for (Eigen::Index c = 0; c < dimension_; ++c) {
            rows(static_cast<Eigen::Index>(r - begin), c) = positions_[r * dimension_ + c];
        }
    }
    return rows;
}

std::vector<int> Trajectories::pathSteps(Eigen::Index seed) const {
    const std::size_t begin = offsets_.at(static_cast<std::size_t>(seed));
    const std::size_t end = offsets_.at(static_cast<std::size_t>(seed) + 1);
    return {steps_.begin() + static_cast<std::ptrdiff_t>(begin),
            steps_.begin() + static_cast<std::ptrdiff_t>(end)};
}

int Trajectories::lastStep(Eigen::Index seed) const {
    const std::size_t end = offsets_.at(static_cast<std::size_t>(seed) + 1);
    return end == 0 ? 0 : steps_[end - 1];
}

Eigen::VectorXd Trajectories::positionAt(Eigen::Index seed, double iteration) const {
    const std::size_t begin = offsets_.at(static_cast<std::size_t>(seed));
    const std::size_t end = offsets_.at(static_cast<std::size_t>(seed) + 1);
    if (begin == end) {
        throw std::out_of_range("the seed has no stored trajectory");
    }
    auto row = [&](std::size_t r) {
        Eigen::VectorXd position(dimension_);
        for (Eigen::Index c = 0; c < dimension_; ++c) {
            position[c] = positions_[r * dimension_ + c];
        }
        return position;
    };
    if (iteration <= steps_[begin]) {
        return row(begin);
    }
    for (std::size_t r = begin + 1; r < end; ++r) {
        if (iteration <= steps_[r]) {
            const double t = (iteration - steps_[r - 1]) / double(steps_[r] - steps_[r - 1]);
            return (1.0 - t) * row(r - 1) + t * row(r);
        }
    }
    return row(end - 1);
}

} // namespace locallab
