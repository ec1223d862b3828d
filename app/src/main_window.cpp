#include "main_window.hpp"

#include "explorers/classification_explorer.hpp"
#include "explorers/data_explorer.hpp"
#include "explorers/image_segmentation_explorer.hpp"
#include "explorers/local_fits_explorer.hpp"
#include "explorers/mean_shift_explorer.hpp"
#include "locallab/widgets/parameter_panel.hpp"
#include "locallab/widgets/vtk_view.hpp"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QKeySequence>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>

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
    return {
        {QObject::tr("Manifold (LLE)"),
         QObject::tr("Will show a 3-D cloud with its neighbour graph beside its locally linear embedding "
                     "in 2-D, linked point by point.")},
        {QObject::tr("Attention"),
         QObject::tr("Will show tokens, their attention map as a matrix of kernel weights, and how the "
                     "temperature acts as a bandwidth.")},
    };
}

// A VTK view renders itself at the scale; a plain widget is grabbed as the screen shows it.
bool exportExplorerPicture(const Explorer& explorer, const QString& path, double scale) {
    if (explorer.view()) {
        return explorer.view()->exportPng(path, scale);
    }
    return explorer.centralWidget()->grab().save(path, "PNG");
}

bool isLocalFile(const QMimeData* mime) {
    return mime && mime->hasUrls() && !mime->urls().isEmpty() && mime->urls().constFirst().isLocalFile();
}

} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
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

    createExplorerList();

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
    QAction* exportAction = fileMenu->addAction(tr("&Export image…"), this, &MainWindow::chooseImageToExport);
    exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    fileMenu->addSeparator();
    QAction* quitAction = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    quitAction->setMenuRole(QAction::QuitRole);

    QMenu* helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(tr("&About LocalLab"), this, &MainWindow::showAbout)->setMenuRole(QAction::AboutRole);
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

    auto* dock = new QDockWidget(tr("Explorers"), this);
    dock->setObjectName(QStringLiteral("explorerDock"));
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    dock->setWidget(explorerList_);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    resizeDocks({dock}, {190}, Qt::Horizontal);
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
    bool accepted = false;
    const double scale = QInputDialog::getDouble(
        this, tr("Export image"), tr("Scale factor (the image is the view's size times this):"), 2.0, 0.5,
        8.0, 1, &accepted);
    if (!accepted) {
        return;
    }
    // The save dialog asks before replacing an existing file.
    QString path = QFileDialog::getSaveFileName(this, tr("Export image"), QStringLiteral("locallab.png"),
                                                tr("PNG images (*.png)"));
    if (path.isEmpty()) {
        return;
    }
    if (QFileInfo(path).suffix().compare(QStringLiteral("png"), Qt::CaseInsensitive) != 0) {
        path += QStringLiteral(".png");
        // The dialog checked the name without the suffix, so this one is asked about here.
        if (QFileInfo::exists(path) &&
            QMessageBox::question(this, tr("Export image"),
                                  tr("%1 already exists. Replace it?").arg(QFileInfo(path).fileName())) !=
                QMessageBox::Yes) {
            return;
        }
    }
    exportImage(path, scale);
}

bool MainWindow::exportImage(const QString& path, double scale) {
    if (!currentExplorer_ || !exportExplorerPicture(*currentExplorer_, path, scale)) {
        showProblem(tr("Could not export the image"),
                    tr("%1 could not be written. Check that the folder exists and is writable.").arg(path));
        return false;
    }
    statusBar()->showMessage(tr("Saved %1").arg(QFileInfo(path).fileName()), 5000);
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
    openFile(event->mimeData()->urls().constFirst().toLocalFile());
}

} // namespace locallab
