#include "locallab/widgets/iteration_timeline.hpp"

#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <algorithm>
#include <cmath>

namespace locallab {

namespace {

constexpr int frameMilliseconds = 33;

QToolButton* makeButton(QWidget* parent, QStyle::StandardPixmap icon, const QString& tip,
                        const QString& name) {
    auto* button = new QToolButton(parent);
    button->setIcon(parent->style()->standardIcon(icon));
    button->setToolTip(tip);
    button->setObjectName(name);
    button->setAutoRaise(true);
    button->setIconSize(QSize(22, 22));
    return button;
}

} // namespace

IterationTimeline::IterationTimeline(QWidget* parent) : QWidget(parent) {
    startButton_ = makeButton(this, QStyle::SP_MediaSkipBackward, tr("First iteration (Home)"),
                              QStringLiteral("timelineStart"));
    backButton_ = makeButton(this, QStyle::SP_MediaSeekBackward, tr("One iteration back (Left arrow)"),
                             QStringLiteral("timelineBack"));
    playButton_ =
        makeButton(this, QStyle::SP_MediaPlay, tr("Play or pause (Space)"), QStringLiteral("timelinePlay"));
    forwardButton_ = makeButton(this, QStyle::SP_MediaSeekForward, tr("One iteration forward (Right arrow)"),
                                QStringLiteral("timelineForward"));
    endButton_ = makeButton(this, QStyle::SP_MediaSkipForward, tr("Last iteration (End)"),
                            QStringLiteral("timelineEnd"));
    slider_ = new QSlider(Qt::Horizontal, this);
    slider_->setObjectName(QStringLiteral("timelineSlider"));
    slider_->setToolTip(tr("Drag to scrub through the iterations"));
    speed_ = new QComboBox(this);
    speed_->setObjectName(QStringLiteral("timelineSpeed"));
    speed_->setToolTip(tr("Playback speed in iterations per second"));
    for (const double rate : {1.0, 2.0, 4.0, 8.0, 16.0}) {
        speed_->addItem(tr("%1 it/s").arg(rate), rate);
    }
    speed_->setCurrentIndex(2);
    label_ = new QLabel(this);
    label_->setObjectName(QStringLiteral("timelineLabel"));
    label_->setMinimumWidth(label_->fontMetrics().horizontalAdvance(QStringLiteral("iteration 000 of 000")));
    timer_ = new QTimer(this);
    timer_->setInterval(frameMilliseconds);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    for (QWidget* widget : {static_cast<QWidget*>(startButton_), static_cast<QWidget*>(backButton_),
                            static_cast<QWidget*>(playButton_), static_cast<QWidget*>(forwardButton_),
                            static_cast<QWidget*>(endButton_)}) {
        layout->addWidget(widget);
    }
    layout->addWidget(slider_, 1);
    layout->addWidget(label_);
    layout->addWidget(speed_);

    connect(startButton_, &QToolButton::clicked, this, &IterationTimeline::goToStart);
    connect(backButton_, &QToolButton::clicked, this, &IterationTimeline::stepBack);
    connect(playButton_, &QToolButton::clicked, this, &IterationTimeline::togglePlay);
    connect(forwardButton_, &QToolButton::clicked, this, &IterationTimeline::stepForward);
    connect(endButton_, &QToolButton::clicked, this, &IterationTimeline::goToEnd);
    connect(slider_, &QSlider::valueChanged, this, [this](int value) {
        pause();
        setPosition(static_cast<double>(value) / sliderStepsPerIteration);
    });
    connect(timer_, &QTimer::timeout, this, &IterationTimeline::advance);
    updateControls();
}

void IterationTimeline::watchKeysOf(QWidget* widget) {
    widget->installEventFilter(this);
}

bool IterationTimeline::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() != QEvent::KeyPress) {
        return QWidget::eventFilter(watched, event);
    }
    const auto* key = static_cast<QKeyEvent*>(event);
    if (key->modifiers() != Qt::NoModifier && key->modifiers() != Qt::KeypadModifier) {
        return false;
    }
    switch (key->key()) {
    case Qt::Key_Space:
        togglePlay();
        return true;
    case Qt::Key_Right:
        stepForward();
        return true;
    case Qt::Key_Left:
        stepBack();
        return true;
    case Qt::Key_Home:
        goToStart();
        return true;
    case Qt::Key_End:
        goToEnd();
        return true;
    default:
        return false;
    }
}

void IterationTimeline::setLastIteration(int lastIteration) {
    lastIteration_ = std::max(lastIteration, 0);
    {
        const QSignalBlocker blocker(slider_);
        slider_->setRange(0, lastIteration_ * sliderStepsPerIteration);
    }
    if (position_ > lastIteration_) {
        position_ = lastIteration_;
    }
    updateControls();
}

bool IterationTimeline::isPlaying() const {
    return timer_->isActive();
}

void IterationTimeline::setPosition(double iteration) {
    const double clamped = std::clamp(iteration, 0.0, static_cast<double>(lastIteration_));
    if (clamped == position_) {
        updateControls();
        return;
    }
    position_ = clamped;
    updateControls();
    emit positionChanged(position_);
}

void IterationTimeline::play() {
    if (isPlaying() || lastIteration_ == 0) {
        return;
    }
    if (position_ >= lastIteration_) {
        setPosition(0.0); // playing from the end starts over
    }
    timer_->start();
    updateControls();
    emit playingChanged(true);
}

void IterationTimeline::pause() {
    if (!isPlaying()) {
        return;
    }
    timer_->stop();
    updateControls();
    emit playingChanged(false);
}

void IterationTimeline::togglePlay() {
    isPlaying() ? pause() : play();
}

void IterationTimeline::stepForward() {
    pause();
    setPosition(std::floor(position_ + 1e-9) + 1.0);
}

void IterationTimeline::stepBack() {
    pause();
    setPosition(std::ceil(position_ - 1e-9) - 1.0);
}

void IterationTimeline::goToStart() {
    pause();
    setPosition(0.0);
}

void IterationTimeline::goToEnd() {
    pause();
    setPosition(lastIteration_);
}

double IterationTimeline::iterationsPerSecond() const {
    return speed_->currentData().toDouble();
}

void IterationTimeline::advance() {
    const double next = position_ + iterationsPerSecond() * frameMilliseconds / 1000.0;
    setPosition(next);
    if (next >= lastIteration_) {
        pause();
    }
}

void IterationTimeline::updateControls() {
    {
        const QSignalBlocker blocker(slider_);
        slider_->setValue(static_cast<int>(std::lround(position_ * sliderStepsPerIteration)));
    }
    playButton_->setIcon(style()->standardIcon(isPlaying() ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    label_->setText(
        tr("iteration %1 of %2").arg(static_cast<int>(std::floor(position_ + 1e-9))).arg(lastIteration_));
}

} // namespace locallab
