#include "locallab/local/takagi_sugeno.hpp"

#include "locallab/util/log_domain.hpp"
#include "parallel_targets.hpp"

#include <Eigen/QR>
#include <cmath>
#include <limits>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>

namespace locallab {

namespace {

constexpr double negativeInfinity = -std::numeric_limits<double>::infinity();
// A least-squares design whose columns, scaled to unit norm, have a pivot below this fraction of the
// largest (a condition number above 10⁸) does not determine its unknowns.
constexpr double rankThreshold = 1e-8;

using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// ||a − b||² summed coordinate by coordinate, in the order KernelNeighborhood sums it, so that a
// zero-order system and Nadaraya–Watson see bit-identical distances.
double squaredDistance(const double* a, const double* b, Eigen::Index dimensions) {
    double sum = 0.0;
    for (Eigen::Index column = 0; column < dimensions; ++column) {
        const double difference = a[column] - b[column];
        sum += difference * difference;
    }
    return sum;
}

std::string describePoint(const Eigen::RowVectorXd& point) {
    std::ostringstream text;
    text << '(';
    for (Eigen::Index column = 0; column < point.size(); ++column) {
        text << (column ? ", " : "") << point(column);
    }
    text << ')';
    return text.str();
}

std::string ruleName(const Eigen::MatrixXd& centres, Eigen::Index rule) {
    return "rule " + std::to_string(rule + 1) + " at " + describePoint(centres.row(rule));
}

void checkFinite(const Eigen::MatrixXd& values, const char* what) {
    if (!values.allFinite()) {
        throw std::invalid_argument(std::string("Takagi–Sugeno: the ") + what +
                                    " contain NaN or infinite values");
    }
}

// The solution of min ||design·β − rhs||², or nothing when the design's columns, scaled to unit norm,
// are (numerically) linearly dependent.
std::optional<Eigen::VectorXd> leastSquares(Eigen::MatrixXd design, const Eigen::VectorXd& rhs,
                                            Eigen::Index* rank) {
    Eigen::VectorXd scale = design.colwise().norm().transpose();
    for (Eigen::Index column = 0; column < scale.size(); ++column) {
        if (!(scale(column) > 0.0)) {
            scale(column) = 1.0; // a zero column: the rank test below reports it
        }
    }
    design *= scale.cwiseInverse().asDiagonal();
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> decomposition(design);
    decomposition.setThreshold(rankThreshold);
    *rank = decomposition.rank();
    if (*rank < design.cols()) {
        return std::nullopt;
    }
    return Eigen::VectorXd(decomposition.solve(rhs).cwiseQuotient(scale));
}

// log μ_r(x_i) of every point for one rule (whitened coordinates).
Eigen::ArrayXd logMemberships(const RowMajorMatrix& whitenedPoints, const Eigen::RowVectorXd& whitenedCentre,
                              const RadialKernel& kernel) {
    Eigen::ArrayXd logs(whitenedPoints.rows());
    for (Eigen::Index row = 0; row < whitenedPoints.rows(); ++row) {
        logs(row) = kernel.logValue(
            squaredDistance(whitenedPoints.row(row).data(), whitenedCentre.data(), whitenedPoints.cols()));
    }
    return logs;
}

struct Consequents {
    Eigen::VectorXd intercepts;
    Eigen::MatrixXd slopes;
};

// Each rule by weighted least squares with the weights μ_r(x_i), relative to the largest.
Consequents identifyLocally(const Eigen::MatrixXd& centres, const Eigen::MatrixXd& points,
                            const Eigen::VectorXd& responses, const TakagiSugenoSettings& settings,
                            Progress& progress) {
    const Eigen::Index rules = centres.rows();
    const Eigen::Index dimensions = centres.cols();
    const RowMajorMatrix whitenedPoints = settings.bandwidth.whiten(points);
    const Eigen::MatrixXd whitenedCentres = settings.bandwidth.whiten(centres);
    Consequents result{Eigen::VectorXd(rules), settings.order == RuleOrder::First
                                                   ? Eigen::MatrixXd(rules, dimensions)
                                                   : Eigen::MatrixXd()};
    for (Eigen::Index rule = 0; rule < rules; ++rule) {
        progress.checkCanceled();
        const Eigen::RowVectorXd centre = whitenedCentres.row(rule);
        const Eigen::ArrayXd logs = logMemberships(whitenedPoints, centre, settings.kernel);
        const double largest = logs.maxCoeff();
        if (largest == negativeInfinity) {
            throw std::invalid_argument("Takagi–Sugeno: " + ruleName(centres, rule) +
                                        " has no data point within its support, so local identification "
                                        "cannot fit its consequent; widen the bandwidth or move the rule");
        }
        const Eigen::ArrayXd weights = exponentiate(logs - largest);
        if (settings.order == RuleOrder::Zero) {
            result.intercepts(rule) = (weights * responses.array()).sum() / weights.sum();
        } else {
            const Eigen::ArrayXd roots = weights.sqrt();
            Eigen::MatrixXd design(points.rows(), dimensions + 1);
            design.col(0) = roots.matrix();
            design.rightCols(dimensions) = (points.rowwise() - centres.row(rule)).array().colwise() * roots;
            Eigen::Index rank = 0;
            const auto solution = leastSquares(design, (responses.array() * roots).matrix(), &rank);
            if (!solution) {
                throw std::invalid_argument(
                    "Takagi–Sugeno: " + ruleName(centres, rule) + " is not determined by the points it " +
                    "weighs (its local line needs " + std::to_string(dimensions + 1) +
                    " affinely independent points, found rank " + std::to_string(rank) +
                    "); widen the bandwidth, move the rule or use zero-order rules");
            }
            result.intercepts(rule) = (*solution)(0);
            result.slopes.row(rule) = solution->tail(dimensions).transpose();
        }
        progress.report(static_cast<double>(rule + 1) / static_cast<double>(rules));
    }
    return result;
}

void checkDistinctCentres(const Eigen::MatrixXd& centres) {
    for (Eigen::Index a = 0; a < centres.rows(); ++a) {
        for (Eigen::Index b = a + 1; b < centres.rows(); ++b) {
            if (centres.row(a) == centres.row(b)) {
                throw std::invalid_argument("Takagi–Sugeno: rules " + std::to_string(a + 1) + " and " +
                                            std::to_string(b + 1) + " have the same centre " +
                                            describePoint(centres.row(a)) +
                                            ", so global identification cannot tell their consequents apart");
            }
        }
    }
}

} // namespace

TakagiSugeno::TakagiSugeno(Eigen::MatrixXd centres, Eigen::VectorXd intercepts, Eigen::MatrixXd slopes,
                           RadialKernel kernel, Bandwidth bandwidth)
    : centres_(std::move(centres)), intercepts_(std::move(intercepts)), slopes_(std::move(slopes)),
      kernel_(kernel), bandwidth_(std::move(bandwidth)) {
    if (centres_.rows() == 0 || centres_.cols() == 0) {
        throw std::invalid_argument("a Takagi–Sugeno system needs at least one rule with a centre");
    }
    if (intercepts_.size() != centres_.rows()) {
        throw std::invalid_argument("Takagi–Sugeno: " + std::to_string(centres_.rows()) + " centres but " +
                                    std::to_string(intercepts_.size()) + " consequents");
    }
    if (slopes_.size() != 0 && (slopes_.rows() != centres_.rows() || slopes_.cols() != centres_.cols())) {
        throw std::invalid_argument("Takagi–Sugeno: the slopes must be one row of " +
                                    std::to_string(centres_.cols()) + " values per rule");
    }
    checkFinite(centres_, "centres");
    checkFinite(intercepts_, "consequents");
    checkFinite(slopes_, "slopes");
    bandwidth_.checkDimension(centres_.cols());
    whitenedCentres_ = bandwidth_.whiten(centres_);
}

TakagiSugeno TakagiSugeno::identify(Eigen::MatrixXd centres, const Eigen::MatrixXd& points,
                                    const Eigen::VectorXd& responses, const TakagiSugenoSettings& settings,
                                    Progress& progress) {
    if (points.rows() == 0) {
        throw std::invalid_argument("Takagi–Sugeno: identifying the consequents needs data points");
    }
    if (points.rows() != responses.size()) {
        throw std::invalid_argument("Takagi–Sugeno: " + std::to_string(points.rows()) + " points but " +
                                    std::to_string(responses.size()) + " responses");
    }
    if (points.cols() != centres.cols()) {
        throw std::invalid_argument("Takagi–Sugeno: the points have " + std::to_string(points.cols()) +
                                    " columns, the centres " + std::to_string(centres.cols()));
    }
    checkFinite(points, "data points");
    checkFinite(responses, "responses");
    // A system with placeholder consequents checks the centres and bandwidth and computes the strengths.
    const Eigen::Index rules = centres.rows();
    TakagiSugeno system(std::move(centres), Eigen::VectorXd::Zero(rules), Eigen::MatrixXd(), settings.kernel,
                        settings.bandwidth);
    const Eigen::MatrixXd& ruleCentres = system.centres_;
    const Eigen::Index dimensions = system.dimension();

    if (settings.identification == ConsequentIdentification::Local) {
        Consequents consequents = identifyLocally(ruleCentres, points, responses, settings, progress);
        system.intercepts_ = std::move(consequents.intercepts);
        system.slopes_ = std::move(consequents.slopes);
        return system;
    }

    checkDistinctCentres(ruleCentres);
    progress.checkCanceled();
    // Regressors of ŷ(x_i) = Σ_r w_r(x_i)·(b_r + a_rᵀ(x_i − c_r)), rule after rule: [w_r, w_r·(x_i − c_r)ᵀ].
    const Eigen::Index perRule = settings.order == RuleOrder::First ? dimensions + 1 : 1;
    Eigen::MatrixXd design(points.rows(), rules * perRule);
    Eigen::VectorXd strengths(rules);
    for (Eigen::Index row = 0; row < points.rows(); ++row) {
        const Eigen::VectorXd point = points.row(row).transpose();
        system.firingStrengthsAt(point, strengths); // a point no rule reaches gives a zero row
        for (Eigen::Index rule = 0; rule < rules; ++rule) {
            design(row, rule * perRule) = strengths(rule);
            if (perRule > 1) {
                design.row(row).segment(rule * perRule + 1, dimensions) =
                    strengths(rule) * (points.row(row) - ruleCentres.row(rule));
            }
        }
    }
    progress.checkCanceled();
    Eigen::Index rank = 0;
    const auto solution = leastSquares(design, responses, &rank);
    if (!solution) {
        throw std::invalid_argument(
            "Takagi–Sugeno: global identification cannot determine the " + std::to_string(design.cols()) +
            " consequent parameters of " + std::to_string(rules) + " rules from these data (rank " +
            std::to_string(rank) + "): use fewer rules, a wider bandwidth or local identification");
    }
    system.intercepts_.resize(rules);
    if (perRule > 1) {
        system.slopes_.resize(rules, dimensions);
    }
    for (Eigen::Index rule = 0; rule < rules; ++rule) {
        system.intercepts_(rule) = (*solution)(rule * perRule);
        if (perRule > 1) {
            system.slopes_.row(rule) = solution->segment(rule * perRule + 1, dimensions).transpose();
        }
    }
    progress.report(1.0);
    return system;
}

bool TakagiSugeno::firingStrengthsAt(const Eigen::VectorXd& target,
                                     Eigen::Ref<Eigen::VectorXd> strengths) const {
    const Eigen::VectorXd whitened = bandwidth_.whitenPoint(target);
    Eigen::ArrayXd logs(ruleCount());
    for (Eigen::Index rule = 0; rule < ruleCount(); ++rule) {
        logs(rule) = kernel_.logValue(
            squaredDistance(whitenedCentres_.row(rule).data(), whitened.data(), dimension()));
    }
    const double largest = logs.maxCoeff();
    if (largest == negativeInfinity) {
        strengths.setZero();
        return false;
    }
    const Eigen::ArrayXd memberships = exponentiate(logs - largest);
    strengths = (memberships / memberships.sum()).matrix();
    return true;
}

double TakagiSugeno::ruleOutput(Eigen::Index rule, const Eigen::VectorXd& target) const {
    if (slopes_.size() == 0) {
        return intercepts_(rule);
    }
    return intercepts_(rule) + slopes_.row(rule).dot(target.transpose() - centres_.row(rule));
}

Eigen::MatrixXd TakagiSugeno::memberships(const Eigen::MatrixXd& targets) const {
    if (targets.cols() != dimension()) {
        throw std::invalid_argument("Takagi–Sugeno: targets have " + std::to_string(targets.cols()) +
                                    " columns, the rules " + std::to_string(dimension()));
    }
    const Eigen::MatrixXd whitened = bandwidth_.whiten(targets);
    Eigen::MatrixXd values(targets.rows(), ruleCount());
    for (Eigen::Index row = 0; row < targets.rows(); ++row) {
        const Eigen::RowVectorXd target = whitened.row(row);
        for (Eigen::Index rule = 0; rule < ruleCount(); ++rule) {
            values(row, rule) =
                kernel_.value(squaredDistance(whitenedCentres_.row(rule).data(), target.data(), dimension()));
        }
    }
    return values;
}

TakagiSugenoEvaluation TakagiSugeno::evaluate(const Eigen::MatrixXd& targets, Progress& progress) const {
    if (targets.cols() != dimension()) {
        throw std::invalid_argument("Takagi–Sugeno: targets have " + std::to_string(targets.cols()) +
                                    " columns, the rules " + std::to_string(dimension()));
    }
    checkFinite(targets, "targets");
    TakagiSugenoEvaluation result;
    result.values = Eigen::VectorXd::Zero(targets.rows());
    result.statuses.assign(static_cast<std::size_t>(targets.rows()), LocalFitStatus::NoSupport);
    result.firingStrengths = Eigen::MatrixXd::Zero(targets.rows(), ruleCount());
    result.ruleOutputs.resize(targets.rows(), ruleCount());
    detail::forEachTargetBlock(
        targets.rows(), progress,
        [&](Eigen::Index begin, Eigen::Index end) {
            Eigen::VectorXd strengths(ruleCount());
            Eigen::VectorXd outputs(ruleCount());
            for (Eigen::Index row = begin; row < end; ++row) {
                const Eigen::VectorXd target = targets.row(row).transpose();
                for (Eigen::Index rule = 0; rule < ruleCount(); ++rule) {
                    outputs(rule) = ruleOutput(rule, target);
                }
                result.ruleOutputs.row(row) = outputs.transpose();
                if (!firingStrengthsAt(target, strengths)) {
                    continue;
                }
                result.firingStrengths.row(row) = strengths.transpose();
                result.values(row) = strengths.dot(outputs);
                result.statuses[static_cast<std::size_t>(row)] = LocalFitStatus::Fitted;
            }
        },
        64);
    return result;
}

LocalEstimate TakagiSugeno::evaluateAt(const Eigen::VectorXd& target) const {
    SilentProgress progress;
    const TakagiSugenoEvaluation evaluation = evaluate(target.transpose(), progress);
    return {evaluation.values(0), evaluation.statuses[0]};
}

} // namespace locallab
