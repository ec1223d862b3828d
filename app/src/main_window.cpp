#include "main_window.hpp"

#include "explorers/attention_explorer.hpp"
#include "explorers/classification_explorer.hpp"
#include "explorers/data_explorer.hpp"
#include "explorers/fuzzy_rules_explorer.hpp"
#include "explorers/image_segmentation_explorer.hpp"
#include "explorers/local_fits_explorer.hpp"
#include "explorers/manifold_explorer.hpp"
#include "explorers/mean_shift_explorer.hpp"
#include "explorers/surface_fit_explorer.hpp"
#include "export_dialog.hpp"
#include "locallab/widgets/iteration_timeline.hpp"
#include "locallab/widgets/parameter_panel.hpp"
#include "locallab/widgets/vtk_view.hpp"
#include "scene/animation_writer.hpp"
#include "scene/parameter_history.hpp"
#include "scene/scene_controller.hpp"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QDirIterator>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QImage>
#include <QKeySequence>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QProgressDialog>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QUndoGroup>
#include <QUndoStack>
#include <QVBoxLayout>
#include <algorithm>
#include <iostream>

// The resources (the gallery of lessons) are compiled into the static library locallab_app, whose
// initialiser the linker would drop unless something calls it. Q_INIT_RESOURCE must be called outside
// any namespace.
static void registerResources() {
    Q_INIT_RESOURCE(locallab);
}

namespace locallab {

namespace {

const QString recentFilesKey = QStringLiteral("recentFiles");

struct ExplorerEntry {
    QString title;
    QString description;
};

// The explorers still to come are listed so that a user sees the whole map of the method family;
// the description says what each will show.
std::vector<ExplorerEntry> plannedExplorers() {
    return {};
}

// Presenter mode's factor for text, markers and lines, on screen and in the panels.
constexpr double presenterMagnification = 1.6;

QStringList gallerySceneFiles() {
    QStringList files;
    QDirIterator iterator(QStringLiteral(":/locallab/scenes"), {QStringLiteral("*.json")}, QDir::Files);
    while (iterator.hasNext()) {
        files << iterator.next();
    }
    files.sort(); // the file names begin with their place in the sequence of lessons
    return files;
}

bool isPng(const QString& path) {
    return QFileInfo(path).suffix().compare(QStringLiteral("png"), Qt::CaseInsensitive) == 0;
}

bool isLocalFile(const QMimeData* mime) {
    return mime && mime->hasUrls() && !mime->urls().isEmpty() && mime->urls().constFirst().isLocalFile();
}

} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    registerResources();
    setWindowTitle(tr("LocalLab"));
    setAcceptDrops(true);
    resize(1400, 900);

    views_ = new QStackedWidget(this);
    views_->setObjectName(QStringLiteral("explorerViews"));
    setCentralWidget(views_);
    panels_ = new QStackedWidget(this);

    createMenus();
    createStatusBar();

    explorerList_ = new QListWidget;
    dataExplorer_ = new DataExplorer(this);
    connect(dataExplorer_, &DataExplorer::fileOpened, this, [this](const QString& path) {
        rememberRecentFile(path);
        setWindowTitle(tr("LocalLab — %1").arg(QFileInfo(path).fileName()));
    });
    addExplorer(dataExplorer_, tr("The data set itself: a scatter plot of two columns, coloured by label, "
                                  "target or latent coordinate. Open a file or generate data."));

    meanShiftExplorer_ = new MeanShiftExplorer(this);
    connect(dataExplorer_, &Explorer::dataShown, this,
            [this] { meanShiftExplorer_->setDataset(dataExplorer_->dataset()); });
    addExplorer(meanShiftExplorer_,
                tr("The kernel density of the data as a heatmap with contours, and the MeanShift path of "
                   "every seed climbing to its mode, with a timeline and the update rule's numbers."));

    imageSegmentationExplorer_ = new ImageSegmentationExplorer(this);
    addExplorer(imageSegmentationExplorer_,
                tr("MeanShift on an image: every pixel climbs the density of (position, colour), which "
                   "smooths within regions and keeps edges; regions that meet at a mode are segments."));

    localFitsExplorer_ = new LocalFitsExplorer(this);
    connect(dataExplorer_, &Explorer::dataShown, this,
            [this] { localFitsExplorer_->setDataset(dataExplorer_->dataset()); });
    addExplorer(localFitsExplorer_,
                tr("Nadaraya–Watson, local linear and polynomial and LOWESS fits of y against x, with the "
                   "kernel weights, the local model and the numbers at a query point you drag, and the "
                   "cross-validation error against the bandwidth."));

    classificationExplorer_ = new ClassificationExplorer(this);
    connect(dataExplorer_, &Explorer::dataShown, this,
            [this] { classificationExplorer_->setDataset(dataExplorer_->dataset()); });
    addExplorer(classificationExplorer_,
                tr("The kernel classifier on two labelled columns: the predicted class over the plane, the "
                   "decision boundaries, and the class probabilities at a point you click."));

    surfaceFitExplorer_ = new SurfaceFitExplorer(this);
    connect(dataExplorer_, &Explorer::dataShown, this,
            [this] { surfaceFitExplorer_->setDataset(dataExplorer_->dataset()); });
    addExplorer(surfaceFitExplorer_,
                tr("2-D regression: the surface that Nadaraya–Watson, local linear or local quadratic "
                   "regression fits over the (x1, x2) plane as a heatmap with contours under the data, and "
                   "the weights, the kernel's reach and the local coefficients at a point you click."));

    fuzzyRulesExplorer_ = new FuzzyRulesExplorer(this);
    connect(dataExplorer_, &Explorer::dataShown, this,
            [this] { fuzzyRulesExplorer_->setDataset(dataExplorer_->dataset()); });
    addExplorer(fuzzyRulesExplorer_,
                tr("Takagi–Sugeno fuzzy rules on y against x: rule centres you drag, each rule's local line "
                   "and membership, their blend, and the zero-order system seen as Nadaraya–Watson over "
                   "the centres."));

    manifoldExplorer_ = new ManifoldExplorer(this);
    connect(dataExplorer_, &Explorer::dataShown, this,
            [this] { manifoldExplorer_->setDataset(dataExplorer_->dataset()); });
    addExplorer(manifoldExplorer_,
                tr("Locally linear embedding: a 3-D cloud (Swiss roll, S-curve, helix, sphere without a cap "
                   "or your data) beside its 2-D embedding, linked point by point; a click shows how a "
                   "point's neighbours rebuild it, with their weights and the local error."));

    attentionExplorer_ = new AttentionExplorer(this);
    connect(dataExplorer_, &Explorer::dataShown, this,
            [this] { attentionExplorer_->setDataset(dataExplorer_->dataset()); });
    addExplorer(attentionExplorer_,
                tr("Attention as a matrix of kernel weights: tokens beside their attention heatmap, the "
                   "temperature as the bandwidth, a query's weights and local mean; layers stacked like "
                   "blurring MeanShift, Hopfield retrieval and attention-based clustering."));

    createExplorerList();

    undoGroup_ = new QUndoGroup(this);
    for (Explorer* explorer : explorers_) {
        auto* stack = new QUndoStack(undoGroup_);
        histories_.push_back(new ParameterHistory(explorer->panel(), stack, this));
    }
    scenes_ = new SceneController(
        dataExplorer_, explorers_,
        {[this] { return currentExplorer_; }, [this](const QString& title) { return selectExplorer(title); }},
        this);
    connect(scenes_, &SceneController::sceneApplied, this, &MainWindow::showLesson);
    connect(scenes_, &SceneController::sceneCompleted, this, &MainWindow::sceneOpened);
    galleryScenes_ = gallerySceneFiles();
    createEditAndViewMenus();
    createLessonDock();

    auto* parameterDock = new QDockWidget(tr("Parameters"), this);
    parameterDock->setObjectName(QStringLiteral("parameterDock"));
    parameterDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    parameterDock->setWidget(panels_);
    addDockWidget(Qt::RightDockWidgetArea, parameterDock);
    resizeDocks({parameterDock}, {320}, Qt::Horizontal);

    showExplorer(dataExplorer_);
}

void MainWindow::createMenus() {
    QMenu* fileMenu = menuBar()->addMenu(tr("&File"));
    QAction* openAction = fileMenu->addAction(tr("&Open…"), this, &MainWindow::chooseFileToOpen);
    openAction->setShortcut(QKeySequence::Open);
    openAction->setObjectName(QStringLiteral("openAction"));
    recentMenu_ = fileMenu->addMenu(tr("Open &Recent"));
    rebuildRecentMenu();
    fileMenu->addSeparator();
    QAction* openSceneAction = fileMenu->addAction(tr("Open &scene…"), this, &MainWindow::chooseSceneToOpen);
    openSceneAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    QAction* saveSceneAction = fileMenu->addAction(tr("&Save scene…"), this, &MainWindow::chooseSceneToSave);
    saveSceneAction->setShortcut(QKeySequence::Save);
    fileMenu->addSeparator();
    QAction* exportAction = fileMenu->addAction(tr("&Export image…"), this, &MainWindow::chooseImageToExport);
    exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    QAction* animationAction =
        fileMenu->addAction(tr("Export &animation…"), this, &MainWindow::chooseAnimationToExport);
    animationAction->setObjectName(QStringLiteral("exportAnimationAction"));
    animationAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    QAction* dataAction = fileMenu->addAction(tr("Export &data…"), this, &MainWindow::chooseDataToExport);
    dataAction->setObjectName(QStringLiteral("exportDataAction"));
    fileMenu->addSeparator();
    QAction* quitAction = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    quitAction->setMenuRole(QAction::QuitRole);

    editMenu_ = menuBar()->addMenu(tr("&Edit"));
    viewMenu_ = menuBar()->addMenu(tr("&View"));
    lessonsMenu_ = menuBar()->addMenu(tr("&Lessons"));
    QMenu* helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(tr("&About LocalLab"), this, &MainWindow::showAbout)->setMenuRole(QAction::AboutRole);
}

void MainWindow::createEditAndViewMenus() {
    QAction* undo = undoGroup_->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Z));
    QAction* redo = undoGroup_->createRedoAction(this, tr("&Redo"));
    redo->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    editMenu_->addAction(undo);
    editMenu_->addAction(redo);

    QAction* presenter = viewMenu_->addAction(tr("&Presenter mode"));
    presenter->setObjectName(QStringLiteral("presenterAction"));
    presenter->setCheckable(true);
    presenter->setShortcut(QKeySequence(Qt::Key_F11));
    connect(presenter, &QAction::toggled, this, &MainWindow::setPresenterMode);
    presenterAction_ = presenter;
    nextLessonAction_ = viewMenu_->addAction(tr("&Next lesson"), this, [this] { stepThroughGallery(1); });
    previousLessonAction_ =
        viewMenu_->addAction(tr("P&revious lesson"), this, [this] { stepThroughGallery(-1); });
    setLessonKeys(false);
    // Held by the window too, so that the keys work wherever the focus is and in full screen.
    addActions({presenter, nextLessonAction_, previousLessonAction_});

    createGalleryMenu(lessonsMenu_);
}

void MainWindow::createGalleryMenu(QMenu* menu) {
    for (int index = 0; index < galleryScenes_.size(); ++index) {
        QString title = QFileInfo(galleryScenes_[index]).baseName();
        try {
            const Scene scene = readSceneFile(galleryScenes_[index]);
            if (!scene.title.isEmpty()) {
                title = scene.title;
            }
        } catch (const SceneError&) {
            // The gallery test reads every lesson; a broken one still opens to say what is wrong.
        }
        menu->addAction(QStringLiteral("%1. %2").arg(index + 1).arg(title), this,
                        [this, index] { openGalleryScene(index); });
    }
}

void MainWindow::createLessonDock() {
    auto* content = new QWidget;
    auto* layout = new QVBoxLayout(content);
    lessonTitle_ = new QLabel;
    lessonTitle_->setObjectName(QStringLiteral("lessonTitle"));
    lessonTitle_->setWordWrap(true);
    QFont titleFont = lessonTitle_->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    lessonTitle_->setFont(titleFont);
    lessonText_ = new QLabel;
    lessonText_->setObjectName(QStringLiteral("lessonText"));
    lessonText_->setWordWrap(true);
    lessonText_->setTextFormat(Qt::PlainText);
    lessonText_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    layout->addWidget(lessonTitle_);
    layout->addWidget(lessonText_, 1);
    lessonDock_ = new QDockWidget(tr("Lesson"), this);
    lessonDock_->setObjectName(QStringLiteral("lessonDock"));
    lessonDock_->setWidget(content);
    addDockWidget(Qt::LeftDockWidgetArea, lessonDock_);
    lessonDock_->hide();
}

void MainWindow::showLesson(const Scene& scene) {
    lessonTitle_->setText(scene.title);
    lessonText_->setText(scene.explanation);
    const bool isLesson = !scene.title.isEmpty() || !scene.explanation.isEmpty();
    lessonDock_->setVisible(isLesson);
    if (isLesson) {
        // The explanation is read from across a room: it gets most of the column, and a width to wrap in.
        resizeDocks({explorerDock_, lessonDock_}, {1, 3}, Qt::Vertical);
        resizeDocks({lessonDock_}, {std::max(lessonDock_->width(), 300)}, Qt::Horizontal);
    }
}

void MainWindow::sceneOpened() {
    // What the scene set is the starting point: undo goes back no further than the scene.
    for (ParameterHistory* history : histories_) {
        history->restart();
    }
}

bool MainWindow::openGalleryScene(int index) {
    if (index < 0 || index >= galleryScenes_.size()) {
        return false;
    }
    currentGalleryScene_ = index;
    return openScene(galleryScenes_[index]);
}

void MainWindow::stepThroughGallery(int step) {
    if (galleryScenes_.isEmpty()) {
        return;
    }
    const int count = static_cast<int>(galleryScenes_.size());
    const int next = currentGalleryScene_ < 0 ? 0 : (currentGalleryScene_ + step + count) % count;
    openGalleryScene(next);
}

void MainWindow::setLessonKeys(bool presenting) {
    // A presentation remote sends Page Down and Page Up; at the desk those keys belong to sliders and
    // lists, so the lessons take Ctrl with them there.
    const Qt::KeyboardModifiers modifiers = presenting ? Qt::NoModifier : Qt::ControlModifier;
    nextLessonAction_->setShortcut(QKeySequence(modifiers | Qt::Key_PageDown));
    previousLessonAction_->setShortcut(QKeySequence(modifiers | Qt::Key_PageUp));
}

void MainWindow::setPresenterMode(bool on) {
    if (presenterMode_ == on) {
        return;
    }
    presenterMode_ = on;
    setLessonKeys(on);
    if (presenterAction_->isChecked() != on) {
        presenterAction_->setChecked(on);
    }
    if (on) {
        fontBeforePresenting_ = QApplication::font();
        QFont large = fontBeforePresenting_;
        large.setPointSizeF(large.pointSizeF() * presenterMagnification);
        QApplication::setFont(large);
    } else {
        QApplication::setFont(fontBeforePresenting_);
    }
    for (VtkView* view : findChildren<VtkView*>()) {
        view->setMagnification(on ? presenterMagnification : 1.0);
    }
    // The audience needs the picture, the lesson and the sliders, not the list of explorers.
    explorerDock_->setVisible(!on);
    if (on) {
        showFullScreen();
        if (currentGalleryScene_ < 0 && !galleryScenes_.isEmpty()) {
            statusBar()->showMessage(tr("Page Down opens the first lesson; Page Up and Page Down step "
                                        "through the gallery, F11 leaves presenter mode."),
                                     8000);
        }
    } else {
        showNormal();
    }
}

void MainWindow::addExplorer(Explorer* explorer, const QString& description) {
    explorers_.push_back(explorer);
    views_->addWidget(explorer->centralWidget());
    auto* panelScroller = new QScrollArea;
    panelScroller->setWidgetResizable(true);
    panelScroller->setFrameShape(QFrame::NoFrame);
    panelScroller->setWidget(explorer->panel());
    panels_->addWidget(panelScroller);
    auto* item = new QListWidgetItem(explorer->title(), explorerList_);
    item->setToolTip(description);
}

bool MainWindow::selectExplorer(const QString& title) {
    const auto matches = explorerList_->findItems(title, Qt::MatchExactly);
    if (matches.isEmpty() || !(matches.constFirst()->flags() & Qt::ItemIsEnabled)) {
        return false;
    }
    explorerList_->setCurrentItem(matches.constFirst());
    return true;
}

void MainWindow::createExplorerList() {
    explorerList_->setObjectName(QStringLiteral("explorerList"));
    explorerList_->setSpacing(2);
    for (const auto& planned : plannedExplorers()) {
        auto* item = new QListWidgetItem(planned.title, explorerList_);
        item->setToolTip(planned.description);
        item->setFlags(item->flags() & ~(Qt::ItemIsEnabled | Qt::ItemIsSelectable));
    }
    explorerList_->setCurrentRow(0);
    connect(explorerList_, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0 && row < static_cast<int>(explorers_.size())) {
            showExplorer(explorers_[static_cast<std::size_t>(row)]);
        }
    });

    explorerDock_ = new QDockWidget(tr("Explorers"), this);
    explorerDock_->setObjectName(QStringLiteral("explorerDock"));
    explorerDock_->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    explorerDock_->setWidget(explorerList_);
    addDockWidget(Qt::LeftDockWidgetArea, explorerDock_);
    resizeDocks({explorerDock_}, {190}, Qt::Horizontal);
}

void MainWindow::createStatusBar() {
    auto makeLabel = [this](const QString& objectName) {
        auto* label = new QLabel(this);
        label->setObjectName(objectName);
        label->setMinimumWidth(110);
        statusBar()->addPermanentWidget(label);
        return label;
    };
    progressBar_ = new QProgressBar(this);
    progressBar_->setRange(0, 100);
    progressBar_->setMaximumWidth(160);
    progressBar_->setVisible(false);
    statusBar()->addWidget(progressBar_);
    cancelButton_ = new QPushButton(tr("Cancel"), this);
    cancelButton_->setVisible(false);
    statusBar()->addWidget(cancelButton_);
    connect(cancelButton_, &QPushButton::clicked, this, [this] {
        if (currentExplorer_) {
            currentExplorer_->cancel();
        }
    });
    pointCountLabel_ = makeLabel(QStringLiteral("pointCountLabel"));
    columnCountLabel_ = makeLabel(QStringLiteral("columnCountLabel"));
    computeTimeLabel_ = makeLabel(QStringLiteral("computeTimeLabel"));
    renderTimeLabel_ = makeLabel(QStringLiteral("renderTimeLabel"));
}

void MainWindow::showExplorer(Explorer* explorer) {
    // Only the status-bar connections of the previous explorer go; the window's other connections to it
    // (a file opened, data handed on to the other explorers) stay.
    for (const QMetaObject::Connection& connection : currentExplorerConnections_) {
        disconnect(connection);
    }
    currentExplorerConnections_.clear();
    currentExplorer_ = explorer;
    const auto position = std::find(explorers_.begin(), explorers_.end(), explorer);
    if (position != explorers_.end() && !histories_.empty()) {
        undoGroup_->setActiveStack(
            histories_[static_cast<std::size_t>(position - explorers_.begin())]->stack());
    }
    views_->setCurrentWidget(explorer->centralWidget());
    panels_->setCurrentIndex(views_->currentIndex());
    renderTimeLabel_->clear();
    computeTimeLabel_->clear();
    progressBar_->setVisible(false);
    cancelButton_->setVisible(false);
    auto& connections = currentExplorerConnections_;
    connections.push_back(connect(explorer, &Explorer::dataShown, this, &MainWindow::showDataSummary));
    connections.push_back(
        connect(explorer, &Explorer::computeTimeMeasured, this, [this](double milliseconds) {
            computeTimeLabel_->setText(tr("compute %1 ms").arg(milliseconds, 0, 'f', 1));
        }));
    if (explorer->view()) {
        connections.push_back(
            connect(explorer->view(), &VtkView::renderTimeMeasured, this, [this](double milliseconds) {
                renderTimeLabel_->setText(tr("render %1 ms").arg(milliseconds, 0, 'f', 1));
            }));
    }
    connections.push_back(connect(explorer, &Explorer::busyChanged, this, [this](bool busy) {
        progressBar_->setValue(0);
        progressBar_->setVisible(busy);
        cancelButton_->setVisible(busy);
    }));
    connections.push_back(connect(explorer, &Explorer::progressChanged, this, [this](double fraction) {
        progressBar_->setValue(static_cast<int>(fraction * 100.0));
    }));
    connections.push_back(connect(explorer, &Explorer::problemOccurred, this, &MainWindow::showProblem));
}

void MainWindow::openFile(const QString& path) {
    dataExplorer_->openFile(path);
}

void MainWindow::chooseFileToOpen() {
    const QString startFolder =
        recentFiles().isEmpty() ? QString() : QFileInfo(recentFiles().constFirst()).path();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open data"), startFolder,
        tr("Data files (*.csv *.tsv *.txt *.npy);;Text tables (*.csv *.tsv *.txt);;NumPy arrays (*.npy);;"
           "All files (*)"));
    if (!path.isEmpty()) {
        openFile(path);
    }
}

void MainWindow::chooseImageToExport() {
    if (!currentExplorer_) {
        return;
    }
    const QWidget* shown = currentExplorer_->view() ? static_cast<QWidget*>(currentExplorer_->view())
                                                    : currentExplorer_->centralWidget();
    Scene scene = scenes_->capture(lastExportFolder_);
    ExportDialog dialog(scene.exportSettings, shown->size(), this);
    if (dialog.exec() != QDialog::Accepted) {
        return;
    }
    scene.exportSettings = dialog.settings();
    if (dialog.destination() == ExportDialog::Destination::Clipboard) {
        const QImage image = scenes_->renderFigure(scene, false);
        if (image.isNull()) {
            showProblem(tr("Could not export the image"), tr("The view has no picture to copy yet."));
            return;
        }
        QApplication::clipboard()->setImage(image);
        statusBar()->showMessage(tr("Copied a %1 × %2 image").arg(image.width()).arg(image.height()), 5000);
        return;
    }
    // The save dialog asks before replacing an existing file.
    const QString pngFilter = tr("PNG images (*.png)");
    const QString svgFilter = tr("SVG drawings, text and plots as vectors (*.svg)");
    const QString pdfFilter = tr("PDF documents, text and plots as vectors (*.pdf)");
    QString chosenFilter = pngFilter;
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export image"), QDir(lastExportFolder_).filePath(QStringLiteral("locallab.png")),
        QStringList{pngFilter, svgFilter, pdfFilter}.join(QStringLiteral(";;")), &chosenFilter);
    if (path.isEmpty()) {
        return;
    }
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("png") && suffix != QLatin1String("svg") && suffix != QLatin1String("pdf")) {
        path += chosenFilter == svgFilter   ? QStringLiteral(".svg")
                : chosenFilter == pdfFilter ? QStringLiteral(".pdf")
                                            : QStringLiteral(".png");
        // The dialog checked the name without the suffix, so this one is asked about here.
        if (QFileInfo::exists(path) &&
            QMessageBox::question(this, tr("Export image"),
                                  tr("%1 already exists. Replace it?").arg(QFileInfo(path).fileName())) !=
                QMessageBox::Yes) {
            return;
        }
    }
    lastExportFolder_ = QFileInfo(path).path();
    // Written again relative to the folder the image goes to, so that image and data can move together.
    scene = scenes_->capture(lastExportFolder_);
    scene.exportSettings = dialog.settings();
    const SceneController::FigureFile figure = scenes_->renderFigureFile(scene, figureFormatOf(path), false);
    const QString problem =
        figure.problem.isEmpty() ? SceneController::writeBytes(figure.bytes, path, true) : figure.problem;
    if (!problem.isEmpty()) {
        showProblem(tr("Could not export the image"), problem);
        return;
    }
    statusBar()->showMessage(tr("Saved %1").arg(QFileInfo(path).fileName()), 5000);
}

void MainWindow::chooseAnimationToExport() {
    if (!currentExplorer_) {
        return;
    }
    const IterationTimeline* timeline = scenes_->animatedTimeline();
    if (!timeline) {
        showProblem(tr("Nothing to animate"),
                    tr("This picture has no timeline. Animations follow the MeanShift iterations, or the "
                       "attention layers, Hopfield updates and clustering training on the Attention pages."));
        return;
    }
    const QWidget* shown = currentExplorer_->view() ? static_cast<QWidget*>(currentExplorer_->view())
                                                    : currentExplorer_->centralWidget();
    Scene scene = scenes_->capture(lastExportFolder_);
    ExportDialog* dialog =
        ExportDialog::forAnimation(scene.exportSettings, shown->size(), timeline->lastIteration(), this);
    const std::unique_ptr<ExportDialog> owner(dialog);
    if (dialog->exec() != QDialog::Accepted) {
        return;
    }
    const QString gifFilter = tr("Animated GIF (*.gif)");
    const QString theoraFilter = tr("Ogg Theora video (*.ogv)");
    const QString framesFilter = tr("PNG frames, numbered name_0001.png, … (*.png)");
    QString chosenFilter = gifFilter;
    // The frames are checked against existing files before anything is written, so no dialog of
    // Qt's asks about replacing (a PNG sequence is many files).
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export animation"), QDir(lastExportFolder_).filePath(QStringLiteral("locallab.gif")),
        QStringList{gifFilter, theoraFilter, framesFilter}.join(QStringLiteral(";;")), &chosenFilter,
        QFileDialog::DontConfirmOverwrite);
    if (path.isEmpty()) {
        return;
    }
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("gif") && suffix != QLatin1String("ogv") && suffix != QLatin1String("png")) {
        path += chosenFilter == theoraFilter   ? QStringLiteral(".ogv")
                : chosenFilter == framesFilter ? QStringLiteral(".png")
                                               : QStringLiteral(".gif");
    }
    lastExportFolder_ = QFileInfo(path).path();
    scene = scenes_->capture(lastExportFolder_);
    scene.exportSettings = dialog->settings();
    SceneController::AnimationRequest request;
    request.path = path;
    request.framesPerSecond = dialog->framesPerSecond();
    request.framesPerIteration = dialog->framesPerIteration();

    const QString existing = scenes_->existingAnimationFile(request);
    if (!existing.isEmpty()) {
        const QString question = QFileInfo(existing).suffix().toLower() == QLatin1String("png") &&
                                         animationFormatOf(path) == AnimationFormat::PngSequence
                                     ? tr("%1 and the frames beside it may exist already. Replace them?")
                                     : tr("%1 already exists. Replace it?");
        if (QMessageBox::question(this, tr("Export animation"),
                                  question.arg(QFileInfo(existing).fileName())) != QMessageBox::Yes) {
            return;
        }
        request.replace = true;
    }
    const QString problem = runAnimationExport(scene, request);
    if (!problem.isEmpty()) {
        showProblem(tr("Could not export the animation"), problem);
        return;
    }
    statusBar()->showMessage(tr("Saved %1").arg(QFileInfo(path).fileName()), 5000);
}

QString MainWindow::runAnimationExport(const Scene& scene, const SceneController::AnimationRequest& request) {
    QProgressDialog progress(tr("Rendering and encoding the frames…"), tr("Cancel"), 0, 1000, this);
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(300);
    return scenes_->exportAnimation(scene, request, [&progress](double fraction) {
        progress.setValue(static_cast<int>(std::lround(fraction * 1000)));
        QCoreApplication::processEvents(); // the Cancel button
        return !progress.wasCanceled();
    });
}

void MainWindow::chooseDataToExport() {
    if (!currentExplorer_) {
        return;
    }
    if (!currentExplorer_->resultTable()) {
        showProblem(tr("No results to export"), noResultTableMessage());
        return;
    }
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export data"), QDir(lastExportFolder_).filePath(QStringLiteral("locallab.csv")),
        tr("CSV tables (*.csv)"));
    if (path.isEmpty()) {
        return;
    }
    if (QFileInfo(path).suffix().isEmpty()) {
        path += QStringLiteral(".csv");
    }
    lastExportFolder_ = QFileInfo(path).path();
    exportData(path, true);
}

QString MainWindow::noResultTableMessage() const {
    return tr("The %1 explorer has no results to write as a table yet. Tables come from Density & MeanShift "
              "(clusters and modes), Local fits (fitted curves), Manifold (embeddings) and Classification "
              "(predicted classes).")
        .arg(currentExplorer_ ? currentExplorer_->title() : QString());
}

bool MainWindow::exportData(const QString& path, bool replace) {
    const std::optional<ResultTable> table =
        currentExplorer_ ? currentExplorer_->resultTable() : std::nullopt;
    if (!table) {
        showProblem(tr("Could not export the data"), noResultTableMessage());
        return false;
    }
    const QString problem =
        SceneController::writeBytes(QByteArray::fromStdString(resultTableCsv(*table)), path, replace);
    if (!problem.isEmpty()) {
        showProblem(tr("Could not export the data"), problem);
        return false;
    }
    statusBar()->showMessage(tr("Saved %1: %2 rows, %3")
                                 .arg(QFileInfo(path).fileName())
                                 .arg(table->values.rows())
                                 .arg(QString::fromStdString(table->description)),
                             8000);
    return true;
}

bool MainWindow::exportImage(const QString& path, double scale) {
    if (!currentExplorer_) {
        return false;
    }
    Scene scene = scenes_->capture(QFileInfo(path).path());
    scene.exportSettings.scale = scale;
    const QString problem = SceneController::writeImage(scenes_->renderFigure(scene, false), path, true);
    if (!problem.isEmpty()) {
        showProblem(tr("Could not export the image"), problem);
        return false;
    }
    statusBar()->showMessage(tr("Saved %1").arg(QFileInfo(path).fileName()), 5000);
    return true;
}

void MainWindow::chooseSceneToOpen() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open scene"), lastExportFolder_,
        tr("Scenes (*.json *.png *.svg);;Scene files (*.json);;Figures exported by "
           "LocalLab (*.png *.svg);;All files (*)"));
    if (!path.isEmpty()) {
        openScene(path);
    }
}

void MainWindow::chooseSceneToSave() {
    QString path = QFileDialog::getSaveFileName(
        this, tr("Save scene"), QDir(lastExportFolder_).filePath(QStringLiteral("scene.json")),
        tr("Scene files (*.json)"));
    if (path.isEmpty()) {
        return;
    }
    if (QFileInfo(path).suffix().isEmpty()) {
        path += QStringLiteral(".json");
    }
    lastExportFolder_ = QFileInfo(path).path();
    saveScene(path);
}

bool MainWindow::saveScene(const QString& path) {
    const Scene scene = scenes_->capture(QFileInfo(path).absolutePath());
    // The dialog has asked before replacing; a scene is small and written atomically.
    const QString problem = SceneController::writeScene(scene, path, true);
    if (!problem.isEmpty()) {
        showProblem(tr("Could not save the scene"), problem);
        return false;
    }
    statusBar()->showMessage(tr("Saved %1").arg(QFileInfo(path).fileName()), 5000);
    return true;
}

bool MainWindow::openScene(const QString& path) {
    const QFileInfo info(path);
    Scene scene;
    try {
        scene = readSceneOrImage(path);
    } catch (const SceneError& error) {
        showProblem(tr("Could not open the scene"), QString::fromStdString(error.what()));
        return false;
    }
    const auto check =
        headless_ ? SceneController::DataFileCheck::Refuse : SceneController::DataFileCheck::AskTheUser;
    // A scene from the gallery lives in the resources; its data are generated, so its folder is moot.
    const QString folder = path.startsWith(QLatin1Char(':')) ? QDir::currentPath() : info.absolutePath();
    if (!scenes_->apply(scene, folder, check)) {
        showProblem(tr("Could not open the scene"), scenes_->problem());
        return false;
    }
    if (!path.startsWith(QStringLiteral(":/locallab/scenes"))) {
        currentGalleryScene_ = -1;
    }
    return true;
}

QStringList MainWindow::recentFiles() const {
    return QSettings().value(recentFilesKey).toStringList();
}

void MainWindow::rememberRecentFile(const QString& path) {
    QStringList files = recentFiles();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    files.removeAll(absolute);
    files.prepend(absolute);
    while (files.size() > recentFileCount) {
        files.removeLast();
    }
    QSettings().setValue(recentFilesKey, files);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
    recentMenu_->clear();
    const QStringList files = recentFiles();
    for (const QString& file : files) {
        QAction* action =
            recentMenu_->addAction(QFileInfo(file).fileName(), this, [this, file] { openFile(file); });
        action->setToolTip(file);
        action->setStatusTip(file);
    }
    if (files.isEmpty()) {
        recentMenu_->addAction(tr("No recent files"))->setEnabled(false);
        return;
    }
    recentMenu_->addSeparator();
    recentMenu_->addAction(tr("Clear list"), this, [this] {
        QSettings().remove(recentFilesKey);
        rebuildRecentMenu();
    });
}

void MainWindow::showAbout() {
    QMessageBox::about(
        this, tr("About LocalLab"),
        tr("<h3>LocalLab %1</h3>"
           "<p>Many learning methods are one idea put together differently: a kernel that says how much "
           "each data point matters for a target, and a simple model fitted to the data weighted that way. "
           "LocalLab lets you watch that idea at work.</p>"
           "<p>Released under the BSD-3-Clause licence.</p>")
            .arg(QStringLiteral(LOCALLAB_VERSION)));
}

void MainWindow::showProblem(const QString& title, const QString& message) {
    lastProblem_ = message;
    if (headless_) {
        std::cerr << qPrintable(title) << ": " << qPrintable(message) << std::endl;
        return;
    }
    // Opened, not exec()'d: a nested event loop inside a job's delivery would let the next delivery
    // run underneath this one. The box is still modal for the window.
    auto* box = new QMessageBox(QMessageBox::Critical, title, message, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("problemMessage"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::showDataSummary(long long points, long long columns) {
    const QLocale locale;
    pointCountLabel_->setText(points == 1 ? tr("1 point") : tr("%1 points").arg(locale.toString(points)));
    columnCountLabel_->setText(columns == 1 ? tr("1 column")
                                            : tr("%1 columns").arg(locale.toString(columns)));
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (isLocalFile(event->mimeData())) {
        event->acceptProposedAction();
    }
}

void MainWindow::dropEvent(QDropEvent* event) {
    if (!isLocalFile(event->mimeData())) {
        return;
    }
    event->acceptProposedAction();
    const QString path = event->mimeData()->urls().constFirst().toLocalFile();
    // An image LocalLab exported, or a scene file, reopens its scene; anything else is data.
    const bool carriesScene = isPng(path) && !QImage(path).text(sceneImageTextKey).isEmpty();
    const QString suffix = QFileInfo(path).suffix().toLower();
    // An SVG is never data, so one without a scene is reported as such by openScene.
    const bool isSceneFile = suffix == QLatin1String("json") || suffix == QLatin1String("svg");
    if (carriesScene || isSceneFile) {
        openScene(path);
    } else {
        openFile(path);
    }
}

} // namespace locallab
