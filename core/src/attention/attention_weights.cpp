#include "locallab/attention/attention_weights.hpp"

#include "locallab/util/log_domain.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace locallab {
namespace {

constexpr double negativeInfinity = -std::numeric_limits<double>::infinity();
// Queries per parallel task: large enough that each task is one efficient matrix product, small enough
// that a cancel request is honoured quickly and both cores get work for a few hundred tokens.
constexpr Eigen::Index queriesPerBlock = 64;

struct KernelName {
    AttentionKernel kernel;
    const char* name;
};
constexpr KernelName kernelNames[] = {
    {AttentionKernel::Softmax, "softmax"},
    {AttentionKernel::Gaussian, "gaussian"},
    {AttentionKernel::Cosine, "cosine"},
    {AttentionKernel::NearestNeighbors, "knn"},
};

void checkPositiveFinite(double value, const char* what) {
    if (!std::isfinite(value) || value <= 0.0) {
        std::ostringstream message;
        message << "the " << what << " must be a positive finite number, got " << value;
        throw std::invalid_argument(message.str());
    }
}

// Rows scaled to unit length. A zero row has no direction; it stays zero, so its cosine with every
// other vector is 0 and its attention is uniform rather than undefined.
Eigen::MatrixXd unitRowsOrZero(const Eigen::MatrixXd& rows) {
    Eigen::MatrixXd unit = rows;
    for (Eigen::Index row = 0; row < rows.rows(); ++row) {
        const double norm = rows.row(row).norm();
        if (norm > 0.0) {
            unit.row(row) /= norm;
        }
    }
    return unit;
}

// What every block of queries needs from the whole problem, computed once.
class LogWeightComputation {
public:
    LogWeightComputation(const Eigen::MatrixXd& queries, const Eigen::MatrixXd& keys,
                         const AttentionWeightOptions& options)
        : queries_(queries), keys_(keys), options_(options),
          temperature_(effectiveTemperature(options, keys.cols())) {
        if (queries.cols() != keys.cols()) {
            std::ostringstream message;
            message << "queries have " << queries.cols() << " columns but keys have " << keys.cols()
                    << "; attention compares vectors of the same length";
            throw std::invalid_argument(message.str());
        }
        if (options.kernel == AttentionKernel::NearestNeighbors && options.neighborCount < 1) {
            throw std::invalid_argument("the knn kernel needs at least 1 neighbour, got " +
                                        std::to_string(options.neighborCount));
        }
        if (options.kernel == AttentionKernel::Cosine) {
            unitQueries_ = unitRowsOrZero(queries);
            unitKeys_ = unitRowsOrZero(keys);
        }
        if (options.kernel == AttentionKernel::Gaussian) {
            querySquaredNorms_ = queries.rowwise().squaredNorm();
            keySquaredNorms_ = keys.rowwise().squaredNorm();
        }
    }

    // Log weights of the queries first .. first + count − 1, count × keys.
    Eigen::MatrixXd block(Eigen::Index first, Eigen::Index count) const {
        Eigen::MatrixXd logWeights = contentLogWeights(first, count);
        if (options_.causal) {
            maskFutureKeys(logWeights, first);
        }
        if (options_.kernel == AttentionKernel::NearestNeighbors) {
            keepLargestScores(logWeights);
        }
        // After the knn selection, which ranks keys by content alone; −∞ stays −∞.
        if (options_.positionalLength) {
            addPositionalTerm(logWeights, first);
        }
        return logWeights;
    }

private:
    Eigen::MatrixXd contentLogWeights(Eigen::Index first, Eigen::Index count) const {
        switch (options_.kernel) {
        case AttentionKernel::Softmax:
            return (queries_.middleRows(first, count) * keys_.transpose()) / temperature_;
        case AttentionKernel::Gaussian: {
            // ||q − k||² = ||q||² + ||k||² − 2⟨q, k⟩, clamped at 0 against rounding.
            Eigen::MatrixXd squaredDistances = -2.0 * (queries_.middleRows(first, count) * keys_.transpose());
            squaredDistances.colwise() += querySquaredNorms_.segment(first, count);
            squaredDistances.rowwise() += keySquaredNorms_.transpose();
            return squaredDistances.cwiseMax(0.0) / (-2.0 * temperature_);
        }
        case AttentionKernel::Cosine:
            return (unitQueries_.middleRows(first, count) * unitKeys_.transpose()) / temperature_;
        case AttentionKernel::NearestNeighbors:
            // The scores that rank the keys; keepNearest turns them into 0 or −∞.
            return queries_.middleRows(first, count) * keys_.transpose();
        }
        throw std::logic_error("unknown attention kernel");
    }

    void addPositionalTerm(Eigen::MatrixXd& logWeights, Eigen::Index first) const {
        const double scale = -0.5 / (*options_.positionalLength * *options_.positionalLength);
        for (Eigen::Index key = 0; key < logWeights.cols(); ++key) {
            for (Eigen::Index row = 0; row < logWeights.rows(); ++row) {
                const double offset = static_cast<double>(first + row - key);
                logWeights(row, key) += scale * offset * offset;
            }
        }
    }

    void maskFutureKeys(Eigen::MatrixXd& logWeights, Eigen::Index first) const {
        for (Eigen::Index row = 0; row < logWeights.rows(); ++row) {
            const Eigen::Index firstMasked = std::min(first + row + 1, logWeights.cols());
            logWeights.row(row).tail(logWeights.cols() - firstMasked).setConstant(negativeInfinity);
        }
    }

    // Every row: 0 for the k keys of largest score, −∞ for the others (and for masked keys). Ties go to
    // the lower key index, so the choice does not depend on the selection algorithm.
    void keepLargestScores(Eigen::MatrixXd& scores) const {
        std::vector<Eigen::Index> candidates;
        for (Eigen::Index row = 0; row < scores.rows(); ++row) {
            candidates.clear();
            for (Eigen::Index key = 0; key < scores.cols(); ++key) {
                if (scores(row, key) != negativeInfinity) {
                    candidates.push_back(key);
                }
            }
            const auto kept = static_cast<std::ptrdiff_t>(
                std::min<std::size_t>(static_cast<std::size_t>(options_.neighborCount), candidates.size()));
            const auto rankedHigher = [&](Eigen::Index left, Eigen::Index right) {
                const double leftScore = scores(row, left);
                const double rightScore = scores(row, right);
                return leftScore > rightScore || (leftScore == rightScore && left < right);
            };
            if (kept > 0) {
                std::nth_element(candidates.begin(), candidates.begin() + (kept - 1), candidates.end(),
                                 rankedHigher);
            }
            scores.row(row).setConstant(negativeInfinity);
            for (std::ptrdiff_t rank = 0; rank < kept; ++rank) {
                scores(row, candidates[static_cast<std::size_t>(rank)]) = 0.0;
            }
        }
    }

    const Eigen::MatrixXd& queries_;
    const Eigen::MatrixXd& keys_;
    const AttentionWeightOptions& options_;
    double temperature_;
    Eigen::MatrixXd unitQueries_;
    Eigen::MatrixXd unitKeys_;
    Eigen::VectorXd querySquaredNorms_;
    Eigen::VectorXd keySquaredNorms_;
};

// A query whose largest log weight is not finite has no softmax: every key masked (−∞), or an overflow.
[[noreturn]] void throwUnnormalizable(Eigen::Index query, double largest) {
    std::ostringstream message;
    message << "query " << query + 1;
    if (largest == negativeInfinity) {
        message << " has no key it may attend to";
    } else {
        message << " has a score of " << largest << " (overflow: is the temperature too small?)";
    }
    throw std::domain_error(message.str());
}

} // namespace

std::optional<AttentionKernel> parseAttentionKernel(std::string_view name) {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char character) { return static_cast<char>(std::tolower(character)); });
    for (const auto& entry : kernelNames) {
        if (lower == entry.name) {
            return entry.kernel;
        }
    }
    return std::nullopt;
}

std::string_view attentionKernelName(AttentionKernel kernel) {
    for (const auto& entry : kernelNames) {
        if (entry.kernel == kernel) {
            return entry.name;
        }
    }
    throw std::logic_error("unknown attention kernel");
}

const std::vector<std::string>& attentionKernelNames() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> result;
        for (const auto& entry : kernelNames) {
            result.emplace_back(entry.name);
        }
        return result;
    }();
    return names;
}

double effectiveTemperature(const AttentionWeightOptions& options, Eigen::Index keyDimension) {
    if (options.positionalLength) {
        checkPositiveFinite(*options.positionalLength, "positional length");
    }
    if (options.temperature) {
        checkPositiveFinite(*options.temperature, "temperature");
        return *options.temperature;
    }
    return std::sqrt(static_cast<double>(std::max<Eigen::Index>(keyDimension, 1)));
}

Eigen::MatrixXd attentionLogWeights(const Eigen::MatrixXd& queries, const Eigen::MatrixXd& keys,
                                    const AttentionWeightOptions& options) {
    return LogWeightComputation(queries, keys, options).block(0, queries.rows());
}

void normalizeLogWeightRows(Eigen::Ref<Eigen::MatrixXd> logWeights, Eigen::Index firstRowNumber) {
    for (Eigen::Index row = 0; row < logWeights.rows(); ++row) {
        const double largest = logWeights.cols() > 0 ? logWeights.row(row).maxCoeff() : negativeInfinity;
        if (!std::isfinite(largest)) {
            throwUnnormalizable(firstRowNumber + row, largest);
        }
        // Subtracting the largest score keeps every exponent ≤ 0, so nothing overflows and the largest
        // weight is exactly 1 before the division: a row never becomes 0/0.
        logWeights.row(row) = exponentiate(logWeights.row(row).array() - largest);
        logWeights.row(row) /= logWeights.row(row).sum();
    }
}

void normalizeLogWeightColumns(Eigen::Ref<Eigen::MatrixXd> logWeights, Eigen::Index firstColumnNumber) {
    for (Eigen::Index column = 0; column < logWeights.cols(); ++column) {
        auto weights = logWeights.col(column);
        const double largest = weights.size() > 0 ? weights.maxCoeff() : negativeInfinity;
        if (!std::isfinite(largest)) {
            throwUnnormalizable(firstColumnNumber + column, largest);
        }
        weights = exponentiate(weights.array() - largest);
        weights /= weights.sum();
    }
}

Eigen::MatrixXd attentionWeights(const Eigen::MatrixXd& queries, const Eigen::MatrixXd& keys,
                                 const AttentionWeightOptions& options) {
    Eigen::MatrixXd weights = attentionLogWeights(queries, keys, options);
    normalizeLogWeightRows(weights);
    return weights;
}

AttentionResult attend(const Eigen::MatrixXd& queries, const Eigen::MatrixXd& keys,
                       const Eigen::MatrixXd& values, const AttentionWeightOptions& options,
                       Progress& progress) {
    if (values.rows() != keys.rows()) {
        std::ostringstream message;
        message << "there are " << keys.rows() << " keys but " << values.rows()
                << " values; every key needs one value";
        throw std::invalid_argument(message.str());
    }
    const LogWeightComputation computation(queries, keys, options);
    AttentionResult result{Eigen::MatrixXd(queries.rows(), keys.rows()),
                           Eigen::MatrixXd(queries.rows(), values.cols())};
    const Eigen::Index blockCount = (queries.rows() + queriesPerBlock - 1) / queriesPerBlock;
    std::atomic<Eigen::Index> blocksDone{0};
    tbb::parallel_for(tbb::blocked_range<Eigen::Index>(0, blockCount), [&](const auto& range) {
        for (Eigen::Index block = range.begin(); block != range.end(); ++block) {
            progress.checkCanceled();
            const Eigen::Index first = block * queriesPerBlock;
            const Eigen::Index count = std::min(queriesPerBlock, queries.rows() - first);
            auto weights = result.weights.middleRows(first, count);
            weights = computation.block(first, count);
            normalizeLogWeightRows(weights, first);
            result.output.middleRows(first, count).noalias() = weights * values;
            progress.report(static_cast<double>(++blocksDone) / static_cast<double>(blockCount));
        }
    });
    return result;
}

AttentionResult attend(const Eigen::MatrixXd& queries, const Eigen::MatrixXd& keys,
                       const Eigen::MatrixXd& values, const AttentionWeightOptions& options) {
    SilentProgress progress;
    return attend(queries, keys, values, options, progress);
}

Eigen::VectorXd rowEntropy(const Eigen::MatrixXd& weights) {
    Eigen::VectorXd entropy(weights.rows());
    for (Eigen::Index row = 0; row < weights.rows(); ++row) {
        double sum = 0.0;
        for (Eigen::Index column = 0; column < weights.cols(); ++column) {
            const double weight = weights(row, column);
            if (weight > 0.0) {
                sum -= weight * std::log(weight);
            }
        }
        entropy[row] = sum;
    }
    return entropy;
}

} // namespace locallab
