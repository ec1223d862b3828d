#include "locallab/kernel/bandwidth.hpp"

#include <Eigen/Cholesky>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace locallab {

Bandwidth Bandwidth::scalar(double h) {
    if (!std::isfinite(h) || h <= 0.0) {
        std::ostringstream message;
        message << "the bandwidth must be a positive finite number, got " << h;
        throw std::invalid_argument(message.str());
    }
    Bandwidth bandwidth;
    bandwidth.form_ = Form::Scalar;
    bandwidth.h_ = h;
    return bandwidth;
}

Bandwidth Bandwidth::diagonal(const Eigen::VectorXd& perColumn) {
    if (perColumn.size() == 0 || !perColumn.allFinite() || (perColumn.array() <= 0.0).any()) {
        throw std::invalid_argument("every per-column bandwidth must be a positive finite number");
    }
    Bandwidth bandwidth;
    bandwidth.form_ = Form::Diagonal;
    bandwidth.perColumn_ = perColumn;
    return bandwidth;
}

Bandwidth Bandwidth::full(const Eigen::MatrixXd& matrix) {
    if (matrix.rows() == 0 || matrix.rows() != matrix.cols() || !matrix.allFinite()) {
        throw std::invalid_argument("a bandwidth matrix must be square, non-empty and finite");
    }
    if (!matrix.isApprox(matrix.transpose(), 1e-12)) {
        throw std::invalid_argument("a bandwidth matrix must be symmetric");
    }
    const Eigen::LLT<Eigen::MatrixXd> decomposition(matrix);
    if (decomposition.info() != Eigen::Success) {
        throw std::invalid_argument("a bandwidth matrix must be positive-definite (its Cholesky "
                                    "factorisation failed: a zero-variance or collinear direction?)");
    }
    Bandwidth bandwidth;
    bandwidth.form_ = Form::Full;
    bandwidth.cholesky_ = decomposition.matrixL();
    return bandwidth;
}

double Bandwidth::size() const {
    switch (form_) {
    case Form::Scalar:
        return h_;
    case Form::Diagonal:
        return std::exp(perColumn_.array().log().mean());
    case Form::Full:
        return std::exp(cholesky_.diagonal().array().log().mean());
    }
    return h_;
}

Eigen::MatrixXd Bandwidth::matrix(Eigen::Index dimension) const {
    checkDimension(dimension);
    switch (form_) {
    case Form::Scalar:
        return h_ * h_ * Eigen::MatrixXd::Identity(dimension, dimension);
    case Form::Diagonal:
        return perColumn_.array().square().matrix().asDiagonal();
    case Form::Full:
        return cholesky_ * cholesky_.transpose();
    }
    return {};
}

double Bandwidth::logSquareRootDeterminant(Eigen::Index dimension) const {
    checkDimension(dimension);
    switch (form_) {
    case Form::Scalar:
        return static_cast<double>(dimension) * std::log(h_);
    case Form::Diagonal:
        return perColumn_.array().log().sum();
    case Form::Full:
        return cholesky_.diagonal().array().log().sum();
    }
    return 0.0;
}

Eigen::MatrixXd Bandwidth::whiten(const Eigen::MatrixXd& points) const {
    checkDimension(points.cols());
    switch (form_) {
    case Form::Scalar:
        return points / h_;
    case Form::Diagonal:
        return points * perColumn_.cwiseInverse().asDiagonal();
    case Form::Full:
        // rows x ↦ (L⁻¹xᵀ)ᵀ = x L⁻ᵀ, solved rather than inverted
        return cholesky_.triangularView<Eigen::Lower>().solve(points.transpose()).transpose();
    }
    return points;
}

Eigen::VectorXd Bandwidth::whitenPoint(const Eigen::VectorXd& point) const {
    return whiten(point.transpose()).transpose();
}

Eigen::VectorXd Bandwidth::unwhitenVector(const Eigen::VectorXd& vector) const {
    checkDimension(vector.size());
    switch (form_) {
    case Form::Scalar:
        return vector * h_;
    case Form::Diagonal:
        return vector.cwiseProduct(perColumn_);
    case Form::Full:
        return cholesky_ * vector;
    }
    return vector;
}

void Bandwidth::checkDimension(Eigen::Index dimension) const {
    const Eigen::Index expected =
        form_ == Form::Scalar ? dimension : (form_ == Form::Diagonal ? perColumn_.size() : cholesky_.rows());
    if (expected != dimension) {
        std::ostringstream message;
        message << "the bandwidth is for " << expected << " columns but the data has " << dimension;
        throw std::invalid_argument(message.str());
    }
}

std::string Bandwidth::describe() const {
    std::ostringstream text;
    text.precision(4);
    switch (form_) {
    case Form::Scalar:
        text << "h = " << h_;
        break;
    case Form::Diagonal:
        text << "diag(";
        for (Eigen::Index i = 0; i < perColumn_.size(); ++i) {
            text << (i ? ", " : "") << perColumn_[i];
        }
        text << ")";
        break;
    case Form::Full:
        text << "full " << cholesky_.rows() << "×" << cholesky_.cols() << " matrix";
        break;
    }
    return text.str();
}

} // namespace locallab
