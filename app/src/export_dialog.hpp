#pragma once
// File → Export image: the figure's size (the view's size times a scale, or exact pixels with the
// text and markers scaled as chosen), a transparent background, and where it goes: a PNG file (which
// carries the scene, so dropping it on the window reopens the figure) or the clipboard.

#include "scene/scene.hpp"

#include <QDialog>
#include <QSize>

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QRadioButton;
class QSpinBox;

namespace locallab {

class ExportDialog : public QDialog {
    Q_OBJECT

public:
    enum class Destination { File, Clipboard };

    // `viewSize` is the view's size in logical pixels, for the "times a scale" choice.
    ExportDialog(const SceneExportSettings& initial, const QSize& viewSize, QWidget* parent = nullptr);

    SceneExportSettings settings() const;
    Destination destination() const { return destination_; }

private:
    void updateSizeNote();

    QSize viewSize_;
    QRadioButton* scaledSize_ = nullptr;
    QRadioButton* exactSize_ = nullptr;
    QSpinBox* width_ = nullptr;
    QSpinBox* height_ = nullptr;
    QDoubleSpinBox* scale_ = nullptr;
    QCheckBox* transparent_ = nullptr;
    QLabel* sizeNote_ = nullptr;
    Destination destination_ = Destination::File;
};

} // namespace locallab
