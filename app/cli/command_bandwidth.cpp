// locallab-cli bandwidth: the rules of thumb for a data file, to choose or check a bandwidth before
// running a method. One rule per row under the header "rule,value":
//   scott, silverman            the factors of scipy.stats.gaussian_kde (kernel covariance factor²·Cov)
//   scott[c], silverman[c]      the diagonal reading: h_c = factor·σ_c for each column c
//   robust-silverman[c]         0.9·min(σ_c, IQR_c/1.34)·n^(−1/5) for each column c
//   estimate(q)                 scikit-learn's estimate_bandwidth at quantile q (MeanShift's radius)

#include "cli_common.hpp"
#include "commands.hpp"
#include "locallab/data/data_error.hpp"
#include "locallab/kernel/bandwidth_rules.hpp"

#include <charconv>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace locallab::cli {

namespace {

struct BandwidthOptions {
    InputOptions input;
    double quantile = 0.3;
    std::string output = "-";
};

// The shortest text that reads back as the same number: "0.3" rather than 0.29999999999999999.
std::string shortestText(double value) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

// A problem with the file as a whole (no line or column to point at).
DataError fileError(const std::string& path, const std::string& problem) {
    DataError::Location location;
    location.file = path;
    return DataError(location, problem);
}

// Rules of thumb divide by spreads; say which column has none before any rule does, by its name.
void checkSpread(const Dataset& dataset, const std::string& path) {
    if (dataset.size() < 2) {
        std::ostringstream message;
        message << "the bandwidth rules need at least 2 points, the file has " << dataset.size();
        throw fileError(path, message.str());
    }
    for (Eigen::Index column = 0; column < dataset.dimension(); ++column) {
        const auto values = dataset.points.col(column);
        if ((values.array() == values[0]).all()) {
            throw fileError(path,
                            "column '" + dataset.columnNames[static_cast<std::size_t>(column)] +
                                "' has the same value in every row, so no bandwidth can be scaled to it");
        }
    }
}

void printBandwidths(const Dataset& dataset, double quantile, std::ostream& output) {
    const auto row = [&](const std::string& rule, double value) {
        output << escapeCsvField(rule) << ',' << formatNumber(value) << '\n';
    };
    const auto perColumn = [&](const std::string& rule, const Eigen::VectorXd& values) {
        for (Eigen::Index column = 0; column < values.size(); ++column) {
            row(rule + "[" + dataset.columnNames[static_cast<std::size_t>(column)] + "]", values[column]);
        }
    };
    const Eigen::Index count = dataset.size();
    const Eigen::Index dimension = dataset.dimension();
    // The per-column reading needs only the factors and the standard deviations, so collinear columns,
    // which have no full bandwidth matrix, still get their rows.
    const Eigen::VectorXd deviations = sampleCovariance(dataset.points).diagonal().cwiseSqrt();
    const double scott = scottFactor(count, dimension);
    const double silverman = silvermanFactor(count, dimension);
    Eigen::VectorXd robust(dimension);
    for (Eigen::Index column = 0; column < dimension; ++column) {
        robust[column] = robustSilvermanBandwidth(dataset.points.col(column));
    }
    const double estimate = estimateBandwidth(dataset.points, quantile);

    output << "rule,value\n";
    row("scott", scott);
    perColumn("scott", scott * deviations);
    row("silverman", silverman);
    perColumn("silverman", silverman * deviations);
    perColumn("robust-silverman", robust);
    row("estimate(" + shortestText(quantile) + ")", estimate);
}

} // namespace

void addBandwidthCommand(CLI::App& app) {
    auto options = std::make_shared<BandwidthOptions>();
    CLI::App* command = app.add_subcommand(
        "bandwidth", "Print Scott's and Silverman's factors and per-column bandwidths, Silverman's robust "
                     "rule per column and scikit-learn's estimate_bandwidth, one rule per row");
    addInputOptions(*command, options->input);
    command
        ->add_option("-q,--quantile", options->quantile,
                     "Quantile of estimate_bandwidth: the k-th neighbour used is k = int(quantile·n)")
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
    addOutputOption(*command, options->output);
    command->callback([options] {
        const Dataset dataset = readInput(options->input);
        checkSpread(dataset, options->input.path);
        std::ostringstream table;
        try {
            printBandwidths(dataset, options->quantile, table);
        } catch (const std::invalid_argument& error) {
            // Whatever the rules still object to (a value that is not finite) is about the data.
            throw fileError(options->input.path, error.what());
        }
        writeOutput(options->output, [&](std::ostream& output) { output << table.str(); });
    });
}

} // namespace locallab::cli
