#include "locallab/widgets/plot_overlay_items.hpp"

#include <cmath>
#include <numbers>
#include <vtkActor2D.h>
#include <vtkCellArray.h>
#include <vtkCellData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper2D.h>
#include <vtkProperty2D.h>
#include <vtkRenderer.h>
#include <vtkTextActor.h>
#include <vtkTextProperty.h>
#include <vtkTextRenderer.h>
#include <vtkUnsignedCharArray.h>

namespace locallab {

namespace {

void styleText(vtkTextProperty* property, double fontPoints, const Rgb& color, TextAnchor anchor,
               double orientationDegrees, bool bold) {
    property->SetFontFamilyToArial();
    property->SetFontSize(static_cast<int>(std::lround(fontPoints)));
    property->SetColor(color.x(), color.y(), color.z());
    property->SetBold(bold);
    property->SetItalic(false);
    property->SetShadow(false);
    property->SetOrientation(orientationDegrees);
    switch (anchor) {
    case TextAnchor::BottomLeft:
        property->SetJustificationToLeft();
        property->SetVerticalJustificationToBottom();
        break;
    case TextAnchor::Left:
        property->SetJustificationToLeft();
        property->SetVerticalJustificationToCentered();
        break;
    case TextAnchor::Right:
        property->SetJustificationToRight();
        property->SetVerticalJustificationToCentered();
        break;
    case TextAnchor::Top:
        property->SetJustificationToCentered();
        property->SetVerticalJustificationToTop();
        break;
    case TextAnchor::Bottom:
        property->SetJustificationToCentered();
        property->SetVerticalJustificationToBottom();
        break;
    case TextAnchor::Center:
        property->SetJustificationToCentered();
        property->SetVerticalJustificationToCentered();
        break;
    }
}

} // namespace

OverlayShapes::OverlayShapes() {
    colors_->SetNumberOfComponents(3);
    polyData_->SetPoints(points_);
    polyData_->SetPolys(polygons_);
    polyData_->GetCellData()->SetScalars(colors_);
    vtkNew<vtkPolyDataMapper2D> mapper;
    mapper->SetInputData(polyData_);
    mapper->ScalarVisibilityOn();
    mapper->SetScalarModeToUseCellData();
    mapper->SetColorModeToDirectScalars();
    actor_->SetMapper(mapper);
    actor_->PickableOff();
}

OverlayShapes::~OverlayShapes() = default;

void OverlayShapes::addTo(vtkRenderer* renderer) const {
    renderer->AddActor2D(actor_);
}

void OverlayShapes::removeFrom(vtkRenderer* renderer) const {
    renderer->RemoveActor2D(actor_);
}

void OverlayShapes::clear() {
    points_->Reset();
    polygons_->Reset();
    colors_->Reset();
}

void OverlayShapes::addPolygon(const std::vector<std::array<double, 2>>& corners, const Rgb& color) {
    polygons_->InsertNextCell(static_cast<vtkIdType>(corners.size()));
    for (const auto& corner : corners) {
        polygons_->InsertCellPoint(points_->InsertNextPoint(corner[0], corner[1], 0.0));
    }
    colors_->InsertNextTuple3(std::lround(255.0 * color.x()), std::lround(255.0 * color.y()),
                              std::lround(255.0 * color.z()));
}

void OverlayShapes::addRectangle(const PixelRect& rect, const Rgb& color) {
    addPolygon({{rect.x, rect.y}, {rect.right(), rect.y}, {rect.right(), rect.top()}, {rect.x, rect.top()}},
               color);
}

void OverlayShapes::addDisc(double centerX, double centerY, double radius, const Rgb& color) {
    constexpr int sides = 24;
    std::vector<std::array<double, 2>> corners;
    corners.reserve(sides);
    for (int side = 0; side < sides; ++side) {
        const double angle = 2.0 * std::numbers::pi * side / sides;
        corners.push_back({centerX + radius * std::cos(angle), centerY + radius * std::sin(angle)});
    }
    addPolygon(corners, color);
}

void OverlayShapes::addSegment(double x0, double y0, double x1, double y1, double thickness,
                               const Rgb& color) {
    const double half = 0.5 * thickness;
    const double left = std::min(x0, x1) - half;
    const double bottom = std::min(y0, y1) - half;
    addRectangle({left, bottom, std::abs(x1 - x0) + thickness, std::abs(y1 - y0) + thickness}, color);
}

void OverlayShapes::commit() {
    points_->Modified();
    polygons_->Modified();
    colors_->Modified();
    polyData_->Modified();
}

OverlayTexts::OverlayTexts(vtkRenderer* renderer) : renderer_(renderer) {}

OverlayTexts::~OverlayTexts() {
    for (const auto& actor : actors_) {
        renderer_->RemoveActor2D(actor);
    }
}

void OverlayTexts::beginFrame() {
    used_ = 0;
}

void OverlayTexts::add(const std::string& text, double x, double y, double fontPoints, const Rgb& color,
                       TextAnchor anchor, double orientationDegrees, bool bold) {
    if (used_ == actors_.size()) {
        auto actor = vtkSmartPointer<vtkTextActor>::New();
        actor->PickableOff();
        renderer_->AddActor2D(actor);
        actors_.push_back(actor);
    }
    vtkTextActor* actor = actors_[used_++];
    actor->SetInput(text.c_str());
    actor->SetPosition(x, y);
    styleText(actor->GetTextProperty(), fontPoints, color, anchor, orientationDegrees, bold);
    actor->VisibilityOn();
}

void OverlayTexts::endFrame() {
    for (size_t index = used_; index < actors_.size(); ++index) {
        actors_[index]->VisibilityOff();
    }
}

std::array<double, 2> measureText(const std::string& text, double fontPoints, int dpi, bool bold) {
    vtkNew<vtkTextProperty> property;
    styleText(property, fontPoints, Rgb::Zero(), TextAnchor::BottomLeft, 0.0, bold);
    int bounds[4] = {0, 0, 0, 0};
    vtkTextRenderer* textRenderer = vtkTextRenderer::GetInstance();
    if (textRenderer == nullptr || !textRenderer->GetBoundingBox(property, text, bounds, dpi)) {
        return {0.0, 0.0};
    }
    return {static_cast<double>(bounds[1] - bounds[0]), static_cast<double>(bounds[3] - bounds[2])};
}

} // namespace locallab
