#pragma once
// A scene is everything needed to draw one figure again: where the data come from, which explorer
// shows them, every parameter of that explorer, the camera, the timeline and the export settings.
// Scene files are versioned JSON; the same text travels inside every exported PNG, so an image can be
// dropped on the window to reopen the figure it shows.

#include "locallab/util/parameter.hpp"
#include "locallab/widgets/vtk_view.hpp"

#include <QString>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace locallab {

// The text key under which an exported PNG carries its scene. No space: QImageReader reads a key with a
// space in it as part of the image's description.
inline const QString sceneImageTextKey = QStringLiteral("LocalLabScene");

// A scene file that cannot be read: the message names the file and, where it applies, the line and
// column or the field.
class SceneError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct SceneData {
    // The Data explorer's parameters: the generator and its knobs, the plotted columns, the colouring.
    ParameterValues parameters;
    // Empty for generated data; otherwise the file as written in the scene (relative paths are read
    // from the scene file's folder) and the SHA-256 of its bytes, in lower-case hex.
    QString file;
    QString sha256;
};

struct SceneExportSettings {
    int width = 0; // exact pixels; 0 for the view's own size times the scale
    int height = 0;
    double scale = 1.0; // text, markers and lines are this many times their size on a 1x screen
    bool transparentBackground = false;
};

struct Scene {
    static constexpr int currentVersion = 1;

    QString title;       // for the gallery and presenter mode; may be empty
    QString explanation; // a few sentences shown beside the view while the scene is open
    SceneData data;
    QString explorer; // the explorer's title, as the explorer list shows it
    // Parameters a scene leaves out take their defaults, so a lesson names only what it is about.
    ParameterValues parameters;
    std::optional<CameraState> camera;
    std::vector<double> timelinePositions; // of the explorer's timelines, in the order it lays them out
    std::vector<int> pages;                // the tab shown in each of the explorer's tab widgets
    SceneExportSettings exportSettings;
};

// Throws SceneError naming `sourceName` (a file name) for malformed JSON (with its line and column),
// a newer version, or a field of the wrong type.
Scene parseScene(const std::string& text, const QString& sourceName);
Scene readSceneFile(const QString& path);
// A scene file, or a PNG exported by LocalLab, which carries its scene as text under sceneImageTextKey.
Scene readSceneOrImage(const QString& path);
std::string sceneToJson(const Scene& scene);

// The SHA-256 of a file's bytes in lower-case hex, empty when it cannot be read.
QString fileSha256(const QString& path);

} // namespace locallab
