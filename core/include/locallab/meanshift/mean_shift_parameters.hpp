#pragma once
// MeanShift's parameters, declared once: the explorer's panel, the scene file and locallab-cli's flags
// are all generated from this list.

#include "locallab/meanshift/mean_shift.hpp"
#include "locallab/util/parameter.hpp"

#include <vector>

namespace locallab {

std::vector<ParameterDescription> meanShiftParameters();

// Reads the values of meanShiftParameters() into options (kernel, bandwidth, seeding, merging).
// Throws std::invalid_argument with the parameter's name when a value is out of range.
MeanShiftOptions meanShiftOptionsFrom(const ParameterValues& values);

} // namespace locallab
