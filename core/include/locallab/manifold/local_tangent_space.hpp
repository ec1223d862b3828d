#pragma once
// The local blocks of the variants that look at the tangent space of each neighbourhood, following
// scikit-learn's locally_linear_embedding: Hessian eigenmaps (HLLE), local tangent space alignment (LTSA)
// and modified LLE (MLLE). Each function takes one point's neighbourhood (nearest first, the point itself
// excluded) and returns its contribution to M.

#include "locallab/manifold/local_alignment.hpp"

#include <Eigen/Core>
#include <span>

namespace locallab {

// The neighbourhood's principal directions, strongest first: an orthonormal k × columns basis of
// the centred (or, with centre = false, point-relative) neighbours, and the squared singular values.
struct LocalPrincipalDirections {
    Eigen::MatrixXd directions;    // k × k when complete (for MLLE), k × components otherwise
    Eigen::VectorXd squaredScales; // min(k, input dimension) values, descending
};

// LTSA: I − G Gᵀ on the neighbours, G = [1/√k, the first `components` principal directions].
LocalBlock ltsaBlock(const Eigen::MatrixXd& points, std::span<const Eigen::Index> neighbors,
                     Eigen::Index components);

// HLLE: w wᵀ, where w spans what is orthogonal to [1, tangent coordinates, their products] (the
// columns past the first components + 1 of a complete Householder QR), and a column whose sum exceeds
// hessianTolerance in magnitude is scaled to sum to 1.
LocalBlock hessianBlock(const Eigen::MatrixXd& points, std::span<const Eigen::Index> neighbors,
                        Eigen::Index components, double hessianTolerance);

// MLLE needs every neighbourhood's spectrum before any block (the threshold η is a median over points),
// so it is computed in two steps.
struct ModifiedLocalGeometry {
    Eigen::MatrixXd rightVectors;   // k × k: eigenvectors of the neighbours' local Gram, largest first
    Eigen::VectorXd eigenvalues;    // min(k, input dimension) values, descending
    Eigen::VectorXd regularWeights; // barycentre weights with reg = 1e-3·trace, summing to 1
};

ModifiedLocalGeometry modifiedLocalGeometry(const Eigen::MatrixXd& points, Eigen::Index point,
                                            std::span<const Eigen::Index> neighbors);

// ρ_i = (sum of the eigenvalues past `components`) / (sum of the first `components`); η = median of ρ.
double modifiedSpreadRatio(const ModifiedLocalGeometry& geometry, Eigen::Index components);

// The block on [point, neighbours]: BᵀB with B = [1, −Wᵢᵀ], Wᵢ built from the s smallest directions,
// s chosen from η as scikit-learn does.
LocalBlock modifiedBlock(const ModifiedLocalGeometry& geometry, Eigen::Index point,
                         std::span<const Eigen::Index> neighbors, double medianSpreadRatio,
                         double modifiedTolerance);

} // namespace locallab
