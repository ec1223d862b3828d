#pragma once
// The parameters of MeanShift image filtering and segmentation, declared once: the image explorer's
// panel and any batch front end are generated from this list.

#include "locallab/meanshift/image_mean_shift.hpp"
#include "locallab/util/parameter.hpp"

#include <vector>

namespace locallab {

std::vector<ParameterDescription> imageMeanShiftParameters();

// Reads the values of imageMeanShiftParameters() into options. Throws std::invalid_argument with the
// parameter's name when a value is out of range.
ImageMeanShiftOptions imageMeanShiftOptionsFrom(const ParameterValues& values);

} // namespace locallab
