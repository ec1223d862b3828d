#pragma once
// The parameter-free attention layer T(X)_i = Σ_j softmax_j(λ⟨x_i, x_j⟩) x_j: every token replaced by
// the local mean of its own sequence under the softmax kernel. On a mixture it pulls each token towards
// its cluster, the "in-context quantization" of Maulen-Soto, Marion and Boyer (2025). Applied again and
// again it is blurring MeanShift with a dot-product kernel.

#include <Eigen/Core>

namespace locallab {

// T(X), n × d; λ > 0 (the inverse temperature of the softmax kernel).
Eigen::MatrixXd inContextQuantization(const Eigen::MatrixXd& tokens, double sharpness);

// Mean over tokens of the squared distance to the nearest centroid (rows of centroids).
double meanSquaredDistanceToNearest(const Eigen::MatrixXd& tokens, const Eigen::MatrixXd& centroids);

// How much T contracts a cloud towards known centres.
struct QuantizationMeasure {
    double before = 0.0;      // meanSquaredDistanceToNearest(X, centroids)
    double after = 0.0;       // meanSquaredDistanceToNearest(T(X), centroids)
    double contraction = 0.0; // after / before: below 1 when T pulls the tokens towards the centres
};

QuantizationMeasure measureQuantization(const Eigen::MatrixXd& tokens, const Eigen::MatrixXd& quantized,
                                        const Eigen::MatrixXd& centroids);

} // namespace locallab
