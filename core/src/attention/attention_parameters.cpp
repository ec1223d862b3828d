#include "locallab/attention/attention_parameters.hpp"

#include <stdexcept>

namespace locallab {

const std::vector<ParameterDescription>& attentionParameters() {
    static const std::vector<ParameterDescription> parameters = {
        choiceParameter("kernel", "Kernel", attentionKernelNames(), "softmax",
                        "How a query weighs a key: softmax exp(<q,k>/T), gaussian exp(-|q-k|^2/(2T)), cosine "
                        "exp(cos(q,k)/T), or knn (uniform over the k largest scores)."),
        realParameter("temperature", "Temperature τ", 1e-3, 1e3, 1.0,
                      "The bandwidth of attention: small values attend to the single best key, large ones "
                      "average everything. Transformers use the square root of the key dimension.",
                      true),
        integerParameter("neighbors", "Neighbours k", 1, 1000, 5, "How many keys the knn kernel attends to."),
        integerParameter("heads", "Heads", 1, 16, 1,
                         "Number of attention heads; the coordinates are split among them."),
        booleanParameter("causal", "Causal mask", false,
                         "Each token attends only to itself and the tokens before it."),
        booleanParameter("positional", "Positional factor", false,
                         "Multiplies every weight by exp(-(i - j)^2/(2 l^2)), a kernel on the positions i, j "
                         "in the sequence: the product kernel of content and position."),
        realParameter("positional-length", "Positional length ℓ", 0.1, 4096.0, 4.0,
                      "How far along the sequence the positional factor reaches, in tokens; it does not "
                      "scale with the temperature.",
                      true),
        integerParameter("layers", "Layers", 1, 32, 1,
                         "How many attention layers are stacked, each acting on the previous one's tokens."),
        realParameter("residual", "Residual mixing α", 0.0, 1.0, 1.0,
                      "Each layer outputs α·attention(x) + (1 − α)·x: 1 is pure attention, 0 leaves the "
                      "tokens where they are."),
    };
    return parameters;
}

LayerStackOptions layerStackOptionsFrom(const ParameterValues& values) {
    const auto kernel = parseAttentionKernel(values.choice("kernel"));
    if (!kernel) {
        throw std::invalid_argument("unknown attention kernel '" + values.choice("kernel") + "'");
    }
    LayerStackOptions options;
    options.attention.weights.kernel = *kernel;
    options.attention.weights.temperature = values.real("temperature");
    options.attention.weights.neighborCount = values.integer("neighbors");
    options.attention.weights.causal = values.boolean("causal");
    if (values.boolean("positional")) {
        options.attention.weights.positionalLength = values.real("positional-length");
    }
    options.attention.headCount = static_cast<int>(values.integer("heads"));
    options.layerCount = static_cast<int>(values.integer("layers"));
    options.residualMixing = values.real("residual");
    return options;
}

} // namespace locallab
