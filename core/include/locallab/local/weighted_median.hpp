#pragma once
// The local model for the absolute loss: argmin_θ Σ_i w_i |y_i − θ| is a weighted median.

#include "locallab/local/kernel_neighborhood.hpp"
#include "locallab/local/local_fit.hpp"
#include "locallab/util/progress.hpp"

#include <Eigen/Core>
#include <vector>

namespace locallab {

// The smallest y whose cumulative weight (y sorted) reaches half the total; when the cumulative weight
// equals exactly half at some y, the minimizer is the whole interval up to the next y and its midpoint
// is returned (so equal weights give the ordinary median). Weights must be ≥ 0 with a positive sum;
// throws std::invalid_argument otherwise or for mismatched sizes.
double weightedMedian(const std::vector<double>& values, const std::vector<double>& weights);

// The kernel-weighted median of the responses at every row of targets (the "local median").
LocalFit localMedian(const KernelNeighborhood& neighborhood, const Eigen::VectorXd& responses,
                     const Eigen::MatrixXd& targets, Progress& progress);

} // namespace locallab
