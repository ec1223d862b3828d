#include "locallab/widgets/plot_view_2d.hpp"

#include "locallab/widgets/plot_color_bar.hpp"
#include "locallab/widgets/plot_overlay_items.hpp"
#include "locallab/widgets/plot_point_cloud.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <vtkActor.h>
#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkCellArrayIterator.h>
#include <vtkCellData.h>
#include <vtkContourFilter.h>
#include <vtkDataSetMapper.h>
#include <vtkDoubleArray.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkImageData.h>
#include <vtkLookupTable.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>
#include <vtkUnsignedCharArray.h>

namespace locallab {

namespace {

// Logical pixels around the frame.
constexpr double outerMargin = 14.0;
constexpr double panelGap = 26.0;
constexpr double titleGap = 10.0;
constexpr double legendToColorBarGap = 18.0;
// Space left between the data and the frame after a camera reset.
constexpr double framePadding = 1.06;
constexpr double contourWidth = 1.5;

AxisRange rangeOf(const Eigen::Ref<const Eigen::VectorXd>& values) {
    double minimum = std::numeric_limits<double>::infinity();
    double maximum = -std::numeric_limits<double>::infinity();
    for (const double value : values) {
        if (std::isfinite(value)) {
            minimum = std::min(minimum, value);
            maximum = std::max(maximum, value);
        }
    }
    if (!std::isfinite(minimum)) {
        return {0.0, 1.0};
    }
    return {minimum, maximum};
}

} // namespace

// How far behind the plane of lines and points (as a fraction of the field's width) fields are drawn.
constexpr double fieldDepthOffset = 1e-3;

struct PlotView2D::PointLayer {
    explicit PointLayer(const Eigen::Ref<const Eigen::MatrixXd>& points) : cloud(points) {}
    PointCloudLayer cloud;
    std::vector<LegendEntry> labelLegend;
    bool coloredByLabel = false;
};

// Paths, heatmaps and contours: plain actors whose line width follows the pixel scale.
struct PlotView2D::ActorLayer {
    enum class Kind { Heatmap, Contours, Polylines };
    struct Item {
        Kind kind;
        vtkSmartPointer<vtkActor> actor;
        double lineWidth = 0.0; // logical pixels, for lines
    };
    std::vector<Item> items;
    bool aboveData = false; // drawn with the selection, over every point layer
};

PlotView2D::PlotView2D(QWidget* parent) : VtkView(parent) {
    vtkGenericOpenGLRenderWindow* window = renderWindow();
    window->SetNumberOfLayers(3);
    // The overlay fills the window first; the data renderer then draws the frame's inside.
    window->RemoveRenderer(renderer());
    overlayRenderer_->SetLayer(0);
    overlayRenderer_->InteractiveOff();
    window->AddRenderer(overlayRenderer_);
    window->AddRenderer(renderer());
    for (vtkRenderer* highlight : {haloRenderer_.Get(), selectionRenderer_.Get()}) {
        highlight->SetActiveCamera(renderer()->GetActiveCamera());
        highlight->InteractiveOff();
        window->AddRenderer(highlight);
    }
    haloRenderer_->SetLayer(1);
    selectionRenderer_->SetLayer(2);

    overlayShapes_ = std::make_unique<OverlayShapes>();
    overlayShapes_->addTo(overlayRenderer_);
    overlayTexts_ = std::make_unique<OverlayTexts>(overlayRenderer_);

    connect(this, &VtkView::aboutToRender, this, &PlotView2D::layOutAndDrawOverlay);
    connect(this, &VtkView::themeChanged, this, &PlotView2D::applyThemeToLayers);
    connect(this, &VtkView::interactingChanged, this, [this](bool interacting) {
        for (auto& [id, layer] : pointLayers_) {
            layer->cloud.setDecimated(interacting);
        }
        if (interacting) {
            cameraMovedByUser_ = true;
        }
    });
    setInteractionMode(InteractionMode::TwoD);
    applyThemeToLayers();
}

PlotView2D::~PlotView2D() {
    // Layers die before the base class releases the context, so their buffers go now, while it lives.
    if (context() != nullptr && isValid()) {
        makeCurrent();
        renderWindow()->ReleaseGraphicsResources(renderWindow());
        doneCurrent();
    }
    // Text actors unregister from the overlay renderer, which must still exist.
    overlayTexts_.reset();
}

PlotRenderers PlotView2D::plotRenderers() const {
    return {renderer(), haloRenderer_.Get(), selectionRenderer_.Get()};
}

PlotView2D::LayerId PlotView2D::addPoints(const Eigen::Ref<const Eigen::MatrixX2d>& points,
                                          const PointStyle& style) {
    auto layer = std::make_unique<PointLayer>(points);
    layer->cloud.setUniformColor(style.color);
    layer->cloud.setPointSize(style.size);
    layer->cloud.setHaloColor(foregroundColor());
    layer->cloud.setDecimated(isInteracting());
    const LayerId id = nextLayerId_++;
    pointLayers_.emplace(id, std::move(layer));
    rebuildScene();
    return id;
}

void PlotView2D::setPointColor(LayerId layer, const Rgb& color) {
    const auto found = pointLayers_.find(layer);
    if (found == pointLayers_.end()) {
        return;
    }
    found->second->cloud.setUniformColor(color);
    found->second->coloredByLabel = false;
    requestRender();
}

void PlotView2D::setPointColorsByLabel(LayerId layer, const Eigen::Ref<const Eigen::VectorXi>& labels,
                                       const std::vector<std::string>& names) {
    const auto found = pointLayers_.find(layer);
    if (found == pointLayers_.end()) {
        return;
    }
    found->second->cloud.setColorsByLabel(labels);
    found->second->coloredByLabel = true;
    const std::set<int> distinct(labels.begin(), labels.end());
    std::vector<LegendEntry>& legend = found->second->labelLegend;
    legend.clear();
    for (const int label : distinct) {
        std::string name = label < 0 ? "unassigned" : "class " + std::to_string(label);
        if (label >= 0 && static_cast<size_t>(label) < names.size()) {
            name = names[static_cast<size_t>(label)];
        }
        legend.push_back({name, categoricalColor(label)});
    }
    requestRender();
}

void PlotView2D::setPointColorsByValue(LayerId layer, const Eigen::Ref<const Eigen::VectorXd>& values,
                                       ColorMap map, std::optional<AxisRange> range) {
    const auto found = pointLayers_.find(layer);
    if (found == pointLayers_.end()) {
        return;
    }
    const AxisRange used = range.value_or(rangeOf(values));
    found->second->cloud.setColorsByValue(values, map, used.minimum, used.maximum);
    found->second->coloredByLabel = false;
    colorBarSource_ = ColorBarContent{map, used, {}};
    requestRender();
}

void PlotView2D::setPointSize(LayerId layer, double logicalPixels) {
    const auto found = pointLayers_.find(layer);
    if (found != pointLayers_.end()) {
        found->second->cloud.setPointSize(logicalPixels);
        requestRender();
    }
}

void PlotView2D::setSelection(LayerId layer, const std::vector<Eigen::Index>& indices) {
    const auto found = pointLayers_.find(layer);
    if (found != pointLayers_.end()) {
        found->second->cloud.setSelection(indices);
        requestRender();
    }
}

std::vector<Eigen::Index> PlotView2D::selection(LayerId layer) const {
    const auto found = pointLayers_.find(layer);
    return found == pointLayers_.end() ? std::vector<Eigen::Index>{} : found->second->cloud.selection();
}

void PlotView2D::setDataLabels(std::vector<DataLabel> labels) {
    for (DataLabel& label : labels) {
        label.position.z() = 0.0;
    }
    dataLabels_.set(std::move(labels));
    requestRender();
}

void PlotView2D::setDataLabelsHiddenWhenCrowded(bool hidden) {
    dataLabels_.setHiddenWhenCrowded(hidden);
    requestRender();
}

PlotView2D::LayerId PlotView2D::addPolylines(const std::vector<Eigen::MatrixX2d>& paths,
                                             const std::vector<Rgb>& colors, double widthLogicalPixels) {
    vtkNew<vtkPoints> points;
    vtkNew<vtkCellArray> lines;
    vtkNew<vtkUnsignedCharArray> cellColors;
    cellColors->SetNumberOfComponents(3);
    for (size_t pathIndex = 0; pathIndex < paths.size(); ++pathIndex) {
        const Eigen::MatrixX2d& path = paths[pathIndex];
        if (path.rows() < 2) {
            continue;
        }
        lines->InsertNextCell(static_cast<vtkIdType>(path.rows()));
        for (Eigen::Index row = 0; row < path.rows(); ++row) {
            lines->InsertCellPoint(points->InsertNextPoint(path(row, 0), path(row, 1), 0.0));
        }
        const Rgb color =
            pathIndex < colors.size() ? colors[pathIndex] : categoricalColor(static_cast<int>(pathIndex));
        cellColors->InsertNextTuple3(std::lround(255.0 * color.x()), std::lround(255.0 * color.y()),
                                     std::lround(255.0 * color.z()));
    }
    vtkNew<vtkPolyData> polyData;
    polyData->SetPoints(points);
    polyData->SetLines(lines);
    polyData->GetCellData()->SetScalars(cellColors);
    vtkNew<vtkPolyDataMapper> mapper;
    mapper->SetInputData(polyData);
    mapper->SetScalarModeToUseCellData();
    mapper->SetColorModeToDirectScalars();
    auto actor = vtkSmartPointer<vtkActor>::New();
    actor->SetMapper(mapper);
    actor->GetProperty()->LightingOff();
    actor->PickableOff();

    auto layer = std::make_unique<ActorLayer>();
    layer->items.push_back({ActorLayer::Kind::Polylines, actor, widthLogicalPixels});
    const LayerId id = nextLayerId_++;
    actorLayers_.emplace(id, std::move(layer));
    rebuildScene();
    return id;
}

PlotView2D::LayerId PlotView2D::addLabelField(const Eigen::Ref<const Eigen::MatrixXi>& labels, AxisRange x,
                                              AxisRange y, double opacity) {
    if (labels.rows() < 1 || labels.cols() < 1) {
        throw std::invalid_argument("a label field needs at least one cell");
    }
    if (!(x.maximum > x.minimum) || !(y.maximum > y.minimum)) {
        throw std::invalid_argument("a label field needs increasing x and y ranges");
    }
    const auto columns = static_cast<int>(labels.rows());
    const auto rows = static_cast<int>(labels.cols());
    // One image point per cell corner; cell data give every cell one flat colour.
    vtkNew<vtkImageData> image;
    image->SetDimensions(columns + 1, rows + 1, 1);
    image->SetOrigin(x.minimum, y.minimum, 0.0);
    image->SetSpacing((x.maximum - x.minimum) / columns, (y.maximum - y.minimum) / rows, 1.0);
    vtkNew<vtkUnsignedCharArray> colors;
    colors->SetNumberOfComponents(4);
    colors->SetNumberOfTuples(static_cast<vtkIdType>(columns) * rows);
    const auto alpha = static_cast<unsigned char>(std::lround(255.0 * std::clamp(opacity, 0.0, 1.0)));
    for (int j = 0; j < rows; ++j) {
        for (int i = 0; i < columns; ++i) {
            const int label = labels(i, j);
            const Rgb color = label >= 0 ? categoricalColor(label) : Rgb(0.0, 0.0, 0.0);
            const vtkIdType cell = i + static_cast<vtkIdType>(columns) * j;
            colors->SetTuple4(cell, std::lround(255.0 * color.x()), std::lround(255.0 * color.y()),
                              std::lround(255.0 * color.z()), label >= 0 ? alpha : 0);
        }
    }
    image->GetCellData()->SetScalars(colors);
    vtkNew<vtkDataSetMapper> mapper;
    mapper->SetInputData(image);
    mapper->SetScalarModeToUseCellData();
    mapper->SetColorModeToDirectScalars();
    auto actor = vtkSmartPointer<vtkActor>::New();
    actor->SetMapper(mapper);
    actor->GetProperty()->LightingOff();
    actor->PickableOff();
    // In front of a heatmap, behind lines and points.
    actor->SetPosition(0.0, 0.0, -0.5 * fieldDepthOffset * (x.maximum - x.minimum));
    auto layer = std::make_unique<ActorLayer>();
    layer->items.push_back({ActorLayer::Kind::Heatmap, actor, 0.0});
    const LayerId id = nextLayerId_++;
    actorLayers_.emplace(id, std::move(layer));
    rebuildScene();
    return id;
}

std::vector<Eigen::MatrixX2d> PlotView2D::polylines(LayerId layer) const {
    std::vector<Eigen::MatrixX2d> paths;
    const auto found = actorLayers_.find(layer);
    if (found == actorLayers_.end()) {
        return paths;
    }
    for (const ActorLayer::Item& item : found->second->items) {
        auto* polyData = item.kind == ActorLayer::Kind::Polylines
                             ? vtkPolyData::SafeDownCast(item.actor->GetMapper()->GetInputDataObject(0, 0))
                             : nullptr;
        if (polyData == nullptr) {
            continue;
        }
        const auto cells = vtk::TakeSmartPointer(polyData->GetLines()->NewIterator());
        for (cells->GoToFirstCell(); !cells->IsDoneWithTraversal(); cells->GoToNextCell()) {
            vtkIdType size = 0;
            const vtkIdType* ids = nullptr;
            cells->GetCurrentCell(size, ids);
            Eigen::MatrixX2d path(size, 2);
            for (vtkIdType k = 0; k < size; ++k) {
                const double* point = polyData->GetPoint(ids[k]);
                path.row(k) << point[0], point[1];
            }
            paths.push_back(std::move(path));
        }
    }
    return paths;
}

void PlotView2D::setLayerOpacity(LayerId layer, double opacity) {
    const auto found = actorLayers_.find(layer);
    if (found == actorLayers_.end()) {
        return;
    }
    for (const auto& item : found->second->items) {
        item.actor->GetProperty()->SetOpacity(std::clamp(opacity, 0.0, 1.0));
    }
    requestRender();
}

PlotView2D::LayerId PlotView2D::addScalarField(const Eigen::Ref<const Eigen::MatrixXd>& values, AxisRange x,
                                               AxisRange y, ColorMap map,
                                               const std::vector<double>& contourLevels,
                                               std::optional<AxisRange> colorRange, bool showHeatmap) {
    if (values.rows() < 2 || values.cols() < 2) {
        throw std::invalid_argument("a scalar field needs at least 2×2 grid values, got " +
                                    std::to_string(values.rows()) + "×" + std::to_string(values.cols()));
    }
    if (!(x.maximum > x.minimum) || !(y.maximum > y.minimum)) {
        throw std::invalid_argument("a scalar field needs increasing x and y ranges");
    }
    const auto columns = static_cast<int>(values.rows()); // along x
    const auto rows = static_cast<int>(values.cols());    // along y
    vtkNew<vtkImageData> image;
    image->SetDimensions(columns, rows, 1);
    image->SetOrigin(x.minimum, y.minimum, 0.0);
    image->SetSpacing((x.maximum - x.minimum) / (columns - 1), (y.maximum - y.minimum) / (rows - 1), 1.0);
    vtkNew<vtkDoubleArray> scalars;
    scalars->SetName("field");
    scalars->SetNumberOfTuples(static_cast<vtkIdType>(columns) * rows);
    // VTK stores x fastest, as a column-major Eigen matrix indexed (x, y) does.
    double* out = scalars->GetPointer(0);
    for (int j = 0; j < rows; ++j) {
        for (int i = 0; i < columns; ++i) {
            out[i + static_cast<size_t>(columns) * j] = values(i, j);
        }
    }
    image->GetPointData()->SetScalars(scalars);

    const AxisRange range = colorRange.value_or(rangeOf(values.reshaped()));
    auto layer = std::make_unique<ActorLayer>();
    if (showHeatmap) {
        vtkNew<vtkDataSetMapper> mapper;
        mapper->SetInputData(image);
        mapper->SetLookupTable(makeLookupTable(map, range.minimum, range.maximum));
        mapper->UseLookupTableScalarRangeOn();
        mapper->SetScalarModeToUsePointData();
        // Interpolating values, not colours, keeps every pixel on the colour map.
        mapper->InterpolateScalarsBeforeMappingOn();
        auto actor = vtkSmartPointer<vtkActor>::New();
        actor->SetMapper(mapper);
        actor->GetProperty()->LightingOff();
        actor->PickableOff();
        // Lines at the same depth as an opaque heatmap fail the depth test; the field sits just behind.
        actor->SetPosition(0.0, 0.0, -fieldDepthOffset * (x.maximum - x.minimum));
        layer->items.push_back({ActorLayer::Kind::Heatmap, actor, 0.0});
        colorBarSource_ = ColorBarContent{map, range, {}};
    }
    if (!contourLevels.empty()) {
        vtkNew<vtkContourFilter> contours;
        contours->SetInputData(image);
        contours->ComputeScalarsOff();
        for (size_t level = 0; level < contourLevels.size(); ++level) {
            contours->SetValue(static_cast<int>(level), contourLevels[level]);
        }
        contours->Update();
        vtkNew<vtkPolyDataMapper> mapper;
        mapper->SetInputData(contours->GetOutput());
        mapper->ScalarVisibilityOff();
        auto actor = vtkSmartPointer<vtkActor>::New();
        actor->SetMapper(mapper);
        actor->GetProperty()->LightingOff();
        actor->PickableOff();
        layer->items.push_back({ActorLayer::Kind::Contours, actor, contourWidth});
    }
    const LayerId id = nextLayerId_++;
    actorLayers_.emplace(id, std::move(layer));
    applyThemeToLayers();
    rebuildScene();
    return id;
}

void PlotView2D::setLayerAboveData(LayerId layer, bool above) {
    const auto found = actorLayers_.find(layer);
    if (found != actorLayers_.end() && found->second->aboveData != above) {
        found->second->aboveData = above;
        rebuildScene();
    }
}

void PlotView2D::setLayerLegend(LayerId layer, std::vector<LegendEntry> entries) {
    if (pointLayers_.count(layer) == 0 && actorLayers_.count(layer) == 0) {
        return;
    }
    if (entries.empty()) {
        layerLegends_.erase(layer);
    } else {
        layerLegends_[layer] = std::move(entries);
    }
    requestRender();
}

void PlotView2D::removeLayer(LayerId layer) {
    layerLegends_.erase(layer);
    if (pointLayers_.erase(layer) + actorLayers_.erase(layer) > 0) {
        rebuildScene();
    }
}

void PlotView2D::clearLayers() {
    pointLayers_.clear();
    actorLayers_.clear();
    layerLegends_.clear();
    colorBarSource_.reset();
    rebuildScene();
}

void PlotView2D::rebuildScene() {
    // Equal depths are resolved by drawing order (VTK's depth test passes on equal), so the order
    // here is the stacking order: heatmaps, contours, paths, then points on top.
    const PlotRenderers renderers = plotRenderers();
    renderers.data->RemoveAllViewProps();
    renderers.halo->RemoveAllViewProps();
    renderers.selection->RemoveAllViewProps();
    for (const ActorLayer::Kind kind :
         {ActorLayer::Kind::Heatmap, ActorLayer::Kind::Contours, ActorLayer::Kind::Polylines}) {
        for (const auto& [id, layer] : actorLayers_) {
            for (const ActorLayer::Item& item : layer->items) {
                if (item.kind == kind) {
                    // The selection renderer draws last, on a cleared depth buffer: over every point.
                    (layer->aboveData ? renderers.selection : renderers.data)->AddActor(item.actor);
                }
            }
        }
    }
    for (const auto& [id, layer] : pointLayers_) {
        layer->cloud.addTo(renderers);
    }
    dataLabels_.reattach();
    // New data are framed automatically until the user moves the camera themselves.
    if (!cameraMovedByUser_) {
        cameraResetPending_ = true;
    }
    applyDataScale();
    applyPixelScaleToLayers(pixelScale());
    requestRender();
}

void PlotView2D::setTitle(const std::string& title) {
    title_ = title;
    requestRender();
}

void PlotView2D::setAxisTitles(const std::string& xTitle, const std::string& yTitle) {
    axes_.xTitle = xTitle;
    axes_.yTitle = yTitle;
    requestRender();
}

void PlotView2D::setAxisTickNames(std::vector<NamedTick> xTicks, std::vector<NamedTick> yTicks) {
    axes_.xNamedTicks = std::move(xTicks);
    axes_.yNamedTicks = std::move(yTicks);
    requestRender();
}

void PlotView2D::showLegend(bool visible) {
    legendVisible_ = visible;
    requestRender();
}

void PlotView2D::showColorBar(bool visible, const std::string& title) {
    colorBarVisible_ = visible;
    colorBarTitle_ = title;
    requestRender();
}

void PlotView2D::setAspectMode(AspectMode mode) {
    aspectMode_ = mode;
    resetCamera();
}

void PlotView2D::resetCamera() {
    // The frame depends on the window size, known for sure only when a frame is laid out.
    cameraResetPending_ = true;
    cameraMovedByUser_ = false;
    if (overlayShapes_ != nullptr) {
        bool xLabelsUpright = false;
        const PixelRect frame = computeFrame(currentOverlayStyle(), xLabelsUpright);
        applyFrame(frame);
        fitCameraToData(frame);
        updateVisibleRanges(frame);
    }
    requestRender();
}

void PlotView2D::setCameraState(const CameraState& state) {
    cameraResetPending_ = false;
    cameraMovedByUser_ = true;
    VtkView::setCameraState(state);
}

void PlotView2D::fitCameraToData(const PixelRect& frame) {
    cameraResetPending_ = false;
    if (aspectMode_ == AspectMode::Equal) {
        dataYScale_ = 1.0;
    }
    applyDataScale();
    double bounds[6];
    visibleBounds(bounds);
    if (!(bounds[1] >= bounds[0]) || !(bounds[3] >= bounds[2])) {
        return; // nothing visible yet
    }
    if (aspectMode_ == AspectMode::Fill) {
        const double dataWidth = bounds[1] - bounds[0];
        const double dataHeight = (bounds[3] - bounds[2]) / dataYScale_;
        if (dataWidth > 0.0 && dataHeight > 0.0 && frame.width > 0.0 && frame.height > 0.0) {
            dataYScale_ = dataWidth / dataHeight * frame.height / frame.width;
            applyDataScale();
            visibleBounds(bounds);
        }
    }
    const double centerX = 0.5 * (bounds[0] + bounds[1]);
    const double centerY = 0.5 * (bounds[2] + bounds[3]);
    double halfWidth = 0.5 * (bounds[1] - bounds[0]);
    double halfHeight = 0.5 * (bounds[3] - bounds[2]);
    if (halfWidth <= 0.0 && halfHeight <= 0.0) {
        halfWidth = halfHeight = 1.0; // a single point: show a unit neighbourhood
    }
    const double aspect = frame.height > 0.0 ? frame.width / frame.height : 1.0;
    vtkCamera* camera = renderer()->GetActiveCamera();
    camera->ParallelProjectionOn();
    const double distance = 10.0 * std::max(halfWidth, halfHeight) + 1.0;
    camera->SetFocalPoint(centerX, centerY, 0.0);
    camera->SetPosition(centerX, centerY, distance);
    camera->SetViewUp(0.0, 1.0, 0.0);
    camera->SetParallelScale(framePadding * std::max(halfHeight, halfWidth / aspect));
    renderer()->ResetCameraClippingRange();
}

void PlotView2D::visibleBounds(double bounds[6]) const {
    // Layers drawn above the data live in the selection renderer; they are framed like the others.
    renderer()->ComputeVisiblePropBounds(bounds);
    double above[6];
    selectionRenderer_->ComputeVisiblePropBounds(above);
    for (int axis = 0; axis < 3; ++axis) {
        if (above[2 * axis + 1] >= above[2 * axis]) {
            const bool empty = !(bounds[2 * axis + 1] >= bounds[2 * axis]);
            bounds[2 * axis] = empty ? above[2 * axis] : std::min(bounds[2 * axis], above[2 * axis]);
            bounds[2 * axis + 1] =
                empty ? above[2 * axis + 1] : std::max(bounds[2 * axis + 1], above[2 * axis + 1]);
        }
    }
}

void PlotView2D::applyDataScale() {
    dataLabels_.setYScale(dataYScale_);
    for (auto& [id, layer] : pointLayers_) {
        layer->cloud.setScale(1.0, dataYScale_, 1.0);
    }
    for (auto& [id, layer] : actorLayers_) {
        for (const ActorLayer::Item& item : layer->items) {
            item.actor->SetScale(1.0, dataYScale_, 1.0);
        }
    }
}

void PlotView2D::applyPixelScaleToLayers(double pixelScale) {
    for (auto& [id, layer] : pointLayers_) {
        layer->cloud.applyPixelScale(pixelScale);
    }
    for (auto& [id, layer] : actorLayers_) {
        for (const ActorLayer::Item& item : layer->items) {
            if (item.lineWidth > 0.0) {
                item.actor->GetProperty()->SetLineWidth(static_cast<float>(item.lineWidth * pixelScale));
            }
        }
    }
}

void PlotView2D::applyThemeToLayers() {
    const Eigen::Vector3d background = backgroundColor();
    const Eigen::Vector3d ink = foregroundColor();
    overlayRenderer_->SetBackground(background.x(), background.y(), background.z());
    renderer()->SetBackground(background.x(), background.y(), background.z());
    dataLabels_.setBackground(background);
    for (auto& [id, layer] : pointLayers_) {
        layer->cloud.setHaloColor(ink);
    }
    for (auto& [id, layer] : actorLayers_) {
        for (const ActorLayer::Item& item : layer->items) {
            if (item.kind == ActorLayer::Kind::Contours) {
                item.actor->GetProperty()->SetColor(ink.x(), ink.y(), ink.z());
            }
        }
    }
    requestRender();
}

OverlayStyle PlotView2D::currentOverlayStyle() const {
    OverlayStyle style;
    style.pixelScale = pixelScale();
    style.dpi = renderWindow()->GetDPI();
    style.foreground = foregroundColor();
    style.background = backgroundColor();
    return style;
}

std::vector<LegendEntry> PlotView2D::legendEntries() const {
    std::vector<LegendEntry> entries;
    for (const auto& [id, layer] : pointLayers_) {
        if (layer->coloredByLabel) {
            entries.insert(entries.end(), layer->labelLegend.begin(), layer->labelLegend.end());
        }
    }
    for (const auto& [id, named] : layerLegends_) {
        entries.insert(entries.end(), named.begin(), named.end());
    }
    return entries;
}

PixelRect PlotView2D::computeFrame(const OverlayStyle& style, bool& xLabelsUpright) const {
    const int* size = renderWindow()->GetSize();
    const double width = size[0];
    const double height = size[1];
    const double scale = style.pixelScale;

    double rightPanel = 0.0;
    if (legendVisible_) {
        rightPanel = std::max(rightPanel, legendSize(legendEntries(), style)[0]);
    }
    if (colorBarVisible_ && colorBarSource_) {
        ColorBarContent content = *colorBarSource_;
        content.title = colorBarTitle_;
        const double titleWidth =
            content.title.empty() ? 0.0 : measureText(content.title, style.fonts.axisTitle, style.dpi)[0];
        rightPanel = std::max({rightPanel, colorBarWidth(content, style), titleWidth});
    }
    const double right = outerMargin * scale + (rightPanel > 0.0 ? rightPanel + panelGap * scale : 0.0);
    const double top =
        outerMargin * scale +
        (title_.empty() ? 0.0
                        : measureText(title_, style.fonts.heading, style.dpi, true)[1] + titleGap * scale);
    AxesContent axes = axes_;
    axes.x = visibleX_;
    axes.y = visibleY_;
    axes.xLabelsUpright = false;
    double bottom = outerMargin * scale + xAxisBandHeight(axes, style);
    const double frameHeightGuess = std::max(1.0, height - top - bottom);
    const double left =
        outerMargin * scale + yTitleBandWidth(axes, style) + yTickLabelWidth(axes, frameHeightGuess, style);
    const double frameWidth = std::max(1.0, width - left - right);
    // The frame's width does not depend on the band under it, so upright labels only make it lower.
    xLabelsUpright = namedXLabelsNeedUpright(axes, frameWidth, style);
    if (xLabelsUpright) {
        axes.xLabelsUpright = true;
        bottom = outerMargin * scale + xAxisBandHeight(axes, style);
    }
    return {left, bottom, frameWidth, std::max(1.0, height - top - bottom)};
}

void PlotView2D::applyFrame(const PixelRect& frame) {
    const int* size = renderWindow()->GetSize();
    const double width = std::max(1, size[0]);
    const double height = std::max(1, size[1]);
    const double viewport[4] = {frame.x / width, frame.y / height, frame.right() / width,
                                frame.top() / height};
    for (vtkRenderer* target : {renderer(), haloRenderer_.Get(), selectionRenderer_.Get()}) {
        target->SetViewport(viewport[0], viewport[1], viewport[2], viewport[3]);
    }
    frame_ = frame;
}

void PlotView2D::updateVisibleRanges(const PixelRect& frame) {
    vtkCamera* camera = renderer()->GetActiveCamera();
    double focal[3];
    camera->GetFocalPoint(focal);
    const double halfHeight = camera->GetParallelScale();
    const double halfWidth = halfHeight * frame.width / frame.height;
    visibleX_ = {focal[0] - halfWidth, focal[0] + halfWidth};
    visibleY_ = {(focal[1] - halfHeight) / dataYScale_, (focal[1] + halfHeight) / dataYScale_};
}

void PlotView2D::layOutAndDrawOverlay() {
    const OverlayStyle style = currentOverlayStyle();
    applyPixelScaleToLayers(style.pixelScale);
    bool xLabelsUpright = false;
    const PixelRect frame = computeFrame(style, xLabelsUpright);
    applyFrame(frame);
    if (cameraResetPending_) {
        fitCameraToData(frame);
    }
    renderer()->ResetCameraClippingRange();
    updateVisibleRanges(frame);
    dataLabels_.arrange(selectionRenderer_, style.dpi);

    overlayShapes_->clear();
    overlayTexts_->beginFrame();
    AxesContent content = axes_;
    content.x = visibleX_;
    content.y = visibleY_;
    content.xLabelsUpright = xLabelsUpright;
    drawnTickLabels_ = drawAxes2D(content, frame, style, *overlayShapes_, *overlayTexts_);
    if (!title_.empty()) {
        // Centred over the frame, but kept inside the picture when the legend squeezes the frame aside.
        const double halfWidth = 0.5 * measureText(title_, style.fonts.heading, style.dpi, true)[0];
        const double margin = titleGap * style.pixelScale;
        const double pictureWidth = renderWindow()->GetSize()[0];
        const double centre = std::max(
            std::min(frame.x + 0.5 * frame.width, pictureWidth - margin - halfWidth), margin + halfWidth);
        overlayTexts_->add(title_, centre, frame.top() + titleGap * style.pixelScale, style.fonts.heading,
                           style.foreground, TextAnchor::Bottom, 0.0, true);
    }
    const double panelLeft = frame.right() + panelGap * style.pixelScale;
    double panelTop = frame.top();
    legendBox_ = {};
    if (legendVisible_) {
        legendBox_ = drawLegend(legendEntries(), panelLeft, panelTop, style, *overlayShapes_, *overlayTexts_);
        if (legendBox_.height > 0.0) {
            panelTop = legendBox_.y - legendToColorBarGap * style.pixelScale;
        }
    }
    colorBarStrip_ = {};
    if (colorBarVisible_ && colorBarSource_) {
        ColorBarContent bar = *colorBarSource_;
        bar.title = colorBarTitle_;
        // The bar takes at most two thirds of the frame height so its ticks stay well spaced.
        const double available = panelTop - frame.y;
        const double height = std::min(available, 0.66 * frame.height + colorBarTitleHeight(bar, style));
        colorBarStrip_ = drawColorBar(bar, {panelLeft, panelTop - height, colorBarWidth(bar, style), height},
                                      style, *overlayShapes_, *overlayTexts_);
    }
    overlayTexts_->endFrame();
    overlayShapes_->commit();
}

Eigen::Vector2d PlotView2D::displayToData(const QPointF& widgetPosition) const {
    const Eigen::Vector3d world = displayToWorld(widgetPosition, 0.0);
    return {world.x(), world.y() / dataYScale_};
}

QPointF PlotView2D::dataToDisplay(const Eigen::Vector2d& data) const {
    return worldToDisplay(Eigen::Vector3d(data.x(), data.y() * dataYScale_, 0.0));
}

QRectF PlotView2D::toWidgetRect(const PixelRect& rect) const {
    const double ratio = devicePixelRatioF();
    const int* size = renderWindow()->GetSize();
    return {rect.x / ratio, (size[1] - rect.top()) / ratio, rect.width / ratio, rect.height / ratio};
}

QRectF PlotView2D::frameRect() const {
    return toWidgetRect(frame_);
}

QRectF PlotView2D::colorBarRect() const {
    return toWidgetRect(colorBarStrip_);
}

QRectF PlotView2D::legendRect() const {
    return toWidgetRect(legendBox_);
}

} // namespace locallab
