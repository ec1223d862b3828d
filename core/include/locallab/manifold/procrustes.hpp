#pragma once
// How different two point configurations are once translation, scale, rotation and reflection are
// factored out: scipy.spatial.procrustes's disparity. Both are centred and scaled to unit Frobenius
// norm, the second is rotated and scaled onto the first, and the sum of squared differences is left.
// 0 means the same shape; embeddings, which are only defined up to such maps, are compared this way.

#include <Eigen/Core>

namespace locallab {

// Both n × d with the same shape; throws std::invalid_argument otherwise or when either has no spread.
double procrustesDisparity(const Eigen::MatrixXd& reference, const Eigen::MatrixXd& candidate);

} // namespace locallab
