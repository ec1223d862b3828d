#include "locallab/local/monomial_basis.hpp"

#include <stdexcept>

namespace locallab {

namespace {

// Every exponent vector of exactly `remaining` total degree over variables first..d−1, appended.
void appendExponents(std::vector<int>& current, Eigen::Index variable, int remaining,
                     std::vector<std::vector<int>>& out) {
    const auto dimension = static_cast<Eigen::Index>(current.size());
    if (variable == dimension - 1) {
        current[static_cast<std::size_t>(variable)] = remaining;
        out.push_back(current);
        current[static_cast<std::size_t>(variable)] = 0;
        return;
    }
    for (int power = remaining; power >= 0; --power) {
        current[static_cast<std::size_t>(variable)] = power;
        appendExponents(current, variable + 1, remaining - power, out);
    }
    current[static_cast<std::size_t>(variable)] = 0;
}

} // namespace

MonomialBasis::MonomialBasis(Eigen::Index dimension, int degree) : dimension_(dimension), degree_(degree) {
    if (dimension < 1) {
        throw std::invalid_argument("a monomial basis needs at least one variable");
    }
    if (degree < 0) {
        throw std::invalid_argument("the polynomial degree must be 0 or more, got " + std::to_string(degree));
    }
    std::vector<int> current(static_cast<std::size_t>(dimension), 0);
    for (int total = 0; total <= degree; ++total) {
        appendExponents(current, 0, total, exponents_);
    }
}

void MonomialBasis::evaluate(const double* z, std::vector<double>& values) const {
    values.resize(exponents_.size());
    if (degree_ <= 1) { // the common case, without the power loops: 1, z₁, …, z_d
        values[0] = 1.0;
        for (std::size_t variable = 1; variable < values.size(); ++variable) {
            values[variable] = z[variable - 1];
        }
        return;
    }
    for (std::size_t term = 0; term < exponents_.size(); ++term) {
        double product = 1.0;
        for (Eigen::Index variable = 0; variable < dimension_; ++variable) {
            for (int power = 0; power < exponents_[term][static_cast<std::size_t>(variable)]; ++power) {
                product *= z[variable];
            }
        }
        values[term] = product;
    }
}

} // namespace locallab
