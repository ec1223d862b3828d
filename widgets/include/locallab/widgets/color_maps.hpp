#pragma once
// Colours for data: perceptually uniform maps for values (viridis, magma, cividis, as published with
// matplotlib) and the Okabe–Ito palette for categories, which stays distinguishable with the common
// forms of colour blindness.

#include <Eigen/Core>
#include <string>
#include <vtkSmartPointer.h>

class vtkLookupTable;

namespace locallab {

// Viridis, Magma and Cividis are matplotlib's perceptual maps. Greys runs from white to a dark grey: a
// quiet background field (a density under coloured clusters) that leaves the categorical colours on top
// readable.
enum class ColorMap { Viridis, Magma, Cividis, Greys };

// RGB in [0, 1].
using Rgb = Eigen::Vector3d;

// Colour of `map` at position t in [0, 1] (clamped), interpolated between published anchors.
Rgb colorMapAt(ColorMap map, double t);

std::string colorMapName(ColorMap map);

// Colour of category `label`; labels beyond the palette wrap around, negative labels (noise,
// unassigned) are neutral grey.
Rgb categoricalColor(int label);
int categoricalPaletteSize();

// A 256-entry table for VTK mappers that maps [minimum, maximum] onto `map`.
vtkSmartPointer<vtkLookupTable> makeLookupTable(ColorMap map, double minimum, double maximum);

} // namespace locallab
