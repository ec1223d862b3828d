#include "locallab/local/binned_local_regression.hpp"

#include "locallab/density/binned_density.hpp"
#include "locallab/local/local_regression.hpp"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <stdexcept>
#include <string>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <unsupported/Eigen/FFT>

namespace locallab {

namespace {

constexpr int largestSize = maximumMomentDegree + 1;
using SmallMatrix =
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor, largestSize, largestSize>;
using SmallVector = Eigen::Matrix<double, Eigen::Dynamic, 1, Eigen::ColMajor, largestSize, 1>;
// Moments of one node side by side: row m holds node m's S_0 … S_2p (or T_0 … T_p, or Q_0 … Q_2p).
using MomentTable = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
constexpr Eigen::Index nodeGrain = 64;

void checkData(const Eigen::VectorXd& x, const Eigen::VectorXd& y, double bandwidth, Eigen::Index gridSize) {
    if (x.size() == 0) {
        throw std::invalid_argument("binned local regression needs at least one data point");
    }
    if (x.size() != y.size()) {
        throw std::invalid_argument("binned local regression: " + std::to_string(x.size()) +
                                    " x values but " + std::to_string(y.size()) + " responses");
    }
    if (!x.allFinite() || !y.allFinite()) {
        throw std::invalid_argument("binned local regression: the data contain NaN or infinite values");
    }
    if (!(bandwidth > 0.0) || !std::isfinite(bandwidth)) {
        throw std::invalid_argument("binned local regression: the bandwidth must be a positive number");
    }
    if (gridSize == 1 || gridSize < 0) {
        throw std::invalid_argument("binned local regression: the grid needs at least 2 nodes");
    }
}

void checkSettings(const BinnedLocalRegressionSettings& settings) {
    if (!(settings.bandwidth > 0.0) || !std::isfinite(settings.bandwidth)) {
        throw std::invalid_argument("binned local regression: the bandwidth must be a positive number");
    }
    if (settings.degree < 0 || settings.degree > BinnedLocalRegression::maximumDegree) {
        throw std::invalid_argument("binned local regression: the degree must be between 0 and " +
                                    std::to_string(BinnedLocalRegression::maximumDegree));
    }
}

GridAxis gridOver(const Eigen::VectorXd& x, double bandwidth, Eigen::Index size) {
    GridAxis axis;
    axis.minimum = x.minCoeff();
    axis.maximum = x.maxCoeff();
    if (!(axis.maximum > axis.minimum)) { // every x the same: a grid reaching one h either way
        axis.minimum -= bandwidth;
        axis.maximum += bandwidth;
    }
    axis.size = size;
    return axis;
}

// The kernel sampled at the node offsets 0 … reach (it is even): k(z²) with z = offset·spacing/h, cut to 0
// where it falls below the tolerance.
Eigen::VectorXd sampledKernel(const RadialKernel& kernel, Eigen::Index reach, double step,
                              double cutSquared) {
    Eigen::VectorXd values(reach + 1);
    for (Eigen::Index offset = 0; offset <= reach; ++offset) {
        const double z = static_cast<double>(offset) * step;
        values(offset) = z * z <= cutSquared ? kernel.value(z * z) : 0.0;
    }
    return values;
}

// taps(k + reach, j) = w(|k|)·z_k^j for the offsets k = −reach … reach, z_k = k·step.
Eigen::MatrixXd momentTaps(const Eigen::VectorXd& weights, double step, int powers) {
    const Eigen::Index reach = weights.size() - 1;
    Eigen::MatrixXd taps(2 * reach + 1, powers);
    for (Eigen::Index k = -reach; k <= reach; ++k) {
        const double z = static_cast<double>(k) * step;
        double value = weights(std::abs(k));
        for (int j = 0; j < powers; ++j) {
            taps(k + reach, j) = value;
            value *= z;
        }
    }
    return taps;
}

// out(m, j) = Σ_k data(m + k)·taps(k + reach, j), summed directly over the offsets inside the grid.
void correlateDirectly(const Eigen::VectorXd& data, const Eigen::MatrixXd& taps, MomentTable& out,
                       Progress& progress) {
    const Eigen::Index nodes = data.size();
    const Eigen::Index reach = (taps.rows() - 1) / 2;
    out.resize(nodes, taps.cols());
    tbb::parallel_for(tbb::blocked_range<Eigen::Index>(0, nodes, nodeGrain),
                      [&](const tbb::blocked_range<Eigen::Index>& block) {
                          progress.checkCanceled();
                          for (Eigen::Index m = block.begin(); m < block.end(); ++m) {
                              const Eigen::Index low = std::max(-reach, -m);
                              const Eigen::Index high = std::min(reach, nodes - 1 - m);
                              const Eigen::Index length = high - low + 1;
                              out.row(m).noalias() = data.segment(m + low, length).transpose() *
                                                     taps.middleRows(reach + low, length);
                          }
                      });
}

// The same through FFTs of a length that keeps the circular correlation from wrapping around.
void correlateByFourier(const Eigen::VectorXd& data, const Eigen::MatrixXd& taps, MomentTable& out,
                        Progress& progress) {
    using Complex = std::complex<double>;
    const Eigen::Index nodes = data.size();
    const Eigen::Index reach = (taps.rows() - 1) / 2;
    Eigen::Index length = fastFourierLength(nodes + reach);
    while (length % 4 != 0) { // kissfft's real transforms are fastest for multiples of 4
        length = fastFourierLength(length + 1);
    }
    const auto half = static_cast<std::size_t>(length / 2 + 1);
    std::vector<Complex> dataSpectrum(half);
    {
        Eigen::FFT<double> fft;
        fft.SetFlag(Eigen::FFT<double>::HalfSpectrum);
        std::vector<double> padded(static_cast<std::size_t>(length), 0.0);
        std::copy(data.data(), data.data() + nodes, padded.begin());
        fft.fwd(dataSpectrum.data(), padded.data(), length);
    }
    progress.checkCanceled();
    out.resize(nodes, taps.cols());
    tbb::parallel_for(Eigen::Index{0}, taps.cols(), [&](Eigen::Index j) {
        progress.checkCanceled();
        Eigen::FFT<double> fft;
        fft.SetFlag(Eigen::FFT<double>::HalfSpectrum);
        // A correlation is a convolution with the reversed taps: offset k is stored at −k (mod length).
        std::vector<double> reversed(static_cast<std::size_t>(length), 0.0);
        for (Eigen::Index k = -reach; k <= reach; ++k) {
            reversed[static_cast<std::size_t>((length - k) % length)] = taps(k + reach, j);
        }
        std::vector<Complex> spectrum(half);
        fft.fwd(spectrum.data(), reversed.data(), length);
        for (std::size_t f = 0; f < half; ++f) {
            spectrum[f] *= dataSpectrum[f];
        }
        std::vector<double> result(static_cast<std::size_t>(length));
        fft.inv(result.data(), spectrum.data(), length);
        for (Eigen::Index m = 0; m < nodes; ++m) {
            out(m, j) = result[static_cast<std::size_t>(m)];
        }
    });
}

LocalFitStatus worse(LocalFitStatus a, LocalFitStatus b) {
    return static_cast<int>(a) >= static_cast<int>(b) ? a : b;
}

} // namespace

LocalPolynomialSolution solveLocalPolynomialFromMoments(int degree, const double* moments,
                                                        const double* responseMoments,
                                                        const double* squaredMoments) {
    if (degree < 0 || degree > maximumMomentDegree) {
        throw std::invalid_argument("a local polynomial from moments has a degree between 0 and " +
                                    std::to_string(maximumMomentDegree));
    }
    LocalPolynomialSolution solution;
    if (degree == 0) { // the local mean, computed as LocalRegression computes it
        solution.value = responseMoments[0] / moments[0];
        solution.coefficients = LocalCoefficients::Constant(1, solution.value);
        solution.leverage = 1.0 / moments[0];
        if (squaredMoments) {
            solution.weightNorm = squaredMoments[0] / (moments[0] * moments[0]);
        }
        return solution;
    }
    const Eigen::Index parameters = degree + 1;
    SmallMatrix normalMatrix(parameters, parameters);
    SmallVector scale(parameters);
    for (Eigen::Index a = 0; a < parameters; ++a) {
        for (Eigen::Index b = 0; b < parameters; ++b) {
            normalMatrix(a, b) = moments[a + b];
        }
        scale(a) = normalMatrix(a, a) > 0.0 ? std::sqrt(normalMatrix(a, a)) : 1.0;
    }
    SmallMatrix scaled = scale.cwiseInverse().asDiagonal() * normalMatrix * scale.cwiseInverse().asDiagonal();
    Eigen::LDLT<SmallMatrix> factorization(scaled);
    const bool wellConditioned = factorization.info() == Eigen::Success && factorization.isPositive() &&
                                 factorization.vectorD().minCoeff() >=
                                     LocalRegression::conditionLimit * factorization.vectorD().maxCoeff() &&
                                 factorization.rcond() >= LocalRegression::conditionLimit;
    if (!wellConditioned) {
        scaled.diagonal().tail(parameters - 1).array() += LocalRegression::ridgeSize;
        factorization.compute(scaled);
        solution.status = LocalFitStatus::Regularized;
    }
    // u = G⁻¹e₁: ŷ = uᵀb, l(x_i) = w_i φ_iᵀu, Σ l_i² = uᵀQu, and a point at x* has l = w·u₀.
    const Eigen::Map<const SmallVector> response(responseMoments, parameters);
    SmallVector unit = SmallVector::Zero(parameters);
    unit(0) = 1.0 / scale(0);
    const SmallVector firstRowOfInverse = factorization.solve(unit).cwiseQuotient(scale);
    solution.value = firstRowOfInverse.dot(response);
    solution.leverage = firstRowOfInverse(0);
    solution.coefficients = factorization.solve(response.cwiseQuotient(scale)).cwiseQuotient(scale);
    if (squaredMoments) {
        double norm = 0.0;
        for (Eigen::Index a = 0; a < parameters; ++a) {
            for (Eigen::Index b = 0; b < parameters; ++b) {
                norm += firstRowOfInverse(a) * squaredMoments[a + b] * firstRowOfInverse(b);
            }
        }
        solution.weightNorm = std::max(0.0, norm);
    }
    return solution;
}

struct BinnedLocalRegression::NodeSolution {
    double value = 0.0;
    LocalFitStatus status = LocalFitStatus::NoSupport;
    double weightNorm = 0.0; // Σ_i l_i²
    double leverage = 0.0;   // k(0)·u₀
};

struct BinnedLocalRegression::Moments {
    MomentTable counts;        // S_0 … S_2p
    MomentTable responses;     // T_0 … T_p
    MomentTable squaredCounts; // Q_0 … Q_2p (weight norms only)
};

Eigen::Index BinnedLocalRegression::gridSizeFor(const Eigen::VectorXd& x, double bandwidth) {
    if (x.size() == 0 || !(bandwidth > 0.0)) {
        return minimumGridSize;
    }
    const GridAxis range = gridOver(x, bandwidth, 2);
    const double cells = std::ceil((range.maximum - range.minimum) / (bandwidth / cellsPerBandwidth));
    const double nodes =
        std::clamp(cells + 1.0, static_cast<double>(minimumGridSize), static_cast<double>(maximumGridSize));
    return static_cast<Eigen::Index>(nodes);
}

BinnedSample::BinnedSample(Eigen::VectorXd x, Eigen::VectorXd y, double bandwidth, Eigen::Index gridSize)
    : x_((checkData(x, y, bandwidth, gridSize), std::move(x))), y_(std::move(y)) {
    grid_ =
        gridOver(x_, bandwidth, gridSize > 0 ? gridSize : BinnedLocalRegression::gridSizeFor(x_, bandwidth));
    const Eigen::MatrixXd points = x_;
    counts_ = linearBinning(points, {grid_});
    responseSums_ = linearBinning(points, {grid_}, y_);
}

BinnedLocalRegression::BinnedLocalRegression(const Eigen::VectorXd& x, const Eigen::VectorXd& y,
                                             BinnedLocalRegressionSettings settings, Progress& progress)
    : BinnedLocalRegression(
          (checkSettings(settings), progress.checkCanceled(),
           std::make_shared<const BinnedSample>(x, y, settings.bandwidth, settings.gridSize)),
          settings, progress) {}

BinnedLocalRegression::BinnedLocalRegression(std::shared_ptr<const BinnedSample> sample,
                                             BinnedLocalRegressionSettings settings, Progress& progress)
    : settings_((checkSettings(settings), std::move(settings))), sample_(std::move(sample)) {
    settings_.gridSize = sample_->grid().size;
    progress.report(0.1);
    progress.checkCanceled();
    const double reachInBandwidths = std::sqrt(settings_.kernel.supportSquared(settings_.relativeTolerance));
    const double nodesPerReach = reachInBandwidths * nodesPerBandwidth();
    const Eigen::Index nodes = grid().size;
    reach_ = std::isfinite(nodesPerReach)
                 ? std::min(static_cast<Eigen::Index>(std::ceil(nodesPerReach)), nodes - 1)
                 : nodes - 1;
    const Moments moments = convolve(progress);
    progress.report(0.5);
    fitNodes(moments, progress);
    if (settings_.weightNorms) {
        estimateNoise();
    }
    progress.report(1.0);
}

Eigen::VectorXd BinnedLocalRegression::gridNodes() const {
    return Eigen::VectorXd::LinSpaced(grid().size, grid().minimum, grid().maximum);
}

BinnedLocalRegression::Moments BinnedLocalRegression::convolve(Progress& progress) {
    const int degree = settings_.degree;
    const double step = 1.0 / nodesPerBandwidth();
    const double cutSquared = settings_.kernel.supportSquared(settings_.relativeTolerance);
    const Eigen::VectorXd kernel = sampledKernel(settings_.kernel, reach_, step, cutSquared);
    const Eigen::MatrixXd taps = momentTaps(kernel, step, 2 * degree + 1);
    const Eigen::Index tapCount = 2 * reach_ + 1;
    usedFourier_ = settings_.convolution == BinnedConvolution::Fourier ||
                   (settings_.convolution == BinnedConvolution::Automatic && tapCount > directTapLimit);
    const auto correlate = [&](const Eigen::VectorXd& data, const Eigen::MatrixXd& columns,
                               MomentTable& out) {
        if (usedFourier_) {
            correlateByFourier(data, columns, out, progress);
        } else {
            correlateDirectly(data, columns, out, progress);
        }
    };
    Moments moments;
    correlate(sample_->counts(), taps, moments.counts);
    correlate(sample_->responseSums(), taps.leftCols(degree + 1), moments.responses);
    if (settings_.weightNorms) {
        correlate(sample_->counts(), momentTaps(kernel.cwiseAbs2(), step, 2 * degree + 1),
                  moments.squaredCounts);
    }
    return moments;
}

BinnedLocalRegression::NodeSolution
BinnedLocalRegression::solveFromMoments(const double* moments, const double* responseMoments,
                                        const double* squaredMoments) const {
    const LocalPolynomialSolution local =
        solveLocalPolynomialFromMoments(settings_.degree, moments, responseMoments, squaredMoments);
    return {local.value, local.status, local.weightNorm, local.leverage};
}

BinnedLocalRegression::NodeSolution BinnedLocalRegression::solveDirectlyAt(double target) const {
    // Weights relative to the largest, from log-weights: the kernel decreases away from the target, so the
    // largest weight belongs to the nearest occupied bin on either side, and the sums stop on each side where
    // the weight drops below the tolerance relative to it.
    const double h = settings_.bandwidth;
    const GridAxis& grid = sample_->grid();
    const Eigen::VectorXd& counts = sample_->counts();
    const Eigen::VectorXd& responseSums = sample_->responseSums();
    const Eigen::Index nodes = grid.size;
    const auto logWeightOf = [&](Eigen::Index bin) {
        const double z = (grid.coordinate(bin) - target) / h;
        return settings_.kernel.logValue(z * z);
    };
    const double position = (target - grid.minimum) / grid.spacing();
    const Eigen::Index split =
        static_cast<Eigen::Index>(std::clamp(std::floor(position), -1.0, static_cast<double>(nodes - 1)));
    Eigen::Index left = split;
    while (left >= 0 && counts(left) == 0.0) {
        --left;
    }
    Eigen::Index right = split + 1;
    while (right < nodes && counts(right) == 0.0) {
        ++right;
    }
    double largest = -std::numeric_limits<double>::infinity();
    if (left >= 0) {
        largest = std::max(largest, logWeightOf(left));
    }
    if (right < nodes) {
        largest = std::max(largest, logWeightOf(right));
    }
    if (!std::isfinite(largest)) {
        return {};
    }
    const double logCut = settings_.relativeTolerance > 0.0 ? std::log(settings_.relativeTolerance)
                                                            : -std::numeric_limits<double>::infinity();
    const int degree = settings_.degree;
    double moments[2 * largestSize - 1] = {};
    double responseMoments[largestSize] = {};
    double squaredMoments[2 * largestSize - 1] = {};
    const auto add = [&](Eigen::Index bin) {
        const double relative = logWeightOf(bin) - largest;
        if (!(relative >= logCut)) {
            return false;
        }
        if (counts(bin) == 0.0) {
            return true;
        }
        const double weight = std::exp(relative);
        const double z = (grid.coordinate(bin) - target) / h;
        double power = 1.0;
        for (int j = 0; j <= 2 * degree; ++j) {
            moments[j] += weight * counts(bin) * power;
            squaredMoments[j] += weight * weight * counts(bin) * power;
            if (j <= degree) {
                responseMoments[j] += weight * responseSums(bin) * power;
            }
            power *= z;
        }
        return true;
    };
    for (Eigen::Index bin = left; bin >= 0 && add(bin); --bin) {
    }
    for (Eigen::Index bin = right; bin < nodes && add(bin); ++bin) {
    }
    NodeSolution solution = solveFromMoments(moments, responseMoments, squaredMoments);
    // The relative weights are the absolute ones divided by e^largest, and so is G: u₀ is e^largest too
    // small.
    solution.leverage *= std::exp(-largest);
    return solution;
}

void BinnedLocalRegression::fitNodes(const Moments& moments, Progress& progress) {
    const Eigen::Index nodes = grid().size;
    nodeFit_.values = Eigen::VectorXd::Zero(nodes);
    nodeFit_.statuses.assign(static_cast<std::size_t>(nodes), LocalFitStatus::NoSupport);
    if (settings_.weightNorms) {
        nodeWeightNorms_ = Eigen::VectorXd::Zero(nodes);
        nodeLeverages_ = Eigen::VectorXd::Zero(nodes);
    }
    const double trusted =
        usedFourier_ ? std::max(negligibleWeight, fourierNoise * sample_->counts().sum()) : negligibleWeight;
    tbb::parallel_for(tbb::blocked_range<Eigen::Index>(0, nodes, nodeGrain),
                      [&](const tbb::blocked_range<Eigen::Index>& block) {
                          progress.checkCanceled();
                          for (Eigen::Index m = block.begin(); m < block.end(); ++m) {
                              const NodeSolution solution =
                                  moments.counts(m, 0) >= trusted
                                      ? solveFromMoments(&moments.counts(m, 0), &moments.responses(m, 0),
                                                         settings_.weightNorms ? &moments.squaredCounts(m, 0)
                                                                               : nullptr)
                                      : solveDirectlyAt(grid().coordinate(m));
                              nodeFit_.values(m) = solution.value;
                              nodeFit_.statuses[static_cast<std::size_t>(m)] = solution.status;
                              if (settings_.weightNorms) {
                                  nodeWeightNorms_(m) = solution.weightNorm;
                                  nodeLeverages_(m) = solution.leverage;
                              }
                          }
                      });
}

std::optional<std::pair<Eigen::Index, double>> BinnedLocalRegression::cellOf(double target) const {
    const GridAxis& grid = sample_->grid();
    const double position = (target - grid.minimum) / grid.spacing();
    if (!(position >= 0.0 && position <= static_cast<double>(grid.size - 1))) {
        return std::nullopt;
    }
    const Eigen::Index lower = std::min(static_cast<Eigen::Index>(position), grid.size - 2);
    return std::pair{lower, position - static_cast<double>(lower)};
}

LocalFit BinnedLocalRegression::fit(const Eigen::VectorXd& targets) const {
    LocalFit result;
    result.values = Eigen::VectorXd::Zero(targets.size());
    result.statuses.assign(static_cast<std::size_t>(targets.size()), LocalFitStatus::NoSupport);
    for (Eigen::Index k = 0; k < targets.size(); ++k) {
        const auto cell = cellOf(targets(k));
        if (cell && nodeFit_.hasValue(cell->first) && nodeFit_.hasValue(cell->first + 1)) {
            const auto [lower, fraction] = *cell;
            result.values(k) =
                (1.0 - fraction) * nodeFit_.values(lower) + fraction * nodeFit_.values(lower + 1);
            result.statuses[static_cast<std::size_t>(k)] =
                worse(nodeFit_.statuses[static_cast<std::size_t>(lower)],
                      nodeFit_.statuses[static_cast<std::size_t>(lower + 1)]);
        } else { // off the grid, or where the support of the data ends
            const NodeSolution solution = solveDirectlyAt(targets(k));
            result.values(k) = solution.value;
            result.statuses[static_cast<std::size_t>(k)] = solution.status;
        }
    }
    return result;
}

LocalFit BinnedLocalRegression::standardErrors(const Eigen::VectorXd& targets, double noiseVariance) const {
    if (!settings_.weightNorms) {
        throw std::logic_error("binned local regression: standard errors need settings.weightNorms");
    }
    const double noiseLevel = std::sqrt(std::max(0.0, noiseVariance));
    LocalFit result;
    result.values = Eigen::VectorXd::Zero(targets.size());
    result.statuses.assign(static_cast<std::size_t>(targets.size()), LocalFitStatus::NoSupport);
    for (Eigen::Index k = 0; k < targets.size(); ++k) {
        const auto cell = cellOf(targets(k));
        if (cell && nodeFit_.hasValue(cell->first) && nodeFit_.hasValue(cell->first + 1)) {
            const auto [lower, fraction] = *cell;
            const double norm =
                (1.0 - fraction) * nodeWeightNorms_(lower) + fraction * nodeWeightNorms_(lower + 1);
            result.values(k) = noiseLevel * std::sqrt(norm);
            result.statuses[static_cast<std::size_t>(k)] =
                worse(nodeFit_.statuses[static_cast<std::size_t>(lower)],
                      nodeFit_.statuses[static_cast<std::size_t>(lower + 1)]);
        } else {
            const NodeSolution solution = solveDirectlyAt(targets(k));
            if (solution.status != LocalFitStatus::NoSupport) {
                result.values(k) = noiseLevel * std::sqrt(solution.weightNorm);
            }
            result.statuses[static_cast<std::size_t>(k)] = solution.status;
        }
    }
    return result;
}

void BinnedLocalRegression::estimateNoise() {
    const Eigen::VectorXd& x = sample_->x();
    const Eigen::VectorXd& counts = sample_->counts();
    NoiseVarianceEstimate estimate;
    const LocalFit fitted = fit(x);
    estimate.residualSumOfSquares = (sample_->y() - fitted.values).squaredNorm();
    // Σ_i f(x_i) for f linear between the nodes is Σ_l c_l f(g_l): the binned counts weight the nodes.
    for (Eigen::Index m = 0; m < counts.size(); ++m) {
        if (counts(m) != 0.0) {
            estimate.traceSmoother += counts(m) * nodeLeverages_(m);
            estimate.traceSmootherSquared += counts(m) * nodeWeightNorms_(m);
        }
    }
    estimate.residualDegreesOfFreedom =
        static_cast<double>(x.size()) - 2.0 * estimate.traceSmoother + estimate.traceSmootherSquared;
    if (!(estimate.residualDegreesOfFreedom > 0.0) || !std::isfinite(estimate.residualDegreesOfFreedom)) {
        noiseProblem_ = "the fit interpolates the data (no residual degrees of freedom)";
        return;
    }
    estimate.variance = estimate.residualSumOfSquares / estimate.residualDegreesOfFreedom;
    noise_ = estimate;
}

NoiseVarianceEstimate BinnedLocalRegression::noiseVariance() const {
    if (!settings_.weightNorms) {
        throw std::logic_error("binned local regression: the noise variance needs settings.weightNorms");
    }
    if (!noise_) {
        throw std::domain_error("noise variance: " + noiseProblem_);
    }
    return *noise_;
}

} // namespace locallab
