#pragma once
// Figures as SVG or PDF. Each plot is written by GL2PS, so its text stays text and its points, lines
// and polygons stay vectors at any zoom. An explorer with several views becomes one SVG: the layout
// drawn by Qt as a picture underneath (labels, formulas, controls), each view's vectors placed over
// it. A PDF of several views is that SVG drawn into a PDF page, which keeps the vectors too.
// The scene travels inside an SVG as a <metadata> element, as it does in a PNG's text chunk.

#include "scene/scene.hpp"

#include <QByteArray>
#include <QImage>
#include <QString>
#include <vector>

class QWidget;

namespace locallab {

class VtkView;

enum class FigureFormat { Png, Svg, Pdf };

// The format a path's suffix names (png, svg or pdf, in any case); Png for anything else.
FigureFormat figureFormatOf(const QString& path);

struct VectorFigure {
    QByteArray bytes;
    QString problem; // why there are no bytes
};

// One view rendered at `size` device pixels, or several views at their place in `central` with
// `underlay` (the whole explorer as Qt draws it, at the same scale) beneath them.
VectorFigure renderSingleViewVector(VtkView& view, FigureFormat format, const QSize& size, double pixelScale,
                                    bool transparentBackground);
VectorFigure renderLayoutVector(QWidget& central, const std::vector<VtkView*>& views, const QImage& underlay,
                                FigureFormat format, double pixelScale);

// The SVG with the scene's JSON as metadata just inside its root element.
QByteArray withSceneMetadata(const QByteArray& svg, const std::string& sceneJson);
// The scene's JSON an SVG carries; empty when it carries none.
QString sceneJsonInSvg(const QByteArray& svg);

} // namespace locallab
