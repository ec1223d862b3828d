#pragma once
// The generated data sets the Data explorer offers, all driven by the same four knobs (generator,
// number of points, seed, noise) so that one small panel reaches every shape in core's generators.

#include "locallab/data/dataset.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace locallab {

struct GeneratorRequest {
    std::string generator = "blobs";
    long long samples = 600;
    std::uint64_t seed = 1;
    double noise = 1.0; // the spread of each blob for blobs; the added noise everywhere else
};

// The generator names in the order the panel lists them.
const std::vector<std::string>& generatorNames();

// A noise level that shows the shape clearly: blobs want a spread of 1, moons only 0.1.
double typicalNoise(const std::string& generator);

// Throws std::invalid_argument for an unknown generator or options core refuses.
Dataset generateDataset(const GeneratorRequest& request);

} // namespace locallab
