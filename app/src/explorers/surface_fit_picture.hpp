#pragma once
// What the Surface fit explorer draws, computed off the GUI thread: local polynomial regression of y on
// (x1, x2) evaluated on a grid over the data (the fitted surface ŷ, its contour lines and where it has no
// value), the fitted LocalRegression itself, kept so that a query at x* needs no refit, and the readout at
// x*: the kernel weights, their sum, the effective number of points and the local model's coefficients.

#include "locallab/data/dataset.hpp"
#include "locallab/kernel/radial_kernel.hpp"
#include "locallab/local/local_fit.hpp"
#include "locallab/local/local_regression.hpp"

#include <Eigen/Core>
#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace locallab {

class Progress;

// The local models the explorer offers: local polynomials of degree 0, 1 and 2 in (x1, x2).
enum class SurfaceMethod { NadarayaWatson, LocalLinear, LocalQuadratic };

const std::vector<SurfaceMethod>& surfaceMethods();
std::string surfaceMethodKey(SurfaceMethod method);   // "nadaraya-watson", "local-linear", "local-quadratic"
std::string surfaceMethodLabel(SurfaceMethod method); // "Nadaraya–Watson", "local linear", "local quadratic"
std::optional<SurfaceMethod> parseSurfaceMethod(std::string_view key);
int surfaceMethodDegree(SurfaceMethod method);

// Two regressors and a response.
struct SurfaceSample {
    Eigen::MatrixXd points; // n × 2: (x1, x2)
    Eigen::VectorXd y;
    std::string x1Name = "x1";
    std::string x2Name = "x2";
    std::string yName = "y";
    std::string origin;
};

// x1 and x2 are the first two point columns; y is the target when the data have one, otherwise the third
// column. Without them, or with NaN or infinite values, `problem` says why instead.
struct SurfaceSampleOrProblem {
    std::shared_ptr<const SurfaceSample> sample;
    std::string problem;
};
SurfaceSampleOrProblem surfaceSampleFrom(const Dataset& dataset);

// The h of another radial kernel whose spread along each axis in the plane equals that of a Gaussian of
// standard deviation gaussianBandwidth: a rule of thumb made for the Gaussian then suits any kernel. The
// Cauchy kernel has no variance in 2-D and keeps h.
double planarEquivalentBandwidth(const RadialKernel& kernel, double gaussianBandwidth);

// Scott's rule in the plane: n^(−1/6) times the geometric mean of the two columns' standard deviations,
// matched to the kernel. (In two dimensions Silverman's factor (n(d + 2)/4)^(−1/(d+4)) is the same
// n^(−1/6).) Throws std::invalid_argument when a column does not vary.
double scottPlanarBandwidth(const SurfaceSample& sample, const RadialKernel& kernel);

// Bandwidth rules a request may name.
inline constexpr std::string_view scottRule = "scott";
inline constexpr std::string_view crossValidationRule = "cv";
// Leave-one-out cross-validation costs a local fit per point and bandwidth; larger samples are evenly
// thinned to this many points for choosing h.
inline constexpr Eigen::Index crossValidationPointLimit = 1000;

// The local model fitted at x*: ŷ(x) = Σ_t β_t φ_t(x − x*), φ the monomials of MonomialBasis(2, degree)
// in data units, so β_0 is the fitted value and (β_1, β_2) the gradient of the local model at x*.
struct LocalSurfaceModel {
    Eigen::VectorXd coefficients;
    std::vector<std::array<int, 2>> exponents; // of (x1 − x1*, x2 − x2*) in term t
    LocalFitStatus status = LocalFitStatus::NoSupport;
};

struct QueryReadout {
    Eigen::Vector2d position = Eigen::Vector2d::Zero();
    LocalEstimate estimate; // core's ŷ(x*)
    std::optional<LocalSurfaceModel> model;
    // K(x*, x_i) divided by the largest, so in [0, 1]; all zero when no point has weight.
    Eigen::VectorXd relativeWeights;
    // log Σ_i K(x*, x_i) with K(x, x) = 1; −∞ when every weight is 0. In the log domain because with a
    // small h far from the data every Gaussian weight underflows while their ratios are still exact.
    double logWeightSum = -std::numeric_limits<double>::infinity();
    double effectivePointCount = 0.0; // (Σw)² / Σw²
    Eigen::Index pointsWithWeight = 0;
    std::string problem; // a sentence for the user when there is no fit at x* or it is degenerate

    // Σw itself, 0 when it underflows.
    double weightSum() const;
};

// The numbers at x* from a fitted regression of `sample`. Never throws for a missing or singular fit:
// that is a problem text.
QueryReadout readQuery(const LocalRegression& regression, const SurfaceSample& sample,
                       const Eigen::Vector2d& position);

// Contour segments of a field on a grid (marching squares); cells with a NaN corner have no lines.
// values(i, j) is at (xs(i), ys(j)). Each segment is a 2 × 2 matrix of its end points.
std::vector<Eigen::MatrixX2d> contourSegments(const Eigen::MatrixXd& values, const Eigen::VectorXd& xs,
                                              const Eigen::VectorXd& ys, double level);

struct SurfaceRequest {
    std::shared_ptr<const SurfaceSample> sample;
    RadialKernel kernel{KernelProfile::Gaussian};
    double bandwidth = 0.2;
    // scottRule or crossValidationRule: the rule chooses h in the job, before the fit; empty: `bandwidth`
    // is used.
    std::string bandwidthRule;
    SurfaceMethod method = SurfaceMethod::LocalLinear;
    Eigen::Index gridNodes = 80; // per axis
    // x*, read out in the same job, so that the surface and the readout arrive together.
    std::optional<Eigen::Vector2d> query;
    std::uint64_t requestNumber = 0;
};

struct SurfacePicture {
    std::uint64_t requestNumber = 0;
    std::shared_ptr<const SurfaceSample> sample;
    std::shared_ptr<const LocalRegression> regression;
    SurfaceMethod method = SurfaceMethod::LocalLinear;
    double bandwidth = 0.2;      // the h in use (a rule's choice when the request named one)
    std::string bandwidthOrigin; // how a rule chose h, for the formula panel; empty when it was set
    Eigen::VectorXd x1Nodes;     // the grid, from a margin left of the data to one right of them
    Eigen::VectorXd x2Nodes;
    // surface(i, j) = ŷ(x1Nodes(i), x2Nodes(j)); NaN where no data point has weight.
    Eigen::MatrixXd surface;
    Eigen::Index noSupportNodes = 0;
    Eigen::Index regularizedNodes = 0;
    // The colours of the heatmap and of the data: the range of the observed y.
    double colorMinimum = 0.0;
    double colorMaximum = 1.0;
    std::vector<double> contourLevels;
    std::vector<Eigen::MatrixX2d> contours; // every level's segments
    std::vector<std::string> notes;         // about the surface as a whole, one sentence each
    std::optional<QueryReadout> query;      // at SurfaceRequest::query
};

// Throws std::invalid_argument with a sentence for the user when the data cannot determine the local
// model anywhere (fewer distinct points than coefficients, every point on one line for a local plane, on
// one conic for a local quadratic), and OperationCanceled when cancelled.
std::shared_ptr<const SurfacePicture> computeSurfacePicture(const SurfaceRequest& request,
                                                            Progress& progress);

} // namespace locallab
