#include "export_dialog.hpp"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <cmath>

namespace locallab {

ExportDialog::ExportDialog(const SceneExportSettings& initial, const QSize& viewSize, QWidget* parent)
    : QDialog(parent), viewSize_(viewSize) {
    setWindowTitle(tr("Export image"));
    setObjectName(QStringLiteral("exportDialog"));

    scaledSize_ = new QRadioButton(tr("The view's size times the scale"));
    exactSize_ = new QRadioButton(tr("Exactly"));
    width_ = new QSpinBox;
    height_ = new QSpinBox;
    for (QSpinBox* box : {width_, height_}) {
        box->setRange(16, 16384);
        box->setSuffix(tr(" px"));
    }
    width_->setObjectName(QStringLiteral("exportWidth"));
    height_->setObjectName(QStringLiteral("exportHeight"));
    width_->setValue(initial.width > 0 ? initial.width : 1920);
    height_->setValue(initial.height > 0 ? initial.height : 1080);
    (initial.width > 0 ? exactSize_ : scaledSize_)->setChecked(true);
    scale_ = new QDoubleSpinBox;
    scale_->setObjectName(QStringLiteral("exportScale"));
    scale_->setRange(0.25, 8.0);
    scale_->setSingleStep(0.5);
    scale_->setDecimals(2);
    scale_->setValue(initial.width > 0 ? initial.scale : std::max(initial.scale, 2.0));
    scale_->setToolTip(tr("Text, markers and lines are this many times their size on a normal screen."));
    transparent_ = new QCheckBox(tr("Transparent background"));
    transparent_->setChecked(initial.transparentBackground);
    sizeNote_ = new QLabel;

    auto* exactRow = new QHBoxLayout;
    exactRow->addWidget(exactSize_);
    exactRow->addWidget(width_);
    exactRow->addWidget(new QLabel(QStringLiteral("×")));
    exactRow->addWidget(height_);
    exactRow->addStretch();
    auto* form = new QFormLayout;
    form->addRow(tr("Size:"), scaledSize_);
    form->addRow(QString(), exactRow);
    form->addRow(tr("Scale:"), scale_);
    form->addRow(QString(), sizeNote_);
    form->addRow(QString(), transparent_);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    save_ = buttons->addButton(tr("Save as PNG, SVG or PDF…"), QDialogButtonBox::AcceptRole);
    save_->setDefault(true);
    copy_ = buttons->addButton(tr("Copy to clipboard"), QDialogButtonBox::AcceptRole);
    connect(save_, &QPushButton::clicked, this, [this] { destination_ = Destination::File; });
    connect(copy_, &QPushButton::clicked, this, [this] { destination_ = Destination::Clipboard; });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);

    for (QRadioButton* button : {scaledSize_, exactSize_}) {
        connect(button, &QRadioButton::toggled, this, &ExportDialog::updateSizeNote);
    }
    connect(scale_, &QDoubleSpinBox::valueChanged, this, &ExportDialog::updateSizeNote);
    connect(width_, &QSpinBox::valueChanged, this, &ExportDialog::updateSizeNote);
    connect(height_, &QSpinBox::valueChanged, this, &ExportDialog::updateSizeNote);
    updateSizeNote();
}

ExportDialog* ExportDialog::forAnimation(const SceneExportSettings& initial, const QSize& viewSize,
                                         int lastIteration, QWidget* parent) {
    auto* dialog = new ExportDialog(initial, viewSize, parent);
    dialog->setWindowTitle(tr("Export animation"));
    dialog->setObjectName(QStringLiteral("animationDialog"));
    dialog->addAnimationRows(lastIteration);
    return dialog;
}

void ExportDialog::addAnimationRows(int lastIteration) {
    lastIteration_ = lastIteration;
    framesPerSecond_ = new QSpinBox;
    framesPerSecond_->setObjectName(QStringLiteral("animationFramesPerSecond"));
    framesPerSecond_->setRange(1, 60);
    framesPerSecond_->setValue(10);
    framesPerSecond_->setSuffix(tr(" frames per second"));
    framesPerIteration_ = new QSpinBox;
    framesPerIteration_->setObjectName(QStringLiteral("animationFramesPerIteration"));
    framesPerIteration_->setRange(1, 30);
    framesPerIteration_->setValue(lastIteration < 30 ? 4 : 1);
    framesPerIteration_->setSuffix(tr(" per iteration"));
    framesPerIteration_->setToolTip(tr("More frames move smoothly between the iterations."));
    frameNote_ = new QLabel;
    auto* form = findChild<QFormLayout*>();
    form->addRow(tr("Frame rate:"), framesPerSecond_);
    form->addRow(tr("Frames:"), framesPerIteration_);
    form->addRow(QString(), frameNote_);
    save_->setText(tr("Save as GIF, Ogg video or PNG frames…"));
    copy_->hide();
    // Movies have no alpha channel; a PNG sequence keeps it.
    transparent_->setText(tr("Transparent background (PNG frames only)"));
    connect(framesPerSecond_, &QSpinBox::valueChanged, this, &ExportDialog::updateSizeNote);
    connect(framesPerIteration_, &QSpinBox::valueChanged, this, &ExportDialog::updateSizeNote);
    updateSizeNote();
}

double ExportDialog::framesPerSecond() const {
    return framesPerSecond_ ? framesPerSecond_->value() : 10.0;
}

int ExportDialog::framesPerIteration() const {
    return framesPerIteration_ ? framesPerIteration_->value() : 1;
}

SceneExportSettings ExportDialog::settings() const {
    SceneExportSettings settings;
    if (exactSize_->isChecked()) {
        settings.width = width_->value();
        settings.height = height_->value();
    }
    settings.scale = scale_->value();
    settings.transparentBackground = transparent_->isChecked();
    return settings;
}

void ExportDialog::updateSizeNote() {
    width_->setEnabled(exactSize_->isChecked());
    height_->setEnabled(exactSize_->isChecked());
    const QSize size = exactSize_->isChecked()
                           ? QSize(width_->value(), height_->value())
                           : QSize(static_cast<int>(std::lround(viewSize_.width() * scale_->value())),
                                   static_cast<int>(std::lround(viewSize_.height() * scale_->value())));
    sizeNote_->setText(tr("The image will be %1 × %2 pixels.").arg(size.width()).arg(size.height()));
    if (frameNote_) {
        const int frames = lastIteration_ * framesPerIteration_->value() + 1;
        frameNote_->setText(
            tr("%1 iterations: %2 frames, %3 s.")
                .arg(lastIteration_)
                .arg(frames)
                .arg(QString::number(frames / static_cast<double>(framesPerSecond_->value()), 'f', 1)));
    }
}

} // namespace locallab
