#pragma once
// Attention as a localization kernel: every query spreads a unit of weight over the keys, and the
// output is the local mean of the values under those weights (THEORY.md, "self-attention"). The
// kernels are the four the app compares:
//
//   softmax     log w_ij = ⟨q_i, k_j⟩ / τ                      (dot-product attention, τ = √d_k)
//   gaussian    log w_ij = −||q_i − k_j||² / (2τ)              (equals softmax for equal-norm tokens, h² = τ)
//   cosine      log w_ij = cos(q_i, k_j) / τ                   (softmax over normalised vectors)
//   knn         w_ij = 1 for the k largest ⟨q_i, k_j⟩, else 0  (hard attention)
//
// optionally times a positional kernel exp(−(i − j)²/(2ℓ²)) and a causal mask (key j > query i gets
// weight 0). Rows are normalised in the log domain, so a tiny τ gives a one-hot row rather than 0/0.

#include "locallab/util/progress.hpp"

#include <Eigen/Core>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace locallab {

enum class AttentionKernel { Softmax, Gaussian, Cosine, NearestNeighbors };

// "softmax", "gaussian", "cosine", "knn"; case-insensitive.
std::optional<AttentionKernel> parseAttentionKernel(std::string_view name);
std::string_view attentionKernelName(AttentionKernel kernel);
// Every kernel's name, in the order of the enum (for choice lists).
const std::vector<std::string>& attentionKernelNames();

struct AttentionWeightOptions {
    AttentionKernel kernel = AttentionKernel::Softmax;
    // τ > 0; empty means √d_k, the Transformer's choice (d_k = the key dimension).
    std::optional<double> temperature;
    // k for the knn kernel; clamped to the number of keys a query may see.
    Eigen::Index neighborCount = 5;
    // ℓ of the positional factor exp(−(i − j)²/(2ℓ²)); empty means no positional factor.
    std::optional<double> positionalLength;
    // A query i sees only keys j ≤ i.
    bool causal = false;
};

// The τ that options give for keys of the given dimension. Throws std::invalid_argument when the
// temperature or the positional length is not a positive finite number.
double effectiveTemperature(const AttentionWeightOptions& options, Eigen::Index keyDimension);

// The unnormalised log weights, queries × keys, −∞ where the weight is exactly 0 (masked, or not among
// the k nearest). Throws std::invalid_argument when the column counts differ.
Eigen::MatrixXd attentionLogWeights(const Eigen::MatrixXd& queries, const Eigen::MatrixXd& keys,
                                    const AttentionWeightOptions& options);

// Softmax of every row in place through a log-sum-exp. Throws std::domain_error naming the first row
// that has no finite entry or an entry of +∞ (a temperature so small that the scores overflow).
void normalizeLogWeightRows(Eigen::Ref<Eigen::MatrixXd> logWeights, Eigen::Index firstRowNumber = 0);

// The same softmax for log weights stored keys × queries, one query per column: every column in place.
// A column of a column-major matrix is contiguous, so this is the fast layout for large matrices that are
// normalised again and again (a temperature slider). Throws like normalizeLogWeightRows, naming the query.
void normalizeLogWeightColumns(Eigen::Ref<Eigen::MatrixXd> logWeights, Eigen::Index firstColumnNumber = 0);

// The attention matrix: attentionLogWeights normalised so that every row sums to 1.
Eigen::MatrixXd attentionWeights(const Eigen::MatrixXd& queries, const Eigen::MatrixXd& keys,
                                 const AttentionWeightOptions& options);

// What one attention pass gives back: the weights (queries × keys) and the output, weights · values,
// the local mean of the values for every query.
struct AttentionResult {
    Eigen::MatrixXd weights;
    Eigen::MatrixXd output;
};

// Weights and output, computed in blocks of queries in parallel; checks for cancellation once per block.
AttentionResult attend(const Eigen::MatrixXd& queries, const Eigen::MatrixXd& keys,
                       const Eigen::MatrixXd& values, const AttentionWeightOptions& options,
                       Progress& progress);
AttentionResult attend(const Eigen::MatrixXd& queries, const Eigen::MatrixXd& keys,
                       const Eigen::MatrixXd& values, const AttentionWeightOptions& options);

// −Σ_j w_ij log w_ij for every row (natural log, 0·log 0 = 0): 0 for a one-hot row, log n for a uniform
// one. How local each query's attention is.
Eigen::VectorXd rowEntropy(const Eigen::MatrixXd& weights);

} // namespace locallab
