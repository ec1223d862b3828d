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

// Logical pixels between two named labels.
constexpr double namedLabelGap = 4.0;

int tickCountFor(double lengthPixels, double pixelsPerTick, double pixelScale) {
    return std::clamp(static_cast<int>(lengthPixels / (pixelsPerTick * pixelScale)), 2, 10);
}

double widestLabel(const std::vector<NamedTick>& ticks, const OverlayStyle& style) {
    double widest = 0.0;
    for (const NamedTick& tick : ticks) {
        widest = std::max(widest, measureText(tick.label, style.fonts.tickLabel, style.dpi)[0]);
    }
    return widest;
}

double labelHeight(const OverlayStyle& style) {
    return measureText("0.5", style.fonts.tickLabel, style.dpi)[1];
}

// The named ticks inside the range.
std::vector<NamedTick> visibleTicks(const std::vector<NamedTick>& ticks, const AxisRange& range) {
    std::vector<NamedTick> visible;
    for (const NamedTick& tick : ticks) {
        if (tick.value >= range.minimum && tick.value <= range.maximum) {
            visible.push_back(tick);
        }
    }
    return visible;
}

// The smallest distance in pixels between two neighbouring ticks along an axis `lengthPixels` long.
double tickSpacingPixels(const std::vector<NamedTick>& ticks, const AxisRange& range, double lengthPixels) {
    const double span = range.maximum - range.minimum;
    double smallest = lengthPixels;
    for (std::size_t k = 1; k < ticks.size(); ++k) {
        smallest = std::min(smallest, (ticks[k].value - ticks[k - 1].value) / span * lengthPixels);
    }
    return smallest;
}

// Every stride-th label is written so that labels `extent` pixels long along the axis do not touch.
std::size_t labelStride(const std::vector<NamedTick>& ticks, const AxisRange& range, double lengthPixels,
                        double extent, double pixelScale) {
    const double spacing = tickSpacingPixels(ticks, range, lengthPixels);
    if (!(spacing > 0.0)) {
        return 1;
    }
    return std::max<std::size_t>(
        1, static_cast<std::size_t>(std::ceil((extent + namedLabelGap * pixelScale) / spacing)));
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

double yTickLabelWidth(const AxesContent& content, double frameHeight, const OverlayStyle& style) {
    if (content.yNamedTicks.empty()) {
        return yTickLabelWidth(content.y, frameHeight, style);
    }
    return widestLabel(content.yNamedTicks, style) + (tickLength + tickGap) * style.pixelScale;
}

bool namedXLabelsNeedUpright(const AxesContent& content, double frameWidth, const OverlayStyle& style) {
    const std::vector<NamedTick>& ticks = content.xNamedTicks;
    if (ticks.size() < 2) {
        return false;
    }
    // Judged on the ticks' own extent (one spacing wider, as cells centred on the ticks are), not on the
    // range shown: the range of the frame being laid out is known only after the layout.
    double smallestStep = ticks.back().value - ticks.front().value;
    for (std::size_t k = 1; k < ticks.size(); ++k) {
        smallestStep = std::min(smallestStep, ticks[k].value - ticks[k - 1].value);
    }
    const AxisRange extent{ticks.front().value - 0.5 * smallestStep, ticks.back().value + 0.5 * smallestStep};
    const double widest = widestLabel(ticks, style);
    return widest > labelHeight(style) &&
           widest + namedLabelGap * style.pixelScale > tickSpacingPixels(ticks, extent, frameWidth);
}

double xAxisBandHeight(const AxesContent& content, const OverlayStyle& style) {
    const double tickLabels = content.xLabelsUpright && !content.xNamedTicks.empty()
                                  ? widestLabel(content.xNamedTicks, style)
                                  : labelHeight(style);
    const double titleHeight =
        content.xTitle.empty() ? 0.0 : measureText(content.xTitle, style.fonts.axisTitle, style.dpi)[1];
    return (tickLength + tickGap + titleGap) * style.pixelScale + tickLabels + titleHeight;
}

double yTitleBandWidth(const AxesContent& content, const OverlayStyle& style) {
    if (content.yTitle.empty()) {
        return 0.0;
    }
    // Rotated by 90°, the title's height becomes its width.
    return measureText(content.yTitle, style.fonts.axisTitle, style.dpi)[1] + titleGap * style.pixelScale;
}

DrawnTickLabels drawAxes2D(const AxesContent& content, const PixelRect& frame, const OverlayStyle& style,
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

    DrawnTickLabels drawn;
    double xLabelBand = labelHeight(style);
    if (!content.xNamedTicks.empty()) {
        const std::vector<NamedTick> ticks = visibleTicks(content.xNamedTicks, content.x);
        const double widest = widestLabel(ticks, style);
        if (content.xLabelsUpright) {
            xLabelBand = widest;
        }
        const std::size_t stride = labelStride(ticks, content.x, frame.width,
                                               content.xLabelsUpright ? labelHeight(style) : widest, scale);
        for (std::size_t k = 0; k < ticks.size(); k += stride) {
            const double pixel = xToPixel(ticks[k].value);
            shapes.addSegment(pixel, frame.y, pixel, frame.y - tickLength * scale, thickness, ink);
            // Upright labels end at the tick and read upwards.
            texts.add(ticks[k].label, pixel, frame.y - (tickLength + tickGap) * scale, style.fonts.tickLabel,
                      ink, content.xLabelsUpright ? TextAnchor::Right : TextAnchor::Top,
                      content.xLabelsUpright ? 90.0 : 0.0);
            drawn.x.push_back(ticks[k].label);
        }
    } else {
        const TickSet xTicks =
            niceTicks(content.x.minimum, content.x.maximum, tickCountFor(frame.width, pixelsPerXTick, scale));
        for (const double value : xTicks.values) {
            const double pixel = xToPixel(value);
            const std::string label = formatTick(value, xTicks.step);
            shapes.addSegment(pixel, frame.y, pixel, frame.y - tickLength * scale, thickness, ink);
            texts.add(label, pixel, frame.y - (tickLength + tickGap) * scale, style.fonts.tickLabel, ink,
                      TextAnchor::Top);
            drawn.x.push_back(label);
        }
    }
    double widestYLabel = 0.0;
    const auto drawYTick = [&](double value, const std::string& label) {
        const double pixel = yToPixel(value);
        widestYLabel = std::max(widestYLabel, measureText(label, style.fonts.tickLabel, style.dpi)[0]);
        shapes.addSegment(frame.x, pixel, frame.x - tickLength * scale, pixel, thickness, ink);
        texts.add(label, frame.x - (tickLength + tickGap) * scale, pixel, style.fonts.tickLabel, ink,
                  TextAnchor::Right);
        drawn.y.push_back(label);
    };
    if (!content.yNamedTicks.empty()) {
        const std::vector<NamedTick> ticks = visibleTicks(content.yNamedTicks, content.y);
        const std::size_t stride = labelStride(ticks, content.y, frame.height, labelHeight(style), scale);
        for (std::size_t k = 0; k < ticks.size(); k += stride) {
            drawYTick(ticks[k].value, ticks[k].label);
        }
    } else {
        const TickSet yTicks = niceTicks(content.y.minimum, content.y.maximum,
                                         tickCountFor(frame.height, pixelsPerYTick, scale));
        for (const double value : yTicks.values) {
            drawYTick(value, formatTick(value, yTicks.step));
        }
    }

    if (!content.xTitle.empty()) {
        const double titleTop = frame.y - (tickLength + tickGap + titleGap) * scale - xLabelBand;
        texts.add(content.xTitle, frame.x + 0.5 * frame.width, titleTop, style.fonts.axisTitle, ink,
                  TextAnchor::Top);
    }
    if (!content.yTitle.empty()) {
        const double titleRight = frame.x - (tickLength + tickGap + titleGap) * scale - widestYLabel;
        // Rotated text reads bottom to top; Bottom anchoring puts its baseline side at titleRight.
        texts.add(content.yTitle, titleRight, frame.y + 0.5 * frame.height, style.fonts.axisTitle, ink,
                  TextAnchor::Bottom, 90.0);
    }
    return drawn;
}

} // namespace locallab
