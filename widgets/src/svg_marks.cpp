#include "locallab/widgets/svg_marks.hpp"

#include <QString>
#include <algorithm>
#include <array>
#include <cmath>
#include <vtkActor.h>
#include <vtkActor2D.h>
#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkCellArrayIterator.h>
#include <vtkMatrix4x4.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkPolyDataMapper2D.h>
#include <vtkPropCollection.h>
#include <vtkProperty.h>
#include <vtkProperty2D.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkRendererCollection.h>
#include <vtkSmartPointer.h>
#include <vtkUnsignedCharArray.h>

namespace locallab {

namespace {

struct Rgba {
    std::array<double, 3> rgb{0.0, 0.0, 0.0}; // 0..1
    double alpha = 1.0;
};

QString colorText(const Rgba& color) {
    const auto channel = [](double value) {
        return std::clamp(static_cast<int>(std::lround(255.0 * value)), 0, 255);
    };
    return QStringLiteral("#%1%2%3")
        .arg(channel(color.rgb[0]), 2, 16, QLatin1Char('0'))
        .arg(channel(color.rgb[1]), 2, 16, QLatin1Char('0'))
        .arg(channel(color.rgb[2]), 2, 16, QLatin1Char('0'));
}

QString number(double value) {
    return QString::number(value, 'f', 2);
}

// The colour of each point or cell, as the mapper would draw it: its mapped scalars, or the prop's
// own colour when it has none.
class Colors {
public:
    Colors(vtkUnsignedCharArray* mapped, bool perCell, const Rgba& fallback)
        : mapped_(mapped), perCell_(perCell), fallback_(fallback) {}

    Rgba ofCell(vtkIdType cell, vtkIdType firstPoint) const {
        if (!mapped_) {
            return fallback_;
        }
        const vtkIdType index = perCell_ ? cell : firstPoint;
        if (index < 0 || index >= mapped_->GetNumberOfTuples()) {
            return fallback_;
        }
        const int components = mapped_->GetNumberOfComponents();
        Rgba color;
        for (int c = 0; c < 3; ++c) {
            color.rgb[static_cast<std::size_t>(c)] =
                mapped_->GetTypedComponent(index, std::min(c, components - 1)) / 255.0;
        }
        color.alpha = components == 4 ? mapped_->GetTypedComponent(index, 3) / 255.0 : 1.0;
        color.alpha *= fallback_.alpha;
        return color;
    }
    Rgba ofPoint(vtkIdType cell, vtkIdType point) const { return ofCell(cell, point); }

private:
    vtkUnsignedCharArray* mapped_;
    bool perCell_;
    Rgba fallback_;
};

// World (or display) coordinates to the SVG's pixels.
class Projection {
public:
    virtual ~Projection() = default;
    virtual std::array<double, 2> operator()(const double* point) const = 0;
};

class WorldProjection final : public Projection {
public:
    WorldProjection(vtkRenderer& renderer, vtkActor& actor, const int* windowSize) : height_(windowSize[1]) {
        const double* viewport = renderer.GetViewport();
        left_ = viewport[0] * windowSize[0];
        bottom_ = viewport[1] * windowSize[1];
        width_ = (viewport[2] - viewport[0]) * windowSize[0];
        viewportHeight_ = (viewport[3] - viewport[1]) * windowSize[1];
        vtkMatrix4x4* view = renderer.GetActiveCamera()->GetCompositeProjectionTransformMatrix(
            renderer.GetTiledAspectRatio(), -1.0, 1.0);
        vtkMatrix4x4::Multiply4x4(view, actor.GetMatrix(), matrix_);
    }
    std::array<double, 2> operator()(const double* point) const override {
        const double in[4] = {point[0], point[1], point[2], 1.0};
        double out[4];
        matrix_->MultiplyPoint(in, out);
        const double w = std::abs(out[3]) > 1e-300 ? out[3] : 1.0;
        const double x = left_ + (out[0] / w + 1.0) * 0.5 * width_;
        const double y = bottom_ + (out[1] / w + 1.0) * 0.5 * viewportHeight_;
        return {x, height_ - y};
    }

private:
    vtkNew<vtkMatrix4x4> matrix_;
    double left_ = 0.0;
    double bottom_ = 0.0;
    double width_ = 1.0;
    double viewportHeight_ = 1.0;
    double height_ = 1.0;
};

class DisplayProjection final : public Projection {
public:
    DisplayProjection(vtkRenderer& renderer, const int* windowSize) : height_(windowSize[1]) {
        const double* viewport = renderer.GetViewport();
        left_ = viewport[0] * windowSize[0];
        bottom_ = viewport[1] * windowSize[1];
    }
    std::array<double, 2> operator()(const double* point) const override {
        return {left_ + point[0], height_ - (bottom_ + point[1])};
    }

private:
    double left_ = 0.0;
    double bottom_ = 0.0;
    double height_ = 1.0;
};

struct Style {
    double pointDiameter = 1.0;
    double lineWidth = 1.0;
};

void writeCells(QByteArray& out, vtkPolyData& data, const Projection& project, const Colors& colors,
                const Style& style) {
    vtkPoints* points = data.GetPoints();
    if (!points) {
        return;
    }
    double point[3];
    vtkIdType cellNumber = 0;
    const auto forEachCell = [&](vtkCellArray* cells, auto&& write) {
        if (!cells) {
            return;
        }
        auto iterator = vtk::TakeSmartPointer(cells->NewIterator());
        for (iterator->GoToFirstCell(); !iterator->IsDoneWithTraversal();
             iterator->GoToNextCell(), ++cellNumber) {
            vtkIdType size = 0;
            const vtkIdType* ids = nullptr;
            iterator->GetCurrentCell(size, ids);
            if (size > 0) {
                write(cellNumber, size, ids);
            }
        }
    };
    // VTK numbers cells verts first, then lines, polygons and strips: the colour of cell k follows that.
    forEachCell(data.GetVerts(), [&](vtkIdType cell, vtkIdType size, const vtkIdType* ids) {
        for (vtkIdType k = 0; k < size; ++k) {
            points->GetPoint(ids[k], point);
            const auto [x, y] = project(point);
            const Rgba color = colors.ofPoint(cell, ids[k]);
            out +=
                QStringLiteral("<circle cx=\"%1\" cy=\"%2\" r=\"%3\" fill=\"%4\"%5/>\n")
                    .arg(number(x), number(y), number(0.5 * style.pointDiameter), colorText(color),
                         color.alpha < 1.0 ? QStringLiteral(" fill-opacity=\"%1\"").arg(number(color.alpha))
                                           : QString())
                    .toUtf8();
        }
    });
    // "x,y x,y ..." of a cell's points, for the points attribute of a polyline or a polygon.
    const auto coordinatesOf = [&](vtkIdType size, const vtkIdType* ids) {
        QString coordinates;
        for (vtkIdType k = 0; k < size; ++k) {
            points->GetPoint(ids[k], point);
            const auto [x, y] = project(point);
            coordinates += number(x) + QLatin1Char(',') + number(y) + QLatin1Char(' ');
        }
        return coordinates.trimmed();
    };
    forEachCell(data.GetLines(), [&](vtkIdType cell, vtkIdType size, const vtkIdType* ids) {
        const Rgba color = colors.ofCell(cell, ids[0]);
        out += QStringLiteral("<polyline points=\"%1\" fill=\"none\" stroke=\"%2\" stroke-width=\"%3\" "
                              "stroke-linecap=\"round\" stroke-linejoin=\"round\"%4/>\n")
                   .arg(coordinatesOf(size, ids), colorText(color), number(style.lineWidth),
                        color.alpha < 1.0 ? QStringLiteral(" stroke-opacity=\"%1\"").arg(number(color.alpha))
                                          : QString())
                   .toUtf8();
    });
    forEachCell(data.GetPolys(), [&](vtkIdType cell, vtkIdType size, const vtkIdType* ids) {
        const Rgba color = colors.ofCell(cell, ids[0]);
        out += QStringLiteral("<polygon points=\"%1\" fill=\"%2\"%3/>\n")
                   .arg(coordinatesOf(size, ids), colorText(color),
                        color.alpha < 1.0 ? QStringLiteral(" fill-opacity=\"%1\"").arg(number(color.alpha))
                                          : QString())
                   .toUtf8();
    });
}

// An actor drawing polydata in the world; false when it draws something else (an image).
bool writeActor(QByteArray& out, vtkRenderer& renderer, vtkActor& actor, const int* windowSize) {
    auto* mapper = vtkPolyDataMapper::SafeDownCast(actor.GetMapper());
    if (!mapper || !mapper->GetInput()) {
        return false;
    }
    vtkProperty* property = actor.GetProperty();
    Rgba fallback;
    property->GetColor(fallback.rgb.data());
    fallback.alpha = property->GetOpacity();
    int cellFlag = 0;
    vtkUnsignedCharArray* mapped =
        mapper->GetScalarVisibility() ? mapper->MapScalars(fallback.alpha, cellFlag) : nullptr;
    const Colors colors(mapped, cellFlag == 1, fallback);
    const WorldProjection project(renderer, actor, windowSize);
    writeCells(out, *mapper->GetInput(), project, colors,
               {property->GetPointSize(), property->GetLineWidth()});
    return true;
}

bool writeOverlay(QByteArray& out, vtkRenderer& renderer, vtkActor2D& overlay, const int* windowSize) {
    auto* mapper = vtkPolyDataMapper2D::SafeDownCast(overlay.GetMapper());
    if (!mapper || !mapper->GetInput() || mapper->GetTransformCoordinate()) {
        return false;
    }
    vtkProperty2D* property = overlay.GetProperty();
    Rgba fallback;
    property->GetColor(fallback.rgb.data());
    fallback.alpha = property->GetOpacity();
    vtkUnsignedCharArray* mapped =
        mapper->GetScalarVisibility() ? mapper->MapScalars(fallback.alpha) : nullptr;
    const bool perCell = mapper->GetScalarMode() == VTK_SCALAR_MODE_USE_CELL_DATA;
    const Colors colors(mapped, perCell, fallback);
    const DisplayProjection project(renderer, windowSize);
    writeCells(out, *mapper->GetInput(), project, colors,
               {property->GetPointSize(), property->GetLineWidth()});
    return true;
}

std::vector<vtkRenderer*> renderersInDrawingOrder(vtkRenderWindow& window) {
    std::vector<vtkRenderer*> renderers;
    vtkRendererCollection* all = window.GetRenderers();
    all->InitTraversal();
    while (vtkRenderer* renderer = all->GetNextItem()) {
        renderers.push_back(renderer);
    }
    std::stable_sort(renderers.begin(), renderers.end(),
                     [](vtkRenderer* a, vtkRenderer* b) { return a->GetLayer() < b->GetLayer(); });
    return renderers;
}

} // namespace

SvgMarks svgMarksOf(vtkRenderWindow& window, bool (*isText)(vtkProp*)) {
    SvgMarks marks;
    const int* windowSize = window.GetSize();
    int clipNumber = 0;
    for (vtkRenderer* renderer : renderersInDrawingOrder(window)) {
        const double* viewport = renderer->GetViewport();
        const double left = viewport[0] * windowSize[0];
        const double top = (1.0 - viewport[3]) * windowSize[1];
        const QString clipId = QStringLiteral("layer%1").arg(++clipNumber);
        QByteArray layer;
        vtkPropCollection* props = renderer->GetViewProps();
        props->InitTraversal();
        // Opaque geometry first, as VTK draws it, then the translucent.
        for (const bool translucentPass : {false, true}) {
            props->InitTraversal();
            while (vtkProp* prop = props->GetNextProp()) {
                if (!prop->GetVisibility() || isText(prop)) {
                    continue;
                }
                bool written = false;
                if (auto* actor = vtkActor::SafeDownCast(prop)) {
                    const bool translucent = actor->GetProperty()->GetOpacity() < 1.0;
                    if (translucent != translucentPass) {
                        continue;
                    }
                    written = writeActor(layer, *renderer, *actor, windowSize);
                } else if (auto* overlay = vtkActor2D::SafeDownCast(prop); overlay && !translucentPass) {
                    written = writeOverlay(layer, *renderer, *overlay, windowSize);
                }
                if (written) {
                    marks.written.push_back(prop);
                }
            }
        }
        if (layer.isEmpty()) {
            continue;
        }
        // Inside <defs>, so that a reader without clip paths (Qt's, which makes the PDF) draws nothing of it.
        marks.elements +=
            QStringLiteral("<defs><clipPath id=\"%1\"><rect x=\"%2\" y=\"%3\" width=\"%4\" "
                           "height=\"%5\"/></clipPath></defs>\n<g clip-path=\"url(#%1)\">\n")
                .arg(clipId, number(left), number(top), number((viewport[2] - viewport[0]) * windowSize[0]),
                     number((viewport[3] - viewport[1]) * windowSize[1]))
                .toUtf8();
        marks.elements += layer;
        marks.elements += "</g>\n";
    }
    return marks;
}

} // namespace locallab
