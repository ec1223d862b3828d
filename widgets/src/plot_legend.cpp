#include "locallab/widgets/plot_legend.hpp"

#include <algorithm>

namespace locallab {

namespace {

// Logical pixels.
constexpr double padding = 8.0;
constexpr double markerDiameter = 13.0;
constexpr double markerGap = 8.0;
constexpr double rowSpacing = 6.0;

double rowHeight(const OverlayStyle& style) {
    const double textHeight = measureText("Ag", style.fonts.legend, style.dpi)[1];
    return std::max(textHeight, markerDiameter * style.pixelScale);
}

} // namespace

std::array<double, 2> legendSize(const std::vector<LegendEntry>& entries, const OverlayStyle& style) {
    if (entries.empty()) {
        return {0.0, 0.0};
    }
    double widestName = 0.0;
    for (const LegendEntry& entry : entries) {
        widestName = std::max(widestName, measureText(entry.name, style.fonts.legend, style.dpi)[0]);
    }
    const double scale = style.pixelScale;
    const double width = (2.0 * padding + markerDiameter + markerGap) * scale + widestName;
    const double rows = static_cast<double>(entries.size());
    const double height = 2.0 * padding * scale + rows * rowHeight(style) + (rows - 1.0) * rowSpacing * scale;
    return {width, height};
}

PixelRect drawLegend(const std::vector<LegendEntry>& entries, double left, double top,
                     const OverlayStyle& style, OverlayShapes& shapes, OverlayTexts& texts) {
    const auto [width, height] = legendSize(entries, style);
    if (entries.empty()) {
        return {left, top, 0.0, 0.0};
    }
    const double scale = style.pixelScale;
    const PixelRect box{left, top - height, width, height};
    const double row = rowHeight(style);
    double rowCenter = top - padding * scale - 0.5 * row;
    for (const LegendEntry& entry : entries) {
        const double markerCenterX = left + (padding + 0.5 * markerDiameter) * scale;
        shapes.addDisc(markerCenterX, rowCenter, 0.5 * markerDiameter * scale, entry.color);
        texts.add(entry.name, left + (padding + markerDiameter + markerGap) * scale, rowCenter,
                  style.fonts.legend, style.foreground, TextAnchor::Left);
        rowCenter -= row + rowSpacing * scale;
    }
    return box;
}

} // namespace locallab
