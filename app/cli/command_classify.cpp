// locallab-cli classify: the kernel classifier (the local mean of one-hot labels) trained on the labelled
// rows of a file and evaluated at its own rows (in input order) or at the rows of another file. The output
// repeats the x columns, then gives one probability column per class, p_<label> with the label as written
// in the file (classes in increasing order of the label: numerically for integer labels, alphabetically
// for text), and ends with the predicted `label`. A target where no data point has positive kernel weight
// (a compact kernel with nothing in reach) gets empty probabilities and an empty label.
//
//   --kernel PROFILE | knn   a radial profile with --bandwidth H (in units of x), or the k-NN 0/1 kernel
//                            with --neighbors K (scikit-learn's KNeighborsClassifier)
//
// The kernel and neighbour flags come from kernelClassifierParameters(); the bandwidth is read on its own
// so that any positive h is accepted, whatever the explorer's slider range.

#include "cli_common.hpp"
#include "commands.hpp"
#include "locallab/data/data_error.hpp"
#include "locallab/local/kernel_classifier_parameters.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <iostream>
#include <memory>
#include <stdexcept>

namespace locallab::cli {

namespace {

struct ClassifyOptions {
    InputOptions input;
    std::map<std::string, std::string> parameterTexts;
    std::string bandwidth;
    std::string evalPath;
    std::string output = "-";
};

struct Classes {
    Eigen::VectorXi indices;        // per data row, 0..C−1
    std::vector<std::string> names; // the label text of each class
};

DataError badData(const std::string& file, const std::string& problem) {
    DataError::Location location;
    location.file = file;
    return DataError(location, problem);
}

// Integer labels are kept as numbers by the loader; text labels come already numbered in sorted order.
Classes classesOf(const Dataset& data) {
    if (!data.labelNames.empty()) {
        return {*data.labels, data.labelNames};
    }
    const ClassIndices indices = indexClasses(*data.labels);
    Classes classes{indices.classes, {}};
    for (const int value : indices.values) {
        classes.names.push_back(std::to_string(value));
    }
    return classes;
}

// "flat" and "tophat" name the uniform profile, and names are case-insensitive.
std::map<std::string, std::string> withCanonicalKernelName(std::map<std::string, std::string> texts) {
    std::string& kernel = texts["kernel"];
    if (const auto profile = parseKernelProfile(kernel)) {
        kernel = std::string(kernelProfileName(*profile));
    } else {
        std::transform(kernel.begin(), kernel.end(), kernel.begin(),
                       [](unsigned char character) { return static_cast<char>(std::tolower(character)); });
    }
    return texts;
}

double parseBandwidth(const std::string& text) {
    double value = 0.0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || !(value > 0.0) || !std::isfinite(value)) {
        throw std::invalid_argument("--bandwidth: expected a positive number, got '" + text + "'");
    }
    return value;
}

KernelClassifierSettings settingsFrom(const ClassifyOptions& options, Eigen::Index pointCount) {
    const std::map<std::string, std::string> texts = withCanonicalKernelName(options.parameterTexts);
    KernelClassifierSettings settings =
        kernelClassifierSettingsFrom(parameterValuesFrom(kernelClassifierParameters(), texts));
    const auto neighbors = texts.find("neighbors");
    const bool neighborsGiven = neighbors != texts.end() && !neighbors->second.empty();
    if (settings.weighting == KernelClassifierSettings::Weighting::NearestNeighbors) {
        if (!options.bandwidth.empty()) {
            std::cerr << "classify: --bandwidth is not used by --kernel knn\n";
        }
        if (settings.neighborCount > pointCount) {
            throw std::invalid_argument("--neighbors " + std::to_string(settings.neighborCount) +
                                        " is more than the " + std::to_string(pointCount) +
                                        " labelled data points");
        }
        return settings;
    }
    if (options.bandwidth.empty()) {
        throw std::invalid_argument("--bandwidth is required with --kernel " +
                                    std::string(settings.kernel.name()));
    }
    if (neighborsGiven) {
        std::cerr << "classify: --neighbors is used by --kernel knn only; ignored\n";
    }
    settings.bandwidth = Bandwidth::scalar(parseBandwidth(options.bandwidth));
    return settings;
}

void writePosteriors(std::ostream& output, const std::vector<std::string>& columns, const Classes& classes,
                     const Eigen::MatrixXd& targets, const ClassPosteriors& posteriors) {
    std::string line;
    for (const std::string& name : columns) {
        line += escapeCsvField(name) + ',';
    }
    for (const std::string& name : classes.names) {
        line += escapeCsvField("p_" + name) + ',';
    }
    output << line << "label\n";
    for (Eigen::Index row = 0; row < targets.rows(); ++row) {
        line.clear();
        for (Eigen::Index column = 0; column < targets.cols(); ++column) {
            line += formatNumber(targets(row, column)) + ',';
        }
        const bool supported = posteriors.hasValue(row);
        for (Eigen::Index c = 0; c < posteriors.probabilities.cols(); ++c) {
            line += (supported ? formatNumber(posteriors.probabilities(row, c)) : std::string()) + ',';
        }
        if (supported) {
            line += escapeCsvField(classes.names[static_cast<std::size_t>(posteriors.predicted(row))]);
        }
        output << line << '\n';
    }
}

void runClassify(const ClassifyOptions& options) {
    const Dataset data = readInput(options.input);
    if (!data.labels || data.empty()) {
        throw badData(options.input.path, "no data rows with a label");
    }
    const Classes classes = classesOf(data);
    if (classes.names.size() < 2) {
        throw badData(options.input.path, "the label column '" + options.input.label +
                                              "' holds one class only ('" + classes.names.front() +
                                              "'); a classifier needs at least two");
    }
    const KernelClassifierSettings settings = settingsFrom(options, data.size());

    Eigen::MatrixXd targets = data.points;
    if (!options.evalPath.empty()) {
        InputOptions evalInput = options.input;
        evalInput.path = options.evalPath;
        evalInput.label.clear();
        targets = readInput(evalInput).points;
        if (targets.cols() != data.dimension()) {
            throw badData(options.evalPath, "expected " + std::to_string(data.dimension()) + " x columns");
        }
    }
    const KernelClassifier classifier(data.points, classes.indices, settings);
    SilentProgress progress;
    const ClassPosteriors posteriors = classifier.classify(targets, progress);
    if (const auto withoutSupport = posteriors.count(LocalFitStatus::NoSupport); withoutSupport > 0) {
        std::cerr << "classify: " << withoutSupport << " targets have no data point within the kernel's "
                  << "support; their probabilities and label are left empty\n";
    }
    writeOutput(options.output, [&](std::ostream& output) {
        writePosteriors(output, data.columnNames, classes, targets, posteriors);
    });
}

std::vector<ParameterDescription> flagParameters() {
    std::vector<ParameterDescription> descriptions = kernelClassifierParameters();
    std::erase_if(descriptions, [](const ParameterDescription& d) { return d.name == "bandwidth"; });
    return descriptions;
}

} // namespace

void addClassifyCommand(CLI::App& app) {
    auto options = std::make_shared<ClassifyOptions>();
    CLI::App* command = app.add_subcommand(
        "classify", "Kernel or k-nearest-neighbour classifier: per row the class probabilities p_<label> "
                    "(the kernel-weighted share of each class) and the predicted label");
    command
        ->add_option("-i,--input", options->input.path,
                     "Data file with the labelled points: CSV, TSV, whitespace-separated text or .npy")
        ->required();
    command
        ->add_option("--x", options->input.columns,
                     "Columns of x, by name or 1-based number, comma-separated")
        ->delimiter(',')
        ->required();
    command->add_option("--label", options->input.label, "Column of the class labels, numbers or text")
        ->required();
    command->add_option("--delimiter", options->input.delimiter, "Field separator of text files")
        ->check(CLI::IsMember({"auto", "comma", "tab", "semicolon", "whitespace"}))
        ->capture_default_str();
    command
        ->add_option("--header", options->input.header,
                     "Whether the first line of a text file names the columns")
        ->check(CLI::IsMember({"auto", "yes", "no"}))
        ->capture_default_str();
    addParameterOptions(*command, flagParameters(), options->parameterTexts);
    command->add_option("-b,--bandwidth", options->bandwidth,
                        "Bandwidth h of a radial kernel in units of x (the Gaussian's standard deviation, a "
                        "compact kernel's radius); required unless --kernel knn");
    command->add_option("-e,--eval", options->evalPath,
                        "File whose rows (same x columns) are the targets; default: the data points");
    addOutputOption(*command, options->output);
    command->callback([options] { runClassify(*options); });
}

} // namespace locallab::cli
