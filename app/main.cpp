// locallab: the desktop application. Opens on generated data, so it works with no file at all.

#include "locallab/widgets/vtk_view.hpp"
#include "main_window.hpp"

#include <QApplication>
#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSurfaceFormat>

namespace {

void describeApplication() {
    QCoreApplication::setOrganizationName(QStringLiteral("LocalLab"));
    QCoreApplication::setApplicationName(QStringLiteral("LocalLab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LOCALLAB_VERSION));
}

struct CommandLine {
    QString dataFile;
    QString explorerTitle;
};

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
    parser.process(parsing); // prints and exits for --help, --version and unknown options
    return CommandLine{parser.value(data), parser.value(explorer)};
}

} // namespace

int main(int argc, char* argv[]) {
    describeApplication();
    const CommandLine commandLine = parseCommandLine(argc, argv);

    QSurfaceFormat::setDefaultFormat(locallab::VtkView::defaultFormat());
    QApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication application(argc, argv);

    locallab::MainWindow window;
    window.show();
    if (!commandLine.explorerTitle.isEmpty() && !window.selectExplorer(commandLine.explorerTitle)) {
        qWarning("There is no explorer titled \"%s\"; showing the first one.",
                 qPrintable(commandLine.explorerTitle));
    }
    if (!commandLine.dataFile.isEmpty()) {
        window.openFile(commandLine.dataFile);
    }
    return QApplication::exec();
}
