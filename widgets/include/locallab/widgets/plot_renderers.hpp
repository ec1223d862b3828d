#pragma once
// The renderers a plot draws into. Highlights (selection halos, selected points) sit in their own
// layers above the data, so they stay visible whatever the depth of the points they mark: VTK draws
// round points as sphere impostors whose depth grows with their size, so a larger halo drawn in the
// same layer would hide the point it surrounds.

class vtkRenderer;

namespace locallab {

struct PlotRenderers {
    vtkRenderer* data = nullptr;      // layer 0: heatmaps, contours, paths, points
    vtkRenderer* halo = nullptr;      // layer 1: outlines around selected points
    vtkRenderer* selection = nullptr; // layer 2: the selected points themselves
};

} // namespace locallab
