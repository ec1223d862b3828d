// The timeline's contract: whole-iteration steps either way, clamped to [0, last]; play runs to the end
// and stops there, and starts over when pressed at the end; the slider scrubs; every move is signalled.

#include "locallab/widgets/iteration_timeline.hpp"

#include <QApplication>
#include <QSignalSpy>
#include <QSlider>
#include <QTest>
#include <QToolButton>

using locallab::IterationTimeline;

class TestIterationTimeline : public QObject {
    Q_OBJECT

private slots:
    void stepsLandOnWholeIterations_data();
    void stepsLandOnWholeIterations();
    void playRunsToTheEndAndStops();
    void playAtTheEndStartsOver();
    void sliderScrubsAndPauses();
    void shorterRunClampsThePosition();
};

void TestIterationTimeline::stepsLandOnWholeIterations_data() {
    QTest::addColumn<double>("start");
    QTest::addColumn<bool>("forward");
    QTest::addColumn<double>("expected");
    QTest::newRow("forward from a whole step") << 3.0 << true << 4.0;
    QTest::newRow("forward from between steps") << 3.4 << true << 4.0;
    QTest::newRow("back from between steps") << 3.4 << false << 3.0;
    QTest::newRow("back from a whole step") << 3.0 << false << 2.0;
    QTest::newRow("back at the start stays") << 0.0 << false << 0.0;
    QTest::newRow("forward at the end stays") << 10.0 << true << 10.0;
}

void TestIterationTimeline::stepsLandOnWholeIterations() {
    QFETCH(double, start);
    QFETCH(bool, forward);
    QFETCH(double, expected);
    IterationTimeline timeline;
    timeline.setLastIteration(10);
    timeline.setPosition(start);
    QSignalSpy moved(&timeline, &IterationTimeline::positionChanged);
    QToolButton* button = timeline.findChild<QToolButton*>(forward ? "timelineForward" : "timelineBack");
    QVERIFY(button);
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(timeline.position(), expected);
    QCOMPARE(moved.count(), expected == start ? 0 : 1);
}

void TestIterationTimeline::playRunsToTheEndAndStops() {
    IterationTimeline timeline;
    timeline.setLastIteration(2);
    timeline.setPosition(0.0);
    QSignalSpy playing(&timeline, &IterationTimeline::playingChanged);
    timeline.play();
    QVERIFY(timeline.isPlaying());
    QTRY_VERIFY_WITH_TIMEOUT(!timeline.isPlaying(), 5000); // 2 iterations at 4 per second
    QCOMPARE(timeline.position(), 2.0);
    QCOMPARE(playing.count(), 2);
}

void TestIterationTimeline::playAtTheEndStartsOver() {
    IterationTimeline timeline;
    timeline.setLastIteration(50);
    timeline.goToEnd();
    timeline.play();
    QVERIFY(timeline.position() < 1.0);
    timeline.pause();
}

void TestIterationTimeline::sliderScrubsAndPauses() {
    IterationTimeline timeline;
    timeline.setLastIteration(20);
    timeline.play();
    auto* slider = timeline.findChild<QSlider*>("timelineSlider");
    QVERIFY(slider);
    slider->setValue(slider->maximum() / 2);
    QVERIFY(!timeline.isPlaying());
    QCOMPARE(timeline.position(), 10.0);
}

void TestIterationTimeline::shorterRunClampsThePosition() {
    IterationTimeline timeline;
    timeline.setLastIteration(30);
    timeline.setPosition(25.0);
    timeline.setLastIteration(12);
    QCOMPARE(timeline.position(), 12.0);
    timeline.setPosition(-3.0);
    QCOMPARE(timeline.position(), 0.0);
}

QTEST_MAIN(TestIterationTimeline)
#include "test_iteration_timeline.moc"
