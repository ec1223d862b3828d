#include "locallab/meanshift/image_mean_shift_parameters.hpp"

#include <stdexcept>

namespace locallab {

std::vector<ParameterDescription> imageMeanShiftParameters() {
    const ImageMeanShiftOptions defaults;

    return {
        realParameter(
            "spatial-bandwidth", "Spatial bandwidth h_s (pixels)", 1.0, 64.0, defaults.spatialBandwidth,
            "How far a pixel looks for company: the half-width of the square window, in pixels.", true),
        realParameter("range-bandwidth", "Range bandwidth h_r (colour)", 1.0, 500.0, defaults.rangeBandwidth,
                      "How different a colour may be and still count as the same region, in units of "
                      "0..255. Edges with a larger step are kept.",
                      true),
        choiceParameter(
            "kernel", "Kernel", kernelProfileNames(), std::string(defaults.kernel.name()),
            "The profile applied to the joint distance u = (Δx² + Δy²)/h_s² + |Δcolour|²/h_r²; its "
            "shadow weights the pixels (uniform = the paper's flat kernel)."),
        integerParameter(
            "min-region-area", "Minimum segment area (pixels)", 1, 10000, defaults.minimumRegionArea,
            "Segments with fewer pixels are merged into the neighbouring segment of closest colour.", true),
        integerParameter("max-iter", "Maximum iterations", 1, 200, defaults.maxIterations,
                         "A pixel stops climbing after this many steps even if it is still moving."),
    };
}

ImageMeanShiftOptions imageMeanShiftOptionsFrom(const ParameterValues& values) {
    validateParameters(imageMeanShiftParameters(), values);
    ImageMeanShiftOptions options;
    options.spatialBandwidth = values.real("spatial-bandwidth");
    options.rangeBandwidth = values.real("range-bandwidth");
    const auto profile = parseKernelProfile(values.choice("kernel"));
    if (!profile) {
        throw std::invalid_argument("unknown kernel '" + values.choice("kernel") + "'");
    }
    options.kernel = RadialKernel(*profile);
    options.minimumRegionArea = static_cast<int>(values.integer("min-region-area"));
    options.maxIterations = static_cast<int>(values.integer("max-iter"));
    return options;
}

} // namespace locallab
