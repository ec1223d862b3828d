#include "locallab/kernel/similarity_kernel.hpp"

#include "locallab/neighbors/neighbor_index.hpp"

#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace locallab {
namespace {

constexpr double negativeInfinity = -std::numeric_limits<double>::infinity();

void checkSameColumns(const Eigen::MatrixXd& queries, const Eigen::MatrixXd& keys) {
    if (queries.cols() != keys.cols()) {
        std::ostringstream message;
        message << "queries have " << queries.cols() << " columns but keys have " << keys.cols()
                << "; a kernel compares vectors of the same length";
        throw std::invalid_argument(message.str());
    }
}

double checkedTemperature(double temperature) {
    if (!std::isfinite(temperature) || temperature <= 0.0) {
        std::ostringstream message;
        message << "the temperature must be a positive finite number, got " << temperature;
        throw std::invalid_argument(message.str());
    }
    return temperature;
}

// Rows scaled to unit length; a zero row has no direction and is reported by its (1-based) number.
Eigen::MatrixXd unitRows(const Eigen::MatrixXd& rows, const char* what) {
    const Eigen::VectorXd norms = rows.rowwise().norm();
    for (Eigen::Index row = 0; row < rows.rows(); ++row) {
        if (!(norms[row] > 0.0) || !std::isfinite(norms[row])) {
            std::ostringstream message;
            message << what << " " << row + 1 << " has norm " << norms[row]
                    << ": cosine similarity needs a non-zero finite vector";
            throw std::invalid_argument(message.str());
        }
    }
    return norms.cwiseInverse().asDiagonal() * rows;
}

// exp() entry by entry through std::exp. Eigen's vectorised exp clamps its argument near −708 and so
// returns 5.6e−309 rather than 0 for −∞ and for far-underflowing log weights: a weight outside a compact
// kernel's support would not be zero.
template <typename Derived>
auto exactExp(const Eigen::ArrayBase<Derived>& logValues) {
    return logValues.unaryExpr([](double value) { return std::exp(value); });
}

} // namespace

double logSumExp(const Eigen::Ref<const Eigen::VectorXd>& values) {
    if (values.size() == 0) {
        return negativeInfinity;
    }
    const double largest = values.maxCoeff();
    if (!std::isfinite(largest)) {
        return largest; // all −∞ gives −∞; a +∞ entry dominates everything
    }
    return largest + std::log(exactExp(values.array() - largest).sum());
}

Eigen::MatrixXd normalizeRowsFromLog(const Eigen::MatrixXd& logWeights) {
    Eigen::MatrixXd normalized(logWeights.rows(), logWeights.cols());
    for (Eigen::Index row = 0; row < logWeights.rows(); ++row) {
        const double largest = logWeights.cols() > 0 ? logWeights.row(row).maxCoeff() : negativeInfinity;
        if (!std::isfinite(largest)) {
            std::ostringstream message;
            message << "query " << row + 1;
            if (largest == negativeInfinity) {
                message << " has no key with a positive weight (no key within the kernel's support)";
            } else {
                message << " has a log weight of " << largest << " (overflow: is the temperature too small?)";
            }
            message << ", so its weights cannot be normalised";
            throw std::domain_error(message.str());
        }
        const Eigen::RowVectorXd shifted = exactExp(logWeights.row(row).array() - largest);
        normalized.row(row) = shifted / shifted.sum();
    }
    return normalized;
}

Eigen::MatrixXd SimilarityKernel::weightMatrix(const Eigen::MatrixXd& queries,
                                               const Eigen::MatrixXd& keys) const {
    return exactExp(logWeightMatrix(queries, keys).array());
}

Eigen::VectorXd SimilarityKernel::weights(const Eigen::VectorXd& query, const Eigen::MatrixXd& keys) const {
    return weightMatrix(query.transpose(), keys).transpose();
}

Eigen::MatrixXd SimilarityKernel::normalizedWeightMatrix(const Eigen::MatrixXd& queries,
                                                         const Eigen::MatrixXd& keys) const {
    return normalizeRowsFromLog(logWeightMatrix(queries, keys));
}

SoftmaxKernel::SoftmaxKernel(double temperature) : temperature_(checkedTemperature(temperature)) {}

Eigen::MatrixXd SoftmaxKernel::logWeightMatrix(const Eigen::MatrixXd& queries,
                                               const Eigen::MatrixXd& keys) const {
    checkSameColumns(queries, keys);
    return queries * keys.transpose() / temperature_;
}

std::string SoftmaxKernel::describe() const {
    std::ostringstream text;
    text << "softmax(<q,k>/" << temperature_ << ")";
    return text.str();
}

CosineKernel CosineKernel::rectified() {
    return CosineKernel(Weighting::Rectified, 1.0);
}

CosineKernel CosineKernel::exponential(double temperature) {
    return CosineKernel(Weighting::Exponential, checkedTemperature(temperature));
}

Eigen::MatrixXd CosineKernel::similarityMatrix(const Eigen::MatrixXd& queries, const Eigen::MatrixXd& keys) {
    checkSameColumns(queries, keys);
    const Eigen::MatrixXd similarity = unitRows(queries, "query") * unitRows(keys, "key").transpose();
    // Rounding can push |c| a hair above 1 for parallel vectors.
    return similarity.cwiseMax(-1.0).cwiseMin(1.0);
}

Eigen::MatrixXd CosineKernel::logWeightMatrix(const Eigen::MatrixXd& queries,
                                              const Eigen::MatrixXd& keys) const {
    const Eigen::MatrixXd similarity = similarityMatrix(queries, keys);
    if (weighting_ == Weighting::Exponential) {
        return similarity / temperature_;
    }
    return similarity.unaryExpr([](double c) { return c > 0.0 ? std::log(c) : negativeInfinity; });
}

std::string CosineKernel::describe() const {
    std::ostringstream text;
    if (weighting_ == Weighting::Exponential) {
        text << "exp(cos(q,k)/" << temperature_ << ")";
    } else {
        text << "max(cos(q,k), 0)";
    }
    return text.str();
}

NearestNeighborKernel::NearestNeighborKernel(Eigen::Index neighborCount) : neighborCount_(neighborCount) {
    if (neighborCount < 1) {
        std::ostringstream message;
        message << "the number of neighbours must be at least 1, got " << neighborCount;
        throw std::invalid_argument(message.str());
    }
}

Eigen::MatrixXd NearestNeighborKernel::logWeightMatrix(const Eigen::MatrixXd& queries,
                                                       const Eigen::MatrixXd& keys) const {
    checkSameColumns(queries, keys);
    Eigen::MatrixXd logWeights = Eigen::MatrixXd::Constant(queries.rows(), keys.rows(), negativeInfinity);
    const NeighborIndex index(keys);
    for (Eigen::Index row = 0; row < queries.rows(); ++row) {
        for (const Neighbor& neighbor : index.nearest(queries.row(row), neighborCount_)) {
            logWeights(row, neighbor.index) = 0.0;
        }
    }
    return logWeights;
}

std::string NearestNeighborKernel::describe() const {
    return "knn(k = " + std::to_string(neighborCount_) + ")";
}

RadialSimilarityKernel::RadialSimilarityKernel(RadialKernel kernel, Bandwidth bandwidth)
    : kernel_(kernel), bandwidth_(std::move(bandwidth)) {}

Eigen::MatrixXd RadialSimilarityKernel::logWeightMatrix(const Eigen::MatrixXd& queries,
                                                        const Eigen::MatrixXd& keys) const {
    checkSameColumns(queries, keys);
    const Eigen::MatrixXd whiteQueries = bandwidth_.whiten(queries);
    const Eigen::MatrixXd whiteKeys = bandwidth_.whiten(keys);
    Eigen::MatrixXd logWeights(queries.rows(), keys.rows());
    for (Eigen::Index row = 0; row < queries.rows(); ++row) {
        // Differences rather than ||q||² + ||k||² − 2⟨q,k⟩, which cancels for nearby points.
        const Eigen::VectorXd scaledSquaredDistances =
            (whiteKeys.rowwise() - whiteQueries.row(row)).rowwise().squaredNorm();
        for (Eigen::Index column = 0; column < keys.rows(); ++column) {
            logWeights(row, column) = kernel_.logValue(scaledSquaredDistances[column]);
        }
    }
    return logWeights;
}

std::string RadialSimilarityKernel::describe() const {
    return std::string(kernel_.name()) + ", " + bandwidth_.describe();
}

ProductKernel::ProductKernel(std::shared_ptr<const SimilarityKernel> featureKernel,
                             std::shared_ptr<const SimilarityKernel> positionKernel,
                             Eigen::Index featureColumns)
    : featureKernel_(std::move(featureKernel)), positionKernel_(std::move(positionKernel)),
      featureColumns_(featureColumns) {
    if (!featureKernel_ || !positionKernel_) {
        throw std::invalid_argument("a product kernel needs both a feature kernel and a position kernel");
    }
    if (featureColumns < 1) {
        throw std::invalid_argument("a product kernel needs at least one feature column");
    }
}

Eigen::MatrixXd ProductKernel::logWeightMatrix(const Eigen::MatrixXd& queries,
                                               const Eigen::MatrixXd& keys) const {
    checkSameColumns(queries, keys);
    const Eigen::Index positionColumns = queries.cols() - featureColumns_;
    if (positionColumns < 1) {
        std::ostringstream message;
        message << "a product kernel with " << featureColumns_ << " feature columns needs at least "
                << featureColumns_ + 1 << " columns (features, then positions), got " << queries.cols();
        throw std::invalid_argument(message.str());
    }
    // log(K_x·K_t) = log K_x + log K_t; −∞ + finite stays −∞.
    return featureKernel_->logWeightMatrix(queries.leftCols(featureColumns_),
                                           keys.leftCols(featureColumns_)) +
           positionKernel_->logWeightMatrix(queries.rightCols(positionColumns),
                                            keys.rightCols(positionColumns));
}

std::string ProductKernel::describe() const {
    return featureKernel_->describe() + " × " + positionKernel_->describe();
}

} // namespace locallab
