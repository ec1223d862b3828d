// The spelled-out MeanShift step that the formula panel shows: it must be the same iteration as
// meanShift() (same path, same stop), the textbook weighted mean, and it must survive a seed so far
// out that every Gaussian weight underflows.

#include "fuzzy_compare.hpp"
#include "locallab/meanshift/mean_shift.hpp"
#include "locallab/meanshift/mean_shift_step.hpp"

#include <QTest>
#include <cmath>

using namespace locallab;

namespace {

Eigen::MatrixXd smallCloud() {
    Eigen::MatrixXd points(8, 2);
    points << 0.0, 0.0, 0.4, 0.1, -0.3, 0.5, 0.2, -0.4, 5.0, 5.0, 5.3, 4.8, 4.6, 5.2, 5.1, 5.4;
    return points;
}

} // namespace

class TestMeanShiftStep : public QObject {
    Q_OBJECT

private slots:
    void stepIsTheWeightedMean_data();
    void stepIsTheWeightedMean();
    void stepsFollowTheSamePathAsMeanShift_data();
    void stepsFollowTheSamePathAsMeanShift();
    void farSeedStillMovesTowardsTheData();
    void compactKernelWithNoPointInReachStays();
};

void TestMeanShiftStep::stepIsTheWeightedMean_data() {
    QTest::addColumn<QString>("kernel");
    QTest::newRow("gaussian") << "gaussian";
    QTest::newRow("epanechnikov") << "epanechnikov";
    QTest::newRow("uniform") << "uniform";
    QTest::newRow("biweight") << "biweight";
    QTest::newRow("laplacian") << "laplacian";
    QTest::newRow("cauchy") << "cauchy";
}

void TestMeanShiftStep::stepIsTheWeightedMean() {
    QFETCH(QString, kernel);
    const RadialKernel profile(*parseKernelProfile(kernel.toStdString()));
    const Eigen::MatrixXd points = smallCloud();
    const double h = 1.3;
    const Eigen::Vector2d x(0.3, 0.2);
    // Direct: g(u_i) with the kernel's own shadow, no logarithms.
    Eigen::Vector2d weighted = Eigen::Vector2d::Zero();
    double sum = 0.0;
    double sumSquares = 0.0;
    for (Eigen::Index i = 0; i < points.rows(); ++i) {
        const double g = profile.shadow((points.row(i).transpose() - x).squaredNorm() / (h * h));
        weighted += g * points.row(i).transpose();
        sum += g;
        sumSquares += g * g;
    }
    const MeanShiftStep step = meanShiftStep(points, profile, h, x);
    LOCALLAB_COMPARE_NEAR(std::exp(step.logWeightSum), sum, 1e-12, 0.0);
    LOCALLAB_COMPARE_MATRIX_NEAR(step.localMean, (weighted / sum).eval(), 1e-12, 1e-14);
    LOCALLAB_COMPARE_MATRIX_NEAR(step.shift, (weighted / sum - x).eval(), 1e-12, 1e-14);
    LOCALLAB_COMPARE_NEAR(step.effectivePointCount, sum * sum / sumSquares, 1e-12, 0.0);
    QCOMPARE(step.pointsWithinBandwidth, Eigen::Index(4));
}

void TestMeanShiftStep::stepsFollowTheSamePathAsMeanShift_data() {
    QTest::addColumn<QString>("kernel");
    QTest::addColumn<int>("maxIterations");
    QTest::newRow("gaussian") << "gaussian" << 300;
    QTest::newRow("uniform") << "uniform" << 300;
    QTest::newRow("epanechnikov, cut short") << "epanechnikov" << 2;
}

void TestMeanShiftStep::stepsFollowTheSamePathAsMeanShift() {
    QFETCH(QString, kernel);
    QFETCH(int, maxIterations);
    const Eigen::MatrixXd points = smallCloud();
    const Eigen::Vector2d seed(1.0, 1.2);
    MeanShiftOptions options;
    options.kernel = RadialKernel(*parseKernelProfile(kernel.toStdString()));
    options.bandwidth = Bandwidth::scalar(1.5);
    options.seeding = SeedingStrategy::Given;
    options.givenSeeds = seed.transpose();
    options.maxIterations = maxIterations;
    const MeanShiftResult result = meanShift(points, options);
    const Eigen::MatrixXd path = result.trajectories.path(0);

    const auto steps = meanShiftSteps(points, options.kernel, 1.5, seed, maxIterations);
    QCOMPARE(static_cast<Eigen::Index>(steps.size()), path.rows());
    for (std::size_t k = 0; k < steps.size(); ++k) {
        // Trajectories are stored in single precision.
        LOCALLAB_COMPARE_MATRIX_NEAR(steps[k].position,
                                     path.row(static_cast<Eigen::Index>(k)).transpose().eval(), 1e-6, 1e-6);
    }
}

void TestMeanShiftStep::farSeedStillMovesTowardsTheData() {
    const Eigen::MatrixXd points = smallCloud();
    // u ≈ 2·10⁴: every exp(−u/2) underflows to 0, so a plain ratio would be 0/0.
    const Eigen::Vector2d far(-200.0, 0.0);
    const MeanShiftStep step = meanShiftStep(points, RadialKernel(KernelProfile::Gaussian), 1.0, far);
    QVERIFY(std::isfinite(step.logWeightSum));
    QVERIFY(step.logWeightSum < -9000.0);
    QVERIFY(step.localMean.allFinite());
    QVERIFY(step.shift.x() > 100.0); // towards the nearest points, around x = 0
    QVERIFY(step.localMean.x() < 0.5);
}

void TestMeanShiftStep::compactKernelWithNoPointInReachStays() {
    const Eigen::MatrixXd points = smallCloud();
    const Eigen::Vector2d lonely(20.0, -20.0);
    const auto steps = meanShiftSteps(points, RadialKernel(KernelProfile::Epanechnikov), 1.0, lonely, 300);
    QCOMPARE(steps.size(), std::size_t(1));
    QVERIFY(std::isinf(steps.front().logWeightSum));
    QCOMPARE(steps.front().shift.norm(), 0.0);
}

QTEST_APPLESS_MAIN(TestMeanShiftStep)
#include "test_mean_shift_step.moc"
