#pragma once
// What the explorers' latency benchmarks share: an application set up as the program sets itself up,
// running its event loop for a while or until a picture has arrived, reading a clock in milliseconds, and
// the percentiles they report.

#include "explorers/explorer.hpp"
#include "locallab/widgets/vtk_view.hpp"

#include <QApplication>
#include <QElapsedTimer>
#include <QSurfaceFormat>
#include <algorithm>
#include <benchmark/benchmark.h>
#include <limits>
#include <vector>

namespace locallab::bench {

// The value at `fraction` (0.5 the median) of the sorted values, the nearest rank; NaN for none.
inline double percentile(std::vector<double> values, double fraction) {
    if (values.empty()) {
        return std::numeric_limits<double>::quiet_NaN();
    }
    std::sort(values.begin(), values.end());
    const auto index = static_cast<std::size_t>(fraction * static_cast<double>(values.size() - 1) + 0.5);
    return values[std::min(index, values.size() - 1)];
}

// Runs the event loop for `milliseconds`, handing control back at least every `sliceMilliseconds`.
inline void processEventsFor(int milliseconds, int sliceMilliseconds = 20) {
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < milliseconds) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, sliceMilliseconds);
    }
}

// Runs the event loop until `condition()` holds or `limitMilliseconds` have passed, sleeping while no
// event comes, so that a measurement ends as soon as its picture does.
template <typename Condition>
void processEventsUntil(Condition condition, int limitMilliseconds) {
    QElapsedTimer clock;
    clock.start();
    while (!condition() && clock.elapsed() < limitMilliseconds) {
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 5);
    }
}

// Milliseconds since `clock` started, to the nanosecond.
inline double millisecondsSince(const QElapsedTimer& clock) {
    return static_cast<double>(clock.nsecsElapsed()) / 1e6;
}

// While it lives, the milliseconds of every job the explorer finishes on its worker thread are appended to
// `times`.
class JobTimeRecorder {
public:
    JobTimeRecorder(const Explorer& explorer, std::vector<double>& times)
        : connection_(QObject::connect(&explorer, &Explorer::computeTimeMeasured,
                                       [&times](double milliseconds) { times.push_back(milliseconds); })) {}
    ~JobTimeRecorder() { QObject::disconnect(connection_); }

    JobTimeRecorder(const JobTimeRecorder&) = delete;
    JobTimeRecorder& operator=(const JobTimeRecorder&) = delete;

private:
    QMetaObject::Connection connection_;
};

// Runs the benchmarks asked for on the command line inside an application whose views share one OpenGL
// set-up, as the program's do.
inline void runBenchmarksInApplication(int argc, char** argv) {
    QSurfaceFormat::setDefaultFormat(VtkView::defaultFormat());
    QApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication application(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
}

} // namespace locallab::bench
