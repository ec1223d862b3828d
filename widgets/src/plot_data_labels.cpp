#include "locallab/widgets/plot_data_labels.hpp"

#include "locallab/widgets/plot_overlay_items.hpp"

#include <array>
#include <cmath>
#include <vtkCoordinate.h>
#include <vtkRenderer.h>
#include <vtkTextActor.h>
#include <vtkTextProperty.h>
#include <vtkViewport.h>

namespace locallab {

namespace {

// Points, like the legend's text: one point is one logical pixel.
constexpr double labelFontPoints = 14.0;
constexpr double boxOpacity = 0.82;

} // namespace

DataLabels::DataLabels(vtkRenderer* renderer) : renderer_(renderer) {}

DataLabels::~DataLabels() {
    for (const auto& actor : actors_) {
        renderer_->RemoveActor2D(actor);
    }
}

void DataLabels::set(std::vector<DataLabel> labels) {
    labels_ = std::move(labels);
    while (actors_.size() < labels_.size()) {
        auto actor = vtkSmartPointer<vtkTextActor>::New();
        actor->PickableOff();
        // World coordinates: VTK projects the anchor through the renderer's camera every frame.
        actor->GetPositionCoordinate()->SetCoordinateSystemToWorld();
        vtkTextProperty* text = actor->GetTextProperty();
        text->SetFontFamilyToArial();
        text->SetFontSize(static_cast<int>(labelFontPoints));
        text->SetBold(true);
        text->SetJustificationToCentered();
        text->SetVerticalJustificationToCentered();
        text->SetBackgroundOpacity(boxOpacity);
        renderer_->AddActor2D(actor);
        actors_.push_back(actor);
    }
    place();
}

void DataLabels::setBackground(const Rgb& color) {
    background_ = color;
    place();
}

void DataLabels::setYScale(double yScale) {
    yScale_ = yScale;
    place();
}

void DataLabels::reattach() {
    for (const auto& actor : actors_) {
        renderer_->AddActor2D(actor); // a no-op for an actor it already holds
    }
}

void DataLabels::setHiddenWhenCrowded(bool hidden) {
    hiddenWhenCrowded_ = hidden;
}

void DataLabels::arrange(vtkViewport* viewport, int dpi) {
    bool readable = !labels_.empty();
    if (readable && hiddenWhenCrowded_) {
        // Each label's box in display pixels, centred on its anchor.
        std::vector<std::array<double, 4>> boxes; // centre x, centre y, half width, half height
        vtkNew<vtkCoordinate> anchor;
        anchor->SetCoordinateSystemToWorld();
        for (const DataLabel& label : labels_) {
            anchor->SetValue(label.position.x(), label.position.y() * yScale_, label.position.z());
            const double* display = anchor->GetComputedDoubleDisplayValue(viewport);
            const std::array<double, 2> size = measureText(label.text, labelFontPoints, dpi, true);
            boxes.push_back({display[0], display[1], 0.5 * size[0] + 2.0, 0.5 * size[1] + 2.0});
        }
        for (std::size_t first = 0; first < boxes.size() && readable; ++first) {
            for (std::size_t second = first + 1; second < boxes.size() && readable; ++second) {
                readable =
                    std::abs(boxes[first][0] - boxes[second][0]) > boxes[first][2] + boxes[second][2] ||
                    std::abs(boxes[first][1] - boxes[second][1]) > boxes[first][3] + boxes[second][3];
            }
        }
    }
    shown_ = readable;
    for (std::size_t index = 0; index < actors_.size(); ++index) {
        actors_[index]->SetVisibility(readable && index < labels_.size());
    }
}

void DataLabels::place() {
    for (std::size_t index = 0; index < actors_.size(); ++index) {
        vtkTextActor* actor = actors_[index];
        if (index >= labels_.size()) {
            actor->VisibilityOff();
            continue;
        }
        const DataLabel& label = labels_[index];
        actor->SetInput(label.text.c_str());
        actor->GetPositionCoordinate()->SetValue(label.position.x(), label.position.y() * yScale_,
                                                 label.position.z());
        vtkTextProperty* text = actor->GetTextProperty();
        text->SetColor(label.color.x(), label.color.y(), label.color.z());
        text->SetBackgroundColor(background_.x(), background_.y(), background_.z());
        actor->VisibilityOn();
    }
}

} // namespace locallab
