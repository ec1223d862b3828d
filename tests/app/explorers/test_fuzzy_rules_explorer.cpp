// The Fuzzy rules explorer as a user drives it: the output, firing strengths and rule lines on screen are
// core's TakagiSugeno identified at core's k-means centres; the memberships and the zero-order
// consequents are checked against formulas written out here; the Nadaraya–Watson curve over the centres
// equals the zero-order output to rounding; a centre dragged with the mouse moves and changes the output;
// the firing strengths at x* sum to 1; bad input leaves a message and the last good picture.

#include "explorer_test_window.hpp"
#include "explorers/data_explorer.hpp"
#include "explorers/fuzzy_rules_explorer.hpp"
#include "fuzzy_compare.hpp"
#include "locallab/data/generator_registry.hpp"
#include "locallab/local/k_means.hpp"
#include "locallab/util/progress.hpp"
#include "locallab/widgets/parameter_panel.hpp"
#include "locallab/widgets/plot_view_2d.hpp"
#include "main_window.hpp"

#include <QApplication>
#include <QCheckBox>
#include <QElapsedTimer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <algorithm>
#include <cmath>

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
    dataset->target = y;
    dataset->targetName = "y";
    dataset->origin = "test";
    return dataset;
}

// The window a user sees: the explorer's picture beside its panel, big enough to click in.
struct ExplorerWindow : test::ExplorerTestWindow<FuzzyRulesExplorer> {
    ExplorerWindow() : ExplorerTestWindow(QSize(1400, 900)) {}
};

// A picture of exactly these data is on screen.
bool waitForPictureOf(const FuzzyRulesExplorer& explorer, const Dataset& data) {
    return test::waitFor(
        [&] {
            const auto picture = explorer.picture();
            return picture && picture->sample->x == data.points.col(0) && explorer.query();
        },
        resultTimeoutMilliseconds);
}

void setParameters(FuzzyRulesExplorer& explorer,
                   const std::vector<std::pair<std::string, ParameterValue>>& changes,
                   const std::string& committed) {
    ParameterValues values = explorer.panel()->values();
    for (const auto& [name, value] : changes) {
        values.set(name, value);
    }
    explorer.panel()->setValues(values);
    emit explorer.panel()->parameterChanged(QString::fromStdString(committed),
                                            explorer.panel()->values().all().at(committed));
}

// The mapping between data and pixels is valid once a frame has been laid out at the widget's final size:
// the formula panel's new text resizes the view through posted layout events, so frames are drawn until
// the framed range stops changing.
void settle(PlotView2D& view) {
    AxisRange previous{0.0, 0.0};
    for (int frame = 0; frame < 20; ++frame) {
        QTest::qWait(20);
        view.grabImage();
        const AxisRange current = view.visibleXRange();
        if (current.minimum == previous.minimum && current.maximum == previous.maximum) {
            return;
        }
        previous = current;
    }
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

double middleOfData(const FuzzyRulesPicture& picture) {
    return 0.5 * (picture.sample->y.minCoeff() + picture.sample->y.maxCoeff());
}

// k(u) written out for the kernels the rows use.
double kernelValue(KernelProfile kernel, double u) {
    switch (kernel) {
    case KernelProfile::Gaussian:
        return std::exp(-u / 2.0);
    case KernelProfile::Epanechnikov:
        return u <= 1.0 ? 1.0 - u : 0.0;
    case KernelProfile::Biweight:
        return u <= 1.0 ? (1.0 - u) * (1.0 - u) : 0.0;
    default:
        break;
    }
    return 1.0 / (1.0 + u); // Cauchy
}

double membership(KernelProfile kernel, double x, double centre, double h) {
    const double z = (x - centre) / h;
    return kernelValue(kernel, z * z);
}

// Core's system for the picture's centres and settings, identified from the picture's data.
TakagiSugeno coreSystem(const FuzzyRulesPicture& picture) {
    TakagiSugenoSettings settings;
    settings.kernel = picture.kernel;
    settings.bandwidth = Bandwidth::scalar(picture.width);
    settings.order = picture.order;
    settings.identification = picture.identification;
    SilentProgress progress;
    return TakagiSugeno::identify(Eigen::MatrixXd(picture.centres()), Eigen::MatrixXd(picture.sample->x),
                                  picture.sample->y, settings, progress);
}

// The picture's grid curves are core's evaluation of core's system.
void checkAgainstCore(const FuzzyRulesPicture& picture) {
    const TakagiSugeno reference = coreSystem(picture);
    SilentProgress progress;
    const TakagiSugenoEvaluation expected = reference.evaluate(Eigen::MatrixXd(picture.grid), progress);
    LOCALLAB_COMPARE_MATRIX_NEAR(picture.output.values, expected.values, 1e-14, 1e-14);
    LOCALLAB_COMPARE_MATRIX_NEAR(picture.output.firingStrengths, expected.firingStrengths, 1e-14, 1e-14);
    LOCALLAB_COMPARE_MATRIX_NEAR(picture.output.ruleOutputs, expected.ruleOutputs, 1e-14, 1e-14);
    LOCALLAB_COMPARE_MATRIX_NEAR(picture.system->intercepts(), reference.intercepts(), 1e-14, 1e-14);
    // Every drawn rule line is a_r(x − c_r) + b_r with its rule's w_r.
    for (Eigen::Index rule = 0; rule < reference.ruleCount(); ++rule) {
        const RuleLine& line = picture.ruleLines[static_cast<std::size_t>(rule)];
        QVERIFY(line.x.size() > 2);
        const double slope = reference.order() == RuleOrder::First ? reference.slopes()(rule, 0) : 0.0;
        const Eigen::VectorXd expectedLine =
            (reference.intercepts()(rule) + slope * (line.x.array() - reference.centres()(rule, 0))).matrix();
        LOCALLAB_COMPARE_MATRIX_NEAR(line.y, expectedLine, 1e-12, 1e-12);
    }
}

// Core's k-means centres of x, from left to right as the explorer numbers its rules.
Eigen::VectorXd sortedKMeansCentres(const Eigen::VectorXd& x, Eigen::Index count) {
    KMeansSettings settings;
    settings.clusterCount = count;
    settings.seed = 1;
    SilentProgress progress;
    Eigen::VectorXd centres = kMeans(Eigen::MatrixXd(x), settings, progress).centres.col(0);
    std::sort(centres.begin(), centres.end());
    return centres;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

} // namespace

class TestFuzzyRulesExplorer : public QObject {
    Q_OBJECT

private slots:
    void opensOnANoisySineWithKMeansRules();
    void outputEqualsTakagiSugenoOnTheGrid_data();
    void outputEqualsTakagiSugenoOnTheGrid();
    void zeroOrderIsNadarayaWatsonOverTheCentres_data();
    void zeroOrderIsNadarayaWatsonOverTheCentres();
    void draggingACentreMovesItAndChangesTheOutput();
    void firingStrengthsAtTheQuerySumToOne();
    void kMeansButtonUndoesTheDrags();
    void badInputGivesAMessage_data();
    void badInputGivesAMessage();
    void mainWindowFeedsTheExplorerItsData();
};

void TestFuzzyRulesExplorer::opensOnANoisySineWithKMeansRules() {
    ExplorerWindow shown;
    QVERIFY(test::waitFor([&] { return shown.explorer->picture() && shown.explorer->query(); },
                          resultTimeoutMilliseconds));
    const auto picture = shown.explorer->picture();
    const Dataset builtIn = generate("noisy_function");
    QCOMPARE(picture->sample->x, Eigen::VectorXd(builtIn.points.col(0)));

    // Five rules where core's k-means (seed 1) puts them, numbered from left to right.
    QCOMPARE(picture->centres(), sortedKMeansCentres(builtIn.points.col(0), 5));
    QVERIFY(picture->centresFromKMeans);
    // h is half the mean gap between neighbouring centres (the Gaussian's own scale).
    const Eigen::VectorXd centres = picture->centres();
    const double expectedWidth = 0.5 * (centres.maxCoeff() - centres.minCoeff()) / 4.0;
    LOCALLAB_COMPARE_NEAR(picture->width, expectedWidth, 1e-14, 0.0);
    QCOMPARE(picture->order, RuleOrder::First);
    QCOMPARE(picture->identification, ConsequentIdentification::Local);
    checkAgainstCore(*picture);

    // The memberships drawn in the strip are the Gaussian written out. Core squares (x/h − c/h), this
    // test ((x − c)/h): u differs by a few ulps, which exp(−u/2) turns into a relative error of about
    // u·10⁻¹⁶, some 10⁻¹⁴ in the far tails.
    for (Eigen::Index k = 0; k < picture->grid.size(); k += 37) {
        for (Eigen::Index rule = 0; rule < 5; ++rule) {
            LOCALLAB_COMPARE_NEAR(
                picture->memberships(k, rule),
                membership(KernelProfile::Gaussian, picture->grid(k), centres(rule), picture->width), 1e-12,
                1e-300);
        }
    }
    const auto legend = shown.explorer->legendNames();
    for (const std::string row : {"data (n = 200)", "blended output", "rule 1", "rule 5",
                                  "centres: drag them", "memberships μ_r (0 to 1)", "x*", "output at x*"}) {
        QVERIFY2(contains(legend, row), row.c_str());
    }
    QVERIFY(!contains(legend, "Nadaraya–Watson over the centres"));
    settle(*shown.explorer->plotView());
    QVERIFY(!shown.explorer->plotView()->legendRect().isEmpty());
    QVERIFY(shown.explorer->formulaText().contains("rule output"));
    QVERIFY(shown.explorer->formulaText().contains("Local identification"));
    QVERIFY2(shown.explorer->messageText().isEmpty(), qPrintable(shown.explorer->messageText()));
    snapshot(shown.window, "fuzzy_rules_default");
}

void TestFuzzyRulesExplorer::outputEqualsTakagiSugenoOnTheGrid_data() {
    QTest::addColumn<QString>("order");
    QTest::addColumn<QString>("identification");
    QTest::addColumn<QString>("kernel");
    QTest::addColumn<double>("width");
    QTest::addColumn<int>("rules");
    QTest::newRow("zero order, local, Gaussian") << "zero"
                                                 << "local"
                                                 << "gaussian" << 0.08 << 4;
    QTest::newRow("first order, local, Epanechnikov") << "first"
                                                      << "local"
                                                      << "epanechnikov" << 0.3 << 5;
    QTest::newRow("zero order, global, Gaussian") << "zero"
                                                  << "global"
                                                  << "gaussian" << 0.1 << 6;
    QTest::newRow("first order, global, biweight") << "first"
                                                   << "global"
                                                   << "biweight" << 0.4 << 3;
}

void TestFuzzyRulesExplorer::outputEqualsTakagiSugenoOnTheGrid() {
    QFETCH(QString, order);
    QFETCH(QString, identification);
    QFETCH(QString, kernel);
    QFETCH(double, width);
    QFETCH(int, rules);
    ExplorerWindow shown;
    const auto data = noisyFunction(150, 4);
    shown.explorer->setDataset(data);
    QVERIFY(waitForPictureOf(*shown.explorer, *data));
    setParameters(*shown.explorer,
                  {{"order", order.toStdString()},
                   {"identification", identification.toStdString()},
                   {"kernel", kernel.toStdString()},
                   {"width", width},
                   {"rules", static_cast<long long>(rules)}},
                  "rules");
    QVERIFY(test::waitFor(
        [&] {
            const auto picture = shown.explorer->picture();
            return picture->width == width && picture->system->ruleCount() == rules &&
                   ruleOrderKey(picture->order) == order.toStdString() &&
                   identificationKey(picture->identification) == identification.toStdString() &&
                   picture->kernel.name() == kernel.toStdString();
        },
        resultTimeoutMilliseconds));
    const auto picture = shown.explorer->picture();
    QCOMPARE(picture->centres(), sortedKMeansCentres(data->points.col(0), rules));
    checkAgainstCore(*picture);

    // Zero order, local: b_r is the membership-weighted mean of y, written out.
    if (order == "zero" && identification == "local") {
        const KernelProfile profile = *parseKernelProfile(kernel.toStdString());
        for (Eigen::Index rule = 0; rule < rules; ++rule) {
            double weightSum = 0.0;
            double weighted = 0.0;
            for (Eigen::Index i = 0; i < data->points.rows(); ++i) {
                const double mu = membership(profile, data->points(i, 0), picture->centres()(rule), width);
                weightSum += mu;
                weighted += mu * (*data->target)(i);
            }
            LOCALLAB_COMPARE_NEAR(picture->system->intercepts()(rule), weighted / weightSum, 1e-12, 1e-14);
        }
    }
    QVERIFY(shown.explorer->formulaText().contains(identification == "local" ? "Local identification"
                                                                             : "Global identification"));
    QVERIFY2(shown.explorer->messageText().isEmpty(), qPrintable(shown.explorer->messageText()));
    snapshot(shown.window, "fuzzy_rules_" + order + "_" + identification + "_" + kernel);
}

void TestFuzzyRulesExplorer::zeroOrderIsNadarayaWatsonOverTheCentres_data() {
    QTest::addColumn<QString>("order");
    QTest::addColumn<QString>("kernel");
    QTest::addColumn<double>("width");
    // How close the formula written out below comes to core's: u = ((x − c)/h)² is rounded differently
    // from core's whitened (x/h − c/h)², an error of about u·10⁻¹⁶ in every weight, and a narrow width
    // blends rules at u of a thousand and more.
    QTest::addColumn<double>("writtenOutTolerance");
    QTest::newRow("zero order, Gaussian") << QString("zero") << QString("gaussian") << 0.07 << 1e-12;
    QTest::newRow("zero order, narrow Gaussian") << QString("zero") << QString("gaussian") << 0.004 << 1e-10;
    QTest::newRow("zero order, Epanechnikov") << QString("zero") << QString("epanechnikov") << 0.25 << 1e-12;
    QTest::newRow("zero order, Cauchy") << QString("zero") << QString("cauchy") << 0.05 << 1e-12;
    QTest::newRow("first order, Gaussian") << QString("first") << QString("gaussian") << 0.07 << 1e-12;
}

void TestFuzzyRulesExplorer::zeroOrderIsNadarayaWatsonOverTheCentres() {
    QFETCH(QString, order);
    QFETCH(QString, kernel);
    QFETCH(double, width);
    QFETCH(double, writtenOutTolerance);
    ExplorerWindow shown;
    const auto data = noisyFunction(300, 9);
    shown.explorer->setDataset(data);
    QVERIFY(waitForPictureOf(*shown.explorer, *data));
    // The centres at data points, so that even a narrow width leaves every rule some data.
    shown.explorer->setCentres((Eigen::VectorXd(6) << data->points(0, 0), data->points(1, 0),
                                data->points(2, 0), data->points(3, 0), data->points(4, 0),
                                data->points(5, 0))
                                   .finished());
    setParameters(*shown.explorer,
                  {{"order", order.toStdString()}, {"kernel", kernel.toStdString()}, {"width", width}},
                  "width");
    // The switch, clicked as a user does.
    auto* compare = qobject_cast<QCheckBox*>(shown.explorer->panel()->controlFor("compare-nadaraya-watson"));
    QVERIFY(compare);
    compare->click();
    QVERIFY(test::waitFor(
        [&] {
            const auto picture = shown.explorer->picture();
            return picture->width == width && ruleOrderKey(picture->order) == order.toStdString() &&
                   picture->kernel.name() == kernel.toStdString() &&
                   picture->centres()(5) == data->points(5, 0);
        },
        resultTimeoutMilliseconds));
    QVERIFY(test::waitFor(
        [&] { return contains(shown.explorer->legendNames(), "Nadaraya–Watson over the centres"); },
        resultTimeoutMilliseconds));
    const auto picture = shown.explorer->picture();
    const NadarayaWatsonOverCentres& comparison = picture->nadarayaWatson;

    // Nadaraya–Watson over the centres, written out: Σ_r k(u_r) b_r / Σ_r k(u_r).
    const KernelProfile profile = *parseKernelProfile(kernel.toStdString());
    const Eigen::VectorXd centres = picture->centres();
    const Eigen::VectorXd& values = picture->system->intercepts();
    Eigen::Index compared = 0;
    for (Eigen::Index k = 0; k < picture->grid.size(); ++k) {
        double weightSum = 0.0;
        double weighted = 0.0;
        for (Eigen::Index rule = 0; rule < centres.size(); ++rule) {
            const double mu = membership(profile, picture->grid(k), centres(rule), width);
            weightSum += mu;
            weighted += mu * values(rule);
        }
        QCOMPARE(comparison.fit.hasValue(k), weightSum > 0.0 || profile == KernelProfile::Gaussian);
        if (weightSum > 0.0) { // a narrow Gaussian underflows far from every centre; core works in logs
            LOCALLAB_COMPARE_NEAR(comparison.fit.values(k), weighted / weightSum, writtenOutTolerance, 1e-14);
            ++compared;
        }
    }
    QVERIFY(compared > picture->grid.size() / 4);

    const QString formula = shown.explorer->formulaText();
    QVERIFY2(formula.contains("Nadaraya–Watson over the centres"), qPrintable(formula));
    if (order == "zero") {
        QVERIFY2(comparison.largestDifference <= 1e-12,
                 qPrintable(QString::number(comparison.largestDifference)));
        QCOMPARE(comparison.statusMismatches, Eigen::Index(0));
        QVERIFY(formula.contains("<b>" + QString::number(comparison.largestDifference, 'g', 2) + "</b>"));
        QVERIFY(formula.contains("<i>is</i> Nadaraya–Watson over its centres"));
    } else {
        // First order adds Σ w_r a_r (x − c_r): the two differ, and the panel says the identity is zero
        // order's.
        QVERIFY(comparison.largestDifference > 1e-3);
        QVERIFY(formula.contains("zero order only"));
    }
    snapshot(shown.window, "fuzzy_rules_nadaraya_watson_" + order + "_" + kernel);
}

void TestFuzzyRulesExplorer::draggingACentreMovesItAndChangesTheOutput() {
    ExplorerWindow shown;
    const auto data = noisyFunction(200, 5);
    shown.explorer->setDataset(data);
    QVERIFY(waitForPictureOf(*shown.explorer, *data));
    PlotView2D* view = shown.explorer->plotView();
    settle(*view);
    const auto before = shown.explorer->picture();
    const Eigen::VectorXd centresBefore = before->centres();
    const AxisRange framedX = view->visibleXRange();
    const double queryBefore = shown.explorer->query()->x;

    // Rule 2 (the second from the left) is dragged 40% of the way to its right neighbour.
    const Eigen::Index rule = 1;
    const double target = centresBefore(rule) + 0.4 * (centresBefore(rule + 1) - centresBefore(rule));
    const QPoint start = shown.explorer->centreHandlePosition(rule).toPoint();
    const QPoint end = pixelOf(*view, target, before->box.stripBase);

    QSignalSpy changing(shown.explorer, &FuzzyRulesExplorer::centreChanging);
    QSignalSpy changed(shown.explorer, &FuzzyRulesExplorer::centreChanged);
    QSignalSpy pictures(shown.explorer, &FuzzyRulesExplorer::pictureShown);
    QTest::mousePress(view, Qt::LeftButton, Qt::NoModifier, start);
    constexpr int steps = 12;
    for (int step = 1; step <= steps; ++step) {
        QTest::mouseMove(view, start + (end - start) * step / steps);
        QTest::qWait(20);
    }
    // While the button is still held, the rules are re-identified for the centre where the hand is.
    QVERIFY(changing.count() >= steps / 2);
    QCOMPARE(changing.last().at(0).toInt(), int(rule));
    QVERIFY(test::waitFor(
        [&] { return shown.explorer->picture()->centres()(rule) == changing.last().at(1).toDouble(); },
        resultTimeoutMilliseconds));
    QVERIFY(pictures.count() >= 1);
    QCOMPARE(changed.count(), 0);
    QTest::mouseRelease(view, Qt::LeftButton, Qt::NoModifier, end);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toInt(), int(rule));
    QVERIFY(test::waitFor(
        [&] { return shown.explorer->picture()->centres()(rule) == changed.at(0).at(1).toDouble(); },
        resultTimeoutMilliseconds));

    const auto after = shown.explorer->picture();
    // The centre went where the hand let go, to within a pixel or two; the other centres stayed.
    const double pixel =
        (view->visibleXRange().maximum - view->visibleXRange().minimum) / view->frameRect().width();
    QVERIFY2(std::abs(after->centres()(rule) - target) <= 1.5 * pixel,
             qPrintable(QStringLiteral("centre %1, aimed at %2, from %3")
                            .arg(after->centres()(rule))
                            .arg(target)
                            .arg(centresBefore(rule))));
    for (Eigen::Index other = 0; other < centresBefore.size(); ++other) {
        if (other != rule) {
            QCOMPARE(after->centres()(other), centresBefore(other));
        }
    }
    QVERIFY(!after->centresFromKMeans);
    QVERIFY((after->output.values - before->output.values).cwiseAbs().maxCoeff() > 1e-3);
    checkAgainstCore(*after);
    // The drag moved a centre, not x* and not the camera.
    QCOMPARE(shown.explorer->query()->x, queryBefore);
    QCOMPARE(view->visibleXRange().minimum, framedX.minimum);
    QCOMPARE(view->visibleXRange().maximum, framedX.maximum);
    QVERIFY(shown.explorer->formulaText().contains("centres moved by hand"));

    // Timings for the record (never asserted): the picture job alone for 200 and 20,000 points.
    for (const long long n : {200LL, 20000LL}) {
        FuzzyRulesRequest request;
        request.sample = std::make_shared<const RegressionSample>(regressionSampleOf(*noisyFunction(n, 2)));
        request.centres = after->centres();
        request.width = after->width;
        std::vector<double> times;
        for (int repeat = 0; repeat < 7; ++repeat) {
            QElapsedTimer clock;
            clock.start();
            SilentProgress progress;
            computeFuzzyRulesPicture(request, progress);
            times.push_back(static_cast<double>(clock.nsecsElapsed()) / 1e6);
        }
        std::sort(times.begin(), times.end());
        qInfo("picture job (identify first order locally, evaluate 400 points), n = %lld, R = 5: median %.2f "
              "ms",
              n, times[times.size() / 2]);
    }
    snapshot(shown.window, "fuzzy_rules_dragged");
}

void TestFuzzyRulesExplorer::firingStrengthsAtTheQuerySumToOne() {
    ExplorerWindow shown;
    const auto data = noisyFunction(200, 6);
    shown.explorer->setDataset(data);
    QVERIFY(waitForPictureOf(*shown.explorer, *data));
    PlotView2D* view = shown.explorer->plotView();
    settle(*view);
    QSignalSpy queries(shown.explorer, &FuzzyRulesExplorer::queryShown);
    const auto picture = shown.explorer->picture();
    QTest::mouseClick(view, Qt::LeftButton, Qt::NoModifier, pixelOf(*view, 0.62, middleOfData(*picture)));
    QVERIFY(queries.wait(resultTimeoutMilliseconds));
    const auto query = shown.explorer->query();
    const double pixel =
        (view->visibleXRange().maximum - view->visibleXRange().minimum) / view->frameRect().width();
    QVERIFY2(std::abs(query->x - 0.62) <= 1.5 * pixel, qPrintable(QString::number(query->x)));

    LOCALLAB_COMPARE_NEAR(query->firingStrengths.sum(), 1.0, 1e-14, 0.0);
    QVERIFY((query->firingStrengths.array() >= 0.0).all());
    // μ_r(x*) written out, and w_r = μ_r / Σ_s μ_s.
    const Eigen::VectorXd centres = picture->centres();
    Eigen::VectorXd memberships(centres.size());
    for (Eigen::Index rule = 0; rule < centres.size(); ++rule) {
        memberships(rule) = membership(KernelProfile::Gaussian, query->x, centres(rule), picture->width);
    }
    LOCALLAB_COMPARE_MATRIX_NEAR(query->memberships, memberships, 1e-12, 1e-300);
    LOCALLAB_COMPARE_MATRIX_NEAR(query->firingStrengths, memberships / memberships.sum(), 1e-12, 1e-15);
    // Each rule's output is its line at x*, and ŷ(x*) is their blend, as core evaluates it.
    const TakagiSugeno& system = *picture->system;
    for (Eigen::Index rule = 0; rule < centres.size(); ++rule) {
        LOCALLAB_COMPARE_NEAR(
            query->ruleOutputs(rule),
            system.intercepts()(rule) + system.slopes()(rule, 0) * (query->x - centres(rule)), 1e-14, 1e-14);
    }
    LOCALLAB_COMPARE_NEAR(query->estimate.value, query->firingStrengths.dot(query->ruleOutputs), 1e-14,
                          1e-14);
    LOCALLAB_COMPARE_NEAR(query->estimate.value,
                          system.evaluateAt(Eigen::VectorXd::Constant(1, query->x)).value, 1e-15, 1e-15);
    const QString formula = shown.explorer->formulaText();
    QVERIFY2(formula.contains("<b>" + QString::number(query->estimate.value, 'g', 4) + "</b>"),
             qPrintable(formula));
    QVERIFY(formula.contains("Σ<sub>r</sub> w<sub>r</sub>(x*) = 1"));

    // The arrow keys nudge x*, and the strengths still sum to 1.
    queries.clear();
    QTest::keyClick(view, Qt::Key_Right);
    QVERIFY(queries.wait(resultTimeoutMilliseconds));
    QVERIFY(shown.explorer->query()->x > query->x);
    LOCALLAB_COMPARE_NEAR(shown.explorer->query()->firingStrengths.sum(), 1.0, 1e-14, 0.0);
    snapshot(shown.window, "fuzzy_rules_query");
}

void TestFuzzyRulesExplorer::kMeansButtonUndoesTheDrags() {
    ExplorerWindow shown;
    const auto data = noisyFunction(120, 3);
    shown.explorer->setDataset(data);
    QVERIFY(waitForPictureOf(*shown.explorer, *data));
    const Eigen::VectorXd placed = shown.explorer->picture()->centres();
    shown.explorer->setCentres((Eigen::VectorXd(3) << 0.2, 0.5, 0.8).finished());
    QVERIFY(test::waitFor([&] { return shown.explorer->picture()->centres().size() == 3; },
                          resultTimeoutMilliseconds));
    QCOMPARE(shown.explorer->panel()->values().integer("rules"), 3LL);
    setParameters(*shown.explorer, {{"rules", 5LL}}, "rules");
    QVERIFY(test::waitFor([&] { return shown.explorer->picture()->centres().size() == 5; },
                          resultTimeoutMilliseconds));
    QCOMPARE(shown.explorer->picture()->centres(), placed);
    shown.explorer->setCentres((Eigen::VectorXd(5) << 0.1, 0.3, 0.5, 0.7, 0.9).finished());
    QVERIFY(test::waitFor([&] { return shown.explorer->picture()->centres()(0) == 0.1; },
                          resultTimeoutMilliseconds));
    auto* button = shown.explorer->panel()->findChild<QPushButton*>("placeByKMeans");
    QVERIFY(button);
    button->click();
    QVERIFY(test::waitFor([&] { return shown.explorer->picture()->centres() == placed; },
                          resultTimeoutMilliseconds));
    QVERIFY(shown.explorer->picture()->centresFromKMeans);
}

void TestFuzzyRulesExplorer::badInputGivesAMessage_data() {
    QTest::addColumn<QString>("problem");
    QTest::addColumn<QString>("expected");
    QTest::newRow("more rules than distinct x") << "rules"
                                                << "distinct x values";
    QTest::newRow("a rule with no data in reach") << "gap"
                                                  << "no data point within its support";
    QTest::newRow("a rule with no data in reach, global") << "gap global"
                                                          << "identification cannot determine";
    QTest::newRow("identical centres, global") << "identical"
                                               << "have the same centre";
}

void TestFuzzyRulesExplorer::badInputGivesAMessage() {
    QFETCH(QString, problem);
    QFETCH(QString, expected);
    ExplorerWindow shown;
    FuzzyRulesExplorer& explorer = *shown.explorer;
    // x in [0, 0.3] and [0.7, 1] with three x values repeated: a gap in the middle and few distinct x.
    Eigen::VectorXd x(24);
    Eigen::VectorXd y(24);
    for (Eigen::Index i = 0; i < 24; ++i) {
        x(i) = problem == "rules" ? 0.5 * static_cast<double>(i % 3)
                                  : (i < 12 ? 0.025 * i : 0.7 + 0.025 * (i - 12));
        y(i) = std::sin(6.0 * x(i)) + 0.01 * static_cast<double>(i % 5);
    }
    const auto data = regressionData(x, y);
    setParameters(explorer, {{"rules", 3LL}}, "rules");
    explorer.setDataset(data);
    QVERIFY(waitForPictureOf(explorer, *data));
    if (problem != "rules") {
        setParameters(explorer,
                      {{"kernel", std::string("epanechnikov")},
                       {"width", 0.1},
                       {"identification", std::string(problem == "gap" ? "local" : "global")}},
                      "kernel");
        explorer.setCentres((Eigen::VectorXd(3) << 0.1, 0.25, 0.85).finished());
        QVERIFY(test::waitFor(
            [&] { return explorer.picture()->centres()(2) == 0.85 && explorer.picture()->width == 0.1; },
            resultTimeoutMilliseconds));
    }
    QVERIFY2(explorer.messageText().isEmpty(), qPrintable(explorer.messageText()));
    const auto good = explorer.picture();

    if (problem == "rules") {
        setParameters(explorer, {{"rules", 5LL}}, "rules");
    } else if (problem == "identical") {
        explorer.setCentres((Eigen::VectorXd(3) << 0.1, 0.85, 0.85).finished());
    } else {
        explorer.setCentres((Eigen::VectorXd(3) << 0.1, 0.5, 0.85).finished()); // nothing within 0.1 of 0.5
    }
    QVERIFY(test::waitFor([&] { return !explorer.messageText().isEmpty(); }, resultTimeoutMilliseconds));
    const QString message = explorer.messageText();
    QVERIFY2(message.contains(expected), qPrintable(message));
    QVERIFY2(message.contains("last rules that worked"), qPrintable(message));
    QVERIFY(message.at(0).isUpper());
    QTest::qWait(50);
    QCOMPARE(explorer.picture(), good); // the last good picture stays on screen
    snapshot(shown.window, "fuzzy_rules_bad_" + problem);

    // Putting things right clears the message.
    if (problem == "rules") {
        setParameters(explorer, {{"rules", 2LL}}, "rules");
    } else {
        explorer.setCentres((Eigen::VectorXd(3) << 0.1, 0.25, 0.8).finished());
    }
    QVERIFY(test::waitFor([&] { return explorer.picture() != good; }, resultTimeoutMilliseconds));
    QVERIFY2(explorer.messageText().isEmpty(), qPrintable(explorer.messageText()));
}

void TestFuzzyRulesExplorer::mainWindowFeedsTheExplorerItsData() {
    MainWindow window;
    window.show();
    QVERIFY(window.fuzzyRulesExplorer());
    QVERIFY(window.selectExplorer("Fuzzy rules"));
    FuzzyRulesExplorer& explorer = *window.fuzzyRulesExplorer();
    // The default blobs have no target: the explorer teaches on its built-in noisy sine.
    QVERIFY(test::waitFor([&] { return explorer.picture() && explorer.query(); }, resultTimeoutMilliseconds));
    QCOMPARE(explorer.picture()->sample->x.size(), Eigen::Index(200));

    // Regression data generated in the Data explorer arrive here.
    ParameterValues values = window.dataExplorer()->panel()->values();
    values.set("generator", std::string("noisy sine"));
    window.dataExplorer()->panel()->setValues(values);
    emit window.dataExplorer()->panel()->parameterChanged("generator", std::string("noisy sine"));
    QVERIFY(test::waitFor([&] { return explorer.picture() && explorer.picture()->sample->x.size() == 600; },
                          resultTimeoutMilliseconds));
    QVERIFY(explorer.picture()->centresFromKMeans);
}

int main(int argc, char* argv[]) {
    QSurfaceFormat::setDefaultFormat(locallab::VtkView::defaultFormat());
    QApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication application(argc, argv);
    TestFuzzyRulesExplorer test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_fuzzy_rules_explorer.moc"
