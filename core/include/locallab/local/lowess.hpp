#pragma once
// LOWESS (Cleveland 1979), exactly as statsmodels.nonparametric.lowess computes it with delta = 0.
//
// With the x sorted (stably) and k = ⌊f·n + 10⁻¹⁰⌋ clamped to [2, n], the neighbourhood of a target x*
// is the window of k consecutive sorted points that slides right while x* lies beyond the midpoint of
// its two ends (x* > (x_left + x_{left+k})/2); the radius is the distance from x* to the farther end of
// the window. Within it the weights are tricube(|x_j − x*|/radius) times the robustness weights; with
// fewer than two weights above 10⁻¹² there is no fit (at a data point its own y is returned, as
// statsmodels does; elsewhere the target is flagged NoSupport). The local linear fit is written as the
// projection ŷ = Σ_j p_j y_j with p_j = w_j (1 + (x* − x̄_w)(x_j − x̄_w)/max(s²_w, 10⁻¹²)), x̄_w and s²_w
// the weighted mean and spread. After each pass the robustness weights are bisquare(min(1,
// |r_j|/(6·median|r|))); when the median absolute residual is ≤ 10⁻⁷ the passes stop early.
//
// At targets other than the data points the fit is a local linear fit with the same neighbourhood rule
// and the final robustness weights (those the last pass used), which is what statsmodels does for xvals;
// it is not an interpolation. Tied x values get the same fit.

#include "locallab/local/local_fit.hpp"
#include "locallab/local/smoother_weights.hpp"
#include "locallab/util/progress.hpp"

#include <Eigen/Core>
#include <vector>

namespace locallab {

struct LowessSettings {
    double fraction = 2.0 / 3.0; // f in [0, 1]
    int iterations = 3;          // robustness passes after the first fit
};

class Lowess final : public LinearSmoother {
public:
    // Fits at the data points. Throws std::invalid_argument for mismatched sizes, fewer than two
    // points, a fraction outside [0, 1], negative iterations or non-finite values.
    Lowess(const Eigen::VectorXd& x, const Eigen::VectorXd& y, LowessSettings settings, Progress& progress);

    const LowessSettings& settings() const { return settings_; }
    Eigen::Index size() const override { return static_cast<Eigen::Index>(sortedX_.size()); }
    const Eigen::VectorXd& responses() const override { return responses_; }
    Eigen::Index neighborCount() const { return neighborCount_; }
    int passesRun() const { return passesRun_; }

    // In input order.
    const Eigen::VectorXd& fitted() const { return fitted_; }
    // The robustness weights the final pass used, in input order (all 1 when iterations = 0).
    const Eigen::VectorXd& robustnessWeights() const { return robustnessWeights_; }

    // The final-pass local fit at any x (see above), in parallel.
    LocalFit evaluate(const Eigen::VectorXd& targets, Progress& progress) const;

    // The projection weights of the final pass, robustness weights held fixed (LOWESS with it > 0 is
    // not linear in y; these describe its last, linear step).
    SmootherWeights weightsAt(const Eigen::VectorXd& target) const override;
    SmootherWeights weightsAtDataPoint(Eigen::Index row) const override;

private:
    struct Window {
        Eigen::Index left = 0;  // first sorted position
        Eigen::Index right = 0; // one past the last
        double radius = 0.0;
    };
    Window windowAt(double target) const;
    // Projection weights over the window (sorted positions left..right-1); false when there is no fit.
    bool projectionWeights(double target, const std::vector<double>& sortedRobustness,
                           std::vector<double>& weights, Window& window) const;
    Eigen::VectorXd fitPass(const std::vector<double>& sortedRobustness, Progress& progress) const;
    SmootherWeights toSmootherWeights(const std::vector<double>& weights, const Window& window) const;

    LowessSettings settings_;
    Eigen::VectorXd responses_;
    std::vector<double> sortedX_;
    std::vector<double> sortedY_;
    std::vector<Eigen::Index> order_;      // sorted position → input row
    std::vector<Eigen::Index> positionOf_; // input row → sorted position
    std::vector<Eigen::Index> tieStart_;   // sorted position → first sorted position with the same x
    Eigen::Index neighborCount_ = 0;
    std::vector<double> sortedRobustness_; // used by the final pass
    Eigen::VectorXd fitted_;
    Eigen::VectorXd robustnessWeights_;
    int passesRun_ = 0;
};

} // namespace locallab
