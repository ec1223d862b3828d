#pragma once
// One MeanShift step spelled out, for showing the update rule with its numbers: at x, the weights
// g_i = g(u_i) of every data point, their sum, the local mean m(x) = Σ g_i x_i / Σ g_i and the shift
// m(x) − x. The weights are formed in the log domain relative to the largest one, so a seed far out in
// a Gaussian's tail still moves towards the data instead of dividing 0 by 0.
//
// This is the textbook formula summed over all n points; meanShift() computes the same steps faster
// (neighbour search, parallel seeds) and is what clusters. Scalar bandwidths only.

#include "locallab/kernel/radial_kernel.hpp"

#include <Eigen/Core>
#include <vector>

namespace locallab {

struct MeanShiftStep {
    Eigen::VectorXd position;  // x
    double logWeightSum = 0.0; // log Σ g_i (−∞ when no point has weight)
    Eigen::Index pointsWithinBandwidth = 0;
    double effectivePointCount = 0.0; // (Σ g_i)² / Σ g_i²
    Eigen::VectorXd localMean;        // m(x); equal to x when no point has weight
    Eigen::VectorXd shift;            // m(x) − x
};

// log g(u) for the kernel's shadow profile (see RadialKernel::shadow); −∞ where g(u) = 0.
double logShadow(const RadialKernel& kernel, double u);

MeanShiftStep meanShiftStep(const Eigen::MatrixXd& points, const RadialKernel& kernel, double bandwidth,
                            const Eigen::VectorXd& position);

// The steps of one seed until a step is at most stopFactor·h or maxIterations steps were taken; the last
// entry is where the seed stopped (its shift is the step it would take next).
std::vector<MeanShiftStep> meanShiftSteps(const Eigen::MatrixXd& points, const RadialKernel& kernel,
                                          double bandwidth, const Eigen::VectorXd& seed, int maxIterations,
                                          double stopFactor = 1e-3);

} // namespace locallab
