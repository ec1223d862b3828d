#include "explorers/local_fits_picture.hpp"

#include "locallab/data/generator_registry.hpp"
#include "locallab/kernel/bandwidth_rules.hpp"
#include "locallab/local/binned_local_regression.hpp"
#include "locallab/local/noise_variance.hpp"
#include "locallab/util/progress.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <numeric>
#include <stdexcept>

namespace locallab {

namespace {

// LOWESS costs about n·f·n operations per pass and the noise estimate n² kernel evaluations; beyond these
// sizes they would hold up every bandwidth change for seconds, so they are left out with a note.
constexpr Eigen::Index lowessPointLimit = 10000;
// σ̂ is estimated from at most this many rows of the smoother matrix (all of them for smaller samples).
constexpr Eigen::Index exactNoiseRows = 1000;
// The local model is drawn where the kernel is above this fraction of its peak (infinite-support kernels).
constexpr double drawnSupportTolerance = 0.05;
constexpr Eigen::Index kernelCurveSamples = 240;
// LOWESS's constants, as statsmodels and core/local/lowess use them.
constexpr double lowessSmallestCountedWeight = 1e-12;
constexpr double lowessSmallestSpread = 1e-12;

std::string number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.4g", value);
    return text;
}

std::string percent(double fraction) {
    char text[32];
    std::snprintf(text, sizeof text, "%.0f%%", 100.0 * fraction);
    return text;
}

Eigen::MatrixXd asColumn(const Eigen::VectorXd& values) {
    return Eigen::MatrixXd(values);
}

Eigen::Index distinctCount(const Eigen::VectorXd& values) {
    std::vector<double> sorted(values.data(), values.data() + values.size());
    std::sort(sorted.begin(), sorted.end());
    return static_cast<Eigen::Index>(std::unique(sorted.begin(), sorted.end()) - sorted.begin());
}

std::vector<LocalFitMethod> methodsNeeded(const FitsRequest& request) {
    std::vector<LocalFitMethod> needed;
    for (const LocalFitMethod method : localFitMethods()) {
        const bool shown = std::find(request.shownMethods.begin(), request.shownMethods.end(), method) !=
                           request.shownMethods.end();
        if (shown || method == request.featured) {
            needed.push_back(method);
        }
    }
    return needed;
}

PlotBox plotBoxAround(const RegressionSample& sample) {
    const double xLow = sample.x.minCoeff();
    const double xHigh = sample.x.maxCoeff();
    const double yLow = sample.y.minCoeff();
    const double yHigh = sample.y.maxCoeff();
    const double xRange = xHigh > xLow ? xHigh - xLow : std::max(1.0, std::abs(xLow));
    const double yRange = yHigh > yLow ? yHigh - yLow : std::max(1.0, std::abs(yLow));
    PlotBox box;
    box.xMinimum = xLow - 0.03 * xRange;
    box.xMaximum = xHigh + 0.03 * xRange;
    box.yMaximum = yHigh + 0.08 * yRange;
    // The kernel strip starts below the data and its peak reaches into their lower part: the hump sits
    // under the points it weights.
    box.yMinimum = yLow - 0.15 * yRange;
    box.kernelHeight = 0.35 * yRange;
    return box;
}

// x values that occur more than once with different y.
struct Duplicates {
    Eigen::Index count = 0;
    double exampleX = 0.0;
    double exampleY1 = 0.0;
    double exampleY2 = 0.0;
};

Duplicates conflictingDuplicates(const RegressionSample& sample) {
    std::vector<Eigen::Index> order(static_cast<std::size_t>(sample.x.size()));
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](Eigen::Index a, Eigen::Index b) { return sample.x(a) < sample.x(b); });
    Duplicates found;
    for (std::size_t start = 0; start < order.size();) {
        std::size_t end = start + 1;
        bool differs = false;
        while (end < order.size() && sample.x(order[end]) == sample.x(order[start])) {
            differs = differs || sample.y(order[end]) != sample.y(order[start]);
            if (differs && found.count == 0) {
                found.exampleX = sample.x(order[start]);
                found.exampleY1 = sample.y(order[start]);
                found.exampleY2 = sample.y(order[end]);
            }
            ++end;
        }
        found.count += differs ? 1 : 0;
        start = end;
    }
    return found;
}

// What the notes on the data need. No parameter changes it, and it sorts all n x's, which would cost
// every bandwidth change of a large sample milliseconds: it is kept for the last few samples.
struct SampleFacts {
    Eigen::Index distinctX = 0;
    Duplicates duplicates;
};

std::shared_ptr<const SampleFacts> factsOf(const std::shared_ptr<const RegressionSample>& sample) {
    static std::mutex mutex;
    static std::vector<std::pair<std::weak_ptr<const RegressionSample>, std::shared_ptr<const SampleFacts>>>
        known;
    constexpr std::size_t kept = 4;
    {
        const std::lock_guard lock(mutex);
        for (const auto& [owner, facts] : known) {
            if (owner.lock() == sample) {
                return facts;
            }
        }
    }
    auto facts = std::make_shared<SampleFacts>();
    facts->distinctX = distinctCount(sample->x);
    facts->duplicates = conflictingDuplicates(*sample);
    const std::lock_guard lock(mutex);
    std::erase_if(known, [](const auto& entry) { return entry.first.expired(); });
    if (known.size() >= kept) {
        known.erase(known.begin());
    }
    known.emplace_back(sample, facts);
    return facts;
}

void noteDataProblems(const std::shared_ptr<const RegressionSample>& sample,
                      const std::vector<LocalFitMethod>& methods, std::vector<std::string>& notes) {
    const std::shared_ptr<const SampleFacts> facts = factsOf(sample);
    const Eigen::Index distinct = facts->distinctX;
    for (const LocalFitMethod method : methods) {
        const Eigen::Index parameters = localFitDegree(method) + 1;
        if (method != LocalFitMethod::Lowess && distinct < parameters) {
            notes.push_back("The " + localFitMethodLabel(method) + " fit has " + std::to_string(parameters) +
                            " coefficients but the data have only " + std::to_string(distinct) +
                            " distinct x value" + (distinct == 1 ? "" : "s") +
                            ": fewer points than parameters, so every local system is singular and a small "
                            "ridge (10⁻⁶) sets the undetermined coefficients to about 0.");
        }
    }
    const Duplicates& duplicates = facts->duplicates;
    if (duplicates.count > 0) {
        notes.push_back(std::to_string(duplicates.count) + " x value" + (duplicates.count == 1 ? "" : "s") +
                        " repeat with different y (x = " + number(duplicates.exampleX) +
                        " has y = " + number(duplicates.exampleY1) + " and " + number(duplicates.exampleY2) +
                        "): no curve passes through both, so the fit runs between them; with h much "
                        "smaller than the spacing of x the local models there are singular.");
    }
}

void noteCurveProblems(const LocalFitsPicture& picture, std::vector<std::string>& notes) {
    // The kernel methods share h, so their gaps are the same stretches of x: one sentence names them all.
    std::string missingMethods;
    double missingFraction = 0.0;
    for (const FittedCurve& curve : picture.curves) {
        const double size = static_cast<double>(std::max<Eigen::Index>(1, curve.fit.size()));
        const Eigen::Index missing = curve.fit.count(LocalFitStatus::NoSupport);
        const Eigen::Index ridged = curve.fit.count(LocalFitStatus::Regularized);
        if (missing > 0) {
            missingMethods += (missingMethods.empty() ? "" : ", ") + localFitMethodLabel(curve.method);
            missingFraction = std::max(missingFraction, static_cast<double>(missing) / size);
        }
        if (ridged > 0 && curve.method != LocalFitMethod::Lowess) {
            notes.push_back("The " + localFitMethodLabel(curve.method) + " system was singular at " +
                            percent(static_cast<double>(ridged) / size) +
                            " of the curve (fewer distinct x in the window than coefficients); a small "
                            "ridge kept it finite there.");
        }
    }
    if (!missingMethods.empty()) {
        notes.insert(notes.begin(), "No data point has positive weight over " + percent(missingFraction) +
                                        " of the range of x (" + std::string(picture.kernel.name()) +
                                        " kernel, h = " + number(picture.bandwidth) + "): the curves (" +
                                        missingMethods +
                                        ") leave those stretches out. Widen h to "
                                        "bridge the gaps.");
    }
}

LocalFit fitOnGrid(const LocalFitsPicture& picture, LocalFitMethod method, Progress& progress) {
    if (method == LocalFitMethod::Lowess) {
        return picture.lowessFit->evaluate(picture.grid, progress);
    }
    return picture.regressions[static_cast<std::size_t>(localFitDegree(method))]->fit(asColumn(picture.grid),
                                                                                      progress);
}

// σ̂² = Σ r_i² / (n − 2 tr L + tr LᵀL), as estimateNoiseVariance computes it, but from evenly spaced rows
// when there are many: each row costs a fit over all n points, and the three sums are averages that a
// thousand rows estimate well. With every row it is exactly core's estimate.
NoiseVarianceEstimate noiseFromRows(const LinearSmoother& smoother, Eigen::Index rows, Progress& progress) {
    const Eigen::Index n = smoother.size();
    if (rows >= n) {
        return estimateNoiseVariance(smoother, progress);
    }
    const Eigen::VectorXd& responses = smoother.responses();
    NoiseVarianceEstimate estimate;
    for (Eigen::Index k = 0; k < rows; ++k) {
        if (k % 64 == 0) {
            progress.checkCanceled();
        }
        const Eigen::Index row = k * n / rows;
        const SmootherWeights weights = smoother.weightsAtDataPoint(row);
        if (weights.status == LocalFitStatus::NoSupport) {
            throw std::domain_error(
                "some data points have no fit (no other point within the kernel's support)");
        }
        const double residual = responses(row) - weights.apply(responses);
        estimate.residualSumOfSquares += residual * residual;
        estimate.traceSmoother += weights.weightOf(row);
        estimate.traceSmootherSquared += weights.sumOfSquares();
    }
    estimate.residualDegreesOfFreedom =
        static_cast<double>(rows) - 2.0 * estimate.traceSmoother + estimate.traceSmootherSquared;
    if (!(estimate.residualDegreesOfFreedom > 0.0)) {
        throw std::domain_error("the fit interpolates the data (no residual degrees of freedom)");
    }
    estimate.variance = estimate.residualSumOfSquares / estimate.residualDegreesOfFreedom;
    return estimate;
}

// "No variability band: <why>." from a noise estimate that failed.
void noteMissingBand(LocalFitsPicture& picture, const std::domain_error& problem) {
    std::string reason = problem.what();
    const std::string prefix = "noise variance: ";
    if (reason.rfind(prefix, 0) == 0) {
        reason = reason.substr(prefix.size());
    }
    picture.notes.push_back("No variability band: " + reason + ".");
}

std::shared_ptr<const BinnedSample> binnedSampleOf(const LocalFitsPicture& picture) {
    return std::make_shared<const BinnedSample>(picture.sample->x, picture.sample->y, picture.bandwidth);
}

BinnedLocalRegression binnedFit(const LocalFitsPicture& picture, std::shared_ptr<const BinnedSample> binned,
                                int degree, bool weightNorms, Progress& progress) {
    BinnedLocalRegressionSettings settings;
    settings.kernel = picture.kernel;
    settings.bandwidth = picture.bandwidth;
    settings.degree = degree;
    settings.weightNorms = weightNorms;
    return BinnedLocalRegression(std::move(binned), settings, progress);
}

// The band from a binned fit of the featured method (with its weight norms): σ̂ over all n rows and
// σ̂·sqrt(Σ l_i(x)²) at the grid, around `center`.
void addBinnedBand(LocalFitsPicture& picture, const BinnedLocalRegression& binned, LocalFit center) {
    try {
        const NoiseVarianceEstimate noise = binned.noiseVariance();
        VariabilityBand band;
        band.center = std::move(center);
        band.halfWidth = binned.standardErrors(picture.grid, noise.variance).values;
        band.noiseStandardDeviation = std::sqrt(noise.variance);
        band.noiseRows = picture.sample->x.size();
        band.binned = true;
        picture.band = std::move(band);
    } catch (const std::domain_error& problem) {
        noteMissingBand(picture, problem);
    }
}

void addBand(LocalFitsPicture& picture, Progress& progress) {
    const LinearSmoother* smoother = picture.smoother(picture.featured);
    if (!smoother) {
        return; // the reason is already among the notes
    }
    const Eigen::Index n = picture.sample->x.size();
    const FittedCurve* shown = picture.curve(picture.featured);
    if (n > exactBandPointLimit) {
        if (picture.featured == LocalFitMethod::Lowess) {
            picture.notes.push_back("No variability band for LOWESS with more than " +
                                    std::to_string(exactBandPointLimit) +
                                    " points: its standard errors need the smoother weights of every point "
                                    "at every x of the curve.");
            return;
        }
        LocalFit center = shown ? shown->fit : fitOnGrid(picture, picture.featured, progress);
        addBinnedBand(
            picture,
            binnedFit(picture, binnedSampleOf(picture), localFitDegree(picture.featured), true, progress),
            std::move(center));
        return;
    }
    try {
        const Eigen::Index rows = std::min(n, exactNoiseRows);
        const NoiseVarianceEstimate noise = noiseFromRows(*smoother, rows, progress);
        VariabilityBand band;
        band.center = shown ? shown->fit : fitOnGrid(picture, picture.featured, progress);
        const LocalFit errors = standardErrors(*smoother, asColumn(picture.grid), noise.variance, progress);
        band.halfWidth = errors.values;
        band.noiseStandardDeviation = std::sqrt(noise.variance);
        band.noiseRows = rows;
        picture.band = std::move(band);
    } catch (const std::domain_error& problem) {
        noteMissingBand(picture, problem);
    }
}

double chooseBandwidth(const FitsRequest& request, std::vector<std::string>& notes) {
    if (request.bandwidthRule.empty()) {
        return request.bandwidth;
    }
    if (request.bandwidthRule != "silverman") {
        throw std::invalid_argument("unknown bandwidth rule '" + request.bandwidthRule + "'");
    }
    try {
        return equivalentBandwidth(request.kernel, robustSilvermanBandwidth(request.sample->x));
    } catch (const std::invalid_argument& problem) {
        notes.push_back(std::string("Silverman's rule could not be used (") + problem.what() +
                        "); h stays at " + number(request.bandwidth) + ".");
        return request.bandwidth;
    }
}

// The window LOWESS uses at a target (see core/local/lowess.hpp): the k consecutive sorted points that
// slide right while the target lies beyond the midpoint of their ends, and the distance to the farther end.
struct LowessWindow {
    std::vector<Eigen::Index> rows; // input rows in the window
    double radius = 0.0;
};

LowessWindow lowessWindow(const RegressionSample& sample, Eigen::Index neighborCount, double target) {
    std::vector<Eigen::Index> order(static_cast<std::size_t>(sample.x.size()));
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](Eigen::Index a, Eigen::Index b) { return sample.x(a) < sample.x(b); });
    const auto count = static_cast<Eigen::Index>(order.size());
    const Eigen::Index k = std::clamp<Eigen::Index>(neighborCount, 1, count);
    const auto sortedX = [&](Eigen::Index position) {
        return sample.x(order[static_cast<std::size_t>(position)]);
    };
    Eigen::Index left = 0;
    while (left + k < count && target > (sortedX(left) + sortedX(left + k)) / 2.0) {
        ++left;
    }
    LowessWindow window;
    for (Eigen::Index position = left; position < left + k; ++position) {
        window.rows.push_back(order[static_cast<std::size_t>(position)]);
    }
    window.radius = std::fmax(target - sortedX(left), sortedX(left + k - 1) - target);
    return window;
}

double tricube(double distance) {
    const double inner = 1.0 - distance * distance * distance;
    return distance < 1.0 ? inner * inner * inner : 0.0;
}

// One pass over the data at x*: every point's kernel weight relative to the largest, computed from
// log-weights as KernelNeighborhood computes them (so a tiny h whose weights all underflow still gives
// their ratios), and the moments of the local polynomials up to a degree, in z = x_i/h − x*/h as
// LocalRegression's whitened coordinates. Every kernel method's fit at x* is solved from these moments
// (solveLocalPolynomialFromMoments, LocalRegression's solve), so a move of x* costs one pass over the
// data for all methods, the weights drawn and the standard error together.
struct KernelWeightsAt {
    Eigen::VectorXd relative; // K(x*, x_i) / max_j K(x*, x_j), in [0, 1]
    double largestLogWeight = -HUGE_VAL;
    double sum = 0.0;                                                 // Σ relative
    double squaredSum = 0.0;                                          // Σ relative²
    std::array<double, 2 * maximumMomentDegree + 1> moments{};        // S_j = Σ w z^j
    std::array<double, maximumMomentDegree + 1> responseMoments{};    // T_j = Σ w y z^j
    std::array<double, 2 * maximumMomentDegree + 1> squaredMoments{}; // Q_j = Σ w² z^j

    bool hasWeight() const { return sum > 0.0; }
};

KernelWeightsAt kernelWeightsAt(const LocalFitsPicture& picture, double x, int degree) {
    const RegressionSample& sample = *picture.sample;
    const Eigen::Index n = sample.x.size();
    const double h = picture.bandwidth;
    const double whitenedX = x / h;
    KernelWeightsAt weights;
    weights.relative.resize(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        const double z = sample.x(i) / h - whitenedX;
        weights.relative(i) = picture.kernel.logValue(z * z);
        weights.largestLogWeight = std::max(weights.largestLogWeight, weights.relative(i));
    }
    if (!std::isfinite(weights.largestLogWeight)) {
        weights.relative.setZero();
        return weights;
    }
    const int powers = 2 * degree;
    for (Eigen::Index i = 0; i < n; ++i) {
        const double w = std::exp(weights.relative(i) - weights.largestLogWeight);
        weights.relative(i) = w;
        if (!(w > 0.0)) {
            continue;
        }
        weights.sum += w;
        weights.squaredSum += w * w;
        const double z = sample.x(i) / h - whitenedX;
        const double wy = w * sample.y(i);
        double power = 1.0;
        for (int j = 0; j <= powers; ++j) {
            weights.moments[static_cast<std::size_t>(j)] += w * power;
            weights.squaredMoments[static_cast<std::size_t>(j)] += w * w * power;
            if (j <= degree) {
                weights.responseMoments[static_cast<std::size_t>(j)] += wy * power;
            }
            power *= z;
        }
    }
    return weights;
}

std::optional<LocalPolynomialSolution> kernelFitAt(const KernelWeightsAt& weights, int degree) {
    if (!weights.hasWeight()) {
        return std::nullopt;
    }
    return solveLocalPolynomialFromMoments(degree, weights.moments.data(), weights.responseMoments.data(),
                                           weights.squaredMoments.data());
}

void fillLowessWeights(const LocalFitsPicture& picture, double x, QueryPicture& query, LowessWindow& window) {
    const RegressionSample& sample = *picture.sample;
    window = lowessWindow(sample, picture.lowessFit->neighborCount(), x);
    query.relativeWeights = Eigen::VectorXd::Zero(sample.x.size());
    if (!(window.radius > 0.0)) {
        return;
    }
    const Eigen::VectorXd& robustness = picture.lowessFit->robustnessWeights();
    for (const Eigen::Index row : window.rows) {
        query.relativeWeights(row) = tricube(std::abs(sample.x(row) - x) / window.radius) * robustness(row);
    }
    const double largest = query.relativeWeights.maxCoeff();
    if (!(largest > 0.0)) {
        return;
    }
    const double sum = query.relativeWeights.sum();
    query.logWeightSum = std::log(sum);
    query.effectivePointCount = sum * sum / query.relativeWeights.squaredNorm();
    query.relativeWeights /= largest;
}

// LOWESS's local line: the weighted mean of x and y and the weighted slope, with statsmodels' floor on the
// spread of x, so that β_0 + β_1·(x − x*) is the line whose value at x* LOWESS returns.
std::optional<LocalModel> lowessLine(const RegressionSample& sample, const Eigen::VectorXd& weights,
                                     const LowessWindow& window, double x) {
    double sum = 0.0;
    int counted = 0;
    for (const Eigen::Index row : window.rows) {
        sum += weights(row);
        counted += weights(row) > lowessSmallestCountedWeight ? 1 : 0;
    }
    if (counted < 2 || !(window.radius > 0.0)) {
        return std::nullopt;
    }
    double meanX = 0.0;
    double meanY = 0.0;
    for (const Eigen::Index row : window.rows) {
        meanX += weights(row) / sum * sample.x(row);
        meanY += weights(row) / sum * sample.y(row);
    }
    double spread = 0.0;
    double covariance = 0.0;
    for (const Eigen::Index row : window.rows) {
        spread += weights(row) / sum * (sample.x(row) - meanX) * (sample.x(row) - meanX);
        covariance += weights(row) / sum * (sample.x(row) - meanX) * (sample.y(row) - meanY);
    }
    spread = std::fmax(spread, lowessSmallestSpread);
    LocalModel model;
    model.status = LocalFitStatus::Fitted;
    const double slope = covariance / spread;
    model.coefficients.resize(2);
    model.coefficients << meanY + slope * (x - meanX), slope;
    model.supportLow = x - window.radius;
    model.supportHigh = x + window.radius;
    return model;
}

LocalEstimate estimateAt(const LocalFitsPicture& picture, const KernelWeightsAt& kernelWeights,
                         LocalFitMethod method, double x) {
    if (method == LocalFitMethod::Lowess) {
        if (!picture.lowessFit) {
            return {};
        }
        SilentProgress progress;
        const LocalFit fit = picture.lowessFit->evaluate(Eigen::VectorXd::Constant(1, x), progress);
        return {fit.values(0), fit.statuses[0]};
    }
    const auto fit = kernelFitAt(kernelWeights, localFitDegree(method));
    return fit ? LocalEstimate{fit->value, fit->status} : LocalEstimate{};
}

Eigen::MatrixX2d kernelCurveOf(const LocalFitsPicture& picture, double x, double reach,
                               const std::function<double(double)>& weightAt) {
    // Samples over the whole box and densely over the kernel's reach, so that a narrow hump is smooth.
    std::vector<double> positions;
    for (Eigen::Index k = 0; k < kernelCurveSamples; ++k) {
        const double fraction = static_cast<double>(k) / static_cast<double>(kernelCurveSamples - 1);
        positions.push_back(picture.box.xMinimum + fraction * (picture.box.xMaximum - picture.box.xMinimum));
        positions.push_back(x - reach + 2.0 * reach * fraction);
    }
    std::sort(positions.begin(), positions.end());
    Eigen::MatrixX2d curve(static_cast<Eigen::Index>(positions.size()), 2);
    Eigen::Index row = 0;
    for (const double position : positions) {
        if (position < picture.box.xMinimum || position > picture.box.xMaximum) {
            continue;
        }
        curve.row(row++) << position, picture.box.yMinimum + picture.box.kernelHeight * weightAt(position);
    }
    return curve.topRows(row);
}

void describeProblem(const LocalFitsPicture& picture, QueryPicture& query) {
    const std::string method = localFitMethodLabel(query.featured);
    const std::string at = "At x* = " + number(query.x) + " ";
    if (query.estimate.status == LocalFitStatus::NoSupport) {
        if (query.featured == LocalFitMethod::Lowess) {
            query.problem =
                at + "LOWESS has no fit: fewer than two points of its window have positive weight.";
            return;
        }
        const Eigen::VectorXd distances = (picture.sample->x.array() - query.x).abs().matrix();
        query.problem = at + "every weight is zero: the " + std::string(picture.kernel.name()) +
                        " kernel vanishes beyond h = " + number(picture.bandwidth) +
                        " and the nearest data point is " + number(distances.minCoeff()) +
                        " away. There is no local model here; widen h or move x*.";
        return;
    }
    const Eigen::Index parameters = localFitDegree(query.featured) + 1;
    if (query.estimate.status == LocalFitStatus::Regularized) {
        if (query.distinctXWithWeight < parameters) {
            query.problem = at + "only " + std::to_string(query.pointsWithWeight) + " point" +
                            (query.pointsWithWeight == 1 ? "" : "s") + " (" +
                            std::to_string(query.distinctXWithWeight) +
                            " distinct x) have positive weight, fewer than the " +
                            std::to_string(parameters) + " coefficients of the " + method +
                            " model: the local system is singular, and a small ridge sets the undetermined "
                            "coefficients to about 0.";
        } else {
            query.problem = at + "the " + method + " system is nearly singular (effectively " +
                            number(query.effectivePointCount) +
                            " points carry the weight); a small ridge was added. Widen h.";
        }
    }
}

} // namespace

const std::vector<LocalFitMethod>& localFitMethods() {
    static const std::vector<LocalFitMethod> methods = {
        LocalFitMethod::NadarayaWatson, LocalFitMethod::LocalLinear, LocalFitMethod::LocalQuadratic,
        LocalFitMethod::LocalCubic, LocalFitMethod::Lowess};
    return methods;
}

std::string localFitMethodKey(LocalFitMethod method) {
    switch (method) {
    case LocalFitMethod::NadarayaWatson:
        return "nadaraya-watson";
    case LocalFitMethod::LocalLinear:
        return "local-linear";
    case LocalFitMethod::LocalQuadratic:
        return "local-quadratic";
    case LocalFitMethod::LocalCubic:
        return "local-cubic";
    case LocalFitMethod::Lowess:
        break;
    }
    return "lowess";
}

std::string localFitMethodLabel(LocalFitMethod method) {
    switch (method) {
    case LocalFitMethod::NadarayaWatson:
        return "Nadaraya–Watson";
    case LocalFitMethod::LocalLinear:
        return "local linear";
    case LocalFitMethod::LocalQuadratic:
        return "local quadratic";
    case LocalFitMethod::LocalCubic:
        return "local cubic";
    case LocalFitMethod::Lowess:
        break;
    }
    return "LOWESS";
}

std::optional<LocalFitMethod> parseLocalFitMethod(std::string_view key) {
    for (const LocalFitMethod method : localFitMethods()) {
        if (localFitMethodKey(method) == key) {
            return method;
        }
    }
    return std::nullopt;
}

int localFitDegree(LocalFitMethod method) {
    switch (method) {
    case LocalFitMethod::NadarayaWatson:
        return 0;
    case LocalFitMethod::LocalQuadratic:
        return 2;
    case LocalFitMethod::LocalCubic:
        return 3;
    case LocalFitMethod::LocalLinear:
    case LocalFitMethod::Lowess:
        break;
    }
    return 1;
}

std::shared_ptr<const RegressionSample> builtInRegressionSample() {
    static const auto sample =
        std::make_shared<const RegressionSample>(regressionSampleOf(generate("noisy_function")));
    return sample;
}

ChosenRegressionSample chooseRegressionSample(const std::string& source, const Dataset* dataset) {
    const bool dataHaveTarget = dataset && dataset->target.has_value();
    if (source == regressionSourceNoisySine || (source == regressionSourceAuto && !dataHaveTarget)) {
        return {builtInRegressionSample(), {}, false};
    }
    if (!dataset) {
        return {nullptr, "The Data explorer has no data yet.", false};
    }
    try {
        return {std::make_shared<const RegressionSample>(regressionSampleOf(*dataset)), {}, false};
    } catch (const std::invalid_argument& problem) {
        return {nullptr, problem.what(), true};
    }
}

RegressionSample regressionSampleOf(const Dataset& dataset) {
    if (dataset.points.rows() == 0 || dataset.points.cols() == 0) {
        throw std::invalid_argument("there are no data points to fit");
    }
    RegressionSample sample;
    sample.x = dataset.points.col(0);
    sample.xName = dataset.columnNames.empty() ? "x" : dataset.columnNames[0];
    sample.origin = dataset.origin;
    if (dataset.target) {
        sample.y = *dataset.target;
        sample.yName = dataset.targetName.empty() ? "y" : dataset.targetName;
    } else if (dataset.points.cols() >= 2) {
        sample.y = dataset.points.col(1);
        sample.yName = dataset.columnNames.size() > 1 ? dataset.columnNames[1] : "y";
    } else {
        throw std::invalid_argument("the data have one column and no target: a regression needs a y, either "
                                    "a target column or a second column");
    }
    return sample;
}

double equivalentBandwidth(const RadialKernel& kernel, double gaussianBandwidth) {
    if (kernel.profile() == KernelProfile::Gaussian || kernel.profile() == KernelProfile::Cauchy) {
        return gaussianBandwidth;
    }
    // The kernel's standard deviation at h = 1: sqrt(∫ t² k(t²) dt / ∫ k(t²) dt), by the midpoint rule.
    const double reach = std::sqrt(kernel.supportSquared(1e-14));
    constexpr int steps = 20000;
    double mass = 0.0;
    double secondMoment = 0.0;
    for (int step = 0; step < steps; ++step) {
        const double t = reach * (static_cast<double>(step) + 0.5) / steps;
        const double k = kernel.value(t * t);
        mass += k;
        secondMoment += t * t * k;
    }
    return gaussianBandwidth / std::sqrt(secondMoment / mass);
}

double LocalModel::valueAt(double x, double center) const {
    double value = 0.0;
    for (Eigen::Index t = coefficients.size() - 1; t >= 0; --t) {
        value = value * (x - center) + coefficients(t);
    }
    return value;
}

const FittedCurve* LocalFitsPicture::curve(LocalFitMethod method) const {
    const auto found = std::find_if(curves.begin(), curves.end(),
                                    [&](const FittedCurve& curve) { return curve.method == method; });
    return found == curves.end() ? nullptr : &*found;
}

const LinearSmoother* LocalFitsPicture::smoother(LocalFitMethod method) const {
    if (method == LocalFitMethod::Lowess) {
        return lowessFit.get();
    }
    return regressions[static_cast<std::size_t>(localFitDegree(method))].get();
}

namespace {

// What both pictures share: the checks, h, the frame, the grid, the notes on the data and LOWESS (reused;
// fitted only for the exact picture), and for the exact picture the exact models of the curves and band.
std::shared_ptr<LocalFitsPicture> startPicture(const FitsRequest& request, bool exact, Progress& progress) {
    if (!request.sample || request.sample->x.size() == 0) {
        throw std::invalid_argument("there are no data points to fit");
    }
    const RegressionSample& sample = *request.sample;
    if (!sample.x.allFinite() || !sample.y.allFinite()) {
        throw std::invalid_argument("the data contain NaN or infinite values; remove those rows to fit");
    }
    auto picture = std::make_shared<LocalFitsPicture>();
    picture->requestNumber = request.requestNumber;
    picture->sample = request.sample;
    picture->kernel = request.kernel;
    picture->featured = request.featured;
    picture->lowess = request.lowess;
    picture->bandwidth = chooseBandwidth(request, picture->notes);
    picture->box = plotBoxAround(sample);
    picture->grid = Eigen::VectorXd::LinSpaced(request.gridSize, sample.x.minCoeff(), sample.x.maxCoeff());

    const std::vector<LocalFitMethod> needed = methodsNeeded(request);
    noteDataProblems(request.sample, needed, picture->notes);
    for (const LocalFitMethod method : needed) {
        if (method == LocalFitMethod::Lowess) {
            if (request.reusableLowess) {
                picture->lowessFit = request.reusableLowess;
            } else if (sample.x.size() > lowessPointLimit) {
                picture->notes.push_back("LOWESS is left out for more than " +
                                         std::to_string(lowessPointLimit) +
                                         " points (each of its fits visits f·n neighbours).");
            } else if (sample.x.size() < 2) {
                picture->notes.push_back("LOWESS needs at least two points.");
            } else if (exact) {
                picture->lowessFit =
                    std::make_shared<const Lowess>(sample.x, sample.y, request.lowess, progress);
            }
            continue;
        }
        if (!exact) {
            continue; // binned fits draw the curves; the query solves its own local systems
        }
        const auto degree = static_cast<std::size_t>(localFitDegree(method));
        LocalRegressionSettings settings;
        settings.kernel = request.kernel;
        settings.bandwidth = Bandwidth::scalar(picture->bandwidth);
        settings.degree = static_cast<int>(degree);
        picture->regressions[degree] =
            std::make_shared<const LocalRegression>(asColumn(sample.x), sample.y, settings);
    }
    return picture;
}

std::shared_ptr<const LocalFitsPicture> finishPicture(std::shared_ptr<LocalFitsPicture> picture,
                                                      const FitsRequest& request) {
    std::sort(picture->curves.begin(), picture->curves.end(),
              [](const FittedCurve& a, const FittedCurve& b) { return a.method < b.method; });
    noteCurveProblems(*picture, picture->notes);
    const double queryX = std::clamp(request.queryX, picture->box.xMinimum, picture->box.xMaximum);
    picture->initialQuery = computeQueryPicture(*picture, queryX, request.requestNumber);
    return picture;
}

} // namespace

std::shared_ptr<const LocalFitsPicture> computeLocalFitsPicture(const FitsRequest& request,
                                                                Progress& progress) {
    std::shared_ptr<LocalFitsPicture> picture = startPicture(request, true, progress);
    for (const LocalFitMethod method : request.shownMethods) {
        if (picture->smoother(method)) {
            picture->curves.push_back({method, fitOnGrid(*picture, method, progress)});
        }
    }
    if (request.band) {
        addBand(*picture, progress);
    }
    return finishPicture(std::move(picture), request);
}

std::shared_ptr<const LocalFitsPicture> computeApproximateLocalFitsPicture(const FitsRequest& request,
                                                                           Progress& progress) {
    std::shared_ptr<LocalFitsPicture> picture = startPicture(request, false, progress);
    picture->exact = false;
    // One binned fit per degree; the featured one also carries the weight norms the band needs.
    const bool bandWanted = request.band && picture->featured != LocalFitMethod::Lowess;
    const std::shared_ptr<const BinnedSample> binnedSample = binnedSampleOf(*picture);
    picture->binnedGridSize = binnedSample->grid().size;
    std::map<int, BinnedLocalRegression> binned;
    const auto binnedOf = [&](LocalFitMethod method) -> const BinnedLocalRegression& {
        const int degree = localFitDegree(method);
        auto found = binned.find(degree);
        if (found == binned.end()) {
            const bool weightNorms = bandWanted && degree == localFitDegree(picture->featured);
            found = binned.emplace(degree, binnedFit(*picture, binnedSample, degree, weightNorms, progress))
                        .first;
        }
        return found->second;
    };
    for (const LocalFitMethod method : request.shownMethods) {
        if (method == LocalFitMethod::Lowess) {
            if (picture->lowessFit) { // reused: no cost
                picture->curves.push_back({method, fitOnGrid(*picture, method, progress)});
            }
            continue;
        }
        picture->curves.push_back({method, binnedOf(method).fit(picture->grid)});
    }
    if (bandWanted) {
        const BinnedLocalRegression& featured = binnedOf(picture->featured);
        const FittedCurve* shown = picture->curve(picture->featured);
        addBinnedBand(*picture, featured, shown ? shown->fit : featured.fit(picture->grid));
    }
    return finishPicture(std::move(picture), request);
}

std::shared_ptr<const QueryPicture> computeQueryPicture(const LocalFitsPicture& picture, double x,
                                                        std::uint64_t requestNumber) {
    auto query = std::make_shared<QueryPicture>();
    query->requestNumber = requestNumber;
    query->x = x;
    query->featured = picture.featured;
    const RegressionSample& sample = *picture.sample;
    const bool lowess = picture.featured == LocalFitMethod::Lowess;
    if (lowess && !picture.lowessFit) {
        query->relativeWeights = Eigen::VectorXd::Zero(sample.x.size());
        query->problem = picture.exact ? "LOWESS has no fit for these data (see above)."
                                       : "LOWESS is fitted with the exact picture, on its way.";
        return query;
    }

    // The kernel methods' moments up to the highest degree shown or featured, in the same pass as the
    // weights of the featured one (for LOWESS, only the moments).
    int kernelDegree = lowess ? -1 : localFitDegree(picture.featured);
    for (const FittedCurve& curve : picture.curves) {
        if (curve.method != LocalFitMethod::Lowess) {
            kernelDegree = std::max(kernelDegree, localFitDegree(curve.method));
        }
    }
    KernelWeightsAt kernelWeights;
    if (kernelDegree >= 0) {
        kernelWeights = kernelWeightsAt(picture, x, kernelDegree);
    }
    LowessWindow window;
    if (lowess) {
        fillLowessWeights(picture, x, *query, window);
    } else {
        query->relativeWeights = std::move(kernelWeights.relative);
        if (kernelWeights.hasWeight()) {
            query->logWeightSum = kernelWeights.largestLogWeight + std::log(kernelWeights.sum);
            query->effectivePointCount = kernelWeights.sum * kernelWeights.sum / kernelWeights.squaredSum;
        }
    }
    query->pointsWithWeight = (query->relativeWeights.array() > 0.0).count();
    query->estimate = estimateAt(picture, kernelWeights, picture.featured, x);
    if (query->estimate.status == LocalFitStatus::Regularized) {
        // Only a singular fit needs the count, to say why; sorting every weighted x would cost a
        // dragged x* milliseconds on a large sample.
        Eigen::VectorXd weighted(query->pointsWithWeight);
        for (Eigen::Index i = 0, k = 0; i < sample.x.size(); ++i) {
            if (query->relativeWeights(i) > 0.0) {
                weighted(k++) = sample.x(i);
            }
        }
        query->distinctXWithWeight = distinctCount(weighted);
    }

    const double noiseVariance =
        picture.band ? picture.band->noiseStandardDeviation * picture.band->noiseStandardDeviation : 0.0;
    if (lowess) {
        query->model = lowessLine(sample, query->relativeWeights, window, x);
        const double radius = window.radius > 0.0 ? window.radius : 1.0;
        query->kernelCurve =
            kernelCurveOf(picture, x, radius, [&](double t) { return tricube(std::abs(t - x) / radius); });
        if (picture.band && query->estimate.hasValue()) {
            const SmootherWeights weights = picture.lowessFit->weightsAt(Eigen::VectorXd::Constant(1, x));
            query->standardError = std::sqrt(noiseVariance * weights.sumOfSquares());
        }
    } else {
        const double h = picture.bandwidth;
        const double reach = h * std::sqrt(picture.kernel.supportSquared(drawnSupportTolerance));
        if (const auto fit = kernelFitAt(kernelWeights, localFitDegree(picture.featured))) {
            // The polynomial in z = (x − x*)/h, turned into one in x − x*.
            LocalModel model;
            model.status = fit->status;
            model.coefficients = fit->coefficients;
            for (Eigen::Index t = 1; t < model.coefficients.size(); ++t) {
                model.coefficients(t) /= std::pow(h, static_cast<double>(t));
            }
            model.supportLow = x - reach;
            model.supportHigh = x + reach;
            query->model = std::move(model);
            if (picture.band) {
                query->standardError = std::sqrt(noiseVariance * fit->weightNorm);
            }
        }
        query->kernelCurve = kernelCurveOf(picture, x, reach, [&](double t) {
            const double z = (t - x) / h;
            return picture.kernel.value(z * z);
        });
    }
    for (const FittedCurve& curve : picture.curves) {
        if (curve.method != picture.featured) {
            query->shownEstimates.emplace_back(curve.method,
                                               estimateAt(picture, kernelWeights, curve.method, x));
        }
    }
    describeProblem(picture, *query);
    return query;
}

std::shared_ptr<const CrossValidationPicture>
computeCrossValidationPicture(const CrossValidationRequest& request, Progress& progress) {
    if (!request.sample || request.sample->x.size() < 2) {
        throw std::invalid_argument("cross-validation needs at least two points");
    }
    const RegressionSample& sample = *request.sample;
    const Eigen::Index n = sample.x.size();
    const Eigen::Index used = std::min(n, std::max<Eigen::Index>(2, request.pointLimit));
    Eigen::MatrixXd points(used, 1);
    Eigen::VectorXd responses(used);
    for (Eigen::Index k = 0; k < used; ++k) {
        const Eigen::Index row = k * n / used; // evenly thinned when the sample is large
        points(k, 0) = sample.x(row);
        responses(k) = sample.y(row);
    }
    LocalRegressionSettings settings;
    settings.kernel = request.kernel;
    settings.degree = request.degree;
    std::vector<double> bandwidths = defaultBandwidthGrid(points, request.gridSize);
    // The grid is made for the Gaussian's h; a compact kernel's radius must be correspondingly wider.
    const double widening = equivalentBandwidth(request.kernel, 1.0);
    for (double& h : bandwidths) {
        h *= widening;
    }
    auto picture = std::make_shared<CrossValidationPicture>();
    picture->requestNumber = request.requestNumber;
    picture->sample = request.sample;
    picture->kernel = request.kernel;
    picture->degree = request.degree;
    picture->pointsUsed = used;
    picture->curve = crossValidateBandwidth(points, responses, settings, bandwidths, progress);
    return picture;
}

} // namespace locallab
