#include "locallab/meanshift/image_mean_shift.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace locallab {

ImageArray ImageArray::filled(int width, int height, int channels, float value) {
    ImageArray image;
    image.width = width;
    image.height = height;
    image.channels = channels;
    if (!image.empty()) {
        image.values.assign(image.pixelCount() * static_cast<std::size_t>(channels), value);
    }
    return image;
}

namespace {

// Filtering is nearly all of the work; the rest of the bar is segmentation.
constexpr double filteringShareOfProgress = 0.9;

void checkPositiveFinite(double value, const std::string& what) {
    if (!std::isfinite(value) || value <= 0.0) {
        throw std::invalid_argument(what + " must be a positive number");
    }
}

void checkInput(const ImageArray& image, const ImageMeanShiftOptions& options) {
    if (image.empty()) {
        throw std::invalid_argument("the image is empty; MeanShift filtering needs at least one pixel");
    }
    if (image.values.size() != image.pixelCount() * static_cast<std::size_t>(image.channels)) {
        throw std::invalid_argument(
            "the image holds " + std::to_string(image.values.size()) + " values, but its size needs " +
            std::to_string(image.pixelCount() * static_cast<std::size_t>(image.channels)));
    }
    if (!std::all_of(image.values.begin(), image.values.end(), [](float v) { return std::isfinite(v); })) {
        throw std::invalid_argument("the image contains NaN or infinite values");
    }
    checkPositiveFinite(options.spatialBandwidth, "the spatial bandwidth h_s");
    checkPositiveFinite(options.rangeBandwidth, "the range bandwidth h_r");
    if (options.maxIterations < 0) {
        throw std::invalid_argument("the number of iterations cannot be negative");
    }
    if (!std::isfinite(options.stopDistance) || options.stopDistance < 0.0) {
        throw std::invalid_argument("the stopping distance must be a non-negative number");
    }
    if (options.minimumRegionArea < 0) {
        throw std::invalid_argument("the minimum region area cannot be negative");
    }
}

// The shadow profiles the inner loop calls once per pixel visited; the common ones are inlined here
// rather than going through RadialKernel's switch. They agree with RadialKernel::shadow.
struct UniformShadow {
    double operator()(double u) const { return u <= 1.0 ? 1.0 : 0.0; }
};
struct EpanechnikovShadow {
    double operator()(double u) const { return u < 1.0 ? 1.0 : 0.0; }
};
struct GaussianShadow {
    double operator()(double u) const { return 0.5 * std::exp(-0.5 * u); }
};
struct AnyShadow {
    RadialKernel kernel;
    double operator()(double u) const { return kernel.shadow(u); }
};

// One pixel's climb in the joint domain. Channels is the channel count when known at compile time
// (1 for grey, 3 for colour, which lets the compiler unroll the range distance), 0 otherwise.
template <int Channels, typename Shadow>
class JointClimb {
public:
    JointClimb(const ImageArray& image, const ImageMeanShiftOptions& options, Shadow shadow)
        : image_(image), shadow_(shadow), compact_(options.kernel.isCompact()),
          spatialBandwidth_(options.spatialBandwidth),
          inverseSpatialSquared_(1.0 / (options.spatialBandwidth * options.spatialBandwidth)),
          inverseRangeSquared_(1.0 / (options.rangeBandwidth * options.rangeBandwidth)),
          stopSquared_(options.stopDistance * options.stopDistance), maxIterations_(options.maxIterations) {}

    int channels() const { return Channels > 0 ? Channels : image_.channels; }

    // Climbs from pixel (px, py) and writes the range of the convergence point to `range`, which
    // must hold channels() values; `sums` is scratch of the same size.
    void run(int px, int py, double* range, double* sums) const {
        const int count = channels();
        const float* start = image_.values.data() + image_.index(px, py, 0);
        std::copy(start, start + count, range);
        double x = px;
        double y = py;
        for (int iteration = 0; iteration < maxIterations_; ++iteration) {
            double weightSum = 0.0;
            double xSum = 0.0;
            double ySum = 0.0;
            std::fill(sums, sums + count, 0.0);
            accumulateWindow(x, y, range, weightSum, xSum, ySum, sums);
            if (weightSum <= 0.0) {
                return; // nothing within reach (only possible for compact kernels): stay
            }
            const double nextX = xSum / weightSum;
            const double nextY = ySum / weightSum;
            double rangeStep = 0.0;
            for (int c = 0; c < count; ++c) {
                const double next = sums[c] / weightSum;
                rangeStep += (next - range[c]) * (next - range[c]);
                range[c] = next;
            }
            const double step =
                ((nextX - x) * (nextX - x) + (nextY - y) * (nextY - y)) * inverseSpatialSquared_ +
                rangeStep * inverseRangeSquared_;
            x = nextX;
            y = nextY;
            if (step < stopSquared_) {
                return;
            }
        }
    }

private:
    // Σ g(u)·(x, y, r) and Σ g(u) over the square window |Δx|, |Δy| ≤ h_s around (x, y).
    void accumulateWindow(double x, double y, const double* range, double& weightSum, double& xSum,
                          double& ySum, double* sums) const {
        const int count = channels();
        const int left = std::max(0, static_cast<int>(std::ceil(x - spatialBandwidth_)));
        const int right = std::min(image_.width - 1, static_cast<int>(std::floor(x + spatialBandwidth_)));
        const int top = std::max(0, static_cast<int>(std::ceil(y - spatialBandwidth_)));
        const int bottom = std::min(image_.height - 1, static_cast<int>(std::floor(y + spatialBandwidth_)));
        for (int qy = top; qy <= bottom; ++qy) {
            const double uy = (qy - y) * (qy - y) * inverseSpatialSquared_;
            if (compact_ && uy > 1.0) {
                continue;
            }
            const float* row = image_.values.data() + image_.index(0, qy, 0);
            for (int qx = left; qx <= right; ++qx) {
                const double uxy = uy + (qx - x) * (qx - x) * inverseSpatialSquared_;
                if (compact_ && uxy > 1.0) {
                    continue; // outside the ellipsoid whatever the range
                }
                const float* value = row + static_cast<std::ptrdiff_t>(qx) * count;
                double rangeDistance = 0.0;
                for (int c = 0; c < count; ++c) {
                    const double difference = value[c] - range[c];
                    rangeDistance += difference * difference;
                }
                const double weight = shadow_(uxy + rangeDistance * inverseRangeSquared_);
                if (weight > 0.0) {
                    weightSum += weight;
                    xSum += weight * qx;
                    ySum += weight * qy;
                    for (int c = 0; c < count; ++c) {
                        sums[c] += weight * value[c];
                    }
                }
            }
        }
    }

    const ImageArray& image_;
    Shadow shadow_;
    bool compact_;
    double spatialBandwidth_;
    double inverseSpatialSquared_;
    double inverseRangeSquared_;
    double stopSquared_;
    int maxIterations_;
};

template <int Channels, typename Shadow>
ImageArray filterWith(const ImageArray& image, const ImageMeanShiftOptions& options, Shadow shadow,
                      Progress& progress) {
    const JointClimb<Channels, Shadow> climb(image, options, shadow);
    ImageArray filtered = ImageArray::filled(image.width, image.height, image.channels);
    std::atomic<int> rowsDone{0};
    tbb::parallel_for(tbb::blocked_range<int>(0, image.height, 1), [&](const tbb::blocked_range<int>& rows) {
        std::vector<double> range(static_cast<std::size_t>(image.channels));
        std::vector<double> sums(static_cast<std::size_t>(image.channels));
        for (int y = rows.begin(); y != rows.end(); ++y) {
            progress.checkCanceled();
            for (int x = 0; x < image.width; ++x) {
                climb.run(x, y, range.data(), sums.data());
                for (int c = 0; c < image.channels; ++c) {
                    filtered.at(x, y, c) = static_cast<float>(range[static_cast<std::size_t>(c)]);
                }
            }
            const int done = rowsDone.fetch_add(1) + 1;
            progress.report(filteringShareOfProgress * double(done) / double(image.height));
        }
    });
    progress.checkCanceled();
    return filtered;
}

template <typename Shadow>
ImageArray filterWithShadow(const ImageArray& image, const ImageMeanShiftOptions& options, Shadow shadow,
                            Progress& progress) {
    switch (image.channels) {
    case 1:
        return filterWith<1>(image, options, shadow, progress);
    case 3:
        return filterWith<3>(image, options, shadow, progress);
    default:
        return filterWith<0>(image, options, shadow, progress);
    }
}

ImageArray filterImage(const ImageArray& image, const ImageMeanShiftOptions& options, Progress& progress) {
    switch (options.kernel.profile()) {
    case KernelProfile::Uniform:
        return filterWithShadow(image, options, UniformShadow{}, progress);
    case KernelProfile::Epanechnikov:
        return filterWithShadow(image, options, EpanechnikovShadow{}, progress);
    case KernelProfile::Gaussian:
        return filterWithShadow(image, options, GaussianShadow{}, progress);
    default:
        return filterWithShadow(image, options, AnyShadow{options.kernel}, progress);
    }
}

double squaredRangeDistance(const ImageArray& image, std::size_t a, std::size_t b) {
    const auto channels = static_cast<std::size_t>(image.channels);
    double distance = 0.0;
    for (std::size_t c = 0; c < channels; ++c) {
        const double difference =
            double(image.values[a * channels + c]) - double(image.values[b * channels + c]);
        distance += difference * difference;
    }
    return distance;
}

// The paper's fusion of basins, in its usual simplified form: 4-neighbours whose converged ranges
// differ by less than h_r/2 belong to one segment. Labels are numbered in order of first pixel.
std::vector<int> connectSimilarNeighbours(const ImageArray& filtered, double rangeBandwidth,
                                          int& regionCount) {
    const double thresholdSquared = 0.25 * rangeBandwidth * rangeBandwidth;
    const int width = filtered.width;
    std::vector<int> labels(filtered.pixelCount(), -1);
    std::vector<std::size_t> stack;
    regionCount = 0;
    for (std::size_t seed = 0; seed < labels.size(); ++seed) {
        if (labels[seed] >= 0) {
            continue;
        }
        labels[seed] = regionCount;
        stack.push_back(seed);
        while (!stack.empty()) {
            const std::size_t pixel = stack.back();
            stack.pop_back();
            const int x = static_cast<int>(pixel % static_cast<std::size_t>(width));
            const int y = static_cast<int>(pixel / static_cast<std::size_t>(width));
            const std::array<std::array<int, 2>, 4> neighbours{
                {{x - 1, y}, {x + 1, y}, {x, y - 1}, {x, y + 1}}};
            for (const auto& [nx, ny] : neighbours) {
                if (nx < 0 || ny < 0 || nx >= width || ny >= filtered.height) {
                    continue;
                }
                const std::size_t neighbour = static_cast<std::size_t>(ny) * static_cast<std::size_t>(width) +
                                              static_cast<std::size_t>(nx);
                if (labels[neighbour] < 0 &&
                    squaredRangeDistance(filtered, pixel, neighbour) < thresholdSquared) {
                    labels[neighbour] = regionCount;
                    stack.push_back(neighbour);
                }
            }
        }
        ++regionCount;
    }
    return labels;
}

struct RegionStatistics {
    std::vector<long long> area;
    std::vector<double> sums; // regionCount × channels
};

RegionStatistics regionStatistics(const ImageArray& filtered, const std::vector<int>& labels,
                                  int regionCount) {
    const auto channels = static_cast<std::size_t>(filtered.channels);
    RegionStatistics statistics;
    statistics.area.assign(static_cast<std::size_t>(regionCount), 0);
    statistics.sums.assign(static_cast<std::size_t>(regionCount) * channels, 0.0);
    for (std::size_t pixel = 0; pixel < labels.size(); ++pixel) {
        const auto region = static_cast<std::size_t>(labels[pixel]);
        ++statistics.area[region];
        for (std::size_t c = 0; c < channels; ++c) {
            statistics.sums[region * channels + c] += filtered.values[pixel * channels + c];
        }
    }
    return statistics;
}

// Each region's distinct 4-neighbour regions.
std::vector<std::vector<int>> regionAdjacency(const std::vector<int>& labels, int width, int height,
                                              int regionCount) {
    std::vector<std::vector<int>> adjacency(static_cast<std::size_t>(regionCount));
    auto link = [&](int a, int b) {
        if (a != b) {
            adjacency[static_cast<std::size_t>(a)].push_back(b);
            adjacency[static_cast<std::size_t>(b)].push_back(a);
        }
    };
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            const std::size_t pixel =
                static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x);
            if (x + 1 < width) {
                link(labels[pixel], labels[pixel + 1]);
            }
            if (y + 1 < height) {
                link(labels[pixel], labels[pixel + static_cast<std::size_t>(width)]);
            }
        }
    }
    for (auto& neighbours : adjacency) {
        std::sort(neighbours.begin(), neighbours.end());
        neighbours.erase(std::unique(neighbours.begin(), neighbours.end()), neighbours.end());
    }
    return adjacency;
}

class DisjointSets {
public:
    explicit DisjointSets(int count) : parent_(static_cast<std::size_t>(count)) {
        std::iota(parent_.begin(), parent_.end(), 0);
    }
    int find(int element) {
        while (parent_[static_cast<std::size_t>(element)] != element) {
            auto& parent = parent_[static_cast<std::size_t>(element)];
            parent = parent_[static_cast<std::size_t>(parent)]; // path halving
            element = parent;
        }
        return element;
    }
    void attach(int child, int root) { parent_[static_cast<std::size_t>(child)] = root; }

private:
    std::vector<int> parent_;
};

// Renumbers labels through the sets' roots, in order of first pixel.
int relabelByRoots(std::vector<int>& labels, DisjointSets& sets, int regionCount) {
    std::vector<int> newLabel(static_cast<std::size_t>(regionCount), -1);
    int count = 0;
    for (int& label : labels) {
        int& renamed = newLabel[static_cast<std::size_t>(sets.find(label))];
        if (renamed < 0) {
            renamed = count++;
        }
        label = renamed;
    }
    return count;
}

// One pass: every region still smaller than minimumArea, smallest first, joins the adjacent region whose
// mean is closest. Returns whether anything was merged.
bool mergeSmallRegionsOnce(const ImageArray& filtered, std::vector<int>& labels, int& regionCount,
                           int minimumArea, Progress& progress) {
    const auto channels = static_cast<std::size_t>(filtered.channels);
    RegionStatistics statistics = regionStatistics(filtered, labels, regionCount);
    std::vector<int> small;
    for (int region = 0; region < regionCount; ++region) {
        if (statistics.area[static_cast<std::size_t>(region)] < minimumArea) {
            small.push_back(region);
        }
    }
    if (small.empty() || regionCount < 2) {
        return false;
    }
    std::stable_sort(small.begin(), small.end(), [&](int a, int b) {
        return statistics.area[static_cast<std::size_t>(a)] < statistics.area[static_cast<std::size_t>(b)];
    });
    const auto adjacency = regionAdjacency(labels, filtered.width, filtered.height, regionCount);
    DisjointSets sets(regionCount);
    auto squaredMeanDistance = [&](int a, int b) {
        double distance = 0.0;
        const double areaA = double(statistics.area[static_cast<std::size_t>(a)]);
        const double areaB = double(statistics.area[static_cast<std::size_t>(b)]);
        for (std::size_t c = 0; c < channels; ++c) {
            const double difference = statistics.sums[static_cast<std::size_t>(a) * channels + c] / areaA -
                                      statistics.sums[static_cast<std::size_t>(b) * channels + c] / areaB;
            distance += difference * difference;
        }
        return distance;
    };
    bool merged = false;
    for (const int region : small) {
        progress.checkCanceled();
        const int root = sets.find(region);
        if (statistics.area[static_cast<std::size_t>(root)] >= minimumArea) {
            continue; // grown big enough by regions merged into it earlier in this pass
        }
        int closest = -1;
        double closestDistance = 0.0;
        for (const int neighbour : adjacency[static_cast<std::size_t>(region)]) {
            const int neighbourRoot = sets.find(neighbour);
            if (neighbourRoot == root) {
                continue;
            }
            const double distance = squaredMeanDistance(root, neighbourRoot);
            if (closest < 0 || distance < closestDistance) {
                closest = neighbourRoot;
                closestDistance = distance;
            }
        }
        if (closest < 0) {
            continue;
        }
        sets.attach(root, closest);
        statistics.area[static_cast<std::size_t>(closest)] += statistics.area[static_cast<std::size_t>(root)];
        for (std::size_t c = 0; c < channels; ++c) {
            statistics.sums[static_cast<std::size_t>(closest) * channels + c] +=
                statistics.sums[static_cast<std::size_t>(root) * channels + c];
        }
        merged = true;
    }
    regionCount = relabelByRoots(labels, sets, regionCount);
    return merged;
}

void segment(ImageMeanShiftResult& result, const ImageMeanShiftOptions& options, Progress& progress) {
    const ImageArray& filtered = result.filtered;
    result.regionLabels = connectSimilarNeighbours(filtered, options.rangeBandwidth, result.regionCount);
    // Every pass at least doubles the area of each remaining small region that has a neighbour, so
    // this ends after about log2(minimumRegionArea) passes.
    while (mergeSmallRegionsOnce(filtered, result.regionLabels, result.regionCount, options.minimumRegionArea,
                                 progress)) {
    }
    const auto channels = static_cast<std::size_t>(filtered.channels);
    const RegionStatistics statistics = regionStatistics(filtered, result.regionLabels, result.regionCount);
    result.regionMeans.assign(static_cast<std::size_t>(result.regionCount), std::vector<float>(channels));
    for (std::size_t region = 0; region < result.regionMeans.size(); ++region) {
        for (std::size_t c = 0; c < channels; ++c) {
            result.regionMeans[region][c] =
                static_cast<float>(statistics.sums[region * channels + c] / double(statistics.area[region]));
        }
    }
    result.segmented = ImageArray::filled(filtered.width, filtered.height, filtered.channels);
    for (std::size_t pixel = 0; pixel < result.regionLabels.size(); ++pixel) {
        const auto& mean = result.regionMeans[static_cast<std::size_t>(result.regionLabels[pixel])];
        std::copy(mean.begin(), mean.end(),
                  result.segmented.values.begin() + static_cast<std::ptrdiff_t>(pixel * channels));
    }
}

} // namespace

ImageMeanShiftResult meanShiftFilterImage(const ImageArray& image, const ImageMeanShiftOptions& options,
                                          Progress& progress) {
    checkInput(image, options);
    ImageMeanShiftResult result;
    result.filtered = filterImage(image, options, progress);
    segment(result, options, progress);
    progress.report(1.0);
    return result;
}

ImageMeanShiftResult meanShiftFilterImage(const ImageArray& image, const ImageMeanShiftOptions& options) {
    SilentProgress progress;
    return meanShiftFilterImage(image, options, progress);
}

} // namespace locallab
