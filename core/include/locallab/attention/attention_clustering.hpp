#pragma once
// Attention-based clustering (Maulen-Soto, Marion, Boyer 2025; THEORY.md). The model implemented here,
// stated precisely because it is a simplified reading of the paper:
//
// Tokens x_1..x_n ∈ ℝ^d (rows of X). The layer has H heads (H = 2 in the paper's setting), head h with
// a parameter μ_h ∈ ℝ^d and a fixed sharpness λ > 0. Scores s_jh = λ⟨μ_h, x_j⟩.
//   attention of head h over the tokens   a_hj = softmax_j(s_jh)         (Σ_j a_hj = 1)
//   output of head h                      o_h  = Σ_j a_hj x_j              (a local mean of the tokens)
//   gate of token i onto head h           g_ih = softmax_h(s_ih)          (the heads whose μ_h is most
//                                                                         aligned with x_i take over)
//   reconstruction of token i             x̂_i = Σ_h g_ih o_h
// Reconstruction risk of a sequence: R(μ; X) = (1/n) Σ_i ||x_i − x̂_i||², averaged over a batch of
// sequences. Its gradient, with e_i = (2/n)(x̂_i − x_i), has two parts:
//   through the head outputs   ∂R/∂μ_h += λ Σ_j a_hj (⟨G_h, x_j⟩ − ⟨G_h, o_h⟩) x_j,   G_h = Σ_i g_ih e_i
//   through the gates          ∂R/∂μ_h += λ Σ_i g_ih (⟨e_i, o_h⟩ − ⟨e_i, x̂_i⟩) x_i
// A head whose μ_h points at one centroid attends to that cluster and outputs (about) its centroid, and
// the gate sends that cluster's tokens to it, so the risk is smallest when the heads split the
// centroids between them: stochastic gradient descent on fresh unlabelled batches finds that.

#include "locallab/attention/token_mixture.hpp"
#include "locallab/util/progress.hpp"

#include <Eigen/Core>
#include <cstdint>
#include <vector>

namespace locallab {

class ClusteringAttentionLayer {
public:
    // headParameters: H × d, μ_h in row h. Throws std::invalid_argument when there is no head or λ ≤ 0.
    ClusteringAttentionLayer(Eigen::MatrixXd headParameters, double sharpness);

    const Eigen::MatrixXd& headParameters() const { return headParameters_; }
    double sharpness() const { return sharpness_; }

    // x̂ for every token of one sequence, n × d.
    Eigen::MatrixXd reconstruct(const Eigen::MatrixXd& tokens) const;
    // R(μ; X) for one sequence.
    double risk(const Eigen::MatrixXd& tokens) const;
    // ∂R/∂μ, H × d, for one sequence (analytic, above).
    Eigen::MatrixXd riskGradient(const Eigen::MatrixXd& tokens) const;

private:
    struct Forward;
    Forward forward(const Eigen::MatrixXd& tokens) const;

    Eigen::MatrixXd headParameters_;
    double sharpness_;
};

struct ClusteringTrainingOptions {
    TokenMixtureOptions mixture;
    int headCount = 2;
    double sharpness = 0.5;    // λ
    double learningRate = 0.5; // plain SGD step
    int steps = 400;
    int sequencesPerBatch = 8; // fresh sequences drawn for every step
    double initialScale = 0.1; // μ_h starts as N(0, initialScale² I)
    std::uint64_t seed = 2;    // of the initial μ and the batches (the centroids use mixture.seed)
};

struct ClusteringTraining {
    Eigen::MatrixXd centroids;                   // 2 × d, the truth the heads never see
    std::vector<Eigen::MatrixXd> headParameters; // steps + 1 snapshots of μ (H × d), the first at start
    Eigen::MatrixXd cosineCurve;                 // (steps + 1) × H: cosine of μ_h to its nearest centroid
    std::vector<double> batchRisks;              // the risk of every step's batch, before the step
};

// Cosine similarity of every head parameter (row) to every centroid (row): H × centroids. A zero
// vector has cosine 0 with everything.
Eigen::MatrixXd cosineSimilarities(const Eigen::MatrixXd& headParameters, const Eigen::MatrixXd& centroids);

// Checks for cancellation and reports progress once per step.
ClusteringTraining trainAttentionClustering(const ClusteringTrainingOptions& options, Progress& progress);
ClusteringTraining trainAttentionClustering(const ClusteringTrainingOptions& options);

} // namespace locallab
