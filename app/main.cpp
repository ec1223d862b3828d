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
    QString exportDataFile;
    std::optional<QSize> size;
    std::optional<double> scale;
    bool overwrite = false;
    bool animate = false; // OUT is a movie (.gif, .ogv) or, with --frames, a numbered PNG sequence
    double framesPerSecond = 10.0;
    int framesPerIteration = 1;
};

bool isMovieName(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == QLatin1String("gif") || suffix == QLatin1String("ogv") || suffix == QLatin1String("ogg");
}

bool isFigureName(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == QLatin1String("png") || suffix == QLatin1String("svg") || suffix == QLatin1String("pdf");
}

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

double parseNumberIn(const QString& text, const QString& option, double lowest, double highest) {
    bool isNumber = false;
    const double value = text.toDouble(&isNumber);
    if (!isNumber || value < lowest || value > highest) {
        failUsage(QStringLiteral("%1 expects a number from %2 to %3; \"%4\" is not that.")
                      .arg(option)
                      .arg(lowest)
                      .arg(highest)
                      .arg(text));
    }
    return value;
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
        QStringLiteral("With --scene: render the scene to OUT without showing a window, then exit. OUT is a "
                       "figure (.png, .svg, .pdf) or the timeline played as a movie (.gif, .ogv)."),
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
    const QCommandLineOption frames(
        QStringLiteral("frames"),
        QStringLiteral("With --export OUT.png: play the timeline into OUT_0001.png, OUT_0002.png, ..."));
    parser.addOption(frames);
    const QCommandLineOption framesPerSecond(
        QStringLiteral("fps"), QStringLiteral("With an animation: frames per second, 1 to 60 (default 10)."),
        QStringLiteral("N"));
    parser.addOption(framesPerSecond);
    const QCommandLineOption framesPerIteration(
        QStringLiteral("frames-per-iteration"),
        QStringLiteral("With an animation: frames drawn per iteration of the timeline, 1 to 30 (default 1)."),
        QStringLiteral("N"));
    parser.addOption(framesPerIteration);
    const QCommandLineOption exportData(
        QStringLiteral("export-data"),
        QStringLiteral("With --scene: write the explorer's results (clusters and modes, fitted curves, an "
                       "embedding, predicted classes) to OUT.csv without showing a window, then exit."),
        QStringLiteral("OUT"));
    parser.addOption(exportData);
    parser.process(parsing); // prints and exits for --help, --version and unknown options

    CommandLine commandLine;
    commandLine.dataFile = parser.value(data);
    commandLine.explorerTitle = parser.value(explorer);
    commandLine.sceneFile = parser.value(scene);
    commandLine.exportFile = parser.value(exportImage);
    commandLine.exportDataFile = parser.value(exportData);
    if (!commandLine.exportDataFile.isEmpty() && commandLine.sceneFile.isEmpty()) {
        failUsage(QStringLiteral("--export-data needs --scene FILE: the scene whose results to write."));
    }
    if (parser.isSet(size)) {
        commandLine.size = parseSize(parser.value(size));
    }
    if (parser.isSet(scale)) {
        commandLine.scale = parseNumberIn(parser.value(scale), QStringLiteral("--scale"), 0.25, 8.0);
    }
    commandLine.overwrite = parser.isSet(overwrite);
    commandLine.animate = parser.isSet(frames) || isMovieName(commandLine.exportFile);
    if (parser.isSet(framesPerSecond)) {
        commandLine.framesPerSecond =
            parseNumberIn(parser.value(framesPerSecond), QStringLiteral("--fps"), 1, 60);
    }
    if (parser.isSet(framesPerIteration)) {
        commandLine.framesPerIteration = static_cast<int>(
            parseNumberIn(parser.value(framesPerIteration), QStringLiteral("--frames-per-iteration"), 1, 30));
    }
    if (!commandLine.exportFile.isEmpty()) {
        if (commandLine.sceneFile.isEmpty()) {
            failUsage(QStringLiteral("--export needs --scene FILE: the scene to render."));
        }
        if (!isFigureName(commandLine.exportFile) && !isMovieName(commandLine.exportFile)) {
            failUsage(
                QStringLiteral("--export writes .png, .svg, .pdf, .gif or .ogv; \"%1\" is none of them.")
                    .arg(commandLine.exportFile));
        }
        if (parser.isSet(frames) &&
            QFileInfo(commandLine.exportFile).suffix().toLower() != QLatin1String("png")) {
            failUsage(QStringLiteral("--frames writes a PNG sequence; give OUT a .png name."));
        }
    } else if (commandLine.size || commandLine.scale ||
               (commandLine.overwrite && commandLine.exportDataFile.isEmpty()) || parser.isSet(frames)) {
        failUsage(QStringLiteral("--size, --scale, --frames and --overwrite go with --export."));
    }
    if (!commandLine.animate && (parser.isSet(framesPerSecond) || parser.isSet(framesPerIteration))) {
        failUsage(QStringLiteral("--fps and --frames-per-iteration go with an animation: --export OUT.gif, "
                                 "OUT.ogv, or OUT.png with --frames."));
    }
    return commandLine;
}

// Opens the scene in a window that is never put on screen, waits for its pictures and writes the figure.
int exportScene(const CommandLine& commandLine) {
    for (const QString& output :
         {commandLine.animate ? QString() : commandLine.exportFile, commandLine.exportDataFile}) {
        if (!commandLine.overwrite && !output.isEmpty() && QFileInfo::exists(output)) {
            std::fprintf(stderr, "locallab: %s exists already; give --overwrite to replace it.\n",
                         qPrintable(output));
            return exitUsage;
        }
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
    if (!commandLine.exportDataFile.isEmpty() && !window.exportData(commandLine.exportDataFile, true)) {
        return exitNoPicture;
    }
    if (commandLine.exportFile.isEmpty()) {
        return 0;
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
    QString problem;
    if (commandLine.animate) {
        locallab::SceneController::AnimationRequest request;
        request.path = commandLine.exportFile;
        request.framesPerSecond = commandLine.framesPerSecond;
        request.framesPerIteration = commandLine.framesPerIteration;
        request.replace = commandLine.overwrite;
        problem = scenes.exportAnimation(scene, request, {});
    } else {
        const auto figure = scenes.renderFigureFile(scene, locallab::figureFormatOf(commandLine.exportFile),
                                                    !opened.camera.has_value());
        problem = figure.problem.isEmpty()
                      ? locallab::SceneController::writeBytes(figure.bytes, commandLine.exportFile, true)
                      : figure.problem;
    }
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

    if (!commandLine.exportFile.isEmpty() || !commandLine.exportDataFile.isEmpty()) {
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
