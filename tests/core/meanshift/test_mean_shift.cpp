// MeanShift checked against scikit-learn (fixtures from tests/fixtures/make_meanshift_fixtures.py) and
// against the exact gradient of the Gaussian KDE, whose zeros its modes must be.

#include "csv_fixture.hpp"
#include "fuzzy_compare.hpp"
#include "locallab/meanshift/mean_shift.hpp"

#include <QTest>
#include <cmath>

using namespace locallab;
using locallab::test::fixturePath;
using locallab::test::readCsvFixture;

namespace {

Eigen::MatrixXd gaussianBlobs(int perCluster, std::uint32_t seed) {
    // Deterministic, library-independent normal draws (Box–Muller on a linear congruential stream).
    std::uint64_t state = seed;
    auto uniform = [&] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return (double((state >> 11) & ((1ULL << 53) - 1)) + 0.5) / double(1ULL << 53);
    };
    const Eigen::Matrix<double, 3, 2> centres{{0.0, 0.0}, {5.0, 1.0}, {1.0, 6.0}};
    Eigen::MatrixXd points(3 * perCluster, 2);
    for (int i = 0; i < points.rows(); ++i) {
        const double radius = std::sqrt(-2.0 * std::log(uniform()));
        const double angle = 2.0 * M_PI * uniform();
        points.row(i) =
            centres.row(i % 3) + 0.6 * Eigen::RowVector2d(radius * std::cos(angle), radius * std::sin(angle));
    }
    return points;
}

} // namespace

class TestMeanShift : public QObject {
    Q_OBJECT

private slots:
    void matchesScikitLearn_data();
    void matchesScikitLearn();
    void gaussianModesAreZerosOfTheDensityGradient();
    void trajectoriesStartAtSeedsAndEndAtTheirEnds();
    void trajectoriesAreDecimatedWithinBudget();
    void diagonalBandwidthEqualsScalarOnRescaledData();
    void binSeedsRoundHalfToEven();
    void singlePointAndIdenticalPoints();
    void hugeBandwidthGivesOneCluster();
    void badInputIsRefusedWithAMessage();
    void cancellationStopsTheComputation();
    void blurringMeanShiftContracts();
    void basinMapAssignsCellsNearModesToThem();
};

void TestMeanShift::matchesScikitLearn_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<double>("bandwidth");
    QTest::addColumn<bool>("binSeeding");
    QTest::addColumn<int>("minBinFrequency");
    QTest::addColumn<bool>("clusterAll");
    QTest::addColumn<int>("maxIterations");
    const auto cases = readCsvFixture(fixturePath("meanshift/cases.csv"));
    for (const auto& row : cases.cells) {
        QTest::newRow(row[0].c_str())
            << QString::fromStdString(row[0]) << QString::fromStdString(row[1]) << std::stod(row[2])
            << (row[3] == "1") << std::stoi(row[4]) << (row[5] == "1") << std::stoi(row[6]);
    }
}

void TestMeanShift::matchesScikitLearn() {
    QFETCH(QString, name);
    QFETCH(QString, dataset);
    QFETCH(double, bandwidth);
    QFETCH(bool, binSeeding);
    QFETCH(int, minBinFrequency);
    QFETCH(bool, clusterAll);
    QFETCH(int, maxIterations);
    const Eigen::MatrixXd points =
        readCsvFixture(fixturePath("meanshift/" + dataset.toStdString() + "_points.csv")).values;
    const Eigen::MatrixXd expectedLabels =
        readCsvFixture(fixturePath("meanshift/" + name.toStdString() + "_labels.csv")).values;
    const Eigen::MatrixXd expectedModes =
        readCsvFixture(fixturePath("meanshift/" + name.toStdString() + "_modes.csv")).values;

    MeanShiftOptions options;
    options.kernel = RadialKernel(KernelProfile::Uniform);
    options.bandwidth = Bandwidth::scalar(bandwidth);
    options.seeding = binSeeding ? SeedingStrategy::BinSeeding : SeedingStrategy::AllPoints;
    options.minBinFrequency = minBinFrequency;
    options.clusterAll = clusterAll;
    options.maxIterations = maxIterations;
    const MeanShiftResult result = meanShift(points, options);

    QCOMPARE(result.modes.rows(), expectedModes.rows());
    LOCALLAB_COMPARE_MATRIX_NEAR(result.modes, expectedModes, 1e-9, 1e-9);
    // Same modes in the same order, so the labels must be identical, not merely equivalent.
    QCOMPARE(result.labels.size(), expectedLabels.rows());
    for (Eigen::Index i = 0; i < result.labels.size(); ++i) {
        QCOMPARE(result.labels[i], static_cast<int>(expectedLabels(i, 0)));
    }
}

void TestMeanShift::gaussianModesAreZerosOfTheDensityGradient() {
    const Eigen::MatrixXd points = gaussianBlobs(100, 4);
    const double h = 0.8;
    MeanShiftOptions options;
    options.kernel = RadialKernel(KernelProfile::Gaussian);
    options.bandwidth = Bandwidth::scalar(h);
    options.stopFactor = 1e-10;
    options.maxIterations = 5000;
    const MeanShiftResult result = meanShift(points, options);
    QCOMPARE(result.modes.rows(), 3);
    for (Eigen::Index m = 0; m < result.modes.rows(); ++m) {
        // ∇f̂(x) ∝ Σ_i (x_i − x) exp(−||x − x_i||²/(2h²)); compare with the size of its terms.
        Eigen::Vector2d gradient = Eigen::Vector2d::Zero();
        double scale = 0.0;
        for (Eigen::Index i = 0; i < points.rows(); ++i) {
            const Eigen::Vector2d offset = points.row(i).transpose() - result.modes.row(m).transpose();
            const double weight = std::exp(-offset.squaredNorm() / (2 * h * h));
            gradient += weight * offset;
            scale += weight * offset.norm();
        }
        QVERIFY2(
            gradient.norm() <= 1e-8 * scale,
            qPrintable(QString("mode %1: |grad| = %2, scale %3").arg(m).arg(gradient.norm()).arg(scale)));
    }
}

void TestMeanShift::trajectoriesStartAtSeedsAndEndAtTheirEnds() {
    const Eigen::MatrixXd points = gaussianBlobs(30, 9);
    MeanShiftOptions options;
    options.kernel = RadialKernel(KernelProfile::Epanechnikov);
    options.bandwidth = Bandwidth::scalar(1.5);
    const MeanShiftResult result = meanShift(points, options);
    QCOMPARE(result.trajectories.seedCount(), points.rows());
    for (Eigen::Index s = 0; s < points.rows(); ++s) {
        const Eigen::MatrixXd path = result.trajectories.path(s);
        QVERIFY(path.rows() >= 2);
        LOCALLAB_COMPARE_MATRIX_NEAR(path.row(0), points.row(s), 1e-6, 1e-6);
        LOCALLAB_COMPARE_MATRIX_NEAR(path.row(path.rows() - 1), result.seedEnds.row(s), 1e-6, 1e-6);
        QCOMPARE(result.trajectories.lastStep(s), result.seedIterations[s] + 1);
        QVERIFY(result.seedLabels[s] >= 0);
    }
}

void TestMeanShift::trajectoriesAreDecimatedWithinBudget() {
    const Eigen::MatrixXd points = gaussianBlobs(50, 2);
    MeanShiftOptions options;
    options.kernel = RadialKernel(KernelProfile::Gaussian);
    options.bandwidth = Bandwidth::scalar(0.7);
    options.stopFactor = 1e-12;
    options.maxIterations = 400;
    options.trajectoryBudget = 5 * points.rows();
    const MeanShiftResult result = meanShift(points, options);
    QVERIFY(result.iterations > 10); // the paths really were longer than the budget
    QVERIFY(result.trajectories.storedPositionCount() <= options.trajectoryBudget);
    for (Eigen::Index s = 0; s < points.rows(); ++s) {
        const auto steps = result.trajectories.pathSteps(s);
        QCOMPARE(steps.front(), 0);
        QCOMPARE(steps.back(), result.seedIterations[s] + 1);
        LOCALLAB_COMPARE_MATRIX_NEAR(result.trajectories.path(s).bottomRows(1), result.seedEnds.row(s), 1e-6,
                                     1e-6);
    }
}

void TestMeanShift::diagonalBandwidthEqualsScalarOnRescaledData() {
    const Eigen::MatrixXd points = gaussianBlobs(40, 5);
    const Eigen::Vector2d scales(2.0, 0.5);
    MeanShiftOptions scaled;
    scaled.kernel = RadialKernel(KernelProfile::Gaussian);
    scaled.bandwidth = Bandwidth::diagonal(scales);
    const MeanShiftResult diagonal = meanShift(points, scaled);

    MeanShiftOptions unit = scaled;
    unit.bandwidth = Bandwidth::scalar(1.0);
    const Eigen::MatrixXd rescaled = points * scales.cwiseInverse().asDiagonal();
    const MeanShiftResult reference = meanShift(rescaled, unit);
    QCOMPARE(diagonal.modes.rows(), reference.modes.rows());
    LOCALLAB_COMPARE_MATRIX_NEAR(diagonal.modes, Eigen::MatrixXd(reference.modes * scales.asDiagonal()), 1e-9,
                                 1e-9);
    QVERIFY(diagonal.labels == reference.labels);
}

void TestMeanShift::binSeedsRoundHalfToEven() {
    Eigen::MatrixXd points(5, 1);
    points << 0.5, 1.5, 2.5, 2.4, -0.5;
    const Eigen::MatrixXd seeds = binSeeds(points, 1.0, 1, nullptr);
    // bins 0, 2, 2, 2, -0 → two seeds in order of first appearance
    QCOMPARE(seeds.rows(), 2);
    QCOMPARE(seeds(0, 0), 0.0);
    QCOMPARE(seeds(1, 0), 2.0);
    const Eigen::MatrixXd frequent = binSeeds(points, 1.0, 3, nullptr);
    QCOMPARE(frequent.rows(), 1);
    QCOMPARE(frequent(0, 0), 2.0);
    std::string note;
    const Eigen::MatrixXd fallback = binSeeds(points, 0.01, 1, &note);
    QCOMPARE(fallback.rows(), points.rows());
    QVERIFY(!note.empty());
}

void TestMeanShift::singlePointAndIdenticalPoints() {
    Eigen::MatrixXd one(1, 2);
    one << 3.0, -1.0;
    MeanShiftOptions options;
    const MeanShiftResult single = meanShift(one, options);
    QCOMPARE(single.modes.rows(), 1);
    LOCALLAB_COMPARE_MATRIX_NEAR(single.modes, one, 0.0, 0.0);
    QCOMPARE(single.labels[0], 0);

    const Eigen::MatrixXd same = Eigen::MatrixXd::Constant(50, 2, 7.0);
    const MeanShiftResult identical = meanShift(same, options);
    QCOMPARE(identical.modes.rows(), 1);
    QCOMPARE(identical.modeStrength[0], 50);
    QVERIFY((identical.labels.array() == 0).all());
}

void TestMeanShift::hugeBandwidthGivesOneCluster() {
    const Eigen::MatrixXd points = gaussianBlobs(40, 1);
    MeanShiftOptions options;
    options.bandwidth = Bandwidth::scalar(1e6);
    const MeanShiftResult result = meanShift(points, options);
    QCOMPARE(result.modes.rows(), 1);
    LOCALLAB_COMPARE_MATRIX_NEAR(result.modes, Eigen::MatrixXd(points.colwise().mean()), 1e-12, 1e-12);
}

void TestMeanShift::badInputIsRefusedWithAMessage() {
    Eigen::MatrixXd points = gaussianBlobs(10, 1);
    points(3, 1) = std::nan("");
    MeanShiftOptions options;
    try {
        meanShift(points, options);
        QFAIL("NaN data was accepted");
    } catch (const std::invalid_argument& error) {
        QVERIFY(QString(error.what()).contains("NaN"));
    }
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, meanShift(Eigen::MatrixXd(0, 2), options));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Bandwidth::scalar(0.0));
    options.seeding = SeedingStrategy::Given;
    options.givenSeeds = Eigen::MatrixXd::Constant(1, 2, 1000.0);
    try {
        meanShift(gaussianBlobs(10, 1), options);
        QFAIL("a seed far from every point should be reported");
    } catch (const std::invalid_argument& error) {
        QVERIFY(QString(error.what()).contains("bandwidth"));
    }
}

void TestMeanShift::cancellationStopsTheComputation() {
    const Eigen::MatrixXd points = gaussianBlobs(200, 3);
    SilentProgress progress;
    progress.cancel();
    MeanShiftOptions options;
    QVERIFY_THROWS_EXCEPTION(OperationCanceled, meanShift(points, options, progress));
}

void TestMeanShift::blurringMeanShiftContracts() {
    const Eigen::MatrixXd points = gaussianBlobs(40, 6);
    MeanShiftOptions options;
    options.kernel = RadialKernel(KernelProfile::Gaussian);
    options.bandwidth = Bandwidth::scalar(0.8);
    options.maxIterations = 100;
    SilentProgress progress;
    const BlurringMeanShiftResult result = blurringMeanShift(points, options, progress);
    QVERIFY(result.frames.size() >= 3);
    LOCALLAB_COMPARE_MATRIX_NEAR(result.frames.front(), points, 0.0, 0.0);
    auto spread = [](const Eigen::MatrixXd& frame) {
        return (frame.rowwise() - frame.colwise().mean()).rowwise().squaredNorm().mean();
    };
    // Blurring MeanShift with a Gaussian kernel contracts each cluster towards a point.
    const Eigen::MatrixXd& last = result.frames.back();
    for (int cluster = 0; cluster < 3; ++cluster) {
        Eigen::MatrixXd before(40, 2), after(40, 2);
        for (int i = 0; i < 40; ++i) {
            before.row(i) = points.row(3 * i + cluster);
            after.row(i) = last.row(3 * i + cluster);
        }
        QVERIFY(spread(after) < 1e-3 * spread(before));
    }
}

void TestMeanShift::basinMapAssignsCellsNearModesToThem() {
    const Eigen::MatrixXd points = gaussianBlobs(60, 8);
    MeanShiftOptions options;
    options.kernel = RadialKernel(KernelProfile::Gaussian);
    options.bandwidth = Bandwidth::scalar(1.0);
    options.recordTrajectories = false;
    const MeanShiftResult result = meanShift(points, options);
    SilentProgress progress;
    const BasinMap map = basinMap(points, options, result, 40, 40, -3.0, 8.0, -3.0, 9.0, progress);
    for (Eigen::Index m = 0; m < result.modes.rows(); ++m) {
        const auto column = static_cast<Eigen::Index>((result.modes(m, 0) + 3.0) / 11.0 * 40);
        const auto row = static_cast<Eigen::Index>((result.modes(m, 1) + 3.0) / 12.0 * 40);
        QCOMPARE(map.modeIndex(row, column), static_cast<int>(m));
    }
}

QTEST_APPLESS_MAIN(TestMeanShift)
#include "test_mean_shift.moc"
