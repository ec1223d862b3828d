// locallab-cli regress: a local model fitted to y over the x columns of a file, evaluated at the data
// points (in input order) or at the rows of another file. The output repeats the x columns and ends with
// `yhat`; a target where no data point has positive kernel weight gets an empty yhat.
//
//   --method nw | local-linear | local-poly (--degree P) | lowess (--frac, --iterations; one x column)
//   --bandwidth H | cv   cv runs leave-one-out cross-validation over a log grid (see
//                        defaultBandwidthGrid) and uses the best h, which it prints on standard error.

#include "cli_common.hpp"
#include "commands.hpp"
#include "locallab/data/data_error.hpp"
#include "locallab/local/local_regression.hpp"
#include "locallab/local/lowess.hpp"
#include "locallab/local/regression_cross_validation.hpp"

#include <charconv>
#include <iostream>
#include <memory>
#include <stdexcept>

namespace locallab::cli {

namespace {

struct RegressOptions {
    std::string input;
    std::vector<std::string> xColumns;
    std::string yColumn;
    std::string delimiter = "auto";
    std::string header = "auto";
    std::string method = "local-linear";
    int degree = 2;
    std::string kernel = "gaussian";
    std::string bandwidth = "cv";
    double fraction = 2.0 / 3.0;
    int iterations = 3;
    std::string evalPath;
    std::string output = "-";
};

DataError badData(const std::string& file, const std::string& problem) {
    DataError::Location location;
    location.file = file;
    return DataError(location, problem);
}

int degreeOf(const RegressOptions& options) {
    if (options.method == "nw") {
        return 0;
    }
    return options.method == "local-linear" ? 1 : options.degree;
}

// A positive finite number, or "cv" (returned as nullopt).
std::optional<double> parseBandwidth(const std::string& text) {
    if (text == "cv") {
        return std::nullopt;
    }
    double value = 0.0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || !(value > 0.0) || !std::isfinite(value)) {
        throw std::invalid_argument("--bandwidth: expected a positive number or 'cv', got '" + text + "'");
    }
    return value;
}

double crossValidatedBandwidth(const Dataset& data, const LocalRegressionSettings& settings) {
    SilentProgress progress;
    const CrossValidationCurve curve = crossValidateBandwidth(data.points, *data.target, settings,
                                                              defaultBandwidthGrid(data.points), progress);
    std::cerr << "regress: cross-validated bandwidth h = " << formatNumber(curve.bestBandwidth())
              << " (leave-one-out error " << formatNumber(curve.bestError()) << ")\n";
    return curve.bestBandwidth();
}

LocalFit fitLocalRegression(const RegressOptions& options, const Dataset& data,
                            const Eigen::MatrixXd& targets) {
    LocalRegressionSettings settings;
    settings.kernel = RadialKernel(*parseKernelProfile(options.kernel));
    settings.degree = degreeOf(options);
    const std::optional<double> bandwidth = parseBandwidth(options.bandwidth);
    settings.bandwidth = Bandwidth::scalar(bandwidth ? *bandwidth : crossValidatedBandwidth(data, settings));
    const LocalRegression regression(data.points, *data.target, settings);
    SilentProgress progress;
    return regression.fit(targets, progress);
}

LocalFit fitLowess(const RegressOptions& options, const Dataset& data, const Eigen::MatrixXd& targets,
                   bool atData) {
    if (data.dimension() != 1) {
        throw std::invalid_argument("--method lowess works on one x column, got " +
                                    std::to_string(data.dimension()));
    }
    SilentProgress progress;
    const Lowess lowess(data.points.col(0), *data.target, {options.fraction, options.iterations}, progress);
    if (atData) {
        LocalFit fit;
        fit.values = lowess.fitted();
        fit.statuses.assign(static_cast<std::size_t>(fit.values.size()), LocalFitStatus::Fitted);
        return fit;
    }
    return lowess.evaluate(targets.col(0), progress);
}

void writeFit(std::ostream& output, const std::vector<std::string>& names, const Eigen::MatrixXd& targets,
              const LocalFit& fit) {
    for (const std::string& name : names) {
        output << name << ',';
    }
    output << "yhat\n";
    for (Eigen::Index row = 0; row < targets.rows(); ++row) {
        for (Eigen::Index column = 0; column < targets.cols(); ++column) {
            output << formatNumber(targets(row, column)) << ',';
        }
        if (fit.hasValue(row)) {
            output << formatNumber(fit.values(row));
        }
        output << '\n';
    }
}

void runRegress(const RegressOptions& options) {
    InputOptions input;
    input.path = options.input;
    input.columns = options.xColumns;
    input.target = options.yColumn;
    input.delimiter = options.delimiter;
    input.header = options.header;
    const Dataset data = readInput(input);
    if (!data.target || data.empty()) {
        throw badData(options.input, "no data rows with a y value");
    }
    Eigen::MatrixXd targets = data.points;
    if (!options.evalPath.empty()) {
        InputOptions evalInput = input;
        evalInput.path = options.evalPath;
        evalInput.target.clear();
        targets = readInput(evalInput).points;
        if (targets.cols() != data.dimension()) {
            throw badData(options.evalPath, "expected " + std::to_string(data.dimension()) + " x columns");
        }
    }
    LocalFit fit;
    try {
        fit = options.method == "lowess" ? fitLowess(options, data, targets, options.evalPath.empty())
                                         : fitLocalRegression(options, data, targets);
    } catch (const std::domain_error& error) { // nothing to fit with these data (cross-validation)
        throw badData(options.input, error.what());
    }
    const auto withoutFit = fit.count(LocalFitStatus::NoSupport);
    if (withoutFit > 0) {
        std::cerr << "regress: " << withoutFit << " targets have no data point within the kernel's support; "
                  << "their yhat is left empty\n";
    }
    writeOutput(options.output,
                [&](std::ostream& output) { writeFit(output, data.columnNames, targets, fit); });
}

} // namespace

void addRegressCommand(CLI::App& app) {
    auto options = std::make_shared<RegressOptions>();
    CLI::App* command = app.add_subcommand(
        "regress", "Fit a local model (Nadaraya-Watson, local linear or polynomial, LOWESS) of y on x and "
                   "write the fitted values as the last column, yhat");
    command
        ->add_option("-i,--input", options->input, "Data file: CSV, TSV, whitespace-separated text or .npy")
        ->required();
    command->add_option("--x", options->xColumns, "Columns of x, by name or 1-based number, comma-separated")
        ->delimiter(',')
        ->required();
    command->add_option("--y", options->yColumn, "Column of y, by name or 1-based number")->required();
    command->add_option("--delimiter", options->delimiter, "Field separator of text files")
        ->check(CLI::IsMember({"auto", "comma", "tab", "semicolon", "whitespace"}))
        ->capture_default_str();
    command
        ->add_option("--header", options->header, "Whether the first line of a text file names the columns")
        ->check(CLI::IsMember({"auto", "yes", "no"}))
        ->capture_default_str();
    command->add_option("-m,--method", options->method, "The local model")
        ->check(CLI::IsMember({"nw", "local-linear", "local-poly", "lowess"}))
        ->capture_default_str();
    command->add_option("--degree", options->degree, "Degree of --method local-poly")
        ->check(CLI::Range(0, 10))
        ->capture_default_str();
    command
        ->add_option("-k,--kernel", options->kernel, "Kernel profile (not used by lowess, which is tricube)")
        ->check(CLI::IsMember(kernelProfileNames(), CLI::ignore_case))
        ->capture_default_str();
    command
        ->add_option("-b,--bandwidth", options->bandwidth,
                     "Bandwidth h in units of x (the Gaussian's standard deviation, a compact kernel's "
                     "radius), or cv for leave-one-out cross-validation")
        ->capture_default_str();
    command->add_option("-f,--frac", options->fraction, "LOWESS: the fraction of the points in each fit")
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
    command->add_option("--iterations", options->iterations, "LOWESS: robustness passes after the first fit")
        ->check(CLI::Range(0, 100))
        ->capture_default_str();
    command->add_option("-e,--eval", options->evalPath,
                        "File whose rows (same x columns) are the targets; default: the data points");
    command->add_option("-o,--output", options->output, "Where to write the CSV result; - is standard output")
        ->capture_default_str();
    command->callback([options] { runRegress(*options); });
}

} // namespace locallab::cli
