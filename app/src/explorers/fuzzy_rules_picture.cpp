#include "explorers/fuzzy_rules_picture.hpp"

#include "locallab/local/k_means.hpp"
#include "locallab/local/local_regression.hpp"
#include "locallab/util/progress.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace locallab {

namespace {

// A rule's line is drawn over c_r ± this many widths, with this many samples.
constexpr double ruleLineReachInWidths = 2.0;
constexpr Eigen::Index ruleLineSamples = 121;
// The smallest and largest width the panel offers; a rule of thumb stays inside.
constexpr double smallestWidth = 1e-4;
constexpr double largestWidth = 1e4;

Eigen::MatrixXd asColumn(const Eigen::VectorXd& values) {
    return Eigen::MatrixXd(values);
}

Eigen::VectorXd centresByKMeans(const FuzzyRulesRequest& request, FuzzyRulesPicture& picture,
                                Progress& progress) {
    KMeansSettings settings;
    settings.clusterCount = request.ruleCount;
    settings.seed = request.seed;
    try {
        const KMeansResult result = kMeans(asColumn(request.sample->x), settings, progress);
        picture.centresFromKMeans = true;
        picture.kMeansIterations = result.iterations;
        picture.kMeansInertia = result.inertia;
        // Rules numbered from left to right, as a reader counts them along x.
        Eigen::VectorXd centres = result.centres.col(0);
        std::sort(centres.begin(), centres.end());
        return centres;
    } catch (const std::invalid_argument& problem) {
        // k-means says it in its own words; the user asked for rules, so the sentence says rules.
        const Eigen::Index distinct = distinctRowCount(asColumn(request.sample->x));
        if (distinct < request.ruleCount) {
            throw std::invalid_argument("Takagi–Sugeno: placing " + std::to_string(request.ruleCount) +
                                        " rules needs as many distinct x values, but the data have " +
                                        std::to_string(distinct) + "; use fewer rules");
        }
        throw;
    }
}

std::vector<RuleLine> ruleLinesOf(const TakagiSugeno& system, const RulesPlotBox& box, double width) {
    std::vector<RuleLine> lines;
    SilentProgress progress;
    const Eigen::VectorXd centres = system.centres().col(0);
    for (Eigen::Index rule = 0; rule < system.ruleCount(); ++rule) {
        const double low = std::max(box.xMinimum, centres(rule) - ruleLineReachInWidths * width);
        const double high = std::min(box.xMaximum, centres(rule) + ruleLineReachInWidths * width);
        RuleLine line;
        if (high > low) {
            line.x = Eigen::VectorXd::LinSpaced(ruleLineSamples, low, high);
            const TakagiSugenoEvaluation evaluation = system.evaluate(asColumn(line.x), progress);
            line.y = evaluation.ruleOutputs.col(rule);
            line.strength = evaluation.firingStrengths.col(rule);
        }
        lines.push_back(std::move(line));
    }
    return lines;
}

NadarayaWatsonOverCentres compareWithNadarayaWatson(const FuzzyRulesPicture& picture, Progress& progress) {
    const TakagiSugeno& system = *picture.system;
    LocalRegressionSettings settings;
    settings.kernel = system.kernel();
    settings.bandwidth = Bandwidth::scalar(picture.width);
    settings.degree = 0;
    const LocalRegression overCentres(system.centres(), system.intercepts(), settings);
    NadarayaWatsonOverCentres comparison;
    comparison.fit = overCentres.fit(asColumn(picture.grid), progress);
    for (Eigen::Index k = 0; k < picture.grid.size(); ++k) {
        const bool nadarayaWatsonHasValue = comparison.fit.hasValue(k);
        const bool systemHasValue =
            picture.output.statuses[static_cast<std::size_t>(k)] != LocalFitStatus::NoSupport;
        if (nadarayaWatsonHasValue != systemHasValue) {
            ++comparison.statusMismatches;
        } else if (systemHasValue) {
            comparison.largestDifference = std::max(
                comparison.largestDifference, std::abs(comparison.fit.values(k) - picture.output.values(k)));
        }
    }
    return comparison;
}

} // namespace

std::string ruleOrderKey(RuleOrder order) {
    return order == RuleOrder::Zero ? "zero" : "first";
}

std::optional<RuleOrder> parseRuleOrder(std::string_view key) {
    if (key == "zero") {
        return RuleOrder::Zero;
    }
    if (key == "first") {
        return RuleOrder::First;
    }
    return std::nullopt;
}

std::string identificationKey(ConsequentIdentification identification) {
    return identification == ConsequentIdentification::Local ? "local" : "global";
}

std::optional<ConsequentIdentification> parseIdentification(std::string_view key) {
    if (key == "local") {
        return ConsequentIdentification::Local;
    }
    if (key == "global") {
        return ConsequentIdentification::Global;
    }
    return std::nullopt;
}

RulesPlotBox rulesPlotBoxAround(const RegressionSample& sample) {
    const double xLow = sample.x.minCoeff();
    const double xHigh = sample.x.maxCoeff();
    const double yLow = sample.y.minCoeff();
    const double yHigh = sample.y.maxCoeff();
    const double xRange = xHigh > xLow ? xHigh - xLow : std::max(1.0, std::abs(xLow));
    const double yRange = yHigh > yLow ? yHigh - yLow : std::max(1.0, std::abs(yLow));
    RulesPlotBox box;
    box.xMinimum = xLow - 0.03 * xRange;
    box.xMaximum = xHigh + 0.03 * xRange;
    box.yMaximum = yHigh + 0.08 * yRange;
    // The membership strip sits under the data, apart from them, so that the humps never hide a point.
    box.dataBottom = yLow - 0.08 * yRange;
    box.stripHeight = 0.38 * yRange;
    box.stripBase = box.dataBottom - 0.04 * yRange - box.stripHeight;
    box.yMinimum = box.stripBase - 0.07 * yRange; // room for the handles under the baseline
    return box;
}

double widthFromCentreSpacing(const Eigen::VectorXd& centres, const RegressionSample& sample,
                              const RadialKernel& kernel) {
    std::vector<double> sorted(centres.data(), centres.data() + centres.size());
    std::sort(sorted.begin(), sorted.end());
    const double range = sample.x.maxCoeff() - sample.x.minCoeff();
    double gaussianWidth = 0.25 * range;
    if (sorted.size() >= 2 && sorted.back() > sorted.front()) {
        gaussianWidth = 0.5 * (sorted.back() - sorted.front()) / static_cast<double>(sorted.size() - 1);
    }
    if (!(gaussianWidth > 0.0) || !std::isfinite(gaussianWidth)) {
        gaussianWidth = 1.0;
    }
    return std::clamp(equivalentBandwidth(kernel, gaussianWidth), smallestWidth, largestWidth);
}

std::shared_ptr<const FuzzyRulesPicture> computeFuzzyRulesPicture(const FuzzyRulesRequest& request,
                                                                  Progress& progress) {
    if (!request.sample || request.sample->x.size() == 0) {
        throw std::invalid_argument("Takagi–Sugeno: there are no data to identify the rules from");
    }
    auto picture = std::make_shared<FuzzyRulesPicture>();
    picture->requestNumber = request.requestNumber;
    picture->sample = request.sample;
    picture->kernel = request.kernel;
    picture->order = request.order;
    picture->identification = request.identification;
    picture->box = rulesPlotBoxAround(*request.sample);

    ProgressShare placing(progress, 0.0, 0.3);
    const Eigen::VectorXd centres =
        request.centres.size() > 0 ? request.centres : centresByKMeans(request, *picture, placing);
    picture->width = request.widthFromSpacing
                         ? widthFromCentreSpacing(centres, *request.sample, request.kernel)
                         : request.width;

    TakagiSugenoSettings settings;
    settings.kernel = request.kernel;
    settings.bandwidth = Bandwidth::scalar(picture->width);
    settings.order = request.order;
    settings.identification = request.identification;
    ProgressShare identifying(progress, 0.3, 0.2);
    picture->system = std::make_shared<const TakagiSugeno>(TakagiSugeno::identify(
        asColumn(centres), asColumn(request.sample->x), request.sample->y, settings, identifying));

    picture->grid =
        Eigen::VectorXd::LinSpaced(request.gridSize, picture->box.xMinimum, picture->box.xMaximum);
    ProgressShare evaluating(progress, 0.5, 0.4);
    picture->output = picture->system->evaluate(asColumn(picture->grid), evaluating);
    picture->memberships = picture->system->memberships(asColumn(picture->grid));
    progress.checkCanceled();
    picture->ruleLines = ruleLinesOf(*picture->system, picture->box, picture->width);
    ProgressShare comparing(progress, 0.9, 0.1);
    picture->nadarayaWatson = compareWithNadarayaWatson(*picture, comparing);
    picture->initialQuery = computeRulesQuery(*picture, request.queryX, 0);
    progress.report(1.0);
    return picture;
}

std::shared_ptr<const RulesQuery> computeRulesQuery(const FuzzyRulesPicture& picture, double x,
                                                    std::uint64_t requestNumber) {
    auto query = std::make_shared<RulesQuery>();
    query->requestNumber = requestNumber;
    query->x = x;
    const Eigen::MatrixXd target = Eigen::MatrixXd::Constant(1, 1, x);
    SilentProgress progress;
    const TakagiSugenoEvaluation evaluation = picture.system->evaluate(target, progress);
    query->memberships = picture.system->memberships(target).row(0).transpose();
    query->firingStrengths = evaluation.firingStrengths.row(0).transpose();
    query->ruleOutputs = evaluation.ruleOutputs.row(0).transpose();
    query->estimate = {evaluation.values(0), evaluation.statuses[0]};
    return query;
}

} // namespace locallab
