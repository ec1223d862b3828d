// locallab-cli info: what is in a data file before any method runs on it.
// The output is itself readable data: '#' comment lines for the file, n and d, then a CSV table with
// one row per column.

#include "cli_common.hpp"
#include "commands.hpp"
#include "locallab/data/column_summary.hpp"

#include <memory>

namespace locallab::cli {

namespace {

struct InfoOptions {
    InputOptions input;
    std::string output = "-";
};

void printInfo(const Dataset& dataset, const std::string& path, std::ostream& output) {
    output << "# input: " << path << '\n';
    output << "# n: " << dataset.size() << '\n';
    output << "# d: " << dataset.dimension() << '\n';
    output << "column,role,min,max,mean,std,distinct\n";
    for (const ColumnSummary& summary : summarizeDataset(dataset)) {
        output << summary.name << ',' << summary.role << ',' << formatNumber(summary.minimum) << ','
               << formatNumber(summary.maximum) << ',' << formatNumber(summary.mean) << ','
               << formatNumber(summary.standardDeviation) << ',' << summary.distinctValues << '\n';
    }
}

} // namespace

void addInfoCommand(CLI::App& app) {
    auto options = std::make_shared<InfoOptions>();
    CLI::App* command = app.add_subcommand(
        "info", "Print n, d and, per column, min, max, mean, standard deviation (n - 1) and distinct values");
    addInputOptions(*command, options->input);
    addOutputOption(*command, options->output);
    command->callback([options] {
        const Dataset dataset = readInput(options->input);
        writeOutput(options->output,
                    [&](std::ostream& output) { printInfo(dataset, options->input.path, output); });
    });
}

} // namespace locallab::cli
