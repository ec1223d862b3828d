#include "explorers/surface_fit_picture.hpp"

#include "locallab/kernel/bandwidth_rules.hpp"
#include "locallab/local/monomial_basis.hpp"
#include "locallab/local/regression_cross_validation.hpp"
#include "locallab/util/progress.hpp"
#include "locallab/widgets/nice_ticks.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <stdexcept>

namespace locallab {

namespace {

// The grid reaches this fraction of the data's extent beyond them on every side.
constexpr double gridMarginFraction = 0.05;
constexpr int contourLevelCount = 6;
constexpr int crossValidationBandwidths = 20;
// Below this ratio of the smallest to the largest eigenvalue a (scaled) moment matrix counts as singular:
// LocalRegression's own limit.
constexpr double singularRatio = LocalRegression::conditionLimit;

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

std::string plural(Eigen::Index count, const std::string& word) {
    return std::to_string(count) + " " + word + (count == 1 ? "" : "s");
}

// True when the symmetric positive semi-definite matrix, scaled to unit diagonal, has an eigenvalue below
// singularRatio times its largest (or a zero diagonal entry: a term that never varies).
bool isSingular(const Eigen::MatrixXd& moments) {
    const Eigen::VectorXd diagonal = moments.diagonal();
    if (!(diagonal.minCoeff() > 0.0)) {
        return true;
    }
    const Eigen::VectorXd inverseScale = diagonal.cwiseSqrt().cwiseInverse();
    const Eigen::MatrixXd scaled = inverseScale.asDiagonal() * moments * inverseScale.asDiagonal();
    const Eigen::VectorXd eigenvalues = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(scaled).eigenvalues();
    return eigenvalues.minCoeff() < singularRatio * eigenvalues.maxCoeff();
}

// Σ w_i φ(z_i)φ(z_i)ᵀ over the rows with positive weight, z the points centred and scaled per column.
Eigen::MatrixXd momentMatrix(const Eigen::MatrixXd& points, const Eigen::VectorXd& weights, int degree) {
    const MonomialBasis basis(2, degree);
    const Eigen::RowVector2d centre = points.colwise().mean();
    Eigen::RowVector2d spread = (points.rowwise() - centre).cwiseAbs().colwise().maxCoeff();
    for (Eigen::Index column = 0; column < 2; ++column) {
        spread(column) = spread(column) > 0.0 ? spread(column) : 1.0; // a constant column stays as it is
    }
    Eigen::MatrixXd moments = Eigen::MatrixXd::Zero(basis.size(), basis.size());
    std::vector<double> monomials;
    for (Eigen::Index i = 0; i < points.rows(); ++i) {
        if (!(weights(i) > 0.0)) {
            continue;
        }
        const Eigen::RowVector2d z = (points.row(i) - centre).cwiseQuotient(spread);
        basis.evaluate(z.data(), monomials);
        const Eigen::Map<const Eigen::VectorXd> phi(monomials.data(), basis.size());
        moments.noalias() += weights(i) * phi * phi.transpose();
    }
    return moments;
}

Eigen::Index distinctPointCount(const Eigen::MatrixXd& points) {
    std::vector<std::pair<double, double>> rows(static_cast<std::size_t>(points.rows()));
    for (Eigen::Index i = 0; i < points.rows(); ++i) {
        rows[static_cast<std::size_t>(i)] = {points(i, 0), points(i, 1)};
    }
    std::sort(rows.begin(), rows.end());
    return static_cast<Eigen::Index>(std::unique(rows.begin(), rows.end()) - rows.begin());
}

// The reason a local model of this degree is singular for every window over these points, if it is.
std::string globalDegeneracy(const Eigen::MatrixXd& points, SurfaceMethod method) {
    const int degree = surfaceMethodDegree(method);
    if (degree == 0) {
        return {}; // a local mean needs one point
    }
    const Eigen::Index parameters = MonomialBasis(2, degree).size();
    const std::string model =
        "The " + surfaceMethodLabel(method) + " model has " + plural(parameters, "coefficient");
    const Eigen::Index distinct = distinctPointCount(points);
    if (distinct < parameters) {
        return model + " but the data have only " + plural(distinct, "distinct point") +
               ": fewer points than parameters, so no window can determine them. Choose a lower degree "
               "(Nadaraya–Watson needs one point) or use more data.";
    }
    const Eigen::VectorXd ones = Eigen::VectorXd::Ones(points.rows());
    if (isSingular(momentMatrix(points, ones, 1))) {
        return "Every point lies on one line in the (x1, x2) plane: a local " +
               std::string(degree == 1 ? "plane" : "quadratic") +
               " cannot tell how y changes across that line, so every local system is singular. Use "
               "Nadaraya–Watson, or data that spread over the plane.";
    }
    if (isSingular(momentMatrix(points, ones, degree))) {
        return "Every point lies on one conic (a circle, an ellipse, a pair of lines, ...): " + model +
               " and these data cannot determine them, so every local system is singular. Use local "
               "linear, or data that fill the plane.";
    }
    return {};
}

// The points of a large sample evenly thinned to `limit`, for cross-validation.
Eigen::Index thinnedRows(Eigen::Index n, Eigen::Index limit, Eigen::Index k) {
    return n <= limit ? k : k * n / limit;
}

double crossValidatedBandwidth(const SurfaceRequest& request, std::string& origin, Progress& progress) {
    const SurfaceSample& sample = *request.sample;
    const Eigen::Index n = sample.points.rows();
    const Eigen::Index used = std::min(n, crossValidationPointLimit);
    Eigen::MatrixXd points(used, 2);
    Eigen::VectorXd y(used);
    for (Eigen::Index k = 0; k < used; ++k) {
        const Eigen::Index row = thinnedRows(n, crossValidationPointLimit, k);
        points.row(k) = sample.points.row(row);
        y(k) = sample.y(row);
    }
    LocalRegressionSettings settings;
    settings.kernel = request.kernel;
    settings.degree = surfaceMethodDegree(request.method);
    const CrossValidationCurve curve = crossValidateBandwidth(
        points, y, settings, defaultBandwidthGrid(points, crossValidationBandwidths), progress);
    origin = "h minimises the leave-one-out error over " + std::to_string(crossValidationBandwidths) +
             " bandwidths" +
             (used < n ? " (on " + std::to_string(used) + " of " + std::to_string(n) + " points)"
                       : std::string()) +
             ": CV(h) = " + number(curve.bestError());
    return curve.bestBandwidth();
}

double chooseBandwidth(const SurfaceRequest& request, std::string& origin, std::vector<std::string>& notes,
                       Progress& progress) {
    if (request.bandwidthRule.empty()) {
        return request.bandwidth;
    }
    try {
        if (request.bandwidthRule == scottRule) {
            origin = "h from Scott's rule, n^(−1/6)·σ̄ (σ̄ the geometric mean of the columns' σ)" +
                     std::string(request.kernel.profile() == KernelProfile::Gaussian
                                     ? ""
                                     : ", matched to the " + std::string(request.kernel.name()) + " kernel");
            return scottPlanarBandwidth(*request.sample, request.kernel);
        }
        if (request.bandwidthRule == crossValidationRule) {
            ProgressShare share(progress, 0.0, 0.5);
            return crossValidatedBandwidth(request, origin, share);
        }
    } catch (const std::domain_error& problem) {
        notes.push_back(std::string("Cross-validation could not choose h (") + problem.what() +
                        "); h stays at " + number(request.bandwidth) + ".");
        origin.clear();
        return request.bandwidth;
    } catch (const std::invalid_argument& problem) {
        notes.push_back(std::string("The rule could not be used (") + problem.what() + "); h stays at " +
                        number(request.bandwidth) + ".");
        origin.clear();
        return request.bandwidth;
    }
    throw std::invalid_argument("unknown bandwidth rule '" + request.bandwidthRule + "'");
}

Eigen::VectorXd nodesOver(double low, double high, Eigen::Index count) {
    const double extent = high > low ? high - low : std::max(1.0, std::abs(low));
    const double margin = gridMarginFraction * extent;
    return Eigen::VectorXd::LinSpaced(count, low - margin, high + margin);
}

void noteSurfaceProblems(const SurfacePicture& picture, const RadialKernel& kernel,
                         std::vector<std::string>& notes) {
    const auto nodes = static_cast<double>(picture.surface.size());
    if (picture.noSupportNodes > 0) {
        notes.push_back("No data point has positive weight over " +
                        percent(static_cast<double>(picture.noSupportNodes) / nodes) +
                        " of the plane (grey): the " + std::string(kernel.name()) +
                        " kernel vanishes beyond h = " + number(picture.bandwidth) +
                        " from every point there. Widen h to fill the gaps.");
    }
    if (picture.regularizedNodes > 0) {
        const Eigen::Index parameters = MonomialBasis(2, surfaceMethodDegree(picture.method)).size();
        notes.push_back("The " + surfaceMethodLabel(picture.method) + " system was singular at " +
                        percent(static_cast<double>(picture.regularizedNodes) / nodes) +
                        " of the grid (fewer than " + std::to_string(parameters) +
                        " points, or points on a line, within the kernel's reach): a small ridge (10⁻⁶) kept "
                        "the fit finite there. Widen h.");
    }
}

// The local polynomial at x* by weighted least squares, solved the way LocalRegression solves it (the
// unit-diagonal scaled normal matrix of z = (x − x*)/h, the same conditioning test and ridge), so that β_0
// is core's fit and the other coefficients are the slopes and curvatures behind it.
LocalSurfaceModel solveLocalModel(const SurfaceSample& sample, const Eigen::VectorXd& weights,
                                  const Eigen::Vector2d& position, double h, int degree) {
    const MonomialBasis basis(2, degree);
    const Eigen::Index parameters = basis.size();
    Eigen::MatrixXd normalMatrix = Eigen::MatrixXd::Zero(parameters, parameters);
    Eigen::VectorXd moments = Eigen::VectorXd::Zero(parameters);
    std::vector<double> monomials;
    for (Eigen::Index i = 0; i < sample.points.rows(); ++i) {
        if (!(weights(i) > 0.0)) {
            continue;
        }
        const Eigen::Vector2d z = (sample.points.row(i).transpose() - position) / h;
        basis.evaluate(z.data(), monomials);
        const Eigen::Map<const Eigen::VectorXd> phi(monomials.data(), parameters);
        normalMatrix.noalias() += weights(i) * phi * phi.transpose();
        moments.noalias() += weights(i) * sample.y(i) * phi;
    }
    LocalSurfaceModel model;
    model.status = LocalFitStatus::Fitted;
    Eigen::VectorXd scale = normalMatrix.diagonal().cwiseSqrt();
    for (Eigen::Index a = 0; a < parameters; ++a) {
        scale(a) = scale(a) > 0.0 ? scale(a) : 1.0; // a term that is zero on the window: the ridge sees to it
    }
    Eigen::MatrixXd scaled =
        scale.cwiseInverse().asDiagonal() * normalMatrix * scale.cwiseInverse().asDiagonal();
    Eigen::LDLT<Eigen::MatrixXd> factorization(scaled);
    const bool wellConditioned = factorization.info() == Eigen::Success && factorization.isPositive() &&
                                 factorization.vectorD().minCoeff() >=
                                     LocalRegression::conditionLimit * factorization.vectorD().maxCoeff() &&
                                 factorization.rcond() >= LocalRegression::conditionLimit;
    if (!wellConditioned && parameters > 1) {
        scaled.diagonal().tail(parameters - 1).array() += LocalRegression::ridgeSize;
        factorization.compute(scaled);
        model.status = LocalFitStatus::Regularized;
    }
    model.coefficients = factorization.solve(moments.cwiseQuotient(scale)).cwiseQuotient(scale);
    for (Eigen::Index t = 0; t < parameters; ++t) {
        const std::vector<int>& exponents = basis.exponents(t);
        model.exponents.push_back({exponents[0], exponents[1]});
        // Coefficients of z = (x − x*)/h turned into coefficients of x − x*.
        model.coefficients(t) /= std::pow(h, exponents[0] + exponents[1]);
    }
    return model;
}

void describeQueryProblem(const LocalRegression& regression, const SurfaceSample& sample,
                          QueryReadout& query) {
    const std::string at =
        "At x* = (" + number(query.position.x()) + ", " + number(query.position.y()) + ") ";
    const RadialKernel& kernel = regression.settings().kernel;
    if (!query.estimate.hasValue()) {
        const double nearest = std::sqrt(
            (sample.points.rowwise() - query.position.transpose()).rowwise().squaredNorm().minCoeff());
        query.problem = at + "every weight is zero: the " + std::string(kernel.name()) +
                        " kernel vanishes beyond h = " + number(regression.settings().bandwidth.size()) +
                        " and the nearest data point is " + number(nearest) +
                        " away. There is no local model here; widen h or move x*.";
        return;
    }
    if (query.estimate.status != LocalFitStatus::Regularized) {
        return;
    }
    const Eigen::Index parameters = regression.parameterCount();
    const std::string model =
        "the " + plural(parameters, "coefficient") + " of the " +
        std::string(regression.settings().degree == 1 ? "local plane" : "local quadratic");
    if (query.pointsWithWeight < parameters) {
        query.problem = at + "only " + plural(query.pointsWithWeight, "point") +
                        (query.pointsWithWeight == 1 ? " has" : " have") + " positive weight, fewer than " +
                        model +
                        ": the local system is singular, and a small ridge sets the undetermined "
                        "coefficients to about 0.";
    } else if (isSingular(momentMatrix(sample.points, query.relativeWeights, 1))) {
        query.problem = at + "the points with weight lie on one line: the slope across it is undetermined, "
                             "and a small ridge sets it to about 0. Widen h.";
    } else {
        query.problem = at + "the local system is nearly singular (effectively " +
                        number(query.effectivePointCount) +
                        " points carry the weight); a small ridge was "
                        "added. Widen h.";
    }
}

Eigen::MatrixXd gridTargets(const Eigen::VectorXd& x1Nodes, const Eigen::VectorXd& x2Nodes) {
    Eigen::MatrixXd targets(x1Nodes.size() * x2Nodes.size(), 2);
    for (Eigen::Index j = 0; j < x2Nodes.size(); ++j) {
        for (Eigen::Index i = 0; i < x1Nodes.size(); ++i) {
            targets.row(i + x1Nodes.size() * j) << x1Nodes(i), x2Nodes(j);
        }
    }
    return targets;
}

} // namespace

const std::vector<SurfaceMethod>& surfaceMethods() {
    static const std::vector<SurfaceMethod> methods = {
        SurfaceMethod::NadarayaWatson, SurfaceMethod::LocalLinear, SurfaceMethod::LocalQuadratic};
    return methods;
}

std::string surfaceMethodKey(SurfaceMethod method) {
    switch (method) {
    case SurfaceMethod::NadarayaWatson:
        return "nadaraya-watson";
    case SurfaceMethod::LocalQuadratic:
        return "local-quadratic";
    case SurfaceMethod::LocalLinear:
        break;
    }
    return "local-linear";
}

std::string surfaceMethodLabel(SurfaceMethod method) {
    switch (method) {
    case SurfaceMethod::NadarayaWatson:
        return "Nadaraya–Watson";
    case SurfaceMethod::LocalQuadratic:
        return "local quadratic";
    case SurfaceMethod::LocalLinear:
        break;
    }
    return "local linear";
}

std::optional<SurfaceMethod> parseSurfaceMethod(std::string_view key) {
    for (const SurfaceMethod method : surfaceMethods()) {
        if (surfaceMethodKey(method) == key) {
            return method;
        }
    }
    return std::nullopt;
}

int surfaceMethodDegree(SurfaceMethod method) {
    switch (method) {
    case SurfaceMethod::NadarayaWatson:
        return 0;
    case SurfaceMethod::LocalQuadratic:
        return 2;
    case SurfaceMethod::LocalLinear:
        break;
    }
    return 1;
}

SurfaceSampleOrProblem surfaceSampleFrom(const Dataset& dataset) {
    SurfaceSampleOrProblem result;
    if (dataset.empty()) {
        result.problem = "There are no data points to fit.";
        return result;
    }
    const bool hasTarget = dataset.target.has_value();
    if (dataset.dimension() < 2 || (!hasTarget && dataset.dimension() < 3)) {
        result.problem =
            "A surface fit needs two regressor columns and a y (a target column or a third column); "
            "these data have " +
            plural(dataset.dimension(), "column") + (hasTarget ? " and a target" : " and no target") +
            ". Generate a noisy surface in the Data explorer, or choose one of the built-in samples.";
        return result;
    }
    auto sample = std::make_shared<SurfaceSample>();
    sample->points = dataset.points.leftCols(2);
    const auto name = [&](std::size_t column, const char* fallback) {
        return column < dataset.columnNames.size() && !dataset.columnNames[column].empty()
                   ? dataset.columnNames[column]
                   : std::string(fallback);
    };
    sample->x1Name = name(0, "x1");
    sample->x2Name = name(1, "x2");
    if (hasTarget) {
        sample->y = *dataset.target;
        sample->yName = dataset.targetName.empty() ? "y" : dataset.targetName;
    } else {
        sample->y = dataset.points.col(2);
        sample->yName = name(2, "y");
    }
    if (!sample->points.allFinite() || !sample->y.allFinite()) {
        result.problem = "The data contain NaN or infinite values; remove those rows to fit a surface.";
        return result;
    }
    sample->origin = dataset.origin;
    result.sample = std::move(sample);
    return result;
}

double planarEquivalentBandwidth(const RadialKernel& kernel, double gaussianBandwidth) {
    if (kernel.profile() == KernelProfile::Gaussian || kernel.profile() == KernelProfile::Cauchy) {
        return gaussianBandwidth;
    }
    // The variance along one axis of the density ∝ k(‖t‖²) in the plane at h = 1:
    // ½ ∫ r³ k(r²) dr / ∫ r k(r²) dr, by the midpoint rule over the kernel's reach.
    const double reach = std::sqrt(kernel.supportSquared(1e-14));
    constexpr int steps = 20000;
    double mass = 0.0;
    double secondMoment = 0.0;
    for (int step = 0; step < steps; ++step) {
        const double r = reach * (static_cast<double>(step) + 0.5) / steps;
        const double k = kernel.value(r * r);
        mass += r * k;
        secondMoment += r * r * r * k;
    }
    return gaussianBandwidth / std::sqrt(0.5 * secondMoment / mass);
}

double scottPlanarBandwidth(const SurfaceSample& sample, const RadialKernel& kernel) {
    return planarEquivalentBandwidth(kernel, scottBandwidth(sample.points).perColumn.size());
}

double QueryReadout::weightSum() const {
    return std::exp(logWeightSum);
}

QueryReadout readQuery(const LocalRegression& regression, const SurfaceSample& sample,
                       const Eigen::Vector2d& position) {
    QueryReadout query;
    query.position = position;
    const RadialKernel& kernel = regression.settings().kernel;
    const double h = regression.settings().bandwidth.size();
    const Eigen::Index n = sample.points.rows();
    Eigen::VectorXd logWeights(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        logWeights(i) =
            kernel.logValue((sample.points.row(i).transpose() - position).squaredNorm() / (h * h));
    }
    const double largest = logWeights.maxCoeff();
    query.relativeWeights = Eigen::VectorXd::Zero(n);
    if (std::isfinite(largest)) {
        // std::exp, not Eigen's vectorised exp: that one clamps its argument, so exp(−∞) comes out as
        // 5.6e-309 instead of 0 and every point beyond a compact kernel's reach would count as weighing.
        query.relativeWeights =
            (logWeights.array() - largest).unaryExpr([](double v) { return std::exp(v); });
        const double sum = query.relativeWeights.sum();
        query.logWeightSum = largest + std::log(sum);
        query.effectivePointCount = sum * sum / query.relativeWeights.squaredNorm();
        query.pointsWithWeight = (query.relativeWeights.array() > 0.0).count();
    }
    query.estimate = regression.fitAt(position);
    if (query.estimate.hasValue()) {
        query.model =
            solveLocalModel(sample, query.relativeWeights, position, h, regression.settings().degree);
    }
    describeQueryProblem(regression, sample, query);
    return query;
}

std::vector<Eigen::MatrixX2d> contourSegments(const Eigen::MatrixXd& values, const Eigen::VectorXd& xs,
                                              const Eigen::VectorXd& ys, double level) {
    std::vector<Eigen::MatrixX2d> segments;
    // Where the level crosses the edge from corner a to corner b.
    const auto crossing = [&](const Eigen::Vector2d& a, double va, const Eigen::Vector2d& b, double vb) {
        const double t = (level - va) / (vb - va);
        return Eigen::Vector2d(a + t * (b - a));
    };
    const auto add = [&](const Eigen::Vector2d& from, const Eigen::Vector2d& to) {
        Eigen::MatrixX2d segment(2, 2);
        segment.row(0) = from.transpose();
        segment.row(1) = to.transpose();
        segments.push_back(std::move(segment));
    };
    for (Eigen::Index j = 0; j + 1 < values.cols(); ++j) {
        for (Eigen::Index i = 0; i + 1 < values.rows(); ++i) {
            // Corners counter-clockwise from the lower left.
            const std::array<Eigen::Vector2d, 4> corner = {
                Eigen::Vector2d(xs(i), ys(j)), Eigen::Vector2d(xs(i + 1), ys(j)),
                Eigen::Vector2d(xs(i + 1), ys(j + 1)), Eigen::Vector2d(xs(i), ys(j + 1))};
            const std::array<double, 4> value = {values(i, j), values(i + 1, j), values(i + 1, j + 1),
                                                 values(i, j + 1)};
            if (!std::all_of(value.begin(), value.end(), [](double v) { return std::isfinite(v); })) {
                continue;
            }
            // The edges (k, k + 1) whose ends lie on different sides of the level.
            std::vector<Eigen::Vector2d> points;
            for (std::size_t k = 0; k < 4; ++k) {
                const std::size_t next = (k + 1) % 4;
                if ((value[k] >= level) != (value[next] >= level)) {
                    points.push_back(crossing(corner[k], value[k], corner[next], value[next]));
                }
            }
            if (points.size() == 2) {
                add(points[0], points[1]);
            } else if (points.size() == 4) {
                // A saddle cell: the mean of the corners decides which corners the lines separate.
                const double centre = 0.25 * (value[0] + value[1] + value[2] + value[3]);
                const bool firstCornerAbove = value[0] >= level;
                if ((centre >= level) == firstCornerAbove) {
                    // Corner 0's side joins across the centre: the lines cut off corners 1 and 3.
                    add(points[0], points[1]);
                    add(points[2], points[3]);
                } else {
                    add(points[3], points[0]);
                    add(points[1], points[2]);
                }
            }
        }
    }
    return segments;
}

std::shared_ptr<const SurfacePicture> computeSurfacePicture(const SurfaceRequest& request,
                                                            Progress& progress) {
    const SurfaceSample& sample = *request.sample;
    if (const std::string problem = globalDegeneracy(sample.points, request.method); !problem.empty()) {
        throw std::invalid_argument(problem);
    }
    auto picture = std::make_shared<SurfacePicture>();
    picture->requestNumber = request.requestNumber;
    picture->sample = request.sample;
    picture->method = request.method;
    const bool ruleUsed = !request.bandwidthRule.empty();
    picture->bandwidth = chooseBandwidth(request, picture->bandwidthOrigin, picture->notes, progress);
    ProgressShare fitting(progress, ruleUsed && request.bandwidthRule == crossValidationRule ? 0.5 : 0.0,
                          ruleUsed && request.bandwidthRule == crossValidationRule ? 0.5 : 1.0);

    LocalRegressionSettings settings;
    settings.kernel = request.kernel;
    settings.bandwidth = Bandwidth::scalar(picture->bandwidth);
    settings.degree = surfaceMethodDegree(request.method);
    picture->regression = std::make_shared<const LocalRegression>(sample.points, sample.y, settings);

    const Eigen::Index nodes = std::max<Eigen::Index>(request.gridNodes, 2);
    picture->x1Nodes = nodesOver(sample.points.col(0).minCoeff(), sample.points.col(0).maxCoeff(), nodes);
    picture->x2Nodes = nodesOver(sample.points.col(1).minCoeff(), sample.points.col(1).maxCoeff(), nodes);
    const LocalFit fit = picture->regression->fit(gridTargets(picture->x1Nodes, picture->x2Nodes), fitting);
    picture->surface.resize(nodes, nodes);
    for (Eigen::Index target = 0; target < fit.size(); ++target) {
        const LocalFitStatus status = fit.statuses[static_cast<std::size_t>(target)];
        picture->surface(target % nodes, target / nodes) = status == LocalFitStatus::NoSupport
                                                               ? std::numeric_limits<double>::quiet_NaN()
                                                               : fit.values(target);
        picture->noSupportNodes += status == LocalFitStatus::NoSupport ? 1 : 0;
        picture->regularizedNodes += status == LocalFitStatus::Regularized ? 1 : 0;
    }
    progress.checkCanceled();

    picture->colorMinimum = sample.y.minCoeff();
    picture->colorMaximum = sample.y.maxCoeff();
    if (!(picture->colorMaximum > picture->colorMinimum)) {
        picture->colorMinimum -= 0.5;
        picture->colorMaximum += 0.5;
    }
    picture->contourLevels =
        niceTicks(picture->colorMinimum, picture->colorMaximum, contourLevelCount).values;
    for (const double level : picture->contourLevels) {
        auto segments = contourSegments(picture->surface, picture->x1Nodes, picture->x2Nodes, level);
        picture->contours.insert(picture->contours.end(), std::make_move_iterator(segments.begin()),
                                 std::make_move_iterator(segments.end()));
    }
    noteSurfaceProblems(*picture, request.kernel, picture->notes);
    if (request.query) {
        picture->query = readQuery(*picture->regression, sample, *request.query);
    }
    progress.report(1.0);
    return picture;
}

} // namespace locallab
