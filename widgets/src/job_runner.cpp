#include "locallab/widgets/job_runner.hpp"

#include <QMetaObject>
#include <QThread>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>

namespace locallab {

// The Progress a job sees. Reports are thinned to whole percents before they cross to the GUI
// thread: a parallel loop may report thousands of times, and each crossing is an event.
class JobRunner::JobProgress final : public Progress {
public:
    JobProgress(JobRunner& runner, quint64 generation) : runner_(runner), generation_(generation) {}

    void report(double fraction) override {
        const int percent = static_cast<int>(std::floor(std::clamp(fraction, 0.0, 1.0) * 100.0));
        int previous = lastPercent_.load(std::memory_order_relaxed);
        while (percent > previous) {
            if (lastPercent_.compare_exchange_weak(previous, percent, std::memory_order_relaxed)) {
                QMetaObject::invokeMethod(
                    &runner_,
                    [runner = &runner_, generation = generation_, percent] {
                        runner->deliverProgress(generation, percent / 100.0);
                    },
                    Qt::QueuedConnection);
                return;
            }
        }
    }

    bool isCanceled() const override { return canceled_.load(std::memory_order_relaxed); }
    void cancel() { canceled_.store(true, std::memory_order_relaxed); }
    quint64 generation() const { return generation_; }

private:
    JobRunner& runner_; // outlives every job: ~JobRunner waits for them
    const quint64 generation_;
    std::atomic<bool> canceled_{false};
    std::atomic<int> lastPercent_{-1};
};

namespace {
// Touched on the GUI thread only, where every runner lives.
int runnersWithAJob = 0;
} // namespace

int JobRunner::runnersComputing() {
    return runnersWithAJob;
}

void JobRunner::setActiveGeneration(quint64 generation) {
    runnersWithAJob += (generation != 0 ? 1 : 0) - (activeGeneration_ != 0 ? 1 : 0);
    activeGeneration_ = generation;
}

JobRunner::JobRunner(QObject* parent) : QObject(parent) {
    // Two threads at least, so that a new job can start while a superseded one is still unwinding.
    pool_.setMaxThreadCount(std::max(2, QThread::idealThreadCount()));
}

JobRunner::~JobRunner() {
    setActiveGeneration(0);
    if (activeProgress_) {
        activeProgress_->cancel();
    }
    // Jobs may still post to this object until they return; Qt discards those posts when the
    // QObject part of this runner is destroyed, which happens after this wait.
    pool_.waitForDone();
}

quint64 JobRunner::startErased(ErasedJob job) {
    if (activeProgress_) {
        activeProgress_->cancel();
    }
    const quint64 generation = ++latestGeneration_;
    setActiveGeneration(generation);
    activeProgress_ = std::make_shared<JobProgress>(*this, generation);
    emit started(generation);
    pool_.start([this, progress = activeProgress_, job = std::move(job)] { run(progress, job); });
    return generation;
}

void JobRunner::run(const std::shared_ptr<JobProgress>& progress, const ErasedJob& job) {
    const quint64 generation = progress->generation();
    const auto begin = std::chrono::steady_clock::now();
    auto post = [this](auto&& delivery) {
        QMetaObject::invokeMethod(this, std::forward<decltype(delivery)>(delivery), Qt::QueuedConnection);
    };
    try {
        progress->checkCanceled(); // superseded before it even began
        JobResult result(job(*progress));
        const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - begin;
        post([this, generation, result, milliseconds = elapsed.count()] {
            deliverResult(generation, result, milliseconds);
        });
    } catch (const OperationCanceled&) {
        post([this, generation] { deliverCancellation(generation); });
    } catch (const std::exception& error) {
        post([this, generation, message = QString::fromUtf8(error.what())] {
            deliverFailure(generation, message);
        });
    } catch (...) {
        post([this, generation] {
            deliverFailure(generation, tr("the computation failed with an unknown error"));
        });
    }
}

void JobRunner::cancel() {
    if (activeGeneration_ == 0) {
        return;
    }
    const quint64 generation = activeGeneration_;
    activeProgress_->cancel();
    setActiveGeneration(0);
    emit canceled(generation);
}

void JobRunner::deliverProgress(quint64 generation, double fraction) {
    if (generation == activeGeneration_) {
        emit progressChanged(fraction);
    }
}

void JobRunner::deliverResult(quint64 generation, const JobResult& result, double elapsedMilliseconds) {
    if (generation != activeGeneration_) {
        return; // superseded or cancelled: a newer picture is on its way, or none is wanted
    }
    setActiveGeneration(0);
    activeProgress_.reset();
    emit finished(generation, result, elapsedMilliseconds);
}

void JobRunner::deliverFailure(quint64 generation, const QString& message) {
    if (generation != activeGeneration_) {
        return;
    }
    setActiveGeneration(0);
    activeProgress_.reset();
    emit failed(generation, message);
}

void JobRunner::deliverCancellation(quint64 generation) {
    // A job stopped by cancel() was announced there; one that stopped itself is announced now.
    if (generation != activeGeneration_) {
        return;
    }
    setActiveGeneration(0);
    activeProgress_.reset();
    emit canceled(generation);
}

} // namespace locallab
