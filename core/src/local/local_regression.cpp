#include "locallab/local/local_regression.hpp"

#include "parallel_targets.hpp"

#include <Eigen/Cholesky>
#include <cmath>
#include <stdexcept>
#include <string>
#include <tbb/enumerable_thread_specific.h>

namespace locallab {

struct LocalRegression::Workspace {
    std::vector<WeightedNeighbor> neighbors;
    std::vector<double> difference;
    std::vector<double> monomials;
    Eigen::MatrixXd normalMatrix;
    Eigen::VectorXd moments;
};

namespace {

void checkInputs(const Eigen::MatrixXd& points, const Eigen::VectorXd& responses,
                 const LocalRegressionSettings& settings) {
    if (points.rows() == 0) {
        throw std::invalid_argument("local regression needs at least one data point");
    }
    if (points.rows() != responses.size()) {
        throw std::invalid_argument("local regression: " + std::to_string(points.rows()) + " points but " +
                                    std::to_string(responses.size()) + " responses");
    }
    if (settings.degree < 0) {
        throw std::invalid_argument("local regression: the degree must be 0 or more");
    }
    if (!points.allFinite() || !responses.allFinite()) {
        throw std::invalid_argument("local regression: the data contain NaN or infinite values");
    }
}

} // namespace

LocalRegression::LocalRegression(Eigen::MatrixXd points, Eigen::VectorXd responses,
                                 LocalRegressionSettings settings)
    : points_((checkInputs(points, responses, settings), std::move(points))),
      responses_(std::move(responses)), settings_(std::move(settings)),
      neighborhood_(points_, settings_.kernel, settings_.bandwidth, settings_.truncationTolerance),
      basis_(points_.cols(), settings_.degree) {}

LocalEstimate LocalRegression::solve(const Eigen::VectorXd& whitenedTarget, Workspace& workspace,
                                     Eigen::Index excludedRow, SmootherWeights* weights) const {
    std::vector<WeightedNeighbor>& neighbors = workspace.neighbors;
    if (!neighborhood_.gather(whitenedTarget, neighbors, excludedRow)) {
        return {0.0, LocalFitStatus::NoSupport};
    }
    if (weights) {
        weights->indices.clear();
        weights->weights.clear();
        for (const WeightedNeighbor& neighbor : neighbors) {
            weights->indices.push_back(neighbor.index);
        }
    }

    if (settings_.degree == 0) { // the local mean needs no linear algebra
        double weightSum = 0.0;
        double weightedResponses = 0.0;
        for (const WeightedNeighbor& neighbor : neighbors) {
            weightSum += neighbor.weight;
            weightedResponses += neighbor.weight * responses_(neighbor.index);
        }
        if (weights) {
            for (const WeightedNeighbor& neighbor : neighbors) {
                weights->weights.push_back(neighbor.weight / weightSum);
            }
            weights->status = LocalFitStatus::Fitted;
        }
        return {weightedResponses / weightSum, LocalFitStatus::Fitted};
    }

    // Normal equations G β = b with G = Σ w φφᵀ, b = Σ w φ y, φ the monomials of x_i − x*.
    const Eigen::Index parameters = basis_.size();
    const Eigen::Index dimensions = dimension();
    workspace.difference.resize(static_cast<std::size_t>(dimensions));
    Eigen::MatrixXd& normalMatrix = workspace.normalMatrix;
    Eigen::VectorXd& moments = workspace.moments;
    normalMatrix.setZero(parameters, parameters);
    moments.setZero(parameters);
    const auto monomialsAt = [&](Eigen::Index row) {
        const double* point = neighborhood_.whitenedRow(row);
        for (Eigen::Index column = 0; column < dimensions; ++column) {
            workspace.difference[static_cast<std::size_t>(column)] = point[column] - whitenedTarget(column);
        }
        basis_.evaluate(workspace.difference.data(), workspace.monomials);
        return workspace.monomials.data();
    };
    for (const WeightedNeighbor& neighbor : neighbors) {
        const double* monomials = monomialsAt(neighbor.index);
        const double response = responses_(neighbor.index);
        for (Eigen::Index a = 0; a < parameters; ++a) {
            const double weighted = neighbor.weight * monomials[a];
            moments(a) += weighted * response;
            for (Eigen::Index b = a; b < parameters; ++b) {
                normalMatrix(a, b) += weighted * monomials[b];
            }
        }
    }
    normalMatrix.triangularView<Eigen::StrictlyLower>() = normalMatrix.transpose();

    // Scale to unit diagonal so that the condition check does not depend on units or on h.
    Eigen::VectorXd scale = normalMatrix.diagonal().cwiseSqrt();
    for (Eigen::Index a = 0; a < parameters; ++a) {
        if (!(scale(a) > 0.0)) {
            scale(a) = 1.0; // a column that is zero on the window: the ridge will take care of it
        }
    }
    Eigen::MatrixXd scaled =
        scale.cwiseInverse().asDiagonal() * normalMatrix * scale.cwiseInverse().asDiagonal();
    Eigen::LDLT<Eigen::MatrixXd> factorization(scaled);
    LocalFitStatus status = LocalFitStatus::Fitted;
    // Eigen's LDLT quietly solves through zero pivots, so the pivots are checked as well as rcond().
    const bool wellConditioned =
        factorization.info() == Eigen::Success && factorization.isPositive() &&
        factorization.vectorD().minCoeff() >= conditionLimit * factorization.vectorD().maxCoeff() &&
        factorization.rcond() >= conditionLimit;
    if (!wellConditioned) {
        scaled.diagonal().tail(parameters - 1).array() += ridgeSize;
        factorization.compute(scaled);
        status = LocalFitStatus::Regularized;
    }
    // u = G⁻¹e₁, so that ŷ = β₀ = uᵀb and l_i = w_i φ_iᵀu.
    Eigen::VectorXd unit = Eigen::VectorXd::Zero(parameters);
    unit(0) = 1.0 / scale(0);
    const Eigen::VectorXd firstRowOfInverse = factorization.solve(unit).cwiseQuotient(scale);
    if (weights) {
        for (const WeightedNeighbor& neighbor : neighbors) {
            const double* monomials = monomialsAt(neighbor.index);
            double projection = 0.0;
            for (Eigen::Index a = 0; a < parameters; ++a) {
                projection += monomials[a] * firstRowOfInverse(a);
            }
            weights->weights.push_back(neighbor.weight * projection);
        }
        weights->status = status;
    }
    return {firstRowOfInverse.dot(moments), status};
}

LocalFit LocalRegression::fit(const Eigen::MatrixXd& targets, Progress& progress) const {
    if (targets.cols() != dimension()) {
        throw std::invalid_argument("local regression: targets have " + std::to_string(targets.cols()) +
                                    " columns, the data " + std::to_string(dimension()));
    }
    LocalFit result;
    result.values = Eigen::VectorXd::Zero(targets.rows());
    result.statuses.assign(static_cast<std::size_t>(targets.rows()), LocalFitStatus::NoSupport);
    tbb::enumerable_thread_specific<Workspace> workspaces;
    detail::forEachTargetBlock(targets.rows(), progress, [&](Eigen::Index begin, Eigen::Index end) {
        Workspace& workspace = workspaces.local();
        for (Eigen::Index target = begin; target < end; ++target) {
            const Eigen::VectorXd whitened = neighborhood_.whiten(targets.row(target).transpose());
            const LocalEstimate estimate = solve(whitened, workspace, -1, nullptr);
            result.values(target) = estimate.value;
            result.statuses[static_cast<std::size_t>(target)] = estimate.status;
        }
    });
    return result;
}

LocalFit LocalRegression::fitAtDataPoints(Progress& progress) const {
    return fit(points_, progress);
}

LocalEstimate LocalRegression::fitAt(const Eigen::VectorXd& target) const {
    Workspace workspace;
    return solve(neighborhood_.whiten(target), workspace, -1, nullptr);
}

LocalEstimate LocalRegression::fitLeavingOut(Eigen::Index row) const {
    Workspace workspace;
    return solve(neighborhood_.whitenedPoint(row), workspace, row, nullptr);
}

SmootherWeights LocalRegression::weightsAt(const Eigen::VectorXd& target) const {
    Workspace workspace;
    SmootherWeights weights;
    if (solve(neighborhood_.whiten(target), workspace, -1, &weights).status == LocalFitStatus::NoSupport) {
        return {};
    }
    return weights;
}

SmootherWeights LocalRegression::weightsAtDataPoint(Eigen::Index row) const {
    Workspace workspace;
    SmootherWeights weights;
    if (solve(neighborhood_.whitenedPoint(row), workspace, -1, &weights).status ==
        LocalFitStatus::NoSupport) {
        return {};
    }
    return weights;
}

} // namespace locallab
