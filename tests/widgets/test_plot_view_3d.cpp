// What the 3-D view adds for the Manifold explorer, checked on rendered frames: line layers drawn where
// the camera projects them (and over the points when asked), a camera that stays where the user turned
// it when layers change, text pinned to a place in the data in both views, the view's title, and the
// selection a layer reports. Positions come from the views' own world-to-display mapping; colours are
// typed in here.

#include "locallab/widgets/plot_view_2d.hpp"
#include "locallab/widgets/plot_view_3d.hpp"

#include <QTest>
#include <memory>
#include <vtkCamera.h>
#include <vtkRenderer.h>

using locallab::DataLabel;
using locallab::PlotView2D;
using locallab::PlotView3D;
using locallab::Rgb;

namespace {

constexpr int viewWidth = 640;
constexpr int viewHeight = 480;

template <typename View>
std::unique_ptr<View> shownView() {
    auto view = std::make_unique<View>();
    view->resize(viewWidth, viewHeight);
    view->show();
    if (!QTest::qWaitForWindowExposed(view.get())) {
        return nullptr;
    }
    view->grabImage(); // the first frame lays out the camera
    return view;
}

bool isColor(const QColor& actual, const QColor& expected, int tolerance = 12) {
    return std::abs(actual.red() - expected.red()) <= tolerance &&
           std::abs(actual.green() - expected.green()) <= tolerance &&
           std::abs(actual.blue() - expected.blue()) <= tolerance;
}

// How many pixels of `color` lie in a square of half-width `radius` (widget pixels) around `centre`.
int countColor(const QImage& image, const QPointF& centre, double radius, const QColor& color, double ratio) {
    int count = 0;
    const int left = static_cast<int>((centre.x() - radius) * ratio);
    const int right = static_cast<int>((centre.x() + radius) * ratio);
    const int top = static_cast<int>((centre.y() - radius) * ratio);
    const int bottom = static_cast<int>((centre.y() + radius) * ratio);
    for (int y = std::max(0, top); y <= std::min(image.height() - 1, bottom); ++y) {
        for (int x = std::max(0, left); x <= std::min(image.width() - 1, right); ++x) {
            if (isColor(image.pixelColor(x, y), color)) {
                ++count;
            }
        }
    }
    return count;
}

// A dense green slab around the plane z = 0 that hides whatever lies behind it.
Eigen::MatrixX3d slab() {
    Eigen::MatrixX3d points(40 * 40, 3);
    for (int i = 0; i < 40; ++i) {
        for (int j = 0; j < 40; ++j) {
            points.row(i * 40 + j) << -1.0 + i / 19.5, -1.0 + j / 19.5, 0.0;
        }
    }
    return points;
}

} // namespace

class TestPlotView3D : public QObject {
    Q_OBJECT

private slots:
    void linesAreDrawnWhereTheCameraProjectsThem();
    void linesAboveDataAreNotHiddenByPoints();
    void cameraStaysWhereTheUserTurnedItWhenLayersChange();
    void dataLabelsAppearAtTheirPlace_data();
    void dataLabelsAppearAtTheirPlace();
    void crowdedLabelsAreLeftOut_data();
    void crowdedLabelsAreLeftOut();
    void titleIsDrawnAtTheTop();
    void layersReportTheirSelection();
};

void TestPlotView3D::linesAreDrawnWhereTheCameraProjectsThem() {
    const auto view = shownView<PlotView3D>();
    QVERIFY(view);
    view->addPoints(slab(), 4.0, Rgb(0.0, 0.6, 0.0));
    Eigen::MatrixX3d line(2, 3);
    line << -1.0, -1.0, 0.5, 1.0, 1.0, 0.5; // in front of the slab as the default camera looks
    view->addPolylines({line}, {Rgb(1.0, 0.0, 0.0)}, 4.0);
    view->grabImage();
    const QImage image = view->grabImage();
    const double ratio = view->devicePixelRatioF();
    const QPointF middle = view->worldToDisplay(Eigen::Vector3d(0.0, 0.0, 0.5));
    QVERIFY2(countColor(image, middle, 4.0, Qt::red, ratio) > 0, "no red line where it should be");
    // Far from the line's projection there is no red.
    const QPointF away = view->worldToDisplay(Eigen::Vector3d(0.8, -0.8, 0.0));
    QCOMPARE(countColor(image, away, 4.0, Qt::red, ratio), 0);
}

void TestPlotView3D::linesAboveDataAreNotHiddenByPoints() {
    const auto view = shownView<PlotView3D>();
    QVERIFY(view);
    view->addPoints(slab(), 14.0, Rgb(0.0, 0.6, 0.0));
    Eigen::MatrixX3d line(2, 3);
    line << -1.0, 1.0, -0.3, 1.0, -1.0, -0.3; // behind the slab
    const auto layer = view->addPolylines({line}, {Rgb(1.0, 0.0, 0.0)}, 4.0);
    const double ratio = view->devicePixelRatioF();
    view->grabImage();
    QImage image = view->grabImage();
    const QPointF middle = view->worldToDisplay(Eigen::Vector3d(0.0, 0.0, -0.3));
    QCOMPARE(countColor(image, middle, 3.0, Qt::red, ratio), 0); // hidden by the slab
    view->setLayerAboveData(layer);
    view->grabImage();
    image = view->grabImage();
    QVERIFY2(countColor(image, middle, 3.0, Qt::red, ratio) > 0, "the line should be drawn over the points");
}

void TestPlotView3D::cameraStaysWhereTheUserTurnedItWhenLayersChange() {
    const auto view = shownView<PlotView3D>();
    QVERIFY(view);
    view->addPoints(slab(), 4.0);
    vtkCamera* camera = view->renderer()->GetActiveCamera();
    double framed[3];
    camera->GetPosition(framed);
    camera->Azimuth(50.0); // as a drag would turn it
    double turned[3];
    camera->GetPosition(turned);
    Eigen::MatrixX3d line(2, 3);
    line << 0.0, 0.0, 0.0, 0.5, 0.5, 0.5;
    const auto layer = view->addPolylines({line});
    view->removeLayer(layer);
    double after[3];
    camera->GetPosition(after);
    for (int axis = 0; axis < 3; ++axis) {
        QCOMPARE(after[axis], turned[axis]);
    }
    view->resetCamera();
    camera->GetPosition(after);
    for (int axis = 0; axis < 3; ++axis) {
        QVERIFY(std::abs(after[axis] - framed[axis]) < 1e-9 * (1.0 + std::abs(framed[axis])));
    }
}

void TestPlotView3D::dataLabelsAppearAtTheirPlace_data() {
    QTest::addColumn<bool>("threeD");
    QTest::addColumn<double>("yExtent");
    QTest::newRow("3-D view") << true << 1.0;
    QTest::newRow("2-D view") << false << 1.0;
    // y stretched to fill the frame: world y is data y times a scale the label must follow.
    QTest::newRow("2-D view, y stretched") << false << 1000.0;
}

void TestPlotView3D::dataLabelsAppearAtTheirPlace() {
    QFETCH(bool, threeD);
    QFETCH(double, yExtent);
    const QColor labelColor(200, 0, 0);
    const Rgb label(200.0 / 255.0, 0.0, 0.0);
    QImage image;
    QPointF anchor;
    QPointF elsewhere;
    double ratio = 1.0;
    std::unique_ptr<PlotView3D> view3;
    std::unique_ptr<PlotView2D> view2;
    if (threeD) {
        view3 = shownView<PlotView3D>();
        QVERIFY(view3);
        view3->addPoints(slab(), 4.0, Rgb(0.0, 0.6, 0.0));
        view3->setDataLabels({DataLabel{Eigen::Vector3d(0.5, 0.5, 0.0), "0.25", label}});
        QCOMPARE(view3->dataLabels().size(), std::size_t{1});
        view3->grabImage();
        image = view3->grabImage();
        ratio = view3->devicePixelRatioF();
        anchor = view3->worldToDisplay(Eigen::Vector3d(0.5, 0.5, 0.0));
        elsewhere = view3->worldToDisplay(Eigen::Vector3d(-0.5, -0.5, 0.0));
    } else {
        view2 = shownView<PlotView2D>();
        QVERIFY(view2);
        if (yExtent != 1.0) {
            view2->setAspectMode(PlotView2D::AspectMode::Fill);
        }
        Eigen::MatrixX2d points(4, 2);
        points << -1.0, -yExtent, 1.0, -yExtent, -1.0, yExtent, 1.0, yExtent;
        view2->addPoints(points);
        view2->setDataLabels({DataLabel{Eigen::Vector3d(0.5, 0.5 * yExtent, 0.0), "0.25", label}});
        view2->grabImage();
        image = view2->grabImage();
        ratio = view2->devicePixelRatioF();
        anchor = view2->dataToDisplay(Eigen::Vector2d(0.5, 0.5 * yExtent));
        elsewhere = view2->dataToDisplay(Eigen::Vector2d(-0.5, -0.5 * yExtent));
    }
    // Text strokes in the label's colour around the anchor, none around another place.
    QVERIFY2(countColor(image, anchor, 16.0, labelColor, ratio) > 5, "no label text at its anchor");
    QCOMPARE(countColor(image, elsewhere, 16.0, labelColor, ratio), 0);
}

void TestPlotView3D::crowdedLabelsAreLeftOut_data() {
    QTest::addColumn<double>("gap");
    QTest::addColumn<bool>("shown");
    // The slab spans 2 units over a few hundred pixels: 0.01 apart the two labels overlap, 1.0 apart not.
    QTest::newRow("overlapping") << 0.01 << false;
    QTest::newRow("apart") << 1.0 << true;
}

void TestPlotView3D::crowdedLabelsAreLeftOut() {
    QFETCH(double, gap);
    QFETCH(bool, shown);
    const QColor labelColor(200, 0, 0);
    const Rgb label(200.0 / 255.0, 0.0, 0.0);
    const auto view = shownView<PlotView3D>();
    QVERIFY(view);
    view->addPoints(slab(), 4.0, Rgb(0.0, 0.6, 0.0));
    view->setDataLabelsHiddenWhenCrowded(true);
    const Eigen::Vector3d first(-0.5 * gap, 0.0, 0.0);
    view->setDataLabels(
        {DataLabel{first, "0.25", label}, DataLabel{first + Eigen::Vector3d(gap, 0.0, 0.0), "0.75", label}});
    view->grabImage();
    const QImage image = view->grabImage();
    QCOMPARE(view->dataLabelsShown(), shown);
    const int redPixels =
        countColor(image, view->worldToDisplay(first), 24.0, labelColor, view->devicePixelRatioF());
    QCOMPARE(redPixels > 0, shown);
}

void TestPlotView3D::titleIsDrawnAtTheTop() {
    const auto view = shownView<PlotView3D>();
    QVERIFY(view);
    view->addPoints(slab(), 4.0, Rgb(0.0, 0.6, 0.0));
    const double ratio = view->devicePixelRatioF();
    const QPointF topCentre(viewWidth / 2.0, 24.0);
    QImage image = view->grabImage();
    const int before = countColor(image, topCentre, 20.0, QColor(33, 33, 33), ratio);
    view->setTitle("A title of some length");
    view->grabImage();
    image = view->grabImage();
    QVERIFY2(countColor(image, topCentre, 20.0, QColor(33, 33, 33), ratio) > before + 20, "no title text");
}

void TestPlotView3D::layersReportTheirSelection() {
    const auto view3 = shownView<PlotView3D>();
    QVERIFY(view3);
    const auto layer3 = view3->addPoints(slab(), 4.0);
    view3->setSelection(layer3, {3, 7, 11});
    QCOMPARE(view3->selection(layer3), (std::vector<Eigen::Index>{3, 7, 11}));
    QVERIFY(view3->selection(layer3 + 100).empty());

    const auto view2 = shownView<PlotView2D>();
    QVERIFY(view2);
    const auto layer2 = view2->addPoints(Eigen::MatrixX2d::Random(20, 2));
    view2->setSelection(layer2, {0, 19});
    QCOMPARE(view2->selection(layer2), (std::vector<Eigen::Index>{0, 19}));
}

QTEST_MAIN(TestPlotView3D)
#include "test_plot_view_3d.moc"
