#include "locallab/attention/in_context_quantization.hpp"

#include "locallab/attention/attention_weights.hpp"

#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace locallab {

Eigen::MatrixXd inContextQuantization(const Eigen::MatrixXd& tokens, double sharpness) {
    if (!std::isfinite(sharpness) || sharpness <= 0.0) {
        std::ostringstream message;
        message << "the sharpness λ must be a positive finite number, got " << sharpness;
        throw std::invalid_argument(message.str());
    }
    AttentionWeightOptions options;
    options.kernel = AttentionKernel::Softmax;
    options.temperature = 1.0 / sharpness;
    return attend(tokens, tokens, tokens, options).output;
}

double meanSquaredDistanceToNearest(const Eigen::MatrixXd& tokens, const Eigen::MatrixXd& centroids) {
    if (tokens.rows() == 0 || centroids.rows() == 0 || tokens.cols() != centroids.cols()) {
        throw std::invalid_argument("the distance to the nearest centroid needs tokens and centroids of the "
                                    "same dimension");
    }
    double total = 0.0;
    for (Eigen::Index token = 0; token < tokens.rows(); ++token) {
        total += (centroids.rowwise() - tokens.row(token)).rowwise().squaredNorm().minCoeff();
    }
    return total / static_cast<double>(tokens.rows());
}

QuantizationMeasure measureQuantization(const Eigen::MatrixXd& tokens, const Eigen::MatrixXd& quantized,
                                        const Eigen::MatrixXd& centroids) {
    QuantizationMeasure measure;
    measure.before = meanSquaredDistanceToNearest(tokens, centroids);
    measure.after = meanSquaredDistanceToNearest(quantized, centroids);
    measure.contraction =
        measure.before > 0.0 ? measure.after / measure.before : std::numeric_limits<double>::quiet_NaN();
    return measure;
}

} // namespace locallab
