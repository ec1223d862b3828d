#include "explorers/synthetic_picture.hpp"

#include <QColor>
#include <QPainter>
#include <QPainterPath>
#include <QPolygonF>
#include <algorithm>
#include <cmath>
#include <random>

namespace locallab {

namespace {

constexpr int pictureWidth = 240;
constexpr int pictureHeight = 180;
constexpr double noiseStandardDeviation = 9.0; // in 0..255 units, per channel
constexpr unsigned noiseSeed = 2002;           // the year of Comaniciu & Meer's paper

// A diagonal gradient from a deep blue at the top left to a pale one at the bottom right.
QColor backgroundAt(int x, int y) {
    const double t = (double(x) / pictureWidth + double(y) / pictureHeight) / 2.0;
    return QColor::fromRgbF(float(0.25 + 0.45 * t), float(0.40 + 0.40 * t), float(0.65 + 0.25 * t));
}

void drawShapes(QImage& picture) {
    QPainter painter(&picture);
    painter.setRenderHint(QPainter::Antialiasing, false); // hard edges, as between objects in a photo
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(210, 50, 45));
    painter.drawEllipse(QPointF(68, 78), 42, 42);
    painter.setBrush(QColor(45, 155, 75));
    painter.drawRect(128, 96, 86, 64);
    painter.setBrush(QColor(240, 200, 50));
    painter.drawPolygon(QPolygonF({QPointF(168, 12), QPointF(228, 78), QPointF(112, 78)}));
    painter.setBrush(QColor(60, 45, 70));
    painter.drawEllipse(QPointF(52, 152), 26, 14);
}

void addNoise(QImage& picture) {
    std::mt19937 generator(noiseSeed);
    std::normal_distribution<double> noise(0.0, noiseStandardDeviation);
    for (int y = 0; y < picture.height(); ++y) {
        uchar* line = picture.scanLine(y);
        for (int i = 0; i < 3 * picture.width(); ++i) {
            line[i] = static_cast<uchar>(std::clamp(std::lround(line[i] + noise(generator)), 0L, 255L));
        }
    }
}

} // namespace

QImage syntheticTestPicture() {
    QImage picture(pictureWidth, pictureHeight, QImage::Format_RGB888);
    for (int y = 0; y < pictureHeight; ++y) {
        for (int x = 0; x < pictureWidth; ++x) {
            picture.setPixelColor(x, y, backgroundAt(x, y));
        }
    }
    drawShapes(picture);
    addNoise(picture);
    return picture;
}

} // namespace locallab
