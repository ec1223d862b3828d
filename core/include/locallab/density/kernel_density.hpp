#pragma once
// Kernel density estimation, evaluated exactly:
//
//     f̂(x) = Σ_i w_i · c_d / (λ_i^d |H|^{1/2}) · k(u_i) / Σ_i w_i,   u_i = (x − x_i)ᵀH⁻¹(x − x_i) / λ_i²
//
// with the profile k and normalisation c_d of a RadialKernel, the bandwidth H of a Bandwidth, optional
// per-sample weights w_i and optional per-sample bandwidth scales λ_i (the sample-point adaptive
// bandwidth h_i = λ_i·h). Everything is summed in the log domain (log-sum-exp), so a tiny bandwidth gives
// a finite, very negative log density instead of 0/0; where no data point lies within a compact kernel's
// support the log density is −∞ and the point is flagged, never NaN.

#include "locallab/kernel/bandwidth.hpp"
#include "locallab/kernel/radial_kernel.hpp"
#include "locallab/util/progress.hpp"

#include <Eigen/Core>
#include <memory>
#include <string_view>
#include <vector>

namespace locallab {

class NeighborIndex;

// What the flag in DensityValues::outsideSupport means, for messages shown to users.
inline constexpr std::string_view outsideSupportMessage =
    "no data point within the kernel's support at this point";

struct KernelDensityOptions {
    enum class Summation {
        // Every data point contributes (compact kernels still use the k-d tree: points beyond their
        // support contribute exactly zero, so the result is the same).
        Exact,
        // Infinite-support kernels are cut where k(u) < relativeTolerance·k(0), and only the points
        // within that radius (found with the k-d tree) are summed. Each dropped weight is below
        // relativeTolerance times the largest possible one.
        TruncatedTails,
    };

    Summation summation = Summation::Exact;
    double relativeTolerance = 1e-12; // used by TruncatedTails only
    Eigen::VectorXd weights;          // w_i ≥ 0, not all zero; empty means all equal
    Eigen::VectorXd bandwidthScales;  // λ_i > 0; empty means all 1
};

struct DensityValues {
    Eigen::VectorXd density;    // f̂(x); may underflow to 0 where logDensity is still finite
    Eigen::VectorXd logDensity; // log f̂(x); −∞ exactly where outsideSupport is set
    std::vector<bool> outsideSupport;
    // The relative tolerance at which kernel tails were cut; 0 when the sum was exact.
    double truncationTolerance = 0.0;

    bool anyOutsideSupport() const;
};

class KernelDensity {
public:
    // points: n × d, n ≥ 1, finite. Throws std::invalid_argument with a plain message for empty data,
    // non-finite values, weights or scales of the wrong size or sign, or a bandwidth for another
    // dimension; std::domain_error when the kernel has no finite integral in d dimensions (Cauchy, d ≥ 2).
    KernelDensity(const Eigen::MatrixXd& points, RadialKernel kernel, Bandwidth bandwidth,
                  KernelDensityOptions options = {});
    ~KernelDensity();
    KernelDensity(KernelDensity&&) noexcept;
    KernelDensity& operator=(KernelDensity&&) noexcept;

    Eigen::Index size() const { return whitenedPoints_.rows(); }
    Eigen::Index dimension() const { return whitenedPoints_.cols(); }
    const RadialKernel& kernel() const { return kernel_; }
    const Bandwidth& bandwidth() const { return bandwidth_; }
    const KernelDensityOptions& options() const { return options_; }

    // targets: m × d. Runs in parallel over blocks of targets, checks progress once per block.
    DensityValues evaluate(const Eigen::MatrixXd& targets, Progress& progress) const;
    DensityValues evaluate(const Eigen::MatrixXd& targets) const;
    double logDensityAt(const Eigen::VectorXd& target) const;
    double densityAt(const Eigen::VectorXd& target) const;

    // ∇f̂ at each target (m × d): −2 Σ_i w_i c_d/(λ_i^{d+2}|H|^{1/2}) · g(u_i) · H⁻¹(x − x_i) / Σ_i w_i,
    // with the shadow profile g = −k′. The uniform kernel's derivative is zero wherever it exists,
    // so its gradient is zero.
    Eigen::MatrixXd gradient(const Eigen::MatrixXd& targets, Progress& progress) const;
    Eigen::MatrixXd gradient(const Eigen::MatrixXd& targets) const;

    // log f̂_{−i}(x_i) for every data point: the density of the other points (renormalised by their
    // total weight) at x_i. −∞ when no other point reaches x_i. Needs n ≥ 2.
    Eigen::VectorXd leaveOneOutLogDensity(Progress& progress) const;

private:
    struct LogSum;
    LogSum logSumAt(const double* whitenedTarget, Eigen::Index excludedIndex, Eigen::ArrayXd& buffer) const;
    LogSum logSumOverAll(const double* whitenedTarget, Eigen::Index excludedIndex,
                         Eigen::ArrayXd& buffer) const;
    LogSum logSumOverNeighbors(const double* whitenedTarget, Eigen::Index excludedIndex) const;
    Eigen::VectorXd gradientAt(const double* whitenedTarget) const;
    Eigen::MatrixXd checkedWhitenedTargets(const Eigen::MatrixXd& targets) const;
    bool usesNeighborIndex() const { return neighborIndex_ != nullptr; }

    RadialKernel kernel_;
    Bandwidth bandwidth_;
    KernelDensityOptions options_;
    Eigen::MatrixXd whitenedPoints_;      // n × d, column-major so each coordinate is contiguous
    Eigen::ArrayXd logTermOffsets_;       // log w_i − d·log λ_i (empty when all are 0)
    Eigen::ArrayXd inverseSquaredScales_; // 1/λ_i² (empty when all are 1)
    double logTotalWeight_ = 0.0;         // log Σ w_i
    double logNormalization_ = 0.0;       // log c_d − log |H|^{1/2}
    double searchRadiusSquared_ = 0.0;    // in whitened units, when the neighbour index is used
    double truncationTolerance_ = 0.0;
    Eigen::MatrixXd inverseBandwidthMatrix_; // H⁻¹, for gradients
    std::unique_ptr<NeighborIndex> neighborIndex_;
};

} // namespace locallab
