#include "explorers/picture_grid.hpp"

#include "explorers/captioned_image_view.hpp"

#include <QLabel>
#include <algorithm>

namespace locallab {

PictureGrid::PictureGrid(const std::array<CaptionedImageView*, 3>& views, QLabel* explanation,
                         QWidget* parent)
    : QWidget(parent), views_(views), explanation_(explanation) {
    for (auto* view : views_) {
        view->setParent(this);
    }
    explanation_->setParent(this);
    setMinimumSize(480, 360);
}

void PictureGrid::resizeEvent(QResizeEvent*) {
    arrange();
}

void PictureGrid::arrange() {
    const int rowHeight = height() - explanation_->heightForWidth(width());
    const double oneRowScale = views_[0]->scaleIn(QSize(width() / 3, rowHeight));
    const double twoByTwoScale = views_[0]->scaleIn(QSize(width() / 2, height() / 2));
    inOneRow_ = oneRowScale >= twoByTwoScale;
    if (inOneRow_) {
        arrangeInOneRow();
    } else {
        arrangeTwoByTwo();
    }
}

void PictureGrid::arrangeInOneRow() {
    const int explanationHeight = explanation_->heightForWidth(width());
    const int cellWidth = width() / 3;
    for (int column = 0; column < 3; ++column) {
        views_[static_cast<std::size_t>(column)]->setGeometry(column * cellWidth, 0, cellWidth,
                                                              height() - explanationHeight);
    }
    explanation_->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    explanation_->setGeometry(0, height() - explanationHeight, width(), explanationHeight);
}

void PictureGrid::arrangeTwoByTwo() {
    const int cellWidth = width() / 2;
    const int cellHeight = height() / 2;
    views_[0]->setGeometry(0, 0, cellWidth, cellHeight);
    views_[1]->setGeometry(cellWidth, 0, cellWidth, cellHeight);
    views_[2]->setGeometry(0, cellHeight, cellWidth, cellHeight);
    // The paragraph sits level with the segmented picture, beside it.
    const QRect picture = views_[2]->imageRect();
    const int explanationHeight = std::min(cellHeight, explanation_->heightForWidth(cellWidth));
    const int top = picture.isEmpty() ? cellHeight : cellHeight + picture.top();
    explanation_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    explanation_->setGeometry(cellWidth, std::min(top, height() - explanationHeight), cellWidth,
                              explanationHeight);
}

} // namespace locallab
