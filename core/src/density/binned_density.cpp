#include "locallab/density/binned_density.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <sstream>
#include <stdexcept>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <unsupported/Eigen/FFT>

namespace locallab {
namespace {

using Complex = std::complex<double>;
constexpr std::size_t maximumAxes = 3;
// Beyond this many padded nodes (256 MB of complex numbers) the exact path is cheaper and safer.
constexpr Eigen::Index largestPaddedGrid = Eigen::Index{1} << 24;

// How one axis is laid out for the convolution. In padded coordinates the data are binned onto nodes
// [0, nodes + 2·margin), the output grid is [margin, margin + nodes), and the kernel reaches
// kernelReach nodes either way; length ≥ nodes + margin + kernelReach keeps the circular convolution
// from wrapping any kernel tail onto an output node.
struct AxisLayout {
    GridAxis axis;
    Eigen::Index margin = 0;
    Eigen::Index kernelReach = 0;
    Eigen::Index length = 1;
    double bandwidth = 1.0; // h along this axis
};

// Nodes along each axis of a padded array (axis 0 fastest), padded with length 1 for missing axes.
using Extent = std::array<Eigen::Index, maximumAxes>;

struct AxisRange {
    Extent begin{0, 0, 0};
    Extent end{1, 1, 1};
};

std::vector<AxisLayout> layoutAxes(const Eigen::MatrixXd& points, const RadialKernel& kernel,
                                   const Bandwidth& bandwidth, const std::vector<GridAxis>& axes,
                                   double relativeTolerance) {
    const double reachInBandwidths = std::sqrt(kernel.supportSquared(relativeTolerance));
    const Eigen::VectorXd perAxisBandwidth =
        bandwidth.matrix(static_cast<Eigen::Index>(axes.size())).diagonal().cwiseSqrt();
    std::vector<AxisLayout> layouts;
    for (std::size_t k = 0; k < axes.size(); ++k) {
        AxisLayout layout;
        layout.axis = axes[k];
        layout.bandwidth = perAxisBandwidth[static_cast<Eigen::Index>(k)];
        const double spacing = layout.axis.spacing();
        const Eigen::Index nodes = layout.axis.size;
        const auto column = points.col(static_cast<Eigen::Index>(k));
        const double below = std::max(0.0, (layout.axis.minimum - column.minCoeff()) / spacing);
        const double above = std::max(0.0, (column.maxCoeff() - layout.axis.maximum) / spacing);
        const double support = std::isfinite(reachInBandwidths)
                                   ? reachInBandwidths * layout.bandwidth / spacing
                                   : static_cast<double>(nodes + 1);
        const Eigen::Index supportNodes = static_cast<Eigen::Index>(std::ceil(std::min(support, 1e9)));
        // Data further out than the kernel reaches cannot touch the grid; offsets beyond the far edge of
        // the binned data are never needed.
        layout.margin =
            std::min(supportNodes + 1, static_cast<Eigen::Index>(std::ceil(std::max(below, above))) + 1);
        layout.kernelReach = std::min(supportNodes, nodes - 1 + layout.margin);
        layout.length =
            fastFourierLength(std::max({nodes + 2 * layout.margin, nodes + layout.margin + layout.kernelReach,
                                        2 * layout.kernelReach + 1}));
        layouts.push_back(layout);
    }
    return layouts;
}

Extent lengthsOf(const std::vector<AxisLayout>& layouts) {
    Extent lengths{1, 1, 1};
    for (std::size_t k = 0; k < layouts.size(); ++k) {
        lengths[k] = layouts[k].length;
    }
    return lengths;
}

Eigen::Index flatIndex(const Extent& lengths, Eigen::Index first, Eigen::Index second, Eigen::Index third) {
    return first + lengths[0] * (second + lengths[1] * third);
}

// Each point's weight split between the 2^d nodes of its cell (linear binning), in padded coordinates.
std::vector<Complex> linearBins(const Eigen::MatrixXd& points, const Eigen::VectorXd& weights,
                                const std::vector<AxisLayout>& layouts) {
    const Extent lengths = lengthsOf(layouts);
    std::vector<Complex> bins(static_cast<std::size_t>(lengths[0] * lengths[1] * lengths[2]));
    const auto dimension = static_cast<Eigen::Index>(layouts.size());
    const int corners = 1 << dimension;
    for (Eigen::Index row = 0; row < points.rows(); ++row) {
        Extent lower{0, 0, 0};
        std::array<double, maximumAxes> fraction{0.0, 0.0, 0.0};
        bool reachesGrid = true;
        for (Eigen::Index k = 0; k < dimension; ++k) {
            const AxisLayout& layout = layouts[static_cast<std::size_t>(k)];
            const double position = (points(row, k) - layout.axis.minimum) / layout.axis.spacing() +
                                    static_cast<double>(layout.margin);
            const double floorPosition = std::floor(position);
            if (!(floorPosition >= -1.0 &&
                  floorPosition < static_cast<double>(layout.axis.size + 2 * layout.margin))) {
                reachesGrid = false;
                break;
            }
            lower[static_cast<std::size_t>(k)] = static_cast<Eigen::Index>(floorPosition);
            fraction[static_cast<std::size_t>(k)] = position - floorPosition;
        }
        if (!reachesGrid) {
            continue; // beyond the kernel's reach of every output node
        }
        const double weight = weights.size() > 0 ? weights[row] : 1.0;
        for (int corner = 0; corner < corners; ++corner) {
            Extent node{0, 0, 0};
            double share = weight;
            bool inside = true;
            for (Eigen::Index k = 0; k < dimension; ++k) {
                const auto axis = static_cast<std::size_t>(k);
                const bool upper = (corner >> k) & 1;
                node[axis] = lower[axis] + (upper ? 1 : 0);
                share *= upper ? fraction[axis] : 1.0 - fraction[axis];
                const AxisLayout& layout = layouts[axis];
                inside = inside && node[axis] >= 0 && node[axis] < layout.axis.size + 2 * layout.margin;
            }
            if (inside) {
                bins[static_cast<std::size_t>(flatIndex(lengths, node[0], node[1], node[2]))] += share;
            }
        }
    }
    return bins;
}

// In-place unscaled FFTs along one axis, over the lines whose other coordinates lie in active.
void transformAxis(std::vector<Complex>& data, const Extent& lengths, std::size_t axis, bool inverse,
                   const AxisRange& active) {
    const std::size_t first = axis == 0 ? 1 : 0;
    const std::size_t second = axis == 2 ? 1 : 2;
    const Eigen::Index firstCount = active.end[first] - active.begin[first];
    const Eigen::Index lineCount = firstCount * (active.end[second] - active.begin[second]);
    const Eigen::Index length = lengths[axis];
    const Eigen::Index stride = axis == 0 ? 1 : (axis == 1 ? lengths[0] : lengths[0] * lengths[1]);
    tbb::parallel_for(
        tbb::blocked_range<Eigen::Index>(0, lineCount, 16),
        [&](const tbb::blocked_range<Eigen::Index>& lines) {
            Eigen::FFT<double> fft;
            fft.SetFlag(Eigen::FFT<double>::Unscaled);
            std::vector<Complex> input(static_cast<std::size_t>(length));
            std::vector<Complex> output(static_cast<std::size_t>(length));
            for (Eigen::Index line = lines.begin(); line != lines.end(); ++line) {
                Extent coordinate{0, 0, 0};
                coordinate[first] = active.begin[first] + line % firstCount;
                coordinate[second] = active.begin[second] + line / firstCount;
                const Eigen::Index start = flatIndex(lengths, coordinate[0], coordinate[1], coordinate[2]);
                for (Eigen::Index i = 0; i < length; ++i) {
                    input[static_cast<std::size_t>(i)] = data[static_cast<std::size_t>(start + i * stride)];
                }
                if (inverse) {
                    fft.inv(output.data(), input.data(), length);
                } else {
                    fft.fwd(output.data(), input.data(), length);
                }
                for (Eigen::Index i = 0; i < length; ++i) {
                    data[static_cast<std::size_t>(start + i * stride)] = output[static_cast<std::size_t>(i)];
                }
            }
        });
}

// Forward transform of binned data that is non-zero only on [0, occupied) along each axis: lines
// that are still all zero are skipped.
void forwardTransform(std::vector<Complex>& data, const Extent& lengths, const Extent& occupied,
                      std::size_t dimension) {
    AxisRange active;
    active.end = occupied;
    for (std::size_t axis = 0; axis < dimension; ++axis) {
        transformAxis(data, lengths, axis, false, active);
        active.end[axis] = lengths[axis];
    }
}

// Inverse transform when only the output nodes [begin, end) along each axis are wanted.
void inverseTransform(std::vector<Complex>& data, const Extent& lengths, const AxisRange& wanted,
                      std::size_t dimension) {
    AxisRange active;
    active.end = lengths;
    for (std::size_t axis = 0; axis < dimension; ++axis) {
        transformAxis(data, lengths, axis, true, active);
        active.begin[axis] = wanted.begin[axis];
        active.end[axis] = wanted.end[axis];
    }
}

// The unnormalised kernel k(u) on the padded grid, offsets stored circularly (offset −o at length − o).
std::vector<Complex> sampledKernel(const RadialKernel& kernel, const std::vector<AxisLayout>& layouts) {
    const Extent lengths = lengthsOf(layouts);
    std::vector<Complex> values(static_cast<std::size_t>(lengths[0] * lengths[1] * lengths[2]));
    Extent reach{0, 0, 0};
    std::array<double, maximumAxes> step{0.0, 0.0, 0.0}; // grid spacing in bandwidths
    for (std::size_t k = 0; k < layouts.size(); ++k) {
        reach[k] = layouts[k].kernelReach;
        step[k] = layouts[k].axis.spacing() / layouts[k].bandwidth;
    }
    const auto wrap = [&](std::size_t axis, Eigen::Index offset) {
        return offset < 0 ? offset + lengths[axis] : offset;
    };
    for (Eigen::Index third = -reach[2]; third <= reach[2]; ++third) {
        for (Eigen::Index second = -reach[1]; second <= reach[1]; ++second) {
            for (Eigen::Index first = -reach[0]; first <= reach[0]; ++first) {
                const double u = std::pow(static_cast<double>(first) * step[0], 2) +
                                 std::pow(static_cast<double>(second) * step[1], 2) +
                                 std::pow(static_cast<double>(third) * step[2], 2);
                values[static_cast<std::size_t>(
                    flatIndex(lengths, wrap(0, first), wrap(1, second), wrap(2, third)))] = kernel.value(u);
            }
        }
    }
    return values;
}

void checkInputs(const Eigen::MatrixXd& points, const std::vector<GridAxis>& axes,
                 const Eigen::VectorXd& weights) {
    checkGridAxes(axes);
    if (points.rows() == 0) {
        throw std::invalid_argument(
            "kernel density estimation needs at least one data point, but the data is empty");
    }
    if (static_cast<std::size_t>(points.cols()) != axes.size()) {
        std::ostringstream message;
        message << "the grid has " << axes.size() << " axes but the data has " << points.cols() << " columns";
        throw std::invalid_argument(message.str());
    }
    if (!points.allFinite()) {
        throw std::invalid_argument("the data points contain a value that is not a finite number");
    }
    if (weights.size() > 0 && (weights.size() != points.rows() || !weights.allFinite() ||
                               (weights.array() < 0.0).any() || weights.sum() <= 0.0)) {
        throw std::invalid_argument(
            "the weights must be one finite, non-negative value per point, not all zero");
    }
}

} // namespace

Eigen::VectorXd linearBinning(const Eigen::MatrixXd& points, const std::vector<GridAxis>& axes,
                              const Eigen::VectorXd& weights) {
    checkGridAxes(axes);
    if (static_cast<std::size_t>(points.cols()) != axes.size() ||
        (weights.size() > 0 && weights.size() != points.rows())) {
        throw std::invalid_argument(
            "linear binning: the points, the grid's axes and the weights do not match");
    }
    // No margin and no kernel: the padded layout is the grid itself.
    std::vector<AxisLayout> layouts;
    for (const GridAxis& axis : axes) {
        AxisLayout layout;
        layout.axis = axis;
        layout.length = axis.size;
        layouts.push_back(layout);
    }
    const std::vector<Complex> bins = linearBins(points, weights, layouts);
    Eigen::VectorXd values(static_cast<Eigen::Index>(bins.size()));
    for (std::size_t node = 0; node < bins.size(); ++node) {
        values(static_cast<Eigen::Index>(node)) = bins[node].real();
    }
    return values;
}

Eigen::Index fastFourierLength(Eigen::Index n) {
    for (Eigen::Index candidate = std::max<Eigen::Index>(n, 1);; ++candidate) {
        Eigen::Index rest = candidate;
        for (const Eigen::Index factor : {2, 3, 5}) {
            while (rest % factor == 0) {
                rest /= factor;
            }
        }
        if (rest == 1) {
            return candidate;
        }
    }
}

DensityGrid binnedDensity(const Eigen::MatrixXd& points, const RadialKernel& kernel,
                          const Bandwidth& bandwidth, const std::vector<GridAxis>& axes,
                          const BinnedDensityOptions& options, Progress& progress) {
    checkInputs(points, axes, options.weights);
    const auto dimension = static_cast<Eigen::Index>(axes.size());
    bandwidth.checkDimension(dimension);
    const auto exactFallback = [&] {
        KernelDensityOptions exactOptions;
        exactOptions.weights = options.weights;
        return exactDensityGrid(KernelDensity(points, kernel, bandwidth, exactOptions), axes, progress);
    };
    if (bandwidth.form() == Bandwidth::Form::Full) {
        return exactFallback();
    }
    const std::vector<AxisLayout> layouts =
        layoutAxes(points, kernel, bandwidth, axes, options.relativeTolerance);
    const Extent lengths = lengthsOf(layouts);
    if (lengths[0] * lengths[1] * lengths[2] > largestPaddedGrid) {
        return exactFallback();
    }

    progress.checkCanceled();
    std::vector<Complex> spectrum = linearBins(points, options.weights, layouts);
    std::vector<Complex> kernelSpectrum = sampledKernel(kernel, layouts);
    progress.report(0.1);
    Extent occupied{1, 1, 1};
    AxisRange output;
    for (std::size_t k = 0; k < layouts.size(); ++k) {
        occupied[k] = layouts[k].axis.size + 2 * layouts[k].margin;
        output.begin[k] = layouts[k].margin;
        output.end[k] = layouts[k].margin + layouts[k].axis.size;
    }
    forwardTransform(spectrum, lengths, occupied, layouts.size());
    progress.checkCanceled();
    progress.report(0.4);
    forwardTransform(kernelSpectrum, lengths, lengths, layouts.size());
    progress.checkCanceled();
    progress.report(0.7);
    for (std::size_t i = 0; i < spectrum.size(); ++i) {
        spectrum[i] *= kernelSpectrum[i];
    }
    inverseTransform(spectrum, lengths, output, layouts.size());
    progress.report(1.0);

    // c_d/|H|^{1/2}, the mean over the total weight, and the 1/N the unscaled inverse FFT leaves out.
    const double totalWeight =
        options.weights.size() > 0 ? options.weights.sum() : static_cast<double>(points.rows());
    const double scale = std::exp(kernel.logNormalization(static_cast<int>(dimension)) -
                                  bandwidth.logSquareRootDeterminant(dimension)) /
                         (totalWeight * static_cast<double>(lengths[0] * lengths[1] * lengths[2]));
    DensityGrid grid;
    grid.axes = axes;
    grid.binned = true;
    grid.values.resize(grid.nodeCount());
    Eigen::Index node = 0;
    for (Eigen::Index third = output.begin[2]; third < output.end[2]; ++third) {
        for (Eigen::Index second = output.begin[1]; second < output.end[1]; ++second) {
            for (Eigen::Index first = output.begin[0]; first < output.end[0]; ++first) {
                // Round-off of the FFT can leave tiny negative values where the density is ~0.
                const double value =
                    spectrum[static_cast<std::size_t>(flatIndex(lengths, first, second, third))].real();
                grid.values[node++] = std::max(0.0, value * scale);
            }
        }
    }
    return grid;
}

DensityGrid binnedDensity(const Eigen::MatrixXd& points, const RadialKernel& kernel,
                          const Bandwidth& bandwidth, const std::vector<GridAxis>& axes,
                          const BinnedDensityOptions& options) {
    SilentProgress progress;
    return binnedDensity(points, kernel, bandwidth, axes, options, progress);
}

DensityGrid exactDensityGrid(const KernelDensity& density, const std::vector<GridAxis>& axes,
                             Progress& progress) {
    checkGridAxes(axes);
    DensityGrid grid;
    grid.axes = axes;
    grid.binned = false;
    grid.values = density.evaluate(grid.nodes(), progress).density;
    return grid;
}

DensityGrid exactDensityGrid(const KernelDensity& density, const std::vector<GridAxis>& axes) {
    SilentProgress progress;
    return exactDensityGrid(density, axes, progress);
}

} // namespace locallab
