// The Surface fit explorer as a user drives it. The surface is checked against closed forms (local linear
// reproduces a plane exactly, local quadratic a quadratic, Nadaraya–Watson a constant) and against core's
// LocalRegression at every grid node; a click and a drag move x*, whose weights, Σw, effective number of
// points and local coefficients are checked against the Gaussian sum written out here and a weighted
// least-squares solve by QR; the rule buttons give Scott's h and the cross-validation optimum; bad data
// leave a message and the last good picture.

#include "explorer_test_window.hpp"
#include "explorers/surface_fit_explorer.hpp"
#include "fuzzy_compare.hpp"
#include "locallab/data/generator_registry.hpp"
#include "locallab/local/regression_cross_validation.hpp"
#include "locallab/util/progress.hpp"
#include "locallab/widgets/parameter_panel.hpp"
#include "locallab/widgets/plot_view_2d.hpp"

#include <Eigen/QR>
#include <QApplication>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <cmath>
#include <functional>

using namespace locallab;

Q_DECLARE_METATYPE(std::shared_ptr<const locallab::Dataset>)

namespace {

constexpr int resultTimeoutMilliseconds = 30000;

// n points uniform in [−1, 1]² from a fixed linear congruential stream, y = f(x1, x2).
std::shared_ptr<const Dataset> surfaceData(long long samples,
                                           const std::function<double(double, double)>& function,
                                           std::uint64_t seed = 5) {
    std::uint64_t state = seed;
    const auto uniform = [&] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return 2.0 * (static_cast<double>((state >> 11) & ((1ULL << 53) - 1)) + 0.5) /
                   static_cast<double>(1ULL << 53) -
               1.0;
    };
    auto dataset = std::make_shared<Dataset>();
    dataset->points.resize(samples, 2);
    dataset->target = Eigen::VectorXd(samples);
    for (Eigen::Index i = 0; i < samples; ++i) {
        dataset->points(i, 0) = uniform();
        dataset->points(i, 1) = uniform();
        (*dataset->target)(i) = function(dataset->points(i, 0), dataset->points(i, 1));
    }
    dataset->columnNames = {"x1", "x2"};
    dataset->targetName = "y";
    dataset->origin = "test surface";
    return dataset;
}

double plane(double x1, double x2) {
    return 1.5 + 2.0 * x1 - 0.7 * x2;
}

double quadratic(double x1, double x2) {
    return 0.5 - x1 + 0.25 * x2 + 1.5 * x1 * x1 - 0.8 * x1 * x2 + 0.6 * x2 * x2;
}

double noisyBump(double x1, double x2) {
    // A smooth bump and a deterministic ripple standing in for noise.
    return std::exp(-(x1 * x1 + x2 * x2) / 0.32) + 0.1 * std::sin(37.0 * x1 + 53.0 * x2);
}

struct ExplorerWindow : test::ExplorerTestWindow<SurfaceFitExplorer> {
    ExplorerWindow() : ExplorerTestWindow(QSize(1300, 900)) {}
};

// Sets parameters as the panel would, and commits the last one.
void setValues(SurfaceFitExplorer& explorer,
               const std::vector<std::pair<std::string, ParameterValue>>& changes) {
    ParameterValues values = explorer.panel()->values();
    for (const auto& [name, value] : changes) {
        values.set(name, value);
    }
    explorer.panel()->setValues(values);
    emit explorer.panel()->parameterChanged(QString::fromStdString(changes.back().first),
                                            changes.back().second);
}

// Waits until the picture on screen is of these data, with this h, and its readout at x* has arrived.
bool waitForPictureOf(const SurfaceFitExplorer& explorer, const Dataset& data, double h = -1.0) {
    return test::waitFor(
        [&] {
            const auto picture = explorer.picture();
            return picture && picture->sample->points.rows() == data.points.rows() &&
                   picture->sample->points == data.points.leftCols(2) &&
                   (h < 0.0 || picture->bandwidth == h) && explorer.query();
        },
        resultTimeoutMilliseconds);
}

// Shows `data` through the Data explorer's path with the data source on "data explorer", then sets the
// method, kernel and h on a 40 × 40 grid; true once that picture and its readout at x* are on screen.
[[nodiscard]] bool showData(ExplorerWindow& shown, const std::shared_ptr<const Dataset>& data,
                            const std::string& method, const std::string& kernel, double h) {
    setValues(*shown.explorer, {{"data", std::string("data explorer")}});
    shown.explorer->setDataset(data);
    if (!waitForPictureOf(*shown.explorer, *data)) {
        return false;
    }
    setValues(*shown.explorer, {{"method", method}, {"kernel", kernel}, {"grid", 40LL}, {"bandwidth", h}});
    return test::waitFor(
        [&] {
            const auto picture = shown.explorer->picture();
            return picture && picture->bandwidth == h &&
                   picture->regression->settings().kernel.name() == kernel && picture->surface.rows() == 40 &&
                   surfaceMethodKey(picture->method) == method && shown.explorer->query();
        },
        resultTimeoutMilliseconds);
}

Eigen::MatrixXd gridTargets(const SurfacePicture& picture) {
    Eigen::MatrixXd targets(picture.x1Nodes.size() * picture.x2Nodes.size(), 2);
    for (Eigen::Index j = 0; j < picture.x2Nodes.size(); ++j) {
        for (Eigen::Index i = 0; i < picture.x1Nodes.size(); ++i) {
            targets.row(i + picture.x1Nodes.size() * j) << picture.x1Nodes(i), picture.x2Nodes(j);
        }
    }
    return targets;
}

} // namespace

class TestSurfaceFitExplorer : public QObject {
    Q_OBJECT

private slots:
    void surfaceReproducesWhatTheModelCanFit_data();
    void surfaceReproducesWhatTheModelCanFit();
    void surfaceEqualsLocalRegression_data();
    void surfaceEqualsLocalRegression();
    void clickSetsTheQueryAndItsNumbers();
    void dragCarriesTheQueryPoint();
    void ruleButtonsChooseTheBandwidth();
    void builtInSamplesWhenTheDataHaveNoTarget();
    void cellsWithoutSupportAreBlankAndNoted();
    void queryWithoutSupportSaysSo();
    void badInput_data();
    void badInput();
    void pictureIsDrawnWithColourBarAndLegend();
    void pointsShowTheirYOnTheColourScale();
};

void TestSurfaceFitExplorer::surfaceReproducesWhatTheModelCanFit_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("kernel");
    QTest::addColumn<int>("function"); // 0: plane, 1: quadratic, 2: constant
    QTest::newRow("local linear, plane, gaussian") << "local-linear"
                                                   << "gaussian" << 0;
    QTest::newRow("local linear, plane, epanechnikov") << "local-linear"
                                                       << "epanechnikov" << 0;
    QTest::newRow("local quadratic, quadratic, gaussian") << "local-quadratic"
                                                          << "gaussian" << 1;
    QTest::newRow("local quadratic, plane, tricube") << "local-quadratic"
                                                     << "tricube" << 0;
    QTest::newRow("Nadaraya-Watson, constant, gaussian") << "nadaraya-watson"
                                                         << "gaussian" << 2;
    QTest::newRow("Nadaraya-Watson, constant, uniform") << "nadaraya-watson"
                                                        << "uniform" << 2;
}

void TestSurfaceFitExplorer::surfaceReproducesWhatTheModelCanFit() {
    QFETCH(QString, method);
    QFETCH(QString, kernel);
    QFETCH(int, function);
    const std::function<double(double, double)> functions[3] = {plane, quadratic,
                                                                [](double, double) { return -2.25; }};
    const auto& f = functions[function];
    ExplorerWindow shown;
    const auto data = surfaceData(300, f);
    QVERIFY(showData(shown, data, method.toStdString(), kernel.toStdString(), 0.6));
    const auto picture = shown.explorer->picture();
    Eigen::Index compared = 0;
    for (Eigen::Index j = 0; j < picture->surface.cols(); ++j) {
        for (Eigen::Index i = 0; i < picture->surface.rows(); ++i) {
            if (std::isnan(picture->surface(i, j))) {
                continue; // a compact kernel may reach no point from a corner of the margin
            }
            LOCALLAB_COMPARE_NEAR(picture->surface(i, j), f(picture->x1Nodes(i), picture->x2Nodes(j)), 1e-8,
                                  1e-9);
            ++compared;
        }
    }
    QVERIFY(compared > picture->surface.size() / 2);
    QCOMPARE(picture->regularizedNodes, Eigen::Index(0));
}

void TestSurfaceFitExplorer::surfaceEqualsLocalRegression_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("kernel");
    QTest::addColumn<double>("bandwidth");
    QTest::newRow("Nadaraya-Watson gaussian") << "nadaraya-watson"
                                              << "gaussian" << 0.15;
    QTest::newRow("local linear gaussian") << "local-linear"
                                           << "gaussian" << 0.2;
    QTest::newRow("local linear biweight") << "local-linear"
                                           << "biweight" << 0.45;
    QTest::newRow("local quadratic epanechnikov") << "local-quadratic"
                                                  << "epanechnikov" << 0.6;
    QTest::newRow("local quadratic laplacian") << "local-quadratic"
                                               << "laplacian" << 0.1;
}

void TestSurfaceFitExplorer::surfaceEqualsLocalRegression() {
    QFETCH(QString, method);
    QFETCH(QString, kernel);
    QFETCH(double, bandwidth);
    ExplorerWindow shown;
    const auto data = surfaceData(400, noisyBump, 9);
    QVERIFY(showData(shown, data, method.toStdString(), kernel.toStdString(), bandwidth));
    const auto picture = shown.explorer->picture();

    LocalRegressionSettings settings;
    settings.kernel = RadialKernel(*parseKernelProfile(kernel.toStdString()));
    settings.bandwidth = Bandwidth::scalar(bandwidth);
    settings.degree = surfaceMethodDegree(*parseSurfaceMethod(method.toStdString()));
    const LocalRegression reference(data->points, *data->target, settings);
    SilentProgress progress;
    const LocalFit expected = reference.fit(gridTargets(*picture), progress);
    QCOMPARE(picture->surface.size(), expected.size());
    Eigen::Index noSupport = 0;
    for (Eigen::Index k = 0; k < expected.size(); ++k) {
        const double drawn = picture->surface(k % picture->surface.rows(), k / picture->surface.rows());
        if (!expected.hasValue(k)) {
            QVERIFY(std::isnan(drawn));
            ++noSupport;
        } else {
            QCOMPARE(drawn, expected.values(k)); // the same core call on the same nodes
        }
    }
    QCOMPARE(picture->noSupportNodes, noSupport);
    QCOMPARE(picture->regularizedNodes, expected.count(LocalFitStatus::Regularized));
    // The colours span the observed y.
    QCOMPARE(picture->colorMinimum, data->target->minCoeff());
    QCOMPARE(picture->colorMaximum, data->target->maxCoeff());
}

void TestSurfaceFitExplorer::clickSetsTheQueryAndItsNumbers() {
    ExplorerWindow shown;
    const auto data = surfaceData(250, plane);
    const double h = 0.3;
    QVERIFY(showData(shown, data, "local-linear", "gaussian", h));
    QTest::qWait(50); // the frame is laid out, so that pixels map to data
    PlotView2D* view = shown.explorer->plotView();
    const Eigen::Vector2d wanted(0.31, -0.42);
    QSignalSpy queries(shown.explorer, &SurfaceFitExplorer::queryShown);
    QTest::mouseClick(view, Qt::LeftButton, Qt::NoModifier, view->dataToDisplay(wanted).toPoint());
    QVERIFY(shown.explorer->queryPoint());
    const Eigen::Vector2d clicked = *shown.explorer->queryPoint();
    QVERIFY2((clicked - wanted).norm() < 0.02,
             qPrintable(QString("%1 %2").arg(clicked.x()).arg(clicked.y())));
    QVERIFY(
        test::waitFor([&] { return shown.explorer->query() && shown.explorer->query()->position == clicked; },
                      resultTimeoutMilliseconds));
    const QueryReadout& query = *shown.explorer->query();

    // Σw and the effective number of points from the Gaussian written out: w_i = exp(−‖x_i − x*‖²/(2h²)).
    double sum = 0.0;
    double squares = 0.0;
    for (Eigen::Index i = 0; i < data->points.rows(); ++i) {
        const double w = std::exp(-(data->points.row(i).transpose() - clicked).squaredNorm() / (2.0 * h * h));
        sum += w;
        squares += w * w;
        LOCALLAB_COMPARE_NEAR(query.relativeWeights(i) * std::exp(query.logWeightSum) /
                                  query.relativeWeights.sum(),
                              w, 1e-10, 1e-14);
    }
    LOCALLAB_COMPARE_NEAR(query.weightSum(), sum, 1e-12, 0.0);
    LOCALLAB_COMPARE_NEAR(query.effectivePointCount, sum * sum / squares, 1e-12, 0.0);
    QCOMPARE(query.pointsWithWeight, data->points.rows());

    // The fitted value is core's; on a plane the local plane is the plane: β = (a + b x1* + c x2*, b, c).
    QVERIFY(query.estimate.hasValue());
    const LocalEstimate core = shown.explorer->picture()->regression->fitAt(clicked);
    QCOMPARE(query.estimate.value, core.value);
    QVERIFY(query.model);
    QCOMPARE(query.model->coefficients.size(), Eigen::Index(3));
    LOCALLAB_COMPARE_NEAR(query.model->coefficients(0), plane(clicked.x(), clicked.y()), 1e-10, 1e-12);
    LOCALLAB_COMPARE_NEAR(query.model->coefficients(1), 2.0, 1e-9, 1e-12);
    LOCALLAB_COMPARE_NEAR(query.model->coefficients(2), -0.7, 1e-9, 1e-12);
    LOCALLAB_COMPARE_NEAR(query.model->coefficients(0), query.estimate.value, 1e-10, 1e-12);

    const QString formula = shown.explorer->formulaText();
    QVERIFY2(formula.contains(QString("Σw = %1").arg(QString::number(sum, 'g', 4))), qPrintable(formula));
    QVERIFY(formula.contains(QString::number(sum * sum / squares, 'g', 4)));
    QVERIFY(formula.contains("effective number of points"));
    QVERIFY(formula.contains("∂ŷ/∂x1"));
    QVERIFY(formula.contains(QString::number(query.estimate.value, 'g', 4)));
    QVERIFY(shown.explorer->messageText().isEmpty());
    QVERIFY(queries.count() >= 1);
}

void TestSurfaceFitExplorer::dragCarriesTheQueryPoint() {
    ExplorerWindow shown;
    const auto data = surfaceData(300, noisyBump, 3);
    QVERIFY(showData(shown, data, "local-quadratic", "epanechnikov", 0.5));
    QTest::qWait(50);
    PlotView2D* view = shown.explorer->plotView();
    const auto pixel = [&](double x1, double x2) {
        return view->dataToDisplay(Eigen::Vector2d(x1, x2)).toPoint();
    };
    QTest::mousePress(view, Qt::LeftButton, Qt::NoModifier, pixel(-0.6, -0.6));
    for (int step = 1; step <= 20; ++step) {
        const double t = -0.6 + 1.2 * step / 20.0;
        QTest::mouseMove(view, pixel(t, t));
        QTest::qWait(10);
    }
    QTest::mouseRelease(view, Qt::LeftButton, Qt::NoModifier, pixel(0.6, 0.6));
    QVERIFY((*shown.explorer->queryPoint() - Eigen::Vector2d(0.6, 0.6)).norm() < 0.02);
    QVERIFY(test::waitFor(
        [&] {
            return shown.explorer->query() &&
                   shown.explorer->query()->position == *shown.explorer->queryPoint();
        },
        resultTimeoutMilliseconds));
    // The readout is an independent weighted least-squares fit of the quadratic in x − x* (by QR): the same
    // coefficients, and β_0 is core's fitted value.
    const QueryReadout& query = *shown.explorer->query();
    const Eigen::Vector2d x = query.position;
    const double h = 0.5;
    std::vector<Eigen::Index> rows;
    for (Eigen::Index i = 0; i < data->points.rows(); ++i) {
        if ((data->points.row(i).transpose() - x).squaredNorm() < h * h) {
            rows.push_back(i);
        }
    }
    Eigen::MatrixXd design(static_cast<Eigen::Index>(rows.size()), 6);
    Eigen::VectorXd responses(design.rows());
    for (std::size_t k = 0; k < rows.size(); ++k) {
        const Eigen::Vector2d z = data->points.row(rows[k]).transpose() - x;
        const double root = std::sqrt(1.0 - z.squaredNorm() / (h * h)); // √ of the Epanechnikov weight
        design.row(static_cast<Eigen::Index>(k)) << 1.0, z.x(), z.y(), z.x() * z.x(), z.x() * z.y(),
            z.y() * z.y();
        design.row(static_cast<Eigen::Index>(k)) *= root;
        responses(static_cast<Eigen::Index>(k)) = root * (*data->target)(rows[k]);
    }
    const Eigen::VectorXd expected = design.colPivHouseholderQr().solve(responses);
    const auto& settings = shown.explorer->picture()->regression->settings();
    QVERIFY2(query.pointsWithWeight == static_cast<Eigen::Index>(rows.size()),
             qPrintable(QString("%1 points with weight, %2 within h; %3 kernel, h = %4, x* = (%5, %6)")
                            .arg(query.pointsWithWeight)
                            .arg(rows.size())
                            .arg(QString::fromStdString(std::string(settings.kernel.name())))
                            .arg(settings.bandwidth.size())
                            .arg(x.x())
                            .arg(x.y())));
    const std::vector<std::array<int, 2>> exponents = {{0, 0}, {1, 0}, {0, 1}, {2, 0}, {1, 1}, {0, 2}};
    QVERIFY(query.model->exponents == exponents);
    LOCALLAB_COMPARE_MATRIX_NEAR(query.model->coefficients, expected, 1e-8, 1e-10);
    LOCALLAB_COMPARE_NEAR(query.estimate.value, expected(0), 1e-9, 1e-11);
    QVERIFY(shown.explorer->formulaText().contains("β<sub>12</sub>"));

    // The arrow keys nudge x* by a hundredth of the plotted range.
    const auto picture = shown.explorer->picture();
    const double step = 0.01 * (picture->x1Nodes.maxCoeff() - picture->x1Nodes.minCoeff());
    QTest::keyClick(view, Qt::Key_Left);
    LOCALLAB_COMPARE_NEAR(shown.explorer->queryPoint()->x(), x.x() - step, 1e-12, 1e-12);
    LOCALLAB_COMPARE_NEAR(shown.explorer->queryPoint()->y(), x.y(), 0.0, 0.0);
}

void TestSurfaceFitExplorer::ruleButtonsChooseTheBandwidth() {
    ExplorerWindow shown;
    const auto data = surfaceData(200, noisyBump, 11);
    QVERIFY(showData(shown, data, "local-linear", "gaussian", 0.7));

    // Scott in the plane: n^(−1/6) times the geometric mean of the columns' standard deviations (n − 1).
    const auto deviation = [&](Eigen::Index column) {
        const Eigen::VectorXd values = data->points.col(column);
        return std::sqrt((values.array() - values.mean()).square().sum() / (values.size() - 1.0));
    };
    const double scott = std::pow(200.0, -1.0 / 6.0) * std::sqrt(deviation(0) * deviation(1));
    shown.explorer->panel()->findChild<QPushButton*>("rule_scott")->click();
    QVERIFY(
        test::waitFor([&] { return std::abs(shown.explorer->picture()->bandwidth - scott) < 1e-12 * scott; },
                      resultTimeoutMilliseconds));
    QVERIFY(shown.explorer->formulaText().contains("Scott"));

    // Leave-one-out cross-validation over the default grid of 20 bandwidths.
    LocalRegressionSettings settings;
    settings.degree = 1;
    SilentProgress progress;
    const CrossValidationCurve curve = crossValidateBandwidth(
        data->points, *data->target, settings, defaultBandwidthGrid(data->points, 20), progress);
    shown.explorer->panel()->findChild<QPushButton*>("rule_cv")->click();
    QVERIFY(test::waitFor([&] { return shown.explorer->picture()->bandwidth == curve.bestBandwidth(); },
                          resultTimeoutMilliseconds));
    QVERIFY(shown.explorer->formulaText().contains("leave-one-out"));
    // The panel shows the h in use (rounded by its number box).
    LOCALLAB_COMPARE_NEAR(shown.explorer->panel()->values().real("bandwidth"), curve.bestBandwidth(), 1e-3,
                          1e-4);
}

void TestSurfaceFitExplorer::builtInSamplesWhenTheDataHaveNoTarget() {
    ExplorerWindow shown;
    auto unlabelled = std::make_shared<Dataset>(*surfaceData(50, plane));
    unlabelled->target.reset();
    shown.explorer->setDataset(unlabelled); // "auto": two columns and no target give way to the bump
    QVERIFY(test::waitFor([&] { return shown.explorer->picture() != nullptr; }, resultTimeoutMilliseconds));
    QVERIFY(QString::fromStdString(shown.explorer->picture()->sample->origin)
                .startsWith("noisy_surface(n=400, f=bump"));
    QVERIFY(shown.explorer->formulaText().contains("built-in noisy bump"));
    QVERIFY(shown.explorer->messageText().isEmpty());
    setValues(*shown.explorer, {{"data", std::string("noisy ripple")}});
    QVERIFY(test::waitFor(
        [&] {
            return QString::fromStdString(shown.explorer->picture()->sample->origin).contains("f=ripple");
        },
        resultTimeoutMilliseconds));
    // A target makes "auto" fit the Data explorer's data.
    setValues(*shown.explorer, {{"data", std::string("auto")}});
    const auto data = surfaceData(120, plane);
    shown.explorer->setDataset(data);
    QVERIFY(waitForPictureOf(*shown.explorer, *data));
}

void TestSurfaceFitExplorer::cellsWithoutSupportAreBlankAndNoted() {
    ExplorerWindow shown;
    // Two small clusters in opposite corners: a compact kernel of radius 0.3 reaches nothing in between.
    auto data = std::make_shared<Dataset>(*surfaceData(200, plane));
    for (Eigen::Index i = 0; i < data->points.rows(); ++i) {
        const double shift = i % 2 == 0 ? -0.8 : 0.8;
        data->points.row(i) = 0.15 * data->points.row(i) + Eigen::RowVector2d(shift, shift);
        (*data->target)(i) = plane(data->points(i, 0), data->points(i, 1));
    }
    QVERIFY(showData(shown, data, "local-linear", "epanechnikov", 0.3));
    const auto picture = shown.explorer->picture();
    QVERIFY(picture->noSupportNodes > 0);
    QCOMPARE(static_cast<Eigen::Index>(picture->surface.array().isNaN().count()), picture->noSupportNodes);
    // The node nearest the centre of the plane is blank.
    const auto middle = picture->surface.rows() / 2;
    QVERIFY(std::isnan(picture->surface(middle, middle)));
    QVERIFY2(shown.explorer->messageText().contains("No data point has positive weight over"),
             qPrintable(shown.explorer->messageText()));
    QVERIFY(shown.explorer->messageText().contains("(grey)"));
    const auto legend = shown.explorer->legendNames();
    QVERIFY(std::find(legend.begin(), legend.end(), "no data in reach: no fit") != legend.end());
}

void TestSurfaceFitExplorer::queryWithoutSupportSaysSo() {
    ExplorerWindow shown;
    const auto data = surfaceData(200, plane);
    QVERIFY(showData(shown, data, "local-linear", "epanechnikov", 0.25));
    shown.explorer->setQueryPoint(Eigen::Vector2d(30.0, -40.0)); // far from every point
    QVERIFY(test::waitFor([&] { return shown.explorer->query()->position == Eigen::Vector2d(30.0, -40.0); },
                          resultTimeoutMilliseconds));
    QVERIFY(!shown.explorer->query()->estimate.hasValue());
    QCOMPARE(shown.explorer->query()->pointsWithWeight, Eigen::Index(0));
    QVERIFY2(shown.explorer->messageText().contains("every weight is zero"),
             qPrintable(shown.explorer->messageText()));
    QVERIFY(shown.explorer->formulaText().contains("no fit here"));
    QVERIFY(shown.explorer->formulaText().contains("Σw = 0"));

    // Three points on a line in the window: the local plane is singular there and the readout says so.
    auto line = std::make_shared<Dataset>(*data);
    line->points.conservativeResize(line->points.rows() + 3, 2);
    line->target->conservativeResize(line->points.rows());
    for (int k = 0; k < 3; ++k) {
        line->points.row(line->points.rows() - 1 - k) << 5.0 + 0.05 * k, 5.0 + 0.1 * k;
        (*line->target)(line->points.rows() - 1 - k) = 1.0 + k;
    }
    shown.explorer->setDataset(line);
    QVERIFY(waitForPictureOf(*shown.explorer, *line));
    setValues(*shown.explorer, {{"bandwidth", 0.25}});
    QVERIFY(test::waitFor([&] { return shown.explorer->picture()->bandwidth == 0.25; },
                          resultTimeoutMilliseconds));
    shown.explorer->setQueryPoint(Eigen::Vector2d(5.05, 5.1));
    QVERIFY(test::waitFor([&] { return shown.explorer->query()->position == Eigen::Vector2d(5.05, 5.1); },
                          resultTimeoutMilliseconds));
    QVERIFY(shown.explorer->query()->estimate.status == LocalFitStatus::Regularized);
    QVERIFY2(shown.explorer->messageText().contains("lie on one line"),
             qPrintable(shown.explorer->messageText()));
    QVERIFY(shown.explorer->formulaText().contains("regularized"));

    // Back inside the data, the messages about x* go away.
    shown.explorer->setQueryPoint(Eigen::Vector2d(0.0, 0.0));
    QVERIFY(test::waitFor([&] { return shown.explorer->query()->position == Eigen::Vector2d(0.0, 0.0); },
                          resultTimeoutMilliseconds));
    QVERIFY(!shown.explorer->messageText().contains("At x*"));
}

void TestSurfaceFitExplorer::badInput_data() {
    QTest::addColumn<std::shared_ptr<const Dataset>>("dataset");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("expectedWords");

    auto oneColumn = std::make_shared<Dataset>(*surfaceData(50, plane));
    oneColumn->points = Eigen::MatrixXd(oneColumn->points.leftCols(1));
    auto noTarget = std::make_shared<Dataset>(*surfaceData(50, plane));
    noTarget->target.reset();
    auto nonFinite = std::make_shared<Dataset>(*surfaceData(50, plane));
    (*nonFinite->target)(7) = std::nan("");
    auto twoPoints = std::make_shared<Dataset>(*surfaceData(2, plane));
    auto collinear = std::make_shared<Dataset>(*surfaceData(60, plane));
    for (Eigen::Index i = 0; i < collinear->points.rows(); ++i) {
        collinear->points(i, 1) = 0.5 - 0.4 * collinear->points(i, 0); // every point on one line
    }
    auto circle = std::make_shared<Dataset>(*surfaceData(60, plane));
    for (Eigen::Index i = 0; i < circle->points.rows(); ++i) {
        const double angle = 0.1 * static_cast<double>(i);
        circle->points.row(i) << std::cos(angle), std::sin(angle);
    }
    QTest::newRow("one column") << std::shared_ptr<const Dataset>(oneColumn) << "local-linear"
                                << "two regressor columns";
    QTest::newRow("two columns, no target") << std::shared_ptr<const Dataset>(noTarget) << "local-linear"
                                            << "and no target";
    QTest::newRow("NaN") << std::shared_ptr<const Dataset>(nonFinite) << "local-linear"
                         << "NaN";
    QTest::newRow("fewer points than parameters")
        << std::shared_ptr<const Dataset>(twoPoints) << "local-linear"
        << "fewer points than parameters";
    QTest::newRow("collinear, local linear") << std::shared_ptr<const Dataset>(collinear) << "local-linear"
                                             << "Every point lies on one line";
    QTest::newRow("collinear, local quadratic")
        << std::shared_ptr<const Dataset>(collinear) << "local-quadratic"
        << "Every point lies on one line";
    QTest::newRow("circle, local quadratic") << std::shared_ptr<const Dataset>(circle) << "local-quadratic"
                                             << "one conic";
}

void TestSurfaceFitExplorer::badInput() {
    QFETCH(std::shared_ptr<const Dataset>, dataset);
    QFETCH(QString, method);
    QFETCH(QString, expectedWords);
    ExplorerWindow shown;
    const auto good = surfaceData(100, plane);
    QVERIFY(showData(shown, good, method.toStdString(), "gaussian", 0.5));
    const auto before = shown.explorer->picture();
    shown.explorer->setDataset(dataset);
    QVERIFY(test::waitFor([&] { return shown.explorer->messageText().contains(expectedWords); },
                          resultTimeoutMilliseconds));
    QTest::qWait(100);
    QVERIFY2(shown.explorer->messageText().contains(expectedWords),
             qPrintable(shown.explorer->messageText()));
    QVERIFY(shown.explorer->messageText().contains("last surface that worked"));
    QVERIFY(shown.explorer->picture() == before); // the last good picture stays
    // Good data afterwards are fitted and the message goes.
    const auto again = surfaceData(90, quadratic);
    shown.explorer->setDataset(again);
    QVERIFY(waitForPictureOf(*shown.explorer, *again));
    QVERIFY(shown.explorer->messageText().isEmpty());
}

void TestSurfaceFitExplorer::pictureIsDrawnWithColourBarAndLegend() {
    ExplorerWindow shown;
    const auto data = surfaceData(150, quadratic);
    QVERIFY(showData(shown, data, "local-linear", "gaussian", 0.4));
    QTest::qWait(50);
    const PlotView2D* view = shown.explorer->plotView();
    QVERIFY(!view->colorBarRect().isEmpty());
    QVERIFY(!view->legendRect().isEmpty());
    const auto legend = shown.explorer->legendNames();
    for (const char* row : {"contours of the fit", "x*", "kernel: 1 sd circle, radius h",
                            "weight at x* (size)", "uphill on the local model"}) {
        QVERIFY2(std::find(legend.begin(), legend.end(), row) != legend.end(), row);
    }
    QVERIFY(!shown.explorer->picture()->contours.empty());
    // The view frames the surface: along the axis that limits the equal-aspect frame, the plotted range is
    // the grid's up to a small padding; along the other it is at least the grid's.
    const auto picture = shown.explorer->picture();
    const AxisRange x = view->visibleXRange();
    const AxisRange y = view->visibleYRange();
    const double xRatio =
        (x.maximum - x.minimum) / (picture->x1Nodes.maxCoeff() - picture->x1Nodes.minCoeff());
    const double yRatio =
        (y.maximum - y.minimum) / (picture->x2Nodes.maxCoeff() - picture->x2Nodes.minCoeff());
    QVERIFY2(std::min(xRatio, yRatio) >= 1.0 && std::min(xRatio, yRatio) < 1.15,
             qPrintable(QString("visible/grid extent: %1 along x1, %2 along x2").arg(xRatio).arg(yRatio)));
    // Nadaraya–Watson has no slope to point along.
    setValues(*shown.explorer, {{"method", std::string("nadaraya-watson")}});
    QVERIFY(test::waitFor(
        [&] {
            return shown.explorer->picture()->method == SurfaceMethod::NadarayaWatson &&
                   shown.explorer->query();
        },
        resultTimeoutMilliseconds));
    const auto constant = shown.explorer->legendNames();
    QVERIFY(std::find(constant.begin(), constant.end(), "uphill on the local model") == constant.end());
}

void TestSurfaceFitExplorer::pointsShowTheirYOnTheColourScale() {
    ExplorerWindow shown;
    const auto data = surfaceData(120, quadratic, 21);
    QVERIFY(showData(shown, data, "local-linear", "gaussian", 0.15));
    QTest::qWait(100);
    PlotView2D* view = shown.explorer->plotView();
    const QImage image = view->grabImage();
    const double ratio = view->devicePixelRatioF();
    const auto picture = shown.explorer->picture();
    const Eigen::Vector2d query = shown.explorer->query()->position;
    // Points far from x* (no weight to speak of, so drawn at the base size) and from every other point: the
    // centre of each shows its own y on the colour scale, neither the ring's ink nor the surface below.
    int checked = 0;
    for (Eigen::Index i = 0; i < data->points.rows(); ++i) {
        const Eigen::Vector2d point = data->points.row(i).transpose();
        const QPointF pixel = view->dataToDisplay(point);
        bool isolated = (point - query).norm() > 5.0 * 0.15;
        for (Eigen::Index j = 0; j < data->points.rows() && isolated; ++j) {
            const QPointF other = view->dataToDisplay(data->points.row(j).transpose());
            isolated = j == i || std::hypot(other.x() - pixel.x(), other.y() - pixel.y()) > 16.0;
        }
        if (!isolated) {
            continue;
        }
        const double t =
            ((*data->target)(i)-picture->colorMinimum) / (picture->colorMaximum - picture->colorMinimum);
        const Rgb expected = colorMapAt(ColorMap::Viridis, t);
        const QColor actual = image.pixelColor(static_cast<int>(std::lround(pixel.x() * ratio)),
                                               static_cast<int>(std::lround(pixel.y() * ratio)));
        const double tolerance = 14.0 / 255.0; // the 256-entry lookup table and rounding
        QVERIFY2(std::abs(actual.redF() - expected.x()) <= tolerance &&
                     std::abs(actual.greenF() - expected.y()) <= tolerance &&
                     std::abs(actual.blueF() - expected.z()) <= tolerance,
                 qPrintable(QString("point %1: got %2, expected (%3, %4, %5)")
                                .arg(i)
                                .arg(actual.name())
                                .arg(expected.x())
                                .arg(expected.y())
                                .arg(expected.z())));
        ++checked;
    }
    QVERIFY2(checked >= 5, qPrintable(QString::number(checked)));
}

int main(int argc, char** argv) {
    QApplication application(argc, argv);
    TestSurfaceFitExplorer test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_surface_fit_explorer.moc"
