#include "locallab/local/kernel_classifier_parameters.hpp"

#include <stdexcept>

namespace locallab {

namespace {

constexpr const char* nearestNeighborsChoice = "knn";

} // namespace

std::vector<ParameterDescription> kernelClassifierParameters() {
    std::vector<std::string> kernels = kernelProfileNames();
    kernels.emplace_back(nearestNeighborsChoice);
    return {
        choiceParameter(
            "kernel", "Kernel", std::move(kernels), "gaussian",
            "The localization kernel: a radial profile of the scaled distance, or knn, which gives "
            "weight 1 to the k nearest points and 0 to the others."),
        realParameter("bandwidth", "Bandwidth h", 1e-3, 1e3, 1.0,
                      "The radial kernel's scale: the Gaussian's standard deviation, the radius of compact "
                      "kernels (not used by knn).",
                      true),
        integerParameter("neighbors", "Neighbours k", 1, 10000, 5,
                         "With the knn kernel, how many nearest points vote (at most the number of points)."),
    };
}

KernelClassifierSettings kernelClassifierSettingsFrom(const ParameterValues& values) {
    validateParameters(kernelClassifierParameters(), values);
    const std::string& kernel = values.choice("kernel");
    if (kernel == nearestNeighborsChoice) {
        return KernelClassifierSettings::nearestNeighbors(values.integer("neighbors"));
    }
    return KernelClassifierSettings::radial(RadialKernel(*parseKernelProfile(kernel)),
                                            Bandwidth::scalar(values.real("bandwidth")));
}

} // namespace locallab
