#pragma once
// MeanShift filtering and segmentation of an image in the joint spatial-range domain (Comaniciu & Meer,
// "Mean shift: a robust approach toward feature space analysis", 2002). Every pixel is a point
// (x, y, r) with r its range vector (grey value or colour). Each pixel climbs the density of these
// points with one radial kernel on u = (Δx² + Δy²)/h_s² + |Δr|²/h_r²; the filtered pixel keeps its
// position and takes the range of the point it converged to, which smooths within regions and keeps
// edges whose step is larger than h_r. Neighbouring pixels whose converged ranges are close form
// segments; segments smaller than a minimum area join the adjacent segment of the closest mean.

#include "locallab/kernel/radial_kernel.hpp"
#include "locallab/util/progress.hpp"

#include <cstddef>
#include <vector>

namespace locallab {

// A picture as plain numbers: row-major, channels interleaved (RGBRGB… for colour), y = 0 on top.
struct ImageArray {
    int width = 0;
    int height = 0;
    int channels = 1;
    std::vector<float> values;

    // An image of this size with every value set to `value`.
    static ImageArray filled(int width, int height, int channels, float value = 0.0f);

    bool empty() const { return width <= 0 || height <= 0 || channels <= 0; }
    std::size_t pixelCount() const {
        return static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
    }
    std::size_t index(int x, int y, int channel) const {
        return (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)) *
                   static_cast<std::size_t>(channels) +
               static_cast<std::size_t>(channel);
    }
    float at(int x, int y, int channel) const { return values[index(x, y, channel)]; }
    float& at(int x, int y, int channel) { return values[index(x, y, channel)]; }
};

struct ImageMeanShiftOptions {
    double spatialBandwidth = 8.0; // h_s in pixels: the window is the square |Δx|, |Δy| ≤ h_s
    double rangeBandwidth = 16.0;  // h_r in the units of the values (0..255 for 8-bit pictures)
    // Weights are the kernel's shadow g(u) on the joint u above; the uniform kernel is the paper's.
    RadialKernel kernel{KernelProfile::Uniform};
    int maxIterations = 20;
    double stopDistance = 0.1;  // a pixel stops when its step, in units of (h_s, h_r), is below this
    int minimumRegionArea = 20; // smaller segments are merged into the adjacent one of closest mean
};

struct ImageMeanShiftResult {
    ImageArray filtered;           // each pixel's range replaced by that of its convergence point
    ImageArray segmented;          // each pixel replaced by the mean filtered range of its segment
    std::vector<int> regionLabels; // per pixel (row-major), 0..regionCount−1 in order of first pixel
    int regionCount = 0;
    std::vector<std::vector<float>> regionMeans; // per segment, the mean filtered range (channels values)
};

// Runs in parallel over rows and checks progress for cancellation once per row (throws
// OperationCanceled). Throws std::invalid_argument for an empty image, values that are not finite,
// bandwidths that are not positive and finite, or a negative iteration count or region area.
ImageMeanShiftResult meanShiftFilterImage(const ImageArray& image, const ImageMeanShiftOptions& options,
                                          Progress& progress);
ImageMeanShiftResult meanShiftFilterImage(const ImageArray& image, const ImageMeanShiftOptions& options);

} // namespace locallab
