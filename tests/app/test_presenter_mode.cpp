// Presenter mode, as a teacher uses it on a projector: F11 fills the screen and enlarges text and
// markers, Page Down and Page Up step through the gallery's lessons, F11 again puts everything back.

#include "explorers/explorer.hpp"
#include "locallab/widgets/vtk_view.hpp"
#include "main_window.hpp"
#include "scene/scene_controller.hpp"

#include <QApplication>
#include <QDockWidget>
#include <QLabel>
#include <QStandardPaths>
#include <QSurfaceFormat>
#include <QTest>

using locallab::MainWindow;

class TestPresenterMode : public QObject {
    Q_OBJECT

private slots:
    void keysEnlargeAndStepThroughTheLessons();
};

void TestPresenterMode::keysEnlargeAndStepThroughTheLessons() {
    MainWindow window;
    window.setHeadless(true);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    // Shortcuts reach the active window only.
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    const double normalFont = QApplication::font().pointSizeF();
    const auto views = window.findChildren<locallab::VtkView*>();
    QVERIFY(views.size() >= 8);

    QTest::keyClick(&window, Qt::Key_F11);
    QVERIFY(window.isPresenterMode());
    QTRY_VERIFY(window.isFullScreen());
    QVERIFY(QApplication::font().pointSizeF() > 1.5 * normalFont);
    for (const locallab::VtkView* view : views) {
        QCOMPARE(view->magnification(), 1.6);
    }

    QTest::keyClick(&window, Qt::Key_PageDown);
    QCOMPARE(window.currentGalleryScene(), 0);
    QVERIFY(window.sceneController()->waitForPicture(90000));
    const locallab::Scene first = locallab::readSceneFile(window.galleryScenes().at(0));
    QCOMPARE(window.currentExplorer()->title(), first.explorer);
    QCOMPARE(window.lessonDock()->findChild<QLabel*>("lessonTitle")->text(), first.title);
    QTest::keyClick(&window, Qt::Key_PageDown);
    QCOMPARE(window.currentGalleryScene(), 1);
    QTest::keyClick(&window, Qt::Key_PageUp);
    QTest::keyClick(&window, Qt::Key_PageUp); // from the first lesson back round to the last
    QCOMPARE(window.currentGalleryScene(), static_cast<int>(window.galleryScenes().size()) - 1);
    QVERIFY(window.sceneController()->waitForPicture(90000));
    if (qEnvironmentVariableIsSet("LOCALLAB_TEST_SNAPSHOTS")) {
        window.grab().save(qEnvironmentVariable("LOCALLAB_TEST_SNAPSHOTS") + "/presenter_mode.png");
    }

    QTest::keyClick(&window, Qt::Key_F11);
    QVERIFY(!window.isPresenterMode());
    QTRY_VERIFY(!window.isFullScreen());
    QCOMPARE(QApplication::font().pointSizeF(), normalFont);
    for (const locallab::VtkView* view : views) {
        QCOMPARE(view->magnification(), 1.0);
    }
}

int main(int argc, char* argv[]) {
    QSurfaceFormat::setDefaultFormat(locallab::VtkView::defaultFormat());
    QApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication application(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("LocalLabTests");
    QCoreApplication::setApplicationName("test_presenter_mode");
    TestPresenterMode test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_presenter_mode.moc"
