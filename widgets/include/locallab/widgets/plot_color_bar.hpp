#pragma once
// A colour bar: the colour map as a vertical strip, ticks with values on its right, a title above.

#include "locallab/widgets/plot_axes_2d.hpp"

#include <string>

namespace locallab {

struct ColorBarContent {
    ColorMap map = ColorMap::Viridis;
    AxisRange range;
    std::string title;
};

// Width in device pixels of strip, ticks and labels (the title may be wider; it is centred).
double colorBarWidth(const ColorBarContent& content, const OverlayStyle& style);
double colorBarTitleHeight(const ColorBarContent& content, const OverlayStyle& style);

// Draws the strip inside `area` (title above the strip, labels right of it); returns the strip's
// rectangle, where the colours are.
PixelRect drawColorBar(const ColorBarContent& content, const PixelRect& area, const OverlayStyle& style,
                       OverlayShapes& shapes, OverlayTexts& texts);

} // namespace locallab
