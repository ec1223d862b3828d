// `locallab --scene FILE --export OUT.png` end to end, as a script making figures runs it: the image
// has exactly the size asked for and carries its scene; an existing file is kept unless --overwrite;
// a bad scene or bad flags end with a message and their exit code, never with an image.

#include "app_process.hpp"
#include "scene/scene.hpp"

#include <QFile>
#include <QImage>
#include <QImageReader>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

using Run = locallab::test::AppRun;
using locallab::test::runLocalLab;

const QString firstLesson = QStringLiteral(LOCALLAB_SCENE_DIR "/01_mean_shift_on_blobs.json");

} // namespace

class TestHeadlessExport : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void exportsAtTheExactSizeWithTheSceneInside();
    void keepsAnExistingFileUnlessToldToReplaceIt();
    void badScenesAndFlagsEndWithTheirCode_data();
    void badScenesAndFlagsEndWithTheirCode();

private:
    QTemporaryDir folder_;
};

void TestHeadlessExport::initTestCase() {
    QVERIFY(folder_.isValid());
    QVERIFY(QFile::exists(firstLesson));
}

void TestHeadlessExport::exportsAtTheExactSizeWithTheSceneInside() {
    const QString out = folder_.filePath(QStringLiteral("figure.png"));
    const Run run =
        runLocalLab({"--scene", firstLesson, "--export", out, "--size", "1000x560", "--scale", "1.25"});
    QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
    const QImage image(out);
    QCOMPARE(image.size(), QSize(1000, 560));
    const locallab::Scene scene = locallab::readSceneOrImage(out);
    QCOMPARE(scene.explorer, QStringLiteral("Density & MeanShift"));
    QCOMPARE(scene.parameters.real("bandwidth"), 1.0);
    QCOMPARE(scene.exportSettings.width, 1000);
    QCOMPARE(scene.exportSettings.scale, 1.25);
    QVERIFY(!QFile::exists(out + QStringLiteral(".tmp")));
}

void TestHeadlessExport::keepsAnExistingFileUnlessToldToReplaceIt() {
    const QString out = folder_.filePath(QStringLiteral("kept.png"));
    {
        QFile file(out);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("not an image yet");
    }
    const Run refused = runLocalLab({"--scene", firstLesson, "--export", out, "--size", "320x240"});
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.errors.contains(QStringLiteral("exists already; give --overwrite")),
             qPrintable(refused.errors));
    QFile kept(out);
    QVERIFY(kept.open(QIODevice::ReadOnly));
    QCOMPARE(kept.readAll(), QByteArray("not an image yet"));
    kept.close();

    const Run replaced =
        runLocalLab({"--scene", firstLesson, "--export", out, "--size", "320x240", "--overwrite"});
    QVERIFY2(replaced.exitCode == 0, qPrintable(replaced.errors));
    QCOMPARE(QImage(out).size(), QSize(320, 240));
}

void TestHeadlessExport::badScenesAndFlagsEndWithTheirCode_data() {
    QTest::addColumn<QByteArray>("sceneText");
    QTest::addColumn<QStringList>("extraArguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("malformed JSON") << QByteArray("{\n \"format\": \"locallab-scene\",\n \"version\": }")
                                    << QStringList() << 3 << "bad.json:3:13: this is not valid JSON";
    QTest::newRow("unknown explorer")
        << QByteArray(R"({"format": "locallab-scene", "version": 1, "explorer": "Nowhere"})") << QStringList()
        << 3 << "\"Nowhere\", which LocalLab does not have";
    QTest::newRow("bandwidth out of range")
        << QByteArray(R"({"format": "locallab-scene", "version": 1, "explorer": "Density & MeanShift",
                          "parameters": {"bandwidth": 0}})")
        << QStringList() << 3 << "bandwidth";
    QTest::newRow("missing data file")
        << QByteArray(R"({"format": "locallab-scene", "version": 1, "explorer": "Data",
                          "data": {"file": "nowhere.csv", "sha256": "00"}})")
        << QStringList() << 3 << "nowhere.csv is missing";
    QTest::newRow("bad size") << QByteArray(
                                     R"({"format": "locallab-scene", "version": 1, "explorer": "Data"})")
                              << QStringList{"--size", "wide"} << 2 << "--size expects WIDTHxHEIGHT";
    QTest::newRow("not a png") << QByteArray(
                                      R"({"format": "locallab-scene", "version": 1, "explorer": "Data"})")
                               << QStringList{"--export-as-jpeg"} << 2 << "is none of them";
}

void TestHeadlessExport::badScenesAndFlagsEndWithTheirCode() {
    QFETCH(QByteArray, sceneText);
    QFETCH(QStringList, extraArguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const QString scenePath = folder_.filePath(QStringLiteral("bad.json"));
    {
        QFile file(scenePath);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(sceneText);
    }
    const QString out = folder_.filePath(QStringLiteral("never.png"));
    QStringList arguments{"--scene", scenePath};
    if (extraArguments != QStringList{"--export-as-jpeg"}) {
        arguments << "--export" << out << extraArguments;
    } else {
        arguments << "--export" << folder_.filePath(QStringLiteral("never.jpg"));
    }
    const Run run = runLocalLab(arguments);
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(run.errors.contains(message, Qt::CaseInsensitive), qPrintable(run.errors));
    QVERIFY(!QFile::exists(out));
}

QTEST_GUILESS_MAIN(TestHeadlessExport)
#include "test_headless_export.moc"
