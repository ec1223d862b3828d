#pragma once
// Runs one computation at a time off the GUI thread, the way a live view needs it: every start()
// supersedes the job before it (that job is asked to stop through its Progress, and whatever it
// still returns is dropped), so dragging a slider never queues up stale work and a slow old result
// can never overwrite a fresh one. Every signal arrives on the thread that owns the runner.
//
//     runner.start([points, h](locallab::Progress& progress) { return meanShift(points, h, progress); });
//     connect(&runner, &JobRunner::finished, this, [](quint64, const JobResult& result, double ms) {
//         const auto& modes = result.get<MeanShiftResult>(); ... });

#include "locallab/util/progress.hpp"

#include <QObject>
#include <QString>
#include <QThreadPool>
#include <any>
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

namespace locallab {

// An immutable result of any type, cheap to copy (shared, never duplicated). get<T>() throws
// std::bad_any_cast when the result is not a T, so a mismatch is a clear error, not a bad read.
class JobResult {
public:
    JobResult() = default;
    explicit JobResult(std::any value) : value_(std::make_shared<const std::any>(std::move(value))) {}

    template <typename T>
    const T& get() const {
        if (!value_) {
            throw std::bad_any_cast();
        }
        return std::any_cast<const T&>(*value_);
    }
    bool hasValue() const { return value_ && value_->has_value(); }

private:
    std::shared_ptr<const std::any> value_;
};

class JobRunner : public QObject {
    Q_OBJECT

public:
    explicit JobRunner(QObject* parent = nullptr);
    // Cancels the running job and waits for its thread: core checks for cancellation often, so
    // the wait is short, and no job can outlive the runner it reports to.
    ~JobRunner() override;

    // Starts job(progress) on a worker thread and returns its generation number. Any callable
    // taking Progress& and returning a copyable value works; the value arrives in finished().
    template <typename Job>
    quint64 start(Job job) {
        using Result = std::invoke_result_t<Job&, Progress&>;
        static_assert(!std::is_void_v<Result>, "a job returns the value it computed");
        return startErased([job = std::move(job)](Progress& progress) mutable -> std::any {
            return std::any(job(progress));
        });
    }

    // Stops the running job, if any: it emits canceled() at once and its result never arrives.
    void cancel();

    bool isRunning() const { return activeGeneration_ != 0; }
    // How many runners in the program have a job under way: zero means every picture is complete
    // (a scene waits for this before it is exported).
    static int runnersComputing();
    quint64 currentGeneration() const { return latestGeneration_; }

signals:
    void started(quint64 generation);
    void progressChanged(double fraction);
    void finished(quint64 generation, const locallab::JobResult& result, double elapsedMilliseconds);
    void failed(quint64 generation, const QString& message);
    void canceled(quint64 generation);

private:
    class JobProgress;
    using ErasedJob = std::function<std::any(Progress&)>;

    quint64 startErased(ErasedJob job);
    void run(const std::shared_ptr<JobProgress>& progress, const ErasedJob& job);

    // Called on the runner's thread; each ignores reports from jobs that are no longer current.
    void deliverProgress(quint64 generation, double fraction);
    void deliverResult(quint64 generation, const JobResult& result, double elapsedMilliseconds);
    void deliverFailure(quint64 generation, const QString& message);
    void deliverCancellation(quint64 generation);

    QThreadPool pool_; // its own threads, so that destruction can wait for exactly our jobs
    std::shared_ptr<JobProgress> activeProgress_;
    quint64 latestGeneration_ = 0;
    void setActiveGeneration(quint64 generation);

    quint64 activeGeneration_ = 0; // 0 when no job is expected to report
};

} // namespace locallab
