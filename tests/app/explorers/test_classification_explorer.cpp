// The Classification explorer as a user drives it: labelled data give a posterior map; a click sets x*
// whose class probabilities match the kernel classifier (and a hand-written Gaussian sum); a left-drag
// carries x* and its readout along without panning or recomputing the map, the middle button pans; knn
// with k = 1 at a data point gives its class with probability 1; changing the kernel or h recomputes, and
// a held bandwidth slider shows coarser previews before its release; bad input leaves a message.

#include "explorer_test_window.hpp"
#include "explorers/classification_explorer.hpp"
#include "fuzzy_compare.hpp"
#include "locallab/local/kernel_classifier.hpp"
#include "locallab/local/kernel_classifier_parameters.hpp"
#include "locallab/widgets/parameter_panel.hpp"
#include "locallab/widgets/plot_view_2d.hpp"

#include <QApplication>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QSlider>
#include <QTest>
#include <algorithm>
#include <cmath>

using namespace locallab;

Q_DECLARE_METATYPE(std::shared_ptr<const locallab::Dataset>)

namespace {

constexpr int resultTimeoutMilliseconds = 30000;

// Two round blobs, centres (0, 0) and (4, 1), spread 0.8, dealt in turn; labels 7 and 9 (not 0 and 1, so
// that the explorer's class indexing is exercised).
std::shared_ptr<const Dataset> twoBlobs(long long samples) {
    std::uint64_t state = 5;
    auto uniform = [&] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return (double((state >> 11) & ((1ULL << 53) - 1)) + 0.5) / double(1ULL << 53);
    };
    const Eigen::Matrix<double, 2, 2> centres{{0.0, 0.0}, {4.0, 1.0}};
    auto dataset = std::make_shared<Dataset>();
    dataset->points.resize(samples, 2);
    dataset->labels = Eigen::VectorXi(samples);
    for (Eigen::Index i = 0; i < samples; ++i) {
        const double radius = std::sqrt(-2.0 * std::log(uniform()));
        const double angle = 2.0 * M_PI * uniform();
        dataset->points.row(i) =
            centres.row(i % 2) + 0.8 * Eigen::RowVector2d(radius * std::cos(angle), radius * std::sin(angle));
        (*dataset->labels)[i] = i % 2 == 0 ? 7 : 9;
    }
    dataset->columnNames = {"x", "y"};
    dataset->origin = "two blobs";
    return dataset;
}

Eigen::VectorXi classIndices(const Dataset& dataset) {
    return indexClasses(*dataset.labels).classes;
}

// With LOCALLAB_TEST_SNAPSHOTS set to a folder, the window is saved there as NAME.png.
void snapshot(QWidget& window, const QString& name) {
    const QString folder = qEnvironmentVariable("LOCALLAB_TEST_SNAPSHOTS");
    if (!folder.isEmpty()) {
        window.grab().save(folder + "/" + name + ".png");
    }
}

struct ExplorerWindow : test::ExplorerTestWindow<ClassificationExplorer> {
    ExplorerWindow() : ExplorerTestWindow(QSize(900, 750), test::WindowContents::pictureOnly) {}
};

void setValue(ClassificationExplorer& explorer, const std::string& name, const ParameterValue& value) {
    ParameterValues values = explorer.panel()->values();
    values.set(name, value);
    explorer.panel()->setValues(values);
    // setValues is not a user action and emits nothing; a commit in the panel does.
    emit explorer.panel()->parameterChanged(QString::fromStdString(name), value);
}

QPoint pixelOf(PlotView2D& view, const Eigen::Vector2d& position) {
    return view.dataToDisplay(position).toPoint();
}

// The first frames lay the plot out; the mapping between data and pixels is valid after them.
void settle(PlotView2D& view) {
    view.grabImage();
    view.grabImage();
}

// The readout at x* is the one of a classifier with the panel's settings, trained on the data.
bool readoutMatchesTheClassifier(const ClassificationExplorer& explorer, const Dataset& dataset) {
    const KernelClassifier reference(dataset.points, classIndices(dataset),
                                     kernelClassifierSettingsFrom(explorer.panel()->values()));
    const TargetReadout& readout = *explorer.target();
    return (readout.posterior.probabilities - reference.posteriorAt(readout.position).probabilities)
               .cwiseAbs()
               .maxCoeff() < 1e-12;
}

} // namespace

class TestClassificationExplorer : public QObject {
    Q_OBJECT

private slots:
    void labelledDataGiveAPosteriorMap();
    void clickedTargetMatchesTheClassifier();
    void dragCarriesTheTargetAndItsReadout();
    void middleButtonPansWithoutMovingTheTarget();
    void heldBandwidthSliderShowsPreviewsBeforeTheRelease();
    void nearestNeighborAtADataPointIsItsClass();
    void switchingKernelOrBandwidthRecomputes_data();
    void switchingKernelOrBandwidthRecomputes();
    void badInput_data();
    void badInput();
    void targetWithoutSupportSaysSo();
};

void TestClassificationExplorer::labelledDataGiveAPosteriorMap() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &ClassificationExplorer::pictureShown);
    shown.explorer->setDataset(twoBlobs(400));
    QVERIFY(test::waitForMore(pictures, 0, resultTimeoutMilliseconds));
    const auto picture = shown.explorer->picture();
    QCOMPARE(picture->classifier->classCount(), 2);
    QCOMPARE(picture->predicted.rows(), Eigen::Index(120));
    QCOMPARE(picture->margins.size(), std::size_t{2});
    // Near each centre the map predicts that centre's class, surely.
    const Eigen::Index nodes = picture->predicted.rows();
    const auto nodeNear = [&](double x, double y) {
        const auto i = static_cast<Eigen::Index>(
            std::lround((x - picture->xMinimum) / (picture->xMaximum - picture->xMinimum) * (nodes - 1)));
        const auto j = static_cast<Eigen::Index>(
            std::lround((y - picture->yMinimum) / (picture->yMaximum - picture->yMinimum) * (nodes - 1)));
        return std::pair{i, j};
    };
    const auto [i0, j0] = nodeNear(0.0, 0.0);
    const auto [i1, j1] = nodeNear(4.0, 1.0);
    QCOMPARE(picture->predicted(i0, j0), 0);
    QCOMPARE(picture->predicted(i1, j1), 1);
    QVERIFY(picture->confidence(i0, j0) > 0.95);
    QVERIFY(picture->margins[0](i0, j0) > 0.9);
    QVERIFY(shown.explorer->messageText().isEmpty());
    QVERIFY(shown.explorer->formulaText().contains("class 7"));
    QVERIFY(shown.explorer->formulaText().contains("class 9"));
}

void TestClassificationExplorer::clickedTargetMatchesTheClassifier() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &ClassificationExplorer::pictureShown);
    const auto dataset = twoBlobs(300);
    shown.explorer->setDataset(dataset);
    QVERIFY(test::waitForMore(pictures, 0, resultTimeoutMilliseconds));
    setValue(*shown.explorer, "bandwidth", 0.9);
    QVERIFY(test::waitForMore(pictures, 1, resultTimeoutMilliseconds));
    QTest::qWait(50); // the frame is laid out, so that pixels map to data

    // A click between the blobs, where both classes have a say.
    const QPointF pixel = shown.explorer->plotView()->dataToDisplay(Eigen::Vector2d(2.0, 0.5));
    QSignalSpy targets(shown.explorer, &ClassificationExplorer::targetShown);
    QTest::mouseClick(shown.explorer->plotView(), Qt::LeftButton, Qt::NoModifier, pixel.toPoint());
    // The readout is computed off the GUI thread: none until its job reports.
    QVERIFY(!shown.explorer->target());
    QVERIFY(test::waitForMore(targets, 0, resultTimeoutMilliseconds));
    QVERIFY(shown.explorer->target());
    const TargetReadout& readout = *shown.explorer->target();
    QVERIFY((readout.position - Eigen::Vector2d(2.0, 0.5)).norm() < 0.1);

    const KernelClassifier reference(
        dataset->points, classIndices(*dataset),
        KernelClassifierSettings::radial(RadialKernel(KernelProfile::Gaussian), Bandwidth::scalar(0.9)));
    const ClassPosterior expected = reference.posteriorAt(readout.position);
    LOCALLAB_COMPARE_MATRIX_NEAR(readout.posterior.probabilities, expected.probabilities, 1e-12, 1e-14);
    QCOMPARE(readout.posterior.predicted, expected.predicted);

    // The same numbers from the definition: Gaussian weights exp(−‖x* − x_i‖²/(2h²)).
    Eigen::Vector2d classSums = Eigen::Vector2d::Zero();
    double squares = 0.0;
    const Eigen::VectorXi classes = classIndices(*dataset);
    for (Eigen::Index i = 0; i < dataset->points.rows(); ++i) {
        const double w =
            std::exp(-(dataset->points.row(i).transpose() - readout.position).squaredNorm() / (2.0 * 0.81));
        classSums[classes[i]] += w;
        squares += w * w;
    }
    const double sum = classSums.sum();
    LOCALLAB_COMPARE_NEAR(readout.posterior.probabilities[0], classSums[0] / sum, 1e-10, 1e-12);
    LOCALLAB_COMPARE_NEAR(readout.weightSum, sum, 1e-10, 1e-12);
    LOCALLAB_COMPARE_NEAR(readout.effectivePointCount, sum * sum / squares, 1e-8, 1e-10);
    QVERIFY(readout.posterior.probabilities[0] > 0.05 && readout.posterior.probabilities[0] < 0.95);
    QVERIFY(shown.explorer->formulaText().contains("effective number of points"));
}

void TestClassificationExplorer::dragCarriesTheTargetAndItsReadout() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &ClassificationExplorer::pictureShown);
    const auto dataset = twoBlobs(300);
    shown.explorer->setDataset(dataset);
    QVERIFY(test::waitForMore(pictures, 0, resultTimeoutMilliseconds));
    PlotView2D* view = shown.explorer->plotView();
    settle(*view);
    const auto picture = shown.explorer->picture();
    const qsizetype picturesBefore = pictures.size();

    // From the first blob's centre to the second's, in small steps, with the left button held.
    const Eigen::Vector2d start(0.0, 0.0);
    const Eigen::Vector2d end(4.0, 1.0);
    const double tolerance = 0.05; // a pixel or two in data units
    QSignalSpy targets(shown.explorer, &ClassificationExplorer::targetShown);
    QTest::mousePress(view, Qt::LeftButton, Qt::NoModifier, pixelOf(*view, start));
    QVERIFY(test::waitFor(
        [&] {
            return shown.explorer->target() &&
                   (shown.explorer->target()->position - start).norm() < tolerance;
        },
        resultTimeoutMilliseconds));
    // The framing once the first redraw after the picture has laid it out (the view may then settle a
    // few pixels); from here on the drag must not move it.
    settle(*view);
    const AxisRange framedX = view->visibleXRange();
    const AxisRange framedY = view->visibleYRange();
    const QSize viewSize = view->size();
    std::vector<double> seen;
    constexpr int steps = 24;
    for (int step = 1; step <= steps; ++step) {
        const Eigen::Vector2d position = start + (end - start) * step / double(steps);
        // Sent straight to the view, with the button held: a pointer moved through the display server
        // arrives late, or merged, on a busy machine.
        const QPointF pixel = pixelOf(*view, position);
        QMouseEvent move(QEvent::MouseMove, pixel, view->mapToGlobal(pixel), Qt::NoButton, Qt::LeftButton,
                         Qt::NoModifier);
        QApplication::sendEvent(view, &move);
        QTest::qWait(20);
        if (shown.explorer->target()) {
            seen.push_back(shown.explorer->target()->position.x());
        }
    }
    QTest::mouseRelease(view, Qt::LeftButton, Qt::NoModifier, pixelOf(*view, end));
    QVERIFY(test::waitFor(
        [&] {
            return shown.explorer->target() && (shown.explorer->target()->position - end).norm() < tolerance;
        },
        resultTimeoutMilliseconds));

    // The readout followed the hand: it was shown at many places on the way, and at the end it is the
    // classifier's posterior there, with the winning class of the second blob.
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    QVERIFY2(seen.size() >= 8, qPrintable(QString::number(seen.size())));
    QVERIFY(targets.size() >= 8);
    QVERIFY(readoutMatchesTheClassifier(*shown.explorer, *dataset));
    QCOMPARE(shown.explorer->target()->posterior.predicted, 1);
    QVERIFY(shown.explorer->formulaText().contains(
        QString::number(shown.explorer->target()->position.x(), 'g', 4)));
    // The drag moved x*, not the camera, and the map was not recomputed for it. (The view keeps its size:
    // the readout's lines do not push it around.)
    settle(*view);
    QCOMPARE(view->size(), viewSize);
    QCOMPARE(view->visibleXRange().minimum, framedX.minimum);
    QCOMPARE(view->visibleXRange().maximum, framedX.maximum);
    QCOMPARE(view->visibleYRange().minimum, framedY.minimum);
    QCOMPARE(pictures.size(), picturesBefore);
    QVERIFY(shown.explorer->picture() == picture);
    // The heaviest point at the new x* lies by the second blob, not where the drag began.
    const SmootherWeights& weights = shown.explorer->target()->weights;
    const auto heaviest = std::max_element(weights.weights.begin(), weights.weights.end());
    QVERIFY(heaviest != weights.weights.end());
    const Eigen::Index row = weights.indices[static_cast<std::size_t>(heaviest - weights.weights.begin())];
    QVERIFY((dataset->points.row(row).transpose() - end).norm() < 1.0);
    snapshot(shown.window, "classification_dragged");
}

void TestClassificationExplorer::middleButtonPansWithoutMovingTheTarget() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &ClassificationExplorer::pictureShown);
    shown.explorer->setDataset(twoBlobs(200));
    QVERIFY(test::waitForMore(pictures, 0, resultTimeoutMilliseconds));
    PlotView2D* view = shown.explorer->plotView();
    settle(*view);
    QVERIFY(test::waitFor([&] { return shown.explorer->target().has_value(); }, resultTimeoutMilliseconds));
    const Eigen::Vector2d target = shown.explorer->target()->position;
    const AxisRange framedX = view->visibleXRange();
    const QPoint from = view->frameRect().center().toPoint();
    QTest::mousePress(view, Qt::MiddleButton, Qt::NoModifier, from);
    for (int step = 1; step <= 10; ++step) {
        QTest::mouseMove(view, from + QPoint(12 * step, 0));
        QTest::qWait(10);
    }
    QTest::mouseRelease(view, Qt::MiddleButton, Qt::NoModifier, from + QPoint(120, 0));
    settle(*view);
    QVERIFY2(std::abs(view->visibleXRange().minimum - framedX.minimum) > 1e-6,
             qPrintable(QString::number(view->visibleXRange().minimum)));
    QTest::qWait(50);
    QCOMPARE(shown.explorer->target()->position, target);
}

void TestClassificationExplorer::heldBandwidthSliderShowsPreviewsBeforeTheRelease() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &ClassificationExplorer::pictureShown);
    const auto dataset = twoBlobs(300);
    shown.explorer->setDataset(dataset);
    QVERIFY(test::waitForMore(pictures, 0, resultTimeoutMilliseconds));
    const Eigen::Index fullGrid = shown.explorer->panel()->values().integer("grid");
    QCOMPARE(shown.explorer->picture()->predicted.rows(), fullGrid);
    QVERIFY(!shown.explorer->picture()->preview);

    QSlider* slider = shown.explorer->panel()->sliderFor("bandwidth");
    QVERIFY(slider);
    const int start = slider->value();
    slider->setSliderDown(true);
    std::vector<double> previewed;
    for (int step = 1; step <= 4; ++step) {
        slider->setValue(start + 40 * step);
        const double h = shown.explorer->panel()->values().real("bandwidth");
        // A picture for this h arrives while the slider is still held: a preview on the coarser grid.
        QVERIFY(test::waitFor(
            [&] {
                const auto picture = shown.explorer->picture();
                return picture && picture->classifier->settings().bandwidth.size() == h;
            },
            resultTimeoutMilliseconds));
        QVERIFY(slider->isSliderDown());
        const auto picture = shown.explorer->picture();
        QVERIFY(picture->preview);
        QCOMPARE(picture->predicted.rows(), std::min(fullGrid, previewGridNodes));
        QVERIFY(previewed.empty() || h > previewed.back());
        previewed.push_back(h);
        // Its readout belongs to the previewed classifier.
        QVERIFY(
            test::waitFor([&] { return shown.explorer->target().has_value(); }, resultTimeoutMilliseconds));
        QVERIFY(readoutMatchesTheClassifier(*shown.explorer, *dataset));
    }
    QCOMPARE(previewed.size(), std::size_t{4});

    // The release computes the picture on the full grid, for the last h.
    slider->setSliderDown(false);
    QVERIFY(test::waitFor([&] { return !shown.explorer->picture()->preview; }, resultTimeoutMilliseconds));
    QCOMPARE(shown.explorer->picture()->predicted.rows(), fullGrid);
    QCOMPARE(shown.explorer->picture()->classifier->settings().bandwidth.size(), previewed.back());
}

void TestClassificationExplorer::nearestNeighborAtADataPointIsItsClass() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &ClassificationExplorer::pictureShown);
    const auto dataset = twoBlobs(200);
    shown.explorer->setDataset(dataset);
    QVERIFY(test::waitForMore(pictures, 0, resultTimeoutMilliseconds));
    ParameterValues values = shown.explorer->panel()->values();
    values.set("kernel", std::string("knn"));
    values.set("neighbors", 1LL);
    shown.explorer->panel()->setValues(values);
    emit shown.explorer->panel()->parameterChanged("kernel", values.choice("kernel"));
    QVERIFY(test::waitForMore(pictures, 1, resultTimeoutMilliseconds));
    const Eigen::VectorXi classes = classIndices(*dataset);
    QSignalSpy targets(shown.explorer, &ClassificationExplorer::targetShown);
    // Points deep in the other blob's side too: k = 1 always answers with the point itself.
    for (const Eigen::Index row : {Eigen::Index(0), Eigen::Index(1), Eigen::Index(57), Eigen::Index(198)}) {
        const qsizetype before = targets.size();
        shown.explorer->setTarget(dataset->points.row(row).transpose());
        QVERIFY(test::waitForMore(targets, before, resultTimeoutMilliseconds));
        QCOMPARE(shown.explorer->target()->position, Eigen::Vector2d(dataset->points.row(row).transpose()));
        const TargetReadout& readout = *shown.explorer->target();
        QCOMPARE(readout.posterior.predicted, classes[row]);
        QCOMPARE(readout.posterior.probabilities[classes[row]], 1.0);
        QCOMPARE(readout.weights.indices.size(), std::size_t{1});
        QCOMPARE(readout.effectivePointCount, 1.0);
    }
}

void TestClassificationExplorer::switchingKernelOrBandwidthRecomputes_data() {
    QTest::addColumn<QString>("parameter");
    QTest::addColumn<QVariant>("value");
    QTest::newRow("epanechnikov kernel") << "kernel" << QVariant(QStringLiteral("epanechnikov"));
    QTest::newRow("knn kernel") << "kernel" << QVariant(QStringLiteral("knn"));
    QTest::newRow("wider bandwidth") << "bandwidth" << QVariant(2.5);
    QTest::newRow("narrower bandwidth") << "bandwidth" << QVariant(0.2);
}

void TestClassificationExplorer::switchingKernelOrBandwidthRecomputes() {
    QFETCH(QString, parameter);
    QFETCH(QVariant, value);
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &ClassificationExplorer::pictureShown);
    const auto dataset = twoBlobs(300);
    shown.explorer->setDataset(dataset);
    QVERIFY(test::waitForMore(pictures, 0, resultTimeoutMilliseconds));
    const auto before = shown.explorer->picture();
    if (value.typeId() == QMetaType::Double) {
        setValue(*shown.explorer, parameter.toStdString(), value.toDouble());
    } else {
        setValue(*shown.explorer, parameter.toStdString(), value.toString().toStdString());
    }
    QVERIFY(test::waitForMore(pictures, 1, resultTimeoutMilliseconds));
    const auto after = shown.explorer->picture();
    QVERIFY(after != before);
    const KernelClassifierSettings settings = kernelClassifierSettingsFrom(shown.explorer->panel()->values());
    QCOMPARE(after->classifier->settings().describe(), settings.describe());
    // The readout follows the new classifier.
    const KernelClassifier reference(dataset->points, classIndices(*dataset), settings);
    const TargetReadout& readout = *shown.explorer->target();
    LOCALLAB_COMPARE_MATRIX_NEAR(readout.posterior.probabilities,
                                 reference.posteriorAt(readout.position).probabilities, 1e-12, 1e-14);
}

void TestClassificationExplorer::badInput_data() {
    QTest::addColumn<std::shared_ptr<const Dataset>>("dataset");
    QTest::addColumn<long long>("neighbors");
    QTest::addColumn<QString>("expectedWords");

    auto unlabelled = std::make_shared<Dataset>(*twoBlobs(50));
    unlabelled->labels.reset();
    auto oneClass = std::make_shared<Dataset>(*twoBlobs(50));
    oneClass->labels->setConstant(3);
    auto oneColumn = std::make_shared<Dataset>(*twoBlobs(50));
    oneColumn->points = Eigen::MatrixXd(oneColumn->points.leftCols(1));
    auto nonFinite = std::make_shared<Dataset>(*twoBlobs(50));
    nonFinite->points(4, 1) = std::nan("");
    QTest::newRow("no labels") << std::shared_ptr<const Dataset>(unlabelled) << 0LL << "no class labels";
    QTest::newRow("one class") << std::shared_ptr<const Dataset>(oneClass) << 0LL << "only one class";
    QTest::newRow("one column") << std::shared_ptr<const Dataset>(oneColumn) << 0LL << "two columns";
    QTest::newRow("NaN") << std::shared_ptr<const Dataset>(nonFinite) << 0LL << "NaN";
    QTest::newRow("k > n") << twoBlobs(50) << 51LL << "only 50 points";
}

void TestClassificationExplorer::badInput() {
    QFETCH(std::shared_ptr<const Dataset>, dataset);
    QFETCH(long long, neighbors);
    QFETCH(QString, expectedWords);
    ExplorerWindow shown;
    if (neighbors > 0) {
        ParameterValues values = shown.explorer->panel()->values();
        values.set("kernel", std::string("knn"));
        values.set("neighbors", neighbors);
        shown.explorer->panel()->setValues(values);
    }
    shown.explorer->setDataset(dataset);
    QTest::qWait(100);
    QVERIFY2(shown.explorer->messageText().contains(expectedWords),
             qPrintable(shown.explorer->messageText()));
    QVERIFY(!shown.explorer->picture());
}

void TestClassificationExplorer::targetWithoutSupportSaysSo() {
    ExplorerWindow shown;
    QSignalSpy pictures(shown.explorer, &ClassificationExplorer::pictureShown);
    shown.explorer->setDataset(twoBlobs(200));
    QVERIFY(test::waitForMore(pictures, 0, resultTimeoutMilliseconds));
    ParameterValues values = shown.explorer->panel()->values();
    values.set("kernel", std::string("epanechnikov"));
    values.set("bandwidth", 0.5);
    shown.explorer->panel()->setValues(values);
    emit shown.explorer->panel()->parameterChanged("kernel", values.choice("kernel"));
    QVERIFY(test::waitForMore(pictures, 1, resultTimeoutMilliseconds));
    QSignalSpy targets(shown.explorer, &ClassificationExplorer::targetShown);
    shown.explorer->setTarget(Eigen::Vector2d(40.0, -30.0)); // far from every point
    QVERIFY(test::waitForMore(targets, 0, resultTimeoutMilliseconds));
    QVERIFY(shown.explorer->target());
    QVERIFY(!shown.explorer->target()->posterior.hasValue());
    QVERIFY2(shown.explorer->messageText().contains("No data point has weight"),
             qPrintable(shown.explorer->messageText()));
    QVERIFY(shown.explorer->formulaText().contains("no posterior"));
    // Back near the data the message goes away.
    shown.explorer->setTarget(Eigen::Vector2d(0.0, 0.0));
    QVERIFY(test::waitForMore(targets, 1, resultTimeoutMilliseconds));
    QVERIFY(shown.explorer->messageText().isEmpty());
    QVERIFY(shown.explorer->target()->posterior.hasValue());
}

int main(int argc, char** argv) {
    QApplication application(argc, argv);
    TestClassificationExplorer test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_classification_explorer.moc"
