#pragma once
// The application window: the explorers on the left, the current explorer's picture in the middle,
// its parameters on the right, and what the picture cost in the status bar. Files arrive through
// File → Open, Open Recent, drag and drop and --data, which all end in openFile().

#include "scene/scene_controller.hpp"

#include <QFont>
#include <QMainWindow>
#include <QString>
#include <QStringList>
#include <vector>

class QAction;
class QDockWidget;
class QLabel;
class QListWidget;
class QUndoGroup;
class QMenu;
class QProgressBar;
class QPushButton;
class QStackedWidget;

namespace locallab {

class AttentionExplorer;
class DataExplorer;
class Explorer;
class ImageSegmentationExplorer;
class ClassificationExplorer;
class FuzzyRulesExplorer;
class LocalFitsExplorer;
class ManifoldExplorer;
class MeanShiftExplorer;
class ParameterHistory;
class SurfaceFitExplorer;
struct Scene;

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);

    // Loads a data file on a worker thread; a file that cannot be read is reported in a message box
    // (object name "problemMessage") and the data on screen stay.
    void openFile(const QString& path);
    // Writes the current picture as a PNG at the view's size times `scale`, with the scene inside it.
    // Returns false, after telling the user why, when it could not.
    bool exportImage(const QString& path, double scale);
    // The current explorer's results as CSV (File → Export data); false, with the problem shown, when
    // there are none or the file cannot be written.
    bool exportData(const QString& path, bool replace);

    DataExplorer* dataExplorer() const { return dataExplorer_; }
    MeanShiftExplorer* meanShiftExplorer() const { return meanShiftExplorer_; }
    ImageSegmentationExplorer* imageSegmentationExplorer() const { return imageSegmentationExplorer_; }
    LocalFitsExplorer* localFitsExplorer() const { return localFitsExplorer_; }
    ClassificationExplorer* classificationExplorer() const { return classificationExplorer_; }
    ManifoldExplorer* manifoldExplorer() const { return manifoldExplorer_; }
    SurfaceFitExplorer* surfaceFitExplorer() const { return surfaceFitExplorer_; }
    FuzzyRulesExplorer* fuzzyRulesExplorer() const { return fuzzyRulesExplorer_; }
    AttentionExplorer* attentionExplorer() const { return attentionExplorer_; }
    // Makes the explorer with this title the current one, as a click in the explorer list does.
    bool selectExplorer(const QString& title);
    Explorer* currentExplorer() const { return currentExplorer_; }
    QStringList recentFiles() const;

    // Scenes: a scene file, or a PNG exported by LocalLab (which carries its scene). A scene that cannot
    // be read or put on screen is reported, and the window stays as it was.
    bool openScene(const QString& path);
    bool saveScene(const QString& path);
    SceneController* sceneController() const { return scenes_; }
    // The lessons of the gallery, in the order of the Lessons menu (resource paths of scene files).
    QStringList galleryScenes() const { return galleryScenes_; }
    bool openGalleryScene(int index);
    int currentGalleryScene() const { return currentGalleryScene_; }
    QDockWidget* lessonDock() const { return lessonDock_; }

    // Undo and redo act on the parameters of the explorer on screen.
    QUndoGroup* undoGroup() const { return undoGroup_; }

    // Full screen, larger text and markers, Page Down / Page Up through the gallery (Ctrl+Page Down and
    // Ctrl+Page Up outside presenter mode).
    void setPresenterMode(bool on);
    bool isPresenterMode() const { return presenterMode_; }

    // Without a person in front of it (exporting from the command line) problems are written to the
    // standard error stream instead of message boxes, and the last one is kept.
    void setHeadless(bool headless) { headless_ = headless; }
    QString lastProblem() const { return lastProblem_; }

    static constexpr int recentFileCount = 8;

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createMenus();
    void createEditAndViewMenus();
    void createExplorerList();
    // Puts the explorer's picture and panel into the window's stacks and lists it with this tooltip.
    void addExplorer(Explorer* explorer, const QString& description);
    void createStatusBar();
    void showExplorer(Explorer* explorer);

    void chooseFileToOpen();
    void chooseImageToExport();
    void chooseAnimationToExport();
    void chooseDataToExport();
    QString noResultTableMessage() const;
    // Plays the timeline into the request's file behind a progress dialog with Cancel.
    QString runAnimationExport(const Scene& scene, const SceneController::AnimationRequest& request);
    void chooseSceneToOpen();
    void chooseSceneToSave();
    void createGalleryMenu(QMenu* menu);
    void createLessonDock();
    void showLesson(const Scene& scene);
    void stepThroughGallery(int step);
    void setLessonKeys(bool presenting);
    void sceneOpened();
    void showAbout();
    void rememberRecentFile(const QString& path);
    void rebuildRecentMenu();
    void showProblem(const QString& title, const QString& message);
    void showDataSummary(long long points, long long columns);

    DataExplorer* dataExplorer_ = nullptr;
    MeanShiftExplorer* meanShiftExplorer_ = nullptr;
    ImageSegmentationExplorer* imageSegmentationExplorer_ = nullptr;
    LocalFitsExplorer* localFitsExplorer_ = nullptr;
    ClassificationExplorer* classificationExplorer_ = nullptr;
    ManifoldExplorer* manifoldExplorer_ = nullptr;
    SurfaceFitExplorer* surfaceFitExplorer_ = nullptr;
    FuzzyRulesExplorer* fuzzyRulesExplorer_ = nullptr;
    AttentionExplorer* attentionExplorer_ = nullptr;
    std::vector<Explorer*> explorers_; // in the order of the list
    std::vector<QMetaObject::Connection> currentExplorerConnections_;
    Explorer* currentExplorer_ = nullptr;
    QStackedWidget* views_ = nullptr;
    QStackedWidget* panels_ = nullptr;
    QListWidget* explorerList_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QMenu* editMenu_ = nullptr;
    QMenu* viewMenu_ = nullptr;
    QMenu* lessonsMenu_ = nullptr;
    QAction* presenterAction_ = nullptr;
    QAction* nextLessonAction_ = nullptr;
    QAction* previousLessonAction_ = nullptr;
    QLabel* pointCountLabel_ = nullptr;
    QLabel* columnCountLabel_ = nullptr;
    QLabel* computeTimeLabel_ = nullptr;
    QLabel* renderTimeLabel_ = nullptr;
    QProgressBar* progressBar_ = nullptr;
    QPushButton* cancelButton_ = nullptr;
    SceneController* scenes_ = nullptr;
    QUndoGroup* undoGroup_ = nullptr;
    std::vector<ParameterHistory*> histories_; // one per explorer, children of the window
    QStringList galleryScenes_;
    int currentGalleryScene_ = -1;
    QDockWidget* explorerDock_ = nullptr;
    QDockWidget* lessonDock_ = nullptr;
    QLabel* lessonTitle_ = nullptr;
    QLabel* lessonText_ = nullptr;
    bool presenterMode_ = false;
    QFont fontBeforePresenting_;
    bool headless_ = false;
    QString lastProblem_;
    QString lastExportFolder_;
};

} // namespace locallab
