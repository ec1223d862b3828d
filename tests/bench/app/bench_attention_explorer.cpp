// How live the Attention explorer's temperature slider is: n tokens of d dimensions (the two-group
// mixture), the slider dragged step by step, and for every step the time from the slider's move to the
// new heatmap on screen. first_scene_* stops when the picture's layers are built (the job's time
// included); render_* is one full render of the heatmap view after it (read back, so the GPU has
// finished), reported apart because Xvfb renders in software on the CPU; frame_* is both. job_* is the
// computation alone on its worker thread. Reports p50 and p95 as counters.
// Run under Xvfb:  xvfb-run -a -s "-screen 0 1600x1000x24" ./bench_attention_explorer

#include "explorers/attention_explorer.hpp"
#include "explorers/attention_picture.hpp"
#include "latency_support.hpp"
#include "locallab/util/progress.hpp"
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
constexpr int drainMilliseconds = 1000;
constexpr int waitLimitMilliseconds = 60000;

struct Latencies {
    std::vector<double> scene;
    std::vector<double> render;
    std::vector<double> frame;
    std::vector<double> job;
};

void measureOneMove(locallab::AttentionExplorer& explorer, QSlider& slider, int position,
                    Latencies& latencies) {
    bool shown = false;
    QElapsedTimer clock;
    const auto connection = QObject::connect(&explorer, &locallab::AttentionExplorer::pictureShown, [&] {
        if (shown) {
            return;
        }
        shown = true;
        const double sceneMilliseconds = millisecondsSince(clock);
        explorer.heatmapView()->grabImage(); // one full render, finished
        const double milliseconds = millisecondsSince(clock);
        latencies.scene.push_back(sceneMilliseconds);
        latencies.render.push_back(milliseconds - sceneMilliseconds);
        latencies.frame.push_back(milliseconds);
    });
    const JobTimeRecorder jobTimes(explorer, latencies.job);
    clock.start();
    slider.setValue(position);
    processEventsUntil([&] { return shown; }, waitLimitMilliseconds);
    QObject::disconnect(connection);
}

void liveTemperatureDrag(benchmark::State& state) {
    QWidget window;
    auto* explorer = new locallab::AttentionExplorer(&window);
    auto* layout = new QVBoxLayout(&window);
    layout->addWidget(explorer->centralWidget());
    window.resize(1400, 850);
    window.show();
    processEventsFor(settleMilliseconds);

    locallab::ParameterValues values = explorer->panel()->values();
    values.set("count", static_cast<long long>(state.range(0)));
    values.set("dimension", static_cast<long long>(state.range(1)));
    values.set("temperature", 8.0);
    explorer->panel()->setValues(values);
    QElapsedTimer clock;
    clock.start();
    emit explorer->panel()->parameterChanged("count", static_cast<long long>(state.range(0)));
    while (!(explorer->tokenPicture() && explorer->tokenPicture()->weights->rows() == state.range(0)) &&
           clock.elapsed() < waitLimitMilliseconds) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    QSlider* slider = explorer->panel()->sliderFor("temperature");
    const int start = slider->value();
    Latencies latencies;
    processEventsFor(settleMilliseconds);
    for (auto _ : state) {
        slider->setSliderDown(true);
        // Forty small moves back and forth around the starting temperature, as a hand on a slider makes.
        for (int move = 0; move < 40; ++move) {
            const int offset = (move % 20) - 10;
            measureOneMove(*explorer, *slider, start + 3 * offset + (move / 20), latencies);
            processEventsFor(drainMilliseconds); // repaints asked for by the measured picture, untimed
        }
        slider->setSliderDown(false);
    }
    state.counters["first_scene_p50_ms"] = percentile(latencies.scene, 0.5);
    state.counters["first_scene_p95_ms"] = percentile(latencies.scene, 0.95);
    state.counters["render_p50_ms"] = percentile(latencies.render, 0.5);
    state.counters["render_p95_ms"] = percentile(latencies.render, 0.95);
    state.counters["frame_p50_ms"] = percentile(latencies.frame, 0.5);
    state.counters["frame_p95_ms"] = percentile(latencies.frame, 0.95);
    state.counters["job_p50_ms"] = percentile(latencies.job, 0.5);
    state.counters["job_p95_ms"] = percentile(latencies.job, 0.95);
    state.counters["moves"] = static_cast<double>(latencies.frame.size());
}

// The job behind one temperature move, alone (no GUI): with the τ-free scores reused, as the explorer does,
// and computed from scratch (the first picture of new tokens).
void temperatureJob(benchmark::State& state) {
    const locallab::TokenSet set = locallab::mixtureTokens(state.range(0), state.range(1), 4.0, 1.0, 1);
    locallab::TokenAttentionRequest request;
    request.tokens = std::make_shared<const Eigen::MatrixXd>(set.tokens);
    request.temperature = 8.0;
    request.query = 0;
    locallab::SilentProgress progress;
    const bool reuse = state.range(2) == 1;
    if (reuse) {
        request.scores = locallab::computeTokenAttention(request, progress)->scores;
    }
    for (auto _ : state) {
        request.temperature = request.temperature == 8.0 ? 8.5 : 8.0;
        benchmark::DoNotOptimize(locallab::computeTokenAttention(request, progress));
    }
}

} // namespace

BENCHMARK(temperatureJob)
    ->Args({1024, 64, 1})
    ->Args({1024, 64, 0})
    ->Args({4096, 64, 1})
    ->ArgNames({"tokens", "dims", "reuse"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

BENCHMARK(liveTemperatureDrag)
    ->Args({1024, 64})
    ->Args({4096, 64})
    ->ArgNames({"tokens", "dims"})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

int main(int argc, char** argv) {
    locallab::bench::runBenchmarksInApplication(argc, argv);
    return 0;
}
