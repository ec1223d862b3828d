#pragma once
// A point cloud layer: n points in 2-D or 3-D, coloured uniformly, by integer label or by value, with
// a selection highlight and a decimated level of detail for interaction. The coordinates are turned
// into VTK data once, in the constructor; colouring, selection and level of detail reuse them.

#include "locallab/widgets/color_maps.hpp"
#include "locallab/widgets/plot_renderers.hpp"

#include <Eigen/Core>
#include <vector>
#include <vtkNew.h>
#include <vtkSmartPointer.h>

class vtkActor;
class vtkDataArray;
class vtkLookupTable;
class vtkPolyData;
class vtkPolyDataMapper;

namespace locallab {

class PointCloudLayer {
public:
    // Points beyond this count get a decimated stand-in while the view is being dragged or zoomed.
    static constexpr Eigen::Index levelOfDetailPointCount = 50'000;

    // `points` is n×2 (drawn at z = 0) or n×3.
    explicit PointCloudLayer(const Eigen::Ref<const Eigen::MatrixXd>& points);
    ~PointCloudLayer();
    PointCloudLayer(const PointCloudLayer&) = delete;
    PointCloudLayer& operator=(const PointCloudLayer&) = delete;

    Eigen::Index size() const { return pointCount_; }

    void addTo(const PlotRenderers& renderers) const;
    void removeFrom(const PlotRenderers& renderers) const;

    void setUniformColor(const Rgb& color);
    // labels.size() must equal size(); colours come from categoricalColor().
    void setColorsByLabel(const Eigen::Ref<const Eigen::VectorXi>& labels);
    void setColorsByValue(const Eigen::Ref<const Eigen::VectorXd>& values, ColorMap map, double minimum,
                          double maximum);

    // Diameter in logical pixels; the view's pixel scale is applied by applyPixelScale().
    void setPointSize(double logicalPixels);
    void applyPixelScale(double pixelScale);
    void setHaloColor(const Rgb& color);

    // Indices outside [0, size()) are ignored.
    void setSelection(const std::vector<Eigen::Index>& indices);
    const std::vector<Eigen::Index>& selection() const { return selection_; }

    void setDecimated(bool decimated);
    bool isDecimated() const { return decimated_; }

    void setVisible(bool visible);
    // Stretch applied to every actor (2-D plots stretch y to fill their frame).
    void setScale(double x, double y, double z);

private:
    void configureMapper(vtkPolyDataMapper* mapper) const;
    void configureAllMappers();
    void updateVisibility();

    enum class Coloring { Uniform, ByLabel, ByValue };

    Eigen::Index pointCount_ = 0;
    vtkNew<vtkPolyData> fullData_;
    vtkNew<vtkPolyData> decimatedData_;
    vtkNew<vtkPolyData> selectionData_;
    vtkNew<vtkPolyDataMapper> fullMapper_;
    vtkNew<vtkPolyDataMapper> decimatedMapper_;
    vtkNew<vtkPolyDataMapper> haloMapper_;
    vtkNew<vtkPolyDataMapper> selectedMapper_;
    vtkNew<vtkActor> fullActor_;
    vtkNew<vtkActor> decimatedActor_;
    vtkNew<vtkActor> haloActor_;
    vtkNew<vtkActor> selectedActor_;
    vtkSmartPointer<vtkLookupTable> lookupTable_;

    Coloring coloring_ = Coloring::Uniform;
    double pointSize_ = 7.0;
    double pixelScale_ = 1.0;
    bool decimated_ = false;
    bool visible_ = true;
    std::vector<Eigen::Index> selection_;
};

} // namespace locallab
