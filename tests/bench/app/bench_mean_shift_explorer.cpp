// How live the MeanShift explorer is: the bandwidth slider is dragged step by step over 10,000 points
// (three Gaussian blobs, the explorer's default settings, with the Gaussian and with the flat kernel),
// and for every step the time from the slider's move to (a) the first new picture on screen and (b) the
// exact result on screen is recorded. "On screen" includes one full render of the view (read back, so
// the GPU has finished); first_scene_* stops before that render. While the slider is held the exact job
// waits for it to rest (120 ms), so the exact latency includes that pause; exact_job_* is the exact
// computation alone. Reports p50 and p95 as counters.
// Run under Xvfb:  xvfb-run -a -s "-screen 0 1600x1000x24" ./bench_mean_shift_explorer

#include "explorers/generated_data.hpp"
#include "explorers/mean_shift_explorer.hpp"
#include "latency_support.hpp"
#include "locallab/widgets/parameter_panel.hpp"
#include "locallab/widgets/plot_view_2d.hpp"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSlider>
#include <QVBoxLayout>
#include <benchmark/benchmark.h>
#include <vector>

namespace {

using namespace locallab::bench;

constexpr int settleMilliseconds = 500;
constexpr int drainMilliseconds = 300;
constexpr int waitLimitMilliseconds = 60000;

struct Latencies {
    std::vector<double> firstScene; // the picture's layers built, before rendering
    std::vector<double> render;     // one full render of that picture
    std::vector<double> firstFrame;
    std::vector<double> exactFrame;
    std::vector<double> exactCompute; // the exact job alone, on its worker thread
};

// Moves the slider to `position` as a drag does and waits for both pictures of that move.
void measureOneMove(locallab::MeanShiftExplorer& explorer, QSlider& slider, int position,
                    Latencies& latencies) {
    bool first = false;
    bool exact = false;
    QElapsedTimer clock;
    const auto connection =
        QObject::connect(&explorer, &locallab::MeanShiftExplorer::pictureShown, [&](bool isExact) {
            const double sceneMilliseconds = millisecondsSince(clock);
            explorer.plotView()->grabImage(); // one full render, finished
            const double milliseconds = millisecondsSince(clock);
            if (!first) {
                first = true;
                latencies.firstScene.push_back(sceneMilliseconds);
                latencies.render.push_back(milliseconds - sceneMilliseconds);
                latencies.firstFrame.push_back(milliseconds);
            }
            if (isExact && !exact) {
                exact = true;
                latencies.exactFrame.push_back(milliseconds);
            }
        });
    const JobTimeRecorder jobTimes(explorer, latencies.exactCompute);
    clock.start();
    slider.setValue(position);
    processEventsUntil([&] { return exact; }, waitLimitMilliseconds);
    QObject::disconnect(connection);
}

void liveBandwidthDrag(benchmark::State& state) {
    const auto points = state.range(0);
    QWidget window;
    auto* explorer = new locallab::MeanShiftExplorer(&window);
    auto* layout = new QVBoxLayout(&window);
    layout->addWidget(explorer->centralWidget());
    window.resize(1100, 850);
    window.show();
    processEventsFor(settleMilliseconds);

    locallab::GeneratorRequest request;
    request.samples = points;
    request.seed = 5;
    // Second argument: 0 the Gaussian kernel (the explorer's default), 1 the flat kernel (scikit-learn's).
    if (state.range(1) == 1) {
        locallab::ParameterValues values = explorer->panel()->values();
        values.set("kernel", std::string("uniform"));
        explorer->panel()->setValues(values);
    }
    explorer->setDataset(std::make_shared<const locallab::Dataset>(locallab::generateDataset(request)));
    QElapsedTimer clock;
    clock.start();
    while (!(explorer->picture() && explorer->picture()->exact) && clock.elapsed() < waitLimitMilliseconds) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    QSlider* slider = explorer->panel()->sliderFor("bandwidth");
    const int start = slider->value();
    Latencies latencies;
    // The view renders only when a picture is shown and grabbed below, so that a frame requested by an
    // earlier picture never runs inside the next measurement.
    processEventsFor(settleMilliseconds);
    for (auto _ : state) {
        slider->setSliderDown(true);
        // Forty small moves back and forth around the starting bandwidth, as a hand on a slider makes.
        for (int move = 0; move < 40; ++move) {
            const int offset = (move % 20) - 10;
            measureOneMove(*explorer, *slider, start + 4 * offset + (move / 20), latencies);
            processEventsFor(drainMilliseconds); // repaints the measured pictures asked for, untimed
        }
        slider->setSliderDown(false);
    }
    state.counters["first_scene_p50_ms"] = percentile(latencies.firstScene, 0.5);
    state.counters["first_scene_p95_ms"] = percentile(latencies.firstScene, 0.95);
    state.counters["render_p50_ms"] = percentile(latencies.render, 0.5);
    state.counters["first_p50_ms"] = percentile(latencies.firstFrame, 0.5);
    state.counters["first_p95_ms"] = percentile(latencies.firstFrame, 0.95);
    state.counters["exact_p50_ms"] = percentile(latencies.exactFrame, 0.5);
    state.counters["exact_p95_ms"] = percentile(latencies.exactFrame, 0.95);
    state.counters["exact_job_p50_ms"] = percentile(latencies.exactCompute, 0.5);
    state.counters["exact_job_p95_ms"] = percentile(latencies.exactCompute, 0.95);
    state.counters["moves"] = static_cast<double>(latencies.firstFrame.size());
    state.counters["exact_jobs"] = static_cast<double>(latencies.exactCompute.size());
    state.counters["modes"] = static_cast<double>(explorer->picture()->result.modes.rows());
}

// The two jobs behind one slider move, alone on the machine (no GUI): what the approximate picture and
// the exact picture cost to compute at Scott's bandwidth, seeded at bins as "auto" does for 10,000 points.
locallab::MeanShiftRequest defaultRequest(Eigen::Index points, bool flat) {
    locallab::GeneratorRequest generator;
    generator.samples = points;
    generator.seed = 5;
    const locallab::Dataset data = locallab::generateDataset(generator);
    locallab::MeanShiftRequest request;
    request.points = std::make_shared<const Eigen::MatrixXd>(data.points.leftCols(2));
    locallab::SilentProgress progress;
    request.options.kernel =
        locallab::RadialKernel(flat ? locallab::KernelProfile::Uniform : locallab::KernelProfile::Gaussian);
    request.options.bandwidth =
        locallab::Bandwidth::scalar(locallab::ruleBandwidth(*request.points, "scott", progress));
    request.options.seeding = locallab::SeedingStrategy::BinSeeding;
    return request;
}

void approximatePictureJob(benchmark::State& state) {
    const auto request = defaultRequest(state.range(0), state.range(1) == 1);
    locallab::SilentProgress progress;
    for (auto _ : state) {
        benchmark::DoNotOptimize(locallab::computeApproximatePicture(request, progress));
    }
}

void exactPictureJob(benchmark::State& state) {
    const auto request = defaultRequest(state.range(0), state.range(1) == 1);
    locallab::SilentProgress progress;
    for (auto _ : state) {
        benchmark::DoNotOptimize(locallab::computeExactPicture(request, progress));
    }
}

} // namespace

BENCHMARK(approximatePictureJob)
    ->Args({10000, 0})
    ->Args({10000, 1})
    ->ArgNames({"points", "flat"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(exactPictureJob)
    ->Args({10000, 0})
    ->Args({10000, 1})
    ->ArgNames({"points", "flat"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

BENCHMARK(liveBandwidthDrag)
    ->Args({10000, 0})
    ->Args({10000, 1})
    ->ArgNames({"points", "flat"})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

int main(int argc, char** argv) {
    locallab::bench::runBenchmarksInApplication(argc, argv);
    return 0;
}
