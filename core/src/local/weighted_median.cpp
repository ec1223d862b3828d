#include "locallab/local/weighted_median.hpp"

#include "parallel_targets.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace locallab {

double weightedMedian(const std::vector<double>& values, const std::vector<double>& weights) {
    if (values.size() != weights.size()) {
        throw std::invalid_argument("weighted median: values and weights differ in number");
    }
    double total = 0.0;
    for (const double weight : weights) {
        if (!(weight >= 0.0)) {
            throw std::invalid_argument("weighted median: weights must be 0 or more");
        }
        total += weight;
    }
    if (!(total > 0.0)) {
        throw std::invalid_argument("weighted median: the weights sum to zero");
    }
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    const double half = 0.5 * total;
    double cumulative = 0.0;
    for (std::size_t rank = 0; rank < order.size(); ++rank) {
        cumulative += weights[order[rank]];
        if (cumulative < half) {
            continue;
        }
        if (cumulative == half) { // flat minimum up to the next value with weight: take its middle
            for (std::size_t next = rank + 1; next < order.size(); ++next) {
                if (weights[order[next]] > 0.0) {
                    return 0.5 * (values[order[rank]] + values[order[next]]);
                }
            }
        }
        return values[order[rank]];
    }
    return values[order.back()]; // reached only through rounding of the sum
}

LocalFit localMedian(const KernelNeighborhood& neighborhood, const Eigen::VectorXd& responses,
                     const Eigen::MatrixXd& targets, Progress& progress) {
    if (responses.size() != neighborhood.size()) {
        throw std::invalid_argument("local median: responses and points differ in number");
    }
    if (targets.cols() != neighborhood.dimension()) {
        throw std::invalid_argument("local median: targets and points differ in dimension");
    }
    LocalFit result;
    result.values = Eigen::VectorXd::Zero(targets.rows());
    result.statuses.assign(static_cast<std::size_t>(targets.rows()), LocalFitStatus::NoSupport);
    detail::forEachTargetBlock(targets.rows(), progress, [&](Eigen::Index begin, Eigen::Index end) {
        std::vector<WeightedNeighbor> neighbors;
        std::vector<double> values;
        std::vector<double> weights;
        for (Eigen::Index target = begin; target < end; ++target) {
            if (!neighborhood.gather(neighborhood.whiten(targets.row(target).transpose()), neighbors)) {
                continue;
            }
            values.clear();
            weights.clear();
            for (const WeightedNeighbor& neighbor : neighbors) {
                values.push_back(responses(neighbor.index));
                weights.push_back(neighbor.weight);
            }
            result.values(target) = weightedMedian(values, weights);
            result.statuses[static_cast<std::size_t>(target)] = LocalFitStatus::Fitted;
        }
    });
    return result;
}

} // namespace locallab
