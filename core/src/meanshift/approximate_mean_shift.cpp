#include "locallab/meanshift/approximate_mean_shift.hpp"

#include "locallab/density/binned_density.hpp"
#include "locallab/neighbors/neighbor_index.hpp"
#include "mode_merging.hpp"
#include "seed_climbing.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace locallab {
namespace {

// S0 below this fraction of the total weight is FFT round-off (of order 1e-16·n·log(nodes)), not data:
// a local mean divided by it would be noise.
constexpr double negligibleWeightFraction = 1e-10;
// The binned sums err by O((spacing/h)²): with 4 cells per h modes move by a few hundredths of h (up to
// 0.07h on nearly flat ridges, where a small error in the gradient moves its zero far).
constexpr double cellsPerBandwidth = 4.0;
// Below this many cells per h the binned kernel is too coarse to trust, and the note says so.
constexpr double coarseCellsPerBandwidth = 2.0;
constexpr double shareOfProgressForField = 0.4;

struct Weighting {
    RadialKernel profile;
    std::string note;
};

// The profile whose binned sums are S0 and S1: the kernel's shadow g = −k′ up to a constant factor
// (which cancels in S1/S0), when the shadow is one of the profiles.
Weighting binnedWeighting(const RadialKernel& kernel) {
    switch (kernel.profile()) {
    case KernelProfile::Gaussian: // −d/du e^{−u/2} ∝ e^{−u/2}
        return {RadialKernel(KernelProfile::Gaussian), {}};
    case KernelProfile::Epanechnikov: // −d/du (1 − u) = 1 on u < 1
    case KernelProfile::Uniform:      // its own shadow by convention (see RadialKernel::shadow)
        return {RadialKernel(KernelProfile::Uniform), {}};
    case KernelProfile::Biweight: // −d/du (1 − u)² ∝ (1 − u)
        return {RadialKernel(KernelProfile::Epanechnikov), {}};
    case KernelProfile::Triweight: // −d/du (1 − u)³ ∝ (1 − u)²
        return {RadialKernel(KernelProfile::Biweight), {}};
    default: {
        std::ostringstream note;
        note << "the " << kernel.name()
             << " kernel's shadow is not a profile that can be binned, so the approximation weights the "
                "points by the kernel itself; its modes may differ from the exact path's by more than the "
                "binning error";
        return {kernel, note.str()};
    }
    }
}

void appendNote(std::string& notes, const std::string& note) {
    if (note.empty()) {
        return;
    }
    if (!notes.empty()) {
        notes += "; ";
    }
    notes += note;
}

// Σ_i w_i·k(u_i) at every node (w_i = 1 when weights is empty): binnedDensity without its normalisation.
Eigen::VectorXd binnedSums(const Eigen::MatrixXd& points, const RadialKernel& profile,
                           const Bandwidth& bandwidth, const std::vector<GridAxis>& axes,
                           const Eigen::VectorXd& weights, double tolerance, Progress& progress) {
    BinnedDensityOptions binning;
    binning.relativeTolerance = tolerance;
    binning.weights = weights;
    const DensityGrid grid = binnedDensity(points, profile, bandwidth, axes, binning, progress);
    const auto dimension = static_cast<Eigen::Index>(axes.size());
    const double totalWeight = weights.size() > 0 ? weights.sum() : static_cast<double>(points.rows());
    const double normalization = std::exp(profile.logNormalization(static_cast<int>(dimension)) -
                                          bandwidth.logSquareRootDeterminant(dimension));
    return grid.values * (totalWeight / normalization);
}

// Binning convolves along the grid's axes, so the kernel's axes must be those.
void requireAxisAlignedBandwidth(const Bandwidth& bandwidth) {
    if (bandwidth.form() == Bandwidth::Form::Full) {
        throw std::invalid_argument("the approximate MeanShift takes a scalar or diagonal bandwidth; a full "
                                    "bandwidth matrix needs the exact path");
    }
}

void checkFieldInputs(const Eigen::MatrixXd& points, const Weighting& weighting, const Bandwidth& bandwidth,
                      const std::vector<GridAxis>& axes) {
    checkGridAxes(axes);
    const auto dimension = static_cast<Eigen::Index>(axes.size());
    if (points.rows() == 0 || points.cols() != dimension) {
        std::ostringstream message;
        message << "the MeanShift field needs data points with one column per grid axis (" << dimension
                << "), got " << points.rows() << " × " << points.cols();
        throw std::invalid_argument(message.str());
    }
    if (!points.allFinite()) {
        throw std::invalid_argument(
            "the data contains NaN or infinite values; MeanShift needs finite points");
    }
    bandwidth.checkDimension(dimension);
    requireAxisAlignedBandwidth(bandwidth);
    if (!weighting.profile.isNormalizable(static_cast<int>(dimension))) {
        std::ostringstream message;
        message << "the approximate MeanShift cannot bin the " << weighting.profile.name() << " kernel in "
                << dimension << " dimensions; the exact path must be used";
        throw std::invalid_argument(message.str());
    }
}

MeanShiftField buildField(const Eigen::MatrixXd& points, const RadialKernel& kernel,
                          const Bandwidth& bandwidth, const std::vector<GridAxis>& axes, double tolerance,
                          Progress& progress) {
    Weighting weighting = binnedWeighting(kernel);
    checkFieldInputs(points, weighting, bandwidth, axes);
    const Eigen::Index dimension = points.cols();
    const double share = 1.0 / static_cast<double>(dimension + 1);

    MeanShiftField field;
    field.axes = axes;
    field.weighting = weighting.profile;
    field.note = std::move(weighting.note);
    ProgressShare weightSumProgress(progress, 0.0, share);
    field.weightSum = binnedSums(points, field.weighting, bandwidth, axes, {}, tolerance, weightSumProgress);
    field.weightedSum.resize(field.weightSum.size(), dimension);
    for (Eigen::Index c = 0; c < dimension; ++c) {
        // Binned weights must be positive: sum the coordinates measured from below every point and the
        // grid, then add the origin back.
        const GridAxis& axis = axes[static_cast<std::size_t>(c)];
        const double origin = std::min(axis.minimum, points.col(c).minCoeff()) - axis.spacing();
        const Eigen::VectorXd shifted = points.col(c).array() - origin;
        ProgressShare coordinateProgress(progress, share * static_cast<double>(c + 1), share);
        field.weightedSum.col(c) =
            binnedSums(points, field.weighting, bandwidth, axes, shifted, tolerance, coordinateProgress) +
            origin * field.weightSum;
    }
    field.negligibleWeightSum = negligibleWeightFraction * static_cast<double>(points.rows());
    return field;
}

// The grid's axes as stencilAt reads them, with the divisions done once.
struct GridFrame {
    struct Axis {
        double minimum = 0.0;
        double inverseSpacing = 1.0;
        Eigen::Index size = 2;
    };
    std::array<Axis, 3> axes;
    int dimension = 0;

    explicit GridFrame(const std::vector<GridAxis>& gridAxes) : dimension(static_cast<int>(gridAxes.size())) {
        for (std::size_t k = 0; k < gridAxes.size(); ++k) {
            axes[k] = {gridAxes[k].minimum, 1.0 / gridAxes[k].spacing(), gridAxes[k].size};
        }
    }
};

// The 2^d grid nodes around a point and their multilinear weights. Left uninitialised: stencilAt fills
// the first size entries, and zeroing both arrays at every step costs more than the interpolation.
struct Stencil {
    std::array<Eigen::Index, 8> nodes;
    std::array<double, 8> weights;
    int size = 0;
};

// False when x is off the grid (or not a number).
bool stencilAt(const GridFrame& grid, const double* x, Stencil& stencil) {
    std::array<double, 3> fraction{};
    std::array<Eigen::Index, 3> stride{};
    Eigen::Index lowerCorner = 0;
    Eigen::Index nodesBefore = 1;
    for (std::size_t k = 0; k < static_cast<std::size_t>(grid.dimension); ++k) {
        const GridFrame::Axis& axis = grid.axes[k];
        const double position = (x[k] - axis.minimum) * axis.inverseSpacing;
        if (!(position >= 0.0 && position <= static_cast<double>(axis.size - 1))) {
            return false;
        }
        const Eigen::Index cell = std::min(static_cast<Eigen::Index>(position), axis.size - 2);
        fraction[k] = position - static_cast<double>(cell);
        stride[k] = nodesBefore;
        lowerCorner += cell * nodesBefore;
        nodesBefore *= axis.size;
    }
    stencil.size = 1 << grid.dimension;
    for (int corner = 0; corner < stencil.size; ++corner) {
        Eigen::Index node = lowerCorner;
        double weight = 1.0;
        for (std::size_t k = 0; k < static_cast<std::size_t>(grid.dimension); ++k) {
            const bool upper = (corner >> k) & 1;
            node += upper ? stride[k] : 0;
            weight *= upper ? fraction[k] : 1.0 - fraction[k];
        }
        stencil.nodes[static_cast<std::size_t>(corner)] = node;
        stencil.weights[static_cast<std::size_t>(corner)] = weight;
    }
    return true;
}

// S0 and S1 interpolated at x; false where x is off the grid or S0 is negligible.
bool interpolatedSums(const MeanShiftField& field, const GridFrame& grid, const Eigen::VectorXd& x,
                      Stencil& stencil, double& weightSum, Eigen::VectorXd& weightedSum) {
    if (!stencilAt(grid, x.data(), stencil)) {
        return false;
    }
    weightSum = 0.0;
    weightedSum.setZero(x.size());
    for (int corner = 0; corner < stencil.size; ++corner) {
        const Eigen::Index node = stencil.nodes[static_cast<std::size_t>(corner)];
        const double weight = stencil.weights[static_cast<std::size_t>(corner)];
        weightSum += weight * field.weightSum[node];
        weightedSum += weight * field.weightedSum.row(node).transpose();
    }
    return weightSum > field.negligibleWeightSum;
}

// A local-mean source for detail::climb that reads the field instead of summing over the data.
class BinnedLocalMean {
public:
    BinnedLocalMean(const MeanShiftField& field, const Eigen::VectorXd& pointsWithinBandwidth)
        : field_(field), grid_(field.axes), pointsWithinBandwidth_(pointsWithinBandwidth) {}

    void at(const Eigen::VectorXd& x, detail::LocalMeanStep& step) const {
        Stencil stencil;
        step.weightSum = 0.0;
        step.withinBandwidth = 0;
        double weightSum = 0.0;
        if (!interpolatedSums(field_, grid_, x, stencil, weightSum, step.mean)) {
            return; // weightSum 0: the seed stops here
        }
        step.mean *= 1.0 / weightSum;
        step.weightSum = weightSum;
        double count = 0.0;
        for (int corner = 0; corner < stencil.size; ++corner) {
            count += stencil.weights[static_cast<std::size_t>(corner)] *
                     pointsWithinBandwidth_[stencil.nodes[static_cast<std::size_t>(corner)]];
        }
        step.withinBandwidth = static_cast<Eigen::Index>(std::llround(std::max(count, 0.0)));
    }

private:
    const MeanShiftField& field_;
    GridFrame grid_;
    const Eigen::VectorXd& pointsWithinBandwidth_;
};

// Below this many point-to-mode distances a scan is cheaper than building a k-d tree (about 3 ms for
// 10,000 points).
constexpr double largestStrengthScan = 2e6;

// The binned count only ranks the candidate modes; the strengths reported are counted exactly at the
// merged modes (points within the radius), as the exact path counts them at its own.
void countStrengthsExactly(const Eigen::MatrixXd& points, double radius,
                           std::vector<detail::Candidate>& modes) {
    const double radiusSquared = radius * radius;
    if (static_cast<double>(modes.size()) * static_cast<double>(points.rows()) <= largestStrengthScan) {
        for (detail::Candidate& mode : modes) {
            mode.strength = ((points.rowwise() - mode.centre.transpose()).rowwise().squaredNorm().array() <=
                             radiusSquared)
                                .count();
        }
        return;
    }
    const NeighborIndex index(points);
    for (detail::Candidate& mode : modes) {
        mode.strength =
            static_cast<Eigen::Index>(index.withinRadius(mode.centre.data(), radiusSquared).size());
    }
}

void checkApproximable(const Eigen::MatrixXd& points, const MeanShiftOptions& options,
                       const ApproximateMeanShiftOptions& approximation) {
    if (options.maxIterations < 0) {
        throw std::invalid_argument("the number of iterations cannot be negative");
    }
    if (points.cols() > 3) {
        throw std::invalid_argument(
            "the approximate MeanShift works on 1- to 3-dimensional data; the exact path must be used for " +
            std::to_string(points.cols()) + " dimensions");
    }
    requireAxisAlignedBandwidth(options.bandwidth);
    if (options.sampleScales.size() != 0) {
        throw std::invalid_argument(
            "the approximate MeanShift has one bandwidth for every point; adaptive bandwidths need the exact "
            "path");
    }
    if (approximation.gridNodesPerAxis < 0 || approximation.gridNodesPerAxis == 1 ||
        approximation.maximumSeeds < 0) {
        throw std::invalid_argument(
            "the approximate MeanShift needs at least 2 grid nodes per axis (or 0 to choose) and a "
            "non-negative number of seeds");
    }
}

// Every seed, or maximumSeeds of them evenly strided.
Eigen::MatrixXd stridedSeeds(const Eigen::MatrixXd& seeds, Eigen::Index maximumSeeds, std::string& note) {
    if (maximumSeeds == 0 || maximumSeeds >= seeds.rows()) {
        return seeds;
    }
    Eigen::MatrixXd kept(maximumSeeds, seeds.cols());
    for (Eigen::Index k = 0; k < maximumSeeds; ++k) {
        kept.row(k) = seeds.row(k * seeds.rows() / maximumSeeds);
    }
    std::ostringstream text;
    text << "climbing from " << maximumSeeds << " of " << seeds.rows() << " seeds";
    appendNote(note, text.str());
    return kept;
}

Eigen::Index automaticNodeCount(double extentInBandwidths, Eigen::Index dimension) {
    const std::array<double, 3> fewest{64, 64, 32};
    const std::array<double, 3> most{4096, 256, 64};
    const auto slot = static_cast<std::size_t>(dimension - 1);
    // Clamped before the conversion: a tiny h makes the wanted count overflow any integer.
    const double wanted = std::ceil(cellsPerBandwidth * extentInBandwidths) + 1.0;
    return static_cast<Eigen::Index>(std::clamp(wanted, fewest[slot], most[slot]));
}

// The grid of the field, in the coordinates where the bandwidth is the scalar radius: the data's box,
// grown to take in the seeds within the kernel's reach of it, then by the padding that lets seeds near
// the edge feel all the data around them (3h for kernels of infinite support, h otherwise).
std::vector<GridAxis> fieldAxes(const Eigen::MatrixXd& points, const Eigen::MatrixXd& seeds, double radius,
                                const RadialKernel& weighting, double tolerance, Eigen::Index requestedNodes,
                                std::string& note) {
    const Eigen::Index dimension = points.cols();
    Eigen::VectorXd low = points.colwise().minCoeff();
    Eigen::VectorXd high = points.colwise().maxCoeff();
    const double reach = std::sqrt(weighting.supportSquared(tolerance)) * radius;
    const Eigen::VectorXd dataLow = low;
    const Eigen::VectorXd dataHigh = high;
    for (Eigen::Index s = 0; s < seeds.rows(); ++s) {
        const Eigen::VectorXd seed = seeds.row(s).transpose();
        const Eigen::VectorXd outside = (dataLow - seed).cwiseMax(seed - dataHigh).cwiseMax(0.0);
        if (outside.norm() <= reach) {
            low = low.cwiseMin(seed);
            high = high.cwiseMax(seed);
        }
    }
    const double padding = (weighting.isCompact() ? 1.0 : 3.0) * radius;
    std::vector<GridAxis> axes;
    double fewestCellsPerBandwidth = std::numeric_limits<double>::infinity();
    for (Eigen::Index c = 0; c < dimension; ++c) {
        GridAxis axis;
        axis.minimum = low[c] - padding;
        axis.maximum = high[c] + padding;
        axis.size = requestedNodes > 0
                        ? requestedNodes
                        : automaticNodeCount((axis.maximum - axis.minimum) / radius, dimension);
        fewestCellsPerBandwidth = std::min(fewestCellsPerBandwidth, radius / axis.spacing());
        axes.push_back(axis);
    }
    if (fewestCellsPerBandwidth < coarseCellsPerBandwidth) {
        std::ostringstream text;
        text.precision(2);
        text << "the grid is coarse for this bandwidth (h spans " << fewestCellsPerBandwidth
             << " cells), so the modes may be off by a good part of h; the exact path will be accurate";
        appendNote(note, text.str());
    }
    return axes;
}

} // namespace

std::optional<Eigen::VectorXd> MeanShiftField::localMean(const Eigen::VectorXd& x) const {
    if (x.size() != static_cast<Eigen::Index>(axes.size())) {
        throw std::invalid_argument("the point needs one coordinate per axis of the MeanShift field");
    }
    Stencil stencil;
    double sum = 0.0;
    Eigen::VectorXd weighted;
    if (!interpolatedSums(*this, GridFrame(axes), x, stencil, sum, weighted)) {
        return std::nullopt;
    }
    return Eigen::VectorXd(weighted / sum);
}

MeanShiftField meanShiftField(const Eigen::MatrixXd& points, const RadialKernel& kernel,
                              const Bandwidth& bandwidth, const std::vector<GridAxis>& axes,
                              Progress& progress) {
    return buildField(points, kernel, bandwidth, axes, BinnedDensityOptions{}.relativeTolerance, progress);
}

MeanShiftResult approximateMeanShift(const Eigen::MatrixXd& points, const MeanShiftOptions& options,
                                     const ApproximateMeanShiftOptions& approximation, Progress& progress) {
    detail::checkPoints(points);
    checkApproximable(points, options, approximation);
    const detail::Space space(points, options.bandwidth);
    // In space coordinates the bandwidth is the scalar radius (h, or 1 after whitening).
    const Bandwidth radius = Bandwidth::scalar(space.radius);

    std::string note;
    const Eigen::MatrixXd seeds =
        stridedSeeds(detail::chooseSeeds(space, options, &note), approximation.maximumSeeds, note);
    const double tolerance = options.relativeTolerance > 0.0 ? options.relativeTolerance
                                                             : BinnedDensityOptions{}.relativeTolerance;
    const Weighting weighting = binnedWeighting(options.kernel);
    const std::vector<GridAxis> axes = fieldAxes(space.points, seeds, space.radius, weighting.profile,
                                                 tolerance, approximation.gridNodesPerAxis, note);

    ProgressShare fieldProgress(progress, 0.0, shareOfProgressForField);
    const MeanShiftField field =
        buildField(space.points, options.kernel, radius, axes, tolerance, fieldProgress);
    appendNote(note, field.note);
    // Candidates are ranked for merging by the points within h around them: a uniform-kernel count, which
    // S0 already is when the uniform profile weights the points.
    const RadialKernel counting(KernelProfile::Uniform);
    ProgressShare countProgress(progress, shareOfProgressForField, 0.0);
    const Eigen::VectorXd pointsWithinBandwidth =
        field.weighting.profile() == KernelProfile::Uniform
            ? field.weightSum
            : binnedSums(space.points, counting, radius, axes, {}, tolerance, countProgress);
    progress.checkCanceled();

    const BinnedLocalMean localMean(field, pointsWithinBandwidth);
    std::vector<detail::SeedOutcome> outcomes(static_cast<std::size_t>(seeds.rows()));
    ProgressShare climbProgress(progress, shareOfProgressForField, 1.0 - shareOfProgressForField);
    detail::forEachInParallel(seeds.rows(), climbProgress, [&](Eigen::Index s) {
        outcomes[static_cast<std::size_t>(s)] = detail::climb(
            localMean, seeds.row(s).transpose(), space.radius, options, options.recordTrajectories);
    });
    return detail::collectResult(space, seeds, outcomes, options, std::move(note),
                                 [&](std::vector<detail::Candidate>& modes) {
                                     countStrengthsExactly(space.points, space.radius, modes);
                                 });
}

} // namespace locallab
