#pragma once
// The noise level of a linear smoother and the pointwise variance band it implies. With L the hat
// matrix (rows l(x_i)), the residual sum of squares has expectation σ²(n − 2 tr L + tr LᵀL) when the
// fit is unbiased, so
//
//     σ̂² = Σ_i (y_i − ŷ_i)² / (n − 2 tr L + tr LᵀL)
//
// (Cleveland & Devlin 1988; Wasserman, All of Nonparametric Statistics, §5.3), and the variance of the
// fit at x* is σ̂² Σ_i l_i(x*)².

#include "locallab/local/local_fit.hpp"
#include "locallab/local/smoother_weights.hpp"
#include "locallab/util/progress.hpp"

#include <Eigen/Core>

namespace locallab {

struct NoiseVarianceEstimate {
    double variance = 0.0; // σ̂²
    double residualSumOfSquares = 0.0;
    double traceSmoother = 0.0;            // tr L, the effective number of parameters
    double traceSmootherSquared = 0.0;     // tr LᵀL
    double residualDegreesOfFreedom = 0.0; // n − 2 tr L + tr LᵀL
};

// Throws std::domain_error when the residual degrees of freedom are not positive (an interpolating fit)
// or some data point has no fit.
NoiseVarianceEstimate estimateNoiseVariance(const LinearSmoother& smoother, Progress& progress);

// σ̂·sqrt(Σ_i l_i(x*)²) at every row of targets; NoSupport where the smoother has no fit.
LocalFit standardErrors(const LinearSmoother& smoother, const Eigen::MatrixXd& targets, double noiseVariance,
                        Progress& progress);

} // namespace locallab
