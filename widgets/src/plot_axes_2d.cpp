#include "locallab/widgets/plot_axes_2d.hpp"

#include "locallab/widgets/nice_ticks.hpp"

#include <algorithm>
#include <cmath>

namespace locallab {

namespace {

// Logical pixels.
constexpr double tickLength = 7.0;
constexpr double tickGap = 4.0;
constexpr double titleGap = 10.0;
constexpr double frameThickness = 1.5;
// One tick per this many logical pixels reads comfortably.
constexpr double pixelsPerXTick = 110.0;
constexpr double pixelsPerYTick = 70.0;

int tickCountFor(double lengthPixels, double pixelsPerTick, double pixelScale) {
    return std::clamp(static_cast<int>(lengthPixels / (pixelsPerTick * pixelScale)), 2, 10);
}

} // namespace

double yTickLabelWidth(const AxisRange& y, double frameHeight, const OverlayStyle& style) {
    const TickSet ticks =
        niceTicks(y.minimum, y.maximum, tickCountFor(frameHeight, pixelsPerYTick, style.pixelScale));
    double widest = 0.0;
    for (const double value : ticks.values) {
        widest =
            std::max(widest, measureText(formatTick(value, ticks.step), style.fonts.tickLabel, style.dpi)[0]);
    }
    return widest + (tickLength + tickGap) * style.pixelScale;
}

double xAxisBandHeight(const AxesContent& content, const OverlayStyle& style) {
    const double labelHeight = measureText("0.5", style.fonts.tickLabel, style.dpi)[1];
    const double titleHeight =
        content.xTitle.empty() ? 0.0 : measureText(content.xTitle, style.fonts.axisTitle, style.dpi)[1];
    return (tickLength + tickGap + titleGap) * style.pixelScale + labelHeight + titleHeight;
}

double yTitleBandWidth(const AxesContent& content, const OverlayStyle& style) {
    if (content.yTitle.empty()) {
        return 0.0;
    }
    // Rotated by 90°, the title's height becomes its width.
    return measureText(content.yTitle, style.fonts.axisTitle, style.dpi)[1] + titleGap * style.pixelScale;
}

void drawAxes2D(const AxesContent& content, const PixelRect& frame, const OverlayStyle& style,
                OverlayShapes& shapes, OverlayTexts& texts) {
    const double scale = style.pixelScale;
    const double thickness = frameThickness * scale;
    const Rgb& ink = style.foreground;
    shapes.addSegment(frame.x, frame.y, frame.right(), frame.y, thickness, ink);
    shapes.addSegment(frame.x, frame.top(), frame.right(), frame.top(), thickness, ink);
    shapes.addSegment(frame.x, frame.y, frame.x, frame.top(), thickness, ink);
    shapes.addSegment(frame.right(), frame.y, frame.right(), frame.top(), thickness, ink);

    const auto xToPixel = [&](double value) {
        return frame.x + (value - content.x.minimum) / (content.x.maximum - content.x.minimum) * frame.width;
    };
    const auto yToPixel = [&](double value) {
        return frame.y + (value - content.y.minimum) / (content.y.maximum - content.y.minimum) * frame.height;
    };

    const TickSet xTicks =
        niceTicks(content.x.minimum, content.x.maximum, tickCountFor(frame.width, pixelsPerXTick, scale));
    for (const double value : xTicks.values) {
        const double pixel = xToPixel(value);
        shapes.addSegment(pixel, frame.y, pixel, frame.y - tickLength * scale, thickness, ink);
        texts.add(formatTick(value, xTicks.step), pixel, frame.y - (tickLength + tickGap) * scale,
                  style.fonts.tickLabel, ink, TextAnchor::Top);
    }
    const TickSet yTicks =
        niceTicks(content.y.minimum, content.y.maximum, tickCountFor(frame.height, pixelsPerYTick, scale));
    double widestYLabel = 0.0;
    for (const double value : yTicks.values) {
        const double pixel = yToPixel(value);
        const std::string label = formatTick(value, yTicks.step);
        widestYLabel = std::max(widestYLabel, measureText(label, style.fonts.tickLabel, style.dpi)[0]);
        shapes.addSegment(frame.x, pixel, frame.x - tickLength * scale, pixel, thickness, ink);
        texts.add(label, frame.x - (tickLength + tickGap) * scale, pixel, style.fonts.tickLabel, ink,
                  TextAnchor::Right);
    }

    if (!content.xTitle.empty()) {
        const double labelHeight = measureText("0.5", style.fonts.tickLabel, style.dpi)[1];
        const double titleTop = frame.y - (tickLength + tickGap + titleGap) * scale - labelHeight;
        texts.add(content.xTitle, frame.x + 0.5 * frame.width, titleTop, style.fonts.axisTitle, ink,
                  TextAnchor::Top);
    }
    if (!content.yTitle.empty()) {
        const double titleRight = frame.x - (tickLength + tickGap + titleGap) * scale - widestYLabel;
        // Rotated text reads bottom to top; Bottom anchoring puts its baseline side at titleRight.
        texts.add(content.yTitle, titleRight, frame.y + 0.5 * frame.height, style.fonts.axisTitle, ink,
                  TextAnchor::Bottom, 90.0);
    }
}

} // namespace locallab
