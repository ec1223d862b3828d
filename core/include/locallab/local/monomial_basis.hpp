#pragma once
// The monomials of total degree ≤ p in d variables, the basis of a local polynomial fit around x*:
// 1, z₁, …, z_d, z₁², z₁z₂, … in order of degree. The constant comes first, so the first coefficient of
// a fit in z = x − x* is the fitted value at x*.

#include <Eigen/Core>
#include <vector>

namespace locallab {

class MonomialBasis {
public:
    MonomialBasis(Eigen::Index dimension, int degree);

    Eigen::Index dimension() const { return dimension_; }
    int degree() const { return degree_; }
    Eigen::Index size() const { return static_cast<Eigen::Index>(exponents_.size()); }
    // exponents of term t, one per variable
    const std::vector<int>& exponents(Eigen::Index term) const {
        return exponents_[static_cast<std::size_t>(term)];
    }

    // Writes the size() monomials of z into values (resized when needed).
    void evaluate(const double* z, std::vector<double>& values) const;

private:
    Eigen::Index dimension_;
    int degree_;
    std::vector<std::vector<int>> exponents_;
};

} // namespace locallab
