// The runner's promises, each checked with jobs whose timing the test controls: a superseded result
// never arrives, cancel means no result, an exception becomes a message, and every signal is delivered
// on the GUI thread while the work itself runs elsewhere.

#include "locallab/widgets/job_runner.hpp"

#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

using locallab::JobResult;
using locallab::JobRunner;
using locallab::Progress;

namespace {

// A job that keeps checking for cancellation until it is cancelled or released, like a core loop.
struct BlockingJob {
    std::shared_ptr<std::atomic<bool>> began = std::make_shared<std::atomic<bool>>(false);
    std::shared_ptr<std::atomic<bool>> release = std::make_shared<std::atomic<bool>>(false);
    std::shared_ptr<std::atomic<bool>> sawCancel = std::make_shared<std::atomic<bool>>(false);
    int value = 0;

    int operator()(Progress& progress) const {
        began->store(true);
        while (!release->load()) {
            if (progress.isCanceled()) {
                sawCancel->store(true);
                progress.checkCanceled();
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        return value;
    }
};

// A job that ignores cancellation entirely and finishes late: its result must still be dropped.
struct StubbornJob {
    std::shared_ptr<std::atomic<bool>> release = std::make_shared<std::atomic<bool>>(false);
    int value = 0;

    int operator()(Progress&) const {
        while (!release->load()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        return value;
    }
};

constexpr int timeoutMilliseconds = 5000;

} // namespace

class TestJobRunner : public QObject {
    Q_OBJECT

private slots:
    void resultArrivesOnTheGuiThreadFromAWorker();
    void supersededJobResultIsDropped();
    void stubbornSupersededJobResultIsDropped();
    void cancelEmitsCanceledAndNoResult();
    void exceptionBecomesFailedWithItsMessage();
    void progressArrivesOnTheGuiThread();
    void resultTypeIsChecked();
    void destroyingTheRunnerWhileAJobRunsIsSafe();
};

void TestJobRunner::resultArrivesOnTheGuiThreadFromAWorker() {
    JobRunner runner;
    QSignalSpy started(&runner, &JobRunner::started);
    QSignalSpy finished(&runner, &JobRunner::finished);
    QThread* guiThread = QThread::currentThread();
    std::atomic<QThread*> workerThread{nullptr};
    QThread* finishedThread = nullptr;
    connect(&runner, &JobRunner::finished, this, [&] { finishedThread = QThread::currentThread(); });

    const quint64 generation = runner.start([&workerThread](Progress&) {
        workerThread = QThread::currentThread();
        return std::string("done");
    });
    QCOMPARE(started.count(), 1);
    QCOMPARE(started.at(0).at(0).value<quint64>(), generation);
    QVERIFY(runner.isRunning());
    QVERIFY(finished.wait(timeoutMilliseconds));
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(0).value<quint64>(), generation);
    QCOMPARE(finished.at(0).at(1).value<JobResult>().get<std::string>(), std::string("done"));
    QVERIFY(finished.at(0).at(2).toDouble() >= 0.0);
    QVERIFY(workerThread.load() != nullptr);
    QVERIFY(workerThread.load() != guiThread);
    QCOMPARE(finishedThread, guiThread);
    QVERIFY(!runner.isRunning());
}

void TestJobRunner::supersededJobResultIsDropped() {
    JobRunner runner;
    QSignalSpy finished(&runner, &JobRunner::finished);
    QSignalSpy canceled(&runner, &JobRunner::canceled);
    BlockingJob slow;
    slow.value = 1;
    runner.start(slow);
    QTRY_VERIFY_WITH_TIMEOUT(slow.began->load(), timeoutMilliseconds);
    const quint64 fast = runner.start([](Progress&) { return 2; });
    QVERIFY(finished.wait(timeoutMilliseconds));
    QTRY_VERIFY_WITH_TIMEOUT(slow.sawCancel->load(), timeoutMilliseconds); // the old job was told to stop
    QTest::qWait(50); // room for a stray late delivery to show up
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(0).value<quint64>(), fast);
    QCOMPARE(finished.at(0).at(1).value<JobResult>().get<int>(), 2);
    QCOMPARE(canceled.count(), 0); // superseding is not a user's cancel
}

void TestJobRunner::stubbornSupersededJobResultIsDropped() {
    JobRunner runner;
    QSignalSpy finished(&runner, &JobRunner::finished);
    StubbornJob slow;
    slow.value = 1;
    runner.start(slow);
    const quint64 fast = runner.start([](Progress&) { return 2; });
    QVERIFY(finished.wait(timeoutMilliseconds));
    slow.release->store(true); // now the old job returns its value, after the new one
    QTest::qWait(200);
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(0).value<quint64>(), fast);
    QCOMPARE(finished.at(0).at(1).value<JobResult>().get<int>(), 2);
}

void TestJobRunner::cancelEmitsCanceledAndNoResult() {
    JobRunner runner;
    QSignalSpy finished(&runner, &JobRunner::finished);
    QSignalSpy failed(&runner, &JobRunner::failed);
    QSignalSpy canceled(&runner, &JobRunner::canceled);
    BlockingJob job;
    const quint64 generation = runner.start(job);
    QTRY_VERIFY_WITH_TIMEOUT(job.began->load(), timeoutMilliseconds);
    runner.cancel();
    QCOMPARE(canceled.count(), 1);
    QCOMPARE(canceled.at(0).at(0).value<quint64>(), generation);
    QVERIFY(!runner.isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(job.sawCancel->load(), timeoutMilliseconds);
    QTest::qWait(50);
    QCOMPARE(finished.count(), 0);
    QCOMPARE(failed.count(), 0);
    QCOMPARE(canceled.count(), 1);
    runner.cancel(); // nothing running: nothing to announce
    QCOMPARE(canceled.count(), 1);
}

void TestJobRunner::exceptionBecomesFailedWithItsMessage() {
    JobRunner runner;
    QSignalSpy finished(&runner, &JobRunner::finished);
    QSignalSpy failed(&runner, &JobRunner::failed);
    const quint64 generation =
        runner.start([](Progress&) -> int { throw std::invalid_argument("bandwidth must be positive"); });
    QVERIFY(failed.wait(timeoutMilliseconds));
    QCOMPARE(failed.at(0).at(0).value<quint64>(), generation);
    QCOMPARE(failed.at(0).at(1).toString(), QString("bandwidth must be positive"));
    QCOMPARE(finished.count(), 0);
    QVERIFY(!runner.isRunning());
}

void TestJobRunner::progressArrivesOnTheGuiThread() {
    JobRunner runner;
    QSignalSpy progress(&runner, &JobRunner::progressChanged);
    QSignalSpy finished(&runner, &JobRunner::finished);
    QThread* guiThread = QThread::currentThread();
    bool everyReportOnGuiThread = true;
    connect(&runner, &JobRunner::progressChanged, this, [&] {
        everyReportOnGuiThread = everyReportOnGuiThread && QThread::currentThread() == guiThread;
    });
    runner.start([](Progress& report) {
        for (int step = 1; step <= 4; ++step) {
            report.report(step / 4.0);
            report.report(step / 4.0); // repeated reports of the same fraction are not repeated signals
        }
        return 0;
    });
    QVERIFY(finished.wait(timeoutMilliseconds));
    QCOMPARE(progress.count(), 4);
    for (int step = 1; step <= 4; ++step) {
        QCOMPARE(progress.at(step - 1).at(0).toDouble(), step / 4.0);
    }
    QVERIFY(everyReportOnGuiThread);
}

void TestJobRunner::resultTypeIsChecked() {
    const JobResult result(std::any(3));
    QCOMPARE(result.get<int>(), 3);
    QVERIFY_THROWS_EXCEPTION(std::bad_any_cast, result.get<double>());
    QVERIFY_THROWS_EXCEPTION(std::bad_any_cast, JobResult().get<int>());
}

void TestJobRunner::destroyingTheRunnerWhileAJobRunsIsSafe() {
    BlockingJob job;
    bool delivered = false;
    {
        JobRunner runner;
        connect(&runner, &JobRunner::finished, this, [&] { delivered = true; });
        connect(&runner, &JobRunner::canceled, this, [&] { delivered = true; });
        runner.start(job);
        QTRY_VERIFY_WITH_TIMEOUT(job.began->load(), timeoutMilliseconds);
    }
    // The runner asked the job to stop and waited for it; nothing it left behind arrives later.
    QVERIFY(job.sawCancel->load());
    QTest::qWait(50);
    QVERIFY(!delivered);
}

QTEST_MAIN(TestJobRunner)
#include "test_job_runner.moc"
