#include "locallab/manifold/barycenter_weights.hpp"

#include <Eigen/Cholesky>
#include <limits>

namespace locallab {

namespace {

Eigen::MatrixXd offsetsFromPoint(const Eigen::MatrixXd& points, Eigen::Index point,
                                 std::span<const Eigen::Index> neighbors) {
    Eigen::MatrixXd offsets(static_cast<Eigen::Index>(neighbors.size()), points.cols());
    for (Eigen::Index row = 0; row < offsets.rows(); ++row) {
        offsets.row(row) = points.row(neighbors[static_cast<std::size_t>(row)]) - points.row(point);
    }
    return offsets;
}

} // namespace

std::optional<Eigen::VectorXd> barycenterWeights(const Eigen::MatrixXd& points, Eigen::Index point,
                                                 std::span<const Eigen::Index> neighbors, double reg) {
    const Eigen::MatrixXd offsets = offsetsFromPoint(points, point, neighbors);
    Eigen::MatrixXd gram = offsets * offsets.transpose();
    const double trace = gram.trace();
    // scikit-learn's rule: relative to the trace, except when every neighbour sits on the point.
    gram.diagonal().array() += trace > 0 ? reg * trace : reg;
    const Eigen::LLT<Eigen::MatrixXd> cholesky(gram);
    // A Gram matrix this close to singular gives weights that are rounding noise, not geometry.
    const double singularBelow = static_cast<double>(gram.rows()) * std::numeric_limits<double>::epsilon();
    if (cholesky.info() != Eigen::Success || !(cholesky.rcond() > singularBelow)) {
        return std::nullopt;
    }
    Eigen::VectorXd weights = cholesky.solve(Eigen::VectorXd::Ones(gram.rows()));
    weights /= weights.sum();
    if (!weights.allFinite()) {
        return std::nullopt;
    }
    return weights;
}

double reconstructionError(const Eigen::MatrixXd& points, Eigen::Index point,
                           std::span<const Eigen::Index> neighbors, const Eigen::VectorXd& weights) {
    Eigen::RowVectorXd rebuilt = Eigen::RowVectorXd::Zero(points.cols());
    for (std::size_t j = 0; j < neighbors.size(); ++j) {
        rebuilt += weights(static_cast<Eigen::Index>(j)) * points.row(neighbors[j]);
    }
    return (points.row(point) - rebuilt).squaredNorm();
}

} // namespace locallab
