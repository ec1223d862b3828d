#pragma once
// A 3-D point-cloud view (the input of LLE, a swiss roll): point layers coloured by label or value,
// selection highlight, line layers (a neighbour graph, the edges of one point), text labels pinned to
// places in the data, axes with ticks around the data's bounding box, title, legend and colour bar in
// screen space. The trackball camera rotates, pans and zooms; it is framed on the data by the first
// layer and by resetCamera(), and otherwise stays where the user left it when layers change.

#include "locallab/widgets/color_maps.hpp"
#include "locallab/widgets/plot_axes_2d.hpp"
#include "locallab/widgets/plot_data_labels.hpp"
#include "locallab/widgets/plot_legend.hpp"
#include "locallab/widgets/vtk_view.hpp"

#include <Eigen/Core>
#include <QRectF>
#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

class vtkCubeAxesActor;
class vtkRenderer;

namespace locallab {

class PointCloudLayer;
class OverlayShapes;
class OverlayTexts;

class PlotView3D : public VtkView {
    Q_OBJECT
public:
    using LayerId = int;

    explicit PlotView3D(QWidget* parent = nullptr);
    ~PlotView3D() override;

    LayerId addPoints(const Eigen::Ref<const Eigen::MatrixX3d>& points, double sizeLogicalPixels = 6.0,
                      const Rgb& color = categoricalColor(0));
    void setPointColorsByLabel(LayerId layer, const Eigen::Ref<const Eigen::VectorXi>& labels,
                               const std::vector<std::string>& names = {});
    void setPointColorsByValue(LayerId layer, const Eigen::Ref<const Eigen::VectorXd>& values, ColorMap map,
                               std::optional<AxisRange> range = std::nullopt);
    void setSelection(LayerId layer, const std::vector<Eigen::Index>& indices);
    // The indices a point layer highlights (empty for an unknown layer).
    std::vector<Eigen::Index> selection(LayerId layer) const;

    // Each path is m×3; colours per path (empty: the categorical palette in order).
    LayerId addPolylines(const std::vector<Eigen::MatrixX3d>& paths, const std::vector<Rgb>& colors = {},
                         double widthLogicalPixels = 2.0);
    // Draws a line layer over every point layer, whatever their depth, instead of among them.
    void setLayerAboveData(LayerId layer, bool above = true);
    // Opacity of a line layer (1 = opaque).
    void setLayerOpacity(LayerId layer, double opacity);

    void removeLayer(LayerId layer);
    void clearLayers();

    // Replaces the texts pinned to the data; an empty list removes them.
    void setDataLabels(std::vector<DataLabel> labels);
    const std::vector<DataLabel>& dataLabels() const { return dataLabels_.labels(); }
    // Leaves the labels out while any two would overlap on screen (off by default).
    void setDataLabelsHiddenWhenCrowded(bool hidden);
    // Whether the labels were drawn in the last frame.
    bool dataLabelsShown() const { return dataLabels_.shown(); }

    void setTitle(const std::string& title);
    void setAxisTitles(const std::string& xTitle, const std::string& yTitle, const std::string& zTitle);
    void showLegend(bool visible);
    void showColorBar(bool visible, const std::string& title = {});

    void resetCamera() override;
    void setCameraState(const CameraState& state) override;

    QRectF colorBarRect() const;

private:
    struct PointLayer;
    struct LineLayer;

    void rebuildScene();
    void drawOverlay();
    void applyThemeToScene();

    vtkNew<vtkRenderer> haloRenderer_;
    vtkNew<vtkRenderer> selectionRenderer_;
    vtkNew<vtkRenderer> overlayRenderer_;
    vtkNew<vtkCubeAxesActor> cubeAxes_;
    std::unique_ptr<OverlayShapes> overlayShapes_;
    std::unique_ptr<OverlayTexts> overlayTexts_;

    std::map<LayerId, std::unique_ptr<PointLayer>> pointLayers_;
    std::map<LayerId, std::unique_ptr<LineLayer>> lineLayers_;
    LayerId nextLayerId_ = 1;
    DataLabels dataLabels_;
    std::string title_;
    bool cameraPlaced_ = false;
    bool legendVisible_ = true;
    bool colorBarVisible_ = false;
    std::string colorBarTitle_;
    std::optional<ColorMap> colorBarMap_;
    AxisRange colorBarRange_;
    PixelRect colorBarStrip_;
};

} // namespace locallab
