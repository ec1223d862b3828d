#pragma once
// Three captioned pictures and a paragraph that explains them, arranged for the largest pictures: in
// one row with the paragraph below when the space is wide, two by two with the paragraph in the fourth
// cell when it is tall (a window of ordinary proportions with panels on both sides).

#include <QWidget>
#include <array>

class QLabel;

namespace locallab {

class CaptionedImageView;

class PictureGrid : public QWidget {
    Q_OBJECT

public:
    PictureGrid(const std::array<CaptionedImageView*, 3>& views, QLabel* explanation,
                QWidget* parent = nullptr);

    // Places the pictures again; called on resizing and when the pictures' proportions change.
    void arrange();
    bool isInOneRow() const { return inOneRow_; }

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void arrangeInOneRow();
    void arrangeTwoByTwo();

    std::array<CaptionedImageView*, 3> views_;
    QLabel* explanation_;
    bool inOneRow_ = true;
};

} // namespace locallab
