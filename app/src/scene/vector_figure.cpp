#include "scene/vector_figure.hpp"

#include "locallab/widgets/vtk_view.hpp"

#include <QBuffer>
#include <QFile>
#include <QFileInfo>
#include <QObject>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QWidget>
#include <cmath>

namespace locallab {

namespace {

const QByteArray metadataStart = "<metadata id=\"LocalLabScene\">";
const QByteArray metadataEnd = "</metadata>";

QSize scaledSize(const QSize& size, double scale) {
    return {static_cast<int>(std::lround(size.width() * scale)),
            static_cast<int>(std::lround(size.height() * scale))};
}

// Where the root element's start tag ends, just past its '>'; -1 when there is no <svg element.
qsizetype endOfRootStartTag(const QByteArray& svg) {
    const qsizetype root = svg.indexOf("<svg");
    if (root < 0) {
        return -1;
    }
    const qsizetype close = svg.indexOf('>', root);
    return close < 0 ? -1 : close + 1;
}

// What lies between the root element's start and end tags.
QByteArray svgBody(const QByteArray& svg) {
    const qsizetype begin = endOfRootStartTag(svg);
    const qsizetype end = svg.lastIndexOf("</svg>");
    if (begin < 0 || end < begin) {
        return {};
    }
    return svg.mid(begin, end - begin);
}

QByteArray pngAsDataUri(const QImage& image) {
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return "data:image/png;base64," + png.toBase64();
}

// GL2PS places text with a `dy` offset, which SVG Tiny readers (Qt's among them, used for the PDF)
// ignore; folding it into `y` puts the text where every reader agrees. It also names only
// "Helvetica", which many machines lack; sans-serif keeps the look where it is missing.
QByteArray normalizedText(const QByteArray& svg) {
    static const QRegularExpression textTag(QStringLiteral("<text ([^>]*)>"));
    static const QRegularExpression yAttribute(QStringLiteral("\\by=\"([-0-9.eE+]+)\""));
    static const QRegularExpression dyAttribute(QStringLiteral(" dy=\"([-0-9.eE+]+)\""));
    QString text = QString::fromUtf8(svg);
    QString result;
    result.reserve(text.size());
    qsizetype copiedUpTo = 0;
    QRegularExpressionMatchIterator tags = textTag.globalMatch(text);
    while (tags.hasNext()) {
        const QRegularExpressionMatch tag = tags.next();
        QString attributes = tag.captured(1);
        const QRegularExpressionMatch dy = dyAttribute.match(attributes);
        const QRegularExpressionMatch y = yAttribute.match(attributes);
        if (dy.hasMatch() && y.hasMatch()) {
            const double folded = y.captured(1).toDouble() + dy.captured(1).toDouble();
            attributes.replace(dy.capturedStart(), dy.capturedLength(), QString());
            const QRegularExpressionMatch yAgain = yAttribute.match(attributes);
            attributes.replace(yAgain.capturedStart(), yAgain.capturedLength(),
                               QStringLiteral("y=\"%1\"").arg(folded, 0, 'g', 8));
        }
        attributes.replace(QStringLiteral("font-family=\"Helvetica\""),
                           QStringLiteral("font-family=\"Helvetica, Arial, sans-serif\""));
        result += QStringView(text).mid(copiedUpTo, tag.capturedStart() - copiedUpTo);
        result += QStringLiteral("<text ") + attributes + QLatin1Char('>');
        copiedUpTo = tag.capturedEnd();
    }
    result += QStringView(text).mid(copiedUpTo);
    return result.toUtf8();
}

QByteArray imageElement(const QImage& image, const QSize& size) {
    return QStringLiteral("<image x=\"0\" y=\"0\" width=\"%1\" height=\"%2\" xlink:href=\"")
               .arg(size.width())
               .arg(size.height())
               .toUtf8() +
           pngAsDataUri(image) + "\"/>\n";
}

VectorFigure svgFromGl2ps(VtkView& view, const QSize& size, double pixelScale, bool transparentBackground) {
    const QTemporaryDir folder;
    if (!folder.isValid()) {
        return {
            {},
            QObject::tr("No temporary folder could be made for the figure: %1.").arg(folder.errorString())};
    }
    const VtkView::VectorImage written = view.writeSvgImage(folder.filePath(QStringLiteral("figure")), size,
                                                            pixelScale, transparentBackground);
    QFile file(written.path);
    if (written.path.isEmpty() || !file.open(QIODevice::ReadOnly)) {
        return {{}, QObject::tr("The view could not be written as vectors (the plot has no graphics yet).")};
    }
    QByteArray bytes = normalizedText(file.readAll());
    // First in the document, so that the text is drawn over them: the pixels, then the marks.
    const qsizetype insertAt = endOfRootStartTag(bytes);
    if (insertAt >= 0) {
        QByteArray beneathText = "\n";
        if (!written.rasterUnderlay.isNull()) {
            beneathText += imageElement(written.rasterUnderlay, written.rasterUnderlay.size());
        }
        beneathText += written.marks;
        bytes.insert(insertAt, beneathText);
    }
    return {bytes, {}};
}

VectorFigure svgAsPdf(const QByteArray& svg, const QSize& size, double pixelScale) {
    QSvgRenderer renderer(svg);
    if (!renderer.isValid()) {
        return {{}, QObject::tr("The figure's SVG could not be read back to make the PDF.")};
    }
    QByteArray pdf;
    QBuffer buffer(&pdf);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer);
        writer.setCreator(QStringLiteral("LocalLab"));
        // 72 dpi times the scale, as the PNG's DPI says: the page has the screen's size in points.
        const int dotsPerInch = std::max(1, static_cast<int>(std::lround(72.0 * pixelScale)));
        writer.setResolution(dotsPerInch);
        writer.setPageMargins(QMarginsF(0, 0, 0, 0));
        writer.setPageSize(QPageSize(QSizeF(size) * 72.0 / dotsPerInch, QPageSize::Point));
        QPainter painter(&writer);
        renderer.render(&painter, QRectF(0, 0, writer.width(), writer.height()));
    }
    return {pdf, {}};
}

} // namespace

FigureFormat figureFormatOf(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("svg")) {
        return FigureFormat::Svg;
    }
    if (suffix == QLatin1String("pdf")) {
        return FigureFormat::Pdf;
    }
    return FigureFormat::Png;
}

VectorFigure renderSingleViewVector(VtkView& view, FigureFormat format, const QSize& size, double pixelScale,
                                    bool transparentBackground) {
    VectorFigure svg = svgFromGl2ps(view, size, pixelScale, transparentBackground);
    if (format == FigureFormat::Pdf && svg.problem.isEmpty()) {
        return svgAsPdf(svg.bytes, size, pixelScale);
    }
    return svg;
}

VectorFigure renderLayoutVector(QWidget& central, const std::vector<VtkView*>& views, const QImage& underlay,
                                FigureFormat format, double pixelScale) {
    const QSize size = underlay.size();
    QByteArray svg =
        QByteArrayLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n") +
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" " +
        QStringLiteral("width=\"%1px\" height=\"%2px\" viewBox=\"0 0 %1 %2\">\n")
            .arg(size.width())
            .arg(size.height())
            .toUtf8();
    svg += "<title>LocalLab</title>\n";
    // The labels, formulas and controls between the plots, as Qt draws them.
    svg += imageElement(underlay, size);
    for (VtkView* view : views) {
        const VectorFigure part =
            svgFromGl2ps(*view, scaledSize(view->size(), pixelScale), pixelScale, false);
        if (!part.problem.isEmpty()) {
            return part;
        }
        const QPoint topLeft = view == &central ? QPoint() : view->mapTo(&central, QPoint(0, 0));
        svg += QStringLiteral("<g transform=\"translate(%1 %2)\">\n")
                   .arg(std::lround(topLeft.x() * pixelScale))
                   .arg(std::lround(topLeft.y() * pixelScale))
                   .toUtf8();
        svg += svgBody(part.bytes);
        svg += "</g>\n";
    }
    svg += "</svg>\n";
    if (format == FigureFormat::Pdf) {
        return svgAsPdf(svg, size, pixelScale);
    }
    return {svg, {}};
}

QByteArray withSceneMetadata(const QByteArray& svg, const std::string& sceneJson) {
    const qsizetype insertAt = endOfRootStartTag(svg);
    if (insertAt < 0) {
        return svg;
    }
    const QByteArray escaped = QString::fromStdString(sceneJson).toHtmlEscaped().toUtf8();
    QByteArray result = svg;
    result.insert(insertAt, "\n" + metadataStart + escaped + metadataEnd + "\n");
    return result;
}

QString sceneJsonInSvg(const QByteArray& svg) {
    const qsizetype start = svg.indexOf(metadataStart);
    if (start < 0) {
        return {};
    }
    const qsizetype begin = start + metadataStart.size();
    const qsizetype end = svg.indexOf(metadataEnd, begin);
    if (end < 0) {
        return {};
    }
    QString text = QString::fromUtf8(svg.mid(begin, end - begin));
    // toHtmlEscaped wrote these four; nothing else needs undoing.
    text.replace(QLatin1String("&lt;"), QLatin1String("<"))
        .replace(QLatin1String("&gt;"), QLatin1String(">"))
        .replace(QLatin1String("&quot;"), QLatin1String("\""))
        .replace(QLatin1String("&amp;"), QLatin1String("&"));
    return text;
}

} // namespace locallab
