// How live the Local fits explorer is on 100,000 points (a noisy sine, the explorer's default settings:
// Nadaraya–Watson and local linear curves, the band, a Gaussian kernel) with the curves evaluated at
// 1,000 x's. The two headline figures, printed at the end as p50 and p95:
//   (a) x* drag: the query point is dragged across the range; for every move, the time from the move to
//       its refit (weights, local model, numbers: queryShown) drawn and one frame rendered;
//   (b) bandwidth change: the slider is dragged step by step; for every step, the time from the slider's
//       move to the first picture of that h (the approximate, binned one: pictureShown) drawn and one
//       frame rendered.
// "Rendered" is the explorer's layers built (pictureShown / queryShown) and then one full render of the
// view, read back so that the GPU has finished (rendered_*). Its parts are reported too: shown_* up to the
// layers built, of which job_* (the job on its worker thread) and scene_* (layers, formula and messages on
// the GUI thread), the rest being the hand-over between threads and whatever else the GUI thread did
// meanwhile (under Xvfb, Qt composes every repaint of the window, such as the moved slider's, through
// software OpenGL); and render_*, the frame alone: under Xvfb it is Mesa's llvmpipe drawing 100,000
// points in software on a shared CPU, not what a user's GPU does. After each timed move the bench waits for
// the frames it asked for; the exact job, which starts once the slider has rested 120 ms, may run in that
// wait and is cancelled by the next step, as in a drag with pauses. The jobs alone (no GUI) are timed too:
// the approximate picture, the exact picture it stands in for, and one query. Reports p50 and p95 as
// counters. Run under Xvfb:  xvfb-run -a -s "-screen 0 1600x1000x24" ./bench_local_fits_latency

#include "explorers/local_fits_explorer.hpp"
#include "latency_support.hpp"
#include "locallab/data/generator_registry.hpp"
#include "locallab/kernel/bandwidth_rules.hpp"
#include "locallab/widgets/parameter_panel.hpp"
#include "locallab/widgets/plot_view_2d.hpp"

#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QSlider>
#include <benchmark/benchmark.h>
#include <cstdio>
#include <vector>

namespace {

using namespace locallab::bench;

constexpr long long samples = 100000;
constexpr Eigen::Index curvePoints = 1000;
constexpr int settleMilliseconds = 500;
// The longest the event loop runs before the bench looks at its clock again.
constexpr int eventSliceMilliseconds = 10;
constexpr int waitLimitMilliseconds = 120000;
// After each measured picture: long enough for the frames it asked for (software rendering takes most
// of a second per frame) to be drawn before the next move is timed.
constexpr double pauseInRenders = 1.5;
constexpr int pauseAfterRenderMilliseconds = 100;

std::shared_ptr<const locallab::Dataset> noisySine(long long points = samples) {
    locallab::ParameterValues values;
    values.set("samples", points);
    values.set("seed", 1LL);
    return std::make_shared<const locallab::Dataset>(locallab::generate("noisy_function", values));
}

// The explorer beside its panel, on 100,000 points, with the exact picture of Silverman's h on screen.
struct ShownExplorer {
    QWidget window;
    locallab::LocalFitsExplorer* explorer = nullptr;

    ShownExplorer() {
        explorer = new locallab::LocalFitsExplorer(&window);
        auto* layout = new QHBoxLayout(&window);
        layout->addWidget(explorer->centralWidget(), 1);
        layout->addWidget(explorer->panel());
        window.resize(1400, 900);
        window.show();
        processEventsFor(settleMilliseconds, eventSliceMilliseconds);
        explorer->setCurvePoints(curvePoints);
        explorer->setDataset(noisySine());
        processEventsUntil(
            [&] {
                const auto picture = explorer->picture();
                return picture && picture->exact && picture->sample->x.size() == samples &&
                       picture->grid.size() == curvePoints && explorer->query();
            },
            waitLimitMilliseconds);
        explorer->plotView()->grabImage();
        processEventsFor(settleMilliseconds, eventSliceMilliseconds);
    }
};

struct Latencies {
    std::vector<double> rendered; // change → layers built → one frame rendered: the headline figure
    std::vector<double> shown;    // change → layers built
    std::vector<double> job;      // of which the job on its worker thread
    std::vector<double> scene;    // and the scene update on the GUI thread
    std::vector<double> render;   // the one full render after that
    Eigen::Index binnedNodes = 0;

    void add(double shownMilliseconds, const locallab::LocalFitsExplorer::ShowTiming& timing) {
        shown.push_back(shownMilliseconds);
        job.push_back(timing.job);
        scene.push_back(timing.scene);
    }
};

int pauseAfter(const Latencies& latencies) {
    const double render = latencies.render.empty() ? 0.0 : latencies.render.back();
    return static_cast<int>(pauseInRenders * render) + pauseAfterRenderMilliseconds;
}

// The headline figures of the two drags, printed after all benchmarks.
Latencies queryDragLatencies;
Latencies bandwidthDragLatencies;

void recordRender(Latencies& latencies, const QElapsedTimer& sinceChange, double shownMilliseconds) {
    const double rendered = millisecondsSince(sinceChange);
    latencies.rendered.push_back(rendered);
    latencies.render.push_back(rendered - shownMilliseconds);
}

void reportLatencies(benchmark::State& state, const std::string& name, const Latencies& latencies) {
    state.counters[name + "_rendered_p50_ms"] = percentile(latencies.rendered, 0.5);
    state.counters[name + "_rendered_p95_ms"] = percentile(latencies.rendered, 0.95);
    state.counters[name + "_p50_ms"] = percentile(latencies.shown, 0.5);
    state.counters[name + "_p95_ms"] = percentile(latencies.shown, 0.95);
    state.counters["job_p50_ms"] = percentile(latencies.job, 0.5);
    state.counters["job_p95_ms"] = percentile(latencies.job, 0.95);
    state.counters["scene_p50_ms"] = percentile(latencies.scene, 0.5);
    state.counters["scene_p95_ms"] = percentile(latencies.scene, 0.95);
    state.counters["render_p50_ms"] = percentile(latencies.render, 0.5);
    state.counters["render_p95_ms"] = percentile(latencies.render, 0.95);
    state.counters["moves"] = static_cast<double>(latencies.shown.size());
}

// Moves the slider to `position` as a drag does and waits for the approximate picture of that move.
void measureBandwidthStep(locallab::LocalFitsExplorer& explorer, QSlider& slider, int position,
                          Latencies& latencies) {
    bool shown = false;
    QElapsedTimer clock;
    const auto connection = QObject::connect(&explorer, &locallab::LocalFitsExplorer::pictureShown, [&] {
        if (shown || explorer.picture()->exact) {
            return;
        }
        shown = true;
        const double shownMilliseconds = millisecondsSince(clock);
        latencies.binnedNodes = explorer.picture()->binnedGridSize;
        latencies.add(shownMilliseconds, explorer.lastPictureTiming());
        explorer.plotView()->grabImage(); // one full render, finished
        recordRender(latencies, clock, shownMilliseconds);
    });
    clock.start();
    slider.setValue(position);
    processEventsUntil([&] { return shown; }, waitLimitMilliseconds);
    QObject::disconnect(connection);
}

void bandwidthDrag(benchmark::State& state) {
    ShownExplorer shown;
    locallab::LocalFitsExplorer& explorer = *shown.explorer;
    QSlider* slider = explorer.panel()->sliderFor("bandwidth");
    const int start = slider->value();
    Latencies latencies;
    double exactAfterRelease = 0.0;
    for (auto _ : state) {
        slider->setSliderDown(true);
        // Forty small steps back and forth around Silverman's h, as a hand on a slider makes.
        for (int step = 0; step < 40; ++step) {
            const int offset = (step % 20) - 10;
            measureBandwidthStep(explorer, *slider, start + 3 * offset + (step / 20), latencies);
            processEventsFor(pauseAfter(latencies), eventSliceMilliseconds);
        }
        QElapsedTimer clock;
        clock.start();
        slider->setSliderDown(false);
        processEventsUntil([&] { return explorer.picture()->exact; }, waitLimitMilliseconds);
        exactAfterRelease = millisecondsSince(clock);
    }
    reportLatencies(state, "first_picture", latencies);
    state.counters["exact_after_release_ms"] = exactAfterRelease;
    state.counters["binned_nodes"] = static_cast<double>(latencies.binnedNodes);
    bandwidthDragLatencies = latencies;
}

// Moves x* to `x` as a drag does and waits for its query.
void measureQueryMove(locallab::LocalFitsExplorer& explorer, double x, Latencies& latencies) {
    bool shown = false;
    QElapsedTimer clock;
    const auto connection = QObject::connect(&explorer, &locallab::LocalFitsExplorer::queryShown, [&] {
        if (shown || explorer.query()->x != x) {
            return;
        }
        shown = true;
        const double shownMilliseconds = millisecondsSince(clock);
        latencies.add(shownMilliseconds, explorer.lastQueryTiming());
        explorer.plotView()->grabImage(); // one full render, finished
        recordRender(latencies, clock, shownMilliseconds);
    });
    clock.start();
    explorer.setQueryPoint(x);
    processEventsUntil([&] { return shown; }, waitLimitMilliseconds);
    QObject::disconnect(connection);
}

void queryDrag(benchmark::State& state) {
    ShownExplorer shown;
    locallab::LocalFitsExplorer& explorer = *shown.explorer;
    const auto picture = explorer.picture();
    const double low = picture->sample->x.minCoeff();
    const double high = picture->sample->x.maxCoeff();
    Latencies latencies;
    for (auto _ : state) {
        for (int move = 0; move < 40; ++move) {
            measureQueryMove(explorer, low + (high - low) * (0.05 + 0.9 * move / 39.0), latencies);
            processEventsFor(pauseAfter(latencies), eventSliceMilliseconds);
        }
    }
    reportLatencies(state, "query", latencies);
    queryDragLatencies = latencies;
}

void printHeadline(const char* what, const Latencies& latencies) {
    if (latencies.rendered.empty()) {
        std::printf("  %-62s not run\n", what);
        return;
    }
    std::printf("  %-62s p50 %7.1f ms   p95 %7.1f ms   (%zu changes; of which frame render p50 %.1f ms)\n",
                what, percentile(latencies.rendered, 0.5), percentile(latencies.rendered, 0.95),
                latencies.rendered.size(), percentile(latencies.render, 0.5));
}

// The jobs alone, on their own thread's share of the machine: arguments are the points, the x's the
// curves are evaluated at and whether the band is drawn (the exact jobs of smaller samples on the
// explorer's default 400 x's tell where an approximation starts to pay: approximatePointLimit).
locallab::FitsRequest defaultRequest(const benchmark::State& state) {
    locallab::FitsRequest request;
    request.sample = std::make_shared<const locallab::RegressionSample>(
        locallab::regressionSampleOf(*noisySine(state.range(0))));
    // Silverman's h, as the explorer starts from; chosen once, as during a drag (no rule).
    request.bandwidth = locallab::robustSilvermanBandwidth(request.sample->x);
    request.shownMethods = {locallab::LocalFitMethod::NadarayaWatson, locallab::LocalFitMethod::LocalLinear};
    request.featured = locallab::LocalFitMethod::LocalLinear;
    request.gridSize = state.range(1);
    request.band = state.range(2) != 0;
    request.queryX = 0.25;
    return request;
}

void approximatePictureJob(benchmark::State& state) {
    const locallab::FitsRequest request = defaultRequest(state);
    locallab::SilentProgress progress;
    for (auto _ : state) {
        benchmark::DoNotOptimize(locallab::computeApproximateLocalFitsPicture(request, progress));
    }
}

void exactPictureJob(benchmark::State& state) {
    const locallab::FitsRequest request = defaultRequest(state);
    locallab::SilentProgress progress;
    for (auto _ : state) {
        benchmark::DoNotOptimize(locallab::computeLocalFitsPicture(request, progress));
    }
}

void queryJob(benchmark::State& state) {
    const locallab::FitsRequest request = defaultRequest(state);
    locallab::SilentProgress progress;
    const auto picture = locallab::computeApproximateLocalFitsPicture(request, progress);
    double x = 0.05;
    for (auto _ : state) {
        benchmark::DoNotOptimize(locallab::computeQueryPicture(*picture, x, 0));
        x = x > 0.9 ? 0.05 : x + 0.013;
    }
}

} // namespace

BENCHMARK(approximatePictureJob)
    ->Args({5000, 400, 1})
    ->Args({samples, curvePoints, 1})
    ->ArgNames({"points", "curve_points", "band"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(queryJob)
    ->Args({samples, curvePoints, 1})
    ->ArgNames({"points", "curve_points", "band"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(exactPictureJob)
    ->Args({1000, 400, 1})
    ->Args({2000, 400, 0})
    ->Args({2000, 400, 1})
    ->Args({5000, 400, 0})
    ->Args({5000, 400, 1})
    ->Args({samples, curvePoints, 1})
    ->ArgNames({"points", "curve_points", "band"})
    ->Iterations(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(bandwidthDrag)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(queryDrag)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

int main(int argc, char** argv) {
    locallab::bench::runBenchmarksInApplication(argc, argv);
    std::printf("\nLocal fits latency, %lld points, curves at %lld x's, until the frame is rendered:\n",
                samples, static_cast<long long>(curvePoints));
    printHeadline("(a) x* drag: move -> refit at x* -> frame rendered", queryDragLatencies);
    printHeadline("(b) bandwidth change: slider -> first picture -> frame rendered", bandwidthDragLatencies);
    return 0;
}
