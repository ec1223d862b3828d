#include "locallab/manifold/lle_parameters.hpp"

#include <array>
#include <stdexcept>
#include <utility>

namespace locallab {

namespace {

constexpr std::array<std::pair<LleMethod, const char*>, 4> methodNames{{
    {LleMethod::Standard, "standard"},
    {LleMethod::Modified, "modified"},
    {LleMethod::Hessian, "hessian"},
    {LleMethod::Ltsa, "ltsa"},
}};

constexpr std::array<std::pair<EigenSolverChoice, const char*>, 3> solverNames{{
    {EigenSolverChoice::Automatic, "auto"},
    {EigenSolverChoice::Dense, "dense"},
    {EigenSolverChoice::Sparse, "sparse"},
}};

EigenSolverChoice solverFromName(const std::string& name) {
    for (const auto& [solver, solverName] : solverNames) {
        if (name == solverName) {
            return solver;
        }
    }
    throw std::invalid_argument("unknown eigen solver '" + name + "'; expected auto, dense or sparse");
}

} // namespace

std::vector<std::string> lleMethodNames() {
    std::vector<std::string> names;
    for (const auto& entry : methodNames) {
        names.emplace_back(entry.second);
    }
    return names;
}

LleMethod lleMethodFromName(const std::string& name) {
    for (const auto& [method, methodName] : methodNames) {
        if (name == methodName) {
            return method;
        }
    }
    throw std::invalid_argument("unknown LLE method '" + name +
                                "'; expected standard, modified, hessian or ltsa");
}

std::string lleMethodName(LleMethod method) {
    for (const auto& [candidate, name] : methodNames) {
        if (candidate == method) {
            return name;
        }
    }
    return "standard";
}

std::vector<ParameterDescription> lleParameters() {
    return {
        integerParameter("neighbors", "Neighbours k", 1, 1000, 5,
                         "How many nearest points rebuild each point (the point itself not counted)."),
        integerParameter("components", "Components d", 1, 10, 2, "The dimension of the embedding."),
        realParameter(
            "reg", "Regularisation", 1e-9, 1.0, 1e-3,
            "Added to each local Gram matrix, relative to its trace, so the weights stay defined when "
            "there are more neighbours than dimensions.",
            true),
        choiceParameter(
            "method", "Method", lleMethodNames(), "standard",
            "standard LLE, modified LLE (several weight vectors per point), Hessian eigenmaps, or "
            "local tangent space alignment."),
        choiceParameter("eigen-solver", "Eigensolver", {"auto", "dense", "sparse"}, "auto",
                        "dense: exact, for up to a few thousand points; sparse: shift-invert Lanczos on the "
                        "sparse matrix; auto: dense up to 400 points."),
    };
}

LocallyLinearEmbeddingOptions lleOptionsFromParameters(const ParameterValues& values) {
    LocallyLinearEmbeddingOptions options;
    options.neighbors = static_cast<Eigen::Index>(values.integer("neighbors"));
    options.components = static_cast<Eigen::Index>(values.integer("components"));
    options.reg = values.real("reg");
    options.method = lleMethodFromName(values.choice("method"));
    if (values.contains("eigen-solver")) {
        options.eigenSolver = solverFromName(values.choice("eigen-solver"));
    }
    return options;
}

} // namespace locallab
