#pragma once
// The bandwidth H of a kernel: scalar (H = h²I), diagonal (H = diag(h₁², …, h_d²)) or a full symmetric
// positive-definite matrix. Every form is handled the same way: with H = LLᵀ (Cholesky), the scaled
// squared distance is u = (x − y)ᵀH⁻¹(x − y) = ||L⁻¹(x − y)||², so methods whiten the points once and
// then work with plain Euclidean distances and h = 1, dividing densities by |H|^{1/2}.

#include <Eigen/Core>
#include <string>

namespace locallab {

class Bandwidth {
public:
    enum class Form { Scalar, Diagonal, Full };

    // h > 0 and finite; throws std::invalid_argument with a plain message otherwise.
    static Bandwidth scalar(double h);
    // per-column standard deviations / radii, each > 0
    static Bandwidth diagonal(const Eigen::VectorXd& perColumn);
    // H itself (a covariance-like matrix, h² units), symmetric positive-definite
    static Bandwidth full(const Eigen::MatrixXd& matrix);

    Form form() const { return form_; }
    // Scalar h for the scalar form; for the others the geometric mean |H|^{1/(2d)} (a size to show).
    double size() const;
    // H as a matrix for dimension d (scalar and diagonal forms expand).
    Eigen::MatrixXd matrix(Eigen::Index dimension) const;
    // log |H|^{1/2} in dimension d: d·log h for the scalar form.
    double logSquareRootDeterminant(Eigen::Index dimension) const;

    // Rows of points mapped by L⁻¹, so that Euclidean distances are scaled distances.
    Eigen::MatrixXd whiten(const Eigen::MatrixXd& points) const;
    // One point (a column vector) mapped the same way.
    Eigen::VectorXd whitenPoint(const Eigen::VectorXd& point) const;
    // The inverse map, for gradients and shift vectors: v ↦ L v.
    Eigen::VectorXd unwhitenVector(const Eigen::VectorXd& vector) const;

    // Throws std::invalid_argument when this bandwidth cannot be used in dimension d
    // (a diagonal or matrix of another size).
    void checkDimension(Eigen::Index dimension) const;

    std::string describe() const; // "h = 0.5", "diag(0.2, 0.4)", "full 2×2 matrix"

private:
    Form form_ = Form::Scalar;
    double h_ = 1.0;
    Eigen::VectorXd perColumn_;
    Eigen::MatrixXd cholesky_; // lower-triangular L with H = LLᵀ
};

} // namespace locallab
