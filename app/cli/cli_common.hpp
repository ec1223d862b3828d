#pragma once
// What every locallab-cli command shares: the input options and how they become a Dataset, the CSV
// output, flags built from ParameterDescriptions, and the exit codes with the messages that go
// with them.
//
// Exit codes: 0 success, 1 an unexpected failure (an output file that cannot be written), 2 a usage
// error (CLI11's message, or a parameter out of range), 3 bad data ("file:line:column: message").

#include "locallab/data/csv_writer.hpp"
#include "locallab/data/dataset.hpp"
#include "locallab/util/parameter.hpp"

#include <CLI/CLI.hpp>
#include <Eigen/Core>
#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace locallab::cli {

enum ExitCode : int { Success = 0, Failure = 1, UsageError = 2, BadData = 3 };

struct InputOptions {
    std::string path;
    std::vector<std::string> columns; // names or 1-based numbers
    std::string target;
    std::string label;
    std::string delimiter = "auto";
    std::string header = "auto";
};

// --input (required), --columns, --target, --label, --delimiter, --header.
void addInputOptions(CLI::App& command, InputOptions& options);

// Loads the input; throws DataError (exit 3) for bad data.
Dataset readInput(const InputOptions& options);

// --output FILE; "-" (the default) is standard output.
void addOutputOption(CLI::App& command, std::string& outputPath);

// Calls `write` with the stream for `path` ("-" is standard output); throws std::runtime_error when
// the file cannot be written.
void writeOutput(const std::string& path, const std::function<void(std::ostream&)>& write);

// escapeCsvField, formatNumber and writeCsv come from locallab/data/csv_writer.hpp.

// One --name flag per description; the text given is kept in `texts` under the parameter's name.
void addParameterOptions(CLI::App& command, const std::vector<ParameterDescription>& descriptions,
                         std::map<std::string, std::string>& texts);

// Defaults, overridden by the flags that were given. Throws std::invalid_argument (exit 2) naming the
// flag when a text does not parse or is out of range.
ParameterValues parameterValuesFrom(const std::vector<ParameterDescription>& descriptions,
                                    const std::map<std::string, std::string>& texts);

// Parses the command line and runs the chosen command, turning every failure into its exit code and a
// message on standard error.
int run(CLI::App& app, int argc, char** argv);

} // namespace locallab::cli
