#pragma once
// Self-attention with several heads. Each head h projects the tokens X (n × d) to queries X·W_Q^h, keys
// X·W_K^h and values X·W_V^h, and returns the local mean of its values under its own attention kernel.
// Two layouts:
//   SplitDimensions         one d × d projection per role, its columns split among the heads (d_k = d/H,
//                           the first d mod H heads get one column more); head outputs are concatenated,
//                           so with identity projections head h attends within its own coordinates.
//   IndependentProjections  every head has its own d × d_k query and key projections and a d × d value
//                           projection; the layer output is the mean of the head outputs.
// Either way the output has d columns, so it can be mixed with the input in a residual layer.

#include "locallab/attention/attention_weights.hpp"
#include "locallab/util/progress.hpp"

#include <Eigen/Core>
#include <cstdint>
#include <vector>

namespace locallab {

enum class HeadLayout { SplitDimensions, IndependentProjections };
enum class ProjectionKind { Identity, Random };

// One head's projections: d × d_k for queries and keys, d × d_v for values.
struct HeadProjections {
    Eigen::MatrixXd query;
    Eigen::MatrixXd key;
    Eigen::MatrixXd value;
};

struct MultiHeadOptions {
    AttentionWeightOptions weights; // τ empty = √d_k of each head
    int headCount = 1;
    HeadLayout layout = HeadLayout::SplitDimensions;
    ProjectionKind projection = ProjectionKind::Identity;
    // IndependentProjections only: d_k of every head; 0 means d.
    Eigen::Index keyDimension = 0;
    // Random projections: entries N(0, 1/d), which keeps ||x·W|| near ||x||·√(columns/d).
    std::uint64_t seed = 1;
};

struct HeadResult {
    Eigen::MatrixXd queries;
    Eigen::MatrixXd keys;
    Eigen::MatrixXd values;
    Eigen::MatrixXd weights; // n × n, rows sum to 1
    Eigen::MatrixXd output;  // n × d_v, weights · values
};

struct MultiHeadResult {
    std::vector<HeadResult> heads;
    Eigen::MatrixXd output; // n × d

    // The mean of the heads' attention matrices, the one map a heatmap shows for the whole layer.
    Eigen::MatrixXd meanWeights() const;
};

class MultiHeadAttention {
public:
    // Builds the projections that options describe for tokens of modelDimension columns. Throws
    // std::invalid_argument when headCount < 1 or, for SplitDimensions, headCount > modelDimension.
    MultiHeadAttention(Eigen::Index modelDimension, const MultiHeadOptions& options);
    // Projections set by the caller; combined by the given layout (concatenation or mean).
    MultiHeadAttention(std::vector<HeadProjections> heads, AttentionWeightOptions weights, HeadLayout layout);

    const std::vector<HeadProjections>& heads() const { return heads_; }
    HeadLayout layout() const { return layout_; }
    Eigen::Index modelDimension() const;

    MultiHeadResult apply(const Eigen::MatrixXd& tokens, Progress& progress) const;
    MultiHeadResult apply(const Eigen::MatrixXd& tokens) const;

private:
    std::vector<HeadProjections> heads_;
    AttentionWeightOptions weights_;
    HeadLayout layout_;
};

} // namespace locallab
