#include "scene/scene_controller.hpp"

#include "explorers/data_explorer.hpp"
#include "explorers/explorer.hpp"
#include "locallab/widgets/iteration_timeline.hpp"
#include "locallab/widgets/parameter_panel.hpp"
#include "locallab/widgets/vtk_view.hpp"
#include "scene/animation_writer.hpp"
#include "scene/quiet_watcher.hpp"

#include <QBuffer>
#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QSaveFile>
#include <QTabWidget>
#include <QTimer>
#include <algorithm>
#include <cmath>
#include <future>
#include <memory>
#include <optional>

namespace locallab {

namespace {

// Long enough for an explorer that lets a slider rest before its exact job (120 ms) to have started it.
constexpr int quietMilliseconds = 400;
constexpr int longestWaitMilliseconds = 120000;
// How often the scene's parameters are put back over ones an explorer chose itself from new data.
constexpr int settleRounds = 3;

std::vector<IterationTimeline*> timelinesOf(const Explorer& explorer) {
    const QWidget* central = explorer.centralWidget();
    if (!central) {
        return {};
    }
    const QList<IterationTimeline*> found = central->findChildren<IterationTimeline*>();
    return {found.begin(), found.end()};
}

std::vector<QTabWidget*> tabWidgetsOf(const Explorer& explorer) {
    const QWidget* central = explorer.centralWidget();
    if (!central) {
        return {};
    }
    const QList<QTabWidget*> found = central->findChildren<QTabWidget*>();
    return {found.begin(), found.end()};
}

QString relativeIfInside(const QString& file, const QString& folder) {
    if (file.isEmpty() || folder.isEmpty()) {
        return file;
    }
    const QString relative = QDir(folder).relativeFilePath(QFileInfo(file).absoluteFilePath());
    return relative.startsWith(QStringLiteral("..")) ? QFileInfo(file).absoluteFilePath() : relative;
}

QString describeExplorers(const std::vector<Explorer*>& explorers) {
    QStringList titles;
    for (const Explorer* explorer : explorers) {
        titles << QStringLiteral("\"%1\"").arg(explorer->title());
    }
    return titles.join(QStringLiteral(", "));
}

// The scene names parameters its explorer may no longer have (an older file) or values out of range;
// both are said plainly rather than silently clamped away.
QString checkParameters(const ParameterPanel& panel, const ParameterValues& values, const QString& where) {
    for (const auto& [name, value] : values.all()) {
        const ParameterDescription* description = findParameter(panel.descriptions(), name);
        if (!description) {
            return QObject::tr("%1 has no parameter \"%2\".").arg(where, QString::fromStdString(name));
        }
        ParameterValue typed = value;
        if (description->type == ParameterType::Real && std::holds_alternative<long long>(value)) {
            typed = static_cast<double>(std::get<long long>(value));
        }
        if (description->type == ParameterType::Choice) {
            continue; // column choices depend on the data, which may not have arrived yet
        }
        if (const auto message = validateParameter(*description, typed)) {
            return QObject::tr("%1: %2").arg(where, QString::fromStdString(*message));
        }
    }
    return {};
}

QSize scaledSize(const QSize& size, double scale) {
    return {static_cast<int>(std::lround(size.width() * scale)),
            static_cast<int>(std::lround(size.height() * scale))};
}

std::vector<VtkView*> visibleViewsOf(const QWidget& central) {
    std::vector<VtkView*> views;
    for (VtkView* view : central.findChildren<VtkView*>()) {
        if (view->isVisibleTo(&central) && !view->size().isEmpty()) {
            views.push_back(view);
        }
    }
    if (auto* self = qobject_cast<VtkView*>(const_cast<QWidget*>(&central)); self && views.empty()) {
        views.push_back(self);
    }
    return views;
}

// Resizes the window around `central` until `central` has the logical size asked for; the docks and
// the status bar keep theirs.
void layOutAt(QWidget& central, const QSize& logicalSize) {
    QWidget* window = central.window();
    for (int attempt = 0; attempt < 3 && central.size() != logicalSize; ++attempt) {
        window->resize(window->size() + (logicalSize - central.size()));
        QCoreApplication::processEvents();
    }
}

QByteArray pngBytes(const QImage& image) {
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return png;
}

// A window nobody sees is laid out at the figure's size (in logical pixels) before it is drawn.
void layOutForFigure(QWidget& central, const SceneExportSettings& settings) {
    if (settings.width > 0 && central.window()->testAttribute(Qt::WA_DontShowOnScreen)) {
        layOutAt(central, QSize(static_cast<int>(std::lround(settings.width / settings.scale)),
                                static_cast<int>(std::lround(settings.height / settings.scale))));
    }
}

// The one plot a figure shows, at the size and pixel scale the settings give it.
struct PlotFrame {
    VtkView* view = nullptr;
    QSize size;
    double pixelScale = 1.0;
};

// nullopt when the explorer shows several views (or none) and the figure is its whole layout.
std::optional<PlotFrame> singlePlotFrame(const Explorer& explorer, const std::vector<VtkView*>& views,
                                         const SceneExportSettings& settings, bool frameData) {
    if (views.size() != 1 || views.front() != explorer.view()) {
        return std::nullopt;
    }
    VtkView* view = views.front();
    const double pixelScale = view->devicePixelRatioF() * settings.scale;
    const QSize size =
        settings.width > 0 ? QSize(settings.width, settings.height) : scaledSize(view->size(), pixelScale);
    if (frameData) {
        view->resetCamera();
    }
    return PlotFrame{view, size, pixelScale};
}

QImage renderWholeExplorer(QWidget& central, const std::vector<VtkView*>& views,
                           const SceneExportSettings& settings, bool frameData) {
    const double pixelScale = central.devicePixelRatioF() * settings.scale;
    QImage image(scaledSize(central.size(), pixelScale), QImage::Format_ARGB32_Premultiplied);
    image.fill(settings.transparentBackground ? QColor(Qt::transparent) : central.palette().window().color());
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    painter.scale(pixelScale, pixelScale);
    // Labels, formulas and controls are drawn by Qt through the scaled painter, so their text stays sharp.
    central.render(&painter, QPoint(), QRegion(),
                   settings.transparentBackground ? QWidget::DrawChildren
                                                  : QWidget::DrawChildren | QWidget::DrawWindowBackground);
    painter.resetTransform();
    for (VtkView* view : views) {
        if (frameData) {
            view->resetCamera();
        }
        const QImage frame = view->renderImage(scaledSize(view->size(), pixelScale), pixelScale,
                                               settings.transparentBackground);
        const QPoint topLeft = view == &central ? QPoint() : view->mapTo(&central, QPoint(0, 0));
        painter.drawImage(QPointF(topLeft.x() * pixelScale, topLeft.y() * pixelScale), frame);
    }
    painter.end();
    return image;
}

// Scales the picture to fit the size asked for, keeping its proportions, on a plain background.
QImage fitInto(const QImage& picture, const QSize& size, const QColor& background) {
    QImage result(size, QImage::Format_ARGB32_Premultiplied);
    result.fill(background);
    const QImage scaled = picture.scaled(size, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    QPainter painter(&result);
    painter.drawImage(QPoint((size.width() - scaled.width()) / 2, (size.height() - scaled.height()) / 2),
                      scaled);
    painter.end();
    return result;
}

// Whether the panel shows the scene's values; reals are compared to the precision the number boxes keep.
bool panelHolds(const ParameterPanel& panel, const ParameterValues& wanted) {
    const ParameterValues shown = panel.values();
    for (const auto& [name, value] : wanted.all()) {
        if (!shown.contains(name)) {
            continue;
        }
        const ParameterValue& current = shown.all().at(name);
        const bool numeric =
            !std::holds_alternative<bool>(value) && !std::holds_alternative<std::string>(value);
        if (numeric && !std::holds_alternative<bool>(current) &&
            !std::holds_alternative<std::string>(current)) {
            const double a = shown.real(name);
            const double b = wanted.real(name);
            if (std::abs(a - b) > 1e-3 * std::max(std::abs(a), std::abs(b)) + 1e-12) {
                return false;
            }
        } else if (current != value) {
            return false;
        }
    }
    return true;
}

} // namespace

SceneController::SceneController(DataExplorer* dataExplorer, std::vector<Explorer*> explorers,
                                 WindowAccess window, QObject* parent)
    : QObject(parent), dataExplorer_(dataExplorer), explorers_(std::move(explorers)),
      window_(std::move(window)) {}

Scene SceneController::capture(const QString& sceneFolder) const {
    Scene scene;
    scene.data.parameters = dataExplorer_->panel()->values();
    const QString file = dataExplorer_->shownFile();
    if (!file.isEmpty()) {
        scene.data.file = relativeIfInside(file, sceneFolder);
        scene.data.sha256 = fileSha256(file);
    }
    const Explorer* explorer = window_.currentExplorer();
    if (!explorer) {
        return scene;
    }
    scene.explorer = explorer->title();
    scene.parameters = explorer->panel()->values();
    if (explorer->view()) {
        scene.camera = explorer->view()->cameraState();
    }
    for (const IterationTimeline* timeline : timelinesOf(*explorer)) {
        scene.timelinePositions.push_back(timeline->position());
    }
    for (const QTabWidget* tabs : tabWidgetsOf(*explorer)) {
        scene.pages.push_back(tabs->currentIndex());
    }
    return scene;
}

Explorer* SceneController::explorerTitled(const QString& title) const {
    for (Explorer* explorer : explorers_) {
        if (explorer->title() == title) {
            return explorer;
        }
    }
    return nullptr;
}

bool SceneController::apply(const Scene& scene, const QString& sceneFolder, DataFileCheck check) {
    problem_.clear();
    Explorer* explorer = explorerTitled(scene.explorer);
    if (!explorer) {
        problem_ =
            tr("The scene shows the explorer \"%1\", which LocalLab does not have. The explorers are %2.")
                .arg(scene.explorer, describeExplorers(explorers_));
        return false;
    }
    for (const QString& message :
         {checkParameters(*dataExplorer_->panel(), scene.data.parameters, tr("The Data explorer")),
          checkParameters(*explorer->panel(), scene.parameters,
                          tr("The explorer \"%1\"").arg(scene.explorer))}) {
        if (!message.isEmpty()) {
            problem_ = message;
            return false;
        }
    }
    QString dataPath;
    if (!resolveDataFile(scene, sceneFolder, check, dataPath)) {
        return false;
    }

    // The explorer is chosen first, so that it computes (explorers that are hidden do not), and its
    // parameters are set before the data arrive, so that the new data are drawn with them.
    window_.selectExplorer(scene.explorer);
    const std::vector<QTabWidget*> tabs = tabWidgetsOf(*explorer);
    for (std::size_t i = 0; i < tabs.size() && i < scene.pages.size(); ++i) {
        tabs[i]->setCurrentIndex(scene.pages[i]);
    }
    // Defaults first, each edit announced, so that what the scene leaves out is as a new window has it
    // and an explorer that reacts to one parameter (a lesson sets several) does so before the rest.
    explorer->panel()->applyValues(ParameterValues(explorer->panel()->descriptions()));
    explorer->panel()->applyValues(scene.parameters);
    // Choices that depend on the data (the columns shown) can only be set once the data are there.
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(dataExplorer_, &Explorer::dataShown, this, [this, scene, explorer, connection] {
        disconnect(*connection);
        dataExplorer_->panel()->applyValues(scene.data.parameters);
        explorer->panel()->applyValues(scene.parameters);
    });
    applyDataSource(scene, dataPath);

    pending_ = true;
    settleWhenQuiet(scene, explorer, settleRounds);
    emit sceneApplied(scene);
    return true;
}

bool SceneController::resolveDataFile(const Scene& scene, const QString& sceneFolder, DataFileCheck check,
                                      QString& path) {
    if (scene.data.file.isEmpty()) {
        return true;
    }
    path = QDir(sceneFolder).absoluteFilePath(scene.data.file);
    const bool exists = QFileInfo::exists(path);
    const bool changed = exists && !scene.data.sha256.isEmpty() && fileSha256(path) != scene.data.sha256;
    if (exists && !changed) {
        return true;
    }
    const QString what = exists ? tr("The scene's data file %1 has changed since the scene was saved (its "
                                     "SHA-256 differs), so the picture may not be the same.")
                                      .arg(path)
                                : tr("The scene's data file %1 is missing.").arg(path);
    if (check == DataFileCheck::Refuse) {
        problem_ = what;
        return false;
    }
    QMessageBox box(QMessageBox::Warning, tr("Open scene"), what, QMessageBox::Cancel);
    box.setObjectName(QStringLiteral("sceneDataMessage"));
    QPushButton* locate = box.addButton(tr("Locate…"), QMessageBox::AcceptRole);
    QPushButton* useAnyway =
        exists ? box.addButton(tr("Use it anyway"), QMessageBox::DestructiveRole) : nullptr;
    box.exec();
    if (box.clickedButton() == useAnyway && useAnyway) {
        return true;
    }
    if (box.clickedButton() == locate) {
        const QString located = QFileDialog::getOpenFileName(
            nullptr, tr("Locate %1").arg(QFileInfo(scene.data.file).fileName()), QFileInfo(path).path(),
            tr("Data files (*.csv *.tsv *.txt *.npy);;All files (*)"));
        if (!located.isEmpty()) {
            path = located;
            return true;
        }
    }
    problem_ = what;
    return false;
}

void SceneController::applyDataSource(const Scene& scene, const QString& dataPath) {
    ParameterPanel* panel = dataExplorer_->panel();
    panel->setValues(ParameterValues(panel->descriptions()));
    panel->setValues(scene.data.parameters);
    if (dataPath.isEmpty()) {
        dataExplorer_->generate();
    } else {
        dataExplorer_->openFile(dataPath);
    }
}

void SceneController::settleWhenQuiet(const Scene& scene, Explorer* explorer, int roundsLeft) {
    auto* watcher = new QuietWatcher(explorers_, quietMilliseconds, this);
    connect(watcher, &QuietWatcher::becameQuiet, this, [this, scene, explorer, roundsLeft, watcher] {
        watcher->deleteLater();
        // An explorer may choose a parameter from new data (a bandwidth rule for the new points); the
        // scene's value wins, and the explorer computes once more.
        if (roundsLeft > 0 && !panelHolds(*explorer->panel(), scene.parameters)) {
            explorer->panel()->applyValues(scene.parameters);
            settleWhenQuiet(scene, explorer, roundsLeft - 1);
            return;
        }
        restoreViewState(scene);
        pending_ = false;
        emit sceneCompleted();
    });
}

void SceneController::restoreViewState(const Scene& scene) {
    Explorer* explorer = explorerTitled(scene.explorer);
    if (!explorer) {
        return;
    }
    if (scene.camera && explorer->view()) {
        explorer->view()->setCameraState(*scene.camera);
    }
    const std::vector<IterationTimeline*> timelines = timelinesOf(*explorer);
    for (std::size_t i = 0; i < timelines.size() && i < scene.timelinePositions.size(); ++i) {
        timelines[i]->pause();
        timelines[i]->setPosition(scene.timelinePositions[i]);
    }
}

bool SceneController::waitForPicture(int timeoutMilliseconds) {
    if (!pending_) {
        return true;
    }
    QEventLoop loop;
    QTimer deadline;
    deadline.setSingleShot(true);
    connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    connect(this, &SceneController::sceneCompleted, &loop, &QEventLoop::quit);
    deadline.start(std::min(timeoutMilliseconds, longestWaitMilliseconds));
    loop.exec();
    return !pending_;
}

QImage SceneController::renderFigure(const Scene& scene, bool frameData) const {
    const Explorer* explorer = window_.currentExplorer();
    if (!explorer) {
        return {};
    }
    const SceneExportSettings& settings = scene.exportSettings;
    QWidget* central = explorer->centralWidget();
    const std::vector<VtkView*> views = visibleViewsOf(*central);
    QImage image;
    if (const std::optional<PlotFrame> plot = singlePlotFrame(*explorer, views, settings, frameData)) {
        // One plot: rendered by VTK at exactly the size asked for, framed in its proportions.
        image = plot->view->renderImage(plot->size, plot->pixelScale, settings.transparentBackground);
    } else {
        // Several views side by side (or none): the explorer as laid out on screen, every view re-rendered
        // at the scale.
        layOutForFigure(*central, settings);
        image = renderWholeExplorer(*central, views, settings, frameData);
        if (settings.width > 0 && image.size() != QSize(settings.width, settings.height)) {
            image = fitInto(image, QSize(settings.width, settings.height),
                            settings.transparentBackground ? QColor(Qt::transparent)
                                                           : central->palette().window().color());
        }
    }
    if (image.isNull()) {
        return image;
    }
    // 72 dpi × the scale: a figure exported at scale 2 prints at the screen's size, twice as sharp.
    const int dotsPerMeter = static_cast<int>(std::lround(72.0 * settings.scale / 0.0254));
    image.setDotsPerMeterX(dotsPerMeter);
    image.setDotsPerMeterY(dotsPerMeter);
    image.setText(sceneImageTextKey, QString::fromStdString(sceneToJson(scene)));
    return image;
}

SceneController::FigureFile SceneController::renderFigureFile(const Scene& scene, FigureFormat format,
                                                              bool frameData) const {
    if (format == FigureFormat::Png) {
        const QImage image = renderFigure(scene, frameData);
        if (image.isNull()) {
            return {{}, tr("There is no picture to write yet.")};
        }
        return {pngBytes(image), {}};
    }
    const Explorer* explorer = window_.currentExplorer();
    if (!explorer) {
        return {{}, tr("There is no picture to write yet.")};
    }
    const SceneExportSettings& settings = scene.exportSettings;
    QWidget* central = explorer->centralWidget();
    const std::vector<VtkView*> views = visibleViewsOf(*central);
    VectorFigure figure;
    if (const std::optional<PlotFrame> plot = singlePlotFrame(*explorer, views, settings, frameData)) {
        figure = renderSingleViewVector(*plot->view, format, plot->size, plot->pixelScale,
                                        settings.transparentBackground);
    } else if (!views.empty()) {
        layOutForFigure(*central, settings);
        const QImage underlay = renderWholeExplorer(*central, views, settings, frameData);
        figure = renderLayoutVector(*central, views, underlay, format,
                                    central->devicePixelRatioF() * settings.scale);
    } else {
        return {
            {},
            tr("The %1 explorer has no plot to write as vectors; export it as PNG.").arg(explorer->title())};
    }
    if (!figure.problem.isEmpty()) {
        return {{}, figure.problem};
    }
    if (format == FigureFormat::Svg) {
        figure.bytes = withSceneMetadata(figure.bytes, sceneToJson(scene));
    }
    return {figure.bytes, {}};
}

IterationTimeline* SceneController::animatedTimeline() const {
    const Explorer* explorer = window_.currentExplorer();
    if (!explorer || !explorer->centralWidget()) {
        return nullptr;
    }
    for (IterationTimeline* timeline : timelinesOf(*explorer)) {
        if (timeline->isVisibleTo(explorer->centralWidget()) && timeline->lastIteration() > 0) {
            return timeline;
        }
    }
    return nullptr;
}

QString SceneController::existingAnimationFile(const AnimationRequest& request) const {
    const IterationTimeline* timeline = animatedTimeline();
    if (!timeline) {
        return {};
    }
    const int frameCount = timeline->lastIteration() * std::max(1, request.framesPerIteration) + 1;
    for (const QString& target :
         makeAnimationWriter(animationFormatOf(request.path))->targets(request.path, frameCount)) {
        if (QFileInfo::exists(target)) {
            return target;
        }
    }
    return {};
}

QString SceneController::exportAnimation(const Scene& scene, const AnimationRequest& request,
                                         const std::function<bool(double)>& continueAfter) const {
    IterationTimeline* timeline = animatedTimeline();
    if (!timeline) {
        return tr("This picture has no timeline to play: animations follow MeanShift iterations, attention "
                  "layers, Hopfield updates or clustering training.");
    }
    const int framesPerIteration = std::max(1, request.framesPerIteration);
    const int frameCount = timeline->lastIteration() * framesPerIteration + 1;
    const AnimationFormat format = animationFormatOf(request.path);
    const std::unique_ptr<AnimationWriter> writer = makeAnimationWriter(format);
    if (const QString existing = existingAnimationFile(request); !request.replace && !existing.isEmpty()) {
        return tr("%1 exists already; it was left as it is.").arg(existing);
    }
    if (const QString problem = writer->begin(request.path, request.framesPerSecond); !problem.isEmpty()) {
        return problem;
    }
    Scene frameScene = scene;
    // Only PNG keeps an alpha channel; the movie formats would show the transparent pixels as black.
    frameScene.exportSettings.transparentBackground =
        format == AnimationFormat::PngSequence && scene.exportSettings.transparentBackground;

    const double startPosition = timeline->position();
    timeline->pause();
    QString problem;
    std::future<QString> encoding;
    for (int frame = 0; frame < frameCount && problem.isEmpty(); ++frame) {
        timeline->setPosition(static_cast<double>(frame) / framesPerIteration);
        const QImage image = renderFigure(frameScene, false);
        if (image.isNull()) {
            problem = tr("Frame %1 could not be rendered.").arg(frame + 1);
            break;
        }
        if (encoding.valid()) {
            problem = encoding.get();
        }
        AnimationWriter* target = writer.get();
        encoding = std::async(std::launch::async, [target, image] { return target->addFrame(image); });
        if (continueAfter && !continueAfter(static_cast<double>(frame + 1) / frameCount)) {
            problem = tr("The animation was cancelled; no file was written.");
        }
    }
    if (encoding.valid()) {
        const QString encodingProblem = encoding.get();
        if (problem.isEmpty()) {
            problem = encodingProblem;
        }
    }
    timeline->setPosition(startPosition);
    if (!problem.isEmpty()) {
        writer->abandon();
        return problem;
    }
    return writer->finish();
}

QString SceneController::writeBytes(const QByteArray& bytes, const QString& path, bool replace) {
    if (bytes.isEmpty()) {
        return tr("There is no picture to write yet.");
    }
    if (!replace && QFileInfo::exists(path)) {
        return tr("%1 exists already; it was left as it is.").arg(path);
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return tr("%1 cannot be written: %2.").arg(path, file.errorString());
    }
    if (file.write(bytes) != bytes.size() || !file.commit()) {
        return tr("%1 could not be written completely: %2.").arg(path, file.errorString());
    }
    return {};
}

QString SceneController::writeImage(const QImage& image, const QString& path, bool replace) {
    if (image.isNull()) {
        return tr("There is no picture to write yet.");
    }
    return writeBytes(pngBytes(image), path, replace);
}

QString SceneController::writeScene(const Scene& scene, const QString& path, bool replace) {
    if (!replace && QFileInfo::exists(path)) {
        return tr("%1 exists already; it was left as it is.").arg(path);
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        return tr("%1 cannot be written: %2.").arg(path, file.errorString());
    }
    const std::string text = sceneToJson(scene) + "\n";
    if (file.write(text.data(), static_cast<qint64>(text.size())) != static_cast<qint64>(text.size()) ||
        !file.commit()) {
        return tr("%1 could not be written completely: %2.").arg(path, file.errorString());
    }
    return {};
}

} // namespace locallab
