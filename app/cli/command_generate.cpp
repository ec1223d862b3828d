// locallab-cli generate NAME [--parameter value ...]: a seeded synthetic data set as CSV.
// Each generator of the registry becomes a subcommand whose flags come from its parameter
// descriptions, so a new generator needs no change here.

#include "cli_common.hpp"
#include "commands.hpp"
#include "locallab/data/generator_registry.hpp"

#include <map>
#include <memory>

namespace locallab::cli {

namespace {

struct GenerateOptions {
    std::map<std::string, std::string> parameterTexts;
    std::string output = "-";
};

// Points, then the target, the labels and the latent coordinate when the generator made them.
void writeDataset(const Dataset& dataset, std::ostream& output) {
    std::vector<std::string> header = dataset.columnNames;
    Eigen::MatrixXd table = dataset.points;
    const auto append = [&](const Eigen::VectorXd& column, const std::string& name) {
        table.conservativeResize(Eigen::NoChange, table.cols() + 1);
        table.col(table.cols() - 1) = column;
        header.push_back(name);
    };
    if (dataset.target) {
        append(*dataset.target, dataset.targetName.empty() ? "target" : dataset.targetName);
    }
    if (dataset.labels) {
        append(dataset.labels->cast<double>(), "label");
    }
    if (dataset.latent) {
        append(*dataset.latent, "latent");
    }
    output << "# " << dataset.origin << '\n';
    writeCsv(output, header, table);
}

} // namespace

void addGenerateCommand(CLI::App& app) {
    CLI::App* command = app.add_subcommand("generate", "Write a seeded synthetic data set as CSV");
    command->require_subcommand(1);
    for (const GeneratorDescription& generator : generatorDescriptions()) {
        auto options = std::make_shared<GenerateOptions>();
        CLI::App* subcommand = command->add_subcommand(generator.name, generator.help);
        addParameterOptions(*subcommand, generator.parameters, options->parameterTexts);
        addOutputOption(*subcommand, options->output);
        const std::string name = generator.name;
        subcommand->callback([options, name, &generator] {
            const Dataset dataset =
                generate(name, parameterValuesFrom(generator.parameters, options->parameterTexts));
            writeOutput(options->output, [&](std::ostream& output) { writeDataset(dataset, output); });
        });
    }
}

} // namespace locallab::cli
