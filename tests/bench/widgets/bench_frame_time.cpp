// Frame times of 2-D scatter plots at 10k, 100k and 1M points: the actor-based PlotView2D drawing
// every point, the same view while interacting (decimated level of detail), and, for the decision
// recorded in widgets/PLOTTING.md, VTK's chart classes (vtkChartXY + vtkPlotPoints) on the same data.
// Run under Xvfb:  xvfb-run -a -s "-screen 0 1600x1000x24" ./bench_frame_time
// A frame is a synchronous repaint of the widget: layout, VTK render, copy into the widget, finish.

#include "locallab/widgets/plot_view_2d.hpp"
#include "locallab/widgets/vtk_view.hpp"

#include <QApplication>
#include <QElapsedTimer>
#include <QSurfaceFormat>
#include <benchmark/benchmark.h>
#include <random>
#include <vtkAutoInit.h>
#include <vtkAxis.h>
#include <vtkChartXY.h>
#include <vtkContextActor.h>
#include <vtkContextScene.h>
#include <vtkFloatArray.h>
#include <vtkPlotPoints.h>
#include <vtkRenderer.h>
#include <vtkTable.h>

// The chart classes draw through a device that lives in this module; only this program uses them.
VTK_MODULE_INIT(vtkRenderingContextOpenGL2);

namespace {

constexpr int viewWidth = 1000;
constexpr int viewHeight = 750;

// Three Gaussian blobs, the kind of cloud the density explorer shows.
Eigen::MatrixX2d blobs(Eigen::Index count) {
    std::mt19937_64 generator(7);
    std::normal_distribution<double> normal(0.0, 1.0);
    const double centers[3][2] = {{0.0, 0.0}, {4.0, 1.0}, {1.5, 4.0}};
    Eigen::MatrixX2d points(count, 2);
    for (Eigen::Index row = 0; row < count; ++row) {
        const auto* center = centers[row % 3];
        points(row, 0) = center[0] + normal(generator);
        points(row, 1) = center[1] + normal(generator);
    }
    return points;
}

void showAndSettle(QWidget& widget) {
    widget.resize(viewWidth, viewHeight);
    widget.show();
    // Give the window system time to map the window before the first frame.
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 500) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    }
}

void measureFrames(benchmark::State& state, locallab::VtkView& view) {
    double renderMilliseconds = 0.0;
    const auto connection =
        QObject::connect(&view, &locallab::VtkView::renderTimeMeasured,
                         [&](double milliseconds) { renderMilliseconds += milliseconds; });
    view.repaint(); // first frame uploads the buffers; not a steady-state frame
    renderMilliseconds = 0.0;
    for (auto _ : state) {
        view.repaint();
    }
    QObject::disconnect(connection);
    state.counters["render_ms"] = renderMilliseconds / static_cast<double>(state.iterations());
    state.counters["points"] = static_cast<double>(state.range(0));
}

void BM_ActorPoints(benchmark::State& state, bool levelOfDetail) {
    locallab::PlotView2D view;
    const auto layer = view.addPoints(blobs(state.range(0)), {.size = 3.0});
    Eigen::VectorXi labels(state.range(0));
    for (Eigen::Index row = 0; row < labels.size(); ++row) {
        labels(row) = static_cast<int>(row % 3);
    }
    view.setPointColorsByLabel(layer, labels);
    view.setAxisTitles("x₁", "x₂");
    showAndSettle(view);
    view.setInteracting(levelOfDetail);
    measureFrames(state, view);
}

void BM_ActorPointsFull(benchmark::State& state) {
    BM_ActorPoints(state, false);
}
void BM_ActorPointsLevelOfDetail(benchmark::State& state) {
    BM_ActorPoints(state, true);
}

void BM_ChartXYPoints(benchmark::State& state) {
    locallab::VtkView view;
    const Eigen::MatrixX2d points = blobs(state.range(0));
    vtkNew<vtkTable> table;
    vtkNew<vtkFloatArray> x;
    x->SetName("x");
    vtkNew<vtkFloatArray> y;
    y->SetName("y");
    x->SetNumberOfValues(points.rows());
    y->SetNumberOfValues(points.rows());
    for (Eigen::Index row = 0; row < points.rows(); ++row) {
        x->SetValue(row, static_cast<float>(points(row, 0)));
        y->SetValue(row, static_cast<float>(points(row, 1)));
    }
    table->AddColumn(x);
    table->AddColumn(y);
    vtkNew<vtkChartXY> chart;
    auto* plot = vtkPlotPoints::SafeDownCast(chart->AddPlot(vtkChart::POINTS));
    plot->SetInputData(table, 0, 1);
    plot->SetMarkerStyle(vtkPlotPoints::CIRCLE);
    plot->SetMarkerSize(3.0);
    chart->GetAxis(vtkAxis::BOTTOM)->SetTitle("x");
    chart->GetAxis(vtkAxis::LEFT)->SetTitle("y");
    vtkNew<vtkContextActor> actor;
    actor->GetScene()->AddItem(chart);
    actor->GetScene()->SetRenderer(view.renderer());
    view.renderer()->AddActor(actor);
    showAndSettle(view);
    measureFrames(state, view);
}

void pointCounts(benchmark::internal::Benchmark* benchmark) {
    benchmark->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
}

BENCHMARK(BM_ActorPointsFull)->Apply(pointCounts);
BENCHMARK(BM_ActorPointsLevelOfDetail)->Apply(pointCounts);
BENCHMARK(BM_ChartXYPoints)->Apply(pointCounts);

} // namespace

int main(int argc, char** argv) {
    // The same OpenGL context the app asks for; without it VTK cannot initialise and no frame is drawn.
    QSurfaceFormat::setDefaultFormat(locallab::VtkView::defaultFormat());
    QApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication application(argc, argv);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return 1;
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
