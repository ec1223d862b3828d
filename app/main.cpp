// locallab: the desktop application. Opens on generated data, so it works with no file at all.

#include "explorers/explorer.hpp"
#include "locallab/widgets/vtk_view.hpp"
#include "main_window.hpp"
#include "scene/scene.hpp"
#include "scene/scene_controller.hpp"

#include <QApplication>
#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSurfaceFormat>
#include <cstdio>
#include <optional>

namespace {

void describeApplication() {
    QCoreApplication::setOrganizationName(QStringLiteral("LocalLab"));
    QCoreApplication::setApplicationName(QStringLiteral("LocalLab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LOCALLAB_VERSION));
}

// Exit codes of a headless export, as locallab-cli uses them: 2 for a usage error, 3 for a scene that
// cannot be read or shown, 4 for a picture that could not be made or written.
constexpr int exitUsage = 2;
constexpr int exitBadScene = 3;
constexpr int exitNoPicture = 4;
constexpr int exportTimeoutMilliseconds = 120000;

struct CommandLine {
    QString dataFile;
    QString explorerTitle;
    QString sceneFile;
    QString exportFile;
    std::optional<QSize> size;
    std::optional<double> scale;
    bool overwrite = false;
};

[[noreturn]] void failUsage(const QString& message) {
    std::fprintf(stderr, "locallab: %s\n", qPrintable(message));
    std::exit(exitUsage);
}

QSize parseSize(const QString& text) {
    static const QRegularExpression pattern(QStringLiteral("^(\\d{1,5})[xX](\\d{1,5})$"));
    const QRegularExpressionMatch match = pattern.match(text);
    const int width = match.hasMatch() ? match.captured(1).toInt() : 0;
    const int height = match.hasMatch() ? match.captured(2).toInt() : 0;
    if (width < 16 || height < 16 || width > 16384 || height > 16384) {
        failUsage(QStringLiteral("--size expects WIDTHxHEIGHT in pixels, each from 16 to 16384, such as "
                                 "1920x1080; \"%1\" is not that.")
                      .arg(text));
    }
    return {width, height};
}

double parseScale(const QString& text) {
    bool isNumber = false;
    const double scale = text.toDouble(&isNumber);
    if (!isNumber || scale < 0.25 || scale > 8.0) {
        failUsage(QStringLiteral("--scale expects a number from 0.25 to 8; \"%1\" is not that.").arg(text));
    }
    return scale;
}

// Parsed before the GUI exists, so that --help and --version work without a display.
CommandLine parseCommandLine(int argc, char* argv[]) {
    const QCoreApplication parsing(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("LocalLab shows localization methods at work: kernel density, MeanShift, local "
                       "regression, LLE and attention, updated live as you change a kernel or a bandwidth."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption data(
        QStringList{QStringLiteral("d"), QStringLiteral("data")},
        QStringLiteral("Open FILE (.csv, .tsv, .txt or .npy) instead of generated data."),
        QStringLiteral("FILE"));
    parser.addOption(data);
    const QCommandLineOption explorer(
        QStringList{QStringLiteral("e"), QStringLiteral("explorer")},
        QStringLiteral("Open on the explorer with this TITLE, as the list of explorers shows it."),
        QStringLiteral("TITLE"));
    parser.addOption(explorer);
    const QCommandLineOption scene(QStringList{QStringLiteral("s"), QStringLiteral("scene")},
                                   QStringLiteral("Open the scene in FILE: a scene file (.json) or a PNG "
                                                  "image exported by LocalLab."),
                                   QStringLiteral("FILE"));
    parser.addOption(scene);
    const QCommandLineOption exportImage(
        QStringLiteral("export"),
        QStringLiteral("With --scene: render the scene to OUT (.png) without showing a window, then exit."),
        QStringLiteral("OUT"));
    parser.addOption(exportImage);
    const QCommandLineOption size(QStringLiteral("size"),
                                  QStringLiteral("With --export: the image's exact size, such as 1920x1080."),
                                  QStringLiteral("WxH"));
    parser.addOption(size);
    const QCommandLineOption scale(
        QStringLiteral("scale"),
        QStringLiteral("With --export: text, markers and lines N times their size on screen (default 1, or "
                       "the scene's)."),
        QStringLiteral("N"));
    parser.addOption(scale);
    const QCommandLineOption overwrite(QStringLiteral("overwrite"),
                                       QStringLiteral("With --export: replace OUT if it exists."));
    parser.addOption(overwrite);
    parser.process(parsing); // prints and exits for --help, --version and unknown options

    CommandLine commandLine{parser.value(data), parser.value(explorer), parser.value(scene),
                            parser.value(exportImage)};
    if (parser.isSet(size)) {
        commandLine.size = parseSize(parser.value(size));
    }
    if (parser.isSet(scale)) {
        commandLine.scale = parseScale(parser.value(scale));
    }
    commandLine.overwrite = parser.isSet(overwrite);
    if (!commandLine.exportFile.isEmpty()) {
        if (commandLine.sceneFile.isEmpty()) {
            failUsage(QStringLiteral("--export needs --scene FILE: the scene to render."));
        }
        if (QFileInfo(commandLine.exportFile).suffix().compare(QStringLiteral("png"), Qt::CaseInsensitive) !=
            0) {
            failUsage(QStringLiteral("--export writes PNG images; give OUT a .png name."));
        }
    } else if (commandLine.size || commandLine.scale || commandLine.overwrite) {
        failUsage(QStringLiteral("--size, --scale and --overwrite go with --export."));
    }
    return commandLine;
}

// Opens the scene in a window that is never put on screen, waits for its pictures and writes the figure.
int exportScene(const CommandLine& commandLine) {
    if (!commandLine.overwrite && QFileInfo::exists(commandLine.exportFile)) {
        std::fprintf(stderr, "locallab: %s exists already; give --overwrite to replace it.\n",
                     qPrintable(commandLine.exportFile));
        return exitUsage;
    }
    locallab::MainWindow window;
    window.setHeadless(true);
    window.setAttribute(Qt::WA_DontShowOnScreen);
    window.show();
    if (!window.openScene(commandLine.sceneFile)) {
        return exitBadScene;
    }
    locallab::SceneController& scenes = *window.sceneController();
    if (!scenes.waitForPicture(exportTimeoutMilliseconds)) {
        std::fprintf(stderr, "locallab: the scene's picture was not complete after %d s.\n",
                     exportTimeoutMilliseconds / 1000);
        return exitNoPicture;
    }
    locallab::Scene scene = scenes.capture(QFileInfo(commandLine.exportFile).absolutePath());
    const locallab::Scene opened = locallab::readSceneOrImage(commandLine.sceneFile);
    scene.title = opened.title;
    scene.explanation = opened.explanation;
    scene.exportSettings = opened.exportSettings;
    if (commandLine.size) {
        scene.exportSettings.width = commandLine.size->width();
        scene.exportSettings.height = commandLine.size->height();
    }
    if (commandLine.scale) {
        scene.exportSettings.scale = *commandLine.scale;
    }
    const QImage image = scenes.renderFigure(scene, !opened.camera.has_value());
    const QString problem = locallab::SceneController::writeImage(image, commandLine.exportFile, true);
    if (!problem.isEmpty()) {
        std::fprintf(stderr, "locallab: %s\n", qPrintable(problem));
        return exitNoPicture;
    }
    return 0;
}

} // namespace

int main(int argc, char* argv[]) {
    describeApplication();
    const CommandLine commandLine = parseCommandLine(argc, argv);

    QSurfaceFormat::setDefaultFormat(locallab::VtkView::defaultFormat());
    QApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication application(argc, argv);

    if (!commandLine.exportFile.isEmpty()) {
        return exportScene(commandLine);
    }

    locallab::MainWindow window;
    window.show();
    if (!commandLine.explorerTitle.isEmpty() && !window.selectExplorer(commandLine.explorerTitle)) {
        qWarning("There is no explorer titled \"%s\"; showing the first one.",
                 qPrintable(commandLine.explorerTitle));
    }
    if (!commandLine.dataFile.isEmpty()) {
        window.openFile(commandLine.dataFile);
    }
    if (!commandLine.sceneFile.isEmpty()) {
        window.openScene(commandLine.sceneFile);
    }
    return QApplication::exec();
}
