// File → Export animation and File → Export data as a user meets them: the animation dialog says how
// many frames the timeline on screen makes and how long they play; a picture without a timeline says
// why it has nothing to animate; the data export writes the explorer's table.

#include "explorers/explorer.hpp"
#include "export_dialog.hpp"
#include "locallab/widgets/iteration_timeline.hpp"
#include "locallab/widgets/vtk_view.hpp"
#include "main_window.hpp"
#include "scene/scene_controller.hpp"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QMessageBox>
#include <QSpinBox>
#include <QStandardPaths>
#include <QSurfaceFormat>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using locallab::MainWindow;

namespace {

constexpr int pictureTimeoutMilliseconds = 90000;

QAction* actionNamed(const MainWindow& window, const char* name) {
    return window.findChild<QAction*>(QString::fromLatin1(name));
}

// Runs `inspect` on the modal dialog the action opens, then closes it.
template <typename Inspect>
void inspectModalDialog(QAction* action, Inspect inspect) {
    bool inspected = false;
    QTimer::singleShot(0, [&] {
        QTRY_VERIFY(QApplication::activeModalWidget() != nullptr);
        auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        inspect(*dialog);
        inspected = true;
        dialog->reject();
    });
    action->trigger();
    QTRY_VERIFY(inspected);
}

} // namespace

class TestExportActions : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void animationDialogCountsTheFrames();
    void aPictureWithoutTimelineSaysSo();
    void dataExportWritesTheTable();

private:
    std::unique_ptr<MainWindow> window_;
    QTemporaryDir folder_;
};

void TestExportActions::initTestCase() {
    QVERIFY(folder_.isValid());
    window_ = std::make_unique<MainWindow>();
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
}

void TestExportActions::animationDialogCountsTheFrames() {
    QVERIFY(window_->openGalleryScene(0)); // MeanShift on blobs, with its timeline
    QVERIFY(window_->sceneController()->waitForPicture(pictureTimeoutMilliseconds));
    const locallab::IterationTimeline* timeline = window_->sceneController()->animatedTimeline();
    QVERIFY(timeline);
    const int iterations = timeline->lastIteration();
    QVERIFY(iterations > 2);
    inspectModalDialog(actionNamed(*window_, "exportAnimationAction"), [&](QDialog& dialog) {
        QCOMPARE(dialog.objectName(), QStringLiteral("animationDialog"));
        auto* perIteration = dialog.findChild<QSpinBox*>("animationFramesPerIteration");
        auto* perSecond = dialog.findChild<QSpinBox*>("animationFramesPerSecond");
        QVERIFY(perIteration && perSecond);
        perIteration->setValue(2);
        perSecond->setValue(5);
        const QString expected = QStringLiteral("%1 iterations: %2 frames, %3 s.")
                                     .arg(iterations)
                                     .arg(2 * iterations + 1)
                                     .arg(QString::number((2 * iterations + 1) / 5.0, 'f', 1));
        bool found = false;
        for (const QLabel* label : dialog.findChildren<QLabel*>()) {
            found = found || label->text() == expected;
        }
        QVERIFY2(found, qPrintable(expected));
        if (qEnvironmentVariableIsSet("LOCALLAB_TEST_SNAPSHOTS")) {
            dialog.grab().save(qEnvironmentVariable("LOCALLAB_TEST_SNAPSHOTS") + "/animation_dialog.png");
        }
    });
}

void TestExportActions::aPictureWithoutTimelineSaysSo() {
    QVERIFY(window_->selectExplorer(QStringLiteral("Local fits")));
    QVERIFY(window_->sceneController()->waitForPicture(pictureTimeoutMilliseconds));
    QVERIFY(!window_->sceneController()->animatedTimeline());
    inspectModalDialog(actionNamed(*window_, "exportAnimationAction"), [](QDialog& dialog) {
        auto* box = qobject_cast<QMessageBox*>(&dialog);
        QVERIFY(box);
        QVERIFY2(box->text().contains(QStringLiteral("no timeline")), qPrintable(box->text()));
    });
}

void TestExportActions::dataExportWritesTheTable() {
    QVERIFY(window_->openGalleryScene(0));
    QVERIFY(window_->sceneController()->waitForPicture(pictureTimeoutMilliseconds));
    const std::optional<locallab::ResultTable> table = window_->currentExplorer()->resultTable();
    QVERIFY(table);
    const QString out = folder_.filePath(QStringLiteral("results.csv"));
    QVERIFY(window_->exportData(out, false));
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.front(), QByteArray("x1,x2,cluster,mode_x1,mode_x2"));
    QCOMPARE(lines.size() - 2, table->values.rows()); // the header, and the empty piece after the last line
    // Never over an existing file unless asked.
    window_->setHeadless(true);
    QVERIFY(!window_->exportData(out, false));
    QVERIFY(window_->lastProblem().contains(QStringLiteral("exists already")));
}

int main(int argc, char* argv[]) {
    QStandardPaths::setTestModeEnabled(true);
    QSurfaceFormat::setDefaultFormat(locallab::VtkView::defaultFormat());
    QApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication application(argc, argv);
    TestExportActions test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_export_actions.moc"
