// VtkView: the VTK-in-Qt host. Checks that it initialises, renders, resizes and tears down, that
// Qt input reaches VTK's camera with the right meaning, and that exports and coordinate mappings
// agree with what is on screen.

#include "fuzzy_compare.hpp"
#include "locallab/widgets/vtk_view.hpp"

#include <QApplication>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>
#include <memory>
#include <vtkActor.h>
#include <vtkCamera.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>
#include <vtkSphereSource.h>

using locallab::VtkView;

namespace {

// A unit sphere at the origin in a flat, unlit colour, so pixel colours are exact.
void addSphere(VtkView& view, double red, double green, double blue) {
    vtkNew<vtkSphereSource> sphere;
    sphere->SetRadius(1.0);
    sphere->SetThetaResolution(48);
    sphere->SetPhiResolution(48);
    vtkNew<vtkPolyDataMapper> mapper;
    mapper->SetInputConnection(sphere->GetOutputPort());
    vtkNew<vtkActor> actor;
    actor->SetMapper(mapper);
    actor->GetProperty()->SetColor(red, green, blue);
    actor->GetProperty()->LightingOff();
    view.renderer()->AddActor(actor);
    view.resetCamera();
}

std::unique_ptr<VtkView> shownView(int width = 400, int height = 300) {
    auto view = std::make_unique<VtkView>();
    view->resize(width, height);
    view->show();
    if (!QTest::qWaitForWindowExposed(view.get())) {
        return nullptr;
    }
    return view;
}

QColor pixelAt(const QImage& image, const QPointF& widgetPosition, double devicePixelRatio) {
    return image.pixelColor(static_cast<int>(widgetPosition.x() * devicePixelRatio),
                            static_cast<int>(widgetPosition.y() * devicePixelRatio));
}

void sendWheel(QWidget& widget, const QPointF& position, int angleDelta) {
    QWheelEvent event(position, widget.mapToGlobal(position), QPoint(), QPoint(0, angleDelta), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(&widget, &event);
}

void sendMouse(QWidget& widget, QEvent::Type type, const QPointF& position, Qt::MouseButton button,
               Qt::MouseButtons buttons) {
    QMouseEvent event(type, position, widget.mapToGlobal(position), button, buttons, Qt::NoModifier);
    QApplication::sendEvent(&widget, &event);
}

void leftDrag(QWidget& widget, const QPointF& from, const QPointF& to) {
    sendMouse(widget, QEvent::MouseButtonPress, from, Qt::LeftButton, Qt::LeftButton);
    constexpr int steps = 8;
    for (int step = 1; step <= steps; ++step) {
        const QPointF position = from + (to - from) * (static_cast<double>(step) / steps);
        sendMouse(widget, QEvent::MouseMove, position, Qt::NoButton, Qt::LeftButton);
    }
    sendMouse(widget, QEvent::MouseButtonRelease, to, Qt::LeftButton, Qt::NoButton);
}

Eigen::Vector3d directionOfProjection(vtkCamera* camera) {
    double direction[3];
    camera->GetDirectionOfProjection(direction);
    return {direction[0], direction[1], direction[2]};
}

} // namespace

class TestVtkView : public QObject {
    Q_OBJECT
private slots:
    void rendersTheSceneIntoTheWidget();
    void followsResizes();
    void survivesRepeatedCreationAndDestruction();
    void wheelForwardZoomsIn_data();
    void wheelForwardZoomsIn();
    void leftDragPansWithoutRotatingIn2D();
    void leftDragRotatesIn3D();
    void displayAndWorldCoordinatesAgree();
    void reportsRenderTime();
    void exportScalesThePicture();
    void darkThemeDarkensTheBackground();
    void wheelBurstIsAnInteraction();
};

void TestVtkView::rendersTheSceneIntoTheWidget() {
    auto view = shownView();
    QVERIFY(view);
    addSphere(*view, 1.0, 0.0, 0.0);
    const QImage image = view->grabImage();
    const double ratio = view->devicePixelRatioF();
    QCOMPARE(image.size(), view->size() * ratio);
    // The sphere fills the centre; the light theme's white background shows in the corner.
    QCOMPARE(pixelAt(image, QPointF(200, 150), ratio), QColor(255, 0, 0));
    QCOMPARE(pixelAt(image, QPointF(3, 3), ratio), QColor(255, 255, 255));
}

void TestVtkView::followsResizes() {
    auto view = shownView();
    QVERIFY(view);
    addSphere(*view, 0.0, 0.0, 1.0);
    view->resize(320, 180);
    QTRY_COMPARE(view->grabImage().size(), QSize(320, 180) * view->devicePixelRatioF());
    const int* windowSize = view->renderWindow()->GetSize();
    QCOMPARE(windowSize[0], static_cast<int>(320 * view->devicePixelRatioF()));
    QCOMPARE(windowSize[1], static_cast<int>(180 * view->devicePixelRatioF()));
    QCOMPARE(pixelAt(view->grabImage(), QPointF(160, 90), view->devicePixelRatioF()), QColor(0, 0, 255));
}

void TestVtkView::survivesRepeatedCreationAndDestruction() {
    for (int round = 0; round < 5; ++round) {
        auto view = shownView(200 + 20 * round, 150);
        QVERIFY(view);
        addSphere(*view, 0.0, 1.0, 0.0);
        QCOMPARE(pixelAt(view->grabImage(), QPointF(view->width() / 2.0, 75), view->devicePixelRatioF()),
                 QColor(0, 255, 0));
        view.reset();
        QCoreApplication::processEvents();
    }
}

void TestVtkView::wheelForwardZoomsIn_data() {
    QTest::addColumn<bool>("twoDimensional");
    QTest::newRow("2-D, parallel scale shrinks") << true;
    QTest::newRow("3-D, camera moves closer") << false;
}

void TestVtkView::wheelForwardZoomsIn() {
    QFETCH(bool, twoDimensional);
    auto view = shownView();
    QVERIFY(view);
    view->setInteractionMode(twoDimensional ? VtkView::InteractionMode::TwoD
                                            : VtkView::InteractionMode::ThreeD);
    addSphere(*view, 0.2, 0.2, 0.2);
    view->grabImage();
    vtkCamera* camera = view->renderer()->GetActiveCamera();
    const double scaleBefore = camera->GetParallelScale();
    const double distanceBefore = camera->GetDistance();
    sendWheel(*view, QPointF(200, 150), 120);
    if (twoDimensional) {
        QVERIFY2(camera->GetParallelScale() < 0.99 * scaleBefore, "the wheel did not zoom in");
    } else {
        QVERIFY2(camera->GetDistance() < 0.99 * distanceBefore, "the wheel did not move the camera closer");
    }
    const double scaleZoomed = camera->GetParallelScale();
    const double distanceZoomed = camera->GetDistance();
    sendWheel(*view, QPointF(200, 150), -120);
    if (twoDimensional) {
        QVERIFY(camera->GetParallelScale() > 1.01 * scaleZoomed);
    } else {
        QVERIFY(camera->GetDistance() > 1.01 * distanceZoomed);
    }
}

void TestVtkView::leftDragPansWithoutRotatingIn2D() {
    auto view = shownView();
    QVERIFY(view);
    view->setInteractionMode(VtkView::InteractionMode::TwoD);
    addSphere(*view, 0.2, 0.2, 0.2);
    view->grabImage();
    vtkCamera* camera = view->renderer()->GetActiveCamera();
    const Eigen::Vector3d directionBefore = directionOfProjection(camera);
    const Eigen::Vector3d worldBefore = view->displayToWorld(QPointF(200, 150));
    double focalBefore[3];
    camera->GetFocalPoint(focalBefore);

    leftDrag(*view, QPointF(200, 150), QPointF(260, 110));

    LOCALLAB_COMPARE_MATRIX_NEAR(directionOfProjection(camera), directionBefore, 0.0, 1e-9);
    QVERIFY(camera->GetParallelProjection());
    double focalAfter[3];
    camera->GetFocalPoint(focalAfter);
    QVERIFY2(std::abs(focalAfter[0] - focalBefore[0]) > 1e-3, "the drag did not pan");
    // Panning drags the scene with the mouse: what was under (200, 150) is now under (260, 110).
    const Eigen::Vector3d worldAfter = view->displayToWorld(QPointF(260, 110));
    LOCALLAB_COMPARE_MATRIX_NEAR(worldAfter.head<2>(), worldBefore.head<2>(), 0.0, 0.02);
}

void TestVtkView::leftDragRotatesIn3D() {
    auto view = shownView();
    QVERIFY(view);
    view->setInteractionMode(VtkView::InteractionMode::ThreeD);
    addSphere(*view, 0.2, 0.2, 0.2);
    view->grabImage();
    vtkCamera* camera = view->renderer()->GetActiveCamera();
    const Eigen::Vector3d directionBefore = directionOfProjection(camera);
    leftDrag(*view, QPointF(200, 150), QPointF(260, 110));
    QVERIFY2((directionOfProjection(camera) - directionBefore).norm() > 0.05, "the trackball did not rotate");
}

void TestVtkView::displayAndWorldCoordinatesAgree() {
    auto view = shownView();
    QVERIFY(view);
    addSphere(*view, 0.2, 0.2, 0.2);
    view->grabImage();
    // The sphere's centre is at the world origin and the camera looks at it: the widget centre.
    const QPointF origin = view->worldToDisplay(Eigen::Vector3d::Zero());
    LOCALLAB_COMPARE_NEAR(origin.x(), 200.0, 0.0, 1.0);
    LOCALLAB_COMPARE_NEAR(origin.y(), 150.0, 0.0, 1.0);
    for (const QPointF& pixel : {QPointF(10, 20), QPointF(350, 40), QPointF(123, 280)}) {
        const Eigen::Vector3d world = view->displayToWorld(pixel);
        LOCALLAB_COMPARE_NEAR(world.z(), 0.0, 0.0, 1e-9);
        const QPointF back = view->worldToDisplay(world);
        LOCALLAB_COMPARE_NEAR(back.x(), pixel.x(), 0.0, 1e-6);
        LOCALLAB_COMPARE_NEAR(back.y(), pixel.y(), 0.0, 1e-6);
    }
    // y grows downwards on screen and upwards in the world.
    QVERIFY(view->displayToWorld(QPointF(200, 20)).y() > view->displayToWorld(QPointF(200, 280)).y());
}

void TestVtkView::reportsRenderTime() {
    auto view = shownView();
    QVERIFY(view);
    QSignalSpy spy(view.get(), &VtkView::renderTimeMeasured);
    addSphere(*view, 0.2, 0.2, 0.2);
    view->grabImage();
    QVERIFY(!spy.isEmpty());
    const double milliseconds = spy.last().at(0).toDouble();
    QVERIFY(milliseconds > 0.0);
    QVERIFY(milliseconds < 60'000.0);
}

void TestVtkView::exportScalesThePicture() {
    auto view = shownView(300, 200);
    QVERIFY(view);
    addSphere(*view, 1.0, 0.0, 0.0);
    view->grabImage();
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const QString path = directory.filePath("figure.png");
    QVERIFY(view->exportPng(path, 2.0));
    const QImage exported(path);
    const double ratio = view->devicePixelRatioF();
    QCOMPARE(exported.size(), QSize(600, 400) * ratio);
    QCOMPARE(exported.pixelColor(exported.width() / 2, exported.height() / 2), QColor(255, 0, 0));
    QCOMPARE(exported.pixelColor(4, 4), QColor(255, 255, 255));
    // The view itself is back to its own size.
    QCOMPARE(view->grabImage().size(), QSize(300, 200) * ratio);
    QCOMPARE(view->pixelScale(), ratio);
}

void TestVtkView::darkThemeDarkensTheBackground() {
    auto view = shownView();
    QVERIFY(view);
    QSignalSpy spy(view.get(), &VtkView::themeChanged);
    view->setTheme(VtkView::Theme::Dark);
    QCOMPARE(spy.count(), 1);
    const QColor corner = pixelAt(view->grabImage(), QPointF(3, 3), view->devicePixelRatioF());
    QVERIFY2(corner.lightnessF() < 0.2, qPrintable(corner.name()));
    QVERIFY(view->foregroundColor().minCoeff() > 0.8);
}

void TestVtkView::wheelBurstIsAnInteraction() {
    auto view = shownView();
    QVERIFY(view);
    addSphere(*view, 0.2, 0.2, 0.2);
    QSignalSpy spy(view.get(), &VtkView::interactingChanged);
    sendWheel(*view, QPointF(200, 150), 120);
    QVERIFY(view->isInteracting());
    // The burst ends by itself after a short silence.
    QTRY_VERIFY(!view->isInteracting());
    QCOMPARE(spy.count(), 2);
}

QTEST_MAIN(TestVtkView)
#include "test_vtk_view.moc"
