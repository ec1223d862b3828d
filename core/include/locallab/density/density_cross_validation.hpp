#pragma once
// Likelihood cross-validation of a density's bandwidth: for each candidate h, the leave-one-out log
// likelihood Σ_i log f̂_{h,−i}(x_i) (each point scored by the density of all the others). The whole
// curve is returned so it can be plotted; the optimum is its largest finite score. Everything stays in
// the log domain; a point no other point reaches (compact kernel, small h) makes the score −∞.

#include "locallab/kernel/radial_kernel.hpp"
#include "locallab/util/progress.hpp"

#include <Eigen/Core>
#include <vector>

namespace locallab {

struct DensityCrossValidation {
    Eigen::VectorXd bandwidths; // the candidates, in the order given
    Eigen::VectorXd scores;     // Σ_i log f̂_{−i}(x_i) for each; −∞ where some point has no support
    Eigen::Index bestIndex = 0; // largest score
    double bestBandwidth() const { return bandwidths[bestIndex]; }
};

// count bandwidths spaced evenly in log between smallest and largest (both included).
Eigen::VectorXd logSpacedBandwidths(double smallest, double largest, Eigen::Index count);

// points: n ≥ 2 rows. Scalar bandwidths. Throws std::invalid_argument for fewer than two points or
// non-positive bandwidths, std::domain_error when every score is −∞ (no bandwidth is usable).
DensityCrossValidation crossValidateDensity(const Eigen::MatrixXd& points, const RadialKernel& kernel,
                                            const Eigen::VectorXd& bandwidths, Progress& progress);
DensityCrossValidation crossValidateDensity(const Eigen::MatrixXd& points, const RadialKernel& kernel,
                                            const Eigen::VectorXd& bandwidths);

} // namespace locallab
