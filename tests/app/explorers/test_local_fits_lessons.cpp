// Each Local fits lesson must make its point in numbers, not just in its text. A lesson is chosen in the
// explorer as a user chooses it, and its claim is measured on the curves the explorer draws, against the
// function the lesson's data were generated around: the errors at the edges, near the outliers and at the
// peaks, the wiggles of the curve (its total variation), the spread of the residuals and the width of the
// band, and the cross-validation error, recomputed with core where the explorer's curve does not reach.
#include "explorer_test_window.hpp"
#include "explorers/local_fits_explorer.hpp"
#include "explorers/local_fits_lessons.hpp"
#include "locallab/local/local_regression.hpp"
#include "locallab/local/regression_cross_validation.hpp"
#include "locallab/util/progress.hpp"
#include "locallab/widgets/parameter_panel.hpp"

#include <QApplication>
#include <QComboBox>
#include <QPushButton>
#include <QTest>
#include <algorithm>
#include <cmath>

using namespace locallab;

namespace {

constexpr int resultTimeoutMilliseconds = 30000;

struct ExplorerWindow : test::ExplorerTestWindow<LocalFitsExplorer> {
    ExplorerWindow() : ExplorerTestWindow(QSize(1400, 900)) {}
};

// The exact fits of the explorer's current sample with this h, and the query, are on screen.
bool waitForFits(const LocalFitsExplorer& explorer, double bandwidth) {
    return test::waitFor(
        [&] {
            const auto picture = explorer.picture();
            return picture && picture->exact && picture->sample == explorer.sample() &&
                   std::abs(picture->bandwidth - bandwidth) <= 1e-12 * bandwidth && explorer.query();
        },
        resultTimeoutMilliseconds);
}

bool waitForCrossValidation(const LocalFitsExplorer& explorer) {
    return test::waitFor(
        [&] {
            const auto curve = explorer.crossValidation();
            return curve && curve->sample == explorer.sample();
        },
        resultTimeoutMilliseconds);
}

// Picks the item in the panel's "lesson" box, as a user does.
bool pickInLessonBox(LocalFitsExplorer& explorer, const std::string& item) {
    auto* box = qobject_cast<QComboBox*>(explorer.panel()->controlFor("lesson"));
    const int index = box != nullptr ? box->findText(QString::fromStdString(item)) : -1;
    if (index < 0) {
        return false;
    }
    box->setCurrentIndex(index);
    return true;
}

// Chooses the lesson in the panel and waits for its picture.
bool chooseLesson(LocalFitsExplorer& explorer, const std::string& key) {
    return pickInLessonBox(explorer, key) && explorer.lesson() && explorer.lesson()->key == key &&
           waitForFits(explorer, explorer.lesson()->settings.real("bandwidth"));
}

void setParameter(LocalFitsExplorer& explorer, const std::string& name, const ParameterValue& value) {
    ParameterValues values = explorer.panel()->values();
    values.set(name, value);
    explorer.panel()->setValues(values);
    emit explorer.panel()->parameterChanged(QString::fromStdString(name), value);
}

const LocalFit& curveOf(const LocalFitsPicture& picture, LocalFitMethod method) {
    const FittedCurve* curve = picture.curve(method);
    if (curve == nullptr) {
        throw std::logic_error("the lesson does not draw " + localFitMethodLabel(method));
    }
    return curve->fit;
}

// The mean of |fit − f| over the grid points in [low, high].
double meanError(const LocalFitsPicture& picture, LocalFitMethod method,
                 const std::function<double(double)>& truth, double low, double high) {
    const LocalFit& fit = curveOf(picture, method);
    double sum = 0.0;
    int count = 0;
    for (Eigen::Index k = 0; k < picture.grid.size(); ++k) {
        const double x = picture.grid(k);
        if (x >= low && x <= high && fit.hasValue(k)) {
            sum += std::abs(fit.values(k) - truth(x));
            ++count;
        }
    }
    return count > 0 ? sum / count : INFINITY;
}

// The error at the grid point nearest x.
double errorNear(const LocalFitsPicture& picture, LocalFitMethod method,
                 const std::function<double(double)>& truth, double x) {
    Eigen::Index nearest = 0;
    (picture.grid.array() - x).abs().minCoeff(&nearest);
    return curveOf(picture, method).values(nearest) - truth(picture.grid(nearest));
}

// Σ|ŷ(x_{k+1}) − ŷ(x_k)| along the grid: how far the curve travels up and down.
double totalVariation(const LocalFitsPicture& picture, LocalFitMethod method) {
    const LocalFit& fit = curveOf(picture, method);
    double variation = 0.0;
    for (Eigen::Index k = 1; k < fit.values.size(); ++k) {
        if (fit.hasValue(k) && fit.hasValue(k - 1)) {
            variation += std::abs(fit.values(k) - fit.values(k - 1));
        }
    }
    return variation;
}

// The curve at x, read off the grid by linear interpolation.
double curveAt(const LocalFitsPicture& picture, LocalFitMethod method, double x) {
    const Eigen::VectorXd& grid = picture.grid;
    const Eigen::VectorXd& values = curveOf(picture, method).values;
    const auto upper = std::upper_bound(grid.begin(), grid.end(), x);
    const auto k = std::clamp<Eigen::Index>(upper - grid.begin(), 1, grid.size() - 1);
    const double t = (x - grid(k - 1)) / (grid(k) - grid(k - 1));
    return (1.0 - t) * values(k - 1) + t * values(k);
}

double squaredErrorOverRange(const LocalFitsPicture& picture, LocalFitMethod method,
                             const std::function<double(double)>& truth) {
    const LocalFit& fit = curveOf(picture, method);
    double sum = 0.0;
    for (Eigen::Index k = 0; k < picture.grid.size(); ++k) {
        const double difference = fit.values(k) - truth(picture.grid(k));
        sum += difference * difference;
    }
    return sum / static_cast<double>(picture.grid.size());
}

// With LOCALLAB_TEST_SNAPSHOTS set to a folder, the window is saved there as NAME.png.
void snapshot(QWidget& window, const QString& name) {
    const QString folder = qEnvironmentVariable("LOCALLAB_TEST_SNAPSHOTS");
    if (!folder.isEmpty()) {
        window.grab().save(folder + "/" + name + ".png");
    }
}

QPushButton* useOptimumButton(const LocalFitsExplorer& explorer) {
    return explorer.centralWidget()->findChild<QPushButton*>(QStringLiteral("useCrossValidationOptimum"));
}

QString numbers(std::initializer_list<double> values) {
    QStringList texts;
    for (const double value : values) {
        texts << QString::number(value, 'g', 4);
    }
    return texts.join(QStringLiteral(", "));
}

} // namespace

class TestLocalFitsLessons : public QObject {
    Q_OBJECT

private slots:
    void everyLessonFitsTheExplorersParameters();
    void unknownLessonIsRefused();
    void choosingALessonSetsDataParametersAndText();
    void newDataEndTheLesson();
    void boundaryBiasShowsInNadarayaWatsonOnly();
    void outliersPullLocalLinearButNotLowess();
    void smallBandwidthChasesTheNoise();
    void largeBandwidthFlattensThePeaks();
    void heteroscedasticScatterGrowsButTheBandDoesNot();
    void crossValidationOptimumFitsTheTruthBetter();
};

void TestLocalFitsLessons::everyLessonFitsTheExplorersParameters() {
    const auto descriptions = LocalFitsExplorer::parameterDescriptions();
    QVERIFY(!localFitsLessonKeys().empty());
    for (const std::string& key : localFitsLessonKeys()) {
        const LocalFitsLesson lesson = makeLocalFitsLesson(key);
        QCOMPARE(lesson.key, key);
        QVERIFY(!lesson.title.empty() && lesson.explanation.size() > 80);
        QVERIFY(lesson.sample && lesson.sample->x.size() >= 100);
        QCOMPARE(lesson.sample->x.size(), lesson.sample->y.size());
        QVERIFY(lesson.sample->x.allFinite() && lesson.sample->y.allFinite());
        QVERIFY(lesson.truth);
        QVERIFY(lesson.settings.contains("bandwidth"));
        // Every value names a parameter of the explorer and fits its range.
        for (const auto& [name, value] : lesson.settings.all()) {
            const auto description =
                std::find_if(descriptions.begin(), descriptions.end(),
                             [&](const ParameterDescription& d) { return d.name == name; });
            QVERIFY2(description != descriptions.end(), name.c_str());
            QVERIFY2(!validateParameter(*description, value), name.c_str());
        }
        QVERIFY(lesson.queryX >= lesson.sample->x.minCoeff() - 0.05 &&
                lesson.queryX <= lesson.sample->x.maxCoeff() + 0.05);
        // The panel offers it.
        const auto choices = LocalFitsExplorer::lessonChoices();
        QVERIFY(std::find(choices.begin(), choices.end(), key) != choices.end());
    }
}

void TestLocalFitsLessons::unknownLessonIsRefused() {
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeLocalFitsLesson("no-such-lesson"));
}

void TestLocalFitsLessons::choosingALessonSetsDataParametersAndText() {
    ExplorerWindow shown;
    LocalFitsExplorer& explorer = *shown.explorer;
    QVERIFY(test::waitFor([&] { return explorer.picture() && explorer.query(); },
                          resultTimeoutMilliseconds)); // the built-in sine first
    QVERIFY(explorer.lessonText().isEmpty());
    const auto before = explorer.sample();

    QVERIFY(chooseLesson(explorer, "boundary-bias"));
    const LocalFitsLesson expected = makeLocalFitsLesson("boundary-bias");
    QVERIFY(explorer.sample() != before);
    QVERIFY(explorer.sample()->x == expected.sample->x); // the lesson's data, from its fixed seed
    QVERIFY(explorer.sample()->y == expected.sample->y);
    const ParameterValues values = explorer.panel()->values();
    QCOMPARE(values.choice("lesson"), std::string("boundary-bias"));
    QCOMPARE(values.choice("featured"), expected.settings.choice("featured"));
    QCOMPARE(values.boolean("show-lowess"), false);
    QCOMPARE(explorer.picture()->bandwidth, expected.settings.real("bandwidth"));
    QCOMPARE(explorer.query()->x, expected.queryX);
    QVERIFY2(explorer.lessonText().contains(QString::fromStdString(expected.title).toHtmlEscaped()),
             qPrintable(explorer.lessonText()));
    QVERIFY(explorer.lessonText().contains("Drag x* inwards"));
    const auto legend = explorer.legendNames();
    QVERIFY(std::find(legend.begin(), legend.end(), "true function (dashed)") != legend.end());
    snapshot(shown.window, "local_fits_lesson_boundary_bias");

    // A parameter the lesson invites the user to change keeps the lesson going.
    setParameter(explorer, "bandwidth", 0.05);
    QVERIFY(waitForFits(explorer, 0.05));
    QVERIFY(explorer.lesson() && !explorer.lessonText().isEmpty());

    // Free exploration ends the lesson and keeps its data on screen, without the true function.
    QVERIFY(pickInLessonBox(explorer, LocalFitsExplorer::freeExploration()));
    QVERIFY(!explorer.lesson());
    QVERIFY(explorer.lessonText().isEmpty());
    QVERIFY(explorer.sample()->x == expected.sample->x);
    const auto after = explorer.legendNames();
    QVERIFY(std::find(after.begin(), after.end(), "true function (dashed)") == after.end());
}

void TestLocalFitsLessons::newDataEndTheLesson() {
    ExplorerWindow shown;
    LocalFitsExplorer& explorer = *shown.explorer;
    QVERIFY(test::waitFor([&] { return explorer.picture() && explorer.query(); }, resultTimeoutMilliseconds));
    const auto builtIn = explorer.sample();
    QVERIFY(chooseLesson(explorer, "outliers"));
    QVERIFY(explorer.sample() != builtIn);

    setParameter(explorer, "data", std::string("noisy sine"));
    QVERIFY(!explorer.lesson());
    QVERIFY(explorer.lessonText().isEmpty());
    QCOMPARE(explorer.panel()->values().choice("lesson"), LocalFitsExplorer::freeExploration());
    QVERIFY(explorer.sample() == builtIn);
    QVERIFY(test::waitFor([&] { return explorer.picture() && explorer.picture()->sample == builtIn; },
                          resultTimeoutMilliseconds));

    // Data arriving from the Data explorer end a lesson too.
    setParameter(explorer, "data", std::string("auto"));
    QVERIFY(chooseLesson(explorer, "heteroscedastic"));
    auto dataset = std::make_shared<Dataset>();
    dataset->points = Eigen::VectorXd::LinSpaced(50, 0.0, 1.0);
    dataset->target = Eigen::VectorXd(dataset->points.col(0).array().square());
    dataset->columnNames = {"x"};
    dataset->targetName = "y";
    explorer.setDataset(dataset);
    QVERIFY(!explorer.lesson());
    QVERIFY(explorer.lessonText().isEmpty());
    QVERIFY(test::waitFor([&] { return explorer.picture() && explorer.picture()->sample->x.size() == 50; },
                          resultTimeoutMilliseconds));
}

void TestLocalFitsLessons::boundaryBiasShowsInNadarayaWatsonOnly() {
    ExplorerWindow shown;
    LocalFitsExplorer& explorer = *shown.explorer;
    QVERIFY(chooseLesson(explorer, "boundary-bias"));
    const LocalFitsPicture& picture = *explorer.picture();
    const auto& truth = explorer.lesson()->truth;
    const double h = picture.bandwidth;
    const double low = picture.sample->x.minCoeff();
    const double high = picture.sample->x.maxCoeff();
    for (const auto& [from, to] : {std::pair{low, low + h}, std::pair{high - h, high}}) {
        const double nadarayaWatson = meanError(picture, LocalFitMethod::NadarayaWatson, truth, from, to);
        const double localLinear = meanError(picture, LocalFitMethod::LocalLinear, truth, from, to);
        QVERIFY2(nadarayaWatson > 0.15 && nadarayaWatson > 2.5 * localLinear,
                 qPrintable("edge: NW, local linear " + numbers({nadarayaWatson, localLinear})));
    }
    // In the middle, away from the edges, the two agree about as well as the noise allows.
    const double middleNadarayaWatson =
        meanError(picture, LocalFitMethod::NadarayaWatson, truth, low + 3 * h, high - 3 * h);
    const double edgeNadarayaWatson = meanError(picture, LocalFitMethod::NadarayaWatson, truth, low, low + h);
    QVERIFY2(middleNadarayaWatson < 0.5 * edgeNadarayaWatson,
             qPrintable(numbers({middleNadarayaWatson, edgeNadarayaWatson})));
    // At x*, on the left edge, the featured Nadaraya–Watson estimate lies above the sine.
    QVERIFY(explorer.query()->estimate.hasValue());
    QVERIFY(explorer.query()->estimate.value - truth(explorer.query()->x) > 0.15);
}

void TestLocalFitsLessons::outliersPullLocalLinearButNotLowess() {
    ExplorerWindow shown;
    LocalFitsExplorer& explorer = *shown.explorer;
    QVERIFY(chooseLesson(explorer, "outliers"));
    const auto& truth = explorer.lesson()->truth;
    const auto picture = explorer.picture();
    QCOMPARE(picture->lowess.iterations, 3);
    snapshot(shown.window, "local_fits_lesson_outliers");
    // Over the stretch of planted outliers (x in 0.62–0.68).
    const double localLinear = meanError(*picture, LocalFitMethod::LocalLinear, truth, 0.62, 0.68);
    const double robust = meanError(*picture, LocalFitMethod::Lowess, truth, 0.62, 0.68);
    QVERIFY2(localLinear > 0.6 && robust < 0.15 && robust < 0.25 * localLinear,
             qPrintable("local linear, LOWESS " + numbers({localLinear, robust})));

    // As the lesson says: without robustness passes LOWESS bulges too.
    setParameter(explorer, "lowess-iterations", 0LL);
    QVERIFY(test::waitFor([&] { return explorer.picture() && explorer.picture()->lowess.iterations == 0; },
                          resultTimeoutMilliseconds));
    const double plain = meanError(*explorer.picture(), LocalFitMethod::Lowess, truth, 0.62, 0.68);
    QVERIFY2(plain > 3.0 * robust && plain > 0.2,
             qPrintable("LOWESS 0 and 3 passes " + numbers({plain, robust})));
}

void TestLocalFitsLessons::smallBandwidthChasesTheNoise() {
    ExplorerWindow shown;
    LocalFitsExplorer& explorer = *shown.explorer;
    QVERIFY(chooseLesson(explorer, "bandwidth-too-small"));
    const double h = explorer.picture()->bandwidth;
    const double fewPoints = explorer.query()->effectivePointCount;
    snapshot(shown.window, "local_fits_lesson_bandwidth_too_small");
    const double wiggles = totalVariation(*explorer.picture(), LocalFitMethod::LocalLinear);

    // The leave-one-out error at this h, against the optimum of the explorer's curve.
    QVERIFY(waitForCrossValidation(explorer));
    const CrossValidationCurve& curve = explorer.crossValidation()->curve;
    LocalRegressionSettings settings;
    settings.degree = 1;
    SilentProgress progress;
    const Eigen::MatrixXd points = explorer.sample()->x;
    const double errorHere =
        crossValidateBandwidth(points, explorer.sample()->y, settings, {h}, progress).errors[0];
    QVERIFY2(errorHere > 1.5 * curve.bestError(), qPrintable(numbers({errorHere, curve.bestError()})));
    QVERIFY2(curve.errors.front() > 1.2 * curve.bestError(), // the curve climbs at its smallest h
             qPrintable(numbers({curve.errors.front(), curve.bestError()})));

    // At the optimum the curve travels far less up and down: the wiggles were noise. The sine itself
    // travels 4 over its period.
    QPushButton* optimum = useOptimumButton(explorer);
    QVERIFY(optimum && optimum->isEnabled());
    QTest::mouseClick(optimum, Qt::LeftButton);
    QVERIFY(waitForFits(explorer, curve.bestBandwidth()));
    const double smooth = totalVariation(*explorer.picture(), LocalFitMethod::LocalLinear);
    QVERIFY2(wiggles > 3.0 * smooth && smooth < 8.0, qPrintable(numbers({wiggles, smooth})));
    // The tiny h weighed a handful of points at x*, the optimum many times as many.
    QVERIFY(test::waitFor([&] { return explorer.query()->x == explorer.lesson()->queryX; },
                          resultTimeoutMilliseconds));
    const double manyPoints = explorer.query()->effectivePointCount;
    QVERIFY2(fewPoints < 8.0 && manyPoints > 3.0 * fewPoints, qPrintable(numbers({fewPoints, manyPoints})));
}

void TestLocalFitsLessons::largeBandwidthFlattensThePeaks() {
    ExplorerWindow shown;
    LocalFitsExplorer& explorer = *shown.explorer;
    QVERIFY(chooseLesson(explorer, "bandwidth-too-large"));
    const LocalFitsPicture& picture = *explorer.picture();
    snapshot(shown.window, "local_fits_lesson_bandwidth_too_large");
    const auto& truth = explorer.lesson()->truth;
    // The sine's peak at 0.25 and trough at 0.75 (±1): both curves miss them by far, Nadaraya–Watson, near
    // the overall mean, by most of the amplitude.
    const double peak = errorNear(picture, LocalFitMethod::LocalLinear, truth, 0.25);
    const double trough = errorNear(picture, LocalFitMethod::LocalLinear, truth, 0.75);
    QVERIFY2(peak < -0.35 && trough > 0.35, qPrintable("local linear " + numbers({peak, trough})));
    const double meanPeak = errorNear(picture, LocalFitMethod::NadarayaWatson, truth, 0.25);
    const double meanTrough = errorNear(picture, LocalFitMethod::NadarayaWatson, truth, 0.75);
    QVERIFY2(meanPeak < -0.6 && meanTrough > 0.6,
             qPrintable("Nadaraya–Watson " + numbers({meanPeak, meanTrough})));
    // Local linear has become (nearly) one straight line: it strays little from the line through its
    // ends, where the sine strays by 1.
    const LocalFit& fit = curveOf(picture, LocalFitMethod::LocalLinear);
    const Eigen::Index last = picture.grid.size() - 1;
    double bend = 0.0;
    for (Eigen::Index k = 0; k <= last; ++k) {
        const double t = (picture.grid(k) - picture.grid(0)) / (picture.grid(last) - picture.grid(0));
        const double chord = (1.0 - t) * fit.values(0) + t * fit.values(last);
        bend = std::max(bend, std::abs(fit.values(k) - chord));
    }
    QVERIFY2(bend < 0.25, qPrintable(QString::number(bend)));
}

void TestLocalFitsLessons::heteroscedasticScatterGrowsButTheBandDoesNot() {
    ExplorerWindow shown;
    LocalFitsExplorer& explorer = *shown.explorer;
    QVERIFY(chooseLesson(explorer, "heteroscedastic"));
    const LocalFitsPicture& picture = *explorer.picture();
    QVERIFY(picture.band.has_value());
    snapshot(shown.window, "local_fits_lesson_heteroscedastic");
    const RegressionSample& sample = *picture.sample;
    // Residuals from the drawn curve, and the band's half width, on a stretch at each side (away from
    // the edges, where the band widens for want of data on one side).
    const auto spreadAndBand = [&](double from, double to) {
        double squares = 0.0;
        int points = 0;
        for (Eigen::Index i = 0; i < sample.x.size(); ++i) {
            if (sample.x(i) >= from && sample.x(i) <= to) {
                const double residual =
                    sample.y(i) - curveAt(picture, LocalFitMethod::LocalLinear, sample.x(i));
                squares += residual * residual;
                ++points;
            }
        }
        double band = 0.0;
        int nodes = 0;
        for (Eigen::Index k = 0; k < picture.grid.size(); ++k) {
            if (picture.grid(k) >= from && picture.grid(k) <= to) {
                band += picture.band->halfWidth(k);
                ++nodes;
            }
        }
        return std::pair{std::sqrt(squares / points), band / nodes};
    };
    const auto [leftSpread, leftBand] = spreadAndBand(0.05, 0.25);
    const auto [rightSpread, rightBand] = spreadAndBand(0.75, 0.95);
    const double spreadRatio = rightSpread / leftSpread;
    const double bandRatio = rightBand / leftBand;
    QVERIFY2(spreadRatio > 3.0 && bandRatio < 1.6 && bandRatio > 1.0 / 1.6,
             qPrintable("spread, band ratio " + numbers({spreadRatio, bandRatio})));
    // The one σ̂ lies between the two spreads: too large on the left, too small on the right.
    const double sigma = picture.band->noiseStandardDeviation;
    QVERIFY2(sigma > 1.5 * leftSpread && sigma < rightSpread / 1.2,
             qPrintable(numbers({leftSpread, sigma, rightSpread})));
}

void TestLocalFitsLessons::crossValidationOptimumFitsTheTruthBetter() {
    ExplorerWindow shown;
    LocalFitsExplorer& explorer = *shown.explorer;
    QVERIFY(chooseLesson(explorer, "cross-validation"));
    const auto& truth = explorer.lesson()->truth;
    const double startError = squaredErrorOverRange(*explorer.picture(), LocalFitMethod::LocalLinear, truth);
    QVERIFY(waitForCrossValidation(explorer));
    const double best = explorer.crossValidation()->curve.bestBandwidth();
    // The lesson starts too wide, so that "use optimum" visibly changes the picture.
    QVERIFY2(best < 0.5 * explorer.picture()->bandwidth, qPrintable(QString::number(best)));
    QPushButton* optimum = useOptimumButton(explorer);
    QVERIFY(optimum && optimum->isEnabled());
    QVERIFY(optimum->text().contains(QString::number(best, 'g', 4)));
    QTest::mouseClick(optimum, Qt::LeftButton);
    QVERIFY(waitForFits(explorer, best));
    const double optimumError =
        squaredErrorOverRange(*explorer.picture(), LocalFitMethod::LocalLinear, truth);
    snapshot(shown.window, "local_fits_lesson_cross_validation_optimum");
    QVERIFY2(optimumError < 0.5 * startError, qPrintable(numbers({optimumError, startError})));
}

int main(int argc, char** argv) {
    QApplication application(argc, argv);
    TestLocalFitsLessons test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_local_fits_lessons.moc"
