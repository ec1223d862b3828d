// How live the Manifold explorer is: on a Swiss roll of 2,000 points (standard LLE, the explorer's
// defaults), k is changed in the panel's number box step by step (12 → 16 → 8 → 12, one step at a time),
// and for every change the time from the new value to (a) the new embedding drawn into the views' scenes
// (scene_*), (b) the embedding view rendered and read back, so the GPU has finished (frame_*), and (c) the
// 3-D view rendered after it as well (both_*) is recorded; job_* is the computation alone on its worker
// thread. The second argument switches the neighbour graph on (about 24,000 edges in each view, redrawn
// in both views for every k). Reports p50 and p95 as counters.
// Run under Xvfb:  xvfb-run -a -s "-screen 0 1600x1000x24" ./bench_manifold_explorer

#include "explorers/manifold_explorer.hpp"
#include "explorers/manifold_picture.hpp"
#include "latency_support.hpp"
#include "locallab/widgets/parameter_panel.hpp"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSpinBox>
#include <QVBoxLayout>
#include <benchmark/benchmark.h>
#include <vector>

namespace {

using namespace locallab::bench;

constexpr int settleMilliseconds = 500;
constexpr int drainMilliseconds = 200;
constexpr int waitLimitMilliseconds = 60000;

struct Latencies {
    std::vector<double> scene;
    std::vector<double> frame;      // the new embedding rendered
    std::vector<double> bothFrames; // and the 3-D view rendered after it
    std::vector<double> job;
};

// Sets k as a user typing it does and waits until the new embedding is drawn and rendered.
void measureOneChange(locallab::ManifoldExplorer& explorer, QSpinBox& neighbors, int k,
                      Latencies& latencies) {
    bool shown = false;
    QElapsedTimer clock;
    const auto connection =
        QObject::connect(&explorer, &locallab::ManifoldExplorer::pictureShown, [&](bool embedded) {
            if (!embedded || shown) {
                return;
            }
            shown = true;
            latencies.scene.push_back(millisecondsSince(clock));
            explorer.embeddingView()->grabImage(); // a full render, finished
            latencies.frame.push_back(millisecondsSince(clock));
            explorer.inputView()->grabImage();
            latencies.bothFrames.push_back(millisecondsSince(clock));
        });
    const JobTimeRecorder jobTimes(explorer, latencies.job);
    clock.start();
    neighbors.setValue(k);
    processEventsUntil([&] { return shown; }, waitLimitMilliseconds);
    QObject::disconnect(connection);
}

void changeNeighbors(benchmark::State& state) {
    QWidget window;
    auto* explorer = new locallab::ManifoldExplorer(&window);
    locallab::ParameterValues values = explorer->panel()->values();
    values.set("samples", static_cast<long long>(state.range(0)));
    values.set("show-graph", state.range(1) == 1);
    explorer->panel()->setValues(values);
    auto* layout = new QVBoxLayout(&window);
    layout->addWidget(explorer->centralWidget());
    window.resize(1400, 850);
    window.show();
    QElapsedTimer clock;
    clock.start();
    while (!explorer->picture() && clock.elapsed() < waitLimitMilliseconds) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    processEventsFor(settleMilliseconds);
    auto* neighbors = qobject_cast<QSpinBox*>(explorer->panel()->controlFor("neighbors"));
    Latencies latencies;
    std::vector<int> sequence;
    for (int k = 13; k <= 16; ++k) {
        sequence.push_back(k);
    }
    for (int k = 15; k >= 8; --k) {
        sequence.push_back(k);
    }
    for (int k = 9; k <= 12; ++k) {
        sequence.push_back(k);
    }
    for (auto _ : state) {
        for (int round = 0; round < 3; ++round) {
            for (const int k : sequence) {
                measureOneChange(*explorer, *neighbors, k, latencies);
                processEventsFor(drainMilliseconds); // repaints asked for by the measured picture, untimed
            }
        }
    }
    state.counters["scene_p50_ms"] = percentile(latencies.scene, 0.5);
    state.counters["scene_p95_ms"] = percentile(latencies.scene, 0.95);
    state.counters["frame_p50_ms"] = percentile(latencies.frame, 0.5);
    state.counters["frame_p95_ms"] = percentile(latencies.frame, 0.95);
    state.counters["both_p50_ms"] = percentile(latencies.bothFrames, 0.5);
    state.counters["both_p95_ms"] = percentile(latencies.bothFrames, 0.95);
    state.counters["job_p50_ms"] = percentile(latencies.job, 0.5);
    state.counters["job_p95_ms"] = percentile(latencies.job, 0.95);
    state.counters["changes"] = static_cast<double>(latencies.frame.size());
}

// The job behind one change of k, alone on the machine (no GUI).
void pictureJob(benchmark::State& state) {
    locallab::ManifoldRequest request;
    request.source.samples = state.range(0);
    request.options.neighbors = 12;
    request.data = locallab::prepareManifoldData(request.source);
    locallab::SilentProgress progress;
    for (auto _ : state) {
        benchmark::DoNotOptimize(locallab::computeManifoldPicture(request, progress));
    }
}

} // namespace

BENCHMARK(pictureJob)->Arg(2000)->ArgName("points")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(changeNeighbors)
    ->Args({2000, 0})
    ->Args({2000, 1})
    ->ArgNames({"points", "graph"})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

int main(int argc, char** argv) {
    locallab::bench::runBenchmarksInApplication(argc, argv);
    return 0;
}
