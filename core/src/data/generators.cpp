#include "locallab/data/generators.hpp"

#include "locallab/data/random_stream.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace locallab {

namespace {

constexpr double pi = std::numbers::pi;

void requirePositiveSamples(long long samples) {
    if (samples < 1) {
        throw std::invalid_argument("the number of samples must be at least 1, got " +
                                    std::to_string(samples));
    }
}

void requireNonNegative(double value, const char* name) {
    if (!(value >= 0.0) || !std::isfinite(value)) {
        throw std::invalid_argument(std::string(name) + " must be a finite number ≥ 0");
    }
}

// "two_moons(n=200, noise=0.1, seed=0)": what a plot title shows.
class OriginText {
public:
    explicit OriginText(std::string generator) : generator_(std::move(generator)) {}

    template <typename Value>
    OriginText& add(const char* name, const Value& value) {
        std::ostringstream part;
        part << ", " << name << "=" << value;
        parts_ += part.str();
        return *this;
    }

    std::string finish(long long samples, std::uint64_t seed) const {
        return generator_ + "(n=" + std::to_string(samples) + parts_ + ", seed=" + std::to_string(seed) + ")";
    }

private:
    std::string generator_;
    std::string parts_;
};

// Applies one random permutation to the rows of the points and to the labels.
void shuffleRows(Dataset& dataset, RandomStream& random) {
    const auto order = random.permutation(static_cast<std::size_t>(dataset.size()));
    Eigen::MatrixXd points(dataset.points.rows(), dataset.points.cols());
    Eigen::VectorXi labels(dataset.labels->size());
    for (std::size_t row = 0; row < order.size(); ++row) {
        const auto to = static_cast<Eigen::Index>(row);
        const auto from = static_cast<Eigen::Index>(order[row]);
        points.row(to) = dataset.points.row(from);
        labels(to) = (*dataset.labels)(from);
    }
    dataset.points = std::move(points);
    dataset.labels = std::move(labels);
}

void addNoise(Eigen::MatrixXd& points, double noise, RandomStream& random) {
    if (noise == 0.0) {
        return;
    }
    for (Eigen::Index row = 0; row < points.rows(); ++row) {
        for (Eigen::Index column = 0; column < points.cols(); ++column) {
            points(row, column) += noise * random.normal();
        }
    }
}

std::vector<std::string> axisNames(int dimension) {
    if (dimension <= 3) {
        const std::vector<std::string> names{"x", "y", "z"};
        return {names.begin(), names.begin() + dimension};
    }
    std::vector<std::string> names;
    for (int column = 1; column <= dimension; ++column) {
        names.push_back("x" + std::to_string(column));
    }
    return names;
}

Eigen::MatrixXd blobCenters(const BlobsOptions& options, RandomStream& random) {
    if (options.centers.size() != 0) {
        if (options.centers.rows() != options.clusters || options.centers.cols() != options.dimension) {
            throw std::invalid_argument("the centres must be a clusters × dimension matrix");
        }
        return options.centers;
    }
    Eigen::MatrixXd centers(options.clusters, options.dimension);
    for (Eigen::Index cluster = 0; cluster < centers.rows(); ++cluster) {
        for (Eigen::Index column = 0; column < centers.cols(); ++column) {
            centers(cluster, column) =
                random.uniform(-options.centerBoxHalfWidth, options.centerBoxHalfWidth);
        }
    }
    return centers;
}

double clusterSpread(const BlobsOptions& options, int cluster) {
    if (options.clusterStandardDeviations.empty()) {
        return options.clusterStandardDeviation;
    }
    if (options.clusterStandardDeviations.size() != static_cast<std::size_t>(options.clusters)) {
        throw std::invalid_argument("give one standard deviation per cluster");
    }
    return options.clusterStandardDeviations[static_cast<std::size_t>(cluster)];
}

void checkBlobsOptions(const BlobsOptions& options) {
    requirePositiveSamples(options.samples);
    if (options.clusters < 1 || options.dimension < 1) {
        throw std::invalid_argument("blobs need at least one cluster and one dimension");
    }
    requireNonNegative(options.clusterStandardDeviation, "the cluster standard deviation");
    for (const double spread : options.clusterStandardDeviations) {
        requireNonNegative(spread, "every cluster standard deviation");
    }
}

} // namespace

Dataset makeBlobs(const BlobsOptions& options) {
    checkBlobsOptions(options);
    RandomStream random(options.seed);
    const Eigen::MatrixXd centers = blobCenters(options, random);
    Dataset dataset;
    dataset.points.resize(options.samples, options.dimension);
    dataset.labels = Eigen::VectorXi(options.samples);
    Eigen::Index row = 0;
    for (int cluster = 0; cluster < options.clusters; ++cluster) {
        const long long share =
            options.samples / options.clusters + (cluster < options.samples % options.clusters);
        const double spread = clusterSpread(options, cluster);
        for (long long member = 0; member < share; ++member, ++row) {
            for (Eigen::Index column = 0; column < options.dimension; ++column) {
                dataset.points(row, column) = random.normal(centers(cluster, column), spread);
            }
            (*dataset.labels)(row) = cluster;
        }
    }
    shuffleRows(dataset, random);
    dataset.columnNames = axisNames(options.dimension);
    dataset.origin = OriginText("blobs")
                         .add("clusters", options.clusters)
                         .add("d", options.dimension)
                         .add("std", options.clusterStandardDeviation)
                         .finish(options.samples, options.seed);
    return dataset;
}

Dataset makeAnisotropicBlobs(const AnisotropicBlobsOptions& options) {
    const auto dimension = static_cast<Eigen::Index>(options.blobs.dimension);
    if (options.transformation.rows() != dimension || options.transformation.cols() != dimension) {
        throw std::invalid_argument("the transformation must be a dimension × dimension matrix");
    }
    Dataset dataset = makeBlobs(options.blobs);
    dataset.points = dataset.points * options.transformation;
    dataset.origin = "anisotropic_" + dataset.origin;
    return dataset;
}

Dataset makeMoons(const MoonsOptions& options) {
    requirePositiveSamples(options.samples);
    requireNonNegative(options.noise, "the noise");
    RandomStream random(options.seed);
    const long long upperCount = options.samples / 2;
    const long long lowerCount = options.samples - upperCount;
    Dataset dataset;
    dataset.points.resize(options.samples, 2);
    dataset.labels = Eigen::VectorXi(options.samples);
    // Angles are evenly spaced over [0, π] including both ends, like numpy.linspace.
    const auto angle = [](long long index, long long count) {
        return count == 1 ? 0.0 : pi * static_cast<double>(index) / static_cast<double>(count - 1);
    };
    for (long long index = 0; index < upperCount; ++index) {
        dataset.points.row(index) << std::cos(angle(index, upperCount)), std::sin(angle(index, upperCount));
        (*dataset.labels)(index) = 0;
    }
    for (long long index = 0; index < lowerCount; ++index) {
        const double theta = angle(index, lowerCount);
        dataset.points.row(upperCount + index) << 1.0 - std::cos(theta), 0.5 - std::sin(theta);
        (*dataset.labels)(upperCount + index) = 1;
    }
    addNoise(dataset.points, options.noise, random);
    shuffleRows(dataset, random);
    dataset.columnNames = axisNames(2);
    dataset.origin =
        OriginText("two_moons").add("noise", options.noise).finish(options.samples, options.seed);
    return dataset;
}

Dataset makeCircles(const CirclesOptions& options) {
    requirePositiveSamples(options.samples);
    requireNonNegative(options.noise, "the noise");
    if (!(options.factor > 0.0 && options.factor < 1.0)) {
        throw std::invalid_argument("the factor between the circles must lie in (0, 1)");
    }
    RandomStream random(options.seed);
    const long long outerCount = options.samples / 2;
    const long long innerCount = options.samples - outerCount;
    Dataset dataset;
    dataset.points.resize(options.samples, 2);
    dataset.labels = Eigen::VectorXi(options.samples);
    // Angles evenly spaced over [0, 2π) without the end point, so no point is drawn twice.
    const auto place = [&](long long first, long long count, double radius, int label) {
        for (long long index = 0; index < count; ++index) {
            const double theta = 2.0 * pi * static_cast<double>(index) / static_cast<double>(count);
            dataset.points.row(first + index) << radius * std::cos(theta), radius * std::sin(theta);
            (*dataset.labels)(first + index) = label;
        }
    };
    place(0, outerCount, 1.0, 0);
    place(outerCount, innerCount, options.factor, 1);
    addNoise(dataset.points, options.noise, random);
    shuffleRows(dataset, random);
    dataset.columnNames = axisNames(2);
    dataset.origin = OriginText("circles")
                         .add("factor", options.factor)
                         .add("noise", options.noise)
                         .finish(options.samples, options.seed);
    return dataset;
}

Dataset makeSwissRoll(const ManifoldOptions& options) {
    requirePositiveSamples(options.samples);
    requireNonNegative(options.noise, "the noise");
    RandomStream random(options.seed);
    Dataset dataset;
    dataset.points.resize(options.samples, 3);
    dataset.latent = Eigen::VectorXd(options.samples);
    for (Eigen::Index row = 0; row < options.samples; ++row) {
        const double t = 1.5 * pi * (1.0 + 2.0 * random.uniform());
        const double height = 21.0 * random.uniform();
        dataset.points.row(row) << t * std::cos(t), height, t * std::sin(t);
        (*dataset.latent)(row) = t;
    }
    addNoise(dataset.points, options.noise, random);
    dataset.columnNames = axisNames(3);
    dataset.origin =
        OriginText("swiss_roll").add("noise", options.noise).finish(options.samples, options.seed);
    return dataset;
}

Dataset makeSCurve(const ManifoldOptions& options) {
    requirePositiveSamples(options.samples);
    requireNonNegative(options.noise, "the noise");
    RandomStream random(options.seed);
    Dataset dataset;
    dataset.points.resize(options.samples, 3);
    dataset.latent = Eigen::VectorXd(options.samples);
    for (Eigen::Index row = 0; row < options.samples; ++row) {
        const double t = 3.0 * pi * (random.uniform() - 0.5);
        const double height = 2.0 * random.uniform();
        const double sign = t > 0.0 ? 1.0 : (t < 0.0 ? -1.0 : 0.0);
        dataset.points.row(row) << std::sin(t), height, sign * (std::cos(t) - 1.0);
        (*dataset.latent)(row) = t;
    }
    addNoise(dataset.points, options.noise, random);
    dataset.columnNames = axisNames(3);
    dataset.origin = OriginText("s_curve").add("noise", options.noise).finish(options.samples, options.seed);
    return dataset;
}

Dataset makeHelix(const ManifoldOptions& options) {
    requirePositiveSamples(options.samples);
    requireNonNegative(options.noise, "the noise");
    RandomStream random(options.seed);
    Dataset dataset;
    dataset.points.resize(options.samples, 3);
    dataset.latent = Eigen::VectorXd(options.samples);
    for (Eigen::Index row = 0; row < options.samples; ++row) {
        const double t = 4.0 * pi * random.uniform();
        dataset.points.row(row) << std::cos(t), std::sin(t), t / (2.0 * pi);
        (*dataset.latent)(row) = t;
    }
    addNoise(dataset.points, options.noise, random);
    dataset.columnNames = axisNames(3);
    dataset.origin = OriginText("helix").add("noise", options.noise).finish(options.samples, options.seed);
    return dataset;
}

Dataset makeSphereWithoutCap(const SphereWithoutCapOptions& options) {
    requirePositiveSamples(options.samples);
    requireNonNegative(options.noise, "the noise");
    if (!(options.capDegrees > 0.0 && options.capDegrees < 180.0)) {
        throw std::invalid_argument("the cap's angle must lie between 0 and 180 degrees");
    }
    RandomStream random(options.seed);
    Dataset dataset;
    dataset.points.resize(options.samples, 3);
    dataset.latent = Eigen::VectorXd(options.samples);
    // Uniform by area: the height cos θ is uniform (Archimedes' hat-box theorem).
    const double highest = std::cos(options.capDegrees * pi / 180.0);
    for (Eigen::Index row = 0; row < options.samples; ++row) {
        const double height = random.uniform(-1.0, highest);
        const double azimuth = 2.0 * pi * random.uniform();
        const double ring = std::sqrt(std::max(0.0, 1.0 - height * height));
        dataset.points.row(row) << ring * std::cos(azimuth), ring * std::sin(azimuth), height;
        (*dataset.latent)(row) = std::acos(height);
    }
    addNoise(dataset.points, options.noise, random);
    dataset.columnNames = axisNames(3);
    dataset.origin = OriginText("sphere_without_cap")
                         .add("cap", options.capDegrees)
                         .add("noise", options.noise)
                         .finish(options.samples, options.seed);
    return dataset;
}

double evaluateSmoothFunction(SmoothFunction function, double u) {
    switch (function) {
    case SmoothFunction::Sine:
        return std::sin(2.0 * pi * u);
    case SmoothFunction::Quadratic:
        return (2.0 * u - 1.0) * (2.0 * u - 1.0);
    case SmoothFunction::Step:
        return u < 0.5 ? -0.5 : 0.5;
    case SmoothFunction::Doppler:
        return std::sqrt(std::max(0.0, u * (1.0 - u))) * std::sin(2.1 * pi / (u + 0.05));
    }
    return 0.0;
}

const std::vector<std::string>& smoothFunctionNames() {
    static const std::vector<std::string> names{"sine", "quadratic", "step", "doppler"};
    return names;
}

SmoothFunction smoothFunctionFromName(const std::string& name) {
    const auto& names = smoothFunctionNames();
    for (std::size_t index = 0; index < names.size(); ++index) {
        if (names[index] == name) {
            return static_cast<SmoothFunction>(index);
        }
    }
    throw std::invalid_argument("unknown function '" + name + "'; choose sine, quadratic, step or doppler");
}

Dataset makeNoisyFunction(const NoisyFunctionOptions& options) {
    requirePositiveSamples(options.samples);
    requireNonNegative(options.noise, "the noise");
    requireNonNegative(options.heteroscedasticity, "the heteroscedasticity");
    if (!(options.upper > options.lower) || !std::isfinite(options.upper - options.lower)) {
        throw std::invalid_argument("the interval needs lower < upper");
    }
    RandomStream random(options.seed);
    Dataset dataset;
    dataset.points.resize(options.samples, 1);
    Eigen::VectorXd target(options.samples);
    for (Eigen::Index row = 0; row < options.samples; ++row) {
        const double u = random.uniform();
        const double spread = options.noise * (1.0 + options.heteroscedasticity * u);
        dataset.points(row, 0) = options.lower + (options.upper - options.lower) * u;
        target(row) = evaluateSmoothFunction(options.function, u) + spread * random.normal();
    }
    dataset.target = std::move(target);
    dataset.columnNames = {"x"};
    dataset.targetName = "y";
    dataset.origin = OriginText("noisy_function")
                         .add("f", smoothFunctionNames()[static_cast<std::size_t>(options.function)])
                         .add("noise", options.noise)
                         .add("heteroscedasticity", options.heteroscedasticity)
                         .finish(options.samples, options.seed);
    return dataset;
}

double evaluateSmoothSurface(SmoothSurface surface, double x1, double x2) {
    const double squaredRadius = x1 * x1 + x2 * x2;
    switch (surface) {
    case SmoothSurface::Bump:
        return std::exp(-squaredRadius / (2.0 * 0.4 * 0.4));
    case SmoothSurface::Saddle:
        return x1 * x1 - x2 * x2;
    case SmoothSurface::Ripple:
        return std::cos(2.0 * pi * std::sqrt(squaredRadius));
    }
    return 0.0;
}

const std::vector<std::string>& smoothSurfaceNames() {
    static const std::vector<std::string> names{"bump", "saddle", "ripple"};
    return names;
}

SmoothSurface smoothSurfaceFromName(const std::string& name) {
    const auto& names = smoothSurfaceNames();
    for (std::size_t index = 0; index < names.size(); ++index) {
        if (names[index] == name) {
            return static_cast<SmoothSurface>(index);
        }
    }
    throw std::invalid_argument("unknown surface '" + name + "'; choose bump, saddle or ripple");
}

Dataset makeNoisySurface(const NoisySurfaceOptions& options) {
    requirePositiveSamples(options.samples);
    requireNonNegative(options.noise, "the noise");
    RandomStream random(options.seed);
    Dataset dataset;
    dataset.points.resize(options.samples, 2);
    Eigen::VectorXd target(options.samples);
    for (Eigen::Index row = 0; row < options.samples; ++row) {
        const double x1 = random.uniform(-1.0, 1.0);
        const double x2 = random.uniform(-1.0, 1.0);
        dataset.points.row(row) << x1, x2;
        target(row) = evaluateSmoothSurface(options.surface, x1, x2) + options.noise * random.normal();
    }
    dataset.target = std::move(target);
    dataset.columnNames = {"x1", "x2"};
    dataset.targetName = "y";
    dataset.origin = OriginText("noisy_surface")
                         .add("f", smoothSurfaceNames()[static_cast<std::size_t>(options.surface)])
                         .add("noise", options.noise)
                         .finish(options.samples, options.seed);
    return dataset;
}

Dataset makeUniformBox(const UniformBoxOptions& options) {
    requirePositiveSamples(options.samples);
    if (options.dimension < 1) {
        throw std::invalid_argument("the dimension must be at least 1");
    }
    if (!(options.upper > options.lower) || !std::isfinite(options.upper - options.lower)) {
        throw std::invalid_argument("the box needs lower < upper");
    }
    RandomStream random(options.seed);
    Dataset dataset;
    dataset.points.resize(options.samples, options.dimension);
    for (Eigen::Index row = 0; row < options.samples; ++row) {
        for (Eigen::Index column = 0; column < options.dimension; ++column) {
            dataset.points(row, column) = random.uniform(options.lower, options.upper);
        }
    }
    dataset.columnNames = axisNames(options.dimension);
    dataset.origin = OriginText("uniform_box")
                         .add("d", options.dimension)
                         .add("lower", options.lower)
                         .add("upper", options.upper)
                         .finish(options.samples, options.seed);
    return dataset;
}

} // namespace locallab
