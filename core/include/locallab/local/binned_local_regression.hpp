#pragma once
// Local polynomial regression in 1-D from binned data (Wand 1994, "Fast computation of multivariate
// kernel estimators"; Fan & Marron 1994): the same estimate as LocalRegression, approximated on an
// equally spaced grid g_1 … g_M over the range of x so that its cost hardly depends on n.
//
// The x's are linearly binned (counts c_l, linearBinning of density/binned_density.hpp), and so are the
// y's (sums Y_l). At a node g the local polynomial of degree p needs the weighted moments, with
// z_l = (g_l − g)/h,
//
//     S_j(g) = Σ_l K(z_l) c_l z_l^j  (j ≤ 2p),      T_j(g) = Σ_l K(z_l) Y_l z_l^j  (j ≤ p),
//
// which over all nodes are discrete convolutions of the binned data with the sampled kernel times z^j:
// summed directly when the kernel spans few nodes, through FFTs otherwise. The (p+1)×(p+1) system
// G β = b, G_ab = S_{a+b}, b_a = T_a, is then solved at each node exactly as LocalRegression solves it
// (unit-diagonal scaling, LDLT, the same conditioning test and ridge, so the same Fitted/Regularized
// flags). The error of binning grows like (spacing/h)² for smooth kernels: it shrinks about 4× when the
// spacing halves. Data lying on the nodes are binned without error, and their fit is LocalRegression's.
//
// Optionally the smoother's weight norms are binned too: Σ_i l_i(g)² = uᵀ Q u with u = G⁻¹e₁ and
// Q_ab = Σ_l K(z_l)² c_l z_l^{a+b} (moments with K² instead of K), and the leverage l_i(x_i) = k(0)·u₀ at
// each node. They give the variability band σ̂·sqrt(Σ l_i²) and the noise variance
// σ̂² = Σ r_i² / (n − 2 tr L + tr LᵀL) (noise_variance.hpp), with tr L = Σ_l c_l·u₀(g_l) and
// tr LᵀL = Σ_l c_l·Σ_i l_i(g_l)² (linear binning is the transpose of linear interpolation).
//
// Weights: compact kernels vanish beyond h. Infinite-support kernels are cut where k(u) falls below
// relativeTolerance·k(0): with the default 1e-16 the Gaussian at 8.58·h, the Laplacian at 36.8·h (the
// Cauchy kernel's tail reaches the whole grid). Where the binned weight at a node is negligible (below
// negligibleWeight, counted in points at k = 1) the node is fitted from the bins directly with weights
// relative to the largest, computed in the log domain, as KernelNeighborhood does: a Gaussian whose every
// weight underflows still gives the fit of the nearest data, and a node without a bin of positive weight
// is NoSupport (value 0), never a division by 0.
//
// Targets between nodes are read by linear interpolation of the two nodes around them; a target off the
// grid, or beside a node without a fit, is fitted from the bins directly.

#include "locallab/density/density_grid.hpp"
#include "locallab/kernel/radial_kernel.hpp"
#include "locallab/local/local_fit.hpp"
#include "locallab/local/noise_variance.hpp"
#include "locallab/util/progress.hpp"

#include <Eigen/Core>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace locallab {

// Local polynomials up to this degree are fitted from moments (the moments of degree 2p stay accurate).
constexpr int maximumMomentDegree = 7;
using LocalCoefficients =
    Eigen::Matrix<double, Eigen::Dynamic, 1, Eigen::ColMajor, maximumMomentDegree + 1, 1>;

// A local polynomial of degree p at one target from its moments in z = (x − x*)/h: S_j = Σ_i w_i z_i^j
// (j ≤ 2p), T_j = Σ_i w_i y_i z_i^j (j ≤ p) and, optionally, Q_j = Σ_i w_i² z_i^j (j ≤ 2p). The normal
// equations G β = b, G_ab = S_{a+b}, b_a = T_a, are solved as LocalRegression solves them (unit-diagonal
// scaling, LDLT, the same conditioning test and ridge, the same Fitted/Regularized flag). The weights may
// share any positive factor (weights relative to the largest): only the leverage depends on it. Degree 0
// is the local mean T_0/S_0, always Fitted, as in LocalRegression; S_0 must be positive.
struct LocalPolynomialSolution {
    LocalCoefficients coefficients; // β_0 … β_p of the polynomial in z
    double value = 0.0;             // ŷ(x*) = uᵀb with u = G⁻¹e₁ (β_0 up to rounding)
    LocalFitStatus status = LocalFitStatus::Fitted;
    double weightNorm = 0.0; // Σ_i l_i(x*)² = uᵀQu, l_i = w_i φ_iᵀu; 0 without Q
    double leverage = 0.0;   // u₀: a point at x* itself has l = w·u₀
};
// Throws std::invalid_argument for a degree outside [0, maximumMomentDegree].
LocalPolynomialSolution solveLocalPolynomialFromMoments(int degree, const double* moments,
                                                        const double* responseMoments,
                                                        const double* squaredMoments = nullptr);

enum class BinnedConvolution {
    Automatic, // direct sums while the kernel spans at most directTapLimit nodes, FFTs beyond
    Direct,
    Fourier,
};

struct BinnedLocalRegressionSettings {
    RadialKernel kernel{KernelProfile::Gaussian};
    double bandwidth = 1.0; // h > 0, in units of x
    int degree = 1;         // 0: Nadaraya–Watson, 1: local linear, … up to maximumDegree
    // Nodes over [min x, max x]. 0 chooses gridSizeFor(x, h): a spacing of at most h/cellsPerBandwidth.
    Eigen::Index gridSize = 0;
    double relativeTolerance = 1e-16; // where infinite-support kernels are cut, relative to k(0)
    // Also Σ_i l_i(x)², the leverages and the noise variance (the variability band).
    bool weightNorms = false;
    BinnedConvolution convolution = BinnedConvolution::Automatic;
};

// A 1-D sample linearly binned on a grid over [min x, max x] ([x − h, x + h] when every x is the same):
// what BinnedLocalRegression fits, binned once and shared by the fits of several degrees or kernels.
class BinnedSample {
public:
    // gridSize 0 chooses BinnedLocalRegression::gridSizeFor(x, bandwidth). Throws std::invalid_argument for
    // no points, mismatched sizes, values that are not finite, h ≤ 0 or a gridSize of 1.
    BinnedSample(Eigen::VectorXd x, Eigen::VectorXd y, double bandwidth, Eigen::Index gridSize = 0);

    const GridAxis& grid() const { return grid_; }
    const Eigen::VectorXd& counts() const { return counts_; }             // c_l
    const Eigen::VectorXd& responseSums() const { return responseSums_; } // Y_l
    // The data themselves, for the residuals of the noise estimate.
    const Eigen::VectorXd& x() const { return x_; }
    const Eigen::VectorXd& y() const { return y_; }

private:
    Eigen::VectorXd x_;
    Eigen::VectorXd y_;
    GridAxis grid_;
    Eigen::VectorXd counts_;
    Eigen::VectorXd responseSums_;
};

class BinnedLocalRegression {
public:
    static constexpr int maximumDegree = maximumMomentDegree;
    static constexpr double cellsPerBandwidth = 8.0;
    static constexpr Eigen::Index minimumGridSize = 401;
    static constexpr Eigen::Index maximumGridSize = 2048;
    static constexpr Eigen::Index directTapLimit = 200;
    // A node whose binned weight Σ_l K(z_l) c_l is below this is fitted from the bins in the log domain;
    // after FFTs, whose round-off is relative to the largest sums, below fourierNoise·n as well.
    static constexpr double negligibleWeight = 1e-6;
    static constexpr double fourierNoise = 1e-9;

    // The node count a grid over x gets for bandwidth h when the settings leave it open: enough for a
    // spacing of h/cellsPerBandwidth, within [minimumGridSize, maximumGridSize].
    static Eigen::Index gridSizeFor(const Eigen::VectorXd& x, double bandwidth);

    // Bins x and y, convolves and fits every node; checks for cancellation between the steps and once per
    // block of nodes. Throws std::invalid_argument for no points, mismatched sizes, values that are not
    // finite, h ≤ 0, a degree outside [0, maximumDegree] or a gridSize of 1; OperationCanceled when the
    // progress is cancelled.
    BinnedLocalRegression(const Eigen::VectorXd& x, const Eigen::VectorXd& y,
                          BinnedLocalRegressionSettings settings, Progress& progress);
    // The same on a sample binned beforehand (settings.gridSize is then the sample's); the bandwidth need
    // not be the one the sample's grid was chosen for.
    BinnedLocalRegression(std::shared_ptr<const BinnedSample> sample, BinnedLocalRegressionSettings settings,
                          Progress& progress);

    const BinnedLocalRegressionSettings& settings() const { return settings_; }
    // The nodes: [min x, max x], or [x − h, x + h] when every x is the same.
    const GridAxis& grid() const { return sample_->grid(); }
    const BinnedSample& sample() const { return *sample_; }
    Eigen::VectorXd gridNodes() const;
    // h over the spacing: how finely the kernel is sampled (the error grows like its inverse squared).
    double nodesPerBandwidth() const { return settings_.bandwidth / grid().spacing(); }
    bool usedFourierTransforms() const { return usedFourier_; }

    // ŷ at every node.
    const LocalFit& nodeFit() const { return nodeFit_; }
    // Σ_i l_i(g)² at every node (0 where there is no fit); empty unless settings.weightNorms.
    const Eigen::VectorXd& nodeWeightNorms() const { return nodeWeightNorms_; }

    // ŷ at any targets.
    LocalFit fit(const Eigen::VectorXd& targets) const;
    // σ̂·sqrt(Σ_i l_i(x)²) at any targets for σ̂² = noiseVariance. Throws std::logic_error unless
    // settings.weightNorms.
    LocalFit standardErrors(const Eigen::VectorXd& targets, double noiseVariance) const;
    // The binned σ̂² of the fit (see above). Throws std::logic_error unless settings.weightNorms, and
    // std::domain_error when the residual degrees of freedom are not positive.
    NoiseVarianceEstimate noiseVariance() const;

private:
    struct NodeSolution;
    struct Moments;
    NodeSolution solveFromMoments(const double* moments, const double* responseMoments,
                                  const double* squaredMoments) const;
    NodeSolution solveDirectlyAt(double target) const;
    Moments convolve(Progress& progress);
    void fitNodes(const Moments& moments, Progress& progress);
    void estimateNoise();
    // The nodes around target and the fraction of the way to the upper one; nullopt off the grid.
    std::optional<std::pair<Eigen::Index, double>> cellOf(double target) const;

    BinnedLocalRegressionSettings settings_;
    std::shared_ptr<const BinnedSample> sample_;
    Eigen::Index reach_ = 0; // nodes the (cut) kernel reaches either way
    bool usedFourier_ = false;
    LocalFit nodeFit_;
    Eigen::VectorXd nodeWeightNorms_;
    Eigen::VectorXd nodeLeverages_; // k(0)·u₀: l_i(x_i) for a point on the node
    std::optional<NoiseVarianceEstimate> noise_;
    std::string noiseProblem_;
};

} // namespace locallab
