#pragma once
// Local polynomial regression, the localization trick with the squared loss: at each target x*,
//
//     β̂(x*) = argmin_β Σ_i K(x*, x_i) (y_i − Σ_t β_t φ_t(x_i − x*))²,    ŷ(x*) = β̂₀(x*),
//
// where φ are the monomials of total degree ≤ p (MonomialBasis). Degree 0 is the local constant, the
// Nadaraya–Watson local mean Σ K_i y_i / Σ K_i; degree 1 is local linear regression, whose fit has no
// boundary bias of first order.
//
// The weighted least-squares system is solved through its normal matrix after scaling every column to
// unit weighted norm, with an LDLT factorization whose reciprocal condition number and pivot ratio are
// checked. When either is below conditionLimit (fewer distinct points in the window than parameters, points
// on a line in 2-D, ...), a ridge of size ridgeSize is added to the diagonal of the scaled matrix for every
// coefficient except the constant, and the target is flagged Regularized. The ridge shrinks the
// undetermined slopes towards 0, so a window with a single point returns that point's y.

#include "locallab/kernel/bandwidth.hpp"
#include "locallab/kernel/radial_kernel.hpp"
#include "locallab/local/kernel_neighborhood.hpp"
#include "locallab/local/local_fit.hpp"
#include "locallab/local/monomial_basis.hpp"
#include "locallab/local/smoother_weights.hpp"
#include "locallab/util/progress.hpp"

#include <Eigen/Core>

namespace locallab {

struct LocalRegressionSettings {
    RadialKernel kernel{KernelProfile::Gaussian};
    Bandwidth bandwidth = Bandwidth::scalar(1.0);
    int degree = 1;                   // 0: Nadaraya–Watson, 1: local linear, p: local polynomial
    double truncationTolerance = 0.0; // see KernelNeighborhood; 0 = exact
};

class LocalRegression final : public LinearSmoother {
public:
    static constexpr double conditionLimit = 1e-10; // reciprocal condition of the scaled normal matrix
    static constexpr double ridgeSize = 1e-6;       // relative to its unit diagonal

    // points: n × d, responses: n values. Throws std::invalid_argument on mismatched sizes, no points,
    // a negative degree or a bandwidth of the wrong dimension.
    LocalRegression(Eigen::MatrixXd points, Eigen::VectorXd responses, LocalRegressionSettings settings);

    const LocalRegressionSettings& settings() const { return settings_; }
    const Eigen::MatrixXd& points() const { return points_; }
    Eigen::Index size() const override { return points_.rows(); }
    Eigen::Index dimension() const { return points_.cols(); }
    const Eigen::VectorXd& responses() const override { return responses_; }
    Eigen::Index parameterCount() const { return basis_.size(); }

    // ŷ at every row of targets (m × d), in parallel; checks for cancellation once per block of targets.
    LocalFit fit(const Eigen::MatrixXd& targets, Progress& progress) const;
    LocalFit fitAtDataPoints(Progress& progress) const;
    LocalEstimate fitAt(const Eigen::VectorXd& target) const;
    // The fit at data row i from all the other points: the brute-force leave-one-out estimate.
    LocalEstimate fitLeavingOut(Eigen::Index row) const;

    SmootherWeights weightsAt(const Eigen::VectorXd& target) const override;
    SmootherWeights weightsAtDataPoint(Eigen::Index row) const override;

private:
    struct Workspace;
    LocalEstimate solve(const Eigen::VectorXd& whitenedTarget, Workspace& workspace, Eigen::Index excludedRow,
                        SmootherWeights* weights) const;

    Eigen::MatrixXd points_;
    Eigen::VectorXd responses_;
    LocalRegressionSettings settings_;
    KernelNeighborhood neighborhood_;
    MonomialBasis basis_;
};

} // namespace locallab
