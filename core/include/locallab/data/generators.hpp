#pragma once
// Seeded synthetic data sets. The same options and seed give the same Dataset on every platform
// (RandomStream does its own uniform and normal mapping). The shapes follow scikit-learn's
// sklearn.datasets generators, so a user can recreate a picture there, though the random streams differ.
// Every generator sets Dataset::origin to a readable description and names the columns x, y, z.
// Invalid options (no samples, a negative noise, ...) throw std::invalid_argument.

#include "locallab/data/dataset.hpp"

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

namespace locallab {

// Isotropic Gaussian clusters, labelled by cluster. Samples are shared out as evenly as possible
// (the first clusters get one more when they do not divide) and then shuffled.
struct BlobsOptions {
    long long samples = 300;
    int clusters = 3;
    int dimension = 2;
    double clusterStandardDeviation = 1.0;
    std::vector<double> clusterStandardDeviations; // one per cluster; empty = the value above for all
    Eigen::MatrixXd centers;                       // clusters × dimension; empty = uniform in the box
    double centerBoxHalfWidth = 10.0;              // random centres lie in [−w, w]^dimension
    std::uint64_t seed = 0;
};
Dataset makeBlobs(const BlobsOptions& options);

// Blobs whose rows are multiplied on the right by a linear map, so the clusters are elongated and
// tilted (scikit-learn's example map [[0.6, −0.6], [−0.4, 0.8]] by default).
struct AnisotropicBlobsOptions {
    BlobsOptions blobs;
    Eigen::MatrixXd transformation = (Eigen::MatrixXd(2, 2) << 0.6, -0.6, -0.4, 0.8).finished();
};
Dataset makeAnisotropicBlobs(const AnisotropicBlobsOptions& options);

// Two interleaving half circles: label 0 is the upper moon (radius 1 around the origin), label 1 the
// lower one (radius 1 around (1, 0.5)); half of the samples each (the lower gets the odd one).
struct MoonsOptions {
    long long samples = 200;
    double noise = 0.1; // standard deviation of the Gaussian noise added to each coordinate
    std::uint64_t seed = 0;
};
Dataset makeMoons(const MoonsOptions& options);

// Two concentric circles: label 0 has radius 1, label 1 radius `factor`.
struct CirclesOptions {
    long long samples = 200;
    double factor = 0.5;
    double noise = 0.05;
    std::uint64_t seed = 0;
};
Dataset makeCircles(const CirclesOptions& options);

// 3-D manifolds with a latent angle t kept in Dataset::latent (scikit-learn's parameterisation).
// Swiss roll: t ~ U[1.5π, 4.5π], height ~ U[0, 21], point (t cos t, height, t sin t).
// S-curve: t ~ U[−1.5π, 1.5π], height ~ U[0, 2], point (sin t, height, sign(t)(cos t − 1)).
struct ManifoldOptions {
    long long samples = 1000;
    double noise = 0.0;
    std::uint64_t seed = 0;
};
Dataset makeSwissRoll(const ManifoldOptions& options);
Dataset makeSCurve(const ManifoldOptions& options);
// Helix: t ~ U[0, 4π] (two turns), point (cos t, sin t, t/(2π)), latent t. A 1-D curve in 3-D: its
// embedding unrolls it onto y1, and LLE's second coordinate only bends that line.
Dataset makeHelix(const ManifoldOptions& options);

// A unit sphere whose cap around the north pole is cut away: points uniform by area with polar angle
// θ ∈ [cap, π] (cos θ ~ U[−1, cos cap], φ ~ U[0, 2π)), point (sin θ cos φ, sin θ sin φ, cos θ), latent θ.
// A whole sphere cannot be flattened; without a cap it is a bent disc, which LLE can open out.
struct SphereWithoutCapOptions {
    long long samples = 1000;
    double capDegrees = 60.0; // the cap's angular radius, seen from the centre; in (0, 180)
    double noise = 0.0;
    std::uint64_t seed = 0;
};
Dataset makeSphereWithoutCap(const SphereWithoutCapOptions& options);

// The smooth functions a 1-D regression sample can come from, each of u = (x − lower)/(upper − lower):
// sine sin(2πu); quadratic (2u − 1)²; step −0.5 below u = 0.5 and 0.5 above; doppler
// √(u(1 − u)) sin(2.1π/(u + 0.05)) (Donoho and Johnstone's test function).
enum class SmoothFunction { Sine, Quadratic, Step, Doppler };
double evaluateSmoothFunction(SmoothFunction function, double relativePosition);
const std::vector<std::string>& smoothFunctionNames(); // "sine", "quadratic", "step", "doppler"
SmoothFunction smoothFunctionFromName(const std::string& name);

// x ~ U[lower, upper] in the single column "x", y = f(x) + noise in Dataset::target ("y"). The noise
// standard deviation is noise · (1 + heteroscedasticity · u), so it grows with x when
// heteroscedasticity > 0.
struct NoisyFunctionOptions {
    long long samples = 200;
    SmoothFunction function = SmoothFunction::Sine;
    double lower = 0.0;
    double upper = 1.0;
    double noise = 0.2;
    double heteroscedasticity = 0.0;
    std::uint64_t seed = 0;
};
Dataset makeNoisyFunction(const NoisyFunctionOptions& options);

// The smooth surfaces a 2-D regression sample can come from, each a function of (x1, x2) ∈ [−1, 1]²:
// bump exp(−(x1² + x2²)/(2·0.4²)), a single hill; saddle x1² − x2², curved up along x1 and down along
// x2; ripple cos(2π·√(x1² + x2²)), rings one unit of r apart that a wide kernel smooths away.
enum class SmoothSurface { Bump, Saddle, Ripple };
double evaluateSmoothSurface(SmoothSurface surface, double x1, double x2);
const std::vector<std::string>& smoothSurfaceNames(); // "bump", "saddle", "ripple"
SmoothSurface smoothSurfaceFromName(const std::string& name);

// (x1, x2) ~ U[−1, 1]² in the columns "x1" and "x2", y = f(x1, x2) + noise·N(0, 1) in Dataset::target
// ("y"): data for 2-D local regression.
struct NoisySurfaceOptions {
    long long samples = 400;
    SmoothSurface surface = SmoothSurface::Bump;
    double noise = 0.1;
    std::uint64_t seed = 0;
};
Dataset makeNoisySurface(const NoisySurfaceOptions& options);

// Points uniform in the box [lower, upper]^dimension.
struct UniformBoxOptions {
    long long samples = 500;
    int dimension = 2;
    double lower = -1.0;
    double upper = 1.0;
    std::uint64_t seed = 0;
};
Dataset makeUniformBox(const UniformBoxOptions& options);

} // namespace locallab
