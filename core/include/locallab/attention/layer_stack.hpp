#pragma once
// A Transformer as a hierarchy of local models (THEORY.md): every layer replaces each token by a mix of
// itself and its local mean under attention, then lets a small token-wise MLP act on it:
//
//   y = α · attention(x) + (1 − α) · x          (α = residual mixing; α = 1 is pure attention)
//   x' = y + W_2 φ(W_1 y)                        (optional; φ = tanh or ReLU, seeded weights)
//
// Every layer's tokens are kept so that the path of each token through the layers can be drawn.

#include "locallab/attention/multi_head_attention.hpp"
#include "locallab/util/progress.hpp"

#include <Eigen/Core>
#include <cstdint>
#include <vector>

namespace locallab {

enum class Activation { Tanh, Relu };

struct TokenMlpOptions {
    bool enabled = false;
    Eigen::Index hiddenWidth = 0; // 0 means 2·d
    Activation activation = Activation::Tanh;
    // W_1 has entries N(0, scale²/d) and W_2 N(0, scale²/hidden): scale 1 keeps the update of the
    // order of the token itself.
    double weightScale = 0.5;
};

struct LayerStackOptions {
    int layerCount = 2;
    double residualMixing = 1.0; // α in [0, 1]
    MultiHeadOptions attention;  // its seed is varied per layer, so random projections differ by layer
    TokenMlpOptions mlp;
    std::uint64_t seed = 1; // of the MLP weights
};

struct LayerStackResult {
    std::vector<Eigen::MatrixXd> tokens;           // layerCount + 1 matrices: the input, then every layer
    std::vector<Eigen::MatrixXd> attentionWeights; // layerCount head-averaged attention matrices
};

// Throws std::invalid_argument when layerCount < 1 or α lies outside [0, 1]; checks for cancellation
// once per layer and per block of queries.
LayerStackResult runLayerStack(const Eigen::MatrixXd& tokens, const LayerStackOptions& options,
                               Progress& progress);
LayerStackResult runLayerStack(const Eigen::MatrixXd& tokens, const LayerStackOptions& options);

// φ applied to every entry.
Eigen::MatrixXd activate(const Eigen::MatrixXd& values, Activation activation);

} // namespace locallab
