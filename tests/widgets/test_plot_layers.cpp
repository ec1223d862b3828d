// Plot layers, checked on the rendered frame by pixel assertions at places the plot's own
// coordinate mapping names: points where they belong, palette and colour-map colours, a colour bar,
// tick labels, heatmap corners. Reference colours are the published ones (Okabe & Ito 2008;
// matplotlib's viridis table), typed in here, not taken from the code under test.

#include "fuzzy_compare.hpp"
#include "locallab/widgets/plot_view_2d.hpp"
#include "locallab/widgets/plot_view_3d.hpp"

#include <QTest>
#include <memory>

using locallab::AxisRange;
using locallab::ColorMap;
using locallab::PlotView2D;
using locallab::PlotView3D;
using locallab::Rgb;

namespace {

constexpr int viewWidth = 640;
constexpr int viewHeight = 480;
// Channels may differ by this much (of 255) from the reference: 8-bit rounding and colour-map
// interpolation between table entries.
constexpr int channelTolerance = 6;

std::unique_ptr<PlotView2D> shownPlot() {
    auto view = std::make_unique<PlotView2D>();
    view->resize(viewWidth, viewHeight);
    view->show();
    if (!QTest::qWaitForWindowExposed(view.get())) {
        return nullptr;
    }
    return view;
}

QColor colorFromHex(const char* hex) {
    return QColor(QString::fromLatin1(hex));
}

QColor colorFromRgb(double red, double green, double blue) {
    return QColor::fromRgbF(static_cast<float>(red), static_cast<float>(green), static_cast<float>(blue));
}

bool closeColors(const QColor& actual, const QColor& expected, int tolerance = channelTolerance) {
    return std::abs(actual.red() - expected.red()) <= tolerance &&
           std::abs(actual.green() - expected.green()) <= tolerance &&
           std::abs(actual.blue() - expected.blue()) <= tolerance;
}

#define COMPARE_COLOR(actual, expected)                                                                      \
    do {                                                                                                     \
        const QColor actualColor = (actual);                                                                 \
        const QColor expectedColor = (expected);                                                             \
        QVERIFY2(closeColors(actualColor, expectedColor),                                                    \
                 qPrintable(QString("got %1, expected %2").arg(actualColor.name(), expectedColor.name())));  \
    } while (false)

QColor pixelAt(const QImage& image, const QPointF& widgetPosition, double ratio) {
    return image.pixelColor(static_cast<int>(std::lround(widgetPosition.x() * ratio)),
                            static_cast<int>(std::lround(widgetPosition.y() * ratio)));
}

int countNonBackground(const QImage& image, const QRectF& widgetRect, double ratio,
                       const QColor& background) {
    int count = 0;
    const QRect device = QRectF(widgetRect.topLeft() * ratio, widgetRect.size() * ratio).toRect();
    for (int y = std::max(0, device.top()); y <= std::min(image.height() - 1, device.bottom()); ++y) {
        for (int x = std::max(0, device.left()); x <= std::min(image.width() - 1, device.right()); ++x) {
            if (!closeColors(image.pixelColor(x, y), background, 10)) {
                ++count;
            }
        }
    }
    return count;
}

Eigen::MatrixX2d pointsFrom(std::initializer_list<std::array<double, 2>> rows) {
    Eigen::MatrixX2d points(static_cast<Eigen::Index>(rows.size()), 2);
    Eigen::Index row = 0;
    for (const auto& point : rows) {
        points.row(row++) << point[0], point[1];
    }
    return points;
}

} // namespace

class TestPlotLayers : public QObject {
    Q_OBJECT
private slots:
    void pointAppearsWhereTheMappingSaysAndNowhereElse();
    void dataAndDisplayCoordinatesRoundTrip_data();
    void dataAndDisplayCoordinatesRoundTrip();
    void labelColorsComeFromTheOkabeItoPalette();
    void valueColorsFollowViridis();
    void colorBarShowsTheMapsEndColors();
    void tickLabelsAreDrawnBesideTheAxes();
    void heatmapCornersMatchTheColorMap();
    void selectedPointGetsAnOutline();
    void polylinesAreDrawnInTheirColors();
    void namedLayersAppearInTheLegend();
    void pathLayerCanBeDrawnAboveThePoints();
    void pointCloud3DShowsColorBarAndPoints();
};

void TestPlotLayers::pointAppearsWhereTheMappingSaysAndNowhereElse() {
    auto view = shownPlot();
    QVERIFY(view);
    PlotView2D::PointStyle anchors;
    anchors.color = Rgb(0.0, 0.0, 1.0);
    view->addPoints(pointsFrom({{0.0, 0.0}, {1.0, 1.0}}), anchors);
    PlotView2D::PointStyle red;
    red.color = Rgb(1.0, 0.0, 0.0);
    red.size = 12.0;
    view->addPoints(pointsFrom({{0.3, 0.7}}), red);
    view->resetCamera();
    QImage image = view->grabImage();
    image = view->grabImage(); // the first frame settles the layout the mapping depends on
    const double ratio = view->devicePixelRatioF();

    const QPointF redPixel = view->dataToDisplay(Eigen::Vector2d(0.3, 0.7));
    QVERIFY(view->frameRect().contains(redPixel));
    COMPARE_COLOR(pixelAt(image, redPixel, ratio), QColor(255, 0, 0));
    COMPARE_COLOR(pixelAt(image, view->dataToDisplay(Eigen::Vector2d(1.0, 1.0)), ratio), QColor(0, 0, 255));
    // Background a little away from the point, and at a data position with nothing on it.
    COMPARE_COLOR(pixelAt(image, redPixel + QPointF(20, 0), ratio), QColor(255, 255, 255));
    COMPARE_COLOR(pixelAt(image, view->dataToDisplay(Eigen::Vector2d(0.7, 0.3)), ratio),
                  QColor(255, 255, 255));
}

void TestPlotLayers::dataAndDisplayCoordinatesRoundTrip_data() {
    QTest::addColumn<bool>("fill");
    QTest::newRow("equal aspect") << false;
    QTest::newRow("y stretched to fill") << true;
}

void TestPlotLayers::dataAndDisplayCoordinatesRoundTrip() {
    QFETCH(bool, fill);
    auto view = shownPlot();
    QVERIFY(view);
    // y spans a thousand times x: only the fill mode makes both readable.
    view->addPoints(pointsFrom({{0.0, 0.0}, {1.0, 1000.0}}));
    view->setAspectMode(fill ? PlotView2D::AspectMode::Fill : PlotView2D::AspectMode::Equal);
    view->grabImage();
    for (const Eigen::Vector2d& data : {Eigen::Vector2d(0.25, 100.0), Eigen::Vector2d(0.9, 870.0)}) {
        const Eigen::Vector2d back = view->displayToData(view->dataToDisplay(data));
        LOCALLAB_COMPARE_MATRIX_NEAR(back, data, 1e-9, 1e-9);
    }
    const AxisRange x = view->visibleXRange();
    const AxisRange y = view->visibleYRange();
    QVERIFY(x.minimum <= 0.0 && x.maximum >= 1.0);
    QVERIFY(y.minimum <= 0.0 && y.maximum >= 1000.0);
    if (fill) {
        // The data fill the frame along both axes (within the reset's padding).
        QVERIFY(x.maximum - x.minimum < 1.2);
        QVERIFY(y.maximum - y.minimum < 1200.0);
    } else {
        // One unit is as long on both axes, so x shows as much range per pixel as y.
        const QRectF frame = view->frameRect();
        LOCALLAB_COMPARE_NEAR((x.maximum - x.minimum) / frame.width(),
                              (y.maximum - y.minimum) / frame.height(), 1e-6, 0.0);
    }
}

void TestPlotLayers::labelColorsComeFromTheOkabeItoPalette() {
    auto view = shownPlot();
    QVERIFY(view);
    const Eigen::MatrixX2d points = pointsFrom({{0.0, 0.0}, {1.0, 0.0}, {0.0, 1.0}, {1.0, 1.0}});
    const auto layer = view->addPoints(points, {.size = 14.0});
    Eigen::VectorXi labels(4);
    labels << 0, 1, 2, 3;
    view->setPointColorsByLabel(layer, labels, {"setosa", "versicolor", "virginica"});
    view->grabImage();
    const QImage image = view->grabImage();
    const double ratio = view->devicePixelRatioF();
    // Blue, orange, bluish green, vermillion.
    const std::array<const char*, 4> published{"#0072B2", "#E69F00", "#009E73", "#D55E00"};
    for (Eigen::Index row = 0; row < points.rows(); ++row) {
        const QPointF pixel = view->dataToDisplay(points.row(row).transpose());
        COMPARE_COLOR(pixelAt(image, pixel, ratio), colorFromHex(published[static_cast<size_t>(row)]));
    }
    // The legend lists the named classes and class 3 beside the frame.
    const QRectF legend = view->legendRect();
    QVERIFY(!legend.isEmpty());
    QVERIFY(legend.left() > view->frameRect().right());
    QVERIFY(countNonBackground(image, legend, ratio, Qt::white) > 200);
}

void TestPlotLayers::valueColorsFollowViridis() {
    auto view = shownPlot();
    QVERIFY(view);
    const Eigen::MatrixX2d points = pointsFrom({{0.0, 0.0}, {1.0, 0.0}, {0.5, 1.0}});
    const auto layer = view->addPoints(points, {.size = 14.0});
    Eigen::VectorXd values(3);
    values << 0.0, 3.0, 1.0;
    view->setPointColorsByValue(layer, values, ColorMap::Viridis, AxisRange{0.0, 3.0});
    view->grabImage();
    const QImage image = view->grabImage();
    const double ratio = view->devicePixelRatioF();
    // matplotlib viridis entries 0, 255 and 85 (= 255/3).
    COMPARE_COLOR(pixelAt(image, view->dataToDisplay(Eigen::Vector2d(0.0, 0.0)), ratio),
                  colorFromRgb(0.267004, 0.004874, 0.329415));
    COMPARE_COLOR(pixelAt(image, view->dataToDisplay(Eigen::Vector2d(1.0, 0.0)), ratio),
                  colorFromRgb(0.993248, 0.906157, 0.143936));
    COMPARE_COLOR(pixelAt(image, view->dataToDisplay(Eigen::Vector2d(0.5, 1.0)), ratio),
                  colorFromRgb(0.190631, 0.407061, 0.556089));
}

void TestPlotLayers::colorBarShowsTheMapsEndColors() {
    auto view = shownPlot();
    QVERIFY(view);
    Eigen::MatrixXd field(20, 20);
    for (int i = 0; i < 20; ++i) {
        for (int j = 0; j < 20; ++j) {
            field(i, j) = i + j;
        }
    }
    view->addScalarField(field, {0.0, 1.0}, {0.0, 1.0}, ColorMap::Viridis);
    view->showColorBar(true, "density");
    view->grabImage();
    const QImage image = view->grabImage();
    const double ratio = view->devicePixelRatioF();
    const QRectF bar = view->colorBarRect();
    QVERIFY(!bar.isEmpty());
    QVERIFY(bar.left() > view->frameRect().right());
    QVERIFY(bar.height() > 100.0);
    // Viridis runs from dark purple (#440154) at the bottom to yellow (#FDE725) at the top.
    COMPARE_COLOR(pixelAt(image, QPointF(bar.center().x(), bar.bottom() - 3.0), ratio),
                  colorFromHex("#440154"));
    COMPARE_COLOR(pixelAt(image, QPointF(bar.center().x(), bar.top() + 3.0), ratio), colorFromHex("#FDE725"));
}

void TestPlotLayers::tickLabelsAreDrawnBesideTheAxes() {
    auto view = shownPlot();
    QVERIFY(view);
    view->addPoints(pointsFrom({{0.0, 0.0}, {10.0, 5.0}}));
    view->setAxisTitles("x", "y");
    view->grabImage();
    const QImage image = view->grabImage();
    const double ratio = view->devicePixelRatioF();
    const QRectF frame = view->frameRect();
    // Tick labels sit in a band below the frame and in a band to its left.
    const QRectF belowFrame(frame.left(), frame.bottom() + 10.0, frame.width(), 20.0);
    const QRectF leftOfFrame(frame.left() - 45.0, frame.top(), 33.0, frame.height());
    QVERIFY2(countNonBackground(image, belowFrame, ratio, Qt::white) > 100, "no x tick labels");
    QVERIFY2(countNonBackground(image, leftOfFrame, ratio, Qt::white) > 100, "no y tick labels");
    // Inside the frame, away from the points, nothing is drawn.
    const QRectF inside(frame.center() - QPointF(30, 30), QSizeF(60, 60));
    QCOMPARE(countNonBackground(image, inside, ratio, Qt::white), 0);
}

void TestPlotLayers::heatmapCornersMatchTheColorMap() {
    auto view = shownPlot();
    QVERIFY(view);
    // f(x, y) = x + 2y on [0, 1]², coloured over [0, 3]: the corners take 0, 1, 2 and 3, i.e.
    // viridis at 0, 1/3, 2/3 and 1, which are entries 0, 85, 170 and 255 of the published table.
    constexpr int size = 41;
    Eigen::MatrixXd field(size, size);
    for (int i = 0; i < size; ++i) {
        for (int j = 0; j < size; ++j) {
            field(i, j) = i / (size - 1.0) + 2.0 * j / (size - 1.0);
        }
    }
    view->addScalarField(field, {0.0, 1.0}, {0.0, 1.0}, ColorMap::Viridis, {}, AxisRange{0.0, 3.0});
    view->grabImage();
    const QImage image = view->grabImage();
    const double ratio = view->devicePixelRatioF();
    // Two pixels inside each corner, where the field is within 0.02 of the corner's value.
    const auto inside = [&](double x, double y, double towardsX, double towardsY) {
        return view->dataToDisplay(Eigen::Vector2d(x, y)) + QPointF(2.0 * towardsX, -2.0 * towardsY);
    };
    COMPARE_COLOR(pixelAt(image, inside(0.0, 0.0, 1, 1), ratio), colorFromRgb(0.267004, 0.004874, 0.329415));
    COMPARE_COLOR(pixelAt(image, inside(1.0, 0.0, -1, 1), ratio), colorFromRgb(0.190631, 0.407061, 0.556089));
    COMPARE_COLOR(pixelAt(image, inside(0.0, 1.0, 1, -1), ratio), colorFromRgb(0.208030, 0.718701, 0.472873));
    COMPARE_COLOR(pixelAt(image, inside(1.0, 1.0, -1, -1), ratio),
                  colorFromRgb(0.993248, 0.906157, 0.143936));
}

void TestPlotLayers::selectedPointGetsAnOutline() {
    auto view = shownPlot();
    QVERIFY(view);
    const Eigen::MatrixX2d points = pointsFrom({{0.0, 0.0}, {1.0, 0.0}, {0.0, 1.0}, {1.0, 1.0}});
    const auto layer = view->addPoints(points, {.size = 10.0, .color = Rgb(1.0, 0.0, 0.0)});
    view->setSelection(layer, {1});
    view->grabImage();
    const QImage image = view->grabImage();
    const double ratio = view->devicePixelRatioF();
    // The selected point keeps its colour and gains a dark ring; an unselected one has none.
    const QPointF selected = view->dataToDisplay(Eigen::Vector2d(1.0, 0.0));
    const QPointF unselected = view->dataToDisplay(Eigen::Vector2d(0.0, 1.0));
    COMPARE_COLOR(pixelAt(image, selected, ratio), QColor(255, 0, 0));
    // The ring lies between the selected point's radius (6 px) and the halo's (8 px); look for its
    // dark pixels along four directions.
    const auto darkRingAround = [&](const QPointF& center) {
        for (const QPointF& direction : {QPointF(1, 0), QPointF(-1, 0), QPointF(0, 1), QPointF(0, -1)}) {
            for (double radius = 5.0; radius <= 10.0; radius += 1.0) {
                if (pixelAt(image, center + radius * direction, ratio).lightnessF() < 0.3) {
                    return true;
                }
            }
        }
        return false;
    };
    QVERIFY2(darkRingAround(selected), "no outline around the selection");
    QVERIFY(!darkRingAround(unselected));
    const QPointF ringOffset(7.0, 0.0);
    COMPARE_COLOR(pixelAt(image, unselected + ringOffset, ratio), QColor(255, 255, 255));
}

void TestPlotLayers::polylinesAreDrawnInTheirColors() {
    auto view = shownPlot();
    QVERIFY(view);
    Eigen::MatrixX2d horizontal(2, 2);
    horizontal << 0.0, 0.0, 1.0, 0.0;
    Eigen::MatrixX2d vertical(3, 2);
    vertical << 0.5, 0.2, 0.5, 0.6, 0.5, 1.0;
    view->addPolylines({horizontal, vertical}, {Rgb(0.0, 0.5, 0.0), Rgb(0.5, 0.0, 0.5)}, 4.0);
    view->grabImage();
    const QImage image = view->grabImage();
    const double ratio = view->devicePixelRatioF();
    COMPARE_COLOR(pixelAt(image, view->dataToDisplay(Eigen::Vector2d(0.25, 0.0)), ratio), QColor(0, 128, 0));
    COMPARE_COLOR(pixelAt(image, view->dataToDisplay(Eigen::Vector2d(0.5, 0.8)), ratio), QColor(128, 0, 128));
    COMPARE_COLOR(pixelAt(image, view->dataToDisplay(Eigen::Vector2d(0.25, 0.5)), ratio),
                  QColor(255, 255, 255));
}

void TestPlotLayers::namedLayersAppearInTheLegend() {
    auto view = shownPlot();
    QVERIFY(view);
    Eigen::MatrixX2d line(2, 2);
    line << 0.0, 0.0, 1.0, 1.0;
    const auto green = view->addPolylines({line}, {Rgb(0.0, 0.5, 0.0)}, 3.0);
    view->addPolylines({line}, {Rgb(0.5, 0.0, 0.5)}, 3.0);
    view->grabImage();
    QVERIFY(view->legendRect().isEmpty());

    view->setLayerLegend(green, {{"a green curve", Rgb(0.0, 0.5, 0.0)}});
    view->grabImage();
    QImage image = view->grabImage();
    const double ratio = view->devicePixelRatioF();
    const QRectF legend = view->legendRect();
    QVERIFY(!legend.isEmpty());
    QVERIFY(legend.left() > view->frameRect().right()); // beside the frame, not over the data
    // The legend's disc is drawn in the layer's colour.
    const auto greenPixels = [&](const QImage& frame) {
        int count = 0;
        const QRect device = QRectF(legend.topLeft() * ratio, legend.size() * ratio).toRect();
        for (int y = device.top(); y <= device.bottom(); ++y) {
            for (int x = device.left(); x <= device.right(); ++x) {
                count += closeColors(frame.pixelColor(x, y), QColor(0, 128, 0)) ? 1 : 0;
            }
        }
        return count;
    };
    QVERIFY(greenPixels(image) > 50);

    view->removeLayer(green);
    view->grabImage();
    QVERIFY(view->legendRect().isEmpty());
}

void TestPlotLayers::pathLayerCanBeDrawnAboveThePoints() {
    auto view = shownPlot();
    QVERIFY(view);
    PlotView2D::PointStyle big;
    big.color = Rgb(1.0, 0.0, 0.0);
    big.size = 30.0;
    view->addPoints(pointsFrom({{0.5, 0.5}, {0.0, 0.0}, {1.0, 1.0}}), big);
    Eigen::MatrixX2d line(2, 2);
    line << 0.0, 0.5, 1.0, 0.5;
    const auto path = view->addPolylines({line}, {Rgb(0.0, 0.5, 0.0)}, 6.0);
    view->grabImage();
    QImage image = view->grabImage();
    const double ratio = view->devicePixelRatioF();
    const QPointF centre = view->dataToDisplay(Eigen::Vector2d(0.5, 0.5));
    // By default points are drawn over paths...
    COMPARE_COLOR(pixelAt(image, centre, ratio), QColor(255, 0, 0));
    // ...and a path raised above the data covers them, while the framing stays the same.
    const AxisRange framedX = view->visibleXRange();
    view->setLayerAboveData(path);
    view->grabImage();
    image = view->grabImage();
    COMPARE_COLOR(pixelAt(image, centre, ratio), QColor(0, 128, 0));
    COMPARE_COLOR(pixelAt(image, view->dataToDisplay(Eigen::Vector2d(0.25, 0.5)), ratio), QColor(0, 128, 0));
    LOCALLAB_COMPARE_NEAR(view->visibleXRange().minimum, framedX.minimum, 1e-12, 1e-12);
    LOCALLAB_COMPARE_NEAR(view->visibleXRange().maximum, framedX.maximum, 1e-12, 1e-12);
    view->setLayerAboveData(path, false);
    view->grabImage();
    image = view->grabImage();
    COMPARE_COLOR(pixelAt(image, centre, ratio), QColor(255, 0, 0));
}

void TestPlotLayers::pointCloud3DShowsColorBarAndPoints() {
    PlotView3D view;
    view.resize(viewWidth, viewHeight);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    Eigen::MatrixX3d points = Eigen::MatrixX3d::Random(2000, 3);
    const auto layer = view.addPoints(points, 6.0);
    view.setPointColorsByValue(layer, points.col(2), ColorMap::Magma, AxisRange{-1.0, 1.0});
    view.showColorBar(true, "z");
    view.grabImage();
    const QImage image = view.grabImage();
    const double ratio = view.devicePixelRatioF();
    const QRectF bar = view.colorBarRect();
    QVERIFY(!bar.isEmpty());
    // Magma's ends: near black (#000004) at the bottom and pale yellow (#FCFDBF) at the top.
    COMPARE_COLOR(pixelAt(image, QPointF(bar.center().x(), bar.bottom() - 3.0), ratio),
                  colorFromHex("#000004"));
    COMPARE_COLOR(pixelAt(image, QPointF(bar.center().x(), bar.top() + 3.0), ratio), colorFromHex("#FCFDBF"));
    // The cloud is drawn around the centre of the view.
    const QRectF middle(viewWidth / 2.0 - 60.0, viewHeight / 2.0 - 60.0, 120.0, 120.0);
    QVERIFY(countNonBackground(image, middle, ratio, Qt::white) > 1000);
}

QTEST_MAIN(TestPlotLayers)
#include "test_plot_layers.moc"
