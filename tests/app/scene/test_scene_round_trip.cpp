// Scenes through the window: saving then opening gives the same parameters and the same picture, an
// exported PNG reopens its scene (opened or dropped), a missing or changed data file is reported, and
// undo and redo step through parameter edits, a slider drag being one step.

#include "explorers/data_explorer.hpp"
#include "explorers/explorer.hpp"
#include "locallab/widgets/parameter_panel.hpp"
#include "locallab/widgets/vtk_view.hpp"
#include "main_window.hpp"
#include "scene/quiet_watcher.hpp"
#include "scene/scene.hpp"
#include "scene_test_support.hpp"

#include <QApplication>
#include <QDropEvent>
#include <QFile>
#include <QMimeData>
#include <QSlider>
#include <QStandardPaths>
#include <QSurfaceFormat>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoGroup>
#include <QUndoStack>
#include <QUrl>

using locallab::MainWindow;
using locallab::ParameterValues;

namespace {

const QString meanShift = QStringLiteral("Density & MeanShift");

void showWindow(MainWindow& window) {
    window.setHeadless(true);
    window.resize(1300, 850);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
}

// A scene of the window as it is after a few edits of the MeanShift explorer.
bool editMeanShift(MainWindow& window) {
    if (!window.selectExplorer(meanShift)) {
        return false;
    }
    ParameterValues data;
    data.set("generator", std::string("moons"));
    data.set("samples", 300LL);
    window.dataExplorer()->panel()->applyValues(data);
    // New data bring a bandwidth of their own (Scott's rule); the edits come after it, as a user's would.
    locallab::QuietWatcher dataArrived({window.dataExplorer(), window.currentExplorer()}, 400);
    if (!dataArrived.waitForQuiet(locallab::test::scenePictureTimeoutMilliseconds)) {
        return false;
    }
    ParameterValues edits;
    edits.set("kernel", std::string("epanechnikov"));
    edits.set("bandwidth", 0.35);
    edits.set("show-basins", true);
    window.currentExplorer()->panel()->applyValues(edits);
    locallab::QuietWatcher quiet({window.dataExplorer(), window.currentExplorer()}, 400);
    return quiet.waitForQuiet(locallab::test::scenePictureTimeoutMilliseconds);
}

QImage smallFigure(MainWindow& window) {
    locallab::Scene scene = window.sceneController()->capture({});
    scene.exportSettings.width = 640;
    scene.exportSettings.height = 400;
    return window.sceneController()->renderFigure(scene, false);
}

} // namespace

class TestSceneRoundTrip : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void savedSceneReopensWithTheSameParametersAndPicture();
    void exportedPngReopensItsScene();
    void droppedPngReopensItsScene();
    void missingOrChangedDataFileIsReported();
    void unknownExplorerIsReportedAndNothingChanges();
    void sliderDragIsOneUndoStep();
    void undoneEditsAreRedone();

private:
    QTemporaryDir folder_;
};

void TestSceneRoundTrip::initTestCase() {
    QVERIFY(folder_.isValid());
}

void TestSceneRoundTrip::savedSceneReopensWithTheSameParametersAndPicture() {
    const QString path = folder_.filePath(QStringLiteral("moons.json"));
    QImage before;
    ParameterValues savedParameters;
    ParameterValues savedData;
    {
        MainWindow window;
        showWindow(window);
        QVERIFY(editMeanShift(window));
        QVERIFY(window.saveScene(path));
        savedParameters = window.currentExplorer()->panel()->values();
        savedData = window.dataExplorer()->panel()->values();
        before = smallFigure(window);
    }
    QVERIFY(!before.isNull());
    QCOMPARE(savedParameters.real("bandwidth"), 0.35);

    MainWindow window;
    showWindow(window);
    QVERIFY2(locallab::test::openSceneAndWait(window, path), qPrintable(window.lastProblem()));
    QCOMPARE(window.currentExplorer()->title(), meanShift);
    QVERIFY(window.currentExplorer()->panel()->values() == savedParameters);
    QVERIFY(window.dataExplorer()->panel()->values() == savedData);
    QCOMPARE(window.dataExplorer()->dataset()->size(), 300LL);
    const QImage after = smallFigure(window);
    const double difference = locallab::test::meanAbsoluteDifference(before, after);
    QVERIFY2(difference < 1.0, qPrintable(QString::number(difference)));
    // A different picture is told apart by the same measure, so the bound above means something.
    ParameterValues other;
    other.set("bandwidth", 1.5);
    window.currentExplorer()->panel()->applyValues(other);
    locallab::QuietWatcher quiet({window.currentExplorer()}, 400);
    QVERIFY(quiet.waitForQuiet(locallab::test::scenePictureTimeoutMilliseconds));
    QVERIFY(locallab::test::meanAbsoluteDifference(before, smallFigure(window)) > 3.0 * difference + 0.5);
}

void TestSceneRoundTrip::exportedPngReopensItsScene() {
    const QString path = folder_.filePath(QStringLiteral("figure.png"));
    ParameterValues exported;
    {
        MainWindow window;
        showWindow(window);
        QVERIFY(editMeanShift(window));
        QVERIFY(window.exportImage(path, 1.0));
        exported = window.currentExplorer()->panel()->values();
    }
    MainWindow window;
    showWindow(window);
    QCOMPARE(window.currentExplorer()->title(), QStringLiteral("Data"));
    QVERIFY2(locallab::test::openSceneAndWait(window, path), qPrintable(window.lastProblem()));
    QCOMPARE(window.currentExplorer()->title(), meanShift);
    QVERIFY(window.currentExplorer()->panel()->values() == exported);
}

void TestSceneRoundTrip::droppedPngReopensItsScene() {
    const QString path = folder_.filePath(QStringLiteral("dropped.png"));
    {
        MainWindow window;
        showWindow(window);
        QVERIFY(editMeanShift(window));
        QVERIFY(window.exportImage(path, 1.0));
    }
    MainWindow window;
    showWindow(window);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QDragEnterEvent enter(QPoint(20, 20), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(20, 20), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);
    QCOMPARE(window.currentExplorer()->title(), meanShift);
    QCOMPARE(window.currentExplorer()->panel()->values().choice("kernel"), std::string("epanechnikov"));
}

void TestSceneRoundTrip::missingOrChangedDataFileIsReported() {
    const QString data = folder_.filePath(QStringLiteral("points.csv"));
    {
        QFile file(data);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("x,y\n0,0\n1,1\n2,0.5\n3,2\n4,1\n");
    }
    const QString scenePath = folder_.filePath(QStringLiteral("with_file.json"));
    {
        MainWindow window;
        showWindow(window);
        window.openFile(data);
        QTRY_COMPARE_WITH_TIMEOUT(window.dataExplorer()->shownFile(), data, 20000);
        QVERIFY(window.saveScene(scenePath));
    }
    const locallab::Scene saved = locallab::readSceneFile(scenePath);
    QCOMPARE(saved.data.file, QStringLiteral("points.csv")); // relative to the scene's folder
    QCOMPARE(saved.data.sha256, locallab::fileSha256(data));
    {
        QFile file(data);
        QVERIFY(file.open(QIODevice::Append));
        file.write("5,3\n");
    }
    MainWindow window;
    showWindow(window);
    QVERIFY(!window.openScene(scenePath));
    QVERIFY2(window.lastProblem().contains(QStringLiteral("has changed")), qPrintable(window.lastProblem()));
    QVERIFY(QFile::remove(data));
    QVERIFY(!window.openScene(scenePath));
    QVERIFY2(window.lastProblem().contains(QStringLiteral("is missing")), qPrintable(window.lastProblem()));
    QCOMPARE(window.currentExplorer()->title(), QStringLiteral("Data"));
}

void TestSceneRoundTrip::unknownExplorerIsReportedAndNothingChanges() {
    const QString path = folder_.filePath(QStringLiteral("unknown.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"format": "locallab-scene", "version": 1, "explorer": "Spectral clustering"})");
    file.close();
    MainWindow window;
    showWindow(window);
    const ParameterValues before = window.dataExplorer()->panel()->values();
    QVERIFY(!window.openScene(path));
    QVERIFY2(window.lastProblem().contains(
                 QStringLiteral("\"Spectral clustering\", which LocalLab does not have")),
             qPrintable(window.lastProblem()));
    QVERIFY(window.dataExplorer()->panel()->values() == before);
}

void TestSceneRoundTrip::sliderDragIsOneUndoStep() {
    MainWindow window;
    showWindow(window);
    QVERIFY(window.selectExplorer(meanShift));
    locallab::ParameterPanel* panel = window.currentExplorer()->panel();
    const double original = panel->values().real("bandwidth");
    QSlider* slider = panel->sliderFor("bandwidth");
    QVERIFY(slider);
    QUndoStack* stack = window.undoGroup()->activeStack();
    QVERIFY(stack);
    QCOMPARE(stack->count(), 0);

    slider->setSliderDown(true);
    for (int step = 1; step <= 6; ++step) {
        slider->setValue(slider->value() + 5);
    }
    slider->setSliderDown(false);
    const double dragged = panel->values().real("bandwidth");
    QVERIFY(dragged > original);
    QCOMPARE(stack->count(), 1);

    window.undoGroup()->undo();
    QCOMPARE(panel->values().real("bandwidth"), original);
    window.undoGroup()->redo();
    QCOMPARE(panel->values().real("bandwidth"), dragged);
}

void TestSceneRoundTrip::undoneEditsAreRedone() {
    MainWindow window;
    showWindow(window);
    QVERIFY(window.selectExplorer(meanShift));
    locallab::ParameterPanel* panel = window.currentExplorer()->panel();
    const ParameterValues start = panel->values();
    ParameterValues first;
    first.set("kernel", std::string("biweight"));
    panel->applyValues(first);
    ParameterValues second;
    second.set("show-density", false);
    panel->applyValues(second);
    const ParameterValues end = panel->values();
    QCOMPARE(window.undoGroup()->activeStack()->count(), 2);
    QCOMPARE(window.undoGroup()->activeStack()->undoText(), QStringLiteral("Change Density heatmap"));

    window.undoGroup()->undo();
    QCOMPARE(panel->values().choice("kernel"), std::string("biweight"));
    QVERIFY(panel->values().boolean("show-density"));
    window.undoGroup()->undo();
    QVERIFY(panel->values() == start);
    QVERIFY(!window.undoGroup()->canUndo());
    window.undoGroup()->redo();
    window.undoGroup()->redo();
    QVERIFY(panel->values() == end);

    // Each explorer has its own history: the Data explorer's is empty.
    QVERIFY(window.selectExplorer(QStringLiteral("Data")));
    QVERIFY(!window.undoGroup()->canUndo());
}

int main(int argc, char* argv[]) {
    QSurfaceFormat::setDefaultFormat(locallab::VtkView::defaultFormat());
    QApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication application(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("LocalLabTests");
    QCoreApplication::setApplicationName("test_scene_round_trip");
    TestSceneRoundTrip test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_scene_round_trip.moc"
