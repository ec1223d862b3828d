#pragma once
// The application window: the explorers on the left, the current explorer's picture in the middle,
// its parameters on the right, and what the picture cost in the status bar. Files arrive through
// File → Open, Open Recent, drag and drop and --data, which all end in openFile().

#include <QMainWindow>
#include <QString>
#include <QStringList>
#include <vector>

class QLabel;
class QListWidget;
class QMenu;
class QProgressBar;
class QPushButton;
class QStackedWidget;

namespace locallab {

class DataExplorer;
class Explorer;
class ImageSegmentationExplorer;
class ClassificationExplorer;
class LocalFitsExplorer;
class MeanShiftExplorer;

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);

    // Loads a data file on a worker thread; a file that cannot be read is reported in a message box
    // (object name "problemMessage") and the data on screen stay.
    void openFile(const QString& path);
    // Writes the current picture as a PNG at the view's size times `scale`. Returns false, after
    // telling the user why, when it could not.
    bool exportImage(const QString& path, double scale);

    DataExplorer* dataExplorer() const { return dataExplorer_; }
    MeanShiftExplorer* meanShiftExplorer() const { return meanShiftExplorer_; }
    ImageSegmentationExplorer* imageSegmentationExplorer() const { return imageSegmentationExplorer_; }
    LocalFitsExplorer* localFitsExplorer() const { return localFitsExplorer_; }
    ClassificationExplorer* classificationExplorer() const { return classificationExplorer_; }
    // Makes the explorer with this title the current one, as a click in the explorer list does.
    bool selectExplorer(const QString& title);
    QStringList recentFiles() const;

    static constexpr int recentFileCount = 8;

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createMenus();
    void createExplorerList();
    // Puts the explorer's picture and panel into the window's stacks and lists it with this tooltip.
    void addExplorer(Explorer* explorer, const QString& description);
    void createStatusBar();
    void showExplorer(Explorer* explorer);

    void chooseFileToOpen();
    void chooseImageToExport();
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
    std::vector<Explorer*> explorers_; // in the order of the list
    std::vector<QMetaObject::Connection> currentExplorerConnections_;
    Explorer* currentExplorer_ = nullptr;
    QStackedWidget* views_ = nullptr;
    QStackedWidget* panels_ = nullptr;
    QListWidget* explorerList_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QLabel* pointCountLabel_ = nullptr;
    QLabel* columnCountLabel_ = nullptr;
    QLabel* computeTimeLabel_ = nullptr;
    QLabel* renderTimeLabel_ = nullptr;
    QProgressBar* progressBar_ = nullptr;
    QPushButton* cancelButton_ = nullptr;
};

} // namespace locallab
