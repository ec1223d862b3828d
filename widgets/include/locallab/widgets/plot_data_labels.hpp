#pragma once
// Short texts pinned to places in the data (a weight beside the edge it belongs to). Each label is a
// text actor whose position is given in world coordinates, so VTK moves it with the camera; it sits on
// a pale box so that it stays readable over points and lines. Font sizes are in points, like the rest
// of a plot's text, and grow with the render window's DPI (high-DPI screens, exports). Optionally the
// labels are left out while any two of them would overlap on screen (zoomed out), and come back when
// the user zooms in far enough to read them.

#include "locallab/widgets/color_maps.hpp"

#include <Eigen/Core>
#include <string>
#include <vector>
#include <vtkSmartPointer.h>

class vtkRenderer;
class vtkTextActor;
class vtkViewport;

namespace locallab {

struct DataLabel {
    Eigen::Vector3d position; // world coordinates; 2-D plots use z = 0
    std::string text;
    Rgb color = Rgb(0.13, 0.13, 0.13);
};

class DataLabels {
public:
    // The labels are drawn by `renderer`, which must share the camera of the data they point at.
    explicit DataLabels(vtkRenderer* renderer);
    ~DataLabels();
    DataLabels(const DataLabels&) = delete;
    DataLabels& operator=(const DataLabels&) = delete;

    void set(std::vector<DataLabel> labels);
    const std::vector<DataLabel>& labels() const { return labels_; }

    // The box behind the text takes the plot's background colour.
    void setBackground(const Rgb& color);
    // World y = data y × yScale (a 2-D plot stretched to fill its frame).
    void setYScale(double yScale);
    // Puts the labels back into the renderer after it was emptied (RemoveAllViewProps).
    void reattach();

    // When on, arrange() shows the labels only if no two of their boxes overlap on screen.
    void setHiddenWhenCrowded(bool hidden);
    // Called before every frame, once the camera is set: decides whether the labels are shown.
    void arrange(vtkViewport* viewport, int dpi);
    // Whether the labels were drawn in the last frame (false when there are none or they were crowded).
    bool shown() const { return shown_; }

private:
    void place();

    vtkRenderer* renderer_;
    std::vector<DataLabel> labels_;
    std::vector<vtkSmartPointer<vtkTextActor>> actors_;
    Rgb background_ = Rgb(1.0, 1.0, 1.0);
    double yScale_ = 1.0;
    bool hiddenWhenCrowded_ = false;
    bool shown_ = false;
};

} // namespace locallab
