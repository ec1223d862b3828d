#pragma once
// The generators by name, each with its parameters described once, so the GUI's data panel, scene
// files and the CLI drive any generator the same way: list them, show their parameters, call
// generate(name, values).

#include "locallab/data/dataset.hpp"
#include "locallab/util/parameter.hpp"

#include <string>
#include <vector>

namespace locallab {

struct GeneratorDescription {
    std::string name;                             // stable key: "two_moons"
    std::string label;                            // what a menu shows: "Two moons"
    std::string help;                             // one sentence
    std::vector<ParameterDescription> parameters; // every generator has "samples" and "seed"
};

const std::vector<GeneratorDescription>& generatorDescriptions();

// nullptr when no generator has that name.
const GeneratorDescription* findGenerator(const std::string& name);

// Runs the named generator. Parameters not in `values` take their defaults. Throws
// std::invalid_argument naming the generator or the parameter when the name is unknown or a value
// does not fit its description.
Dataset generate(const std::string& name, const ParameterValues& values = {});

} // namespace locallab
