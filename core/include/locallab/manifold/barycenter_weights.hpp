#pragma once
// The weights that rebuild a point from its neighbours, Σ_j w_j = 1, as scikit-learn's
// barycenter_weights: with C = N_i − x_i (one neighbour per row) and G = C Cᵀ, regularise
// G += reg·trace(G)·I (G += reg·I when the trace is 0, i.e. every neighbour sits on the point) and solve
// G w = 1, then rescale w to sum to 1.

#include <Eigen/Core>
#include <optional>
#include <span>

namespace locallab {

// Nothing when the regularised Gram matrix is singular (reg = 0 with more neighbours than dimensions,
// or neighbours that all coincide with the point), because its weights would be meaningless.
std::optional<Eigen::VectorXd> barycenterWeights(const Eigen::MatrixXd& points, Eigen::Index point,
                                                 std::span<const Eigen::Index> neighbors, double reg);

// ||x_i − Σ_j w_j x_j||², computed from the points, not from G.
double reconstructionError(const Eigen::MatrixXd& points, Eigen::Index point,
                           std::span<const Eigen::Index> neighbors, const Eigen::VectorXd& weights);

} // namespace locallab
