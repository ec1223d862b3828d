#include "locallab/manifold/procrustes.hpp"

#include <Eigen/SVD>
#include <stdexcept>

namespace locallab {

namespace {

Eigen::MatrixXd standardized(const Eigen::MatrixXd& configuration) {
    Eigen::MatrixXd centred = configuration.rowwise() - configuration.colwise().mean();
    const double norm = centred.norm();
    if (!(norm > 0.0)) {
        throw std::invalid_argument("procrustesDisparity: a configuration has every point in the same place");
    }
    return centred / norm;
}

} // namespace

double procrustesDisparity(const Eigen::MatrixXd& reference, const Eigen::MatrixXd& candidate) {
    if (reference.rows() != candidate.rows() || reference.cols() != candidate.cols() ||
        reference.rows() < 2) {
        throw std::invalid_argument(
            "procrustesDisparity: the configurations must have the same shape, with at "
            "least two points");
    }
    const Eigen::MatrixXd first = standardized(reference);
    const Eigen::MatrixXd second = standardized(candidate);
    // The rotation R = U Vᵀ from the SVD of firstᵀ·second maximises trace(Rᵀ firstᵀ second); the best
    // scale is the sum of the singular values.
    const Eigen::JacobiSVD<Eigen::MatrixXd> svd(first.transpose() * second,
                                                Eigen::ComputeFullU | Eigen::ComputeFullV);
    const Eigen::MatrixXd rotation = svd.matrixU() * svd.matrixV().transpose();
    const double scale = svd.singularValues().sum();
    const Eigen::MatrixXd aligned = second * rotation.transpose() * scale;
    return (first - aligned).squaredNorm();
}

} // namespace locallab
