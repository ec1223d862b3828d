#pragma once
// One picture with a caption above it: a title in large bold type and up to two lines of detail (its
// size, a segment count), drawn large enough to read from the back of a lecture hall. The picture is scaled
// to fill the space left with its aspect ratio kept; caption and picture are centred together.

#include <QImage>
#include <QString>
#include <QWidget>

namespace locallab {

class CaptionedImageView : public QWidget {
    Q_OBJECT

public:
    explicit CaptionedImageView(const QString& title, QWidget* parent = nullptr);

    void setImage(const QImage& image);
    // Lines are separated by '\n'; a line too long for the width is elided.
    void setDetail(const QString& detail);

    const QImage& image() const { return image_; }
    QString title() const { return title_; }
    QString detail() const { return detail_; }
    // Where the picture is drawn, in widget coordinates (empty without a picture).
    QRect imageRect() const;
    // How much the picture would be enlarged in a view of this size (0 without a picture).
    double scaleIn(const QSize& size) const;

    QSize minimumSizeHint() const override;
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QFont titleFont() const;
    QFont detailFont() const;
    int captionHeight() const;
    // The y of the caption's top when a picture this high is drawn below it.
    int blockTop(int imageHeight) const;

    QString title_;
    QString detail_;
    QImage image_;
};

} // namespace locallab
