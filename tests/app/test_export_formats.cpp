// The other things `locallab --scene FILE` writes headlessly, read back the way their users read them:
// an SVG parses as XML, keeps its axis labels as text and reopens its scene; a PDF is a PDF; a GIF
// plays the timeline frame by frame at the frame rate asked for; a PNG sequence has one numbered frame
// per step; an Ogg file holds a Theora stream; a CSV holds one row per point with its cluster and mode.

#include "app_process.hpp"
#include "scene/scene.hpp"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QImageReader>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>
#include <map>

namespace {

using Run = locallab::test::AppRun;
using locallab::test::runLocalLab;

QString lesson(const char* name) {
    return QStringLiteral(LOCALLAB_SCENE_DIR "/") + QString::fromLatin1(name);
}

QByteArray contentsOf(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

struct SvgReading {
    QString error;
    QStringList texts;
    int images = 0;
    int groups = 0;
    int circles = 0;
    int polylines = 0;
};

SvgReading readSvg(const QByteArray& svg) {
    SvgReading reading;
    QXmlStreamReader xml(svg);
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement()) {
            continue;
        }
        if (xml.name() == QLatin1String("text")) {
            reading.texts << xml.readElementText().trimmed();
        } else if (xml.name() == QLatin1String("circle")) {
            ++reading.circles;
        } else if (xml.name() == QLatin1String("polyline")) {
            ++reading.polylines;
        } else if (xml.name() == QLatin1String("image")) {
            ++reading.images;
        } else if (xml.name() == QLatin1String("g") && xml.attributes()
                                                           .value(QLatin1String("transform"))
                                                           .startsWith(QLatin1String("translate"))) {
            ++reading.groups;
        }
    }
    if (xml.hasError()) {
        reading.error = xml.errorString();
    }
    return reading;
}

struct CsvTable {
    QStringList header;
    std::vector<std::vector<double>> rows;
};

CsvTable readCsv(const QString& path) {
    CsvTable table;
    const QStringList lines =
        QString::fromUtf8(contentsOf(path)).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    if (lines.isEmpty()) {
        return table;
    }
    table.header = lines.front().split(QLatin1Char(','));
    for (qsizetype line = 1; line < lines.size(); ++line) {
        std::vector<double> row;
        for (const QString& field : lines[line].split(QLatin1Char(','))) {
            row.push_back(field == QLatin1String("nan") ? std::nan("") : field.toDouble());
        }
        table.rows.push_back(row);
    }
    return table;
}

// How many points each cluster label of a MeanShift table holds.
std::map<int, int> clusterSizes(const CsvTable& table) {
    std::map<int, int> sizes;
    const auto column = table.header.indexOf(QStringLiteral("cluster"));
    for (const auto& row : table.rows) {
        ++sizes[static_cast<int>(row[static_cast<std::size_t>(column)])];
    }
    return sizes;
}

} // namespace

class TestExportFormats : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void svgKeepsTextAndReopensItsScene();
    void svgOfSeveralViewsPlacesEachView();
    void pdfIsWritten();
    void gifPlaysTheTimeline();
    void pngSequenceHasAFramePerStep();
    void oggHoldsATheoraStream();
    void csvHoldsClustersAndModes();
    void adaptiveBandwidthFindsTheClustersAFixedOneShatters();
    void animationOfAPictureWithoutTimelineIsRefused();

private:
    QTemporaryDir folder_;
};

void TestExportFormats::initTestCase() {
    QVERIFY(folder_.isValid());
}

void TestExportFormats::svgKeepsTextAndReopensItsScene() {
    const QString out = folder_.filePath(QStringLiteral("figure.svg"));
    const Run run = runLocalLab({"--scene", lesson("01_mean_shift_on_blobs.json"), "--export", out, "--size",
                                 "1000x560", "--scale", "1.25"});
    QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
    const QByteArray svg = contentsOf(out);
    const SvgReading reading = readSvg(svg);
    QVERIFY2(reading.error.isEmpty(), qPrintable(reading.error));
    // The axis titles, a tick label and the title are text, not pixels.
    QVERIFY2(reading.texts.contains(QStringLiteral("x")), qPrintable(reading.texts.join(" | ")));
    QVERIFY(reading.texts.contains(QStringLiteral("y")));
    QVERIFY(reading.texts.contains(QStringLiteral("10")));
    QVERIFY(std::any_of(reading.texts.begin(), reading.texts.end(),
                        [](const QString& text) { return text.startsWith(QStringLiteral("MeanShift")); }));
    // The 600 points and the modes are circles, the seeds' paths and the contours polylines; only the
    // density heatmap is a picture underneath, at the figure's size.
    QVERIFY2(reading.circles >= 603, qPrintable(QString::number(reading.circles)));
    QVERIFY2(reading.polylines >= 600, qPrintable(QString::number(reading.polylines)));
    QCOMPARE(reading.images, 1);
    QVERIFY(svg.contains("viewBox=\"0 0 1000 560\""));
    const locallab::Scene scene = locallab::readSceneOrImage(out);
    QCOMPARE(scene.explorer, QStringLiteral("Density & MeanShift"));
    QCOMPARE(scene.parameters.real("bandwidth"), 1.0);
    QCOMPARE(scene.exportSettings.width, 1000);
}

void TestExportFormats::svgOfSeveralViewsPlacesEachView() {
    const QString out = folder_.filePath(QStringLiteral("manifold.svg"));
    const Run run = runLocalLab({"--scene", lesson("09_lle_k_too_large.json"), "--export", out, "--size",
                                 "1280x720", "--scale", "1"});
    QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
    const SvgReading reading = readSvg(contentsOf(out));
    QVERIFY2(reading.error.isEmpty(), qPrintable(reading.error));
    QCOMPARE(reading.groups, 2); // the data in 3-D and the embedding, each at its place in the layout
    QVERIFY2(reading.texts.contains(QStringLiteral("y1")), qPrintable(reading.texts.join(" | ")));
    QVERIFY(reading.images >= 3); // the layout underneath, then each view's marks
    QCOMPARE(locallab::readSceneOrImage(out).explorer, QStringLiteral("Manifold (LLE)"));
}

void TestExportFormats::pdfIsWritten() {
    const QString out = folder_.filePath(QStringLiteral("figure.pdf"));
    const Run run =
        runLocalLab({"--scene", lesson("05_boundary_bias.json"), "--export", out, "--size", "800x450"});
    QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
    const QByteArray pdf = contentsOf(out);
    QVERIFY(pdf.startsWith("%PDF-"));
    QVERIFY(pdf.contains("%%EOF"));
    QVERIFY(pdf.contains("/Font")); // the text went in as text, with its font
    QVERIFY(
        !QDir(folder_.path()).entryList({QStringLiteral(".*partial")}, QDir::Hidden | QDir::Files).size());
}

void TestExportFormats::gifPlaysTheTimeline() {
    const QString out = folder_.filePath(QStringLiteral("iterations.gif"));
    const Run run = runLocalLab({"--scene", lesson("01_mean_shift_on_blobs.json"), "--export", out, "--size",
                                 "480x270", "--scale", "1", "--fps", "5"});
    QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
    QImageReader reader(out);
    QVERIFY(reader.supportsAnimation());
    const int frames = reader.imageCount();
    QVERIFY2(frames >= 5, qPrintable(QString::number(frames)));
    QCOMPARE(reader.loopCount(), -1); // forever
    const QImage first = reader.read();
    QCOMPARE(reader.nextImageDelay(), 200);
    QImage last;
    while (reader.canRead()) {
        last = reader.read();
    }
    QCOMPARE(first.size(), QSize(480, 270));
    QCOMPARE(last.size(), QSize(480, 270));
    // The seeds move: the first frame (the data) and the last (at the modes) differ.
    QVERIFY(first.convertToFormat(QImage::Format_RGB32) != last.convertToFormat(QImage::Format_RGB32));
}

void TestExportFormats::pngSequenceHasAFramePerStep() {
    const QString gif = folder_.filePath(QStringLiteral("count.gif"));
    QVERIFY(runLocalLab({"--scene", lesson("01_mean_shift_on_blobs.json"), "--export", gif, "--size",
                         "320x180", "--scale", "1"})
                .exitCode == 0);
    const int iterations = QImageReader(gif).imageCount() - 1;
    const QString out = folder_.filePath(QStringLiteral("step.png"));
    const Run run =
        runLocalLab({"--scene", lesson("01_mean_shift_on_blobs.json"), "--export", out, "--frames",
                     "--frames-per-iteration", "2", "--size", "320x180", "--scale", "1"});
    QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
    const QStringList frames = QDir(folder_.path()).entryList({QStringLiteral("step_*.png")}, QDir::Files);
    QCOMPARE(frames.size(), 2 * iterations + 1);
    QVERIFY(frames.contains(QStringLiteral("step_0001.png")));
    const QString lastFrame =
        folder_.filePath(QStringLiteral("step_%1.png").arg(2 * iterations + 1, 4, 10, QLatin1Char('0')));
    QCOMPARE(QImage(lastFrame).size(), QSize(320, 180));
    QCOMPARE(locallab::readSceneOrImage(lastFrame).explorer, QStringLiteral("Density & MeanShift"));

    // A second export of the same name refuses, and leaves every frame as it was.
    const QByteArray before = contentsOf(lastFrame);
    const Run again = runLocalLab(
        {"--scene", lesson("03_bandwidth_too_small.json"), "--export", out, "--frames", "--size", "320x180"});
    QCOMPARE(again.exitCode, 4);
    QVERIFY2(again.errors.contains(QStringLiteral("exists already")), qPrintable(again.errors));
    QCOMPARE(contentsOf(lastFrame), before);
}

void TestExportFormats::oggHoldsATheoraStream() {
    const QString out = folder_.filePath(QStringLiteral("iterations.ogv"));
    const Run run = runLocalLab({"--scene", lesson("01_mean_shift_on_blobs.json"), "--export", out, "--size",
                                 "321x181", "--scale", "1"});
    QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
    const QByteArray video = contentsOf(out);
    QVERIFY(video.startsWith("OggS"));
    QVERIFY(video.contains("\x80theora"));
    QVERIFY(video.size() > 4096);
}

void TestExportFormats::csvHoldsClustersAndModes() {
    const QString out = folder_.filePath(QStringLiteral("clusters.csv"));
    const Run run = runLocalLab({"--scene", lesson("01_mean_shift_on_blobs.json"), "--export-data", out});
    QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
    const CsvTable table = readCsv(out);
    QCOMPARE(table.header, QStringList({"x1", "x2", "cluster", "mode_x1", "mode_x2"}));
    QCOMPARE(table.rows.size(), std::size_t{600});
    // Three blobs, three modes; every point of a cluster names the same mode, within h = 1 of the points'
    // mean.
    const std::map<int, int> sizes = clusterSizes(table);
    QCOMPARE(sizes.size(), std::size_t{3});
    std::map<int, std::pair<double, double>> modes;
    std::map<int, std::pair<double, double>> sums;
    for (const auto& row : table.rows) {
        const int cluster = static_cast<int>(row[2]);
        if (modes.count(cluster) == 0) {
            modes[cluster] = {row[3], row[4]};
        }
        QCOMPARE(row[3], modes[cluster].first);
        QCOMPARE(row[4], modes[cluster].second);
        sums[cluster].first += row[0];
        sums[cluster].second += row[1];
    }
    for (const auto& [cluster, mode] : modes) {
        const double meanX = sums[cluster].first / sizes.at(cluster);
        const double meanY = sums[cluster].second / sizes.at(cluster);
        QVERIFY(std::hypot(meanX - mode.first, meanY - mode.second) < 1.0);
    }
}

void TestExportFormats::adaptiveBandwidthFindsTheClustersAFixedOneShatters() {
    const QString fixedOut = folder_.filePath(QStringLiteral("fixed.csv"));
    const Run fixedRun = runLocalLab(
        {"--scene", lesson("16_fixed_against_adaptive_bandwidth.json"), "--export-data", fixedOut});
    QVERIFY2(fixedRun.exitCode == 0, qPrintable(fixedRun.errors));
    const std::map<int, int> fixedSizes = clusterSizes(readCsv(fixedOut));
    QVERIFY2(fixedSizes.size() > 6, qPrintable(QString::number(fixedSizes.size())));

    // The lesson's suggestion: the same h, adaptive.
    QByteArray scene = contentsOf(lesson("16_fixed_against_adaptive_bandwidth.json"));
    QVERIFY(scene.contains("\"bandwidth-type\": \"fixed\""));
    scene.replace("\"bandwidth-type\": \"fixed\"", "\"bandwidth-type\": \"adaptive\"");
    const QString adaptiveScene = folder_.filePath(QStringLiteral("adaptive.json"));
    {
        QFile file(adaptiveScene);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(scene);
    }
    const QString adaptiveOut = folder_.filePath(QStringLiteral("adaptive.csv"));
    const Run adaptiveRun = runLocalLab({"--scene", adaptiveScene, "--export-data", adaptiveOut});
    QVERIFY2(adaptiveRun.exitCode == 0, qPrintable(adaptiveRun.errors));
    const std::map<int, int> adaptiveSizes = clusterSizes(readCsv(adaptiveOut));
    QCOMPARE(adaptiveSizes.size(), std::size_t{3});
    // The generator draws 200 points per cluster; the clusters found are those, give or take a few
    // points of the wide cluster's tail.
    for (const auto& [cluster, size] : adaptiveSizes) {
        QVERIFY2(size > 185 && size < 215,
                 qPrintable(QStringLiteral("cluster %1: %2").arg(cluster).arg(size)));
    }
}

void TestExportFormats::animationOfAPictureWithoutTimelineIsRefused() {
    const QString out = folder_.filePath(QStringLiteral("no_timeline.gif"));
    const Run run = runLocalLab({"--scene", lesson("05_boundary_bias.json"), "--export", out});
    QCOMPARE(run.exitCode, 4);
    QVERIFY2(run.errors.contains(QStringLiteral("no timeline")), qPrintable(run.errors));
    QVERIFY(!QFile::exists(out));
}

QTEST_GUILESS_MAIN(TestExportFormats)
#include "test_export_formats.moc"
