#include "locallab/attention/layer_stack.hpp"

#include "cancel_only_progress.hpp"
#include "locallab/attention/random_matrix.hpp"
#include "locallab/data/random_stream.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace locallab {
namespace {

// Distinct, reproducible seeds for the projections of each layer.
std::uint64_t layerSeed(std::uint64_t seed, int layer) {
    constexpr std::uint64_t golden = 0x9E3779B97F4A7C15ULL;
    return seed + golden * static_cast<std::uint64_t>(layer + 1);
}

class TokenMlp {
public:
    TokenMlp(Eigen::Index dimension, const TokenMlpOptions& options, RandomStream& random)
        : activation_(options.activation) {
        const Eigen::Index hidden = options.hiddenWidth > 0 ? options.hiddenWidth : 2 * dimension;
        input_ = gaussianMatrix(dimension, hidden,
                                options.weightScale / std::sqrt(static_cast<double>(dimension)), random);
        output_ = gaussianMatrix(hidden, dimension,
                                 options.weightScale / std::sqrt(static_cast<double>(hidden)), random);
    }

    // Tokens are rows, so the weights act from the right: y + φ(y W_1) W_2.
    Eigen::MatrixXd applyResidual(const Eigen::MatrixXd& tokens) const {
        return tokens + activate(tokens * input_, activation_) * output_;
    }

private:
    Activation activation_;
    Eigen::MatrixXd input_;
    Eigen::MatrixXd output_;
};

void checkOptions(const LayerStackOptions& options) {
    if (options.layerCount < 1) {
        throw std::invalid_argument("a layer stack needs at least one layer, got " +
                                    std::to_string(options.layerCount));
    }
    if (!(options.residualMixing >= 0.0 && options.residualMixing <= 1.0)) {
        std::ostringstream message;
        message << "the residual mixing α must lie in [0, 1], got " << options.residualMixing;
        throw std::invalid_argument(message.str());
    }
}

} // namespace

Eigen::MatrixXd activate(const Eigen::MatrixXd& values, Activation activation) {
    if (activation == Activation::Tanh) {
        return values.array().tanh().matrix();
    }
    return values.cwiseMax(0.0);
}

LayerStackResult runLayerStack(const Eigen::MatrixXd& tokens, const LayerStackOptions& options,
                               Progress& progress) {
    checkOptions(options);
    RandomStream mlpRandom(options.seed);
    CancelOnlyProgress layerProgress(progress);
    LayerStackResult result;
    result.tokens.push_back(tokens);
    for (int layer = 0; layer < options.layerCount; ++layer) {
        progress.checkCanceled();
        MultiHeadOptions attentionOptions = options.attention;
        attentionOptions.seed = layerSeed(options.attention.seed, layer);
        const MultiHeadAttention attention(tokens.cols(), attentionOptions);
        const Eigen::MatrixXd& input = result.tokens.back();
        const MultiHeadResult attended = attention.apply(input, layerProgress);
        Eigen::MatrixXd mixed =
            options.residualMixing * attended.output + (1.0 - options.residualMixing) * input;
        if (options.mlp.enabled) {
            mixed = TokenMlp(tokens.cols(), options.mlp, mlpRandom).applyResidual(mixed);
        }
        result.attentionWeights.push_back(attended.meanWeights());
        result.tokens.push_back(std::move(mixed));
        progress.report(static_cast<double>(layer + 1) / options.layerCount);
    }
    return result;
}

LayerStackResult runLayerStack(const Eigen::MatrixXd& tokens, const LayerStackOptions& options) {
    SilentProgress progress;
    return runLayerStack(tokens, options, progress);
}

} // namespace locallab
