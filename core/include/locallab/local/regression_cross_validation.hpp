#pragma once
// Choosing the bandwidth of a local regression by leave-one-out least-squares cross-validation:
// CV(h) = (1/n) Σ_i (y_i − ŷ_{−i}(x_i))², over a list of bandwidths, the whole curve kept for plotting.
//
// For a local polynomial fit the leave-one-out residual needs no refit: the fit at x_i is a weighted
// least-squares fit whose design row at x_i is (1, 0, …, 0), so deleting point i gives exactly
// y_i − ŷ_{−i}(x_i) = (y_i − ŷ_i)/(1 − L_ii), L_ii = l_i(x_i). The shortcut is used where it is exact;
// where the fit at x_i was regularized, or 1 − L_ii is too small to divide by, the point is refitted
// without itself. When some point has no other point in its support the leave-one-out error is
// undefined and the curve holds +∞ for that bandwidth.

#include "locallab/local/local_regression.hpp"
#include "locallab/util/progress.hpp"

#include <Eigen/Core>
#include <vector>

namespace locallab {

struct CrossValidationCurve {
    std::vector<double> bandwidths; // scalar h, in the order given
    std::vector<double> errors;     // CV(h); +∞ where undefined
    std::size_t bestIndex = 0;      // the smallest finite error (the first one on ties)

    double bestBandwidth() const { return bandwidths[bestIndex]; }
    double bestError() const { return errors[bestIndex]; }
};

// The mean squared leave-one-out residual of one fit, through the hat-matrix shortcut.
double leaveOneOutError(const LocalRegression& regression, Progress& progress);
// The same by refitting without each point in turn (for checking the shortcut, and slow).
double leaveOneOutErrorByRefitting(const LocalRegression& regression, Progress& progress);

// CV over scalar bandwidths; settings.bandwidth is replaced by each h in turn. Throws
// std::invalid_argument for an empty list or a bandwidth that is not positive and finite, and
// std::domain_error when every bandwidth's error is undefined.
CrossValidationCurve crossValidateBandwidth(const Eigen::MatrixXd& points, const Eigen::VectorXd& responses,
                                            const LocalRegressionSettings& settings,
                                            const std::vector<double>& bandwidths, Progress& progress);

// A log-spaced grid from twice the median nearest-neighbour distance to twice the data's spread
// (root of the summed column variances): the range where a bandwidth for these points can be useful.
std::vector<double> defaultBandwidthGrid(const Eigen::MatrixXd& points, int count = 30);

} // namespace locallab
