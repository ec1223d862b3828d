// locallab-cli attention: the attention matrix of a set of tokens, each token being its own query, key
// and value (identity projections). One row per query, in input order, under the header w1,...,wn: row
// i holds the weights token i gives to every token, and sums to 1. The temperature defaults to √d, the
// Transformer's choice for d columns.

#include "cli_common.hpp"
#include "commands.hpp"
#include "locallab/attention/attention_parameters.hpp"
#include "locallab/attention/attention_weights.hpp"
#include "locallab/data/data_error.hpp"

#include <algorithm>
#include <memory>
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
    std::string output = "-";
};

AttentionWeightOptions weightOptionsFrom(const ParameterValues& values, bool temperatureGiven) {
    AttentionWeightOptions options;
    options.kernel = *parseAttentionKernel(values.choice("kernel"));
    if (temperatureGiven) {
        options.temperature = values.real("temperature");
    }
    options.neighborCount = values.integer("neighbors");
    options.causal = values.boolean("causal");
    return options;
}

std::vector<std::string> weightColumnNames(Eigen::Index count) {
    std::vector<std::string> names;
    for (Eigen::Index column = 1; column <= count; ++column) {
        names.push_back("w" + std::to_string(column));
    }
    return names;
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
                       temperature.help + " (default the square root of the number of columns; " +
                           formatNumber(temperature.minimum) + " to " + formatNumber(temperature.maximum) +
                           ")");
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
        Eigen::MatrixXd weights;
        try {
            weights =
                attentionWeights(dataset.points, dataset.points, weightOptionsFrom(values, temperatureGiven));
        } catch (const std::domain_error& error) {
            throw std::invalid_argument(std::string(error.what()) + "; choose a larger --temperature");
        }
        writeOutput(options->output, [&](std::ostream& output) {
            writeCsv(output, weightColumnNames(weights.cols()), weights);
        });
    });
}

} // namespace locallab::cli
