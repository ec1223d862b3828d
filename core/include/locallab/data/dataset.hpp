#pragma once
// The data every explorer starts from: n points in d dimensions, with what came along with them.

#include <Eigen/Core>
#include <optional>
#include <string>
#include <vector>

namespace locallab {

struct Dataset {
    Eigen::MatrixXd points;                // n × d, one row per point
    std::vector<std::string> columnNames;  // d names, one per column of points
    std::optional<Eigen::VectorXd> target; // y for regression, n values
    std::string targetName;                // its column name, when there is one
    std::optional<Eigen::VectorXi> labels; // class or cluster labels, n values
    std::vector<std::string> labelNames;   // labelNames[k] names label k when labels were text
    std::optional<Eigen::VectorXd> latent; // a generator's latent coordinate (Swiss roll angle, ...)
    std::string origin;                    // "file.csv" or "two_moons(n=500, seed=1)": for titles

    Eigen::Index size() const { return points.rows(); }
    Eigen::Index dimension() const { return points.cols(); }
    bool empty() const { return points.rows() == 0; }
};

} // namespace locallab
