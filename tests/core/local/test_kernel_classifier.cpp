// The kernel classifier against scikit-learn's KNeighborsClassifier (exactly) and against the posterior
// formula computed independently in numpy (to 1e-12), both from tests/fixtures/make_classify_fixtures.py;
// then closed forms: far targets in the log domain, targets out of reach, ties, the smoother weights.

#include "fixture_table.hpp"
#include "fuzzy_compare.hpp"
#include "locallab/local/kernel_classifier.hpp"
#include "locallab/local/kernel_classifier_parameters.hpp"

#include <Eigen/LU>
#include <QTest>
#include <atomic>
#include <cmath>

using namespace locallab;

Q_DECLARE_METATYPE(locallab::KernelProfile)

namespace {

constexpr int classCount = 3;

struct LabelledData {
    Eigen::MatrixXd points;
    Eigen::VectorXi labels;
};

LabelledData readLabelledData(const std::string& fileName) {
    const auto table = test::readFixture(fileName);
    LabelledData data;
    data.points.resize(table.values.rows(), 2);
    data.points << table.column("x1"), table.column("x2");
    data.labels = table.column("label").cast<int>();
    return data;
}

// The columns <name>_p0, <name>_p1, <name>_p2 of a fixture, as a targets × classes matrix.
Eigen::MatrixXd posteriorColumns(const test::FixtureTable& table, const QString& name) {
    Eigen::MatrixXd posteriors(table.values.rows(), classCount);
    for (int c = 0; c < classCount; ++c) {
        posteriors.col(c) = table.column(name.toStdString() + "_p" + std::to_string(c));
    }
    return posteriors;
}

Eigen::MatrixXd targetsOf(const QString& targetSet, const LabelledData& data) {
    if (targetSet == "data") {
        return data.points;
    }
    const auto table = test::readFixture("classify_at_eval.csv");
    Eigen::MatrixXd targets(table.values.rows(), 2);
    targets << table.column("x1"), table.column("x2");
    return targets;
}

test::FixtureTable expectedAt(const QString& targetSet) {
    return test::readFixture(targetSet == "data" ? "classify_at_data.csv" : "classify_at_eval.csv");
}

KernelClassifierSettings radialCase(const QString& name) {
    if (name == "gaussian_h0.6") {
        return KernelClassifierSettings::radial(RadialKernel(KernelProfile::Gaussian),
                                                Bandwidth::scalar(0.6));
    }
    if (name == "gaussian_diag") {
        return KernelClassifierSettings::radial(RadialKernel(KernelProfile::Gaussian),
                                                Bandwidth::diagonal(Eigen::Vector2d(0.5, 0.9)));
    }
    if (name == "gaussian_full") {
        return KernelClassifierSettings::radial(RadialKernel(KernelProfile::Gaussian),
                                                Bandwidth::full(Eigen::Matrix2d{{0.5, 0.2}, {0.2, 0.3}}));
    }
    return KernelClassifierSettings::radial(RadialKernel(KernelProfile::Epanechnikov),
                                            Bandwidth::scalar(1.0));
}

// Cancels itself once the loop has reported a first block as done.
class CancelAfterFirstReport final : public Progress {
public:
    void report(double fraction) override {
        reports_.fetch_add(1);
        lastFraction_.store(fraction);
    }
    bool isCanceled() const override { return reports_.load() > 0; }
    double lastFraction() const { return lastFraction_.load(); }

private:
    std::atomic<int> reports_{0};
    std::atomic<double> lastFraction_{0.0};
};

} // namespace

class TestKernelClassifier : public QObject {
    Q_OBJECT

private slots:
    void nearestNeighborsMatchScikitLearnExactly_data() {
        QTest::addColumn<int>("neighbors");
        QTest::addColumn<QString>("targetSet");
        for (const int k : {1, 5, 15}) {
            for (const char* targetSet : {"data", "eval"}) {
                QTest::addRow("k = %d at %s", k, targetSet) << k << QString(targetSet);
            }
        }
    }
    void nearestNeighborsMatchScikitLearnExactly() {
        QFETCH(int, neighbors);
        QFETCH(QString, targetSet);
        const LabelledData data = readLabelledData("classify_data.csv");
        const KernelClassifier classifier(data.points, data.labels,
                                          KernelClassifierSettings::nearestNeighbors(neighbors));
        SilentProgress progress;
        const ClassPosteriors result = classifier.classify(targetsOf(targetSet, data), progress);
        QCOMPARE(result.count(LocalFitStatus::Fitted), result.size());
        LOCALLAB_COMPARE_MATRIX_NEAR(result.probabilities,
                                     posteriorColumns(expectedAt(targetSet), QString("knn%1").arg(neighbors)),
                                     0.0, 0.0);
    }

    void nearestNeighborTiesGoToTheLowestRowAsInScikitLearnBruteForce() {
        const LabelledData data = readLabelledData("classify_ties_data.csv");
        const auto expected = test::readFixture("classify_ties_eval.csv");
        Eigen::MatrixXd targets(expected.values.rows(), 2);
        targets << expected.column("x1"), expected.column("x2");
        const KernelClassifier classifier(data.points, data.labels,
                                          KernelClassifierSettings::nearestNeighbors(1));
        SilentProgress progress;
        LOCALLAB_COMPARE_MATRIX_NEAR(classifier.classify(targets, progress).probabilities,
                                     posteriorColumns(expected, "knn1"), 0.0, 0.0);
    }

    void radialKernelsMatchThePosteriorFormula_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("targetSet");
        for (const char* name : {"gaussian_h0.6", "gaussian_diag", "gaussian_full", "epanechnikov_h1"}) {
            for (const char* targetSet : {"data", "eval"}) {
                QTest::addRow("%s at %s", name, targetSet) << QString(name) << QString(targetSet);
            }
        }
    }
    void radialKernelsMatchThePosteriorFormula() {
        QFETCH(QString, name);
        QFETCH(QString, targetSet);
        const LabelledData data = readLabelledData("classify_data.csv");
        const KernelClassifier classifier(data.points, data.labels, radialCase(name));
        SilentProgress progress;
        const ClassPosteriors result = classifier.classify(targetsOf(targetSet, data), progress);
        const Eigen::MatrixXd expected = posteriorColumns(expectedAt(targetSet), name);
        for (Eigen::Index row = 0; row < expected.rows(); ++row) {
            const bool undefined = std::isnan(expected(row, 0));
            QCOMPARE(result.hasValue(row), !undefined);
            if (undefined) { // the documented stand-in: uniform, no predicted class
                QCOMPARE(result.predicted(row), -1);
                LOCALLAB_COMPARE_MATRIX_NEAR(result.probabilities.row(row),
                                             Eigen::RowVector3d::Constant(1.0 / 3.0), 0.0, 0.0);
                continue;
            }
            LOCALLAB_COMPARE_MATRIX_NEAR(result.probabilities.row(row), expected.row(row), 1e-12, 1e-12);
            Eigen::Index best = 0;
            expected.row(row).maxCoeff(&best);
            QCOMPARE(result.predicted(row), static_cast<int>(best));
        }
        if (targetSet == "eval" && name.startsWith("gaussian")) { // the two far targets are in the fixture
            QCOMPARE(result.count(LocalFitStatus::Fitted), result.size());
        }
    }

    void farTargetsGetTheLogDomainPosterior() {
        // Class 0 at x = 0, class 1 at x = δ. At t = 50 with h = 1 every weight is below e^−1200, far under
        // the smallest double, yet p₁/p₀ = exp((2tδ − δ²)/(2h²)) is of order one.
        const double delta = 0.01;
        const double target = 50.0;
        const Eigen::MatrixXd points = Eigen::Vector2d(0.0, delta);
        const KernelClassifier classifier(
            points, Eigen::Vector2i(0, 1),
            KernelClassifierSettings::radial(RadialKernel(KernelProfile::Gaussian), Bandwidth::scalar(1.0)));
        const ClassPosterior posterior = classifier.posteriorAt(Eigen::VectorXd::Constant(1, target));
        QCOMPARE(posterior.status, LocalFitStatus::Fitted);
        const double expectedOne = 1.0 / (1.0 + std::exp(-(2.0 * target * delta - delta * delta) / 2.0));
        LOCALLAB_COMPARE_NEAR(posterior.probabilities(1), expectedOne, 1e-13, 0.0);
        LOCALLAB_COMPARE_NEAR(posterior.probabilities(0), 1.0 - expectedOne, 1e-12, 0.0);
        QCOMPARE(posterior.predicted, 1);
    }

    void classesOfEqualWeightKeepTheirShareFarAway() {
        // Two points of class 0 and one of class 1 at the same place: 2/3 and 1/3 at any distance.
        const Eigen::MatrixXd points = Eigen::Vector3d(1.0, 1.0, 1.0);
        const KernelClassifier classifier(
            points, Eigen::Vector3i(0, 1, 0),
            KernelClassifierSettings::radial(RadialKernel(KernelProfile::Gaussian), Bandwidth::scalar(0.1)));
        SilentProgress progress;
        const ClassPosteriors result = classifier.classify(Eigen::Vector3d(1.0, 30.0, -1e4), progress);
        for (Eigen::Index row = 0; row < 3; ++row) {
            LOCALLAB_COMPARE_NEAR(result.probabilities(row, 0), 2.0 / 3.0, 1e-15, 0.0);
            LOCALLAB_COMPARE_NEAR(result.probabilities(row, 1), 1.0 / 3.0, 1e-15, 0.0);
        }
    }

    void targetsOutOfReachAreFlagged_data() {
        QTest::addColumn<KernelProfile>("profile");
        QTest::newRow("epanechnikov") << KernelProfile::Epanechnikov;
        QTest::newRow("uniform") << KernelProfile::Uniform;
        QTest::newRow("tricube") << KernelProfile::Tricube;
    }
    void targetsOutOfReachAreFlagged() {
        QFETCH(KernelProfile, profile);
        const Eigen::MatrixXd points = Eigen::Vector4d(0.0, 0.2, 0.4, 0.6);
        const KernelClassifier classifier(
            points, Eigen::Vector4i(0, 1, 1, 3),
            KernelClassifierSettings::radial(RadialKernel(profile), Bandwidth::scalar(0.5)));
        SilentProgress progress;
        const ClassPosteriors result = classifier.classify(Eigen::Vector2d(0.3, 5.0), progress);
        QCOMPARE(classifier.classCount(), 4);
        QVERIFY(result.hasValue(0));
        QCOMPARE(result.probabilities(0, 2), 0.0); // a class without points
        QVERIFY(!result.hasValue(1));
        QCOMPARE(result.predicted(1), -1);
        LOCALLAB_COMPARE_MATRIX_NEAR(result.probabilities.row(1), Eigen::RowVector4d::Constant(0.25), 0.0,
                                     0.0);
        QCOMPARE(result.count(LocalFitStatus::NoSupport), Eigen::Index{1});
        QCOMPARE(classifier.weightsAt(Eigen::VectorXd::Constant(1, 5.0)).status, LocalFitStatus::NoSupport);
    }

    void uniformKernelCountsThePointsWithinItsRadius() {
        // Radius 1 around 0: the points at −1, 0.5 and 1 (on the rim, included) count equally; 1.5 does not.
        const Eigen::MatrixXd points = Eigen::Vector4d(-1.0, 0.5, 1.0, 1.5);
        const KernelClassifier classifier(
            points, Eigen::Vector4i(0, 1, 1, 0),
            KernelClassifierSettings::radial(RadialKernel(KernelProfile::Uniform), Bandwidth::scalar(1.0)));
        const ClassPosterior posterior = classifier.posteriorAt(Eigen::VectorXd::Zero(1));
        QCOMPARE(posterior.probabilities(0), 1.0 / 3.0);
        QCOMPARE(posterior.probabilities(1), 2.0 / 3.0);
    }

    void nearestNeighborTiesAndArgmaxTies() {
        // Four points at distance 1 from the origin; k = 2 takes the two lowest rows, classes 1 and 0,
        // and the tied posterior predicts the lower class, as numpy's argmax does.
        const Eigen::MatrixXd points{{0.0, 1.0}, {1.0, 0.0}, {-1.0, 0.0}, {0.0, -1.0}, {3.0, 3.0}};
        const Eigen::VectorXi labels = (Eigen::VectorXi(5) << 1, 0, 2, 2, 2).finished();
        const KernelClassifier classifier(points, labels, KernelClassifierSettings::nearestNeighbors(2));
        const ClassPosterior posterior = classifier.posteriorAt(Eigen::Vector2d::Zero());
        LOCALLAB_COMPARE_MATRIX_NEAR(posterior.probabilities, Eigen::Vector3d(0.5, 0.5, 0.0), 0.0, 0.0);
        QCOMPARE(posterior.predicted, 0);
        const SmootherWeights weights = classifier.weightsAt(Eigen::Vector2d::Zero());
        QCOMPARE(weights.indices, (std::vector<Eigen::Index>{0, 1}));
        QCOMPARE(weights.weights, (std::vector<double>{0.5, 0.5}));
    }

    void weightsAreTheNormalisedKernel_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("gaussian, full bandwidth") << "gaussian_full";
        QTest::newRow("epanechnikov") << "epanechnikov_h1";
    }
    void weightsAreTheNormalisedKernel() {
        QFETCH(QString, name);
        const LabelledData data = readLabelledData("classify_data.csv");
        const KernelClassifierSettings settings = radialCase(name);
        const KernelClassifier classifier(data.points, data.labels, settings);
        const Eigen::Vector2d target(0.7, 0.4);
        const SmootherWeights weights = classifier.weightsAt(target);
        QCOMPARE(weights.status, LocalFitStatus::Fitted);
        // By hand: K = k((x − x_i)ᵀH⁻¹(x − x_i)), normalised.
        const Eigen::Matrix2d inverse = settings.bandwidth.matrix(2).inverse();
        Eigen::VectorXd kernel(data.points.rows());
        for (Eigen::Index row = 0; row < kernel.size(); ++row) {
            const Eigen::Vector2d difference = target - data.points.row(row).transpose();
            kernel(row) = settings.kernel.value(difference.dot(inverse * difference));
        }
        LOCALLAB_COMPARE_MATRIX_NEAR(weights.dense(data.points.rows()), kernel / kernel.sum(), 1e-12, 1e-15);
        // and the posterior is their class-wise sum
        const ClassPosterior posterior = classifier.posteriorAt(target);
        for (int c = 0; c < classCount; ++c) {
            const Eigen::VectorXd inClass = (data.labels.array() == c).cast<double>().matrix();
            LOCALLAB_COMPARE_NEAR(posterior.probabilities(c), weights.apply(inClass), 1e-13, 1e-15);
        }
    }

    void parallelResultsEqualOneTargetAtATime() {
        const LabelledData data = readLabelledData("classify_data.csv");
        const Eigen::MatrixXd targets = targetsOf("eval", data);
        for (const QString name : {"gaussian_diag", "epanechnikov_h1"}) {
            const KernelClassifier classifier(data.points, data.labels, radialCase(name));
            SilentProgress progress;
            const ClassPosteriors all = classifier.classify(targets, progress);
            for (Eigen::Index row = 0; row < targets.rows(); ++row) {
                const ClassPosterior one = classifier.posteriorAt(targets.row(row).transpose());
                LOCALLAB_COMPARE_MATRIX_NEAR(one.probabilities, all.probabilities.row(row).transpose(), 0.0,
                                             0.0);
                QCOMPARE(one.predicted, all.predicted(row));
            }
        }
    }

    void arbitraryIntegerLabelsAreIndexedInIncreasingOrder() {
        const ClassIndices indices = indexClasses(Eigen::Vector4i(5, -1, 5, 3));
        QCOMPARE(indices.values, (std::vector<int>{-1, 3, 5}));
        QVERIFY(indices.classes == Eigen::Vector4i(2, 0, 2, 1));
    }

    void parametersBuildTheSettings() {
        const auto descriptions = kernelClassifierParameters();
        const ParameterDescription* kernel = findParameter(descriptions, "kernel");
        QVERIFY(kernel != nullptr);
        QCOMPARE(kernel->choices.back(), std::string("knn"));
        QVERIFY(findParameter(descriptions, "bandwidth") != nullptr);
        ParameterValues values(descriptions);
        KernelClassifierSettings settings = kernelClassifierSettingsFrom(values);
        QCOMPARE(settings.weighting, KernelClassifierSettings::Weighting::Radial);
        QCOMPARE(settings.kernel.profile(), KernelProfile::Gaussian);
        values.set("kernel", std::string("knn"));
        values.set("neighbors", 7LL);
        settings = kernelClassifierSettingsFrom(values);
        QCOMPARE(settings.weighting, KernelClassifierSettings::Weighting::NearestNeighbors);
        QCOMPARE(settings.neighborCount, Eigen::Index{7});
        QCOMPARE(settings.describe(), std::string("knn, k = 7"));
        values.set("neighbors", 0LL);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, kernelClassifierSettingsFrom(values));
    }

    void unusableInputIsRefusedWithAMessage() {
        const Eigen::MatrixXd points = Eigen::Vector3d(0.0, 1.0, 2.0);
        const Eigen::VectorXi labels = Eigen::Vector3i(0, 1, 0);
        const auto gaussian =
            KernelClassifierSettings::radial(RadialKernel(KernelProfile::Gaussian), Bandwidth::scalar(1.0));
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument,
            KernelClassifier(points, labels, KernelClassifierSettings::nearestNeighbors(4)));
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument,
            KernelClassifier(points, labels, KernelClassifierSettings::nearestNeighbors(0)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 KernelClassifier(points, Eigen::Vector3i(0, -1, 0), gaussian));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 KernelClassifier(points, Eigen::Vector2i(0, 1), gaussian));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 KernelClassifier(Eigen::Vector3d(0.0, std::nan(""), 1.0), labels, gaussian));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 KernelClassifier(points, labels,
                                                  KernelClassifierSettings::radial(
                                                      RadialKernel(KernelProfile::Gaussian),
                                                      Bandwidth::diagonal(Eigen::Vector2d(1.0, 1.0)))));
        try {
            KernelClassifier(points, labels, KernelClassifierSettings::nearestNeighbors(4));
        } catch (const std::invalid_argument& error) {
            QVERIFY2(QString(error.what()).contains("only 3 data points"), error.what());
        }
        const KernelClassifier classifier(points, labels, gaussian);
        SilentProgress progress;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 classifier.classify(Eigen::MatrixXd::Zero(2, 2), progress));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 classifier.classify(Eigen::Vector2d(0.5, std::nan("")), progress));
    }

    void cancellationStopsTheLoop_data() {
        QTest::addColumn<QString>("kernel");
        QTest::newRow("gaussian scan") << "gaussian";
        QTest::newRow("epanechnikov tree") << "epanechnikov";
        QTest::newRow("knn") << "knn";
    }
    void cancellationStopsTheLoop() {
        QFETCH(QString, kernel);
        const Eigen::MatrixXd points = Eigen::MatrixXd::Random(2000, 2);
        const Eigen::VectorXi labels = (points.col(0).array() > 0.0).cast<int>();
        const KernelClassifierSettings settings =
            kernel == "knn"
                ? KernelClassifierSettings::nearestNeighbors(5)
                : KernelClassifierSettings::radial(RadialKernel(*parseKernelProfile(kernel.toStdString())),
                                                   Bandwidth::scalar(0.2));
        const KernelClassifier classifier(points, labels, settings);
        const Eigen::MatrixXd targets = Eigen::MatrixXd::Random(50'000, 2);
        SilentProgress canceled;
        canceled.cancel();
        QVERIFY_THROWS_EXCEPTION(OperationCanceled, classifier.classify(targets, canceled));
        CancelAfterFirstReport cancelLater;
        QVERIFY_THROWS_EXCEPTION(OperationCanceled, classifier.classify(targets, cancelLater));
        QVERIFY(cancelLater.lastFraction() < 0.5);
    }
};

QTEST_APPLESS_MAIN(TestKernelClassifier)
#include "test_kernel_classifier.moc"
