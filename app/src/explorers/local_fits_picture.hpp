#pragma once
// What the Local fits explorer draws, computed off the GUI thread in three parts, each recomputed only
// when its own inputs change:
//   - the fits: every shown method's curve over a grid, the variability band and the fitted models
//     (kernel, h, data, LOWESS settings); for large samples first approximately, from binned fits
//     (computeApproximateLocalFitsPicture), then exactly;
//   - the query: the weights, the local model and the numbers at one x* (x* and the picture; a drag of
//     x* recomputes only this: one pass over the data gives the weights and every method's local fit);
//   - the leave-one-out cross-validation curve over a grid of bandwidths (kernel, degree, data; not h).

#include "locallab/data/dataset.hpp"
#include "locallab/kernel/radial_kernel.hpp"
#include "locallab/local/local_fit.hpp"
#include "locallab/local/local_regression.hpp"
#include "locallab/local/lowess.hpp"
#include "locallab/local/regression_cross_validation.hpp"

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

enum class LocalFitMethod { NadarayaWatson, LocalLinear, LocalQuadratic, LocalCubic, Lowess };

// In the order the panel and the legend list them.
const std::vector<LocalFitMethod>& localFitMethods();
std::string localFitMethodKey(LocalFitMethod method);   // "nadaraya-watson", "local-linear", ..., "lowess"
std::string localFitMethodLabel(LocalFitMethod method); // "Nadaraya–Watson", "local linear", ..., "LOWESS"
std::optional<LocalFitMethod> parseLocalFitMethod(std::string_view key);
// The degree of the local polynomial: 0 for Nadaraya–Watson, 1 for local linear and LOWESS, 2, 3.
int localFitDegree(LocalFitMethod method);

// One regressor and one response: what a 1-D fit needs from a data set.
struct RegressionSample {
    Eigen::VectorXd x;
    Eigen::VectorXd y;
    std::string xName = "x";
    std::string yName = "y";
    std::string origin;
};

// x is the first point column; y the target when the data set has one, otherwise the second column.
// Throws std::invalid_argument when there is no y to take.
RegressionSample regressionSampleOf(const Dataset& dataset);

// The choices of a 1-D explorer's "data" parameter: auto takes the Data explorer's data when they have a
// target and the built-in noisy sine otherwise.
inline const std::string regressionSourceAuto = "auto";
inline const std::string regressionSourceDataExplorer = "data explorer";
inline const std::string regressionSourceNoisySine = "noisy sine";

// The built-in noisy sine, made once and shared.
std::shared_ptr<const RegressionSample> builtInRegressionSample();

struct ChosenRegressionSample {
    std::shared_ptr<const RegressionSample> sample; // nullptr when there is none
    std::string problem;                            // why not, in a sentence
    bool dataUnusable = false;                      // the Data explorer's data have no y to take
};
// The sample a source choice names; `dataset` is the Data explorer's, or nullptr before it has any.
ChosenRegressionSample chooseRegressionSample(const std::string& source, const Dataset* dataset);

// The Gaussian's h matched to another kernel: the h at which that kernel has the same standard deviation
// (a compact kernel of radius h is much narrower than a Gaussian of standard deviation h). The Cauchy
// kernel has no variance and keeps h.
double equivalentBandwidth(const RadialKernel& kernel, double gaussianBandwidth);

// Where everything is drawn, in data coordinates: the data with a margin, and below them a strip in
// which the kernel at x* is drawn. Fixed per fit so that dragging x* never reframes the plot.
struct PlotBox {
    double xMinimum = 0.0;
    double xMaximum = 1.0;
    double yMinimum = 0.0; // the bottom of the kernel strip
    double yMaximum = 1.0;
    double kernelHeight = 0.3; // the kernel's peak k(0) = 1 is drawn this far above yMinimum
};

struct FitsRequest {
    std::shared_ptr<const RegressionSample> sample;
    RadialKernel kernel{KernelProfile::Gaussian};
    double bandwidth = 0.1;
    // "silverman": Silverman's robust rule on x, matched to the kernel, chooses h before the fits.
    std::string bandwidthRule;
    std::vector<LocalFitMethod> shownMethods;
    LocalFitMethod featured = LocalFitMethod::LocalLinear;
    LowessSettings lowess;
    bool band = true;
    double queryX = 0.0; // the picture comes with the query at this x* already answered
    Eigen::Index gridSize = 400;
    // A LOWESS fit of the same sample and settings from an earlier picture: LOWESS does not depend on h,
    // and it is the slowest fit, so a bandwidth change reuses it.
    std::shared_ptr<const Lowess> reusableLowess;
    std::uint64_t requestNumber = 0;
};

struct FittedCurve {
    LocalFitMethod method = LocalFitMethod::NadarayaWatson;
    LocalFit fit; // at LocalFitsPicture::grid
};

// The featured fit ± σ̂·sqrt(Σ_i l_i(x)²) on the grid.
struct VariabilityBand {
    LocalFit center;
    Eigen::VectorXd halfWidth;           // 0 where the center has no value
    double noiseStandardDeviation = 0.0; // σ̂
    Eigen::Index noiseRows = 0;          // rows of the smoother matrix σ̂ was estimated from (n when exact)
    // σ̂ and Σ_i l_i(x)² from a binned fit (BinnedLocalRegression), over all n rows: the approximate
    // picture's band, and the exact picture's beyond bandPointLimit points.
    bool binned = false;
};

// The local model fitted at x*: ŷ(x) = Σ_t β_t (x − x*)^t, with its support.
struct LocalModel {
    Eigen::VectorXd coefficients; // β_0 … β_p; β_0 is the fitted value at x*
    LocalFitStatus status = LocalFitStatus::NoSupport;
    double supportLow = 0.0; // where the model is drawn: the kernel's reach around x*
    double supportHigh = 0.0;

    double valueAt(double x, double center) const;
};

struct QueryPicture {
    std::uint64_t requestNumber = 0;
    double x = 0.0;
    LocalFitMethod featured = LocalFitMethod::LocalLinear;
    // The featured method's weight of every data point (K(x*, x_i), for LOWESS tricube × robustness),
    // divided by the largest, so in [0, 1]; all zero when no point has weight.
    Eigen::VectorXd relativeWeights;
    double logWeightSum = -std::numeric_limits<double>::infinity(); // log Σ_i K(x*, x_i) with k(0) = 1; −∞
                                                                    // when every weight is 0
    double effectivePointCount = 0.0;     // (Σ w)² / Σ w²
    Eigen::Index pointsWithWeight = 0;    // w_i > 0
    Eigen::Index distinctXWithWeight = 0; // distinct x among them; counted only when the fit is Regularized
    LocalEstimate estimate;               // the featured method's fit at x*, from core
    std::optional<LocalModel> model;      // the local polynomial or line behind that fit
    double standardError = -1.0;          // σ̂·sqrt(Σ l_i(x*)²); negative when there is no band
    // The other shown methods' fits at x*, for comparing them in the formula panel.
    std::vector<std::pair<LocalFitMethod, LocalEstimate>> shownEstimates;
    Eigen::MatrixX2d kernelCurve; // the featured weighting as a function of x, drawn in the kernel strip
    std::string problem;          // a sentence for the user when the fit at x* is missing or degenerate
};

struct LocalFitsPicture {
    std::uint64_t requestNumber = 0;
    // False when the kernel methods' curves and the band were read from binned fits (the first, fast
    // picture of a change for a large sample). The fitted models, and so every query at x*, are exact.
    bool exact = true;
    Eigen::Index binnedGridSize = 0; // nodes of the binned fits when not exact
    std::shared_ptr<const RegressionSample> sample;
    RadialKernel kernel{KernelProfile::Gaussian};
    double bandwidth = 0.1;
    LocalFitMethod featured = LocalFitMethod::LocalLinear;
    LowessSettings lowess;
    Eigen::VectorXd grid;
    std::vector<FittedCurve> curves; // the shown methods, in the order of localFitMethods()
    std::optional<VariabilityBand> band;
    // The fitted models every query reuses: regressions[p] fits degree p (null when not needed).
    std::array<std::shared_ptr<const LocalRegression>, 4> regressions;
    std::shared_ptr<const Lowess> lowessFit; // null when LOWESS is neither shown nor featured
    PlotBox box;
    std::vector<std::string> notes; // problems with the data or the fit as a whole, one sentence each
    std::shared_ptr<const QueryPicture> initialQuery; // at FitsRequest::queryX

    const FittedCurve* curve(LocalFitMethod method) const;
    const LinearSmoother* smoother(LocalFitMethod method) const;
};

// Beyond this many points the exact band is left to binned fits: its standard errors need the smoother
// weights of every point at every x of the curve.
constexpr Eigen::Index exactBandPointLimit = 10000;

std::shared_ptr<const LocalFitsPicture> computeLocalFitsPicture(const FitsRequest& request,
                                                                Progress& progress);
// The same picture with the kernel methods' curves and the band from binned local polynomial fits
// (core/local/binned_local_regression.hpp): tens of milliseconds for 100,000 points instead of seconds.
// LOWESS is drawn only from request.reusableLowess (it does not depend on h); the fitted models and the
// initial query are exact. picture->exact is false.
std::shared_ptr<const LocalFitsPicture> computeApproximateLocalFitsPicture(const FitsRequest& request,
                                                                           Progress& progress);

// The fits at one x*, from a picture's models. Never throws for a missing fit: that is a problem text.
std::shared_ptr<const QueryPicture> computeQueryPicture(const LocalFitsPicture& picture, double x,
                                                        std::uint64_t requestNumber);

struct CrossValidationRequest {
    std::shared_ptr<const RegressionSample> sample;
    RadialKernel kernel{KernelProfile::Gaussian};
    int degree = 1;
    // Leave-one-out costs n fits per bandwidth; larger samples are evenly thinned to this many points.
    Eigen::Index pointLimit = 1000;
    int gridSize = 30;
    std::uint64_t requestNumber = 0;
};

struct CrossValidationPicture {
    std::uint64_t requestNumber = 0;
    std::shared_ptr<const RegressionSample> sample;
    RadialKernel kernel{KernelProfile::Gaussian};
    int degree = 1;
    CrossValidationCurve curve;
    Eigen::Index pointsUsed = 0;
};

// Throws std::domain_error when no bandwidth of the grid gives a defined error.
std::shared_ptr<const CrossValidationPicture>
computeCrossValidationPicture(const CrossValidationRequest& request, Progress& progress);

} // namespace locallab
