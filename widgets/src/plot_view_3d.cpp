#include "locallab/widgets/plot_view_3d.hpp"

#include "locallab/widgets/plot_color_bar.hpp"
#include "locallab/widgets/plot_overlay_items.hpp"
#include "locallab/widgets/plot_point_cloud.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <vtkActor.h>
#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkCellData.h>
#include <vtkCubeAxesActor.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>
#include <vtkTextProperty.h>
#include <vtkUnsignedCharArray.h>

namespace locallab {

namespace {

// Logical pixels.
constexpr double outerMargin = 14.0;
constexpr double legendToColorBarGap = 18.0;
constexpr double titleGap = 10.0;

} // namespace

struct PlotView3D::PointLayer {
    explicit PointLayer(const Eigen::Ref<const Eigen::MatrixXd>& points) : cloud(points) {}
    PointCloudLayer cloud;
    std::vector<LegendEntry> labelLegend;
};

// Lines (a neighbour graph, the edges of one point): one actor whose width follows the pixel scale.
struct PlotView3D::LineLayer {
    vtkSmartPointer<vtkActor> actor;
    double lineWidth = 2.0; // logical pixels
    bool aboveData = false; // drawn with the selection, over every point layer
};

PlotView3D::PlotView3D(QWidget* parent) : VtkView(parent), dataLabels_(overlayRenderer_.Get()) {
    vtkGenericOpenGLRenderWindow* window = renderWindow();
    // Data, halos, selected points, then legend and colour bar on top of everything.
    window->SetNumberOfLayers(4);
    const std::array<vtkRenderer*, 3> upper{haloRenderer_.Get(), selectionRenderer_.Get(),
                                            overlayRenderer_.Get()};
    for (size_t index = 0; index < upper.size(); ++index) {
        upper[index]->SetLayer(static_cast<int>(index) + 1);
        upper[index]->SetActiveCamera(renderer()->GetActiveCamera());
        upper[index]->InteractiveOff();
        window->AddRenderer(upper[index]);
    }
    overlayShapes_ = std::make_unique<OverlayShapes>();
    overlayShapes_->addTo(overlayRenderer_);
    overlayTexts_ = std::make_unique<OverlayTexts>(overlayRenderer_);

    cubeAxes_->SetCamera(renderer()->GetActiveCamera());
    // Screen-space labels keep their font size whatever the zoom.
    cubeAxes_->SetUse2DMode(true);
    cubeAxes_->SetFlyModeToOuterEdges();
    cubeAxes_->SetGridLineLocation(vtkCubeAxesActor::VTK_GRID_LINES_FURTHEST);
    cubeAxes_->PickableOff();
    cubeAxes_->SetXTitle("x");
    cubeAxes_->SetYTitle("y");
    cubeAxes_->SetZTitle("z");

    connect(this, &VtkView::aboutToRender, this, &PlotView3D::drawOverlay);
    connect(this, &VtkView::themeChanged, this, &PlotView3D::applyThemeToScene);
    connect(this, &VtkView::interactingChanged, this, [this](bool interacting) {
        for (auto& [id, layer] : pointLayers_) {
            layer->cloud.setDecimated(interacting);
        }
    });
    setInteractionMode(InteractionMode::ThreeD);
    applyThemeToScene();
}

PlotView3D::~PlotView3D() {
    // Layers die before the base class releases the context, so their buffers go now, while it lives.
    if (context() != nullptr && isValid()) {
        makeCurrent();
        renderWindow()->ReleaseGraphicsResources(renderWindow());
        doneCurrent();
    }
    // Text actors unregister from the overlay renderer, which must still exist.
    overlayTexts_.reset();
}

PlotView3D::LayerId PlotView3D::addPoints(const Eigen::Ref<const Eigen::MatrixX3d>& points,
                                          double sizeLogicalPixels, const Rgb& color) {
    auto layer = std::make_unique<PointLayer>(points);
    layer->cloud.setUniformColor(color);
    layer->cloud.setPointSize(sizeLogicalPixels);
    layer->cloud.setHaloColor(foregroundColor());
    layer->cloud.setDecimated(isInteracting());
    const LayerId id = nextLayerId_++;
    pointLayers_.emplace(id, std::move(layer));
    rebuildScene();
    return id;
}

void PlotView3D::setPointColorsByLabel(LayerId layer, const Eigen::Ref<const Eigen::VectorXi>& labels,
                                       const std::vector<std::string>& names) {
    const auto found = pointLayers_.find(layer);
    if (found == pointLayers_.end()) {
        return;
    }
    found->second->cloud.setColorsByLabel(labels);
    found->second->labelLegend.clear();
    for (const int label : std::set<int>(labels.begin(), labels.end())) {
        std::string name = label < 0 ? "unassigned" : "class " + std::to_string(label);
        if (label >= 0 && static_cast<size_t>(label) < names.size()) {
            name = names[static_cast<size_t>(label)];
        }
        found->second->labelLegend.push_back({name, categoricalColor(label)});
    }
    requestRender();
}

void PlotView3D::setPointColorsByValue(LayerId layer, const Eigen::Ref<const Eigen::VectorXd>& values,
                                       ColorMap map, std::optional<AxisRange> range) {
    const auto found = pointLayers_.find(layer);
    if (found == pointLayers_.end() || values.size() == 0) {
        return;
    }
    const AxisRange used = range.value_or(AxisRange{values.minCoeff(), values.maxCoeff()});
    found->second->cloud.setColorsByValue(values, map, used.minimum, used.maximum);
    found->second->labelLegend.clear();
    colorBarMap_ = map;
    colorBarRange_ = used;
    requestRender();
}

void PlotView3D::setSelection(LayerId layer, const std::vector<Eigen::Index>& indices) {
    const auto found = pointLayers_.find(layer);
    if (found != pointLayers_.end()) {
        found->second->cloud.setSelection(indices);
        requestRender();
    }
}

std::vector<Eigen::Index> PlotView3D::selection(LayerId layer) const {
    const auto found = pointLayers_.find(layer);
    return found == pointLayers_.end() ? std::vector<Eigen::Index>{} : found->second->cloud.selection();
}

PlotView3D::LayerId PlotView3D::addPolylines(const std::vector<Eigen::MatrixX3d>& paths,
                                             const std::vector<Rgb>& colors, double widthLogicalPixels) {
    vtkNew<vtkPoints> points;
    vtkNew<vtkCellArray> lines;
    vtkNew<vtkUnsignedCharArray> cellColors;
    cellColors->SetNumberOfComponents(3);
    for (size_t pathIndex = 0; pathIndex < paths.size(); ++pathIndex) {
        const Eigen::MatrixX3d& path = paths[pathIndex];
        if (path.rows() < 2) {
            continue;
        }
        lines->InsertNextCell(static_cast<vtkIdType>(path.rows()));
        for (Eigen::Index row = 0; row < path.rows(); ++row) {
            lines->InsertCellPoint(points->InsertNextPoint(path(row, 0), path(row, 1), path(row, 2)));
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
    auto layer = std::make_unique<LineLayer>();
    layer->actor = vtkSmartPointer<vtkActor>::New();
    layer->actor->SetMapper(mapper);
    layer->actor->GetProperty()->LightingOff();
    layer->actor->PickableOff();
    layer->lineWidth = widthLogicalPixels;
    const LayerId id = nextLayerId_++;
    lineLayers_.emplace(id, std::move(layer));
    rebuildScene();
    return id;
}

void PlotView3D::setLayerAboveData(LayerId layer, bool above) {
    const auto found = lineLayers_.find(layer);
    if (found != lineLayers_.end() && found->second->aboveData != above) {
        found->second->aboveData = above;
        rebuildScene();
    }
}

void PlotView3D::setLayerOpacity(LayerId layer, double opacity) {
    const auto found = lineLayers_.find(layer);
    if (found != lineLayers_.end()) {
        found->second->actor->GetProperty()->SetOpacity(std::clamp(opacity, 0.0, 1.0));
        requestRender();
    }
}

void PlotView3D::removeLayer(LayerId layer) {
    if (pointLayers_.erase(layer) + lineLayers_.erase(layer) > 0) {
        rebuildScene();
    }
}

void PlotView3D::clearLayers() {
    pointLayers_.clear();
    lineLayers_.clear();
    colorBarMap_.reset();
    rebuildScene();
}

void PlotView3D::setDataLabels(std::vector<DataLabel> labels) {
    dataLabels_.set(std::move(labels));
    requestRender();
}

void PlotView3D::setDataLabelsHiddenWhenCrowded(bool hidden) {
    dataLabels_.setHiddenWhenCrowded(hidden);
    requestRender();
}

void PlotView3D::setTitle(const std::string& title) {
    title_ = title;
    requestRender();
}

void PlotView3D::setAxisTitles(const std::string& xTitle, const std::string& yTitle,
                               const std::string& zTitle) {
    cubeAxes_->SetXTitle(xTitle.c_str());
    cubeAxes_->SetYTitle(yTitle.c_str());
    cubeAxes_->SetZTitle(zTitle.c_str());
    requestRender();
}

void PlotView3D::showLegend(bool visible) {
    legendVisible_ = visible;
    requestRender();
}

void PlotView3D::showColorBar(bool visible, const std::string& title) {
    colorBarVisible_ = visible;
    colorBarTitle_ = title;
    requestRender();
}

void PlotView3D::rebuildScene() {
    const PlotRenderers renderers{renderer(), haloRenderer_.Get(), selectionRenderer_.Get()};
    renderers.data->RemoveAllViewProps();
    renderers.halo->RemoveAllViewProps();
    renderers.selection->RemoveAllViewProps();
    for (const auto& [id, layer] : lineLayers_) {
        (layer->aboveData ? renderers.selection : renderers.data)->AddActor(layer->actor);
    }
    for (const auto& [id, layer] : pointLayers_) {
        layer->cloud.addTo(renderers);
    }
    double bounds[6];
    renderer()->ComputeVisiblePropBounds(bounds);
    if (bounds[1] >= bounds[0]) {
        cubeAxes_->SetBounds(bounds);
        renderer()->AddActor(cubeAxes_);
    }
    // A point or line picked out by the user must not throw away the view they turned to.
    if (!cameraPlaced_) {
        resetCamera();
    }
    requestRender();
}

void PlotView3D::setCameraState(const CameraState& state) {
    cameraPlaced_ = true;
    VtkView::setCameraState(state);
}

void PlotView3D::resetCamera() {
    if (overlayShapes_ == nullptr) {
        VtkView::resetCamera();
        return;
    }
    vtkCamera* camera = renderer()->GetActiveCamera();
    camera->SetPosition(0.0, -1.0, 0.0);
    camera->SetFocalPoint(0.0, 0.0, 0.0);
    camera->SetViewUp(0.0, 0.0, 1.0);
    camera->Azimuth(35.0);
    camera->Elevation(25.0);
    renderer()->ResetCamera();
    camera->Zoom(0.85); // room for the axis labels
    cameraPlaced_ = !pointLayers_.empty() || !lineLayers_.empty();
    requestRender();
}

void PlotView3D::applyThemeToScene() {
    const Eigen::Vector3d ink = foregroundColor();
    for (int axis = 0; axis < 3; ++axis) {
        for (vtkTextProperty* property :
             {cubeAxes_->GetTitleTextProperty(axis), cubeAxes_->GetLabelTextProperty(axis)}) {
            property->SetColor(ink.x(), ink.y(), ink.z());
            property->SetFontFamilyToArial();
        }
        cubeAxes_->GetTitleTextProperty(axis)->SetFontSize(17);
        cubeAxes_->GetLabelTextProperty(axis)->SetFontSize(15);
    }
    for (vtkProperty* property : {cubeAxes_->GetXAxesLinesProperty(), cubeAxes_->GetYAxesLinesProperty(),
                                  cubeAxes_->GetZAxesLinesProperty()}) {
        property->SetColor(ink.x(), ink.y(), ink.z());
    }
    for (auto& [id, layer] : pointLayers_) {
        layer->cloud.setHaloColor(ink);
    }
    dataLabels_.setBackground(backgroundColor());
    requestRender();
}

void PlotView3D::drawOverlay() {
    OverlayStyle style;
    style.pixelScale = pixelScale();
    style.dpi = renderWindow()->GetDPI();
    style.foreground = foregroundColor();
    style.background = backgroundColor();
    for (auto& [id, layer] : pointLayers_) {
        layer->cloud.applyPixelScale(style.pixelScale);
    }
    for (auto& [id, layer] : lineLayers_) {
        layer->actor->GetProperty()->SetLineWidth(static_cast<float>(layer->lineWidth * style.pixelScale));
    }
    cubeAxes_->GetXAxesLinesProperty()->SetLineWidth(static_cast<float>(1.5 * style.pixelScale));
    cubeAxes_->GetYAxesLinesProperty()->SetLineWidth(static_cast<float>(1.5 * style.pixelScale));
    cubeAxes_->GetZAxesLinesProperty()->SetLineWidth(static_cast<float>(1.5 * style.pixelScale));
    renderer()->ResetCameraClippingRange();
    dataLabels_.arrange(renderer(), style.dpi);

    overlayShapes_->clear();
    overlayTexts_->beginFrame();
    const int* size = renderWindow()->GetSize();
    const double margin = outerMargin * style.pixelScale;
    std::vector<LegendEntry> entries;
    for (const auto& [id, layer] : pointLayers_) {
        entries.insert(entries.end(), layer->labelLegend.begin(), layer->labelLegend.end());
    }
    double panelTop = size[1] - margin;
    if (!title_.empty()) {
        overlayTexts_->add(title_, 0.5 * size[0], size[1] - margin, style.fonts.heading, style.foreground,
                           TextAnchor::Top, 0.0, true);
        panelTop -=
            measureText(title_, style.fonts.heading, style.dpi, true)[1] + titleGap * style.pixelScale;
    }
    if (legendVisible_ && !entries.empty()) {
        const auto [width, height] = legendSize(entries, style);
        const PixelRect box =
            drawLegend(entries, size[0] - margin - width, panelTop, style, *overlayShapes_, *overlayTexts_);
        panelTop = box.y - legendToColorBarGap * style.pixelScale;
    }
    colorBarStrip_ = {};
    if (colorBarVisible_ && colorBarMap_) {
        const ColorBarContent bar{*colorBarMap_, colorBarRange_, colorBarTitle_};
        const double width =
            std::max(colorBarWidth(bar, style),
                     bar.title.empty() ? 0.0 : measureText(bar.title, style.fonts.axisTitle, style.dpi)[0]);
        const double height = std::min(panelTop - margin, 0.5 * size[1]);
        colorBarStrip_ = drawColorBar(bar, {size[0] - margin - width, panelTop - height, width, height},
                                      style, *overlayShapes_, *overlayTexts_);
    }
    overlayTexts_->endFrame();
    overlayShapes_->commit();
}

QRectF PlotView3D::colorBarRect() const {
    const double ratio = devicePixelRatioF();
    const int* size = renderWindow()->GetSize();
    return {colorBarStrip_.x / ratio, (size[1] - colorBarStrip_.top()) / ratio, colorBarStrip_.width / ratio,
            colorBarStrip_.height / ratio};
}

} // namespace locallab
