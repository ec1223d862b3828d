#include "locallab/widgets/color_maps.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <vtkLookupTable.h>

namespace locallab {

namespace {

// Every 16th entry (and the last) of matplotlib's 256-entry tables (_cm_listed.py), so the
// position of anchor k is 16k/255 and the last anchor sits at 1. Linear interpolation between
// them stays within about 0.005 of the full tables.
constexpr int anchorCount = 17;
using AnchorTable = std::array<std::array<double, 3>, anchorCount>;

constexpr AnchorTable viridisAnchors{{{0.267004, 0.004874, 0.329415},
                                      {0.282327, 0.094955, 0.417331},
                                      {0.278826, 0.175490, 0.483397},
                                      {0.258965, 0.251537, 0.524736},
                                      {0.229739, 0.322361, 0.545706},
                                      {0.199430, 0.387607, 0.554642},
                                      {0.172719, 0.448791, 0.557885},
                                      {0.149039, 0.508051, 0.557250},
                                      {0.127568, 0.566949, 0.550556},
                                      {0.120638, 0.625828, 0.533488},
                                      {0.157851, 0.683765, 0.501686},
                                      {0.246070, 0.738910, 0.452024},
                                      {0.369214, 0.788888, 0.382914},
                                      {0.515992, 0.831158, 0.294279},
                                      {0.678489, 0.863742, 0.189503},
                                      {0.845561, 0.887322, 0.099702},
                                      {0.993248, 0.906157, 0.143936}}};

constexpr AnchorTable magmaAnchors{{{0.001462, 0.000466, 0.013866},
                                    {0.039608, 0.031090, 0.133515},
                                    {0.113094, 0.065492, 0.276784},
                                    {0.211718, 0.061992, 0.418647},
                                    {0.316654, 0.071690, 0.485380},
                                    {0.414709, 0.110431, 0.504662},
                                    {0.512831, 0.148179, 0.507648},
                                    {0.613617, 0.181811, 0.498536},
                                    {0.716387, 0.214982, 0.475290},
                                    {0.816914, 0.255895, 0.436461},
                                    {0.904281, 0.319610, 0.388137},
                                    {0.960949, 0.418323, 0.359630},
                                    {0.986700, 0.535582, 0.382210},
                                    {0.996096, 0.653659, 0.446213},
                                    {0.996898, 0.769591, 0.534892},
                                    {0.992440, 0.884330, 0.640099},
                                    {0.987053, 0.991438, 0.749504}}};

constexpr AnchorTable cividisAnchors{{{0.000000, 0.135112, 0.304751},
                                      {0.000000, 0.178802, 0.414764},
                                      {0.103401, 0.220406, 0.435790},
                                      {0.195057, 0.264372, 0.425924},
                                      {0.263738, 0.307831, 0.422789},
                                      {0.324250, 0.351289, 0.426250},
                                      {0.380830, 0.395164, 0.435653},
                                      {0.435168, 0.439763, 0.451134},
                                      {0.488697, 0.485318, 0.471008},
                                      {0.547840, 0.531895, 0.471704},
                                      {0.609105, 0.579816, 0.463638},
                                      {0.671991, 0.629316, 0.448018},
                                      {0.736488, 0.680629, 0.424028},
                                      {0.802667, 0.733978, 0.390153},
                                      {0.870717, 0.789572, 0.343333},
                                      {0.941147, 0.847530, 0.275815},
                                      {0.995737, 0.909344, 0.217772}}};

// Okabe & Ito, "Color Universal Design" (2008), in an order that puts the most distinct hues first.
constexpr std::array<std::array<double, 3>, 8> okabeIto{{{0.000, 0.447, 0.698},   // blue
                                                         {0.902, 0.624, 0.000},   // orange
                                                         {0.000, 0.620, 0.451},   // bluish green
                                                         {0.835, 0.369, 0.000},   // vermillion
                                                         {0.800, 0.475, 0.655},   // reddish purple
                                                         {0.337, 0.706, 0.914},   // sky blue
                                                         {0.941, 0.894, 0.259},   // yellow
                                                         {0.000, 0.000, 0.000}}}; // black

const AnchorTable& anchorsOf(ColorMap map) {
    switch (map) {
    case ColorMap::Magma:
        return magmaAnchors;
    case ColorMap::Cividis:
        return cividisAnchors;
    case ColorMap::Viridis:
    case ColorMap::Greys: // computed in colorMapAt
        break;
    }
    return viridisAnchors;
}

double anchorPosition(int index) {
    return index == anchorCount - 1 ? 1.0 : 16.0 * index / 255.0;
}

} // namespace

Rgb colorMapAt(ColorMap map, double t) {
    const AnchorTable& anchors = anchorsOf(map);
    const double clamped = std::isnan(t) ? 0.0 : std::clamp(t, 0.0, 1.0);
    if (map == ColorMap::Greys) {
        constexpr double darkest = 0.25;
        return Rgb::Constant(1.0 - (1.0 - darkest) * clamped);
    }
    int upper = 1;
    while (upper < anchorCount - 1 && anchorPosition(upper) < clamped) {
        ++upper;
    }
    const int lower = upper - 1;
    const double weight = (clamped - anchorPosition(lower)) / (anchorPosition(upper) - anchorPosition(lower));
    const Rgb from(anchors[lower][0], anchors[lower][1], anchors[lower][2]);
    const Rgb to(anchors[upper][0], anchors[upper][1], anchors[upper][2]);
    return (1.0 - weight) * from + weight * to;
}

std::string colorMapName(ColorMap map) {
    switch (map) {
    case ColorMap::Magma:
        return "magma";
    case ColorMap::Cividis:
        return "cividis";
    case ColorMap::Greys:
        return "greys";
    case ColorMap::Viridis:
        break;
    }
    return "viridis";
}

Rgb categoricalColor(int label) {
    if (label < 0) {
        return {0.6, 0.6, 0.6};
    }
    const auto& color = okabeIto[static_cast<size_t>(label) % okabeIto.size()];
    return {color[0], color[1], color[2]};
}

int categoricalPaletteSize() {
    return static_cast<int>(okabeIto.size());
}

vtkSmartPointer<vtkLookupTable> makeLookupTable(ColorMap map, double minimum, double maximum) {
    constexpr int entries = 256;
    auto table = vtkSmartPointer<vtkLookupTable>::New();
    table->SetNumberOfTableValues(entries);
    if (!(maximum > minimum)) {
        // A constant field still needs a valid range; centre it on the value.
        const double middle = std::isfinite(minimum) ? minimum : 0.0;
        minimum = middle - 0.5;
        maximum = middle + 0.5;
    }
    table->SetTableRange(minimum, maximum);
    for (int entry = 0; entry < entries; ++entry) {
        const Rgb color = colorMapAt(map, entry / static_cast<double>(entries - 1));
        table->SetTableValue(entry, color.x(), color.y(), color.z(), 1.0);
    }
    table->SetNanColor(0.6, 0.6, 0.6, 1.0);
    table->UseBelowRangeColorOff();
    table->UseAboveRangeColorOff();
    table->Build();
    return table;
}

} // namespace locallab
