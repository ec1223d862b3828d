#pragma once
// The marks of a flat (2-D) VTK scene as SVG elements: every visible actor whose mapper draws
// vtkPolyData (points, lines, polygons, in world coordinates through the camera) and every 2-D overlay
// drawn by a vtkPolyDataMapper2D (frames, ticks, legend swatches, in display coordinates), layer by
// layer in VTK's drawing order and clipped to each renderer's viewport. Text is left to GL2PS; props
// of any other kind (images, heatmaps) are left out and listed as such, to be drawn as pixels.

#include <QByteArray>
#include <vector>

class vtkProp;
class vtkRenderWindow;

namespace locallab {

struct SvgMarks {
    QByteArray elements;           // SVG elements in a window-sized coordinate system, y downwards
    std::vector<vtkProp*> written; // the props the elements stand for
};

// After a Render() at the figure's size; `isText` props are skipped (GL2PS writes them).
SvgMarks svgMarksOf(vtkRenderWindow& window, bool (*isText)(vtkProp*));

} // namespace locallab
