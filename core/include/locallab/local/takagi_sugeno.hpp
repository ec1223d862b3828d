#pragma once
// Takagi–Sugeno fuzzy inference, seen as a blend of local models anchored at rule centres c_r.
//
// Rule r fires at x with membership μ_r(x) = k((x − c_r)ᵀH⁻¹(x − c_r)), the engine's radial kernel with its
// bandwidth, and the normalised firing strengths are w_r(x) = μ_r(x) / Σ_s μ_s(x). Each rule's consequent
// is a constant b_r (zero order) or an affine function a_rᵀ(x − c_r) + b_r (first order), and the system's
// output is the blend
//
//     ŷ(x) = Σ_r w_r(x)·(a_rᵀ(x − c_r) + b_r).
//
// Consequents are identified from data (x_i, y_i) in one of two ways:
// - Global: one least-squares fit of the blended output itself, min Σ_i (y_i − ŷ(x_i))² over every a_r and
//   b_r together. ŷ is linear in them, with regressors w_r(x_i) and w_r(x_i)·(x_i − c_r), so this is an
//   ordinary least-squares problem with R (zero order) or R·(d + 1) (first order) unknowns. It fits the
//   data best but a single rule's line need not describe the data near its centre.
// - Local: each rule on its own, weighted least squares with the weights μ_r(x_i):
//   min Σ_i μ_r(x_i)·(y_i − a_rᵀ(x_i − c_r) − b_r)². That is local polynomial regression at the centre:
//   b_r = Σ_i μ_r(x_i) y_i / Σ_i μ_r(x_i), the Nadaraya–Watson value at c_r, in zero order, and the local
//   linear fit at c_r (intercept and slope) in first order. Every rule is then interpretable on its own.
// Either way the zero-order system is a Nadaraya–Watson estimate over the centres with the values b_r:
// with the centres at the data points and b_r = y_r it is exactly Nadaraya–Watson on the data.
//
// Memberships are handled in the log domain relative to the largest, so a target far from every centre
// still gets the output of its nearest rules. Where every membership is exactly zero (a compact kernel, no
// centre within reach) the target is flagged NoSupport, its output is 0 and its firing strengths are 0.

#include "locallab/kernel/bandwidth.hpp"
#include "locallab/kernel/radial_kernel.hpp"
#include "locallab/local/local_fit.hpp"
#include "locallab/util/progress.hpp"

#include <Eigen/Core>
#include <vector>

namespace locallab {

enum class RuleOrder { Zero, First };
enum class ConsequentIdentification { Global, Local };

struct TakagiSugenoSettings {
    RadialKernel kernel{KernelProfile::Gaussian}; // the membership profile
    Bandwidth bandwidth = Bandwidth::scalar(1.0); // the membership width, shared by every rule
    RuleOrder order = RuleOrder::First;
    ConsequentIdentification identification = ConsequentIdentification::Local;
};

struct TakagiSugenoEvaluation {
    Eigen::VectorXd values;               // ŷ per target; 0 where the status is NoSupport
    std::vector<LocalFitStatus> statuses; // Fitted, or NoSupport where every membership is zero
    Eigen::MatrixXd firingStrengths;      // targets × rules: w_r(x), rows summing to 1 (0 without support)
    Eigen::MatrixXd ruleOutputs;          // targets × rules: a_rᵀ(x − c_r) + b_r, each rule's own line

    Eigen::Index size() const { return values.size(); }
    LocalFit fit() const { return {values, statuses}; }
};

class TakagiSugeno {
public:
    // A system with its consequents given: centres R × d, intercepts b (R values), slopes a (R × d; an
    // empty matrix for zero order). Throws std::invalid_argument on mismatched sizes, no rules, non-finite
    // values or a bandwidth of the wrong dimension.
    TakagiSugeno(Eigen::MatrixXd centres, Eigen::VectorXd intercepts, Eigen::MatrixXd slopes,
                 RadialKernel kernel, Bandwidth bandwidth);

    // Consequents identified from data (points n × d, responses n) for rules at the given centres.
    // Throws std::invalid_argument with a sentence for the user when the data cannot determine them:
    // local identification when a rule has no data point of positive membership, or (first order) fewer
    // than d + 1 affinely independent ones (identical points, points on a line in 2-D); global
    // identification when its least-squares problem is rank-deficient (more rules than the data can
    // tell apart, identical centres, a rule that fires on no data point). Checks for cancellation once
    // per rule (local) or around the one least-squares solve (global).
    static TakagiSugeno identify(Eigen::MatrixXd centres, const Eigen::MatrixXd& points,
                                 const Eigen::VectorXd& responses, const TakagiSugenoSettings& settings,
                                 Progress& progress);

    Eigen::Index ruleCount() const { return centres_.rows(); }
    Eigen::Index dimension() const { return centres_.cols(); }
    RuleOrder order() const { return slopes_.size() == 0 ? RuleOrder::Zero : RuleOrder::First; }
    const Eigen::MatrixXd& centres() const { return centres_; }
    const Eigen::VectorXd& intercepts() const { return intercepts_; } // b_r
    // a_r as rows, R × d; zero order has no slopes (an empty matrix).
    const Eigen::MatrixXd& slopes() const { return slopes_; }
    const RadialKernel& kernel() const { return kernel_; }
    const Bandwidth& bandwidth() const { return bandwidth_; }

    // μ_r(x) = k(u_r(x)) itself, targets × rules, as a view draws the membership functions (far from a
    // centre it underflows to 0, which is what a picture shows).
    Eigen::MatrixXd memberships(const Eigen::MatrixXd& targets) const;
    // ŷ, the firing strengths and every rule's output at every row of targets, in parallel over targets;
    // checks for cancellation once per block of targets.
    TakagiSugenoEvaluation evaluate(const Eigen::MatrixXd& targets, Progress& progress) const;
    LocalEstimate evaluateAt(const Eigen::VectorXd& target) const;

private:
    // w_r at one target into `strengths` (R values); false, with zeros, when every membership is zero.
    bool firingStrengthsAt(const Eigen::VectorXd& target, Eigen::Ref<Eigen::VectorXd> strengths) const;
    double ruleOutput(Eigen::Index rule, const Eigen::VectorXd& target) const;

    Eigen::MatrixXd centres_;
    Eigen::VectorXd intercepts_;
    Eigen::MatrixXd slopes_;
    RadialKernel kernel_;
    Bandwidth bandwidth_;
    // The centres mapped by the bandwidth, one contiguous row per rule, for the memberships.
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> whitenedCentres_;
};

} // namespace locallab
