#include "locallab/attention/attention_parameters.hpp"

#include <stdexcept>

namespace locallab {

const std::vector<ParameterDescription>& attentionParameters() {
    static const std::vector<ParameterDescription> parameters = [] {
        std::vector<ParameterDescription> list;
        ParameterDescription kernel;
        kernel.name = "kernel";
        kernel.label = "Kernel";
        kernel.type = ParameterType::Choice;
        kernel.choices = attentionKernelNames();
        kernel.defaultChoice = "softmax";
        kernel.help = "How a query weighs a key: softmax exp(<q,k>/T), gaussian exp(-|q-k|^2/(2T)), cosine "
                      "exp(cos(q,k)/T), or knn (uniform over the k largest scores).";
        list.push_back(kernel);

        ParameterDescription temperature;
        temperature.name = "temperature";
        temperature.label = "Temperature τ";
        temperature.minimum = 1e-3;
        temperature.maximum = 1e3;
        temperature.defaultValue = 1.0;
        temperature.logScale = true;
        temperature.help =
            "The bandwidth of attention: small values attend to the single best key, large ones "
            "average everything. Transformers use the square root of the key dimension.";
        list.push_back(temperature);

        ParameterDescription neighbors;
        neighbors.name = "neighbors";
        neighbors.label = "Neighbours k";
        neighbors.type = ParameterType::Integer;
        neighbors.minimum = 1;
        neighbors.maximum = 1000;
        neighbors.defaultValue = 5;
        neighbors.help = "How many keys the knn kernel attends to.";
        list.push_back(neighbors);

        ParameterDescription heads;
        heads.name = "heads";
        heads.label = "Heads";
        heads.type = ParameterType::Integer;
        heads.minimum = 1;
        heads.maximum = 16;
        heads.defaultValue = 1;
        heads.help = "Number of attention heads; the coordinates are split among them.";
        list.push_back(heads);

        ParameterDescription causal;
        causal.name = "causal";
        causal.label = "Causal mask";
        causal.type = ParameterType::Boolean;
        causal.defaultValue = 0;
        causal.help = "Each token attends only to itself and the tokens before it.";
        list.push_back(causal);

        ParameterDescription layers;
        layers.name = "layers";
        layers.label = "Layers";
        layers.type = ParameterType::Integer;
        layers.minimum = 1;
        layers.maximum = 32;
        layers.defaultValue = 1;
        layers.help = "How many attention layers are stacked, each acting on the previous one's tokens.";
        list.push_back(layers);

        ParameterDescription residual;
        residual.name = "residual";
        residual.label = "Residual mixing α";
        residual.minimum = 0.0;
        residual.maximum = 1.0;
        residual.defaultValue = 1.0;
        residual.help = "Each layer outputs α·attention(x) + (1 − α)·x: 1 is pure attention, 0 leaves the "
                        "tokens where they are.";
        list.push_back(residual);
        return list;
    }();
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
    options.attention.headCount = static_cast<int>(values.integer("heads"));
    options.layerCount = static_cast<int>(values.integer("layers"));
    options.residualMixing = values.real("residual");
    return options;
}

} // namespace locallab
