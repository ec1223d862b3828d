#pragma once
// A timeline through the iterations of an algorithm: play and pause, a step either way, a speed, and a
// slider to scrub. The position is a real number of iterations, so that playback moves smoothly
// between steps; stepping lands on whole iterations. Space, the arrow keys, Home and End work in the
// widgets handed to watchKeysOf (the plot, typically).

#include <QWidget>

class QComboBox;
class QLabel;
class QSlider;
class QTimer;
class QToolButton;

namespace locallab {

class IterationTimeline : public QWidget {
    Q_OBJECT

public:
    explicit IterationTimeline(QWidget* parent = nullptr);

    // The last iteration there is; the position is clamped into [0, lastIteration].
    void setLastIteration(int lastIteration);
    int lastIteration() const { return lastIteration_; }
    double position() const { return position_; }
    bool isPlaying() const;

    // Space plays or pauses, Left and Right step, Home and End jump, while `widget` has the focus.
    void watchKeysOf(QWidget* widget);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

public:
public slots:
    void setPosition(double iteration);
    void play();
    void pause();
    void togglePlay();
    void stepForward();
    void stepBack();
    void goToStart();
    void goToEnd();

signals:
    void positionChanged(double iteration);
    void playingChanged(bool playing);

private:
    void advance();
    void updateControls();
    double iterationsPerSecond() const;

    static constexpr int sliderStepsPerIteration = 8;

    QToolButton* startButton_ = nullptr;
    QToolButton* backButton_ = nullptr;
    QToolButton* playButton_ = nullptr;
    QToolButton* forwardButton_ = nullptr;
    QToolButton* endButton_ = nullptr;
    QSlider* slider_ = nullptr;
    QComboBox* speed_ = nullptr;
    QLabel* label_ = nullptr;
    QTimer* timer_ = nullptr;
    int lastIteration_ = 0;
    double position_ = 0.0;
};

} // namespace locallab
