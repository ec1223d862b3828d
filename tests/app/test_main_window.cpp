// The window end to end, as a user meets it: it opens on generated data, a file opened through the
// File menu's path or dropped on the window replaces the data, and a bad file is reported in a message
// box while the data on screen stay.

#include "explorers/data_explorer.hpp"
#include "explorers/mean_shift_explorer.hpp"
#include "locallab/widgets/parameter_panel.hpp"
#include "locallab/widgets/plot_view_2d.hpp"
#include "locallab/widgets/vtk_view.hpp"
#include "main_window.hpp"

#include <QApplication>
#include <QDropEvent>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrl>
#include <set>

using locallab::MainWindow;

namespace {

constexpr int loadTimeoutMilliseconds = 20000;

QString writeFile(const QTemporaryDir& folder, const QString& name, const QByteArray& contents) {
    const QString path = folder.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return {};
    }
    file.write(contents);
    return path;
}

// Five labelled points in two columns.
const QByteArray goodCsv = "first,second,label\n"
                           "0.0,1.0,a\n"
                           "1.0,2.0,a\n"
                           "2.0,0.5,b\n"
                           "3.0,1.5,b\n"
                           "4.0,3.0,a\n";

// Line 3, column 2 is not a number.
const QByteArray badCsv = "first,second\n"
                          "0.0,1.0\n"
                          "1.0,abc\n";

QString labelText(const MainWindow& window, const char* name) {
    const auto* label = window.findChild<QLabel*>(QString::fromLatin1(name));
    return label ? label->text() : QStringLiteral("<no label %1>").arg(QString::fromLatin1(name));
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void startsOnTheDefaultGeneratedScatter();
    void listsEveryExplorerAndSaysWhatTheComingOnesShow();
    void choosingAnExplorerShowsItsPictureAndPanel();
    void openFileShowsTheNewData();
    void badFileIsReportedAndTheOldDataStay();
    void droppedFileIsOpened();
    void generatorParametersRegenerate();
    void exportWritesAPngAtTheScaledSize();

private:
    QTemporaryDir folder_;
};

void TestMainWindow::initTestCase() {
    QVERIFY(folder_.isValid());
}

void TestMainWindow::init() {
    QSettings().clear();
}

void TestMainWindow::startsOnTheDefaultGeneratedScatter() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_COMPARE_WITH_TIMEOUT(labelText(window, "pointCountLabel"), QString("600 points"),
                              loadTimeoutMilliseconds);
    QCOMPARE(labelText(window, "columnCountLabel"), QString("2 columns"));
    QVERIFY(labelText(window, "computeTimeLabel").startsWith("compute "));

    const auto dataset = window.dataExplorer()->dataset();
    QVERIFY(dataset);
    QVERIFY(dataset->labels);
    const std::set<int> clusters(dataset->labels->begin(), dataset->labels->end());
    QCOMPARE(clusters.size(), std::size_t{3});
    const locallab::ParameterValues values = window.dataExplorer()->panel()->values();
    QCOMPARE(values.choice("generator"), std::string("blobs"));
    QCOMPARE(values.integer("seed"), 1LL);
    QCOMPARE(values.choice("color_by"), std::string("label"));
    QCOMPARE(window.size(), QSize(1400, 900));
    QTRY_VERIFY_WITH_TIMEOUT(labelText(window, "renderTimeLabel").startsWith("render "),
                             loadTimeoutMilliseconds);
}

void TestMainWindow::listsEveryExplorerAndSaysWhatTheComingOnesShow() {
    MainWindow window;
    const auto* list = window.findChild<QListWidget*>("explorerList");
    QVERIFY(list);
    const QStringList working = {"Data",        "Density & MeanShift", "Image segmentation",
                                 "Local fits",  "Classification",      "Surface fit",
                                 "Fuzzy rules", "Manifold (LLE)",      "Attention"};
    QCOMPARE(list->count(), working.size());
    for (int row = 0; row < list->count(); ++row) {
        const QListWidgetItem* item = list->item(row);
        QVERIFY2(!item->toolTip().isEmpty(), qPrintable(item->text()));
        if (row < working.size()) {
            QCOMPARE(item->text(), working[row]);
            QVERIFY(item->flags().testFlag(Qt::ItemIsEnabled));
        } else {
            QVERIFY2(!item->flags().testFlag(Qt::ItemIsEnabled), qPrintable(item->text()));
            QVERIFY2(item->toolTip().startsWith("Will show"), qPrintable(item->toolTip()));
        }
    }
}

void TestMainWindow::choosingAnExplorerShowsItsPictureAndPanel() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_COMPARE_WITH_TIMEOUT(labelText(window, "pointCountLabel"), QString("600 points"),
                              loadTimeoutMilliseconds);
    QVERIFY(window.selectExplorer("Density & MeanShift"));
    const auto* views = window.findChild<QStackedWidget*>("explorerViews");
    QVERIFY(views);
    QCOMPARE(views->currentWidget(), window.meanShiftExplorer()->centralWidget());
    QVERIFY(window.meanShiftExplorer()->panel()->isVisible());
    QVERIFY(!window.dataExplorer()->panel()->isVisible());
    // The explorer clusters the data the Data explorer shows.
    QTRY_VERIFY_WITH_TIMEOUT(window.meanShiftExplorer()->picture() &&
                                 window.meanShiftExplorer()->picture()->exact,
                             loadTimeoutMilliseconds);
    QCOMPARE(window.meanShiftExplorer()->picture()->result.labels.size(), Eigen::Index(600));
    QVERIFY(!window.selectExplorer("Relaxation labelling")); // not an explorer (yet)

    // A file opened while another explorer is on screen reaches it, and is remembered.
    window.openFile(writeFile(folder_, "switched.csv", goodCsv));
    QTRY_VERIFY_WITH_TIMEOUT(window.meanShiftExplorer()->picture() &&
                                 window.meanShiftExplorer()->picture()->result.labels.size() == 5,
                             loadTimeoutMilliseconds);
    QTRY_COMPARE(window.recentFiles().size(), 1);
}

void TestMainWindow::openFileShowsTheNewData() {
    MainWindow window;
    window.show();
    QTRY_COMPARE_WITH_TIMEOUT(labelText(window, "pointCountLabel"), QString("600 points"),
                              loadTimeoutMilliseconds);
    const QString path = writeFile(folder_, "good.csv", goodCsv);
    window.openFile(path);
    QTRY_COMPARE_WITH_TIMEOUT(labelText(window, "pointCountLabel"), QString("5 points"),
                              loadTimeoutMilliseconds);
    QCOMPARE(labelText(window, "columnCountLabel"), QString("2 columns"));
    QVERIFY(window.windowTitle().contains("good.csv"));
    // The column called "label" holds text labels: two classes, and colour follows them.
    const auto dataset = window.dataExplorer()->dataset();
    QVERIFY(dataset->labels);
    QCOMPARE(std::set<int>(dataset->labels->begin(), dataset->labels->end()).size(), std::size_t{2});
    QCOMPARE(window.recentFiles().value(0), QFileInfo(path).absoluteFilePath());
    // The axes follow the file's column names.
    const locallab::ParameterValues values = window.dataExplorer()->panel()->values();
    QCOMPARE(values.choice("x_column"), std::string("first"));
    QCOMPARE(values.choice("y_column"), std::string("second"));
}

void TestMainWindow::badFileIsReportedAndTheOldDataStay() {
    MainWindow window;
    window.show();
    QTRY_COMPARE_WITH_TIMEOUT(labelText(window, "pointCountLabel"), QString("600 points"),
                              loadTimeoutMilliseconds);
    const auto before = window.dataExplorer()->dataset();
    const QString path = writeFile(folder_, "bad.csv", badCsv);

    window.openFile(path);
    QMessageBox* box = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((box = window.findChild<QMessageBox*>("problemMessage")) != nullptr,
                             loadTimeoutMilliseconds);
    QVERIFY(box->isVisible());
    QCOMPARE(box->icon(), QMessageBox::Critical);
    const QString shownText = box->text();
    box->done(QMessageBox::Ok);

    QVERIFY2(shownText.contains("bad.csv:3"), qPrintable(shownText));
    QCOMPARE(labelText(window, "pointCountLabel"), QString("600 points"));
    QCOMPARE(window.dataExplorer()->dataset(), before);
    QVERIFY(window.recentFiles().isEmpty());
}

void TestMainWindow::droppedFileIsOpened() {
    MainWindow window;
    window.show();
    QTRY_COMPARE_WITH_TIMEOUT(labelText(window, "pointCountLabel"), QString("600 points"),
                              loadTimeoutMilliseconds);
    const QString path = writeFile(folder_, "dropped.csv", goodCsv);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    const QPointF centre = QPointF(window.width() / 2.0, window.height() / 2.0);

    QDragEnterEvent enter(centre.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);
    QTRY_COMPARE_WITH_TIMEOUT(labelText(window, "pointCountLabel"), QString("5 points"),
                              loadTimeoutMilliseconds);

    // Text that is not a file is refused at the door.
    QMimeData text;
    text.setText("not a file");
    QDragEnterEvent refused(centre.toPoint(), Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
    refused.setAccepted(false);
    QApplication::sendEvent(&window, &refused);
    QVERIFY(!refused.isAccepted());
}

void TestMainWindow::generatorParametersRegenerate() {
    MainWindow window;
    window.show();
    QTRY_COMPARE_WITH_TIMEOUT(labelText(window, "pointCountLabel"), QString("600 points"),
                              loadTimeoutMilliseconds);
    auto* samples = qobject_cast<QSpinBox*>(window.dataExplorer()->panel()->controlFor("samples"));
    QVERIFY(samples);
    samples->setValue(250); // as if typed and committed
    QTRY_COMPARE_WITH_TIMEOUT(labelText(window, "pointCountLabel"), QString("250 points"),
                              loadTimeoutMilliseconds);
    QCOMPARE(window.dataExplorer()->dataset()->size(), 250);
}

void TestMainWindow::exportWritesAPngAtTheScaledSize() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_COMPARE_WITH_TIMEOUT(labelText(window, "pointCountLabel"), QString("600 points"),
                              loadTimeoutMilliseconds);
    QTRY_VERIFY_WITH_TIMEOUT(labelText(window, "renderTimeLabel").startsWith("render "),
                             loadTimeoutMilliseconds);
    const QString path = folder_.filePath("figure.png");
    QVERIFY(window.exportImage(path, 2.0));
    const QImage image(path);
    QVERIFY(!image.isNull());
    const auto* view = window.dataExplorer()->plotView();
    const double pixels = view->devicePixelRatioF() * 2.0;
    QCOMPARE(image.width(), qRound(view->width() * pixels));
    QCOMPARE(image.height(), qRound(view->height() * pixels));
}

int main(int argc, char* argv[]) {
    // As in the application: one OpenGL format for every context, set before QApplication exists.
    QSurfaceFormat::setDefaultFormat(locallab::VtkView::defaultFormat());
    QApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication application(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // recent files go to a test settings file
    QCoreApplication::setOrganizationName("LocalLabTests");
    QCoreApplication::setApplicationName("test_main_window");
    TestMainWindow test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_main_window.moc"
