#pragma once
// The parameters of locally linear embedding, declared once for the GUI panel, scene files and the CLI.

#include "locallab/manifold/locally_linear_embedding.hpp"
#include "locallab/util/parameter.hpp"

#include <string>
#include <vector>

namespace locallab {

// neighbors, components, reg (log scale), method, eigen-solver; defaults as scikit-learn's.
std::vector<ParameterDescription> lleParameters();

LocallyLinearEmbeddingOptions lleOptionsFromParameters(const ParameterValues& values);

std::vector<std::string> lleMethodNames(); // "standard", "modified", "hessian", "ltsa"
// Throws std::invalid_argument listing the valid names.
LleMethod lleMethodFromName(const std::string& name);
std::string lleMethodName(LleMethod method);

} // namespace locallab
