#pragma once
// What the scene tests share: a window that opens a scene and waits for its picture, and pixel
// measures of an exported figure that hold whatever the explorer draws.

#include "main_window.hpp"
#include "scene/scene_controller.hpp"

#include <QImage>
#include <QTest>
#include <cmath>

namespace locallab::test {

constexpr int scenePictureTimeoutMilliseconds = 90000;

// Opens the scene (a file or a gallery resource) and waits until its picture is complete.
inline bool openSceneAndWait(MainWindow& window, const QString& path) {
    return window.openScene(path) &&
           window.sceneController()->waitForPicture(scenePictureTimeoutMilliseconds);
}

inline double luminance(QRgb pixel) {
    return 0.2126 * qRed(pixel) + 0.7152 * qGreen(pixel) + 0.0722 * qBlue(pixel);
}

// The fraction of pixels in `region` that differ clearly from the image's corner (the background).
inline double coveredFraction(const QImage& image, const QRect& region) {
    const QRgb background = image.pixel(1, 1);
    long long covered = 0;
    long long total = 0;
    for (int y = region.top(); y <= region.bottom(); y += 2) {
        for (int x = region.left(); x <= region.right(); x += 2) {
            const QRgb pixel = image.pixel(x, y);
            const int difference = std::abs(qRed(pixel) - qRed(background)) +
                                   std::abs(qGreen(pixel) - qGreen(background)) +
                                   std::abs(qBlue(pixel) - qBlue(background));
            covered += difference > 60 ? 1 : 0;
            ++total;
        }
    }
    return total > 0 ? static_cast<double>(covered) / static_cast<double>(total) : 0.0;
}

// Pixels as dark as text ink (light theme) in `region`.
inline long long inkPixels(const QImage& image, const QRect& region) {
    long long ink = 0;
    for (int y = region.top(); y <= region.bottom(); ++y) {
        for (int x = region.left(); x <= region.right(); ++x) {
            ink += luminance(image.pixel(x, y)) < 90.0 ? 1 : 0;
        }
    }
    return ink;
}

// The mean absolute difference of two images of the same size, per channel, in 0..255.
inline double meanAbsoluteDifference(const QImage& first, const QImage& second) {
    if (first.size() != second.size()) {
        return 255.0;
    }
    double sum = 0.0;
    for (int y = 0; y < first.height(); ++y) {
        for (int x = 0; x < first.width(); ++x) {
            const QRgb a = first.pixel(x, y);
            const QRgb b = second.pixel(x, y);
            sum +=
                std::abs(qRed(a) - qRed(b)) + std::abs(qGreen(a) - qGreen(b)) + std::abs(qBlue(a) - qBlue(b));
        }
    }
    return sum / (3.0 * first.width() * first.height());
}

} // namespace locallab::test
