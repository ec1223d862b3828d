#include "locallab/kernel/radial_kernel.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

namespace locallab {
namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

// Surface area of the unit sphere in ℝ^d: 2π^{d/2}/Γ(d/2).
double logUnitSphereArea(int dimension) {
    const double half = 0.5 * dimension;
    return std::log(2.0) + half * std::log(std::numbers::pi) - std::lgamma(half);
}

// ∫₀¹ r^{d−1}(1 − r²)^p dr = B(d/2, p + 1)/2
double logPowerOfOneMinusSquareMoment(int dimension, int power) {
    const double half = 0.5 * dimension;
    return std::lgamma(half) + std::lgamma(power + 1.0) - std::lgamma(half + power + 1.0) - std::log(2.0);
}

// ∫₀¹ r^n cos(a r) dr = Σ_k (−1)^k a^{2k} / ((2k)! (n + 2k + 1)), summed from the Taylor series of the
// cosine. The integration-by-parts recurrence multiplies rounding errors by n/a at every step and loses
// all digits by d ≈ 20; the series has bounded terms for a = π/2 and converges in about 20 terms.
double cosineMoment(int n, double a) {
    double sum = 0.0;
    double term = 1.0; // (−1)^k a^{2k} / (2k)!
    for (int k = 0; k < 40; ++k) {
        sum += term / (n + 2.0 * k + 1.0);
        term *= -a * a / ((2.0 * k + 1.0) * (2.0 * k + 2.0));
    }
    return sum;
}

// log ∫₀^∞ r^{d−1} k(r²) dr for each profile.
double logRadialMoment(KernelProfile profile, int d) {
    switch (profile) {
    case KernelProfile::Gaussian: // ∫ r^{d−1} e^{−r²/2} dr = 2^{d/2−1} Γ(d/2)
        return (0.5 * d - 1.0) * std::log(2.0) + std::lgamma(0.5 * d);
    case KernelProfile::Epanechnikov:
        return logPowerOfOneMinusSquareMoment(d, 1);
    case KernelProfile::Uniform:
        return -std::log(static_cast<double>(d));
    case KernelProfile::Triangular: // 1/d − 1/(d+1)
        return -std::log(static_cast<double>(d) * (d + 1));
    case KernelProfile::Biweight:
        return logPowerOfOneMinusSquareMoment(d, 2);
    case KernelProfile::Triweight:
        return logPowerOfOneMinusSquareMoment(d, 3);
    case KernelProfile::Tricube: // ∫ r^{d−1}(1 − r³)³ = B(d/3, 4)/3 = 162/(d(d+3)(d+6)(d+9)), in product
                                 // form: the expanded 1/d − 3/(d+3) + 3/(d+6) − 1/(d+9) cancels badly
        return std::log(162.0) - std::log(static_cast<double>(d)) - std::log(d + 3.0) - std::log(d + 6.0) -
               std::log(d + 9.0);
    case KernelProfile::Cosine:
        return std::log(cosineMoment(d - 1, 0.5 * std::numbers::pi));
    case KernelProfile::Laplacian: // Γ(d)
        return std::lgamma(static_cast<double>(d));
    case KernelProfile::Cauchy: // ∫ 1/(1+r²) dr = π/2 for d = 1; diverges otherwise
        if (d == 1) {
            return std::log(0.5 * std::numbers::pi);
        }
        return infinity;
    }
    return infinity;
}

} // namespace

std::string_view RadialKernel::name() const {
    return kernelProfileName(profile_);
}

double RadialKernel::value(double u) const {
    switch (profile_) {
    case KernelProfile::Gaussian:
        return std::exp(-0.5 * u);
    case KernelProfile::Epanechnikov:
        return u < 1.0 ? 1.0 - u : 0.0;
    case KernelProfile::Uniform:
        return u <= 1.0 ? 1.0 : 0.0;
    case KernelProfile::Triangular:
        return u < 1.0 ? 1.0 - std::sqrt(u) : 0.0;
    case KernelProfile::Biweight: {
        const double t = u < 1.0 ? 1.0 - u : 0.0;
        return t * t;
    }
    case KernelProfile::Triweight: {
        const double t = u < 1.0 ? 1.0 - u : 0.0;
        return t * t * t;
    }
    case KernelProfile::Tricube: {
        const double t = u < 1.0 ? 1.0 - u * std::sqrt(u) : 0.0;
        return t * t * t;
    }
    case KernelProfile::Cosine:
        return u <= 1.0 ? std::cos(0.5 * std::numbers::pi * std::sqrt(u)) : 0.0;
    case KernelProfile::Laplacian:
        return std::exp(-std::sqrt(u));
    case KernelProfile::Cauchy:
        return 1.0 / (1.0 + u);
    }
    return 0.0;
}

double RadialKernel::logValue(double u) const {
    switch (profile_) {
    case KernelProfile::Gaussian:
        return -0.5 * u;
    case KernelProfile::Laplacian:
        return -std::sqrt(u);
    case KernelProfile::Cauchy:
        return -std::log1p(u);
    default: {
        const double k = value(u);
        return k > 0.0 ? std::log(k) : -infinity;
    }
    }
}

double RadialKernel::shadow(double u) const {
    switch (profile_) {
    case KernelProfile::Gaussian:
        return 0.5 * std::exp(-0.5 * u);
    case KernelProfile::Epanechnikov:
        return u < 1.0 ? 1.0 : 0.0;
    case KernelProfile::Uniform:
        return u <= 1.0 ? 1.0 : 0.0;
    case KernelProfile::Triangular: // d/du (1 − √u) = −1/(2√u): infinite at the centre, kept finite
        return u < 1.0 ? 0.5 / std::sqrt(std::max(u, std::numeric_limits<double>::min())) : 0.0;
    case KernelProfile::Biweight:
        return u < 1.0 ? 2.0 * (1.0 - u) : 0.0;
    case KernelProfile::Triweight:
        return u < 1.0 ? 3.0 * (1.0 - u) * (1.0 - u) : 0.0;
    case KernelProfile::Tricube: {
        if (u >= 1.0) {
            return 0.0;
        }
        const double root = std::sqrt(u);
        const double t = 1.0 - u * root;
        return 4.5 * root * t * t;
    }
    case KernelProfile::Cosine: {
        if (u > 1.0) {
            return 0.0;
        }
        const double root = std::sqrt(u);
        const double half = 0.5 * std::numbers::pi;
        // −d/du cos(π√u/2) = (π/4)·sin(π√u/2)/√u, which tends to π²/8 at u = 0.
        return root > 1e-8 ? 0.5 * half * std::sin(half * root) / root : 0.5 * half * half;
    }
    case KernelProfile::Laplacian: {
        const double root = std::sqrt(std::max(u, std::numeric_limits<double>::min()));
        return 0.5 * std::exp(-root) / root;
    }
    case KernelProfile::Cauchy:
        return 1.0 / ((1.0 + u) * (1.0 + u));
    }
    return 0.0;
}

bool RadialKernel::isCompact() const {
    return profile_ != KernelProfile::Gaussian && profile_ != KernelProfile::Laplacian &&
           profile_ != KernelProfile::Cauchy;
}

double RadialKernel::supportSquared(double relativeTolerance) const {
    if (isCompact()) {
        return 1.0;
    }
    if (!(relativeTolerance > 0.0)) {
        return infinity;
    }
    const double logTolerance = std::log(std::min(relativeTolerance, 1.0));
    switch (profile_) {
    case KernelProfile::Gaussian: // e^{−u/2} = tol
        return -2.0 * logTolerance;
    case KernelProfile::Laplacian: // e^{−√u} = tol
        return logTolerance * logTolerance;
    case KernelProfile::Cauchy: // 1/(1+u) = tol
        return 1.0 / std::min(relativeTolerance, 1.0) - 1.0;
    default:
        return 1.0;
    }
}

bool RadialKernel::isNormalizable(int dimension) const {
    return dimension >= 1 && std::isfinite(logRadialMoment(profile_, dimension));
}

double RadialKernel::logNormalization(int dimension) const {
    if (!isNormalizable(dimension)) {
        throw std::domain_error("the " + std::string(name()) + " kernel has no finite integral in " +
                                std::to_string(dimension) +
                                " dimensions, so it cannot define a density there");
    }
    return -(logUnitSphereArea(dimension) + logRadialMoment(profile_, dimension));
}

double RadialKernel::normalization(int dimension) const {
    return std::exp(logNormalization(dimension));
}

std::optional<KernelProfile> parseKernelProfile(std::string_view name) {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "flat" || lower == "tophat") {
        return KernelProfile::Uniform;
    }
    const auto& names = kernelProfileNames();
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (names[i] == lower) {
            return static_cast<KernelProfile>(i);
        }
    }
    return std::nullopt;
}

std::string_view kernelProfileName(KernelProfile profile) {
    return kernelProfileNames()[static_cast<std::size_t>(profile)];
}

const std::vector<std::string>& kernelProfileNames() {
    static const std::vector<std::string> names = {"gaussian",  "epanechnikov", "uniform", "triangular",
                                                   "biweight",  "triweight",    "tricube", "cosine",
                                                   "laplacian", "cauchy"};
    return names;
}

} // namespace locallab
