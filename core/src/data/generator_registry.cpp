#include "locallab/data/generator_registry.hpp"

#include "locallab/data/generators.hpp"

#include <functional>
#include <stdexcept>

namespace locallab {

namespace {

ParameterDescription samplesParameter(long long defaultValue) {
    return integerParameter("samples", "Samples n", 1, 10'000'000, defaultValue, "How many points to draw.");
}

ParameterDescription seedParameter() {
    return integerParameter("seed", "Seed", 0, 4'294'967'295LL, 0,
                            "The same seed gives the same data on every machine.");
}

ParameterDescription noiseParameter(double defaultValue) {
    return realParameter("noise", "Noise σ", 0.0, 10.0, defaultValue,
                         "Standard deviation of the Gaussian noise added to every coordinate.");
}

std::vector<ParameterDescription> blobParameters(bool withDimension) {
    std::vector<ParameterDescription> parameters{
        samplesParameter(300),
        integerParameter("clusters", "Clusters", 1, 50, 3, "How many Gaussian clusters."),
        realParameter("cluster_std", "Cluster σ", 0.01, 20.0, 1.0, "Standard deviation within each cluster.",
                      true),
        realParameter("center_box", "Centre box half-width", 0.1, 1000.0, 10.0,
                      "Cluster centres are drawn uniformly in [−w, w] along every axis.", true),
    };
    if (withDimension) {
        parameters.push_back(
            integerParameter("dimension", "Dimension d", 1, 50, 2, "Number of coordinates."));
    }
    parameters.push_back(seedParameter());
    return parameters;
}

BlobsOptions blobOptions(const ParameterValues& values, bool withDimension) {
    BlobsOptions options;
    options.samples = values.integer("samples");
    options.clusters = static_cast<int>(values.integer("clusters"));
    options.clusterStandardDeviation = values.real("cluster_std");
    options.centerBoxHalfWidth = values.real("center_box");
    options.dimension = withDimension ? static_cast<int>(values.integer("dimension")) : 2;
    options.seed = static_cast<std::uint64_t>(values.integer("seed"));
    return options;
}

ManifoldOptions manifoldOptions(const ParameterValues& values) {
    return {values.integer("samples"), values.real("noise"),
            static_cast<std::uint64_t>(values.integer("seed"))};
}

struct RegisteredGenerator {
    GeneratorDescription description;
    std::function<Dataset(const ParameterValues&)> make;
};

std::vector<RegisteredGenerator> buildRegistry() {
    std::vector<RegisteredGenerator> registry;
    registry.push_back(
        {{"blobs", "Gaussian blobs", "Isotropic Gaussian clusters with labels.", blobParameters(true)},
         [](const ParameterValues& values) { return makeBlobs(blobOptions(values, true)); }});
    registry.push_back(
        {{"anisotropic_blobs", "Anisotropic blobs",
          "Gaussian clusters stretched and tilted by the linear map [[0.6, −0.6], [−0.4, 0.8]].",
          blobParameters(false)},
         [](const ParameterValues& values) {
             AnisotropicBlobsOptions options;
             options.blobs = blobOptions(values, false);
             return makeAnisotropicBlobs(options);
         }});
    registry.push_back(
        {{"varied_blobs",
          "Blobs of different spreads",
          "Three Gaussian clusters whose σ are 1, 2.5 and 0.5 times the cluster σ (scikit-learn's \"varied\" "
          "blobs): no single bandwidth suits them all.",
          {samplesParameter(600),
           realParameter("cluster_std", "Cluster σ", 0.01, 20.0, 1.0,
                         "The middle spread; the others are 2.5× and 0.5×.", true),
           realParameter("center_box", "Centre box half-width", 0.1, 1000.0, 10.0,
                         "Cluster centres are drawn uniformly in [−w, w] along every axis.", true),
           seedParameter()}},
         [](const ParameterValues& values) {
             BlobsOptions options;
             options.samples = values.integer("samples");
             options.clusters = 3;
             const double spread = values.real("cluster_std");
             options.clusterStandardDeviation = spread;
             options.clusterStandardDeviations = {spread, 2.5 * spread, 0.5 * spread};
             options.centerBoxHalfWidth = values.real("center_box");
             options.seed = static_cast<std::uint64_t>(values.integer("seed"));
             Dataset dataset = makeBlobs(options);
             dataset.origin = "varied_" + dataset.origin; // "varied_blobs(n=..., ...)": the name asked for
             return dataset;
         }});
    registry.push_back({{"two_moons",
                         "Two moons",
                         "Two interleaving half circles with labels.",
                         {samplesParameter(200), noiseParameter(0.1), seedParameter()}},
                        [](const ParameterValues& values) {
                            return makeMoons({values.integer("samples"), values.real("noise"),
                                              static_cast<std::uint64_t>(values.integer("seed"))});
                        }});
    registry.push_back({{"circles",
                         "Circles",
                         "Two concentric circles with labels.",
                         {samplesParameter(200),
                          realParameter("factor", "Inner radius", 0.01, 0.99, 0.5,
                                        "Radius of the inner circle relative to the outer one."),
                          noiseParameter(0.05), seedParameter()}},
                        [](const ParameterValues& values) {
                            return makeCircles({values.integer("samples"), values.real("factor"),
                                                values.real("noise"),
                                                static_cast<std::uint64_t>(values.integer("seed"))});
                        }});
    registry.push_back(
        {{"swiss_roll",
          "Swiss roll",
          "A rolled-up 2-D sheet in 3-D; the angle is kept as latent.",
          {samplesParameter(1000), noiseParameter(0.0), seedParameter()}},
         [](const ParameterValues& values) { return makeSwissRoll(manifoldOptions(values)); }});
    registry.push_back({{"s_curve",
                         "S-curve",
                         "An S-shaped 2-D sheet in 3-D; the angle is kept as latent.",
                         {samplesParameter(1000), noiseParameter(0.0), seedParameter()}},
                        [](const ParameterValues& values) { return makeSCurve(manifoldOptions(values)); }});
    registry.push_back({{"helix",
                         "Helix",
                         "Two turns of a helix: a 1-D curve in 3-D; the angle is kept as latent.",
                         {samplesParameter(1000), noiseParameter(0.0), seedParameter()}},
                        [](const ParameterValues& values) { return makeHelix(manifoldOptions(values)); }});
    registry.push_back(
        {{"sphere_without_cap",
          "Sphere without a cap",
          "A unit sphere with the cap around its north pole cut away; the polar angle is kept as latent.",
          {samplesParameter(1000),
           realParameter("cap", "Cap angle (degrees)", 1.0, 179.0, 60.0,
                         "Angular radius of the removed cap, seen from the sphere's centre."),
           noiseParameter(0.0), seedParameter()}},
         [](const ParameterValues& values) {
             SphereWithoutCapOptions options;
             options.samples = values.integer("samples");
             options.capDegrees = values.real("cap");
             options.noise = values.real("noise");
             options.seed = static_cast<std::uint64_t>(values.integer("seed"));
             return makeSphereWithoutCap(options);
         }});

    const ParameterDescription function =
        choiceParameter("function", "Function", smoothFunctionNames(), "sine",
                        "The smooth function the targets scatter around.");
    registry.push_back(
        {{"noisy_function",
          "Noisy function",
          "1-D regression data: y = f(x) + noise, with x uniform.",
          {samplesParameter(200), function,
           realParameter("lower", "x from", -1000.0, 1000.0, 0.0, "Left end of x."),
           realParameter("upper", "x to", -1000.0, 1000.0, 1.0, "Right end of x."),
           realParameter("noise", "Noise σ", 0.0, 10.0, 0.2,
                         "Standard deviation of the noise at the left end."),
           realParameter("heteroscedasticity", "Noise growth", 0.0, 100.0, 0.0,
                         "The noise σ grows linearly to (1 + this) times its value at the right end."),
           seedParameter()}},
         [](const ParameterValues& values) {
             NoisyFunctionOptions options;
             options.samples = values.integer("samples");
             options.function = smoothFunctionFromName(values.choice("function"));
             options.lower = values.real("lower");
             options.upper = values.real("upper");
             options.noise = values.real("noise");
             options.heteroscedasticity = values.real("heteroscedasticity");
             options.seed = static_cast<std::uint64_t>(values.integer("seed"));
             return makeNoisyFunction(options);
         }});
    registry.push_back(
        {{"noisy_surface",
          "Noisy surface",
          "2-D regression data: y = f(x1, x2) + noise, with (x1, x2) uniform in [−1, 1]².",
          {samplesParameter(400),
           choiceParameter("surface", "Surface", smoothSurfaceNames(), "bump",
                           "The smooth surface the targets scatter around: a bump, a saddle or ripples."),
           realParameter("noise", "Noise σ", 0.0, 10.0, 0.1, "Standard deviation of the noise added to y."),
           seedParameter()}},
         [](const ParameterValues& values) {
             NoisySurfaceOptions options;
             options.samples = values.integer("samples");
             options.surface = smoothSurfaceFromName(values.choice("surface"));
             options.noise = values.real("noise");
             options.seed = static_cast<std::uint64_t>(values.integer("seed"));
             return makeNoisySurface(options);
         }});
    registry.push_back(
        {{"uniform_box",
          "Uniform box",
          "Points uniform in a box.",
          {samplesParameter(500),
           integerParameter("dimension", "Dimension d", 1, 50, 2, "Number of coordinates."),
           realParameter("lower", "Lower bound", -1000.0, 1000.0, -1.0, "Lower end along every axis."),
           realParameter("upper", "Upper bound", -1000.0, 1000.0, 1.0, "Upper end along every axis."),
           seedParameter()}},
         [](const ParameterValues& values) {
             return makeUniformBox({values.integer("samples"), static_cast<int>(values.integer("dimension")),
                                    values.real("lower"), values.real("upper"),
                                    static_cast<std::uint64_t>(values.integer("seed"))});
         }});
    return registry;
}

const std::vector<RegisteredGenerator>& registry() {
    static const std::vector<RegisteredGenerator> generators = buildRegistry();
    return generators;
}

const RegisteredGenerator& findRegistered(const std::string& name) {
    for (const auto& generator : registry()) {
        if (generator.description.name == name) {
            return generator;
        }
    }
    std::string known;
    for (const auto& generator : registry()) {
        known += (known.empty() ? "" : ", ") + generator.description.name;
    }
    throw std::invalid_argument("no generator named '" + name + "'; generators are " + known);
}

} // namespace

const std::vector<GeneratorDescription>& generatorDescriptions() {
    static const std::vector<GeneratorDescription> descriptions = [] {
        std::vector<GeneratorDescription> result;
        for (const auto& generator : registry()) {
            result.push_back(generator.description);
        }
        return result;
    }();
    return descriptions;
}

const GeneratorDescription* findGenerator(const std::string& name) {
    for (const auto& description : generatorDescriptions()) {
        if (description.name == name) {
            return &description;
        }
    }
    return nullptr;
}

Dataset generate(const std::string& name, const ParameterValues& values) {
    const RegisteredGenerator& generator = findRegistered(name);
    const auto& parameters = generator.description.parameters;
    ParameterValues merged(parameters);
    for (const auto& [parameterName, value] : values.all()) {
        const ParameterDescription* description = findParameter(parameters, parameterName);
        if (description == nullptr) {
            throw std::invalid_argument("the generator '" + name + "' has no parameter '" + parameterName +
                                        "'");
        }
        if (const auto problem = validateParameter(*description, value)) {
            throw std::invalid_argument(name + ": " + *problem);
        }
        merged.set(parameterName, value);
    }
    return generator.make(merged);
}

} // namespace locallab
