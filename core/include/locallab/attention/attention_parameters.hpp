#pragma once
// The parameters of the attention explorer and of `locallab-cli attention`, declared once: kernel,
// temperature (log scale), neighbours, heads, causal mask, positional factor and its length, layers and
// residual mixing.

#include "locallab/attention/layer_stack.hpp"
#include "locallab/util/parameter.hpp"

#include <vector>

namespace locallab {

const std::vector<ParameterDescription>& attentionParameters();

// The layer stack those values describe (identity projections split among the heads).
LayerStackOptions layerStackOptionsFrom(const ParameterValues& values);

} // namespace locallab
