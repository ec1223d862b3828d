#pragma once
// Takes a scene from the window and puts one back: the data source, the explorer, its parameters,
// then, once the explorer's jobs have gone quiet, its camera and timelines. It also renders the
// current explorer's picture as a figure of a given size, with the scene written into the PNG, so that
// dropping the image on the window reopens the figure.

#include "scene/scene.hpp"
#include "scene/vector_figure.hpp"

#include <QImage>
#include <QObject>
#include <QString>
#include <functional>
#include <vector>

namespace locallab {

class DataExplorer;
class Explorer;
class IterationTimeline;

class SceneController : public QObject {
    Q_OBJECT

public:
    struct WindowAccess {
        std::function<Explorer*()> currentExplorer;
        std::function<bool(const QString& title)> selectExplorer;
    };
    // What to do when the scene's data file is missing or its bytes changed.
    enum class DataFileCheck {
        AskTheUser, // offer to locate the file (or, for a changed file, to use it anyway)
        Refuse      // fail with a message: the headless path, where nobody can answer
    };

    SceneController(DataExplorer* dataExplorer, std::vector<Explorer*> explorers, WindowAccess window,
                    QObject* parent = nullptr);

    // The window as a scene; a data file's path is written relative to `sceneFolder` when it lies
    // inside it, so that a folder of scenes and data can be moved as a whole.
    Scene capture(const QString& sceneFolder) const;

    // Puts the scene on screen. Returns false, with problem() set, when it cannot: an unknown explorer,
    // a data file missing or changed (and not located), or a parameter that does not fit.
    bool apply(const Scene& scene, const QString& sceneFolder, DataFileCheck check);
    QString problem() const { return problem_; }

    // Runs the event loop until the scene's pictures are complete and its camera and timelines are back;
    // false when the explorers were still busy after `timeoutMilliseconds`.
    bool waitForPicture(int timeoutMilliseconds);

    // The current explorer's picture at the export settings (exact size, or the view's size times the
    // scale), with the scene as text; a null image when the explorer has nothing to render.
    QImage renderFigure(const Scene& scene, bool frameData) const;

    // The figure as the bytes of a PNG, SVG or PDF file; a PNG carries the scene in a text chunk, an SVG
    // in its metadata. `problem` says why there are no bytes.
    struct FigureFile {
        QByteArray bytes;
        QString problem;
    };
    FigureFile renderFigureFile(const Scene& scene, FigureFormat format, bool frameData) const;

    // A timeline played from its start to its end into a movie file (see animation_writer.hpp).
    struct AnimationRequest {
        QString path; // .gif, .ogv, or .png for a numbered PNG sequence
        double framesPerSecond = 10.0;
        int framesPerIteration = 1; // more frames move smoothly between iterations
        bool replace = false;       // replace existing files rather than refuse
    };
    // The timeline an animation plays: the one on screen with more than one iteration, or nullptr.
    IterationTimeline* animatedTimeline() const;
    // The first file the request would replace, or an empty string when none exists.
    QString existingAnimationFile(const AnimationRequest& request) const;
    // Renders each frame on this thread (OpenGL lives here) while the previous one is encoded on another.
    // `continueAfter(fraction)` reports progress and returns false to stop, which leaves no file behind.
    // Returns an empty string on success, otherwise what went wrong. The timeline is put back after.
    QString exportAnimation(const Scene& scene, const AnimationRequest& request,
                            const std::function<bool(double fraction)>& continueAfter) const;

    // Writes atomically (a temporary file renamed over the target) and, unless `replace`, never over an
    // existing file. Returns an empty string on success, otherwise what went wrong.
    static QString writeImage(const QImage& image, const QString& path, bool replace);
    static QString writeBytes(const QByteArray& bytes, const QString& path, bool replace);
    static QString writeScene(const Scene& scene, const QString& path, bool replace);

signals:
    // A scene was put on screen (its title and explanation are for the lesson panel).
    void sceneApplied(const locallab::Scene& scene);
    // Its camera and timelines are back: the picture is now the scene's.
    void sceneCompleted();

private:
    Explorer* explorerTitled(const QString& title) const;
    bool resolveDataFile(const Scene& scene, const QString& sceneFolder, DataFileCheck check, QString& path);
    void applyDataSource(const Scene& scene, const QString& dataPath);
    void settleWhenQuiet(const Scene& scene, Explorer* explorer, int roundsLeft);
    void restoreViewState(const Scene& scene);

    DataExplorer* dataExplorer_ = nullptr;
    std::vector<Explorer*> explorers_;
    WindowAccess window_;
    QString problem_;
    bool pending_ = false; // a scene's camera and timelines wait for its pictures
};

} // namespace locallab
