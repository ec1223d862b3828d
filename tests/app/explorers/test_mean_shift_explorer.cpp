// The MeanShift explorer as a user drives it: dragging the bandwidth slider shows an approximate frame
// and then the exact clusters; the timeline steps back and forth with the keyboard; a click drops a
// seed whose path ends at a mode; bad data leave a message and the last picture in place.

#include "explorer_test_window.hpp"
#include "explorers/mean_shift_explorer.hpp"
#include "locallab/widgets/iteration_timeline.hpp"
#include "locallab/widgets/parameter_panel.hpp"
#include "locallab/widgets/plot_view_2d.hpp"

#include <QApplication>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QTest>
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

using namespace locallab;

namespace {

constexpr int resultTimeoutMilliseconds = 30000;

// Three round blobs far apart (centres (0, 0), (6, 0), (3, 6), spread 0.6), dealt in turn.
std::shared_ptr<const Dataset> blobs(long long samples) {
    std::uint64_t state = 3;
    auto uniform = [&] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return (double((state >> 11) & ((1ULL << 53) - 1)) + 0.5) / double(1ULL << 53);
    };
    const Eigen::Matrix<double, 3, 2> centres{{0.0, 0.0}, {6.0, 0.0}, {3.0, 6.0}};
    auto dataset = std::make_shared<Dataset>();
    dataset->points.resize(samples, 2);
    for (Eigen::Index i = 0; i < samples; ++i) {
        const double radius = std::sqrt(-2.0 * std::log(uniform()));
        const double angle = 2.0 * M_PI * uniform();
        dataset->points.row(i) =
            centres.row(i % 3) + 0.6 * Eigen::RowVector2d(radius * std::cos(angle), radius * std::sin(angle));
    }
    dataset->columnNames = {"x", "y"};
    dataset->origin = "three blobs";
    return dataset;
}

std::shared_ptr<const Dataset> datasetOf(const Eigen::MatrixXd& points) {
    auto dataset = std::make_shared<Dataset>();
    dataset->points = points;
    dataset->columnNames = {"a", "b"};
    dataset->origin = "test";
    return dataset;
}

// The window a user sees: the explorer's central widget, big enough to click in.
struct ExplorerWindow : test::ExplorerTestWindow<MeanShiftExplorer> {
    ExplorerWindow() : ExplorerTestWindow(QSize(900, 750), test::WindowContents::pictureOnly) {}
};

bool waitForExact(MeanShiftExplorer& explorer, QSignalSpy& shown) {
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < resultTimeoutMilliseconds) {
        for (const auto& arguments : shown) {
            if (arguments.at(0).toBool()) {
                return true;
            }
        }
        shown.wait(200);
    }
    return explorer.picture() && explorer.picture()->exact;
}

// With LOCALLAB_TEST_SNAPSHOTS set to a folder, the window is saved there as NAME.png, for looking at
// what the test drove the explorer to.
void snapshot(QWidget& window, const QString& name) {
    const QString folder = qEnvironmentVariable("LOCALLAB_TEST_SNAPSHOTS");
    if (!folder.isEmpty()) {
        window.grab().save(folder + "/" + name + ".png");
    }
}

void setBandwidth(MeanShiftExplorer& explorer, double h) {
    ParameterValues values = explorer.panel()->values();
    values.set("bandwidth", h);
    explorer.panel()->setValues(values);
}

} // namespace

class TestMeanShiftExplorer : public QObject {
    Q_OBJECT

private slots:
    void newDataStartFromScottsBandwidthAndFindTheBlobs();
    void draggingTheSliderShowsAnApproximateThenAnExactFrame();
    void timelineStepsBackAndForthWithTheKeyboard();
    void droppedSeedClimbsToAMode();
    void ruleButtonSetsTheBandwidth();
    void degenerateData_data();
    void degenerateData();
    void nonFiniteDataKeepTheLastPicture();
    void vectorsAndBasinsAreComputedOnRequest();
    void blurringMovesThePointsThemselves();
    void tweedieAndAttentionTakeTheGaussianStep();
};

void TestMeanShiftExplorer::newDataStartFromScottsBandwidthAndFindTheBlobs() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &MeanShiftExplorer::pictureShown);
    shown.explorer->setDataset(blobs(600));
    QVERIFY(waitForExact(*shown.explorer, pictures));
    const auto picture = shown.explorer->picture();
    QCOMPARE(picture->result.modes.rows(), Eigen::Index(3));
    QVERIFY(picture->bandwidth > 0.1 && picture->bandwidth < 3.0);
    // The number box shows h to four decimals.
    QVERIFY(std::abs(shown.explorer->panel()->values().real("bandwidth") - picture->bandwidth) < 1e-4);
    QVERIFY(shown.explorer->formulaText().contains("iteration"));
    QCOMPARE(shown.explorer->centralWidget()->findChild<QLabel*>("frameKindBadge")->text(), QString("Exact"));
}

void TestMeanShiftExplorer::draggingTheSliderShowsAnApproximateThenAnExactFrame() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &MeanShiftExplorer::pictureShown);
    shown.explorer->setDataset(blobs(3000));
    QVERIFY(waitForExact(*shown.explorer, pictures));
    const Eigen::Index modesBefore = shown.explorer->picture()->result.modes.rows();
    QCOMPARE(modesBefore, Eigen::Index(3));
    // Every point a seed with the Gaussian: the exact result takes long enough for the approximate
    // frame to come first.
    ParameterValues values = shown.explorer->panel()->values();
    values.set("seeding", std::string("points"));
    shown.explorer->panel()->setValues(values);

    // Drag the bandwidth slider far to the right: one kernel wider than all three blobs.
    QSlider* slider = shown.explorer->panel()->sliderFor("bandwidth");
    QVERIFY(slider);
    pictures.clear();
    const auto approximateShot = connect(shown.explorer, &MeanShiftExplorer::pictureShown, [&](bool exact) {
        if (!exact) {
            snapshot(shown.window, "mean_shift_approximate_frame");
        }
    });
    slider->setSliderDown(true);
    const int start = slider->value();
    for (int step = 1; step <= 5; ++step) {
        slider->setValue(start + (slider->maximum() - start) * step / 10);
        QTest::qWait(5);
    }
    slider->setSliderDown(false);
    QVERIFY(waitForExact(*shown.explorer, pictures));
    bool sawApproximate = false;
    for (const auto& arguments : pictures) {
        sawApproximate = sawApproximate || !arguments.at(0).toBool();
    }
    disconnect(approximateShot);
    QVERIFY2(sawApproximate, "an approximate frame comes first while the slider moves");
    QVERIFY(shown.explorer->picture()->bandwidth > 10.0);
    QCOMPARE(shown.explorer->picture()->result.modes.rows(), Eigen::Index(1));
    QVERIFY(shown.explorer->picture()->exact);
}

void TestMeanShiftExplorer::timelineStepsBackAndForthWithTheKeyboard() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &MeanShiftExplorer::pictureShown);
    shown.explorer->setDataset(blobs(600));
    QVERIFY(waitForExact(*shown.explorer, pictures));
    IterationTimeline* timeline = shown.explorer->timeline();
    const int last = timeline->lastIteration();
    QVERIFY(last >= 3);
    QCOMPARE(timeline->position(), double(last)); // a new result is shown converged

    shown.explorer->view()->setFocus();
    QTest::keyClick(shown.explorer->view(), Qt::Key_Home);
    QCOMPARE(timeline->position(), 0.0);
    QTest::keyClick(shown.explorer->view(), Qt::Key_Right);
    QTest::keyClick(shown.explorer->view(), Qt::Key_Right);
    QCOMPARE(timeline->position(), 2.0);
    QVERIFY(shown.explorer->formulaText().contains("iteration 2 of"));
    QTest::keyClick(shown.explorer->view(), Qt::Key_Left);
    QCOMPARE(timeline->position(), 1.0);

    QSignalSpy playing(timeline, &IterationTimeline::playingChanged);
    QTest::keyClick(shown.explorer->view(), Qt::Key_Space);
    QVERIFY(timeline->isPlaying());
    QTRY_VERIFY_WITH_TIMEOUT(timeline->position() > 1.0, 3000);
    QTest::keyClick(shown.explorer->view(), Qt::Key_Space);
    QVERIFY(!timeline->isPlaying());
    QCOMPARE(playing.count(), 2);
}

void TestMeanShiftExplorer::droppedSeedClimbsToAMode() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &MeanShiftExplorer::pictureShown);
    shown.explorer->setDataset(blobs(600));
    QVERIFY(waitForExact(*shown.explorer, pictures));
    PlotView2D* view = shown.explorer->plotView();
    QTRY_VERIFY(view->frameRect().width() > 100);

    // Click a quarter of the way between the first two modes.
    const Eigen::MatrixXd modes = shown.explorer->picture()->result.modes;
    const Eigen::Vector2d target = 0.75 * modes.row(0).transpose() + 0.25 * modes.row(1).transpose();
    const QPoint click = view->dataToDisplay(target).toPoint();
    pictures.clear();
    QTest::mouseClick(view, Qt::LeftButton, Qt::NoModifier, click);
    QVERIFY(waitForExact(*shown.explorer, pictures));
    const auto picture = shown.explorer->picture();
    QCOMPARE(picture->droppedSeeds.size(), std::size_t(1));
    const auto& steps = picture->droppedSeeds.front().steps;
    // It started where the click was (to a pixel) and ended at the first mode.
    QVERIFY((steps.front().position - target).norm() < 0.05 * picture->bandwidth);
    QCOMPARE(picture->droppedSeeds.front().label, 0);
    QVERIFY((steps.back().position - modes.row(0).transpose()).norm() < 0.01 * picture->bandwidth);
    QVERIFY(shown.explorer->formulaText().contains("your seed 1 of 1"));

    pictures.clear();
    shown.explorer->panel()->findChild<QPushButton*>("clearDroppedSeeds")->click();
    QVERIFY(waitForExact(*shown.explorer, pictures));
    QVERIFY(shown.explorer->picture()->droppedSeeds.empty());
}

void TestMeanShiftExplorer::ruleButtonSetsTheBandwidth() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &MeanShiftExplorer::pictureShown);
    const auto data = blobs(600);
    shown.explorer->setDataset(data);
    QVERIFY(waitForExact(*shown.explorer, pictures));
    setBandwidth(*shown.explorer, 0.05);
    pictures.clear();
    shown.explorer->panel()->findChild<QPushButton*>("rule_silverman")->click();
    QVERIFY(waitForExact(*shown.explorer, pictures));
    SilentProgress progress;
    const double expected = ruleBandwidth(data->points.leftCols(2), "silverman", progress);
    QCOMPARE(shown.explorer->picture()->bandwidth, expected);
    QVERIFY(std::abs(shown.explorer->panel()->values().real("bandwidth") - expected) < 1e-4);
}

void TestMeanShiftExplorer::degenerateData_data() {
    QTest::addColumn<Eigen::MatrixXd>("points");
    QTest::addColumn<int>("modes");
    QTest::newRow("one point") << Eigen::MatrixXd(Eigen::RowVector2d(1.0, 2.0)) << 1;
    QTest::newRow("all points identical") << Eigen::MatrixXd(Eigen::MatrixXd::Constant(50, 2, 3.0)) << 1;
    Eigen::MatrixXd duplicates(6, 2);
    duplicates << 0, 0, 0, 0, 0, 0, 9, 9, 9, 9, 9, 9;
    QTest::newRow("duplicated points, two places") << duplicates << 2;
}

void TestMeanShiftExplorer::degenerateData() {
    QFETCH(Eigen::MatrixXd, points);
    QFETCH(int, modes);
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &MeanShiftExplorer::pictureShown);
    shown.explorer->setDataset(datasetOf(points));
    QVERIFY(waitForExact(*shown.explorer, pictures));
    // With no spread to measure, Scott's rule cannot be used: the message says so and h stays.
    if (points.rows() == 1 || (points.rowwise() - points.row(0)).norm() == 0.0) {
        QVERIFY(shown.explorer->messageText().contains("rule could not be used"));
    }
    setBandwidth(*shown.explorer, 2.0);
    pictures.clear();
    emit shown.explorer->panel()->parameterChanged("bandwidth", 2.0);
    QVERIFY(waitForExact(*shown.explorer, pictures));
    QCOMPARE(shown.explorer->picture()->result.modes.rows(), Eigen::Index(modes));
    QVERIFY2(shown.explorer->messageText().isEmpty(), qPrintable(shown.explorer->messageText()));
}

void TestMeanShiftExplorer::nonFiniteDataKeepTheLastPicture() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &MeanShiftExplorer::pictureShown);
    shown.explorer->setDataset(blobs(300));
    QVERIFY(waitForExact(*shown.explorer, pictures));
    const auto before = shown.explorer->picture();

    Eigen::MatrixXd broken = blobs(300)->points.leftCols(2);
    broken(7, 1) = std::numeric_limits<double>::quiet_NaN();
    shown.explorer->setDataset(datasetOf(broken));
    QTRY_VERIFY_WITH_TIMEOUT(!shown.explorer->messageText().isEmpty(), resultTimeoutMilliseconds);
    QVERIFY(shown.explorer->messageText().contains("NaN"));
    QCOMPARE(shown.explorer->picture(), before);
}

void TestMeanShiftExplorer::vectorsAndBasinsAreComputedOnRequest() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &MeanShiftExplorer::pictureShown);
    shown.explorer->setDataset(blobs(900));
    QVERIFY(waitForExact(*shown.explorer, pictures));
    QVERIFY(shown.explorer->picture()->arrows.empty());
    QVERIFY(!shown.explorer->picture()->basins);

    ParameterValues values = shown.explorer->panel()->values();
    values.set("show-vector-field", true);
    values.set("show-basins", true);
    shown.explorer->panel()->setValues(values);
    pictures.clear();
    emit shown.explorer->panel()->parameterChanged("show-basins", true);
    QVERIFY(waitForExact(*shown.explorer, pictures));
    const auto picture = shown.explorer->picture();
    QVERIFY(picture->arrows.size() > 100);
    QVERIFY(picture->basins.has_value());
    // The cell holding each mode belongs to that mode's basin.
    const BasinMap& basins = *picture->basins;
    const Eigen::Index columns = basins.modeIndex.cols();
    const Eigen::Index rows = basins.modeIndex.rows();
    for (Eigen::Index m = 0; m < picture->result.modes.rows(); ++m) {
        const double fx =
            (picture->result.modes(m, 0) - basins.xMinimum) / (basins.xMaximum - basins.xMinimum);
        const double fy =
            (picture->result.modes(m, 1) - basins.yMinimum) / (basins.yMaximum - basins.yMinimum);
        const auto column = std::clamp<Eigen::Index>(static_cast<Eigen::Index>(fx * columns), 0, columns - 1);
        const auto row = std::clamp<Eigen::Index>(static_cast<Eigen::Index>(fy * rows), 0, rows - 1);
        QCOMPARE(basins.modeIndex(row, column), static_cast<int>(m));
    }
    // Arrows near a mode are short, and point towards it from farther out.
    for (const ShiftArrow& arrow : picture->arrows) {
        const Eigen::Vector2d mode = picture->result.modes.row(0).transpose();
        const double distance = (arrow.tail - mode).norm();
        if (distance > 0.3 * picture->bandwidth && distance < 0.8 * picture->bandwidth) {
            QVERIFY(arrow.shift.dot(mode - arrow.tail) > 0.0);
        }
    }
    pictures.clear();
    shown.explorer->dropSeed(Eigen::Vector2d(3.0, 2.0));
    QVERIFY(waitForExact(*shown.explorer, pictures));
    shown.explorer->timeline()->setPosition(2.0);
    QTest::qWait(300);
    snapshot(shown.window, "mean_shift_vectors_basins");
}

void TestMeanShiftExplorer::blurringMovesThePointsThemselves() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &MeanShiftExplorer::pictureShown);
    shown.explorer->setDataset(blobs(600));
    QVERIFY(waitForExact(*shown.explorer, pictures));
    const Eigen::VectorXi meanShiftLabels = shown.explorer->picture()->result.labels;

    ParameterValues values = shown.explorer->panel()->values();
    values.set("method", std::string("blurring"));
    shown.explorer->panel()->setValues(values);
    pictures.clear();
    emit shown.explorer->panel()->parameterChanged("method", std::string("blurring"));
    QVERIFY(waitForExact(*shown.explorer, pictures));
    const auto picture = shown.explorer->picture();
    QVERIFY(picture->blurring);
    QCOMPARE(picture->result.modes.rows(), Eigen::Index(3));
    // Every drawn path starts at a data point, and the grouping is MeanShift's (up to renaming).
    QCOMPARE(picture->result.trajectories.seedCount(), Eigen::Index(600));
    for (Eigen::Index i = 0; i < 600; i += 37) {
        QVERIFY((picture->result.trajectories.path(i).row(0) - blobs(600)->points.row(i)).norm() < 1e-5);
    }
    std::map<int, int> renaming;
    for (Eigen::Index i = 0; i < meanShiftLabels.size(); ++i) {
        const auto [entry, inserted] = renaming.emplace(meanShiftLabels[i], picture->result.labels[i]);
        QCOMPARE(entry->second, picture->result.labels[i]);
    }
    shown.explorer->timeline()->setPosition(1.5);
    QTest::qWait(300);
    snapshot(shown.window, "blurring_mean_shift");
}

void TestMeanShiftExplorer::tweedieAndAttentionTakeTheGaussianStep() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &MeanShiftExplorer::pictureShown);
    shown.explorer->setDataset(blobs(600));
    QVERIFY(waitForExact(*shown.explorer, pictures));
    ParameterValues values = shown.explorer->panel()->values();
    values.set("kernel", std::string("gaussian"));
    shown.explorer->panel()->setValues(values);
    pictures.clear();
    emit shown.explorer->panel()->parameterChanged("kernel", std::string("gaussian"));
    QVERIFY(waitForExact(*shown.explorer, pictures));
    const SeedSteps& seed = shown.explorer->picture()->featuredSeed;
    QCOMPARE(seed.threeWays.size(), seed.steps.size());
    QVERIFY(seed.steps.size() > 3);
    // The local mean, x + h²∇log f̂(x) from the density's gradient, and one Gaussian attention query at
    // τ = h² are computed by different code; for the Gaussian kernel they are one and the same step.
    for (std::size_t k = 0; k < seed.steps.size(); ++k) {
        const ThreeWaysOfOneStep& ways = seed.threeWays[k];
        QVERIFY2((ways.tweedie - ways.meanShift).norm() < 1e-9, qPrintable(QString::number(k)));
        QVERIFY2((ways.attention - ways.meanShift).norm() < 1e-9, qPrintable(QString::number(k)));
    }
    // The first step really moves the seed, so agreeing is not agreeing on "stay put".
    QVERIFY((seed.threeWays.front().meanShift - seed.steps.front().position).norm() > 1e-3);
    QVERIFY(shown.explorer->formulaText().contains("three ways"));

    values.set("kernel", std::string("epanechnikov"));
    shown.explorer->panel()->setValues(values);
    pictures.clear();
    emit shown.explorer->panel()->parameterChanged("kernel", std::string("epanechnikov"));
    QVERIFY(waitForExact(*shown.explorer, pictures));
    QVERIFY(shown.explorer->picture()->featuredSeed.threeWays.empty());
    QVERIFY(!shown.explorer->formulaText().contains("three ways"));
}

int main(int argc, char* argv[]) {
    QSurfaceFormat::setDefaultFormat(locallab::VtkView::defaultFormat());
    QApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication application(argc, argv);
    TestMeanShiftExplorer test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_mean_shift_explorer.moc"
