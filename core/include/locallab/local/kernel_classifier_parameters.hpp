#pragma once
// The kernel classifier's parameters, declared once: the explorer's panel, the scene file and
// locallab-cli's flags are all generated from this list.

#include "locallab/local/kernel_classifier.hpp"
#include "locallab/util/parameter.hpp"

#include <vector>

namespace locallab {

// kernel: every radial profile's name, then "knn"; bandwidth: h (radial kernels); neighbors: k (knn).
std::vector<ParameterDescription> kernelClassifierParameters();

// Reads the values of kernelClassifierParameters() into settings, with a scalar bandwidth. Throws
// std::invalid_argument naming the parameter when a value is out of range.
KernelClassifierSettings kernelClassifierSettingsFrom(const ParameterValues& values);

} // namespace locallab
