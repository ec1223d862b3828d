#include "locallab/meanshift/mean_shift_parameters.hpp"

#include <stdexcept>

namespace locallab {

std::vector<ParameterDescription> meanShiftParameters() {
    ParameterDescription kernel;
    kernel.name = "kernel";
    kernel.label = "Kernel";
    kernel.type = ParameterType::Choice;
    kernel.choices = kernelProfileNames();
    kernel.defaultChoice = "gaussian";
    kernel.help = "The kernel profile k; its shadow g = −k′ weights the points in each step "
                  "(uniform = scikit-learn's flat kernel).";

    ParameterDescription bandwidth;
    bandwidth.name = "bandwidth";
    bandwidth.label = "Bandwidth h";
    bandwidth.minimum = 1e-3;
    bandwidth.maximum = 1e3;
    bandwidth.defaultValue = 1.0;
    bandwidth.logScale = true;
    bandwidth.help = "The kernel's scale: the Gaussian's standard deviation, the radius of compact kernels.";

    ParameterDescription seeding;
    seeding.name = "seeding";
    seeding.label = "Seeds";
    seeding.type = ParameterType::Choice;
    seeding.choices = {"points", "bins"};
    seeding.defaultChoice = "points";
    seeding.help = "Start a climb at every data point, or at every occupied bin of side h (bin seeding).";

    ParameterDescription minBinFrequency;
    minBinFrequency.name = "min-bin-freq";
    minBinFrequency.label = "Minimum points per bin";
    minBinFrequency.type = ParameterType::Integer;
    minBinFrequency.minimum = 1;
    minBinFrequency.maximum = 1000;
    minBinFrequency.defaultValue = 1;
    minBinFrequency.help = "With bin seeding, bins holding fewer points than this are not seeded.";

    ParameterDescription maxIterations;
    maxIterations.name = "max-iter";
    maxIterations.label = "Maximum iterations";
    maxIterations.type = ParameterType::Integer;
    maxIterations.minimum = 1;
    maxIterations.maximum = 10000;
    maxIterations.defaultValue = 300;
    maxIterations.help = "A seed stops after this many steps even if it is still moving.";

    ParameterDescription clusterAll;
    clusterAll.name = "cluster-all";
    clusterAll.label = "Assign every point";
    clusterAll.type = ParameterType::Boolean;
    clusterAll.defaultValue = 1.0;
    clusterAll.help = "Give every point its nearest mode; otherwise points farther than h from every mode "
                      "are left unassigned (label −1).";

    return {kernel, bandwidth, seeding, minBinFrequency, maxIterations, clusterAll};
}

MeanShiftOptions meanShiftOptionsFrom(const ParameterValues& values) {
    const auto descriptions = meanShiftParameters();
    for (const auto& [name, value] : values.all()) {
        if (const auto* description = findParameter(descriptions, name)) {
            if (const auto problem = validateParameter(*description, value)) {
                throw std::invalid_argument(*problem);
            }
        }
    }
    MeanShiftOptions options;
    options.kernel = RadialKernel(*parseKernelProfile(values.choice("kernel")));
    options.bandwidth = Bandwidth::scalar(values.real("bandwidth"));
    options.seeding =
        values.choice("seeding") == "bins" ? SeedingStrategy::BinSeeding : SeedingStrategy::AllPoints;
    options.minBinFrequency = static_cast<int>(values.integer("min-bin-freq"));
    options.maxIterations = static_cast<int>(values.integer("max-iter"));
    options.clusterAll = values.boolean("cluster-all");
    return options;
}

} // namespace locallab
