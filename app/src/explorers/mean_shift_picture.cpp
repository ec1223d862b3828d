#include "explorers/mean_shift_picture.hpp"

#include "locallab/attention/attention_weights.hpp"
#include "locallab/density/binned_density.hpp"
#include "locallab/density/kernel_density.hpp"
#include "locallab/kernel/adaptive_bandwidth.hpp"
#include "locallab/kernel/bandwidth_rules.hpp"
#include "locallab/meanshift/approximate_mean_shift.hpp"
#include "locallab/util/progress.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <tbb/task_arena.h>

namespace locallab {

namespace {

constexpr Eigen::Index densityNodesPerAxis = 160;
constexpr Eigen::Index arrowsPerAxis = 21;
constexpr Eigen::Index basinCellsPerAxis = 48;
constexpr std::size_t explainedDroppedSeedLimit = 16;
// Below this many field cells per h the binned approximation is too coarse to be worth showing.
constexpr double coarsestApproximationCells = 2.5;
constexpr Eigen::Index finestApproximationGrid = 256;

void checkRequest(const MeanShiftRequest& request) {
    if (!request.points || request.points->rows() == 0) {
        throw std::invalid_argument("there are no data points to cluster");
    }
    if (request.points->cols() != 2) {
        throw std::invalid_argument("the MeanShift explorer draws two columns");
    }
    if (!request.points->allFinite()) {
        throw std::invalid_argument(
            "the data contain NaN or infinite values; remove those rows to run MeanShift");
    }
}

double largestExtent(const Eigen::MatrixXd& points) {
    return (points.colwise().maxCoeff() - points.colwise().minCoeff()).maxCoeff();
}

// The plotted area: the data plus the kernel's reach, but never so much margin that the data shrink to
// a dot (a bandwidth far larger than the data).
std::vector<GridAxis> pictureAxes(const Eigen::MatrixXd& points, const RadialKernel& kernel, double h,
                                  Eigen::Index nodes) {
    const double reach = (kernel.isCompact() ? 1.0 : 3.0) * h;
    const double extent = largestExtent(points);
    const double padding = extent > 0.0 ? std::min(reach, 0.35 * extent) : reach;
    return gridAxesAround(points, nodes, Eigen::Vector2d::Constant(padding));
}

std::vector<Eigen::Index> evenlyStrided(Eigen::Index count, Eigen::Index limit) {
    std::vector<Eigen::Index> chosen;
    const Eigen::Index kept = std::min(count, std::max<Eigen::Index>(limit, 1));
    chosen.reserve(static_cast<std::size_t>(kept));
    for (Eigen::Index k = 0; k < kept; ++k) {
        chosen.push_back(k * count / kept);
    }
    return chosen;
}

int nearestModeWithin(const Eigen::MatrixXd& modes, const Eigen::VectorXd& x, double h) {
    int best = -1;
    double bestDistance = h * h;
    for (Eigen::Index m = 0; m < modes.rows(); ++m) {
        const double distance = (modes.row(m).transpose() - x).squaredNorm();
        if (distance <= bestDistance) {
            bestDistance = distance;
            best = static_cast<int>(m);
        }
    }
    return best;
}

// Each step of the seed as Tweedie's formula and as attention would take it; empty unless the kernel is
// the Gaussian and h is fixed, or when the density underflows somewhere along the path.
std::vector<ThreeWaysOfOneStep> threeWaysOf(const MeanShiftRequest& request, double h,
                                            const std::vector<MeanShiftStep>& steps) {
    if (request.options.kernel.profile() != KernelProfile::Gaussian || request.adaptive) {
        return {};
    }
    const Eigen::MatrixXd& points = *request.points;
    const KernelDensity density(points, request.options.kernel, Bandwidth::scalar(h));
    AttentionWeightOptions attention;
    attention.kernel = AttentionKernel::Gaussian;
    attention.temperature = h * h;
    std::vector<ThreeWaysOfOneStep> ways;
    for (const MeanShiftStep& step : steps) {
        const Eigen::MatrixXd query = step.position.transpose();
        const double logDensity = density.logDensityAt(step.position);
        const double value = density.densityAt(step.position);
        if (!std::isfinite(logDensity) || !(value > 0.0)) {
            return {};
        }
        const Eigen::VectorXd scoreGradient = density.gradient(query).row(0).transpose() / value;
        ways.push_back({step.localMean, step.position + h * h * scoreGradient,
                        attend(query, points, points, attention).output.row(0).transpose()});
    }
    return ways;
}

SeedSteps explainSeed(const MeanShiftRequest& request, const MeanShiftResult& result, double h,
                      const Eigen::VectorXd& seed) {
    SeedSteps explained;
    explained.steps = meanShiftSteps(*request.points, request.options.kernel, h, seed,
                                     request.options.maxIterations, request.options.stopFactor);
    explained.label = nearestModeWithin(result.modes, explained.steps.back().position, h);
    explained.threeWays = threeWaysOf(request, h, explained.steps);
    return explained;
}

// The dropped seeds, and (when featured is true) the drawn seed with the longest path, whose steps cost
// a pass over the data each and so are left to the exact picture.
void explainSeeds(const MeanShiftRequest& request, MeanShiftPicture& picture, bool featured) {
    const std::size_t count = std::min(request.droppedSeeds.size(), explainedDroppedSeedLimit);
    for (std::size_t s = 0; s < count; ++s) {
        picture.droppedSeeds.push_back(
            explainSeed(request, picture.result, picture.bandwidth, request.droppedSeeds[s]));
    }
    if (!featured || picture.drawnSeeds.empty() || picture.blurring) {
        return;
    }
    const auto longest = std::max_element(
        picture.drawnSeeds.begin(), picture.drawnSeeds.end(), [&](Eigen::Index a, Eigen::Index b) {
            return picture.result.trajectories.lastStep(a) < picture.result.trajectories.lastStep(b);
        });
    picture.featuredSeed = explainSeed(request, picture.result, picture.bandwidth,
                                       picture.result.seeds.row(*longest).transpose());
}

DensityGrid densityUnder(const MeanShiftRequest& request, double h, Progress& progress) {
    const auto axes = pictureAxes(*request.points, request.options.kernel, h, densityNodesPerAxis);
    return binnedDensity(*request.points, request.options.kernel, Bandwidth::scalar(h), axes, {}, progress);
}

// The sample-point KDE f̂(x) = (1/n) Σ_i K_{λ_i h}(x − x_i), summed exactly at every node: binning
// needs one bandwidth for all points.
DensityGrid adaptiveDensityUnder(const MeanShiftRequest& request, double h, const Eigen::VectorXd& scales,
                                 Progress& progress) {
    DensityGrid grid;
    grid.axes =
        pictureAxes(*request.points, request.options.kernel, h * scales.maxCoeff(), densityNodesPerAxis);
    KernelDensityOptions options;
    options.bandwidthScales = scales;
    options.summation = KernelDensityOptions::Summation::TruncatedTails;
    options.relativeTolerance = 1e-6;
    const KernelDensity density(*request.points, request.options.kernel, Bandwidth::scalar(h), options);
    grid.values = density.evaluate(grid.nodes(), progress).density;
    grid.binned = false;
    return grid;
}

std::vector<Eigen::Vector2d> arrowTails(const DensityGrid& density) {
    std::vector<Eigen::Vector2d> tails;
    for (Eigen::Index j = 0; j < arrowsPerAxis; ++j) {
        for (Eigen::Index i = 0; i < arrowsPerAxis; ++i) {
            const double fx = (static_cast<double>(i) + 0.5) / static_cast<double>(arrowsPerAxis);
            const double fy = (static_cast<double>(j) + 0.5) / static_cast<double>(arrowsPerAxis);
            const GridAxis& x = density.axes[0];
            const GridAxis& y = density.axes[1];
            tails.emplace_back(x.minimum + fx * (x.maximum - x.minimum),
                               y.minimum + fy * (y.maximum - y.minimum));
        }
    }
    return tails;
}

// The grid of seeds a basin map starts from: cell centres, x fastest.
Eigen::MatrixXd basinSeeds(const DensityGrid& density) {
    Eigen::MatrixXd seeds(basinCellsPerAxis * basinCellsPerAxis, 2);
    const GridAxis& x = density.axes[0];
    const GridAxis& y = density.axes[1];
    for (Eigen::Index j = 0; j < basinCellsPerAxis; ++j) {
        for (Eigen::Index i = 0; i < basinCellsPerAxis; ++i) {
            const double fx = (static_cast<double>(i) + 0.5) / static_cast<double>(basinCellsPerAxis);
            const double fy = (static_cast<double>(j) + 0.5) / static_cast<double>(basinCellsPerAxis);
            seeds.row(i + basinCellsPerAxis * j) << x.minimum + fx * (x.maximum - x.minimum),
                y.minimum + fy * (y.maximum - y.minimum);
        }
    }
    return seeds;
}

MeanShiftResult resultOfBlurring(const MeanShiftRequest& request, double h, Progress& progress) {
    MeanShiftOptions options = request.options;
    options.bandwidth = Bandwidth::scalar(h);
    const BlurringMeanShiftResult blurred = blurringMeanShift(*request.points, options, progress);
    const Eigen::MatrixXd& last = blurred.frames.back();
    const ConvergedClusters clusters = clusterConvergedPoints(last, options.bandwidth);
    MeanShiftResult result;
    result.modes = clusters.centres;
    result.modeStrength = clusters.sizes;
    result.labels = clusters.labels;
    result.iterations = static_cast<int>(blurred.frames.size()) - 1;
    // Only the drawn points' paths are kept, and the seeds are those points: all the picture needs.
    const auto drawn = evenlyStrided(last.rows(), request.drawnPathLimit);
    const auto drawnCount = static_cast<Eigen::Index>(drawn.size());
    result.seeds.resize(drawnCount, 2);
    result.seedEnds.resize(drawnCount, 2);
    result.seedLabels.resize(drawnCount);
    result.seedIterations = Eigen::VectorXi::Constant(drawnCount, result.iterations);
    result.trajectories = Trajectories(2);
    Eigen::MatrixXd path(static_cast<Eigen::Index>(blurred.frames.size()), 2);
    for (Eigen::Index k = 0; k < drawnCount; ++k) {
        const Eigen::Index point = drawn[static_cast<std::size_t>(k)];
        result.seeds.row(k) = request.points->row(point);
        result.seedEnds.row(k) = last.row(point);
        result.seedLabels[k] = clusters.labels[point];
        for (std::size_t frame = 0; frame < blurred.frames.size(); ++frame) {
            path.row(static_cast<Eigen::Index>(frame)) = blurred.frames[frame].row(point);
        }
        result.trajectories.append(path, path.rows());
    }
    return result;
}

std::shared_ptr<const MeanShiftPicture> approximatePicture(const MeanShiftRequest& request,
                                                           Progress& progress);

} // namespace

double ruleBandwidth(const Eigen::MatrixXd& points, const std::string& rule, Progress& progress) {
    if (rule == "estimate") {
        return estimateBandwidth(points, 0.3, progress);
    }
    if (rule == "scott") {
        return scottBandwidth(points).perColumn.size();
    }
    if (rule == "silverman") {
        return silvermanBandwidth(points).perColumn.size();
    }
    throw std::invalid_argument("unknown bandwidth rule '" + rule + "'");
}

std::shared_ptr<const MeanShiftPicture> computeApproximatePicture(const MeanShiftRequest& request,
                                                                  Progress& progress) {
    // Isolated, so that while this thread waits inside a parallel loop it never picks up a block of
    // the exact job running beside it (a block of seeds there can take far longer than this whole job).
    return tbb::this_task_arena::isolate([&] { return approximatePicture(request, progress); });
}

namespace {

std::shared_ptr<const MeanShiftPicture> approximatePicture(const MeanShiftRequest& request,
                                                           Progress& progress) {
    checkRequest(request);
    if (request.adaptive) {
        return nullptr; // the binned field has one bandwidth; adaptive pictures are exact only
    }
    const double h = request.options.bandwidth.size();
    const Eigen::MatrixXd& points = *request.points;
    if (request.blurring || !request.bandwidthRule.empty() ||
        largestExtent(points) / h >
            static_cast<double>(finestApproximationGrid) / coarsestApproximationCells) {
        return nullptr;
    }
    auto picture = std::make_shared<MeanShiftPicture>();
    picture->requestNumber = request.requestNumber;
    picture->bandwidth = h;
    ApproximateMeanShiftOptions approximation;
    approximation.maximumSeeds = request.drawnPathLimit;
    picture->result = approximateMeanShift(points, request.options, approximation, progress);
    picture->drawnSeeds = evenlyStrided(picture->result.seeds.rows(), request.drawnPathLimit);
    picture->density = densityUnder(request, h, progress);

    if (request.vectorField || request.basins) {
        const MeanShiftField field = meanShiftField(points, request.options.kernel, request.options.bandwidth,
                                                    picture->density.axes, progress);
        if (request.vectorField) {
            for (const Eigen::Vector2d& tail : arrowTails(picture->density)) {
                if (const auto mean = field.localMean(tail)) {
                    picture->arrows.push_back({tail, *mean - tail});
                }
            }
        }
        if (request.basins) {
            MeanShiftOptions basinOptions = request.options;
            basinOptions.seeding = SeedingStrategy::Given;
            basinOptions.givenSeeds = basinSeeds(picture->density);
            basinOptions.recordTrajectories = false;
            const MeanShiftResult climbed = approximateMeanShift(points, basinOptions, {}, progress);
            BasinMap basins;
            basins.modeIndex.resize(basinCellsPerAxis, basinCellsPerAxis);
            for (Eigen::Index cell = 0; cell < climbed.seedEnds.rows(); ++cell) {
                basins.modeIndex(cell / basinCellsPerAxis, cell % basinCellsPerAxis) =
                    nearestModeWithin(picture->result.modes, climbed.seedEnds.row(cell).transpose(), h);
            }
            basins.xMinimum = picture->density.axes[0].minimum;
            basins.xMaximum = picture->density.axes[0].maximum;
            basins.yMinimum = picture->density.axes[1].minimum;
            basins.yMaximum = picture->density.axes[1].maximum;
            picture->basins = std::move(basins);
        }
    }
    explainSeeds(request, *picture, false);
    picture->note = picture->result.note;
    return picture;
}

} // namespace

std::shared_ptr<const MeanShiftPicture> computeExactPicture(const MeanShiftRequest& request,
                                                            Progress& progress) {
    checkRequest(request);
    const Eigen::MatrixXd& points = *request.points;
    auto picture = std::make_shared<MeanShiftPicture>();
    picture->exact = true;
    picture->requestNumber = request.requestNumber;
    picture->blurring = request.blurring;
    picture->bandwidth = request.options.bandwidth.size();
    if (!request.bandwidthRule.empty()) {
        // A rule that cannot measure these data (one point, no spread) leaves h as it was, and says why.
        try {
            const double chosen = ruleBandwidth(points, request.bandwidthRule, progress);
            if (!(chosen > 0.0) || !std::isfinite(chosen)) {
                throw std::invalid_argument("the data have no spread to measure");
            }
            picture->bandwidth = chosen;
        } catch (const std::invalid_argument& problem) {
            picture->note = "The " + request.bandwidthRule + " rule could not be used (" + problem.what() +
                            "); h stays " + std::to_string(picture->bandwidth) + ".";
        }
    }
    MeanShiftOptions options = request.options;
    options.bandwidth = Bandwidth::scalar(picture->bandwidth);
    const bool adaptive = request.adaptive && !request.blurring;
    if (request.adaptive && request.blurring) {
        picture->note += "Blurring MeanShift uses one h; the adaptive bandwidth applies to MeanShift. ";
    }
    if (adaptive) {
        ProgressShare pilot(progress, 0.0, 0.1);
        options.sampleScales = samplePointBandwidths(points, options.bandwidth, pilot).factors;
        picture->bandwidthScales = options.sampleScales;
    }
    const double basinShare = request.basins ? 0.3 : 0.0;
    {
        ProgressShare clustering(progress, 0.0, 0.9 - basinShare);
        MeanShiftRequest resolved = request;
        resolved.options = options;
        picture->result = request.blurring ? resultOfBlurring(resolved, picture->bandwidth, clustering)
                                           : meanShift(points, options, clustering);
    }
    // Blurring keeps only the drawn points as seeds, so there every seed is drawn.
    picture->drawnSeeds = evenlyStrided(picture->result.seeds.rows(), request.drawnPathLimit);
    picture->density = adaptive
                           ? adaptiveDensityUnder(request, picture->bandwidth, options.sampleScales, progress)
                           : densityUnder(request, picture->bandwidth, progress);
    if (request.vectorField && adaptive) {
        picture->note += "The mean-shift vectors are drawn for a fixed h only. ";
    } else if (request.vectorField) {
        for (const Eigen::Vector2d& tail : arrowTails(picture->density)) {
            progress.checkCanceled();
            const MeanShiftStep step = meanShiftStep(points, options.kernel, picture->bandwidth, tail);
            if (std::isfinite(step.logWeightSum)) {
                picture->arrows.push_back({tail, step.shift});
            }
        }
    }
    if (request.basins && !request.blurring) {
        ProgressShare basinProgress(progress, 0.9 - basinShare, basinShare);
        const GridAxis& x = picture->density.axes[0];
        const GridAxis& y = picture->density.axes[1];
        picture->basins = basinMap(points, options, picture->result, basinCellsPerAxis, basinCellsPerAxis,
                                   x.minimum, x.maximum, y.minimum, y.maximum, basinProgress);
    }
    explainSeeds(request, *picture, true);
    picture->note += picture->result.note;
    progress.report(1.0);
    return picture;
}

} // namespace locallab
