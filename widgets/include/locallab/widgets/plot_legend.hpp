#pragma once
// A legend: one row per category, a disc in the category's colour and its name.

#include "locallab/widgets/plot_overlay_items.hpp"

#include <string>
#include <vector>

namespace locallab {

struct LegendEntry {
    std::string name;
    Rgb color;
};

// Width and height in device pixels.
std::array<double, 2> legendSize(const std::vector<LegendEntry>& entries, const OverlayStyle& style);

// Draws the legend with its top-left corner at (left, top); returns the rectangle it covers.
PixelRect drawLegend(const std::vector<LegendEntry>& entries, double left, double top,
                     const OverlayStyle& style, OverlayShapes& shapes, OverlayTexts& texts);

} // namespace locallab
