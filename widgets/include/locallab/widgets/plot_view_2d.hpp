#pragma once
// A 2-D plot: layers of data (points, paths, a scalar field as heatmap and contours) drawn as VTK
// actors in a framed data area, with axes, title, legend and colour bar drawn around it. Layers take
// plain Eigen values and build their VTK data once. See widgets/PLOTTING.md for why actors, not
// VTK's chart classes.

#include "locallab/widgets/color_maps.hpp"
#include "locallab/widgets/plot_axes_2d.hpp"
#include "locallab/widgets/plot_color_bar.hpp"
#include "locallab/widgets/plot_data_labels.hpp"
#include "locallab/widgets/plot_legend.hpp"
#include "locallab/widgets/plot_renderers.hpp"
#include "locallab/widgets/vtk_view.hpp"

#include <Eigen/Core>
#include <QRectF>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

class vtkActor;
class vtkRenderer;

namespace locallab {

class PointCloudLayer;
class OverlayShapes;
class OverlayTexts;

struct PointStyle {
    double size = 7.0; // diameter in logical pixels
    Rgb color = categoricalColor(0);
};

class PlotView2D : public VtkView {
    Q_OBJECT
public:
    using LayerId = int;

    // Equal: one unit is as long on both axes (densities, clusters). Fill: y is stretched so the data
    // fill the frame (a regression curve whose y spans 1000 while x spans 1).
    enum class AspectMode { Equal, Fill };

    using PointStyle = locallab::PointStyle;

    explicit PlotView2D(QWidget* parent = nullptr);
    ~PlotView2D() override;

    LayerId addPoints(const Eigen::Ref<const Eigen::MatrixX2d>& points, const PointStyle& style = {});
    void setPointColor(LayerId layer, const Rgb& color);
    // names[label] names a label in the legend; labels without a name are called "class <label>".
    void setPointColorsByLabel(LayerId layer, const Eigen::Ref<const Eigen::VectorXi>& labels,
                               const std::vector<std::string>& names = {});
    void setPointColorsByValue(LayerId layer, const Eigen::Ref<const Eigen::VectorXd>& values, ColorMap map,
                               std::optional<AxisRange> range = std::nullopt);
    void setPointSize(LayerId layer, double logicalPixels);
    void setSelection(LayerId layer, const std::vector<Eigen::Index>& indices);
    // The indices a point layer highlights (empty for an unknown layer).
    std::vector<Eigen::Index> selection(LayerId layer) const;

    // Each path is m×2; colours per path (empty: the categorical palette in order).
    LayerId addPolylines(const std::vector<Eigen::MatrixX2d>& paths, const std::vector<Rgb>& colors = {},
                         double widthLogicalPixels = 2.0);
    // The paths a polyline layer draws (those of two points or more), read back from its geometry (in
    // single precision, as VTK keeps points); empty for other layers.
    std::vector<Eigen::MatrixX2d> polylines(LayerId layer) const;

    // values(i, j) is the field at (x_i, y_j) on a regular grid spanning x and y (at least 2×2).
    // Drawn as a heatmap (unless showHeatmap is false) and as contour lines at the given levels.
    LayerId addScalarField(const Eigen::Ref<const Eigen::MatrixXd>& values, AxisRange x, AxisRange y,
                           ColorMap map, const std::vector<double>& contourLevels = {},
                           std::optional<AxisRange> colorRange = std::nullopt, bool showHeatmap = true);

    // A map of categories on a regular grid of cells: labels(i, j) colours the cell at column i (along x) and
    // row j (along y) with the categorical palette; negative labels are left transparent. For basins of
    // attraction, decision regions and segmentations.
    LayerId addLabelField(const Eigen::Ref<const Eigen::MatrixXi>& labels, AxisRange x, AxisRange y,
                          double opacity = 0.35);

    // Opacity of a heatmap, contour or path layer (1 = opaque); lets data show through a field drawn
    // under them.
    void setLayerOpacity(LayerId layer, double opacity);

    // Draws a path layer above every point layer (a fitted curve over its scatter) instead of under them.
    void setLayerAboveData(LayerId layer, bool above = true);

    // Names what a layer shows in the legend (fitted curves, a band, a marker): one row per entry, listed
    // after the rows of label-coloured points, layers in the order they were added. Replaces the layer's
    // earlier rows; an empty list removes them. Removing the layer removes its rows.
    void setLayerLegend(LayerId layer, std::vector<LegendEntry> entries);

    void removeLayer(LayerId layer);
    void clearLayers();

    // Texts pinned to places in the data (positions in data coordinates, z ignored), drawn over the
    // points; replaces the earlier ones. clearLayers() leaves them.
    void setDataLabels(std::vector<DataLabel> labels);
    const std::vector<DataLabel>& dataLabels() const { return dataLabels_.labels(); }
    // Leaves the labels out while any two would overlap on screen (off by default).
    void setDataLabelsHiddenWhenCrowded(bool hidden);
    // Whether the labels were drawn in the last frame.
    bool dataLabelsShown() const { return dataLabels_.shown(); }

    void setTitle(const std::string& title);
    void setAxisTitles(const std::string& xTitle, const std::string& yTitle);
    // Ticks with their own labels (the tokens along a matrix) in place of the numeric ticks of an axis;
    // an empty list brings that axis's numeric ticks back. clearLayers() leaves them.
    void setAxisTickNames(std::vector<NamedTick> xTicks, std::vector<NamedTick> yTicks);
    // The tick labels written in the last frame.
    const DrawnTickLabels& drawnTickLabels() const { return drawnTickLabels_; }
    void showLegend(bool visible);
    // The colour bar shows the map and range of the most recent value-coloured layer.
    void showColorBar(bool visible, const std::string& title = {});
    void setAspectMode(AspectMode mode);

    void resetCamera() override;
    void setCameraState(const CameraState& state) override;

    // Data coordinates ↔ widget (logical) pixels; valid after the first frame has been laid out.
    Eigen::Vector2d displayToData(const QPointF& widgetPosition) const;
    QPointF dataToDisplay(const Eigen::Vector2d& data) const;
    AxisRange visibleXRange() const { return visibleX_; }
    AxisRange visibleYRange() const { return visibleY_; }

    // Where things were drawn in the last frame, in widget (logical) pixels.
    QRectF frameRect() const;
    QRectF colorBarRect() const;
    QRectF legendRect() const;

private:
    struct PointLayer;
    struct ActorLayer;

    void rebuildScene();
    void layOutAndDrawOverlay();
    OverlayStyle currentOverlayStyle() const;
    // Also decides whether named x labels stand upright in that frame.
    PixelRect computeFrame(const OverlayStyle& style, bool& xLabelsUpright) const;
    void applyFrame(const PixelRect& frame);
    void fitCameraToData(const PixelRect& frame);
    void updateVisibleRanges(const PixelRect& frame);
    void applyDataScale();
    // The bounds of everything drawn in the frame (data and selection renderers), in world coordinates.
    void visibleBounds(double bounds[6]) const;
    void applyPixelScaleToLayers(double pixelScale);
    void applyThemeToLayers();
    std::vector<LegendEntry> legendEntries() const;
    QRectF toWidgetRect(const PixelRect& rect) const;
    PlotRenderers plotRenderers() const;

    vtkNew<vtkRenderer> overlayRenderer_;
    vtkNew<vtkRenderer> haloRenderer_;
    vtkNew<vtkRenderer> selectionRenderer_;
    DataLabels dataLabels_{selectionRenderer_.Get()};
    std::unique_ptr<OverlayShapes> overlayShapes_;
    std::unique_ptr<OverlayTexts> overlayTexts_;

    std::map<LayerId, std::unique_ptr<PointLayer>> pointLayers_;
    std::map<LayerId, std::unique_ptr<ActorLayer>> actorLayers_;
    std::map<LayerId, std::vector<LegendEntry>> layerLegends_;
    LayerId nextLayerId_ = 1;

    std::string title_;
    AxesContent axes_;
    DrawnTickLabels drawnTickLabels_;
    bool legendVisible_ = true;
    bool colorBarVisible_ = false;
    std::string colorBarTitle_;
    std::optional<ColorBarContent> colorBarSource_;
    AspectMode aspectMode_ = AspectMode::Equal;
    double dataYScale_ = 1.0; // world y = data y × dataYScale_
    bool cameraResetPending_ = true;
    bool cameraMovedByUser_ = false;

    AxisRange visibleX_;
    AxisRange visibleY_;
    PixelRect frame_;
    PixelRect colorBarStrip_;
    PixelRect legendBox_;
};

} // namespace locallab
