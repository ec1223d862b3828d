#pragma once
// The frame of a 2-D plot: a box around the data, outward ticks at 1-2-5 steps with numeric labels,
// and the axis titles.

#include "locallab/widgets/plot_overlay_items.hpp"

#include <string>

namespace locallab {

struct AxisRange {
    double minimum = 0.0;
    double maximum = 1.0;
};

struct AxesContent {
    AxisRange x;
    AxisRange y;
    std::string xTitle;
    std::string yTitle;
};

// Space the y tick labels need to the left of the frame, in device pixels.
double yTickLabelWidth(const AxisRange& y, double frameHeight, const OverlayStyle& style);
// Space below the frame for ticks, tick labels and the x title; and left of it for the y title.
double xAxisBandHeight(const AxesContent& content, const OverlayStyle& style);
double yTitleBandWidth(const AxesContent& content, const OverlayStyle& style);

void drawAxes2D(const AxesContent& content, const PixelRect& frame, const OverlayStyle& style,
                OverlayShapes& shapes, OverlayTexts& texts);

} // namespace locallab
