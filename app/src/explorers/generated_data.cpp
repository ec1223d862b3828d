#include "explorers/generated_data.hpp"

#include "locallab/data/generators.hpp"

#include <algorithm>
#include <functional>
#include <stdexcept>

namespace locallab {

namespace {

struct Generator {
    std::string name;
    double typicalNoise;
    std::function<Dataset(const GeneratorRequest&)> make;
};

Dataset makeNoisy(const GeneratorRequest& request, SmoothFunction function) {
    NoisyFunctionOptions options;
    options.samples = request.samples;
    options.function = function;
    options.noise = request.noise;
    options.seed = request.seed;
    return makeNoisyFunction(options);
}

Dataset makeSurface(const GeneratorRequest& request, SmoothSurface surface) {
    return makeNoisySurface({request.samples, surface, request.noise, request.seed});
}

ManifoldOptions manifoldOptions(const GeneratorRequest& request) {
    ManifoldOptions options;
    options.samples = request.samples;
    options.noise = request.noise;
    options.seed = request.seed;
    return options;
}

BlobsOptions blobsOptions(const GeneratorRequest& request) {
    BlobsOptions options;
    options.samples = request.samples;
    options.clusters = 3;
    options.clusterStandardDeviation = request.noise;
    options.seed = request.seed;
    return options;
}

const std::vector<Generator>& generators() {
    static const std::vector<Generator> all = {
        {"blobs", 1.0, [](const GeneratorRequest& request) { return makeBlobs(blobsOptions(request)); }},
        {"anisotropic blobs", 1.0,
         [](const GeneratorRequest& request) {
             AnisotropicBlobsOptions options;
             options.blobs = blobsOptions(request);
             return makeAnisotropicBlobs(options);
         }},
        // scikit-learn's "varied" blobs: spreads of 1, 2.5 and 0.5 times the noise knob.
        {"varied blobs", 1.0,
         [](const GeneratorRequest& request) {
             BlobsOptions options = blobsOptions(request);
             options.clusterStandardDeviations = {request.noise, 2.5 * request.noise, 0.5 * request.noise};
             return makeBlobs(options);
         }},
        {"moons", 0.1,
         [](const GeneratorRequest& request) {
             MoonsOptions options;
             options.samples = request.samples;
             options.noise = request.noise;
             options.seed = request.seed;
             return makeMoons(options);
         }},
        {"circles", 0.05,
         [](const GeneratorRequest& request) {
             CirclesOptions options;
             options.samples = request.samples;
             options.noise = request.noise;
             options.seed = request.seed;
             return makeCircles(options);
         }},
        {"swiss roll", 0.05,
         [](const GeneratorRequest& request) { return makeSwissRoll(manifoldOptions(request)); }},
        {"s-curve", 0.05,
         [](const GeneratorRequest& request) { return makeSCurve(manifoldOptions(request)); }},
        {"noisy sine", 0.2,
         [](const GeneratorRequest& request) { return makeNoisy(request, SmoothFunction::Sine); }},
        {"noisy step", 0.2,
         [](const GeneratorRequest& request) { return makeNoisy(request, SmoothFunction::Step); }},
        {"doppler", 0.05,
         [](const GeneratorRequest& request) { return makeNoisy(request, SmoothFunction::Doppler); }},
        {"noisy bump", 0.1,
         [](const GeneratorRequest& request) { return makeSurface(request, SmoothSurface::Bump); }},
        {"noisy saddle", 0.1,
         [](const GeneratorRequest& request) { return makeSurface(request, SmoothSurface::Saddle); }},
        {"noisy ripple", 0.1,
         [](const GeneratorRequest& request) { return makeSurface(request, SmoothSurface::Ripple); }},
        {"uniform square", 0.0,
         [](const GeneratorRequest& request) {
             // Uniform data have no noise of their own: the noise knob does nothing here.
             UniformBoxOptions options;
             options.samples = request.samples;
             options.seed = request.seed;
             return makeUniformBox(options);
         }},
    };
    return all;
}

const Generator& findGenerator(const std::string& name) {
    const auto& all = generators();
    const auto found = std::find_if(all.begin(), all.end(),
                                    [&](const Generator& generator) { return generator.name == name; });
    if (found == all.end()) {
        throw std::invalid_argument("there is no generator called '" + name + "'");
    }
    return *found;
}

} // namespace

const std::vector<std::string>& generatorNames() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> result;
        for (const auto& generator : generators()) {
            result.push_back(generator.name);
        }
        return result;
    }();
    return names;
}

double typicalNoise(const std::string& generator) {
    return findGenerator(generator).typicalNoise;
}

Dataset generateDataset(const GeneratorRequest& request) {
    return findGenerator(request.generator).make(request);
}

} // namespace locallab
