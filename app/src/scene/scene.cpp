#include "scene/scene.hpp"

#include "scene/vector_figure.hpp"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <cmath>
#include <nlohmann/json.hpp>

namespace locallab {

namespace {

using Json = nlohmann::json;

const char* const formatName = "locallab-scene";

struct TextPosition {
    long long line = 1;
    long long column = 1;
};

// nlohmann reports the byte after the one it stopped at; people count lines and columns from 1.
TextPosition positionOfByte(const std::string& text, std::size_t byte) {
    TextPosition position;
    const std::size_t end = std::min(byte > 0 ? byte - 1 : 0, text.size());
    for (std::size_t i = 0; i < end; ++i) {
        if (text[i] == '\n') {
            ++position.line;
            position.column = 1;
        } else {
            ++position.column;
        }
    }
    return position;
}

[[noreturn]] void failField(const QString& source, const std::string& field, const std::string& expected) {
    throw SceneError(QStringLiteral("%1: the field \"%2\" should be %3.")
                         .arg(source, QString::fromStdString(field), QString::fromStdString(expected))
                         .toStdString());
}

const Json* member(const Json& object, const char* name) {
    const auto found = object.find(name);
    return found == object.end() ? nullptr : &*found;
}

QString stringField(const Json& object, const char* name, const QString& source, const std::string& path) {
    const Json* value = member(object, name);
    if (!value) {
        return {};
    }
    if (!value->is_string()) {
        failField(source, path + name, "text in quotes");
    }
    return QString::fromStdString(value->get<std::string>());
}

double numberField(const Json& object, const char* name, double fallback, const QString& source,
                   const std::string& path) {
    const Json* value = member(object, name);
    if (!value) {
        return fallback;
    }
    if (!value->is_number() || !std::isfinite(value->get<double>())) {
        failField(source, path + name, "a finite number");
    }
    return value->get<double>();
}

Json vectorToJson(const Eigen::Vector3d& vector) {
    return Json::array({vector.x(), vector.y(), vector.z()});
}

Eigen::Vector3d vectorFromJson(const Json& object, const char* name, const QString& source) {
    const Json* value = member(object, name);
    const std::string field = std::string("camera.") + name;
    if (!value || !value->is_array() || value->size() != 3) {
        failField(source, field, "a list of three numbers");
    }
    Eigen::Vector3d vector;
    for (int i = 0; i < 3; ++i) {
        const Json& entry = (*value)[static_cast<std::size_t>(i)];
        if (!entry.is_number() || !std::isfinite(entry.get<double>())) {
            failField(source, field, "a list of three finite numbers");
        }
        vector[i] = entry.get<double>();
    }
    return vector;
}

Json parametersToJson(const ParameterValues& values) {
    Json object = Json::object();
    for (const auto& [name, value] : values.all()) {
        std::visit([&object, &name](const auto& held) { object[name] = held; }, value);
    }
    return object;
}

// JSON keeps whole numbers apart from reals, which is all ParameterValues needs: a whole number read for
// a Real parameter is still read as a real by ParameterValues::real().
ParameterValues parametersFromJson(const Json& object, const QString& source, const std::string& path) {
    if (!object.is_object()) {
        failField(source, path, "an object of parameter names and values");
    }
    ParameterValues values;
    for (const auto& [name, value] : object.items()) {
        if (value.is_boolean()) {
            values.set(name, value.get<bool>());
        } else if (value.is_number_integer()) {
            values.set(name, value.get<long long>());
        } else if (value.is_number() && std::isfinite(value.get<double>())) {
            values.set(name, value.get<double>());
        } else if (value.is_string()) {
            values.set(name, value.get<std::string>());
        } else {
            failField(source, path + "." + name, "a number, true or false, or text in quotes");
        }
    }
    return values;
}

Json cameraToJson(const CameraState& camera) {
    return Json{{"position", vectorToJson(camera.position)},
                {"focal_point", vectorToJson(camera.focalPoint)},
                {"view_up", vectorToJson(camera.viewUp)},
                {"parallel_scale", camera.parallelScale},
                {"view_angle", camera.viewAngle}};
}

CameraState cameraFromJson(const Json& object, const QString& source) {
    if (!object.is_object()) {
        failField(source, "camera", "an object");
    }
    CameraState camera;
    camera.position = vectorFromJson(object, "position", source);
    camera.focalPoint = vectorFromJson(object, "focal_point", source);
    camera.viewUp = vectorFromJson(object, "view_up", source);
    camera.parallelScale = numberField(object, "parallel_scale", 1.0, source, "camera.");
    camera.viewAngle = numberField(object, "view_angle", 30.0, source, "camera.");
    if (camera.parallelScale <= 0.0 || camera.viewAngle <= 0.0 || camera.viewAngle >= 180.0) {
        failField(source, "camera", "a camera with a positive scale and a view angle below 180 degrees");
    }
    return camera;
}

SceneData dataFromJson(const Json& object, const QString& source) {
    if (!object.is_object()) {
        failField(source, "data", "an object");
    }
    SceneData data;
    if (const Json* parameters = member(object, "parameters")) {
        data.parameters = parametersFromJson(*parameters, source, "data.parameters");
    }
    data.file = stringField(object, "file", source, "data.");
    data.sha256 = stringField(object, "sha256", source, "data.").toLower();
    return data;
}

SceneExportSettings exportFromJson(const Json& object, const QString& source) {
    if (!object.is_object()) {
        failField(source, "export", "an object");
    }
    SceneExportSettings settings;
    const double width = numberField(object, "width", 0.0, source, "export.");
    const double height = numberField(object, "height", 0.0, source, "export.");
    if (width < 0.0 || height < 0.0 || width > 16384.0 || height > 16384.0 ||
        (width == 0.0) != (height == 0.0)) {
        failField(source, "export", "a width and a height both between 1 and 16384 pixels, or neither");
    }
    settings.width = static_cast<int>(width);
    settings.height = static_cast<int>(height);
    settings.scale = numberField(object, "scale", 1.0, source, "export.");
    if (settings.scale < 0.25 || settings.scale > 8.0) {
        failField(source, "export.scale", "a number between 0.25 and 8");
    }
    if (const Json* transparent = member(object, "transparent_background")) {
        if (!transparent->is_boolean()) {
            failField(source, "export.transparent_background", "true or false");
        }
        settings.transparentBackground = transparent->get<bool>();
    }
    return settings;
}

std::vector<double> timelineFromJson(const Json& value, const QString& source) {
    if (!value.is_array()) {
        failField(source, "timeline", "a list of iteration numbers");
    }
    std::vector<double> positions;
    for (const Json& entry : value) {
        if (!entry.is_number() || entry.get<double>() < 0.0) {
            failField(source, "timeline", "a list of iteration numbers of at least 0");
        }
        positions.push_back(entry.get<double>());
    }
    return positions;
}

Json parseJson(const std::string& text, const QString& source) {
    try {
        return Json::parse(text);
    } catch (const Json::parse_error& error) {
        const TextPosition position = positionOfByte(text, error.byte);
        throw SceneError(QStringLiteral("%1:%2:%3: this is not valid JSON (a scene file is a JSON object).")
                             .arg(source)
                             .arg(position.line)
                             .arg(position.column)
                             .toStdString());
    }
}

} // namespace

Scene parseScene(const std::string& text, const QString& source) {
    const Json root = parseJson(text, source);
    if (!root.is_object()) {
        throw SceneError(
            QStringLiteral("%1: a scene file is a JSON object { … }.").arg(source).toStdString());
    }
    if (stringField(root, "format", source, "") != QLatin1String(formatName)) {
        failField(source, "format", "\"locallab-scene\"");
    }
    const double version = numberField(root, "version", 0.0, source, "");
    if (version < 1.0 || version != std::floor(version)) {
        failField(source, "version", "a whole number from 1");
    }
    if (version > Scene::currentVersion) {
        throw SceneError(
            QStringLiteral("%1: the scene is of version %2, newer than this LocalLab reads (%3). "
                           "Open it with a newer LocalLab.")
                .arg(source)
                .arg(static_cast<int>(version))
                .arg(Scene::currentVersion)
                .toStdString());
    }

    Scene scene;
    scene.title = stringField(root, "title", source, "");
    scene.explanation = stringField(root, "explanation", source, "");
    scene.explorer = stringField(root, "explorer", source, "");
    if (scene.explorer.isEmpty()) {
        failField(source, "explorer", "the title of an explorer, such as \"Density & MeanShift\"");
    }
    if (const Json* data = member(root, "data")) {
        scene.data = dataFromJson(*data, source);
    }
    if (const Json* parameters = member(root, "parameters")) {
        scene.parameters = parametersFromJson(*parameters, source, "parameters");
    }
    if (const Json* camera = member(root, "camera")) {
        scene.camera = cameraFromJson(*camera, source);
    }
    if (const Json* timeline = member(root, "timeline")) {
        scene.timelinePositions = timelineFromJson(*timeline, source);
    }
    if (const Json* pages = member(root, "pages")) {
        if (!pages->is_array()) {
            failField(source, "pages", "a list of tab numbers");
        }
        for (const Json& entry : *pages) {
            if (!entry.is_number_integer() || entry.get<long long>() < 0 || entry.get<long long>() > 64) {
                failField(source, "pages", "a list of tab numbers from 0");
            }
            scene.pages.push_back(static_cast<int>(entry.get<long long>()));
        }
    }
    if (const Json* exportSettings = member(root, "export")) {
        scene.exportSettings = exportFromJson(*exportSettings, source);
    }
    return scene;
}

Scene readSceneFile(const QString& path) {
    QFile file(path);
    const QString name = QFileInfo(path).fileName();
    if (!file.open(QIODevice::ReadOnly)) {
        throw SceneError(
            QStringLiteral("%1: the file cannot be read (%2).").arg(path, file.errorString()).toStdString());
    }
    const QByteArray bytes = file.readAll();
    if (bytes.trimmed().isEmpty()) {
        throw SceneError(
            QStringLiteral("%1: the file is empty; a scene file is a JSON object.").arg(name).toStdString());
    }
    return parseScene(bytes.toStdString(), name);
}

Scene readSceneOrImage(const QString& path) {
    const QFileInfo info(path);
    if (info.suffix().compare(QStringLiteral("svg"), Qt::CaseInsensitive) == 0) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            throw SceneError(QStringLiteral("%1 cannot be read: %2.")
                                 .arg(info.fileName(), file.errorString())
                                 .toStdString());
        }
        const QString text = sceneJsonInSvg(file.readAll());
        if (text.isEmpty()) {
            throw SceneError(
                QStringLiteral("%1 holds no LocalLab scene: only SVG figures exported by LocalLab do.")
                    .arg(info.fileName())
                    .toStdString());
        }
        return parseScene(text.toStdString(), info.fileName());
    }
    if (info.suffix().compare(QStringLiteral("png"), Qt::CaseInsensitive) != 0) {
        return readSceneFile(path);
    }
    // The whole image is read, not just its header: QImageReader::text() folds the white space of the text.
    const QString text = QImage(path).text(sceneImageTextKey);
    if (text.isEmpty()) {
        throw SceneError(
            QStringLiteral("%1 holds no LocalLab scene: only PNG images exported by LocalLab do.")
                .arg(info.fileName())
                .toStdString());
    }
    return parseScene(text.toStdString(), info.fileName());
}

std::string sceneToJson(const Scene& scene) {
    Json root{{"format", formatName}, {"version", Scene::currentVersion}};
    if (!scene.title.isEmpty()) {
        root["title"] = scene.title.toStdString();
    }
    if (!scene.explanation.isEmpty()) {
        root["explanation"] = scene.explanation.toStdString();
    }
    Json data{{"parameters", parametersToJson(scene.data.parameters)}};
    if (!scene.data.file.isEmpty()) {
        data["file"] = scene.data.file.toStdString();
        data["sha256"] = scene.data.sha256.toStdString();
    }
    root["data"] = data;
    root["explorer"] = scene.explorer.toStdString();
    root["parameters"] = parametersToJson(scene.parameters);
    if (scene.camera) {
        root["camera"] = cameraToJson(*scene.camera);
    }
    if (!scene.timelinePositions.empty()) {
        root["timeline"] = scene.timelinePositions;
    }
    if (!scene.pages.empty()) {
        root["pages"] = scene.pages;
    }
    const SceneExportSettings& settings = scene.exportSettings;
    Json exportObject{{"scale", settings.scale}};
    if (settings.width > 0 && settings.height > 0) {
        exportObject["width"] = settings.width;
        exportObject["height"] = settings.height;
    }
    if (settings.transparentBackground) {
        exportObject["transparent_background"] = true;
    }
    root["export"] = exportObject;
    return root.dump(2);
}

QString fileSha256(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file)) {
        return {};
    }
    return QString::fromLatin1(hash.result().toHex());
}

} // namespace locallab
