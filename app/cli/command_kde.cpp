// locallab-cli kde: kernel density estimates of a file's points, at the points themselves, at the
// points of another file, or on a regular grid around the data. One row per evaluation point: its
// coordinates, then the normalised density in the last column, `density`.

#include "cli_common.hpp"
#include "commands.hpp"
#include "locallab/data/data_error.hpp"
#include "locallab/density/binned_density.hpp"
#include "locallab/density/kernel_density.hpp"
#include "locallab/kernel/bandwidth_rules.hpp"

#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>

namespace locallab::cli {

namespace {

struct KdeOptions {
    InputOptions input;
    std::string kernel = "gaussian";
    std::string bandwidth;
    std::string evalPath;
    Eigen::Index gridNodes = 0;
    bool binned = false;
    std::string output = "-";
};

// A number, or "scott" / "silverman" for scipy's rules of thumb (kernel covariance factor²·Cov(X)).
Bandwidth bandwidthFrom(const std::string& text, const Dataset& data) {
    if (text == "scott" || text == "silverman") {
        try {
            return text == "scott" ? scottBandwidth(data.points).covariance
                                   : silvermanBandwidth(data.points).covariance;
        } catch (const std::invalid_argument& error) {
            throw DataError({data.origin, 0, 0, {}},
                            "no " + text + " bandwidth for this data: " + error.what());
        }
    }
    std::size_t parsed = 0;
    double value = 0.0;
    try {
        value = std::stod(text, &parsed);
    } catch (const std::exception&) {
        parsed = 0;
    }
    if (parsed != text.size()) {
        throw std::invalid_argument("--bandwidth: expected a positive number, 'scott' or 'silverman', got '" +
                                    text + "'");
    }
    return Bandwidth::scalar(value); // throws std::invalid_argument for h ≤ 0
}

Eigen::MatrixXd evaluationPoints(const KdeOptions& options, const Dataset& data) {
    if (!options.evalPath.empty()) {
        InputOptions evalInput = options.input;
        evalInput.path = options.evalPath;
        const Dataset targets = readInput(evalInput);
        if (targets.dimension() != data.dimension()) {
            throw DataError({options.evalPath, 0, 0, {}}, "expected " + std::to_string(data.dimension()) +
                                                              " columns, like the input, found " +
                                                              std::to_string(targets.dimension()));
        }
        return targets.points;
    }
    return data.points;
}

std::vector<GridAxis> gridAxes(const KdeOptions& options, const Dataset& data, const Bandwidth& bandwidth) {
    if (data.dimension() > 3) {
        throw std::invalid_argument("--grid: a grid needs 1 to 3 columns, the input has " +
                                    std::to_string(data.dimension()) + " (choose some with --columns)");
    }
    if (options.gridNodes < 2) {
        throw std::invalid_argument("--grid: at least 2 nodes per axis");
    }
    // Padded by 3h along each axis, h the kernel's extent in that column.
    const Eigen::VectorXd padding = 3.0 * bandwidth.matrix(data.dimension()).diagonal().cwiseSqrt();
    return gridAxesAround(data.points, options.gridNodes, padding);
}

void runKde(const KdeOptions& options) {
    const auto profile = parseKernelProfile(options.kernel);
    if (!profile) {
        throw std::invalid_argument("--kernel: unknown kernel '" + options.kernel + "'");
    }
    const RadialKernel kernel(*profile);
    Dataset data = readInput(options.input);
    if (data.empty()) {
        throw DataError({options.input.path, 0, 0, {}}, "no data rows to estimate a density from");
    }
    data.origin = options.input.path;
    const Bandwidth bandwidth = bandwidthFrom(options.bandwidth, data);
    if (!kernel.isNormalizable(static_cast<int>(data.dimension()))) {
        throw std::invalid_argument("--kernel: the " + options.kernel + " kernel has no finite integral in " +
                                    std::to_string(data.dimension()) +
                                    " dimensions, so it defines no density");
    }

    SilentProgress progress;
    Eigen::MatrixXd coordinates;
    Eigen::VectorXd densities;
    if (options.gridNodes > 0) {
        const auto axes = gridAxes(options, data, bandwidth);
        const DensityGrid grid =
            options.binned ? binnedDensity(data.points, kernel, bandwidth, axes, {}, progress)
                           : exactDensityGrid(KernelDensity(data.points, kernel, bandwidth), axes, progress);
        coordinates = grid.nodes();
        densities = grid.values;
    } else {
        coordinates = evaluationPoints(options, data);
        const DensityValues values =
            KernelDensity(data.points, kernel, bandwidth).evaluate(coordinates, progress);
        densities = values.density;
        if (values.anyOutsideSupport()) {
            std::cerr << "kde: some evaluation points have " << outsideSupportMessage
                      << "; their density is 0\n";
        }
    }
    Eigen::MatrixXd table(coordinates.rows(), coordinates.cols() + 1);
    table << coordinates, densities;
    std::vector<std::string> header = data.columnNames;
    header.push_back("density");
    writeOutput(options.output, [&](std::ostream& output) { writeCsv(output, header, table); });
}

} // namespace

void addKdeCommand(CLI::App& app) {
    auto options = std::make_shared<KdeOptions>();
    CLI::App* command = app.add_subcommand(
        "kde", "Kernel density estimate at the data points, at the points of --eval, or on a --grid; the "
               "density (normalised, integrating to 1) is the last column");
    addInputOptions(*command, options->input);
    command
        ->add_option("--kernel", options->kernel,
                     "Kernel profile: gaussian, epanechnikov, uniform (tophat), ...")
        ->capture_default_str();
    command
        ->add_option("--bandwidth", options->bandwidth,
                     "h (the Gaussian's standard deviation, a compact kernel's radius), or 'scott' / "
                     "'silverman' for scipy's rules (kernel covariance factor^2 Cov(X))")
        ->required();
    auto* eval = command->add_option("--eval", options->evalPath,
                                     "Evaluate at the points of this file (same columns as the input)");
    auto* grid =
        command->add_option("--grid", options->gridNodes,
                            "Evaluate on N^d grid nodes over the data's range padded by 3h (d <= 3)");
    eval->excludes(grid);
    command->add_flag("--binned", options->binned,
                      "With --grid: linear binning and FFT convolution instead of the exact sum");
    addOutputOption(*command, options->output);
    command->callback([options] { runKde(*options); });
}

} // namespace locallab::cli
