#include "locallab/attention/attention_clustering.hpp"

#include "locallab/attention/random_matrix.hpp"
#include "locallab/data/random_stream.hpp"
#include "locallab/util/log_domain.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace locallab {
namespace {

// Softmax over each column (columnwise = true) or each row, shifted by the largest entry so that no
// exponent overflows.
Eigen::MatrixXd softmaxColumns(const Eigen::MatrixXd& scores) {
    Eigen::MatrixXd weights(scores.rows(), scores.cols());
    for (Eigen::Index column = 0; column < scores.cols(); ++column) {
        const Eigen::VectorXd shifted =
            exponentiate(scores.col(column).array() - scores.col(column).maxCoeff());
        weights.col(column) = shifted / shifted.sum();
    }
    return weights;
}

Eigen::MatrixXd softmaxRows(const Eigen::MatrixXd& scores) {
    return softmaxColumns(scores.transpose()).transpose();
}

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

} // namespace

struct ClusteringAttentionLayer::Forward {
    Eigen::MatrixXd attention;      // H × n, a_hj
    Eigen::MatrixXd headOutputs;    // H × d, o_h
    Eigen::MatrixXd gates;          // n × H, g_ih
    Eigen::MatrixXd reconstruction; // n × d, x̂_i
};

ClusteringAttentionLayer::ClusteringAttentionLayer(Eigen::MatrixXd headParameters, double sharpness)
    : headParameters_(std::move(headParameters)), sharpness_(sharpness) {
    if (headParameters_.rows() < 1) {
        throw std::invalid_argument("the clustering layer needs at least one head");
    }
    if (!std::isfinite(sharpness) || sharpness <= 0.0) {
        std::ostringstream message;
        message << "the sharpness λ must be a positive finite number, got " << sharpness;
        throw std::invalid_argument(message.str());
    }
}

ClusteringAttentionLayer::Forward ClusteringAttentionLayer::forward(const Eigen::MatrixXd& tokens) const {
    if (tokens.cols() != headParameters_.cols() || tokens.rows() == 0) {
        std::ostringstream message;
        message << "the layer expects a non-empty sequence of " << headParameters_.cols()
                << "-dimensional tokens, got " << tokens.rows() << " × " << tokens.cols();
        throw std::invalid_argument(message.str());
    }
    const Eigen::MatrixXd scores = sharpness_ * (tokens * headParameters_.transpose()); // n × H
    Forward result;
    result.attention = softmaxColumns(scores).transpose();
    result.headOutputs = result.attention * tokens;
    result.gates = softmaxRows(scores);
    result.reconstruction = result.gates * result.headOutputs;
    return result;
}

Eigen::MatrixXd ClusteringAttentionLayer::reconstruct(const Eigen::MatrixXd& tokens) const {
    return forward(tokens).reconstruction;
}

double ClusteringAttentionLayer::risk(const Eigen::MatrixXd& tokens) const {
    return (forward(tokens).reconstruction - tokens).squaredNorm() / static_cast<double>(tokens.rows());
}

Eigen::MatrixXd ClusteringAttentionLayer::riskGradient(const Eigen::MatrixXd& tokens) const {
    const Forward state = forward(tokens);
    const Eigen::MatrixXd residualGradient =
        (2.0 / static_cast<double>(tokens.rows())) * (state.reconstruction - tokens); // e_i, n × d

    // Through the head outputs: G_h = Σ_i g_ih e_i, then the softmax Jacobian of head h's attention.
    const Eigen::MatrixXd outputGradient = state.gates.transpose() * residualGradient; // H × d
    const Eigen::MatrixXd tokenAlignment = tokens * outputGradient.transpose(); // n × H, ⟨G_h, x_j⟩
    const Eigen::VectorXd outputAlignment = (outputGradient.cwiseProduct(state.headOutputs)).rowwise().sum();
    const Eigen::MatrixXd attentionCoefficients =
        state.attention.cwiseProduct((tokenAlignment.rowwise() - outputAlignment.transpose()).transpose());

    // Through the gates: the softmax Jacobian over heads, token by token.
    const Eigen::MatrixXd headAlignment =
        residualGradient * state.headOutputs.transpose(); // n × H, ⟨e_i, o_h⟩
    const Eigen::VectorXd reconstructionAlignment =
        (residualGradient.cwiseProduct(state.reconstruction)).rowwise().sum(); // ⟨e_i, x̂_i⟩
    const Eigen::MatrixXd gateCoefficients =
        state.gates.cwiseProduct(headAlignment.colwise() - reconstructionAlignment); // n × H

    return sharpness_ * (attentionCoefficients * tokens + gateCoefficients.transpose() * tokens);
}

Eigen::MatrixXd cosineSimilarities(const Eigen::MatrixXd& headParameters, const Eigen::MatrixXd& centroids) {
    return unitRowsOrZero(headParameters) * unitRowsOrZero(centroids).transpose();
}

ClusteringTraining trainAttentionClustering(const ClusteringTrainingOptions& options, Progress& progress) {
    if (options.headCount < 1 || options.steps < 0 || options.sequencesPerBatch < 1) {
        std::ostringstream message;
        message << "training needs at least one head and one sequence per batch and a non-negative number "
                   "of steps, got "
                << options.headCount << " heads, " << options.sequencesPerBatch << " sequences, "
                << options.steps << " steps";
        throw std::invalid_argument(message.str());
    }
    const TokenMixture mixture(options.mixture);
    RandomStream random(options.seed);
    Eigen::MatrixXd heads =
        gaussianMatrix(options.headCount, options.mixture.dimension, options.initialScale, random);

    ClusteringTraining training;
    training.centroids = mixture.centroids();
    training.cosineCurve.resize(options.steps + 1, options.headCount);
    const auto recordSnapshot = [&](int step) {
        training.headParameters.push_back(heads);
        training.cosineCurve.row(step) =
            cosineSimilarities(heads, training.centroids).rowwise().maxCoeff().transpose();
    };
    recordSnapshot(0);
    for (int step = 0; step < options.steps; ++step) {
        progress.checkCanceled();
        const ClusteringAttentionLayer layer(heads, options.sharpness);
        Eigen::MatrixXd gradient = Eigen::MatrixXd::Zero(heads.rows(), heads.cols());
        double risk = 0.0;
        for (int sequence = 0; sequence < options.sequencesPerBatch; ++sequence) {
            const TokenSequence batch = mixture.sample(random);
            gradient += layer.riskGradient(batch.tokens);
            risk += layer.risk(batch.tokens);
        }
        training.batchRisks.push_back(risk / options.sequencesPerBatch);
        heads -= (options.learningRate / options.sequencesPerBatch) * gradient;
        recordSnapshot(step + 1);
        progress.report(static_cast<double>(step + 1) / options.steps);
    }
    return training;
}

ClusteringTraining trainAttentionClustering(const ClusteringTrainingOptions& options) {
    SilentProgress progress;
    return trainAttentionClustering(options, progress);
}

} // namespace locallab
