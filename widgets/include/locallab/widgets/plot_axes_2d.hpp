#pragma once
// The frame of a 2-D plot: a box around the data, outward ticks at 1-2-5 steps with numeric labels
// (or ticks the caller names, such as the tokens along a matrix), and the axis titles.

#include "locallab/widgets/plot_overlay_items.hpp"

#include <string>
#include <vector>

namespace locallab {

struct AxisRange {
    double minimum = 0.0;
    double maximum = 1.0;
};

// A tick placed by the caller with its own label, in place of the numeric ticks.
struct NamedTick {
    double value = 0.0;
    std::string label;
};

struct AxesContent {
    AxisRange x;
    AxisRange y;
    std::string xTitle;
    std::string yTitle;
    // When not empty (values ascending), these replace the numeric ticks of their axis. Ticks outside the
    // range are left out, and while neighbouring labels would overlap only every k-th one is written.
    std::vector<NamedTick> xNamedTicks;
    std::vector<NamedTick> yNamedTicks;
    // The named x labels written upwards (rotated 90°): they fit more densely when wider than tall.
    bool xLabelsUpright = false;
};

// The tick labels of one frame, left to right and bottom to top.
struct DrawnTickLabels {
    std::vector<std::string> x;
    std::vector<std::string> y;
};

// Space the y tick labels need to the left of the frame, in device pixels.
double yTickLabelWidth(const AxisRange& y, double frameHeight, const OverlayStyle& style);
// The same for named y ticks when the content has them.
double yTickLabelWidth(const AxesContent& content, double frameHeight, const OverlayStyle& style);
// Whether the named x labels should stand upright in a frame this wide showing all of them: side by side
// they would overlap.
bool namedXLabelsNeedUpright(const AxesContent& content, double frameWidth, const OverlayStyle& style);
// Space below the frame for ticks, tick labels and the x title; and left of it for the y title.
double xAxisBandHeight(const AxesContent& content, const OverlayStyle& style);
double yTitleBandWidth(const AxesContent& content, const OverlayStyle& style);

DrawnTickLabels drawAxes2D(const AxesContent& content, const PixelRect& frame, const OverlayStyle& style,
                           OverlayShapes& shapes, OverlayTexts& texts);

} // namespace locallab
