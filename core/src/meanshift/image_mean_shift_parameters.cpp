#include "locallab/meanshift/image_mean_shift_parameters.hpp"

#include <stdexcept>

namespace locallab {

namespace {

ParameterDescription numberParameter(std::string name, std::string label, ParameterType type, double minimum,
                                     double maximum, double defaultValue, bool logScale, std::string help) {
    ParameterDescription description;
    description.name = std::move(name);
    description.label = std::move(label);
    description.type = type;
    description.minimum = minimum;
    description.maximum = maximum;
    description.defaultValue = defaultValue;
    description.logScale = logScale;
    description.help = std::move(help);
    return description;
}

} // namespace

std::vector<ParameterDescription> imageMeanShiftParameters() {
    const ImageMeanShiftOptions defaults;

    ParameterDescription kernel;
    kernel.name = "kernel";
    kernel.label = "Kernel";
    kernel.type = ParameterType::Choice;
    kernel.choices = kernelProfileNames();
    kernel.defaultChoice = std::string(defaults.kernel.name());
    kernel.help = "The profile applied to the joint distance u = (Δx² + Δy²)/h_s² + |Δcolour|²/h_r²; its "
                  "shadow weights the pixels (uniform = the paper's flat kernel).";

    return {
        numberParameter("spatial-bandwidth", "Spatial bandwidth h_s (pixels)", ParameterType::Real, 1.0, 64.0,
                        defaults.spatialBandwidth, true,
                        "How far a pixel looks for company: the half-width of the square window, in pixels."),
        numberParameter("range-bandwidth", "Range bandwidth h_r (colour)", ParameterType::Real, 1.0, 500.0,
                        defaults.rangeBandwidth, true,
                        "How different a colour may be and still count as the same region, in units of "
                        "0..255. Edges with a larger step are kept."),
        kernel,
        numberParameter("min-region-area", "Minimum segment area (pixels)", ParameterType::Integer, 1.0,
                        10000.0, defaults.minimumRegionArea, true,
                        "Segments with fewer pixels are merged into the neighbouring segment of closest "
                        "colour."),
        numberParameter("max-iter", "Maximum iterations", ParameterType::Integer, 1.0, 200.0,
                        defaults.maxIterations, false,
                        "A pixel stops climbing after this many steps even if it is still moving."),
    };
}

ImageMeanShiftOptions imageMeanShiftOptionsFrom(const ParameterValues& values) {
    const auto descriptions = imageMeanShiftParameters();
    for (const auto& [name, value] : values.all()) {
        if (const auto* description = findParameter(descriptions, name)) {
            if (const auto problem = validateParameter(*description, value)) {
                throw std::invalid_argument(*problem);
            }
        }
    }
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
