#pragma once
// Building blocks for everything drawn around a plot in screen pixels (axes, legend, colour bar):
// flat coloured shapes and text labels, placed in device pixels of an overlay renderer whose
// viewport covers the whole window. They are rebuilt each frame, which costs microseconds for the
// few dozen items a plot has.

#include "locallab/widgets/color_maps.hpp"

#include <array>
#include <string>
#include <vector>
#include <vtkNew.h>
#include <vtkSmartPointer.h>

class vtkActor2D;
class vtkCellArray;
class vtkPoints;
class vtkPolyData;
class vtkRenderer;
class vtkTextActor;
class vtkTextProperty;
class vtkUnsignedCharArray;

namespace locallab {

// Device pixels, origin at the bottom left of the window as in VTK.
struct PixelRect {
    double x = 0.0;
    double y = 0.0;
    double width = 0.0;
    double height = 0.0;
    double right() const { return x + width; }
    double top() const { return y + height; }
};

// Filled polygons with one colour each, drawn by a single 2-D actor.
class OverlayShapes {
public:
    OverlayShapes();
    ~OverlayShapes();
    OverlayShapes(const OverlayShapes&) = delete;
    OverlayShapes& operator=(const OverlayShapes&) = delete;

    void addTo(vtkRenderer* renderer) const;
    void removeFrom(vtkRenderer* renderer) const;

    void clear();
    void addRectangle(const PixelRect& rect, const Rgb& color);
    void addDisc(double centerX, double centerY, double radius, const Rgb& color);
    // Axis-aligned segment drawn as a rectangle `thickness` pixels wide: wide lines are not portable
    // in core OpenGL, rectangles are.
    void addSegment(double x0, double y0, double x1, double y1, double thickness, const Rgb& color);
    // Marks the geometry as changed; call once after a batch of add*().
    void commit();

private:
    void addPolygon(const std::vector<std::array<double, 2>>& corners, const Rgb& color);

    vtkNew<vtkPolyData> polyData_;
    vtkNew<vtkPoints> points_;
    vtkNew<vtkCellArray> polygons_;
    vtkNew<vtkUnsignedCharArray> colors_;
    vtkNew<vtkActor2D> actor_;
};

// Font sizes in points; with the view's DPI set to 72 × pixel scale, one point is one logical pixel.
struct PlotFonts {
    double tickLabel = 15.0;
    double axisTitle = 17.0;
    double heading = 19.0;
    double legend = 15.0;
};

// Everything an overlay needs to know about the frame it is drawn in.
struct OverlayStyle {
    double pixelScale = 1.0; // device pixels per logical pixel
    int dpi = 72;            // the render window's DPI, for measuring text
    Rgb foreground = Rgb(0.13, 0.13, 0.13);
    Rgb background = Rgb(1.0, 1.0, 1.0);
    PlotFonts fonts;
};

enum class TextAnchor { BottomLeft, Left, Right, Top, Bottom, Center };

// Text actors handed out in order each frame; the ones not handed out are hidden.
class OverlayTexts {
public:
    explicit OverlayTexts(vtkRenderer* renderer);
    ~OverlayTexts();
    OverlayTexts(const OverlayTexts&) = delete;
    OverlayTexts& operator=(const OverlayTexts&) = delete;

    void beginFrame();
    void add(const std::string& text, double x, double y, double fontPoints, const Rgb& color,
             TextAnchor anchor, double orientationDegrees = 0.0, bool bold = false);
    void endFrame();

private:
    vtkRenderer* renderer_;
    std::vector<vtkSmartPointer<vtkTextActor>> actors_;
    size_t used_ = 0;
};

// Width and height in device pixels of `text` at `fontPoints` and the given DPI.
std::array<double, 2> measureText(const std::string& text, double fontPoints, int dpi, bool bold = false);

} // namespace locallab
