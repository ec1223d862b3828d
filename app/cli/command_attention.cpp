// locallab-cli attention: the attention matrix of a set of tokens X (n × d). Queries, keys and values
// are X W_Q, X W_K and X W_V, each projection the identity unless --projections gives it. One row per
// query, in input order, under the header w1,...,wn: row i holds the weights token i gives to every
// token, and sums to 1. With --print output, row i is instead the query's output Σ_j w_ij v_j under the
// header o1,...,o_dv. The temperature defaults to √d_k for keys of d_k columns, the Transformer's choice.

#include "cli_common.hpp"
#include "commands.hpp"
#include "locallab/attention/attention_parameters.hpp"
#include "locallab/attention/attention_weights.hpp"
#include "locallab/data/data_error.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>

namespace locallab::cli {

namespace {

// The flags of this command: a subset of the attention explorer's parameters.
const std::vector<ParameterDescription>& commandParameters() {
    static const std::vector<ParameterDescription> parameters = [] {
        std::vector<ParameterDescription> subset;
        for (const char* name : {"kernel", "temperature", "neighbors", "causal"}) {
            subset.push_back(*findParameter(attentionParameters(), name));
        }
        return subset;
    }();
    return parameters;
}

struct AttentionCommandOptions {
    InputOptions input;
    std::map<std::string, std::string> parameterTexts;
    std::string projectionsPath;
    std::string print = "weights";
    std::string output = "-";
};

// W_Q, W_K, W_V: d × d_k, d × d_k and d × d_v.
struct Projections {
    Eigen::MatrixXd query;
    Eigen::MatrixXd key;
    Eigen::MatrixXd value;
};

DataError projectionError(const std::string& path, const std::string& problem) {
    DataError::Location location;
    location.file = path;
    return DataError(location, problem);
}

// A JSON array of rows of numbers as a matrix; `name` says which projection, for the messages.
Eigen::MatrixXd matrixFromJson(const nlohmann::json& rows, const std::string& name, const std::string& path) {
    const std::string expected =
        "'" + name + "' must be a matrix: an array of rows, each an array of numbers";
    if (!rows.is_array() || rows.empty() || !rows.front().is_array() || rows.front().empty()) {
        throw projectionError(path, expected);
    }
    Eigen::MatrixXd matrix(static_cast<Eigen::Index>(rows.size()),
                           static_cast<Eigen::Index>(rows.front().size()));
    for (std::size_t row = 0; row < rows.size(); ++row) {
        const nlohmann::json& entries = rows[row];
        if (!entries.is_array() || entries.size() != static_cast<std::size_t>(matrix.cols())) {
            throw projectionError(path, "row " + std::to_string(row + 1) + " of '" + name + "' has " +
                                            (entries.is_array() ? std::to_string(entries.size()) : "no") +
                                            " entries, but its first row has " +
                                            std::to_string(matrix.cols()));
        }
        for (std::size_t column = 0; column < entries.size(); ++column) {
            const nlohmann::json& entry = entries[column];
            if (!entry.is_number() || !std::isfinite(entry.get<double>())) {
                throw projectionError(path, "entry (" + std::to_string(row + 1) + ", " +
                                                std::to_string(column + 1) + ") of '" + name +
                                                "' is not a finite number");
            }
            matrix(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(column)) = entry.get<double>();
        }
    }
    return matrix;
}

// The projections in `path` for tokens of `dimension` columns; the ones the file leaves out are the
// identity. Every problem is bad data (exit 3) naming the file.
Projections readProjections(const std::string& path, Eigen::Index dimension) {
    Projections projections{Eigen::MatrixXd::Identity(dimension, dimension),
                            Eigen::MatrixXd::Identity(dimension, dimension),
                            Eigen::MatrixXd::Identity(dimension, dimension)};
    std::ifstream stream(path);
    if (!stream) {
        throw projectionError(path, "cannot open the projections file");
    }
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(stream);
    } catch (const nlohmann::json::parse_error& error) {
        throw projectionError(path, std::string("not valid JSON: ") + error.what());
    }
    if (!document.is_object()) {
        throw projectionError(path,
                              "expected a JSON object with the matrices \"query\", \"key\" and \"value\"");
    }
    const std::map<std::string, Eigen::MatrixXd*> targets = {
        {"query", &projections.query}, {"key", &projections.key}, {"value", &projections.value}};
    for (const auto& [name, entry] : document.items()) {
        const auto target = targets.find(name);
        if (target == targets.end()) {
            throw projectionError(path, "unknown entry '" + name +
                                            "': the projections are \"query\", \"key\" and \"value\"");
        }
        *target->second = matrixFromJson(entry, name, path);
        if (target->second->rows() != dimension) {
            throw projectionError(path, "'" + name + "' has " + std::to_string(target->second->rows()) +
                                            " rows, but the tokens have " + std::to_string(dimension) +
                                            " columns: a projection has one row per column of the tokens");
        }
    }
    if (projections.query.cols() != projections.key.cols()) {
        throw projectionError(path, "'query' has " + std::to_string(projections.query.cols()) +
                                        " columns and 'key' " + std::to_string(projections.key.cols()) +
                                        ": queries and keys must have the same dimension d_k");
    }
    return projections;
}

std::vector<std::string> numberedNames(const std::string& prefix, Eigen::Index count) {
    std::vector<std::string> names;
    for (Eigen::Index column = 1; column <= count; ++column) {
        names.push_back(prefix + std::to_string(column));
    }
    return names;
}

AttentionWeightOptions weightOptionsFrom(const ParameterValues& values, bool temperatureGiven) {
    AttentionWeightOptions options;
    options.kernel = *parseAttentionKernel(values.choice("kernel"));
    // Left unset, attentionWeights uses √d_k.
    if (temperatureGiven) {
        options.temperature = values.real("temperature");
    }
    options.neighborCount = values.integer("neighbors");
    options.causal = values.boolean("causal");
    return options;
}

void addFlags(CLI::App& command, AttentionCommandOptions& options) {
    std::vector<ParameterDescription> withoutTemperature;
    std::copy_if(commandParameters().begin(), commandParameters().end(),
                 std::back_inserter(withoutTemperature),
                 [](const ParameterDescription& description) { return description.name != "temperature"; });
    addParameterOptions(command, withoutTemperature, options.parameterTexts);
    // Written out by hand only because its default depends on the data: √d for d columns.
    const ParameterDescription& temperature = *findParameter(commandParameters(), "temperature");
    command.add_option("--temperature", options.parameterTexts["temperature"],
                       temperature.help + " (default the square root of the key dimension d_k; " +
                           formatNumber(temperature.minimum) + " to " + formatNumber(temperature.maximum) +
                           ")");
    command.add_option(
        "--projections", options.projectionsPath,
        "A JSON file {\"query\": W_Q, \"key\": W_K, \"value\": W_V} of d × d_k, d × d_k and d "
        "× d_v matrices (arrays of rows) for tokens of d columns; queries are X W_Q, keys X W_K, "
        "values X W_V. A projection left out is the identity");
    command
        .add_option("--print", options.print,
                    "weights: the attention matrix, one row per query; output: each query's output, the "
                    "local mean sum_j w_ij v_j of the values")
        ->check(CLI::IsMember({"weights", "output"}))
        ->capture_default_str();
}

} // namespace

void addAttentionCommand(CLI::App& app) {
    auto options = std::make_shared<AttentionCommandOptions>();
    CLI::App* command = app.add_subcommand(
        "attention", "Print the attention matrix of the tokens (rows of the file) attending to each other: "
                     "one row of weights per query, each summing to 1");
    addInputOptions(*command, options->input);
    addFlags(*command, *options);
    addOutputOption(*command, options->output);
    command->callback([options] {
        const ParameterValues values = parameterValuesFrom(commandParameters(), options->parameterTexts);
        const bool temperatureGiven = !options->parameterTexts["temperature"].empty();
        const Dataset dataset = readInput(options->input);
        if (dataset.empty()) {
            DataError::Location location;
            location.file = options->input.path;
            throw DataError(location, "the file has no rows, so there are no tokens to attend to");
        }
        const Eigen::Index dimension = dataset.points.cols();
        const Projections projections = options->projectionsPath.empty()
                                            ? Projections{Eigen::MatrixXd::Identity(dimension, dimension),
                                                          Eigen::MatrixXd::Identity(dimension, dimension),
                                                          Eigen::MatrixXd::Identity(dimension, dimension)}
                                            : readProjections(options->projectionsPath, dimension);
        Eigen::MatrixXd weights;
        try {
            weights = attentionWeights(dataset.points * projections.query, dataset.points * projections.key,
                                       weightOptionsFrom(values, temperatureGiven));
        } catch (const std::domain_error& error) {
            throw std::invalid_argument(std::string(error.what()) + "; choose a larger --temperature");
        }
        writeOutput(options->output, [&](std::ostream& output) {
            if (options->print == "output") {
                const Eigen::MatrixXd outputs = weights * (dataset.points * projections.value);
                writeCsv(output, numberedNames("o", outputs.cols()), outputs);
            } else {
                writeCsv(output, numberedNames("w", weights.cols()), weights);
            }
        });
    });
}

} // namespace locallab::cli
