// locallab-cli lle: locally linear embedding of a file (standard, modified, Hessian or LTSA), one row of
// coordinates y1..yD per input point. The flags come from lleParameters(), as the explorer's panel does.
// A problem that leaves no embedding (a neighbour graph in pieces, too few neighbours for the method,
// ...) is bad data: exit 3 with the diagnostic in plain words. Warnings go to standard error. --radius
// replaces --neighbors (giving both, or a radius that is not positive, is a usage error).

#include "cli_common.hpp"
#include "commands.hpp"
#include "locallab/data/data_error.hpp"
#include "locallab/manifold/lle_parameters.hpp"

#include <iostream>
#include <memory>
#include <optional>

namespace locallab::cli {

namespace {

struct LleCommandOptions {
    InputOptions input;
    std::map<std::string, std::string> parameterTexts;
    std::optional<double> radius; // unset: the k nearest neighbours
    std::string output = "-";
};

std::vector<std::string> coordinateNames(Eigen::Index components) {
    std::vector<std::string> names;
    for (Eigen::Index component = 1; component <= components; ++component) {
        names.push_back("y" + std::to_string(component));
    }
    return names;
}

void runLle(const LleCommandOptions& options) {
    const Dataset dataset = readInput(options.input);
    LocallyLinearEmbeddingOptions lleOptions =
        lleOptionsFromParameters(parameterValuesFrom(lleParameters(), options.parameterTexts));
    lleOptions.radius = options.radius;
    SilentProgress progress;
    const LocallyLinearEmbeddingResult result = locallyLinearEmbedding(dataset.points, lleOptions, progress);
    std::string errors;
    for (const LleDiagnostic& diagnostic : result.diagnostics) {
        if (diagnostic.severity == LleDiagnostic::Severity::Error) {
            errors += (errors.empty() ? "" : " ") + diagnostic.message;
        } else {
            std::cerr << "locallab-cli lle: warning: " << diagnostic.message << '\n';
        }
    }
    if (!errors.empty()) {
        DataError::Location location;
        location.file = options.input.path;
        throw DataError(location, errors);
    }
    writeOutput(options.output, [&](std::ostream& output) {
        writeCsv(output, coordinateNames(lleOptions.components), result.embedding);
    });
}

} // namespace

void addLleCommand(CLI::App& app) {
    auto options = std::make_shared<LleCommandOptions>();
    CLI::App* command = app.add_subcommand(
        "lle", "Locally linear embedding: one row per input point with its coordinates y1..yD");
    addInputOptions(*command, options->input);
    addParameterOptions(*command, lleParameters(), options->parameterTexts);
    CLI::Option* neighbors = command->get_option("--neighbors");
    command
        ->add_option_function<double>(
            "--radius", [options](const double& radius) { options->radius = radius; },
            "Use every point within this distance (> 0) as a neighbour; replaces --neighbors, which cannot "
            "be given with it")
        ->check(CLI::PositiveNumber)
        ->excludes(neighbors);
    addOutputOption(*command, options->output);
    command->callback([options] { runLle(*options); });
}

} // namespace locallab::cli
