#include "locallab/widgets/plot_point_cloud.hpp"

#include <algorithm>
#include <numeric>
#include <random>
#include <stdexcept>
#include <vtkActor.h>
#include <vtkCellArray.h>
#include <vtkFloatArray.h>
#include <vtkIdTypeArray.h>
#include <vtkLookupTable.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>
#include <vtkUnsignedCharArray.h>

namespace locallab {

namespace {

// Extra diameter, in logical pixels, of the outline and of the selected points themselves.
constexpr double haloExtraPixels = 6.0;
constexpr double selectedExtraPixels = 2.0;

// One poly-vertex cell holding all `ids`: the cheapest cell layout VTK can draw as points.
vtkSmartPointer<vtkCellArray> makeVertexCells(const std::vector<vtkIdType>& ids) {
    auto cells = vtkSmartPointer<vtkCellArray>::New();
    if (ids.empty()) {
        return cells;
    }
    vtkNew<vtkIdTypeArray> offsets;
    offsets->SetNumberOfValues(2);
    offsets->SetValue(0, 0);
    offsets->SetValue(1, static_cast<vtkIdType>(ids.size()));
    vtkNew<vtkIdTypeArray> connectivity;
    connectivity->SetNumberOfValues(static_cast<vtkIdType>(ids.size()));
    std::copy(ids.begin(), ids.end(), connectivity->GetPointer(0));
    cells->SetData(offsets, connectivity);
    return cells;
}

// A fixed random subset, so the decimated picture is the same on every drag and unbiased by the
// order in which the points were generated.
std::vector<vtkIdType> levelOfDetailIndices(Eigen::Index pointCount, Eigen::Index keep) {
    std::vector<vtkIdType> all(static_cast<size_t>(pointCount));
    std::iota(all.begin(), all.end(), vtkIdType{0});
    if (pointCount <= keep) {
        return all;
    }
    std::mt19937_64 generator(20240601u);
    for (Eigen::Index position = 0; position < keep; ++position) {
        std::uniform_int_distribution<Eigen::Index> pick(position, pointCount - 1);
        std::swap(all[static_cast<size_t>(position)], all[static_cast<size_t>(pick(generator))]);
    }
    all.resize(static_cast<size_t>(keep));
    std::sort(all.begin(), all.end()); // keeps memory access in order when drawing
    return all;
}

void setFlatRoundPoints(vtkActor* actor) {
    vtkProperty* property = actor->GetProperty();
    property->SetRepresentationToPoints();
    property->SetRenderPointsAsSpheres(true);
    // Flat discs: a colour in a plot must mean the same everywhere, shading would change it.
    property->LightingOff();
}

} // namespace

PointCloudLayer::PointCloudLayer(const Eigen::Ref<const Eigen::MatrixXd>& points)
    : pointCount_(points.rows()) {
    if (points.cols() != 2 && points.cols() != 3) {
        throw std::invalid_argument("a point cloud needs 2 or 3 columns, got " +
                                    std::to_string(points.cols()));
    }
    vtkNew<vtkFloatArray> coordinates;
    coordinates->SetNumberOfComponents(3);
    coordinates->SetNumberOfTuples(pointCount_);
    float* out = coordinates->GetPointer(0);
    const bool planar = points.cols() == 2;
    for (Eigen::Index row = 0; row < pointCount_; ++row) {
        out[3 * row] = static_cast<float>(points(row, 0));
        out[3 * row + 1] = static_cast<float>(points(row, 1));
        out[3 * row + 2] = planar ? 0.0f : static_cast<float>(points(row, 2));
    }
    vtkNew<vtkPoints> vtkCoordinates;
    vtkCoordinates->SetData(coordinates);

    std::vector<vtkIdType> allIndices(static_cast<size_t>(pointCount_));
    std::iota(allIndices.begin(), allIndices.end(), vtkIdType{0});
    fullData_->SetPoints(vtkCoordinates);
    fullData_->SetVerts(makeVertexCells(allIndices));
    decimatedData_->SetPoints(vtkCoordinates);
    decimatedData_->SetVerts(makeVertexCells(levelOfDetailIndices(pointCount_, levelOfDetailPointCount)));
    selectionData_->SetPoints(vtkCoordinates);
    selectionData_->SetVerts(makeVertexCells({}));

    fullMapper_->SetInputData(fullData_);
    decimatedMapper_->SetInputData(decimatedData_);
    haloMapper_->SetInputData(selectionData_);
    haloMapper_->ScalarVisibilityOff();
    selectedMapper_->SetInputData(selectionData_);
    fullActor_->SetMapper(fullMapper_);
    decimatedActor_->SetMapper(decimatedMapper_);
    haloActor_->SetMapper(haloMapper_);
    selectedActor_->SetMapper(selectedMapper_);
    for (vtkActor* actor :
         {fullActor_.Get(), decimatedActor_.Get(), haloActor_.Get(), selectedActor_.Get()}) {
        setFlatRoundPoints(actor);
        // The pick list belongs to the app; layers are never picked by VTK.
        actor->PickableOff();
    }
    setUniformColor(categoricalColor(0));
    setHaloColor(Rgb(0.1, 0.1, 0.1));
    applyPixelScale(1.0);
    updateVisibility();
}

PointCloudLayer::~PointCloudLayer() = default;

void PointCloudLayer::addTo(const PlotRenderers& renderers) const {
    renderers.data->AddActor(fullActor_);
    renderers.data->AddActor(decimatedActor_);
    renderers.halo->AddActor(haloActor_);
    renderers.selection->AddActor(selectedActor_);
}

void PointCloudLayer::removeFrom(const PlotRenderers& renderers) const {
    renderers.data->RemoveActor(fullActor_);
    renderers.data->RemoveActor(decimatedActor_);
    renderers.halo->RemoveActor(haloActor_);
    renderers.selection->RemoveActor(selectedActor_);
}

void PointCloudLayer::setUniformColor(const Rgb& color) {
    coloring_ = Coloring::Uniform;
    for (vtkActor* actor : {fullActor_.Get(), decimatedActor_.Get(), selectedActor_.Get()}) {
        actor->GetProperty()->SetColor(color.x(), color.y(), color.z());
    }
    configureAllMappers();
}

void PointCloudLayer::setColorsByLabel(const Eigen::Ref<const Eigen::VectorXi>& labels) {
    if (labels.size() != pointCount_) {
        throw std::invalid_argument("setColorsByLabel: " + std::to_string(labels.size()) + " labels for " +
                                    std::to_string(pointCount_) + " points");
    }
    vtkNew<vtkUnsignedCharArray> colors;
    colors->SetName("label colours");
    colors->SetNumberOfComponents(3);
    colors->SetNumberOfTuples(pointCount_);
    unsigned char* out = colors->GetPointer(0);
    for (Eigen::Index row = 0; row < pointCount_; ++row) {
        const Rgb color = categoricalColor(labels(row));
        for (int channel = 0; channel < 3; ++channel) {
            out[3 * row + channel] = static_cast<unsigned char>(std::lround(255.0 * color(channel)));
        }
    }
    // One array shared by the full, decimated and selection data: colours are stored once.
    for (vtkPolyData* data : {fullData_.Get(), decimatedData_.Get(), selectionData_.Get()}) {
        data->GetPointData()->SetScalars(colors);
    }
    coloring_ = Coloring::ByLabel;
    configureAllMappers();
}

void PointCloudLayer::setColorsByValue(const Eigen::Ref<const Eigen::VectorXd>& values, ColorMap map,
                                       double minimum, double maximum) {
    if (values.size() != pointCount_) {
        throw std::invalid_argument("setColorsByValue: " + std::to_string(values.size()) + " values for " +
                                    std::to_string(pointCount_) + " points");
    }
    vtkNew<vtkFloatArray> scalars;
    scalars->SetName("values");
    scalars->SetNumberOfTuples(pointCount_);
    float* out = scalars->GetPointer(0);
    for (Eigen::Index row = 0; row < pointCount_; ++row) {
        out[row] = static_cast<float>(values(row));
    }
    for (vtkPolyData* data : {fullData_.Get(), decimatedData_.Get(), selectionData_.Get()}) {
        data->GetPointData()->SetScalars(scalars);
    }
    lookupTable_ = makeLookupTable(map, minimum, maximum);
    coloring_ = Coloring::ByValue;
    configureAllMappers();
}

void PointCloudLayer::configureMapper(vtkPolyDataMapper* mapper) const {
    switch (coloring_) {
    case Coloring::Uniform:
        mapper->ScalarVisibilityOff();
        break;
    case Coloring::ByLabel:
        mapper->ScalarVisibilityOn();
        mapper->SetScalarModeToUsePointData();
        mapper->SetColorModeToDirectScalars();
        break;
    case Coloring::ByValue:
        mapper->ScalarVisibilityOn();
        mapper->SetScalarModeToUsePointData();
        mapper->SetColorModeToMapScalars();
        mapper->SetLookupTable(lookupTable_);
        mapper->UseLookupTableScalarRangeOn();
        break;
    }
}

void PointCloudLayer::configureAllMappers() {
    configureMapper(fullMapper_);
    configureMapper(decimatedMapper_);
    configureMapper(selectedMapper_);
}

void PointCloudLayer::setPointSize(double logicalPixels) {
    pointSize_ = std::max(1.0, logicalPixels);
    applyPixelScale(pixelScale_);
}

void PointCloudLayer::applyPixelScale(double pixelScale) {
    pixelScale_ = pixelScale;
    const auto diameter = [&](double logical) { return static_cast<float>(logical * pixelScale_); };
    fullActor_->GetProperty()->SetPointSize(diameter(pointSize_));
    decimatedActor_->GetProperty()->SetPointSize(diameter(pointSize_));
    haloActor_->GetProperty()->SetPointSize(diameter(pointSize_ + haloExtraPixels));
    selectedActor_->GetProperty()->SetPointSize(diameter(pointSize_ + selectedExtraPixels));
}

void PointCloudLayer::setHaloColor(const Rgb& color) {
    haloActor_->GetProperty()->SetColor(color.x(), color.y(), color.z());
}

void PointCloudLayer::setSelection(const std::vector<Eigen::Index>& indices) {
    selection_.clear();
    std::vector<vtkIdType> ids;
    for (const Eigen::Index index : indices) {
        if (index >= 0 && index < pointCount_) {
            selection_.push_back(index);
            ids.push_back(static_cast<vtkIdType>(index));
        }
    }
    selectionData_->SetVerts(makeVertexCells(ids));
    updateVisibility();
}

void PointCloudLayer::setDecimated(bool decimated) {
    decimated_ = decimated;
    updateVisibility();
}

void PointCloudLayer::setVisible(bool visible) {
    visible_ = visible;
    updateVisibility();
}

void PointCloudLayer::setScale(double x, double y, double z) {
    for (vtkActor* actor :
         {fullActor_.Get(), decimatedActor_.Get(), haloActor_.Get(), selectedActor_.Get()}) {
        actor->SetScale(x, y, z);
    }
}

void PointCloudLayer::updateVisibility() {
    const bool useDecimated = decimated_ && pointCount_ > levelOfDetailPointCount;
    fullActor_->SetVisibility(visible_ && !useDecimated);
    decimatedActor_->SetVisibility(visible_ && useDecimated);
    const bool highlight = visible_ && !selection_.empty();
    haloActor_->SetVisibility(highlight);
    selectedActor_->SetVisibility(highlight);
}

} // namespace locallab
