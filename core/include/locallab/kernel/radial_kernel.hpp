#pragma once
// A radial localization kernel: a profile k(u) of the squared scaled distance u = ||x − x*||²/h²
// (or (x − x*)ᵀH⁻¹(x − x*) for a matrix bandwidth). The convention is scikit-learn's: the Gaussian
// is exp(−u/2), so h is its standard deviation; compact profiles vanish for u > 1, so h is their radius.
// One RadialKernel object is shared by every method of the app: KDE, MeanShift (through the shadow
// profile), local regression, LLE's neighbourhoods, attention.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace locallab {

enum class KernelProfile {
    Gaussian,     // exp(−u/2)
    Epanechnikov, // (1 − u)₊
    Uniform,      // 1[u ≤ 1]; also called flat or tophat
    Triangular,   // (1 − √u)₊
    Biweight,     // (1 − u)₊²
    Triweight,    // (1 − u)₊³
    Tricube,      // (1 − u^{3/2})₊³
    Cosine,       // cos(π√u/2)·1[u ≤ 1]
    Laplacian,    // exp(−√u)
    Cauchy,       // 1/(1 + u)
};

class RadialKernel {
public:
    explicit RadialKernel(KernelProfile profile = KernelProfile::Gaussian) : profile_(profile) {}

    KernelProfile profile() const { return profile_; }
    std::string_view name() const;

    // k(u) for u ≥ 0; k(0) = 1 for every profile.
    double value(double u) const;
    // log k(u); −∞ outside the support. Exact for the Gaussian, Laplacian and Cauchy profiles, whose
    // weights are the ones that underflow.
    double logValue(double u) const;
    // The shadow profile g(u) = −k′(u) that weights the points in MeanShift (Gaussian → Gaussian,
    // Epanechnikov → flat). The uniform profile has no derivative to speak of (a jump at u = 1); its
    // "shadow" is taken to be itself, which is what scikit-learn's flat-kernel MeanShift uses.
    double shadow(double u) const;

    // True when k(u) = 0 for every u > 1.
    bool isCompact() const;
    // The u beyond which k(u) < relativeTolerance·k(0): 1 for compact profiles; for the others the
    // point where the tail may be truncated with that relative error per weight.
    double supportSquared(double relativeTolerance) const;

    // c_d with ∫_{ℝ^d} c_d·k(||x||²) dx = 1, so that c_d/h^d·k(||x − x*||²/h²) is a density.
    // Not finite for the Cauchy profile 1/(1+u) when d ≥ 2 (its integral diverges): then
    // isNormalizable(d) is false and normalization() throws std::domain_error.
    bool isNormalizable(int dimension) const;
    double normalization(int dimension) const;
    double logNormalization(int dimension) const;

private:
    KernelProfile profile_;
};

// "gaussian", "epanechnikov", "uniform" (also "flat" and "tophat"), "triangular", "biweight",
// "triweight", "tricube", "cosine", "laplacian", "cauchy"; case-insensitive.
std::optional<KernelProfile> parseKernelProfile(std::string_view name);
std::string_view kernelProfileName(KernelProfile profile);
// Every profile's canonical name, in the order of the enum (for choice lists).
const std::vector<std::string>& kernelProfileNames();

} // namespace locallab
