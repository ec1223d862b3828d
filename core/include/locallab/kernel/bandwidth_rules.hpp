#pragma once
// Rules of thumb that choose a bandwidth from the data alone, defined exactly as the references users
// compare against: scipy.stats.gaussian_kde for Scott's and Silverman's factors, Silverman's robust 1-D
// rule, and scikit-learn's estimate_bandwidth for MeanShift. Degenerate data (fewer than two points, a
// column that never varies, collinear columns) is reported with std::invalid_argument, never as a NaN.

#include "locallab/kernel/bandwidth.hpp"

#include <Eigen/Core>

namespace locallab {

class Progress;

// What a multivariate rule gives: the factor, and the kernel it implies read two ways.
struct RuleOfThumbBandwidth {
    double factor = 0.0;
    // Kernel covariance factor²·Cov(X) (Cov with n − 1 in the denominator), as scipy's gaussian_kde.
    Bandwidth covariance = Bandwidth::scalar(1.0);
    // The diagonal reading: h_j = factor·σ_j per column, σ_j the sample standard deviation.
    Bandwidth perColumn = Bandwidth::scalar(1.0);
};

// n^(−1/(d+4))
double scottFactor(Eigen::Index pointCount, Eigen::Index dimension);
// (n(d+2)/4)^(−1/(d+4))
double silvermanFactor(Eigen::Index pointCount, Eigen::Index dimension);

RuleOfThumbBandwidth scottBandwidth(const Eigen::MatrixXd& points);
RuleOfThumbBandwidth silvermanBandwidth(const Eigen::MatrixXd& points);

// Sample covariance with n − 1 in the denominator (numpy.cov's default).
Eigen::MatrixXd sampleCovariance(const Eigen::MatrixXd& points);

// Silverman's rule for one column, robust to heavy tails: 0.9·min(σ̂, IQR/1.34)·n^(−1/5), σ̂ the sample
// standard deviation (n − 1) and IQR from numpy.percentile's default linear interpolation. When the IQR is
// 0 (more than half the values equal) σ̂ is used alone, as statsmodels does.
double robustSilvermanBandwidth(const Eigen::VectorXd& values);
// The quartile difference q(0.75) − q(0.25) with numpy.percentile's linear interpolation.
double interquartileRange(const Eigen::VectorXd& values);

// scikit-learn's estimate_bandwidth(X, quantile): with k = max(1, int(quantile·n)), the mean over the
// points of the distance to their k-th nearest neighbour, where a point is its own first neighbour (at
// distance 0). quantile ∈ [0, 1]. Parallel over points; cancellable.
double estimateBandwidth(const Eigen::MatrixXd& points, double quantile, Progress& progress);
double estimateBandwidth(const Eigen::MatrixXd& points, double quantile = 0.3);

} // namespace locallab
