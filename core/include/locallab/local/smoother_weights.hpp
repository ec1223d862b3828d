#pragma once
// Every linear smoother writes its estimate as ŷ(x*) = Σ_i l_i(x*) y_i. The weights l_i(x*) are what a
// view draws on the data, what the variance band σ̂²·Σ_i l_i(x*)² is made of, and, at the data points,
// the rows of the hat matrix L used by cross-validation.

#include "locallab/local/local_fit.hpp"

#include <Eigen/Core>
#include <vector>

namespace locallab {

struct SmootherWeights {
    std::vector<Eigen::Index> indices; // data rows with a nonzero weight
    std::vector<double> weights;       // l_i(x*) for those rows (they may be negative)
    LocalFitStatus status = LocalFitStatus::NoSupport;

    double apply(const Eigen::VectorXd& responses) const; // Σ_i l_i y_i
    double sumOfSquares() const;                          // Σ_i l_i²
    double weightOf(Eigen::Index row) const;              // l_row, 0 when the row is not listed
    Eigen::VectorXd dense(Eigen::Index size) const;       // all n weights, zeros included
};

class LinearSmoother {
public:
    virtual ~LinearSmoother() = default;

    virtual Eigen::Index size() const = 0;
    virtual const Eigen::VectorXd& responses() const = 0;
    // The weights of the fit at data row i (row i of the hat matrix).
    virtual SmootherWeights weightsAtDataPoint(Eigen::Index row) const = 0;
    // The weights of the fit at any target (a point of the smoother's input dimension).
    virtual SmootherWeights weightsAt(const Eigen::VectorXd& target) const = 0;
};

} // namespace locallab
