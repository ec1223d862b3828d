#pragma once
// A 3-D point-cloud view (the input of LLE, a swiss roll): point layers coloured by label or value,
// selection highlight, axes with ticks around the data's bounding box, legend and colour bar in
// screen space. The trackball camera rotates, pans and zooms.

#include "locallab/widgets/color_maps.hpp"
#include "locallab/widgets/plot_axes_2d.hpp"
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
    void removeLayer(LayerId layer);

    void setAxisTitles(const std::string& xTitle, const std::string& yTitle, const std::string& zTitle);
    void showLegend(bool visible);
    void showColorBar(bool visible, const std::string& title = {});

    void resetCamera() override;

    QRectF colorBarRect() const;

private:
    struct PointLayer;

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
    LayerId nextLayerId_ = 1;
    bool legendVisible_ = true;
    bool colorBarVisible_ = false;
    std::string colorBarTitle_;
    std::optional<ColorMap> colorBarMap_;
    AxisRange colorBarRange_;
    PixelRect colorBarStrip_;
};

} // namespace locallab
