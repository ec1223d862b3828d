// The Local fits explorer as a user drives it: a click and a drag on the plot move the query point x*,
// and the fit, the weights and the local model there are checked against core's LocalRegression, the
// Nadaraya–Watson formula written out here and an independent weighted least-squares solve; the bandwidth
// slider and the rule buttons refit; methods switched off leave the picture and its legend; the
// variability band and the cross-validation curve equal core's estimators; bad data give a message.

#include "explorer_test_window.hpp"
#include "explorers/data_explorer.hpp"
#include "explorers/local_fits_explorer.hpp"
#include "fuzzy_compare.hpp"
#include "locallab/data/generator_registry.hpp"
#include "locallab/kernel/bandwidth_rules.hpp"
#include "locallab/local/noise_variance.hpp"
#include "locallab/util/progress.hpp"
#include "locallab/widgets/parameter_panel.hpp"
#include "locallab/widgets/plot_view_2d.hpp"
#include "main_window.hpp"

#include <Eigen/QR>
#include <QApplication>
#include <QCheckBox>
#include <QElapsedTimer>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSlider>
#include <QTest>
#include <algorithm>
#include <cmath>
#include <limits>

using namespace locallab;

namespace {

constexpr int resultTimeoutMilliseconds = 30000;

std::shared_ptr<const Dataset> noisyFunction(long long samples, long long seed) {
    ParameterValues values;
    values.set("samples", samples);
    values.set("seed", seed);
    return std::make_shared<const Dataset>(generate("noisy_function", values));
}

std::shared_ptr<const Dataset> regressionData(const Eigen::VectorXd& x, const Eigen::VectorXd& y) {
    auto dataset = std::make_shared<Dataset>();
    dataset->points = x;
    dataset->columnNames = {"x"};
    if (y.size() > 0) {
        dataset->target = y;
        dataset->targetName = "y";
    }
    dataset->origin = "test";
    return dataset;
}

// The window a user sees: the explorer's picture beside its panel, big enough to click in.
struct ExplorerWindow : test::ExplorerTestWindow<LocalFitsExplorer> {
    ExplorerWindow() : ExplorerTestWindow(QSize(1400, 900)) {}
};

bool sameValues(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
    return a.size() == b.size() && a == b;
}

// Fits of exactly these data are on screen.
bool waitForFitsOf(const LocalFitsExplorer& explorer, const Dataset& data) {
    return test::waitFor(
        [&] {
            const auto picture = explorer.picture();
            return picture && sameValues(picture->sample->x, data.points.col(0)) && explorer.query();
        },
        resultTimeoutMilliseconds);
}

void setParameter(LocalFitsExplorer& explorer, const std::string& name, const ParameterValue& value) {
    ParameterValues values = explorer.panel()->values();
    values.set(name, value);
    explorer.panel()->setValues(values);
    emit explorer.panel()->parameterChanged(QString::fromStdString(name), value);
}

// The first frame lays the plot out; the mapping between data and pixels is valid after it.
void settle(PlotView2D& view) {
    view.grabImage();
    view.grabImage();
}

// With LOCALLAB_TEST_SNAPSHOTS set to a folder, the window is saved there as NAME.png.
void snapshot(QWidget& window, const QString& name) {
    const QString folder = qEnvironmentVariable("LOCALLAB_TEST_SNAPSHOTS");
    if (!folder.isEmpty()) {
        window.grab().save(folder + "/" + name + ".png");
    }
}

QPoint pixelOf(PlotView2D& view, double x, double y) {
    return view.dataToDisplay(Eigen::Vector2d(x, y)).toPoint();
}

double middleY(const LocalFitsExplorer& explorer) {
    return 0.5 * (explorer.picture()->box.yMinimum + explorer.picture()->box.yMaximum);
}

LocalRegression coreRegression(const Dataset& data, KernelProfile kernel, double h, int degree) {
    LocalRegressionSettings settings;
    settings.kernel = RadialKernel(kernel);
    settings.bandwidth = Bandwidth::scalar(h);
    settings.degree = degree;
    return LocalRegression(data.points.leftCols(1), *data.target, settings);
}

// K(x*, x_i) = k(((x_i − x*)/h)²) written out for the two kernels the rows use.
double kernelValue(KernelProfile kernel, double u) {
    if (kernel == KernelProfile::Gaussian) {
        return std::exp(-u / 2.0);
    }
    return u <= 1.0 ? 1.0 - u : 0.0; // Epanechnikov
}

bool closeColors(const QColor& actual, const Rgb& expected, int tolerance = 12) {
    return std::abs(actual.red() - std::lround(255.0 * expected.x())) <= tolerance &&
           std::abs(actual.green() - std::lround(255.0 * expected.y())) <= tolerance &&
           std::abs(actual.blue() - std::lround(255.0 * expected.z())) <= tolerance;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

} // namespace

class TestLocalFitsExplorer : public QObject {
    Q_OBJECT

private slots:
    void opensOnANoisySineWithTwoCurvesAndALegend();
    void clickMovesTheQueryPointAndTheFitMatchesCore_data();
    void clickMovesTheQueryPointAndTheFitMatchesCore();
    void draggingCarriesTheQueryPointAlong();
    void switchingMethodsChangesTheCurvesAndTheLegend();
    void lowessLocalLineGivesLowessFit();
    void bandwidthSliderRefitsWhileDragged();
    void largeSampleShowsAnApproximatePictureFirst();
    void ruleButtonsSetTheBandwidth();
    void crossValidationCurveMarksTheOptimum();
    void lowessFeaturedOffersNoBandwidthOptimum();
    void bandIsTheSmootherStandardError();
    void noiseOfALargeSampleIsEstimatedFromEvenlySpacedRows();
    void badInputGivesAMessage_data();
    void badInputGivesAMessage();
    void nonFiniteDataKeepTheLastPicture();
    void mainWindowFeedsTheExplorerItsData();
};

void TestLocalFitsExplorer::opensOnANoisySineWithTwoCurvesAndALegend() {
    ExplorerWindow shown;
    QVERIFY(test::waitFor([&] { return shown.explorer->picture() && shown.explorer->query(); },
                          resultTimeoutMilliseconds));
    const auto picture = shown.explorer->picture();
    const Dataset builtIn = generate("noisy_function");
    QVERIFY(sameValues(picture->sample->x, builtIn.points.col(0)));
    QCOMPARE(picture->curves.size(), std::size_t(2));
    QCOMPARE(picture->curves[0].method, LocalFitMethod::NadarayaWatson);
    QCOMPARE(picture->curves[1].method, LocalFitMethod::LocalLinear);
    // Silverman's robust rule for x; for the Gaussian kernel it is used as it is.
    LOCALLAB_COMPARE_NEAR(picture->bandwidth, robustSilvermanBandwidth(builtIn.points.col(0)), 1e-12, 0.0);
    const auto legend = shown.explorer->legendNames();
    QVERIFY(contains(legend, "Nadaraya–Watson"));
    QVERIFY(contains(legend, "local linear"));
    QVERIFY(contains(legend, "data (n = 200)"));
    QVERIFY(contains(legend, "local model"));
    settle(*shown.explorer->plotView());
    QVERIFY(!shown.explorer->plotView()->legendRect().isEmpty());
    // x* starts a quarter into the range of x, and the panel explains the local linear fit there.
    const double low = builtIn.points.col(0).minCoeff();
    const double high = builtIn.points.col(0).maxCoeff();
    LOCALLAB_COMPARE_NEAR(shown.explorer->query()->x, low + 0.25 * (high - low), 1e-12, 0.0);
    QVERIFY(shown.explorer->formulaText().contains("effective number of points"));
    QVERIFY(shown.explorer->formulaText().contains("β<sub>1</sub> = "));
    QVERIFY2(shown.explorer->messageText().isEmpty(), qPrintable(shown.explorer->messageText()));
    QVERIFY(test::waitFor([&] { return shown.explorer->crossValidation() != nullptr; },
                          resultTimeoutMilliseconds));
    snapshot(shown.window, "local_fits_default");
}

void TestLocalFitsExplorer::clickMovesTheQueryPointAndTheFitMatchesCore_data() {
    QTest::addColumn<QString>("featured");
    QTest::addColumn<int>("degree");
    QTest::addColumn<QString>("kernel");
    QTest::addColumn<double>("h");
    QTest::addColumn<double>("target");
    QTest::newRow("Nadaraya-Watson, Gaussian") << "nadaraya-watson" << 0 << "gaussian" << 0.06 << 0.6;
    QTest::newRow("Nadaraya-Watson, Epanechnikov")
        << "nadaraya-watson" << 0 << "epanechnikov" << 0.15 << 0.35;
    QTest::newRow("local linear at the left edge") << "local-linear" << 1 << "gaussian" << 0.08 << 0.03;
    QTest::newRow("local quadratic") << "local-quadratic" << 2 << "gaussian" << 0.1 << 0.5;
    QTest::newRow("local cubic, Epanechnikov") << "local-cubic" << 3 << "epanechnikov" << 0.3 << 0.8;
}

void TestLocalFitsExplorer::clickMovesTheQueryPointAndTheFitMatchesCore() {
    QFETCH(QString, featured);
    QFETCH(int, degree);
    QFETCH(QString, kernel);
    QFETCH(double, h);
    QFETCH(double, target);
    ExplorerWindow shown;
    const auto data = noisyFunction(150, 4);
    shown.explorer->setDataset(data);
    QVERIFY(waitForFitsOf(*shown.explorer, *data));
    ParameterValues values = shown.explorer->panel()->values();
    values.set("featured", featured.toStdString());
    values.set("kernel", kernel.toStdString());
    values.set("bandwidth", h);
    shown.explorer->panel()->setValues(values);
    emit shown.explorer->panel()->parameterChanged("featured", featured.toStdString());
    QVERIFY(test::waitFor(
        [&] {
            const auto picture = shown.explorer->picture();
            return picture->bandwidth == h &&
                   localFitMethodKey(picture->featured) == featured.toStdString() &&
                   picture->kernel.name() == kernel.toStdString();
        },
        resultTimeoutMilliseconds));

    PlotView2D* view = shown.explorer->plotView();
    settle(*view);
    QSignalSpy queries(shown.explorer, &LocalFitsExplorer::queryShown);
    QTest::mouseClick(view, Qt::LeftButton, Qt::NoModifier, pixelOf(*view, target, middleY(*shown.explorer)));
    QVERIFY(queries.wait(resultTimeoutMilliseconds));
    const auto query = shown.explorer->query();
    // The click landed where it was aimed, to within a pixel of x.
    const double pixel =
        (view->visibleXRange().maximum - view->visibleXRange().minimum) / view->frameRect().width();
    QVERIFY2(std::abs(query->x - target) <= 1.5 * pixel, qPrintable(QString::number(query->x)));

    const KernelProfile profile = *parseKernelProfile(kernel.toStdString());
    const LocalEstimate expected =
        coreRegression(*data, profile, h, degree).fitAt(Eigen::VectorXd::Constant(1, query->x));
    QVERIFY(query->estimate.hasValue());
    LOCALLAB_COMPARE_NEAR(query->estimate.value, expected.value, 1e-14, 1e-14);

    // The weights written out: K_i, their sum and effective number, and for degree 0 the weighted mean.
    const Eigen::VectorXd x = data->points.col(0);
    const Eigen::VectorXd& y = *data->target;
    Eigen::VectorXd weights(x.size());
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        const double z = (x(i) - query->x) / h;
        weights(i) = kernelValue(profile, z * z);
    }
    LOCALLAB_COMPARE_NEAR(std::exp(query->logWeightSum), weights.sum(), 1e-12, 0.0);
    LOCALLAB_COMPARE_NEAR(query->effectivePointCount, weights.sum() * weights.sum() / weights.squaredNorm(),
                          1e-12, 0.0);
    LOCALLAB_COMPARE_MATRIX_NEAR(query->relativeWeights, weights / weights.maxCoeff(), 1e-12, 1e-15);
    if (degree == 0) {
        LOCALLAB_COMPARE_NEAR(query->estimate.value, weights.dot(y) / weights.sum(), 1e-12, 1e-14);
    }
    // The local model's coefficients from an independent solve: QR of the weighted design in (x − x*).
    Eigen::MatrixXd design(x.size(), degree + 1);
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        for (int t = 0; t <= degree; ++t) {
            design(i, t) = std::sqrt(weights(i)) * std::pow(x(i) - query->x, t);
        }
    }
    const Eigen::VectorXd coefficients =
        design.colPivHouseholderQr().solve(weights.cwiseSqrt().cwiseProduct(y));
    QVERIFY(query->model.has_value());
    QCOMPARE(query->model->coefficients.size(), Eigen::Index(degree + 1));
    LOCALLAB_COMPARE_MATRIX_NEAR(query->model->coefficients, coefficients, 1e-7, 1e-9);
    LOCALLAB_COMPARE_NEAR(query->model->coefficients(0), expected.value, 1e-10, 1e-12);
    QVERIFY(shown.explorer->formulaText().contains(QString::number(expected.value, 'g', 4)));
    QVERIFY2(shown.explorer->messageText().isEmpty(), qPrintable(shown.explorer->messageText()));

    // The fitted value is the large marker at (x*, ŷ), in the featured method's colour.
    QImage image = view->grabImage();
    image = view->grabImage();
    const double ratio = view->devicePixelRatioF();
    const QPointF marker = view->dataToDisplay(Eigen::Vector2d(query->x, query->estimate.value));
    const QColor color = image.pixelColor(static_cast<int>(std::lround(marker.x() * ratio)),
                                          static_cast<int>(std::lround(marker.y() * ratio)));
    const auto method = *parseLocalFitMethod(featured.toStdString());
    const Rgb expectedColor = method == LocalFitMethod::NadarayaWatson   ? categoricalColor(3)
                              : method == LocalFitMethod::LocalLinear    ? categoricalColor(0)
                              : method == LocalFitMethod::LocalQuadratic ? categoricalColor(2)
                                                                         : categoricalColor(4);
    QVERIFY2(closeColors(color, expectedColor), qPrintable(color.name()));
    snapshot(shown.window, "local_fits_" + featured);
}

void TestLocalFitsExplorer::draggingCarriesTheQueryPointAlong() {
    ExplorerWindow shown;
    const auto data = noisyFunction(300, 7);
    shown.explorer->setDataset(data);
    QVERIFY(waitForFitsOf(*shown.explorer, *data));
    PlotView2D* view = shown.explorer->plotView();
    settle(*view);
    const AxisRange framedX = view->visibleXRange();
    const double y = middleY(*shown.explorer);

    QSignalSpy queries(shown.explorer, &LocalFitsExplorer::queryShown);
    QSignalSpy renders(view, &VtkView::renderTimeMeasured);
    QTest::mousePress(view, Qt::LeftButton, Qt::NoModifier, pixelOf(*view, 0.2, y));
    QVERIFY(queries.wait(resultTimeoutMilliseconds));
    std::vector<double> seen;
    for (int step = 1; step <= 30; ++step) {
        QTest::mouseMove(view, pixelOf(*view, 0.2 + 0.6 * step / 30.0, y));
        QTest::qWait(15);
        if (shown.explorer->query()) {
            seen.push_back(shown.explorer->query()->x);
        }
    }
    QTest::mouseRelease(view, Qt::LeftButton, Qt::NoModifier, pixelOf(*view, 0.8, y));
    QVERIFY(test::waitFor([&] { return std::abs(shown.explorer->query()->x - 0.8) < 0.01; },
                          resultTimeoutMilliseconds));
    // x* followed the hand: it was shown at many places on the way, moving right.
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    QVERIFY2(seen.size() >= 10, qPrintable(QString::number(seen.size())));
    QVERIFY(queries.count() >= 10);
    // The drag moved x*, not the camera.
    QCOMPARE(view->visibleXRange().minimum, framedX.minimum);
    QCOMPARE(view->visibleXRange().maximum, framedX.maximum);
    const auto query = shown.explorer->query();
    const double h = shown.explorer->picture()->bandwidth;
    const LocalEstimate expected =
        coreRegression(*data, KernelProfile::Gaussian, h, 1).fitAt(Eigen::VectorXd::Constant(1, query->x));
    LOCALLAB_COMPARE_NEAR(query->estimate.value, expected.value, 1e-14, 1e-14);

    // Timings for the record (never asserted): from a move to its layers drawn, the drawn frames, and the
    // query job alone (one local fit and the weights of every point).
    const auto median = [](std::vector<double> values) {
        std::sort(values.begin(), values.end());
        return values.empty() ? 0.0 : values[values.size() / 2];
    };
    const auto p95 = [](std::vector<double> values) {
        std::sort(values.begin(), values.end());
        return values.empty() ? 0.0 : values[std::min(values.size() - 1, values.size() * 95 / 100)];
    };
    std::vector<double> latencies;
    for (const auto& arguments : queries) {
        latencies.push_back(arguments.at(0).toDouble());
    }
    std::vector<double> frames;
    for (const auto& arguments : renders) {
        frames.push_back(arguments.at(0).toDouble());
    }
    std::vector<double> jobs;
    for (int k = 0; k < 200; ++k) {
        QElapsedTimer clock;
        clock.start();
        computeQueryPicture(*shown.explorer->picture(), 0.005 * k, 0);
        jobs.push_back(static_cast<double>(clock.nsecsElapsed()) / 1e6);
    }
    qInfo("x* drag, n = 300: move to layers drawn median %.2f ms, p95 %.2f ms; frame render median %.1f ms; "
          "query job median %.3f ms, p95 %.3f ms",
          median(latencies), p95(latencies), median(frames), median(jobs), p95(jobs));

    // The arrow keys nudge x* too.
    const double before = shown.explorer->query()->x;
    queries.clear();
    QTest::keyClick(view, Qt::Key_Left);
    QVERIFY(queries.wait(resultTimeoutMilliseconds));
    QVERIFY(shown.explorer->query()->x < before);
    snapshot(shown.window, "local_fits_dragged");
}

void TestLocalFitsExplorer::switchingMethodsChangesTheCurvesAndTheLegend() {
    ExplorerWindow shown;
    const auto data = noisyFunction(200, 2);
    shown.explorer->setDataset(data);
    QVERIFY(waitForFitsOf(*shown.explorer, *data));
    QVERIFY(shown.explorer->picture()->curve(LocalFitMethod::NadarayaWatson));

    // A click on the check box, as a user switches a curve off.
    auto* nadarayaWatson =
        qobject_cast<QCheckBox*>(shown.explorer->panel()->controlFor("show-nadaraya-watson"));
    QVERIFY(nadarayaWatson);
    nadarayaWatson->click();
    QVERIFY(test::waitFor([&] { return !shown.explorer->picture()->curve(LocalFitMethod::NadarayaWatson); },
                          resultTimeoutMilliseconds));
    QCOMPARE(shown.explorer->picture()->curves.size(), std::size_t(1));
    QVERIFY(!contains(shown.explorer->legendNames(), "Nadaraya–Watson"));
    QVERIFY(contains(shown.explorer->legendNames(), "local linear"));

    auto* lowess = qobject_cast<QCheckBox*>(shown.explorer->panel()->controlFor("show-lowess"));
    QVERIFY(lowess);
    lowess->click();
    QVERIFY(test::waitFor([&] { return shown.explorer->picture()->curve(LocalFitMethod::Lowess) != nullptr; },
                          resultTimeoutMilliseconds));
    QVERIFY(contains(shown.explorer->legendNames(), "LOWESS"));
    const auto picture = shown.explorer->picture();
    SilentProgress progress;
    const Lowess reference(data->points.col(0), *data->target, LowessSettings{0.3, 3}, progress);
    const LocalFit expected = reference.evaluate(picture->grid, progress);
    LOCALLAB_COMPARE_MATRIX_NEAR(picture->curve(LocalFitMethod::Lowess)->fit.values, expected.values, 1e-12,
                                 1e-12);
    // The other curve is core's local linear fit on the same grid.
    const LocalFit linear = coreRegression(*data, KernelProfile::Gaussian, picture->bandwidth, 1)
                                .fit(Eigen::MatrixXd(picture->grid), progress);
    LOCALLAB_COMPARE_MATRIX_NEAR(picture->curve(LocalFitMethod::LocalLinear)->fit.values, linear.values,
                                 1e-14, 1e-14);
    snapshot(shown.window, "local_fits_lowess");
}

void TestLocalFitsExplorer::lowessLocalLineGivesLowessFit() {
    ExplorerWindow shown;
    // A few gross outliers: LOWESS's robustness weights matter.
    auto data = std::make_shared<Dataset>(*noisyFunction(120, 3));
    for (const Eigen::Index row : {5, 40, 77}) {
        (*data->target)(row) += 4.0;
    }
    shown.explorer->setDataset(data);
    QVERIFY(waitForFitsOf(*shown.explorer, *data));
    setParameter(*shown.explorer, "featured", std::string("lowess"));
    QVERIFY(test::waitFor([&] { return shown.explorer->picture()->featured == LocalFitMethod::Lowess; },
                          resultTimeoutMilliseconds));
    SilentProgress progress;
    const Lowess reference(data->points.col(0), *data->target, LowessSettings{0.3, 3}, progress);
    for (const double target : {0.0, 0.013, 0.25, 0.5, 0.77, 0.99, 1.0}) {
        shown.explorer->setQueryPoint(target);
        QVERIFY(
            test::waitFor([&] { return shown.explorer->query()->x == target; }, resultTimeoutMilliseconds));
        const auto query = shown.explorer->query();
        const double expected = reference.evaluate(Eigen::VectorXd::Constant(1, target), progress).values(0);
        LOCALLAB_COMPARE_NEAR(query->estimate.value, expected, 1e-14, 1e-14);
        // The drawn line passes through LOWESS's value at x*.
        QVERIFY(query->model.has_value());
        LOCALLAB_COMPARE_NEAR(query->model->coefficients(0), expected, 1e-9, 1e-12);
        // The outliers weigh (almost) nothing: their robustness weight is 0.
        for (const Eigen::Index row : {5, 40, 77}) {
            QVERIFY(query->relativeWeights(row) < 1e-6);
        }
    }
    QVERIFY(shown.explorer->formulaText().contains("LOWESS"));
    snapshot(shown.window, "local_fits_lowess_featured");
}

void TestLocalFitsExplorer::bandwidthSliderRefitsWhileDragged() {
    ExplorerWindow shown;
    const auto data = noisyFunction(200, 5);
    shown.explorer->setDataset(data);
    QVERIFY(waitForFitsOf(*shown.explorer, *data));
    QSlider* slider = shown.explorer->panel()->sliderFor("bandwidth");
    QVERIFY(slider);
    QSignalSpy pictures(shown.explorer, &LocalFitsExplorer::pictureShown);
    // A small sample has only exact pictures, and no badge.
    bool onlyExact = true;
    const auto exactness = connect(shown.explorer, &LocalFitsExplorer::pictureShown,
                                   [&] { onlyExact = onlyExact && shown.explorer->picture()->exact; });
    const double before = shown.explorer->picture()->bandwidth;
    slider->setSliderDown(true);
    const int start = slider->value();
    for (int step = 1; step <= 6; ++step) {
        slider->setValue(start + (slider->maximum() - start) * step / 40);
        QTest::qWait(40);
    }
    // Fits arrive while the slider is still held: the preview is live.
    QVERIFY(test::waitFor([&] { return pictures.count() > 0; }, resultTimeoutMilliseconds));
    QVERIFY(slider->isSliderDown());
    slider->setSliderDown(false);
    const double h = shown.explorer->panel()->values().real("bandwidth");
    QVERIFY(h > before);
    QVERIFY(
        test::waitFor([&] { return shown.explorer->picture()->bandwidth == h && shown.explorer->query(); },
                      resultTimeoutMilliseconds));
    const auto query = shown.explorer->query();
    const LocalEstimate expected =
        coreRegression(*data, KernelProfile::Gaussian, h, 1).fitAt(Eigen::VectorXd::Constant(1, query->x));
    LOCALLAB_COMPARE_NEAR(query->estimate.value, expected.value, 1e-14, 1e-14);
    disconnect(exactness);
    QVERIFY(onlyExact);
    QVERIFY(shown.explorer->badgeText().isEmpty());
}

void TestLocalFitsExplorer::largeSampleShowsAnApproximatePictureFirst() {
    // 8,000 points: a bandwidth change first shows curves read from binned fits, marked approximate, then
    // the exact picture replaces them, while the slider is still held. On release the band follows, the
    // same way.
    ExplorerWindow shown;
    const auto data = noisyFunction(8000, 12);
    QVERIFY(data->points.rows() >= LocalFitsExplorer::approximatePointLimit);
    shown.explorer->setDataset(data);
    QVERIFY(test::waitFor(
        [&] {
            const auto picture = shown.explorer->picture();
            return picture && picture->exact && sameValues(picture->sample->x, data->points.col(0)) &&
                   shown.explorer->query();
        },
        resultTimeoutMilliseconds));
    QCOMPARE(shown.explorer->badgeText(), QStringLiteral("Exact"));

    std::vector<std::shared_ptr<const LocalFitsPicture>> pictures;
    std::vector<QString> badges;
    const auto record = connect(shown.explorer, &LocalFitsExplorer::pictureShown, [&] {
        pictures.push_back(shown.explorer->picture());
        badges.push_back(shown.explorer->badgeText());
    });
    const auto exactOf = [&](double h) {
        return test::waitFor(
            [&] {
                return !pictures.empty() && pictures.back()->exact && pictures.back()->bandwidth == h &&
                       shown.explorer->query();
            },
            resultTimeoutMilliseconds);
    };
    QSlider* slider = shown.explorer->panel()->sliderFor("bandwidth");
    slider->setSliderDown(true);
    slider->setValue(slider->value() + 25);
    const double h = shown.explorer->panel()->values().real("bandwidth");
    QVERIFY(exactOf(h));
    QVERIFY(slider->isSliderDown());
    // First the approximation, then the exact picture of the same change, and nothing after it.
    QVERIFY(pictures.size() >= 2);
    auto approximate = pictures.front();
    auto exact = pictures.back();
    QVERIFY(!approximate->exact);
    QCOMPARE(approximate->bandwidth, h);
    QCOMPARE(approximate->requestNumber, exact->requestNumber);
    QCOMPARE(badges.front(), QStringLiteral("Approximate (binned) — exact result on its way"));
    QCOMPARE(badges.back(), QStringLiteral("Exact"));
    QCOMPARE(std::count_if(pictures.begin(), pictures.end(), [](const auto& p) { return p->exact; }), 1);
    QVERIFY(approximate->binnedGridSize >= 401);

    // The approximate curves are close to the exact ones, which are core's exact fits.
    QCOMPARE(approximate->curves.size(), exact->curves.size());
    SilentProgress progress;
    for (std::size_t k = 0; k < exact->curves.size(); ++k) {
        const FittedCurve& rough = approximate->curves[k];
        const FittedCurve& precise = exact->curves[k];
        QCOMPARE(rough.method, precise.method);
        QVERIFY(rough.fit.statuses == precise.fit.statuses);
        LOCALLAB_COMPARE_MATRIX_NEAR(rough.fit.values, precise.fit.values, 0.0, 0.01);
        const LocalFit core =
            coreRegression(*data, KernelProfile::Gaussian, h, localFitDegree(precise.method))
                .fit(Eigen::MatrixXd(exact->grid), progress);
        LOCALLAB_COMPARE_MATRIX_NEAR(precise.fit.values, core.values, 1e-14, 1e-14);
    }
    // The query at x* is exact in both pictures: one local fit of core's.
    const double x = approximate->initialQuery->x;
    const LocalEstimate expected =
        coreRegression(*data, KernelProfile::Gaussian, h, 1).fitAt(Eigen::VectorXd::Constant(1, x));
    LOCALLAB_COMPARE_NEAR(approximate->initialQuery->estimate.value, expected.value, 1e-14, 1e-14);

    // The release asks for the band: binned in the approximation, from the smoother's rows in the exact
    // picture. The binned σ̂ uses every row: it is close to core's estimate from all rows (the exact
    // picture's, from 1000 of the 8000 rows, is a few per cent off it by sampling alone). The band's shape,
    // sqrt(Σ l_i(x)²), is close to the exact one.
    pictures.clear();
    slider->setSliderDown(false);
    QVERIFY(exactOf(h));
    disconnect(record);
    approximate = pictures.front();
    exact = pictures.back();
    QVERIFY(!approximate->exact);
    QVERIFY(approximate->band.has_value() && exact->band.has_value());
    QVERIFY(approximate->band->binned);
    QVERIFY(!exact->band->binned);
    const NoiseVarianceEstimate allRows =
        estimateNoiseVariance(coreRegression(*data, KernelProfile::Gaussian, h, 1), progress);
    LOCALLAB_COMPARE_NEAR(approximate->band->noiseStandardDeviation, std::sqrt(allRows.variance), 0.01, 0.0);
    LOCALLAB_COMPARE_MATRIX_NEAR(approximate->band->halfWidth / approximate->band->noiseStandardDeviation,
                                 exact->band->halfWidth / exact->band->noiseStandardDeviation, 0.02, 0.0);
    snapshot(shown.window, "local_fits_large_sample");
}

void TestLocalFitsExplorer::ruleButtonsSetTheBandwidth() {
    ExplorerWindow shown;
    const auto data = noisyFunction(200, 6);
    shown.explorer->setDataset(data);
    QVERIFY(waitForFitsOf(*shown.explorer, *data));
    const Eigen::VectorXd x = data->points.col(0);

    // For a compact kernel the rule's Gaussian h is widened to the same spread: Epanechnikov's standard
    // deviation at radius 1 is 1/√5.
    setParameter(*shown.explorer, "kernel", std::string("epanechnikov"));
    QVERIFY(test::waitFor(
        [&] { return shown.explorer->picture()->kernel.profile() == KernelProfile::Epanechnikov; },
        resultTimeoutMilliseconds));
    shown.explorer->panel()->findChild<QPushButton*>("rule_silverman")->click();
    const double silverman = std::sqrt(5.0) * robustSilvermanBandwidth(x);
    QVERIFY(test::waitFor(
        [&] { return std::abs(shown.explorer->picture()->bandwidth - silverman) < 1e-6 * silverman; },
        resultTimeoutMilliseconds));
    QVERIFY(std::abs(shown.explorer->panel()->values().real("bandwidth") - silverman) < 1e-4);

    setParameter(*shown.explorer, "kernel", std::string("gaussian"));
    shown.explorer->panel()->findChild<QPushButton*>("rule_cv")->click();
    LocalRegressionSettings settings;
    settings.degree = 1;
    SilentProgress progress;
    const Eigen::MatrixXd points = x;
    const CrossValidationCurve curve =
        crossValidateBandwidth(points, *data->target, settings, defaultBandwidthGrid(points, 30), progress);
    QVERIFY(test::waitFor(
        [&] {
            return shown.explorer->picture()->bandwidth == curve.bestBandwidth() &&
                   shown.explorer->picture()->kernel.profile() == KernelProfile::Gaussian;
        },
        resultTimeoutMilliseconds));
}

void TestLocalFitsExplorer::crossValidationCurveMarksTheOptimum() {
    ExplorerWindow shown;
    const auto data = noisyFunction(150, 8);
    shown.explorer->setDataset(data);
    QVERIFY(waitForFitsOf(*shown.explorer, *data));
    setParameter(*shown.explorer, "featured", std::string("nadaraya-watson"));
    QVERIFY(test::waitFor(
        [&] {
            const auto cv = shown.explorer->crossValidation();
            return cv && cv->degree == 0 && cv->sample == shown.explorer->sample();
        },
        resultTimeoutMilliseconds));
    const auto cv = shown.explorer->crossValidation();
    LocalRegressionSettings settings;
    settings.degree = 0;
    SilentProgress progress;
    const Eigen::MatrixXd points = data->points.leftCols(1);
    const CrossValidationCurve expected =
        crossValidateBandwidth(points, *data->target, settings, defaultBandwidthGrid(points, 30), progress);
    QCOMPARE(cv->curve.bandwidths.size(), expected.bandwidths.size());
    for (std::size_t k = 0; k < expected.errors.size(); ++k) {
        LOCALLAB_COMPARE_NEAR(cv->curve.errors[k], expected.errors[k], 1e-12, 0.0);
    }
    QCOMPARE(cv->curve.bestIndex, expected.bestIndex);

    auto* useOptimum = shown.explorer->centralWidget()->findChild<QPushButton*>("useCrossValidationOptimum");
    QVERIFY(useOptimum && useOptimum->isEnabled());
    QVERIFY(useOptimum->text().contains(QString::number(expected.bestBandwidth(), 'g', 4)));
    QTest::mouseClick(useOptimum, Qt::LeftButton);
    QVERIFY(test::waitFor([&] { return shown.explorer->picture()->bandwidth == expected.bestBandwidth(); },
                          resultTimeoutMilliseconds));
    settle(*shown.explorer->crossValidationView());
    QVERIFY(shown.explorer->crossValidationView()->frameRect().width() > 150);
    snapshot(shown.window, "local_fits_cv_optimum");
}

void TestLocalFitsExplorer::lowessFeaturedOffersNoBandwidthOptimum() {
    ExplorerWindow shown;
    const auto data = noisyFunction(150, 8);
    shown.explorer->setDataset(data);
    QVERIFY(waitForFitsOf(*shown.explorer, *data));
    QVERIFY(test::waitFor(
        [&] {
            const auto cv = shown.explorer->crossValidation();
            return cv && cv->sample == shown.explorer->sample();
        },
        resultTimeoutMilliseconds));
    auto* useOptimum = shown.explorer->centralWidget()->findChild<QPushButton*>("useCrossValidationOptimum");
    auto* rule = shown.explorer->panel()->findChild<QPushButton*>("rule_cv");
    QVERIFY(useOptimum && rule);
    QVERIFY(useOptimum->isEnabled() && rule->isEnabled());

    // LOWESS's neighbourhood is its span f: an h from the curve would not change its fit, and the
    // explorer says so instead of offering it.
    setParameter(*shown.explorer, "featured", std::string("lowess"));
    QVERIFY(test::waitFor(
        [&] {
            return shown.explorer->query() && shown.explorer->query()->featured == LocalFitMethod::Lowess;
        },
        resultTimeoutMilliseconds));
    QVERIFY(!useOptimum->isEnabled());
    QVERIFY(!rule->isEnabled());
    QVERIFY2(useOptimum->text().contains("LOWESS") && useOptimum->text().contains("f, not h"),
             qPrintable(useOptimum->text()));
    QVERIFY(useOptimum->toolTip().contains("span f"));
    // The curve stays on screen as the local linear fit's, and says so.
    QCOMPARE(shown.explorer->crossValidation()->degree, 1);
    snapshot(shown.window, "local_fits_lowess_cv");

    setParameter(*shown.explorer, "featured", std::string("local-linear"));
    QVERIFY(test::waitFor([&] { return useOptimum->isEnabled(); }, resultTimeoutMilliseconds));
    QVERIFY(rule->isEnabled());
    QVERIFY(useOptimum->text().contains("h ="));
}

void TestLocalFitsExplorer::bandIsTheSmootherStandardError() {
    ExplorerWindow shown;
    const auto data = noisyFunction(160, 9);
    shown.explorer->setDataset(data);
    QVERIFY(waitForFitsOf(*shown.explorer, *data));
    const auto picture = shown.explorer->picture();
    QVERIFY(picture->band.has_value());
    const LocalRegression regression = coreRegression(*data, KernelProfile::Gaussian, picture->bandwidth, 1);
    SilentProgress progress;
    const NoiseVarianceEstimate noise = estimateNoiseVariance(regression, progress);
    const LocalFit errors =
        standardErrors(regression, Eigen::MatrixXd(picture->grid), noise.variance, progress);
    LOCALLAB_COMPARE_NEAR(picture->band->noiseStandardDeviation, std::sqrt(noise.variance), 1e-12, 0.0);
    LOCALLAB_COMPARE_MATRIX_NEAR(picture->band->halfWidth, errors.values, 1e-12, 1e-15);
    // At x*: σ̂·sqrt(Σ l_i(x*)²) from the smoother weights there.
    const auto query = shown.explorer->query();
    const double expected = std::sqrt(
        noise.variance * regression.weightsAt(Eigen::VectorXd::Constant(1, query->x)).sumOfSquares());
    LOCALLAB_COMPARE_NEAR(query->standardError, expected, 1e-12, 0.0);
    QVERIFY(shown.explorer->formulaText().contains(QString::number(expected, 'g', 4)));

    auto* band = qobject_cast<QCheckBox*>(shown.explorer->panel()->controlFor("show-band"));
    band->click();
    QVERIFY(test::waitFor([&] { return !shown.explorer->picture()->band.has_value(); },
                          resultTimeoutMilliseconds));
    for (const std::string& name : shown.explorer->legendNames()) {
        QVERIFY2(name.find("standard error") == std::string::npos, name.c_str());
    }
}

void TestLocalFitsExplorer::noiseOfALargeSampleIsEstimatedFromEvenlySpacedRows() {
    // Every row of the smoother matrix costs a fit over all points; beyond a thousand points σ̂ comes from
    // a thousand evenly spaced rows. It must stay close to the estimate from all rows.
    const auto data = noisyFunction(3000, 11);
    FitsRequest request;
    request.sample = std::make_shared<const RegressionSample>(regressionSampleOf(*data));
    request.bandwidth = 0.03;
    request.shownMethods = {LocalFitMethod::LocalLinear};
    request.featured = LocalFitMethod::LocalLinear;
    SilentProgress progress;
    const auto picture = computeLocalFitsPicture(request, progress);
    QVERIFY(picture->band.has_value());
    QCOMPARE(picture->band->noiseRows, Eigen::Index(1000));
    const NoiseVarianceEstimate exact =
        estimateNoiseVariance(coreRegression(*data, KernelProfile::Gaussian, 0.03, 1), progress);
    LOCALLAB_COMPARE_NEAR(picture->band->noiseStandardDeviation, std::sqrt(exact.variance), 0.05, 0.0);
    // The generator's noise is 0.2: both estimates see it.
    LOCALLAB_COMPARE_NEAR(picture->band->noiseStandardDeviation, 0.2, 0.1, 0.0);
}

void TestLocalFitsExplorer::badInputGivesAMessage_data() {
    QTest::addColumn<Eigen::VectorXd>("x");
    QTest::addColumn<Eigen::VectorXd>("y");
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("featured");
    QTest::addColumn<QString>("kernel");
    QTest::addColumn<double>("h");
    QTest::addColumn<double>("queryX");
    QTest::addColumn<QString>("message");

    QTest::newRow("fewer points than a cubic's coefficients")
        << Eigen::VectorXd(Eigen::Vector3d(0.0, 1.0, 2.0)) << Eigen::VectorXd(Eigen::Vector3d(1.0, 3.0, 2.0))
        << "auto"
        << "local-cubic"
        << "gaussian" << 1.0 << 1.0 << "fewer points than parameters";
    QTest::newRow("a single point") << Eigen::VectorXd(Eigen::VectorXd::Constant(1, 2.0))
                                    << Eigen::VectorXd(Eigen::VectorXd::Constant(1, 5.0)) << "auto"
                                    << "local-linear"
                                    << "gaussian" << 1.0 << 2.0 << "fewer points than parameters";
    Eigen::VectorXd gapped(20);
    for (Eigen::Index i = 0; i < 10; ++i) {
        gapped(i) = 0.03 * static_cast<double>(i);
        gapped(10 + i) = 0.73 + 0.03 * static_cast<double>(i);
    }
    QTest::newRow("every weight zero at x*") << gapped << Eigen::VectorXd(gapped.array().sin()) << "auto"
                                             << "local-linear"
                                             << "epanechnikov" << 0.05 << 0.5 << "every weight is zero";
    Eigen::VectorXd repeated(12);
    Eigen::VectorXd conflicting(12);
    for (Eigen::Index i = 0; i < 12; ++i) {
        repeated(i) = static_cast<double>(i / 2);
        conflicting(i) = static_cast<double>(i % 2) + 0.1 * static_cast<double>(i);
    }
    QTest::newRow("duplicate x with different y") << repeated << conflicting << "auto"
                                                  << "local-linear"
                                                  << "gaussian" << 0.7 << 2.5 << "repeat with different y";
    QTest::newRow("one column and no target")
        << Eigen::VectorXd(Eigen::Vector3d(0.0, 1.0, 2.0)) << Eigen::VectorXd() << "data explorer"
        << "local-linear"
        << "gaussian" << 1.0 << 1.0 << "no target";
}

void TestLocalFitsExplorer::badInputGivesAMessage() {
    QFETCH(Eigen::VectorXd, x);
    QFETCH(Eigen::VectorXd, y);
    QFETCH(QString, source);
    QFETCH(QString, featured);
    QFETCH(QString, kernel);
    QFETCH(double, h);
    QFETCH(double, queryX);
    QFETCH(QString, message);
    ExplorerWindow shown;
    // Something good on screen first: bad data must leave it there.
    QVERIFY(test::waitFor([&] { return shown.explorer->picture() != nullptr; }, resultTimeoutMilliseconds));
    ParameterValues values = shown.explorer->panel()->values();
    values.set("data", source.toStdString());
    values.set("featured", featured.toStdString());
    values.set("kernel", kernel.toStdString());
    shown.explorer->panel()->setValues(values);
    const auto data = regressionData(x, y);
    shown.explorer->setDataset(data);
    if (y.size() == 0) {
        QVERIFY(test::waitFor([&] { return shown.explorer->messageText().contains(message); },
                              resultTimeoutMilliseconds));
        QVERIFY(shown.explorer->picture());
        return;
    }
    QVERIFY(waitForFitsOf(*shown.explorer, *data));
    setParameter(*shown.explorer, "bandwidth", h);
    QVERIFY(
        test::waitFor([&] { return shown.explorer->picture()->bandwidth == h; }, resultTimeoutMilliseconds));
    shown.explorer->setQueryPoint(queryX);
    QVERIFY(test::waitFor(
        [&] {
            return shown.explorer->query()->x == std::clamp(queryX, shown.explorer->picture()->box.xMinimum,
                                                            shown.explorer->picture()->box.xMaximum);
        },
        resultTimeoutMilliseconds));
    QVERIFY2(shown.explorer->messageText().contains(message), qPrintable(shown.explorer->messageText()));
    // Whatever was wrong, every number on screen is finite.
    const auto query = shown.explorer->query();
    QVERIFY(std::isfinite(query->estimate.value));
    QVERIFY(query->relativeWeights.allFinite());
    for (const FittedCurve& curve : shown.explorer->picture()->curves) {
        QVERIFY(curve.fit.values.allFinite());
    }
    settle(*shown.explorer->plotView());
    QString tag = QString::fromLatin1(QTest::currentDataTag());
    tag.replace(QRegularExpression("[^A-Za-z0-9]+"), "_");
    snapshot(shown.window, "local_fits_bad_" + tag);
}

void TestLocalFitsExplorer::nonFiniteDataKeepTheLastPicture() {
    ExplorerWindow shown;
    const auto good = noisyFunction(100, 1);
    shown.explorer->setDataset(good);
    QVERIFY(waitForFitsOf(*shown.explorer, *good));
    const auto before = shown.explorer->picture();
    Eigen::VectorXd y = *good->target;
    y(17) = std::numeric_limits<double>::quiet_NaN();
    shown.explorer->setDataset(regressionData(good->points.col(0), y));
    QVERIFY(test::waitFor([&] { return shown.explorer->messageText().contains("NaN"); },
                          resultTimeoutMilliseconds));
    QCOMPARE(shown.explorer->picture(), before);
}

void TestLocalFitsExplorer::mainWindowFeedsTheExplorerItsData() {
    MainWindow window;
    window.show();
    QVERIFY(window.localFitsExplorer());
    QVERIFY(window.selectExplorer("Local fits"));
    LocalFitsExplorer& explorer = *window.localFitsExplorer();
    // The default blobs have no target: the explorer teaches on its built-in noisy sine and says so.
    QVERIFY(test::waitFor([&] { return explorer.picture() && explorer.query(); }, resultTimeoutMilliseconds));
    QCOMPARE(explorer.picture()->sample->x.size(), Eigen::Index(200));
    QVERIFY(test::waitFor([&] { return explorer.formulaText().contains("built-in noisy sine"); },
                          resultTimeoutMilliseconds));

    // Regression data generated in the Data explorer arrive here.
    ParameterValues values = window.dataExplorer()->panel()->values();
    values.set("generator", std::string("noisy sine"));
    window.dataExplorer()->panel()->setValues(values);
    emit window.dataExplorer()->panel()->parameterChanged("generator", std::string("noisy sine"));
    QVERIFY(test::waitFor([&] { return explorer.picture() && explorer.picture()->sample->x.size() == 600; },
                          resultTimeoutMilliseconds));
    QVERIFY(!explorer.formulaText().contains("built-in"));
}

int main(int argc, char* argv[]) {
    QSurfaceFormat::setDefaultFormat(locallab::VtkView::defaultFormat());
    QApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication application(argc, argv);
    TestLocalFitsExplorer test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_local_fits_explorer.moc"
