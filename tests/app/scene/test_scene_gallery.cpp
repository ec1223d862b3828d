// Every lesson of the gallery opens, shows its title and explanation beside the view, and exports
// headlessly to a 1920 × 1080 PNG whose plot is drawn and whose axis text is there, and to an SVG that
// parses as XML, keeps its text as text and carries the scene.

#include "explorers/explorer.hpp"
#include "locallab/widgets/parameter_panel.hpp"
#include "locallab/widgets/vtk_view.hpp"
#include "main_window.hpp"
#include "scene/scene.hpp"
#include "scene/scene_controller.hpp"
#include "scene_test_support.hpp"

#include <QApplication>
#include <QDockWidget>
#include <QLabel>
#include <QStandardPaths>
#include <QSurfaceFormat>
#include <QTest>
#include <QXmlStreamReader>
#include <memory>

using locallab::MainWindow;

class TestSceneGallery : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void galleryHasTheLessons();
    void everyLessonExportsAtFullHd_data();
    void everyLessonExportsAtFullHd();
    void cleanupTestCase();

private:
    std::unique_ptr<MainWindow> window_;
};

void TestSceneGallery::initTestCase() {
    window_ = std::make_unique<MainWindow>();
    window_->setHeadless(true);
    window_->resize(1600, 1000);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
}

void TestSceneGallery::galleryHasTheLessons() {
    const QStringList scenes = window_->galleryScenes();
    QVERIFY2(scenes.size() >= 12, qPrintable(QString::number(scenes.size())));
    for (const QString& path : scenes) {
        const locallab::Scene scene = locallab::readSceneFile(path);
        QVERIFY2(!scene.title.isEmpty(), qPrintable(path));
        QVERIFY2(scene.explanation.size() > 80, qPrintable(path));
    }
}

void TestSceneGallery::everyLessonExportsAtFullHd_data() {
    QTest::addColumn<int>("index");
    MainWindow probe;
    const QStringList scenes = probe.galleryScenes();
    for (int index = 0; index < scenes.size(); ++index) {
        QTest::newRow(qPrintable(QFileInfo(scenes[index]).baseName())) << index;
    }
}

void TestSceneGallery::everyLessonExportsAtFullHd() {
    QFETCH(int, index);
    const QString path = window_->galleryScenes().at(index);
    const locallab::Scene lesson = locallab::readSceneFile(path);
    QVERIFY2(window_->openGalleryScene(index), qPrintable(window_->lastProblem()));
    QVERIFY(window_->sceneController()->waitForPicture(locallab::test::scenePictureTimeoutMilliseconds));
    QVERIFY2(window_->lastProblem().isEmpty(), qPrintable(window_->lastProblem()));
    QCOMPARE(window_->currentExplorer()->title(), lesson.explorer);
    QVERIFY(window_->lessonDock()->isVisible());
    // Every choice the lesson names exists (a renamed lesson or kernel would be ignored otherwise).
    const locallab::ParameterValues shown = window_->currentExplorer()->panel()->values();
    for (const auto& [name, value] : lesson.parameters.all()) {
        if (const auto* choice = std::get_if<std::string>(&value)) {
            QVERIFY2(shown.contains(name), name.c_str());
            QCOMPARE(QString::fromStdString(shown.choice(name)), QString::fromStdString(*choice));
        }
    }
    QCOMPARE(window_->lessonDock()->findChild<QLabel*>("lessonTitle")->text(), lesson.title);

    locallab::Scene scene = window_->sceneController()->capture({});
    scene.exportSettings.width = 1920;
    scene.exportSettings.height = 1080;
    scene.exportSettings.scale = 1.0;
    const QImage image = window_->sceneController()->renderFigure(scene, !lesson.camera.has_value());
    QCOMPARE(image.size(), QSize(1920, 1080));

    // The plot area is drawn: a good share of the middle of the figure is not background.
    const QRect middle(480, 270, 960, 540);
    const double covered = locallab::test::coveredFraction(image, middle);
    QVERIFY2(covered > 0.03, qPrintable(QStringLiteral("only %1 of the middle is drawn").arg(covered)));
    // Text is there: dark ink in the figure's margins, where titles, ticks and legends go.
    const long long marginInk = locallab::test::inkPixels(image, QRect(0, 0, 1920, 140)) +
                                locallab::test::inkPixels(image, QRect(0, 940, 1920, 140)) +
                                locallab::test::inkPixels(image, QRect(0, 0, 220, 1080));
    QVERIFY2(marginInk > 400, qPrintable(QStringLiteral("%1 ink pixels in the margins").arg(marginInk)));

    // The figure carries its scene.
    const locallab::Scene carried =
        locallab::parseScene(image.text(locallab::sceneImageTextKey).toStdString(), QStringLiteral("figure"));
    QCOMPARE(carried.explorer, lesson.explorer);

    const auto svg = window_->sceneController()->renderFigureFile(scene, locallab::FigureFormat::Svg,
                                                                  !lesson.camera.has_value());
    QVERIFY2(svg.problem.isEmpty(), qPrintable(svg.problem));
    QStringList texts;
    QXmlStreamReader xml(svg.bytes);
    while (!xml.atEnd()) {
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("text")) {
            texts << xml.readElementText();
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    // Titles, axis titles and tick labels: every lesson's figure has a handful at least.
    QVERIFY2(texts.size() >= 5, qPrintable(texts.join(QStringLiteral(" | "))));
    QCOMPARE(
        locallab::parseScene(locallab::sceneJsonInSvg(svg.bytes).toStdString(), QStringLiteral("figure.svg"))
            .explorer,
        lesson.explorer);
    if (qEnvironmentVariableIsSet("LOCALLAB_TEST_SNAPSHOTS")) {
        image.save(QStringLiteral("%1/gallery_%2.png")
                       .arg(qEnvironmentVariable("LOCALLAB_TEST_SNAPSHOTS"), QFileInfo(path).baseName()));
    }
}

void TestSceneGallery::cleanupTestCase() {
    window_.reset();
}

int main(int argc, char* argv[]) {
    QSurfaceFormat::setDefaultFormat(locallab::VtkView::defaultFormat());
    QApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication application(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("LocalLabTests");
    QCoreApplication::setApplicationName("test_scene_gallery");
    TestSceneGallery test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_scene_gallery.moc"
