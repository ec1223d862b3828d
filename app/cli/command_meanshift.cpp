// locallab-cli meanshift: MeanShift clustering of a file, with the modes and every seed's path on request.
// The flags come from meanShiftParameters(), as the explorer's panel does, plus the ones only a batch
// run needs: a bandwidth given by a rule, blurring, and where to write the modes and trajectories.

#include "cli_common.hpp"
#include "commands.hpp"
#include "locallab/kernel/bandwidth_rules.hpp"
#include "locallab/meanshift/mean_shift_parameters.hpp"

#include <iostream>
#include <memory>
#include <stdexcept>

namespace locallab::cli {

namespace {

struct MeanShiftCommandOptions {
    InputOptions input;
    std::map<std::string, std::string> parameterTexts;
    std::string bandwidth = "estimate";
    bool binSeeding = false;
    bool noClusterAll = false;
    bool blurring = false;
    std::string output = "-";
    std::string modesOutput;
    std::string trajectoriesOutput;
};

// A number, "estimate" or "estimate:Q" (scikit-learn's estimate_bandwidth), "scott" or "silverman"
// (scipy's rules, as a full bandwidth matrix).
Bandwidth bandwidthFrom(const std::string& text, const Eigen::MatrixXd& points) {
    if (text == "scott") {
        return scottBandwidth(points).covariance;
    }
    if (text == "silverman") {
        return silvermanBandwidth(points).covariance;
    }
    if (text.rfind("estimate", 0) == 0) {
        double quantile = 0.3;
        if (text.size() > 8) {
            if (text[8] != ':') {
                throw std::invalid_argument("--bandwidth: expected estimate or estimate:Q, found '" + text +
                                            "'");
            }
            try {
                quantile = std::stod(text.substr(9));
            } catch (const std::exception&) {
                throw std::invalid_argument("--bandwidth: expected a quantile after 'estimate:', found '" +
                                            text.substr(9) + "'");
            }
            if (!(quantile > 0.0 && quantile <= 1.0)) {
                throw std::invalid_argument("--bandwidth: the quantile must be in (0, 1]");
            }
        }
        return Bandwidth::scalar(estimateBandwidth(points, quantile));
    }
    std::size_t used = 0;
    double value = 0.0;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size()) {
        throw std::invalid_argument(
            "--bandwidth: expected a number, estimate[:Q], scott or silverman, found '" + text + "'");
    }
    return Bandwidth::scalar(value);
}

std::vector<std::string> withColumn(std::vector<std::string> names, const std::string& last) {
    names.push_back(last);
    return names;
}

Eigen::MatrixXd withColumn(const Eigen::MatrixXd& values, const Eigen::VectorXd& last) {
    Eigen::MatrixXd table(values.rows(), values.cols() + 1);
    table << values, last;
    return table;
}

void writeTrajectories(const Trajectories& trajectories, const std::vector<std::string>& columns,
                       std::ostream& output) {
    std::vector<std::string> header{"seed", "iteration"};
    header.insert(header.end(), columns.begin(), columns.end());
    Eigen::MatrixXd table(trajectories.storedPositionCount(), trajectories.dimension() + 2);
    Eigen::Index row = 0;
    for (Eigen::Index seed = 0; seed < trajectories.seedCount(); ++seed) {
        const Eigen::MatrixXd path = trajectories.path(seed);
        const std::vector<int> steps = trajectories.pathSteps(seed);
        for (Eigen::Index k = 0; k < path.rows(); ++k, ++row) {
            table(row, 0) = static_cast<double>(seed);
            table(row, 1) = steps[static_cast<std::size_t>(k)];
            table.row(row).tail(path.cols()) = path.row(k);
        }
    }
    writeCsv(output, header, table);
}

// "flat" and "tophat" are accepted as the names scikit-learn users know for the uniform kernel.
std::map<std::string, std::string> withCanonicalKernelName(std::map<std::string, std::string> texts) {
    auto& kernel = texts["kernel"];
    if (const auto profile = parseKernelProfile(kernel)) {
        kernel = std::string(kernelProfileName(*profile));
    }
    return texts;
}

void runMeanShift(const MeanShiftCommandOptions& options) {
    const Dataset dataset = readInput(options.input);
    ParameterValues values =
        parameterValuesFrom(meanShiftParameters(), withCanonicalKernelName(options.parameterTexts));
    if (options.binSeeding) {
        values.set("seeding", std::string("bins"));
    }
    if (options.noClusterAll) {
        values.set("cluster-all", false);
    }
    MeanShiftOptions meanShiftOptions = meanShiftOptionsFrom(values);
    meanShiftOptions.bandwidth = bandwidthFrom(options.bandwidth, dataset.points);
    meanShiftOptions.recordTrajectories = !options.trajectoriesOutput.empty();
    const auto& columns = dataset.columnNames;

    if (options.blurring) {
        SilentProgress progress;
        const BlurringMeanShiftResult blurred = blurringMeanShift(dataset.points, meanShiftOptions, progress);
        const ConvergedClusters clusters =
            clusterConvergedPoints(blurred.frames.back(), meanShiftOptions.bandwidth);
        writeOutput(options.output, [&](std::ostream& output) {
            writeCsv(output, withColumn(columns, "label"),
                     withColumn(dataset.points, clusters.labels.cast<double>()));
        });
        if (!options.modesOutput.empty()) {
            writeOutput(options.modesOutput, [&](std::ostream& output) {
                writeCsv(output, withColumn(columns, "count"),
                         withColumn(clusters.centres, clusters.sizes.cast<double>()));
            });
        }
        if (!options.trajectoriesOutput.empty()) {
            Trajectories paths(dataset.dimension());
            for (Eigen::Index point = 0; point < dataset.size(); ++point) {
                Eigen::MatrixXd path(static_cast<Eigen::Index>(blurred.frames.size()), dataset.dimension());
                for (std::size_t frame = 0; frame < blurred.frames.size(); ++frame) {
                    path.row(static_cast<Eigen::Index>(frame)) = blurred.frames[frame].row(point);
                }
                paths.append(path, path.rows());
            }
            writeOutput(options.trajectoriesOutput,
                        [&](std::ostream& output) { writeTrajectories(paths, columns, output); });
        }
        return;
    }

    const MeanShiftResult result = meanShift(dataset.points, meanShiftOptions);
    if (!result.note.empty()) {
        std::cerr << "locallab-cli meanshift: " << result.note << '\n';
    }
    writeOutput(options.output, [&](std::ostream& output) {
        writeCsv(output, withColumn(columns, "label"),
                 withColumn(dataset.points, result.labels.cast<double>()));
    });
    if (!options.modesOutput.empty()) {
        writeOutput(options.modesOutput, [&](std::ostream& output) {
            writeCsv(output, withColumn(columns, "count"),
                     withColumn(result.modes, result.modeStrength.cast<double>()));
        });
    }
    if (!options.trajectoriesOutput.empty()) {
        writeOutput(options.trajectoriesOutput,
                    [&](std::ostream& output) { writeTrajectories(result.trajectories, columns, output); });
    }
}

std::vector<ParameterDescription> flagParameters() {
    // The bandwidth is read separately because it also accepts the names of rules.
    std::vector<ParameterDescription> descriptions = meanShiftParameters();
    std::erase_if(descriptions, [](const ParameterDescription& d) { return d.name == "bandwidth"; });
    return descriptions;
}

} // namespace

void addMeanShiftCommand(CLI::App& app) {
    auto options = std::make_shared<MeanShiftCommandOptions>();
    CLI::App* command = app.add_subcommand(
        "meanshift", "MeanShift clustering: one row per input point with its label (the index of its mode)");
    addInputOptions(*command, options->input);
    addParameterOptions(*command, flagParameters(), options->parameterTexts);
    command->add_option(
        "--bandwidth", options->bandwidth,
        "h as a number, estimate[:Q] (scikit-learn's estimate_bandwidth, Q = 0.3 by default), "
        "scott or silverman (default estimate)");
    command->add_flag("--bin-seeding", options->binSeeding,
                      "Seed at occupied bins of side h (same as --seeding bins)");
    command->add_flag("--no-cluster-all", options->noClusterAll,
                      "Leave points farther than h from every mode unassigned (label -1)");
    command->add_flag("--blurring", options->blurring,
                      "Blurring MeanShift: every point moves at once; labels group the converged points");
    command->add_option("--modes", options->modesOutput,
                        "Write each mode's coordinates and point count here");
    command->add_option("--trajectories", options->trajectoriesOutput,
                        "Write every seed's path here: seed, iteration, coordinates");
    addOutputOption(*command, options->output);
    command->callback([options] { runMeanShift(*options); });
}

} // namespace locallab::cli
