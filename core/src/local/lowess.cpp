#include "locallab/local/lowess.hpp"

#include "parallel_targets.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

namespace locallab {

namespace {

// statsmodels' constants, kept so that the fits agree to rounding.
constexpr double smallestCountedWeight = 1e-12; // weights above this count towards the two needed
constexpr double smallestSpread = 1e-12;        // floor of the weighted spread of x in the window
constexpr double smallestMedianResidual = 1e-7; // below this the robustness passes stop
constexpr double residualScaleFactor = 6.0;     // residuals are measured in 6·median|r|

double cube(double value) {
    return value * value * value;
}

// numpy's median: the mean of the two middle values when the count is even.
double median(std::vector<double> values) {
    const std::size_t middle = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle), values.end());
    const double upper = values[middle];
    if (values.size() % 2 == 1) {
        return upper;
    }
    const double lower =
        *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle));
    return 0.5 * (lower + upper);
}

} // namespace

Lowess::Lowess(const Eigen::VectorXd& x, const Eigen::VectorXd& y, LowessSettings settings,
               Progress& progress)
    : settings_(settings), responses_(y) {
    if (x.size() != y.size()) {
        throw std::invalid_argument("LOWESS: " + std::to_string(x.size()) + " x values but " +
                                    std::to_string(y.size()) + " y values");
    }
    if (x.size() < 2) {
        throw std::invalid_argument("LOWESS needs at least two points");
    }
    if (!(settings.fraction >= 0.0 && settings.fraction <= 1.0)) {
        throw std::invalid_argument("LOWESS: the fraction must be in [0, 1], got " +
                                    std::to_string(settings.fraction));
    }
    if (settings.iterations < 0) {
        throw std::invalid_argument("LOWESS: the number of robustness iterations must be 0 or more");
    }
    if (!x.allFinite() || !y.allFinite()) {
        throw std::invalid_argument("LOWESS: the data contain NaN or infinite values");
    }
    const Eigen::Index count = x.size();
    order_.resize(static_cast<std::size_t>(count));
    std::iota(order_.begin(), order_.end(), Eigen::Index{0});
    std::stable_sort(order_.begin(), order_.end(),
                     [&](Eigen::Index a, Eigen::Index b) { return x(a) < x(b); });
    sortedX_.resize(order_.size());
    sortedY_.resize(order_.size());
    tieStart_.resize(order_.size());
    positionOf_.resize(order_.size());
    for (std::size_t position = 0; position < order_.size(); ++position) {
        sortedX_[position] = x(order_[position]);
        sortedY_[position] = y(order_[position]);
        positionOf_[static_cast<std::size_t>(order_[position])] = static_cast<Eigen::Index>(position);
        const bool tied = position > 0 && sortedX_[position] == sortedX_[position - 1];
        tieStart_[position] = tied ? tieStart_[position - 1] : static_cast<Eigen::Index>(position);
    }
    neighborCount_ = static_cast<Eigen::Index>(settings.fraction * static_cast<double>(count) + 1e-10);
    neighborCount_ = std::clamp<Eigen::Index>(neighborCount_, 2, count);

    std::vector<double> robustness(order_.size(), 1.0);
    Eigen::VectorXd sortedFit;
    for (int pass = 0; pass <= settings.iterations; ++pass) {
        sortedFit = fitPass(robustness, progress);
        sortedRobustness_ = robustness;
        passesRun_ = pass + 1;
        if (pass == settings.iterations) {
            break;
        }
        std::vector<double> absoluteResiduals(order_.size());
        for (std::size_t position = 0; position < order_.size(); ++position) {
            absoluteResiduals[position] =
                std::abs(sortedY_[position] - sortedFit(static_cast<Eigen::Index>(position)));
        }
        const double medianResidual = median(absoluteResiduals);
        if (medianResidual <= smallestMedianResidual) {
            break; // the fit is (nearly) exact at half the points: reweighting would divide by ~0
        }
        for (std::size_t position = 0; position < order_.size(); ++position) {
            const double scaled =
                std::min(absoluteResiduals[position] / (residualScaleFactor * medianResidual), 1.0);
            const double complement = 1.0 - scaled * scaled;
            robustness[position] = complement * complement;
        }
    }
    fitted_.resize(count);
    robustnessWeights_.resize(count);
    for (std::size_t position = 0; position < order_.size(); ++position) {
        fitted_(order_[position]) = sortedFit(static_cast<Eigen::Index>(position));
        robustnessWeights_(order_[position]) = sortedRobustness_[position];
    }
}

Lowess::Window Lowess::windowAt(double target) const {
    const auto count = static_cast<Eigen::Index>(sortedX_.size());
    const Eigen::Index k = neighborCount_;
    // statsmodels slides the window right while the target lies beyond the midpoint of its ends; that
    // test is monotone in the left end, so the window it stops at is found by bisection.
    Eigen::Index low = 0;
    Eigen::Index high = count - k;
    while (low < high) {
        const Eigen::Index middle = low + (high - low) / 2;
        const auto left = static_cast<std::size_t>(middle);
        if (target > (sortedX_[left] + sortedX_[left + static_cast<std::size_t>(k)]) / 2.0) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    Window window;
    window.left = low;
    window.right = low + k;
    window.radius = std::fmax(target - sortedX_[static_cast<std::size_t>(window.left)],
                              sortedX_[static_cast<std::size_t>(window.right - 1)] - target);
    return window;
}

bool Lowess::projectionWeights(double target, const std::vector<double>& sortedRobustness,
                               std::vector<double>& weights, Window& window) const {
    window = windowAt(target);
    weights.assign(static_cast<std::size_t>(window.right - window.left), 0.0);
    if (!(window.radius > 0.0)) {
        return false; // every point of the window sits on the target: statsmodels' 0/0 gives no fit
    }
    double sum = 0.0;
    int counted = 0;
    for (Eigen::Index position = window.left; position < window.right; ++position) {
        const auto sorted = static_cast<std::size_t>(position);
        const double distance = std::abs(sortedX_[sorted] - target) / window.radius;
        const double weight = cube(1.0 - cube(distance)) * sortedRobustness[sorted];
        weights[static_cast<std::size_t>(position - window.left)] = weight;
        sum += weight;
        counted += weight > smallestCountedWeight ? 1 : 0;
    }
    if (counted < 2) {
        return false;
    }
    double weightedMean = 0.0;
    for (std::size_t entry = 0; entry < weights.size(); ++entry) {
        weights[entry] /= sum;
        weightedMean += weights[entry] * sortedX_[static_cast<std::size_t>(window.left) + entry];
    }
    double spread = 0.0;
    for (std::size_t entry = 0; entry < weights.size(); ++entry) {
        const double deviation = sortedX_[static_cast<std::size_t>(window.left) + entry] - weightedMean;
        spread += weights[entry] * deviation * deviation;
    }
    spread = std::fmax(spread, smallestSpread);
    for (std::size_t entry = 0; entry < weights.size(); ++entry) {
        const double deviation = sortedX_[static_cast<std::size_t>(window.left) + entry] - weightedMean;
        weights[entry] *= 1.0 + (target - weightedMean) * deviation / spread;
    }
    return true;
}

Eigen::VectorXd Lowess::fitPass(const std::vector<double>& sortedRobustness, Progress& progress) const {
    Eigen::VectorXd sortedFit(static_cast<Eigen::Index>(sortedX_.size()));
    detail::forEachTargetBlock(
        sortedFit.size(), progress,
        [&](Eigen::Index begin, Eigen::Index end) {
            std::vector<double> weights;
            Window window;
            for (Eigen::Index position = begin; position < end; ++position) {
                const auto sorted = static_cast<std::size_t>(position);
                if (!projectionWeights(sortedX_[sorted], sortedRobustness, weights, window)) {
                    // statsmodels' fallback: the point's own y (the first of its ties, whose fit it copies)
                    sortedFit(position) = sortedY_[static_cast<std::size_t>(tieStart_[sorted])];
                    continue;
                }
                double fit = 0.0;
                for (std::size_t entry = 0; entry < weights.size(); ++entry) {
                    fit += weights[entry] * sortedY_[static_cast<std::size_t>(window.left) + entry];
                }
                sortedFit(position) = fit;
            }
        },
        256);
    return sortedFit;
}

LocalFit Lowess::evaluate(const Eigen::VectorXd& targets, Progress& progress) const {
    LocalFit result;
    result.values = Eigen::VectorXd::Zero(targets.size());
    result.statuses.assign(static_cast<std::size_t>(targets.size()), LocalFitStatus::NoSupport);
    detail::forEachTargetBlock(
        targets.size(), progress,
        [&](Eigen::Index begin, Eigen::Index end) {
            std::vector<double> weights;
            Window window;
            for (Eigen::Index target = begin; target < end; ++target) {
                if (!std::isfinite(targets(target)) ||
                    !projectionWeights(targets(target), sortedRobustness_, weights, window)) {
                    continue;
                }
                double fit = 0.0;
                for (std::size_t entry = 0; entry < weights.size(); ++entry) {
                    fit += weights[entry] * sortedY_[static_cast<std::size_t>(window.left) + entry];
                }
                result.values(target) = fit;
                result.statuses[static_cast<std::size_t>(target)] = LocalFitStatus::Fitted;
            }
        },
        256);
    return result;
}

SmootherWeights Lowess::toSmootherWeights(const std::vector<double>& weights, const Window& window) const {
    SmootherWeights result;
    for (std::size_t entry = 0; entry < weights.size(); ++entry) {
        if (weights[entry] != 0.0) {
            result.indices.push_back(order_[static_cast<std::size_t>(window.left) + entry]);
            result.weights.push_back(weights[entry]);
        }
    }
    result.status = LocalFitStatus::Fitted;
    return result;
}

SmootherWeights Lowess::weightsAt(const Eigen::VectorXd& target) const {
    if (target.size() != 1) {
        throw std::invalid_argument("LOWESS is one-dimensional: a target has one coordinate");
    }
    std::vector<double> weights;
    Window window;
    if (!projectionWeights(target(0), sortedRobustness_, weights, window)) {
        return {};
    }
    return toSmootherWeights(weights, window);
}

SmootherWeights Lowess::weightsAtDataPoint(Eigen::Index row) const {
    if (row < 0 || row >= size()) {
        throw std::out_of_range("LOWESS: no data row " + std::to_string(row));
    }
    const auto position = static_cast<std::size_t>(positionOf_[static_cast<std::size_t>(row)]);
    std::vector<double> weights;
    Window window;
    if (!projectionWeights(sortedX_[position], sortedRobustness_, weights, window)) {
        SmootherWeights own;
        own.indices.push_back(order_[static_cast<std::size_t>(tieStart_[position])]);
        own.weights.push_back(1.0);
        own.status = LocalFitStatus::Fitted;
        return own;
    }
    return toSmootherWeights(weights, window);
}

} // namespace locallab
