#include "cli_common.hpp"

#include "locallab/data/data_error.hpp"
#include "locallab/data/load_dataset.hpp"

#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <stdexcept>

namespace locallab::cli {

namespace {

const std::map<std::string, Delimiter> delimiterNames{{"auto", Delimiter::Automatic},
                                                      {"comma", Delimiter::Comma},
                                                      {"tab", Delimiter::Tab},
                                                      {"semicolon", Delimiter::Semicolon},
                                                      {"whitespace", Delimiter::Whitespace}};

const std::map<std::string, HeaderMode> headerNames{
    {"auto", HeaderMode::Automatic}, {"yes", HeaderMode::Present}, {"no", HeaderMode::Absent}};

[[noreturn]] void throwBadFlag(const ParameterDescription& description, const std::string& text,
                               const std::string& expected) {
    throw std::invalid_argument("--" + description.name + ": expected " + expected + ", found '" + text +
                                "'");
}

template <typename Number>
Number parseWhole(const ParameterDescription& description, const std::string& text,
                  const std::string& expected) {
    Number value{};
    const char* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || error != std::errc() || stop != end) {
        throwBadFlag(description, text, expected);
    }
    return value;
}

ParameterValue parseParameterValue(const ParameterDescription& description, const std::string& text) {
    switch (description.type) {
    case ParameterType::Real:
        return parseWhole<double>(description, text, "a number");
    case ParameterType::Integer:
        return parseWhole<long long>(description, text, "a whole number");
    case ParameterType::Boolean:
        if (text == "true" || text == "1" || text == "yes") {
            return true;
        }
        if (text == "false" || text == "0" || text == "no") {
            return false;
        }
        throwBadFlag(description, text, "true or false");
    case ParameterType::Choice:
        return text;
    }
    throwBadFlag(description, text, "a value");
}

std::string describeDefault(const ParameterDescription& description) {
    switch (description.type) {
    case ParameterType::Choice:
        return description.defaultChoice;
    case ParameterType::Boolean:
        return description.defaultValue != 0.0 ? "true" : "false";
    case ParameterType::Integer:
        return std::to_string(static_cast<long long>(description.defaultValue));
    case ParameterType::Real:
        break;
    }
    return formatNumber(description.defaultValue);
}

} // namespace

void addInputOptions(CLI::App& command, InputOptions& options) {
    command
        .add_option("-i,--input", options.path,
                    "Data file: CSV, TSV, whitespace-separated text or NumPy .npy")
        ->required();
    command
        .add_option("-c,--columns", options.columns,
                    "Columns that hold the points, by name or 1-based number, comma-separated (default: all "
                    "but the target and label)")
        ->delimiter(',');
    command.add_option("--target", options.target,
                       "Column of the regression target y (name or 1-based number)");
    command.add_option("--label", options.label,
                       "Column of class labels, numbers or text (name or 1-based number)");
    command.add_option("--delimiter", options.delimiter, "Field separator of text files")
        ->check(CLI::IsMember({"auto", "comma", "tab", "semicolon", "whitespace"}))
        ->capture_default_str();
    command.add_option("--header", options.header, "Whether the first line of a text file names the columns")
        ->check(CLI::IsMember({"auto", "yes", "no"}))
        ->capture_default_str();
}

Dataset readInput(const InputOptions& options) {
    LoadOptions loadOptions;
    loadOptions.columns = options.columns;
    loadOptions.targetColumn = options.target;
    loadOptions.labelColumn = options.label;
    loadOptions.delimiter = delimiterNames.at(options.delimiter);
    loadOptions.header = headerNames.at(options.header);
    return loadDataset(options.path, loadOptions);
}

void addOutputOption(CLI::App& command, std::string& outputPath) {
    command.add_option("-o,--output", outputPath, "Where to write the CSV result; - is standard output")
        ->capture_default_str();
}

void writeOutput(const std::string& path, const std::function<void(std::ostream&)>& write) {
    if (path == "-" || path.empty()) {
        write(std::cout);
        std::cout.flush();
        return;
    }
    std::ofstream file(path, std::ios::binary);
    if (!file) {
        throw std::runtime_error(path + ": cannot open the file for writing");
    }
    write(file);
    file.flush();
    if (!file) {
        throw std::runtime_error(path + ": writing the file failed");
    }
}

void addParameterOptions(CLI::App& command, const std::vector<ParameterDescription>& descriptions,
                         std::map<std::string, std::string>& texts) {
    for (const auto& description : descriptions) {
        std::string help = description.help + " (default " + describeDefault(description);
        if (description.type == ParameterType::Choice) {
            help += "; one of";
            for (const auto& choice : description.choices) {
                help += " " + choice;
            }
        } else if (description.type != ParameterType::Boolean) {
            help += "; " + formatNumber(description.minimum) + " to " + formatNumber(description.maximum);
        }
        command.add_option("--" + description.name, texts[description.name], help + ")");
    }
}

ParameterValues parameterValuesFrom(const std::vector<ParameterDescription>& descriptions,
                                    const std::map<std::string, std::string>& texts) {
    ParameterValues values(descriptions);
    for (const auto& description : descriptions) {
        const auto given = texts.find(description.name);
        if (given == texts.end() || given->second.empty()) {
            continue;
        }
        const ParameterValue value = parseParameterValue(description, given->second);
        if (const auto problem = validateParameter(description, value)) {
            throw std::invalid_argument("--" + *problem);
        }
        values.set(description.name, value);
    }
    return values;
}

int run(CLI::App& app, int argc, char** argv) {
    try {
        app.parse(argc, argv);
        return Success;
    } catch (const CLI::Success& success) {
        return app.exit(success); // --help and --version
    } catch (const CLI::ParseError& error) {
        app.exit(error);
        return UsageError;
    } catch (const DataError& error) {
        std::cerr << error.what() << '\n';
        return BadData;
    } catch (const std::invalid_argument& error) {
        std::cerr << "locallab-cli: " << error.what() << '\n';
        return UsageError;
    } catch (const std::exception& error) {
        std::cerr << "locallab-cli: " << error.what() << '\n';
        return Failure;
    }
}

} // namespace locallab::cli
