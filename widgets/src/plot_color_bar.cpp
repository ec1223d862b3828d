#include "locallab/widgets/plot_color_bar.hpp"

#include "locallab/widgets/nice_ticks.hpp"

#include <algorithm>

namespace locallab {

namespace {

// Logical pixels.
constexpr double stripWidth = 22.0;
constexpr double tickLength = 6.0;
constexpr double tickGap = 4.0;
constexpr double titleGap = 8.0;
constexpr double outlineThickness = 1.0;
// The strip is drawn as this many bands; more than a screen can tell apart at bar heights in use.
constexpr int bandCount = 128;

TickSet colorBarTicks(const ColorBarContent& content, double height, double pixelScale) {
    const int count = std::clamp(static_cast<int>(height / (60.0 * pixelScale)), 2, 8);
    return niceTicks(content.range.minimum, content.range.maximum, count);
}

} // namespace

double colorBarWidth(const ColorBarContent& content, const OverlayStyle& style) {
    const TickSet ticks = niceTicks(content.range.minimum, content.range.maximum, 6);
    double widest = 0.0;
    for (const double value : ticks.values) {
        widest =
            std::max(widest, measureText(formatTick(value, ticks.step), style.fonts.tickLabel, style.dpi)[0]);
    }
    return (stripWidth + tickLength + tickGap) * style.pixelScale + widest;
}

double colorBarTitleHeight(const ColorBarContent& content, const OverlayStyle& style) {
    if (content.title.empty()) {
        return 0.0;
    }
    return measureText(content.title, style.fonts.axisTitle, style.dpi)[1] + titleGap * style.pixelScale;
}

PixelRect drawColorBar(const ColorBarContent& content, const PixelRect& area, const OverlayStyle& style,
                       OverlayShapes& shapes, OverlayTexts& texts) {
    const double scale = style.pixelScale;
    const double titleHeight = colorBarTitleHeight(content, style);
    const PixelRect strip{area.x, area.y, stripWidth * scale, std::max(0.0, area.height - titleHeight)};
    if (strip.height <= 0.0) {
        return strip;
    }
    for (int band = 0; band < bandCount; ++band) {
        const double bottom = strip.y + strip.height * band / bandCount;
        const double top = strip.y + strip.height * (band + 1) / bandCount;
        // The end bands carry the map's end colours exactly.
        const double t = static_cast<double>(band) / (bandCount - 1);
        shapes.addRectangle({strip.x, bottom, strip.width, top - bottom}, colorMapAt(content.map, t));
    }
    const double thickness = outlineThickness * scale;
    const Rgb& ink = style.foreground;
    shapes.addSegment(strip.x, strip.y, strip.right(), strip.y, thickness, ink);
    shapes.addSegment(strip.x, strip.top(), strip.right(), strip.top(), thickness, ink);
    shapes.addSegment(strip.x, strip.y, strip.x, strip.top(), thickness, ink);
    shapes.addSegment(strip.right(), strip.y, strip.right(), strip.top(), thickness, ink);

    const double span = content.range.maximum - content.range.minimum;
    if (span > 0.0) {
        const TickSet ticks = colorBarTicks(content, strip.height, scale);
        for (const double value : ticks.values) {
            const double pixel = strip.y + (value - content.range.minimum) / span * strip.height;
            shapes.addSegment(strip.right(), pixel, strip.right() + tickLength * scale, pixel, thickness,
                              ink);
            texts.add(formatTick(value, ticks.step), strip.right() + (tickLength + tickGap) * scale, pixel,
                      style.fonts.tickLabel, ink, TextAnchor::Left);
        }
    }
    if (!content.title.empty()) {
        texts.add(content.title, strip.x, strip.top() + titleGap * scale, style.fonts.axisTitle, ink,
                  TextAnchor::BottomLeft);
    }
    return strip;
}

} // namespace locallab
