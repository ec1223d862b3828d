#pragma once
// exp() for arrays of log-weights. Eigen 3.4's vectorised exp clamps its argument, so exp(−∞) comes out
// as 5.6e−309 instead of 0: a point outside a compact kernel's support, or a masked attention entry,
// would keep a tiny weight. Everything below the smallest argument whose exponential is representable
// (≈ −745.1) is sent to an exact 0 here.

#include <Eigen/Core>

namespace locallab {

template <typename Derived>
auto exponentiate(const Eigen::ArrayBase<Derived>& logValues) {
    constexpr double smallestRepresentable = -745.2;
    return (logValues > smallestRepresentable).select(logValues.exp(), 0.0);
}

} // namespace locallab
