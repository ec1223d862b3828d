#include "explorers/captioned_image_view.hpp"

#include <QFontMetrics>
#include <QPainter>
#include <QStringList>
#include <algorithm>

namespace locallab {

namespace {

// Pixel sizes, not points: the captions must stay this large whatever the desktop's font settings.
constexpr int titlePixelSize = 24;
constexpr int detailPixelSize = 19;
constexpr int margin = 8;
constexpr int gapBelowCaption = 6;
// Every view keeps room for this many detail lines, so that pictures side by side start at one height.
constexpr int detailLineCount = 2;

} // namespace

CaptionedImageView::CaptionedImageView(const QString& title, QWidget* parent)
    : QWidget(parent), title_(title) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void CaptionedImageView::setImage(const QImage& image) {
    image_ = image;
    update();
}

void CaptionedImageView::setDetail(const QString& detail) {
    detail_ = detail;
    update();
}

QFont CaptionedImageView::titleFont() const {
    QFont font = this->font();
    font.setPixelSize(titlePixelSize);
    font.setBold(true);
    return font;
}

QFont CaptionedImageView::detailFont() const {
    QFont font = this->font();
    font.setPixelSize(detailPixelSize);
    return font;
}

int CaptionedImageView::captionHeight() const {
    return margin + QFontMetrics(titleFont()).height() +
           detailLineCount * QFontMetrics(detailFont()).height() + gapBelowCaption;
}

QRect CaptionedImageView::imageRect() const {
    if (image_.isNull()) {
        return {};
    }
    const QSize available(width() - 2 * margin, height() - captionHeight() - margin);
    if (available.width() <= 0 || available.height() <= 0) {
        return {};
    }
    const QSize size = image_.size().scaled(available, Qt::KeepAspectRatio);
    return QRect((width() - size.width()) / 2, blockTop(size.height()) + captionHeight(), size.width(),
                 size.height());
}

double CaptionedImageView::scaleIn(const QSize& size) const {
    if (image_.isNull()) {
        return 0.0;
    }
    const double available = std::min(double(size.width() - 2 * margin) / image_.width(),
                                      double(size.height() - captionHeight() - margin) / image_.height());
    return std::max(0.0, available);
}

int CaptionedImageView::blockTop(int imageHeight) const {
    // Caption and picture are centred together, so that they stay one unit in a tall view.
    return std::max(0, (height() - captionHeight() - imageHeight - margin) / 2);
}

QSize CaptionedImageView::minimumSizeHint() const {
    return {160, captionHeight() + 120};
}

QSize CaptionedImageView::sizeHint() const {
    return {360, captionHeight() + 300};
}

void CaptionedImageView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().window());
    const QRect target = imageRect();
    const int top = blockTop(target.height()) + margin;
    const int textWidth = width() - 2 * margin;
    const QFontMetrics titleMetrics(titleFont());
    const QFontMetrics detailMetrics(detailFont());
    painter.setPen(palette().windowText().color());
    painter.setFont(titleFont());
    painter.drawText(QRect(margin, top, textWidth, titleMetrics.height()),
                     Qt::AlignHCenter | Qt::AlignVCenter,
                     titleMetrics.elidedText(title_, Qt::ElideRight, textWidth));
    painter.setFont(detailFont());
    const QStringList lines = detail_.split(QLatin1Char('\n'));
    for (int line = 0; line < std::min<int>(detailLineCount, static_cast<int>(lines.size())); ++line) {
        const QRect lineRect(margin, top + titleMetrics.height() + line * detailMetrics.height(), textWidth,
                             detailMetrics.height());
        painter.drawText(lineRect, Qt::AlignHCenter | Qt::AlignVCenter,
                         detailMetrics.elidedText(lines[line], Qt::ElideRight, textWidth));
    }
    if (!target.isEmpty()) {
        // Blown up at least twice, a small picture is drawn in whole pixels so that what the filter did to
        // each pixel shows; otherwise smoothly, which avoids uneven pixel sizes.
        const bool blownUp = target.width() >= 2 * image_.width();
        painter.setRenderHint(QPainter::SmoothPixmapTransform, !blownUp);
        painter.drawImage(target, image_);
        painter.setPen(QPen(palette().mid().color(), 1));
        painter.drawRect(target.adjusted(0, 0, -1, -1));
    }
}

} // namespace locallab
