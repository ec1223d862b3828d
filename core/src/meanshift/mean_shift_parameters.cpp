#include "locallab/meanshift/mean_shift_parameters.hpp"

#include <stdexcept>

namespace locallab {

std::vector<ParameterDescription> meanShiftParameters() {
    return {
        choiceParameter("kernel", "Kernel", kernelProfileNames(), "gaussian",
                        "The kernel profile k; its shadow g = −k′ weights the points in each step "
                        "(uniform = scikit-learn's flat kernel)."),
        realParameter("bandwidth", "Bandwidth h", 1e-3, 1e3, 1.0,
                      "The kernel's scale: the Gaussian's standard deviation, the radius of compact kernels.",
                      true),
        choiceParameter(
            "seeding", "Seeds", {"points", "bins"}, "points",
            "Start a climb at every data point, or at every occupied bin of side h (bin seeding)."),
        integerParameter("min-bin-freq", "Minimum points per bin", 1, 1000, 1,
                         "With bin seeding, bins holding fewer points than this are not seeded."),
        integerParameter("max-iter", "Maximum iterations", 1, 10000, 300,
                         "A seed stops after this many steps even if it is still moving."),
        booleanParameter("cluster-all", "Assign every point", true,
                         "Give every point its nearest mode; otherwise points farther than h from every mode "
                         "are left unassigned (label −1)."),
    };
}

MeanShiftOptions meanShiftOptionsFrom(const ParameterValues& values) {
    validateParameters(meanShiftParameters(), values);
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
