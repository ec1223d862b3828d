#pragma once
// File → Export image: the figure's size (the view's size times a scale, or exact pixels with the
// text and markers scaled as chosen), a transparent background, and where it goes: a PNG, SVG or PDF
// file (PNG and SVG carry the scene, so dropping them on the window reopens the figure) or the
// clipboard. File → Export animation uses the same dialog for its frames, with a frame rate and the
// number of frames drawn per iteration of the timeline.

#include "scene/scene.hpp"

#include <QDialog>
#include <QSize>

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QFormLayout;
class QPushButton;
class QRadioButton;
class QSpinBox;

namespace locallab {

class ExportDialog : public QDialog {
    Q_OBJECT

public:
    enum class Destination { File, Clipboard };

    // `viewSize` is the view's size in logical pixels, for the "times a scale" choice.
    ExportDialog(const SceneExportSettings& initial, const QSize& viewSize, QWidget* parent = nullptr);
    // The animation form: `lastIteration` is the timeline's, for the note on frames and duration.
    static ExportDialog* forAnimation(const SceneExportSettings& initial, const QSize& viewSize,
                                      int lastIteration, QWidget* parent);

    SceneExportSettings settings() const;
    Destination destination() const { return destination_; }
    double framesPerSecond() const;
    int framesPerIteration() const;

private:
    void updateSizeNote();
    void addAnimationRows(int lastIteration);

    QSize viewSize_;
    QRadioButton* scaledSize_ = nullptr;
    QRadioButton* exactSize_ = nullptr;
    QSpinBox* width_ = nullptr;
    QSpinBox* height_ = nullptr;
    QDoubleSpinBox* scale_ = nullptr;
    QCheckBox* transparent_ = nullptr;
    QLabel* sizeNote_ = nullptr;
    QSpinBox* framesPerSecond_ = nullptr;
    QSpinBox* framesPerIteration_ = nullptr;
    QLabel* frameNote_ = nullptr;
    QPushButton* save_ = nullptr;
    QPushButton* copy_ = nullptr;
    int lastIteration_ = 0;
    Destination destination_ = Destination::File;
};

} // namespace locallab
