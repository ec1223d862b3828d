// Scene files as text: what is written is read back unchanged, and every way a file can be wrong is
// refused with a message that names the file and the line and column or the field.

#include "scene/scene.hpp"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using locallab::ParameterValues;
using locallab::Scene;
using locallab::SceneError;

namespace {

Scene sampleScene() {
    Scene scene;
    scene.title = QStringLiteral("Boundary bias — Nadaraya–Watson against local linear");
    scene.explanation = QStringLiteral("h² is the kernel's variance.");
    scene.data.parameters.set("generator", std::string("moons"));
    scene.data.parameters.set("samples", 250LL);
    scene.data.parameters.set("noise", 0.125);
    scene.data.file = QStringLiteral("data/points.csv");
    scene.data.sha256 = QStringLiteral("0123456789abcdef");
    scene.explorer = QStringLiteral("Density & MeanShift");
    scene.parameters.set("bandwidth", 0.7071067811865476);
    scene.parameters.set("show-density", false);
    scene.parameters.set("max-iter", 300LL);
    scene.parameters.set("kernel", std::string("epanechnikov"));
    locallab::CameraState camera;
    camera.position = {1.5, -2.25, 10.0};
    camera.focalPoint = {1.5, -2.25, 0.0};
    camera.viewUp = {0.0, 1.0, 0.0};
    camera.parallelScale = 3.75;
    camera.viewAngle = 30.0;
    scene.camera = camera;
    scene.timelinePositions = {12.5, 0.0};
    scene.pages = {2};
    scene.exportSettings.width = 1920;
    scene.exportSettings.height = 1080;
    scene.exportSettings.scale = 1.5;
    scene.exportSettings.transparentBackground = true;
    return scene;
}

QString errorOf(const std::string& text) {
    try {
        locallab::parseScene(text, QStringLiteral("lesson.json"));
    } catch (const SceneError& error) {
        return QString::fromStdString(error.what());
    }
    return QStringLiteral("<accepted>");
}

} // namespace

class TestSceneFile : public QObject {
    Q_OBJECT

private slots:
    void writtenSceneReadsBackUnchanged();
    void wholeNumbersStayWholeAndRealsStayReal();
    void badScenesAreRefusedWithWhereAndWhat_data();
    void badScenesAreRefusedWithWhereAndWhat();
    void emptyAndMissingFilesAreNamed();
    void sha256OfAFileIsItsBytes();
};

void TestSceneFile::writtenSceneReadsBackUnchanged() {
    const Scene written = sampleScene();
    const Scene read = locallab::parseScene(locallab::sceneToJson(written), QStringLiteral("scene.json"));
    QCOMPARE(read.title, written.title);
    QCOMPARE(read.explanation, written.explanation);
    QVERIFY(read.data.parameters == written.data.parameters);
    QCOMPARE(read.data.file, written.data.file);
    QCOMPARE(read.data.sha256, written.data.sha256);
    QCOMPARE(read.explorer, written.explorer);
    QVERIFY(read.parameters == written.parameters);
    QVERIFY(read.camera.has_value());
    QCOMPARE(read.camera->position, written.camera->position);
    QCOMPARE(read.camera->focalPoint, written.camera->focalPoint);
    QCOMPARE(read.camera->parallelScale, written.camera->parallelScale);
    QCOMPARE(read.timelinePositions, written.timelinePositions);
    QCOMPARE(read.pages, written.pages);
    QCOMPARE(read.exportSettings.width, 1920);
    QCOMPARE(read.exportSettings.height, 1080);
    QCOMPARE(read.exportSettings.scale, 1.5);
    QVERIFY(read.exportSettings.transparentBackground);
}

void TestSceneFile::wholeNumbersStayWholeAndRealsStayReal() {
    const Scene read = locallab::parseScene(
        R"({"format": "locallab-scene", "version": 1, "explorer": "Local fits",
            "parameters": {"bandwidth": 2, "degree": 3, "scale": 2.0, "show": true, "kernel": "tricube"}})",
        QStringLiteral("scene.json"));
    const auto& values = read.parameters.all();
    QVERIFY(std::holds_alternative<long long>(values.at("bandwidth")));
    // A whole number written for a real parameter still reads as that real.
    QCOMPARE(read.parameters.real("bandwidth"), 2.0);
    QVERIFY(std::holds_alternative<double>(values.at("scale")));
    QVERIFY(std::holds_alternative<bool>(values.at("show")));
    QCOMPARE(read.parameters.choice("kernel"), std::string("tricube"));
    QVERIFY(!read.camera.has_value());
    QCOMPARE(read.exportSettings.scale, 1.0);
}

void TestSceneFile::badScenesAreRefusedWithWhereAndWhat_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not JSON") << "{\n  \"format\": \"locallab-scene\",\n  \"version\": 1,,\n}"
                              << "lesson.json:3:16: this is not valid JSON";
    QTest::newRow("not an object") << "[1, 2]"
                                   << "lesson.json: a scene file is a JSON object";
    QTest::newRow("another format") << R"({"format": "png", "version": 1, "explorer": "Data"})"
                                    << "the field \"format\" should be \"locallab-scene\"";
    QTest::newRow("newer version") << R"({"format": "locallab-scene", "version": 7, "explorer": "Data"})"
                                   << "version 7, newer than this LocalLab reads (1)";
    QTest::newRow("no explorer") << R"({"format": "locallab-scene", "version": 1})"
                                 << "the field \"explorer\" should be the title of an explorer";
    QTest::newRow("parameter of no type")
        << R"({"format": "locallab-scene", "version": 1, "explorer": "Data", "parameters": {"h": [1]}})"
        << "the field \"parameters.h\" should be a number, true or false, or text in quotes";
    QTest::newRow("short camera vector") << R"({"format": "locallab-scene", "version": 1, "explorer": "Data",
               "camera": {"position": [1, 2], "focal_point": [0, 0, 0], "view_up": [0, 1, 0]}})"
                                         << "the field \"camera.position\" should be a list of three numbers";
    QTest::newRow("absurd export size")
        << R"({"format": "locallab-scene", "version": 1, "explorer": "Data", "export": {"width": 100000, "height": 10}})"
        << "a width and a height both between 1 and 16384 pixels";
    QTest::newRow("negative timeline")
        << R"({"format": "locallab-scene", "version": 1, "explorer": "Data", "timeline": [-1]})"
        << "the field \"timeline\" should be a list of iteration numbers of at least 0";
}

void TestSceneFile::badScenesAreRefusedWithWhereAndWhat() {
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const QString message = errorOf(text.toStdString());
    QVERIFY2(message.contains(expected), qPrintable(message));
    QVERIFY2(message.startsWith(QStringLiteral("lesson.json")), qPrintable(message));
}

void TestSceneFile::emptyAndMissingFilesAreNamed() {
    QTemporaryDir folder;
    const QString empty = folder.filePath(QStringLiteral("empty.json"));
    QFile file(empty);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("  \n");
    file.close();
    try {
        locallab::readSceneFile(empty);
        QFAIL("an empty scene file was accepted");
    } catch (const SceneError& error) {
        QVERIFY2(QString(error.what()).contains(QStringLiteral("empty.json: the file is empty")),
                 error.what());
    }
    try {
        locallab::readSceneFile(folder.filePath(QStringLiteral("missing.json")));
        QFAIL("a missing scene file was accepted");
    } catch (const SceneError& error) {
        QVERIFY2(QString(error.what()).contains(QStringLiteral("missing.json: the file cannot be read")),
                 error.what());
    }
}

void TestSceneFile::sha256OfAFileIsItsBytes() {
    QTemporaryDir folder;
    const QString path = folder.filePath(QStringLiteral("abc.txt"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("abc");
    file.close();
    // FIPS 180-2's example: SHA-256("abc").
    QCOMPARE(locallab::fileSha256(path),
             QStringLiteral("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    QVERIFY(locallab::fileSha256(folder.filePath(QStringLiteral("missing"))).isEmpty());
}

QTEST_GUILESS_MAIN(TestSceneFile)
#include "test_scene_file.moc"
