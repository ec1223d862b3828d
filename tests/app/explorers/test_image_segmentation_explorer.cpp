// The image explorer as a user meets it: it opens on a generated picture, a two-tone picture falls into
// two segments until the range bandwidth typed into the panel exceeds the step, a file that is no
// image is reported in the message line while the pictures stay, dragging a slider computes nothing
// until it is released, and a cancelled job leaves the last result on screen.

#include "explorer_test_window.hpp"
#include "explorers/captioned_image_view.hpp"
#include "explorers/image_segmentation_explorer.hpp"
#include "explorers/picture_grid.hpp"
#include "locallab/widgets/parameter_panel.hpp"
#include "locallab/widgets/vtk_view.hpp"

#include <QApplication>
#include <QDoubleSpinBox>
#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QSlider>
#include <QSurfaceFormat>
#include <QTemporaryDir>
#include <QTest>
#include <random>

using locallab::ImageSegmentationExplorer;

namespace {

constexpr int jobTimeoutMilliseconds = 30000;

// Left half one colour, right half another (|step| ≈ 247 in RGB), with noise of ±4 per channel.
QImage twoToneImage() {
    QImage image(64, 48, QImage::Format_RGB888);
    std::mt19937 generator(5);
    std::uniform_int_distribution<int> noise(-4, 4);
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor tone = x < image.width() / 2 ? QColor(40, 60, 160) : QColor(220, 180, 40);
            image.setPixelColor(x, y,
                                QColor(tone.red() + noise(generator), tone.green() + noise(generator),
                                       tone.blue() + noise(generator)));
        }
    }
    return image;
}

// Noise everywhere, at the largest size the explorer keeps: slow to segment with a wide window.
QImage noiseImage() {
    QImage image(ImageSegmentationExplorer::maximumSide, ImageSegmentationExplorer::maximumSide,
                 QImage::Format_RGB888);
    std::mt19937 generator(9);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int y = 0; y < image.height(); ++y) {
        uchar* line = image.scanLine(y);
        for (int i = 0; i < 3 * image.width(); ++i) {
            line[i] = static_cast<uchar>(byte(generator));
        }
    }
    return image;
}

// The explorer's picture and panel side by side in one shown window, as the main window holds them.
struct Harness : locallab::test::ExplorerTestWindow<ImageSegmentationExplorer> {
    Harness() : ExplorerTestWindow(QSize(1100, 600)) {}
};

} // namespace

class TestImageSegmentationExplorer : public QObject {
    Q_OBJECT

private slots:
    void startsWithTheGeneratedPicture();
    void twoTonesGiveTwoSegmentsUntilTheRangeBandwidthExceedsTheStep();
    void largePicturesAreScaledDown();
    void picturesAreArrangedForTheLargestSize();
    void unreadableFileIsReportedAndTheResultStays_data();
    void unreadableFileIsReportedAndTheResultStays();
    void draggingASliderComputesOnlyOnRelease();
    void cancelKeepsTheLastResult();

private:
    QTemporaryDir folder_;
};

void TestImageSegmentationExplorer::startsWithTheGeneratedPicture() {
    Harness harness;
    ImageSegmentationExplorer& explorer = *harness.explorer;
    QSignalSpy shown(&explorer, &ImageSegmentationExplorer::resultShown);
    QSignalSpy computeTime(&explorer, &ImageSegmentationExplorer::computeTimeMeasured);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, jobTimeoutMilliseconds);
    QVERIFY(explorer.view() == nullptr);
    QVERIFY(!explorer.originalImage().isNull());
    QCOMPARE(explorer.filteredImage().size(), explorer.originalImage().size());
    QCOMPARE(explorer.segmentedImage().size(), explorer.originalImage().size());
    // Four shapes on a gradient: several segments, far fewer than pixels.
    QVERIFY2(explorer.regionCount() >= 5 && explorer.regionCount() < 200,
             qPrintable(QString::number(explorer.regionCount())));
    QCOMPARE(computeTime.count(), 1);
    QVERIFY(explorer.messageText().isEmpty());
}

void TestImageSegmentationExplorer::twoTonesGiveTwoSegmentsUntilTheRangeBandwidthExceedsTheStep() {
    Harness harness;
    ImageSegmentationExplorer& explorer = *harness.explorer;
    QSignalSpy shown(&explorer, &ImageSegmentationExplorer::resultShown);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, jobTimeoutMilliseconds);

    explorer.setImage(twoToneImage(), QStringLiteral("two tones"));
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 2, jobTimeoutMilliseconds);
    QCOMPARE(explorer.regionCount(), 2);
    QCOMPARE(explorer.panel()->values().choice("picture"), std::string("two tones"));
    // The segments are the halves, each in its own flat colour.
    const QImage segmented = explorer.segmentedImage();
    QCOMPARE(segmented.pixelColor(0, 0), segmented.pixelColor(31, 47));
    QCOMPARE(segmented.pixelColor(32, 0), segmented.pixelColor(63, 47));
    QVERIFY(segmented.pixelColor(0, 0) != segmented.pixelColor(63, 0));

    auto* rangeBox = qobject_cast<QDoubleSpinBox*>(explorer.panel()->controlFor("range-bandwidth"));
    QVERIFY(rangeBox);
    rangeBox->setFocus();
    rangeBox->selectAll();
    QTest::keyClicks(rangeBox, QStringLiteral("400"));
    QTest::keyClick(rangeBox, Qt::Key_Return);
    QCOMPARE(explorer.panel()->values().real("range-bandwidth"), 400.0);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 3, jobTimeoutMilliseconds);
    QCOMPARE(explorer.regionCount(), 1);
}

void TestImageSegmentationExplorer::largePicturesAreScaledDown() {
    Harness harness;
    ImageSegmentationExplorer& explorer = *harness.explorer;
    QSignalSpy shown(&explorer, &ImageSegmentationExplorer::resultShown);
    QImage large(1000, 500, QImage::Format_RGB888);
    large.fill(QColor(90, 120, 200));
    explorer.setImage(large);
    QCOMPARE(explorer.originalImage().size(), QSize(ImageSegmentationExplorer::maximumSide, 160));
    const auto* original =
        explorer.centralWidget()->findChild<locallab::CaptionedImageView*>("originalImage");
    QVERIFY(original);
    QVERIFY2(original->detail().contains(QString("scaled down from 1000 × 500")),
             qPrintable(original->detail()));
    QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1 && explorer.filteredImage().size() == QSize(320, 160),
                             jobTimeoutMilliseconds);
    QCOMPARE(explorer.regionCount(), 1);
    QCOMPARE(explorer.filteredImage().pixelColor(100, 100), QColor(90, 120, 200));
}

void TestImageSegmentationExplorer::picturesAreArrangedForTheLargestSize() {
    Harness harness;
    ImageSegmentationExplorer& explorer = *harness.explorer;
    auto* grid = explorer.centralWidget()->findChild<locallab::PictureGrid*>();
    QVERIFY(grid);
    const auto views = grid->findChildren<locallab::CaptionedImageView*>();
    QCOMPARE(views.size(), 3);

    grid->resize(1500, 500); // wide: one row
    QVERIFY(grid->isInOneRow());
    QCOMPARE(views[0]->geometry().top(), views[2]->geometry().top());
    QVERIFY(views[0]->geometry().right() < views[1]->geometry().left());
    QVERIFY(views[1]->geometry().right() < views[2]->geometry().left());

    grid->resize(800, 800); // tall: two by two, larger than three in a row would be
    QVERIFY(!grid->isInOneRow());
    QCOMPARE(views[0]->geometry().top(), views[1]->geometry().top());
    QVERIFY(views[2]->geometry().top() > views[0]->geometry().bottom());
    QVERIFY(views[0]->imageRect().width() > 800 / 3);
}

void TestImageSegmentationExplorer::unreadableFileIsReportedAndTheResultStays_data() {
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("contents"); // empty: the file is not created
    QTest::newRow("missing file") << "missing.png" << QByteArray();
    QTest::newRow("not an image") << "notes.png" << QByteArray("these are words, not pixels\n");
}

void TestImageSegmentationExplorer::unreadableFileIsReportedAndTheResultStays() {
    QFETCH(QString, fileName);
    QFETCH(QByteArray, contents);
    QVERIFY(folder_.isValid());
    const QString path = folder_.filePath(fileName);
    if (!contents.isEmpty()) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(contents);
    }
    Harness harness;
    ImageSegmentationExplorer& explorer = *harness.explorer;
    QSignalSpy shown(&explorer, &ImageSegmentationExplorer::resultShown);
    explorer.setImage(twoToneImage());
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, jobTimeoutMilliseconds);
    const QImage original = explorer.originalImage();
    const QImage filtered = explorer.filteredImage();

    QSignalSpy busy(&explorer, &ImageSegmentationExplorer::busyChanged);
    explorer.openImage(path);
    QVERIFY2(explorer.messageText().contains(fileName), qPrintable(explorer.messageText()));
    QVERIFY(explorer.centralWidget()->findChild<QWidget*>("imageMessageLabel")->isVisible());
    QCOMPARE(busy.count(), 0); // nothing was started
    QCOMPARE(explorer.originalImage(), original);
    QCOMPARE(explorer.filteredImage(), filtered);
    QCOMPARE(explorer.regionCount(), 2);
}

void TestImageSegmentationExplorer::draggingASliderComputesOnlyOnRelease() {
    Harness harness;
    ImageSegmentationExplorer& explorer = *harness.explorer;
    QSignalSpy shown(&explorer, &ImageSegmentationExplorer::resultShown);
    explorer.setImage(twoToneImage());
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, jobTimeoutMilliseconds);

    QSignalSpy busy(&explorer, &ImageSegmentationExplorer::busyChanged);
    QSlider* slider = explorer.panel()->sliderFor("range-bandwidth");
    QVERIFY(slider);
    slider->setSliderDown(true);
    slider->setValue(slider->maximum());
    QCOMPARE(explorer.panel()->values().real("range-bandwidth"), 500.0); // the number follows the drag
    QTest::qWait(200);
    QCOMPARE(busy.count(), 0);
    QCOMPARE(explorer.regionCount(), 2);
    slider->setSliderDown(false); // the release
    QCOMPARE(busy.count(), 1);
    QCOMPARE(busy.constFirst().constFirst().toBool(), true);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 2, jobTimeoutMilliseconds);
    QCOMPARE(explorer.regionCount(), 1);
    QCOMPARE(busy.constLast().constFirst().toBool(), false);
}

void TestImageSegmentationExplorer::cancelKeepsTheLastResult() {
    Harness harness;
    ImageSegmentationExplorer& explorer = *harness.explorer;
    QSignalSpy shown(&explorer, &ImageSegmentationExplorer::resultShown);
    explorer.setImage(twoToneImage());
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, jobTimeoutMilliseconds);
    const QImage filtered = explorer.filteredImage();

    // A wide window on a large noisy picture takes seconds, long enough to be cancelled mid-way.
    locallab::ParameterValues slow = explorer.panel()->values();
    slow.set("spatial-bandwidth", 64.0);
    slow.set("max-iter", 200LL);
    explorer.panel()->setValues(slow);
    QSignalSpy busy(&explorer, &ImageSegmentationExplorer::busyChanged);
    QSignalSpy progress(&explorer, &ImageSegmentationExplorer::progressChanged);
    explorer.setImage(noiseImage());
    QCOMPARE(busy.count(), 1);
    QCOMPARE(busy.constLast().constFirst().toBool(), true);
    QTRY_VERIFY_WITH_TIMEOUT(progress.count() > 0, jobTimeoutMilliseconds); // under way
    explorer.cancel();
    QCOMPARE(busy.count(), 2);
    QCOMPARE(busy.constLast().constFirst().toBool(), false);
    QTest::qWait(500);
    QCOMPARE(shown.count(), 1);
    QCOMPARE(explorer.filteredImage(), filtered);
    QCOMPARE(explorer.regionCount(), 2);
}

int main(int argc, char* argv[]) {
    // As in the application: one OpenGL format for every context, set before QApplication exists.
    QSurfaceFormat::setDefaultFormat(locallab::VtkView::defaultFormat());
    QApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication application(argc, argv);
    TestImageSegmentationExplorer test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_image_segmentation_explorer.moc"
