// Leave-one-out cross-validation: the hat-matrix shortcut against refitting, and the CV values against
// statsmodels' own brute-force KernelReg.cv_loo.

#include "fixture_table.hpp"
#include "fuzzy_compare.hpp"
#include "locallab/local/regression_cross_validation.hpp"

#include <QTest>
#include <cmath>

using namespace locallab;

Q_DECLARE_METATYPE(locallab::KernelProfile)

namespace {

LocalRegressionSettings settingsFor(KernelProfile profile, double h, int degree) {
    LocalRegressionSettings settings;
    settings.kernel = RadialKernel(profile);
    settings.bandwidth = Bandwidth::scalar(h);
    settings.degree = degree;
    return settings;
}

} // namespace

class TestRegressionCrossValidation : public QObject {
    Q_OBJECT

private slots:
    void shortcutEqualsRefitting_data() {
        QTest::addColumn<KernelProfile>("profile");
        QTest::addColumn<double>("bandwidth");
        QTest::addColumn<int>("degree");
        QTest::newRow("Nadaraya-Watson, Gaussian") << KernelProfile::Gaussian << 0.05 << 0;
        QTest::newRow("local linear, Gaussian") << KernelProfile::Gaussian << 0.08 << 1;
        QTest::newRow("local quadratic, Gaussian") << KernelProfile::Gaussian << 0.15 << 2;
        QTest::newRow("local linear, Epanechnikov") << KernelProfile::Epanechnikov << 0.2 << 1;
        QTest::newRow("local linear, tricube") << KernelProfile::Tricube << 0.12 << 1;
    }
    void shortcutEqualsRefitting() {
        QFETCH(KernelProfile, profile);
        QFETCH(double, bandwidth);
        QFETCH(int, degree);
        const auto data = test::readFixture("kernel_regression_1d_data.csv");
        const LocalRegression regression(Eigen::MatrixXd(data.column("x")), data.column("y"),
                                         settingsFor(profile, bandwidth, degree));
        SilentProgress progress;
        const double shortcut = leaveOneOutError(regression, progress);
        const double refitted = leaveOneOutErrorByRefitting(regression, progress);
        QVERIFY(std::isfinite(refitted));
        LOCALLAB_COMPARE_NEAR(shortcut, refitted, 1e-9, 0.0);
    }

    void curveMatchesStatsmodels_data() {
        QTest::addColumn<int>("degree");
        QTest::addColumn<QString>("fixtureColumn");
        QTest::newRow("local constant") << 0 << "lc";
        QTest::newRow("local linear") << 1 << "ll";
    }
    void curveMatchesStatsmodels() {
        QFETCH(int, degree);
        QFETCH(QString, fixtureColumn);
        const auto data = test::readFixture("kernel_regression_1d_data.csv");
        const auto expected = test::readFixture("kernel_regression_1d_cv.csv");
        const Eigen::VectorXd grid = expected.column("h");
        const std::vector<double> bandwidths(grid.data(), grid.data() + grid.size());
        SilentProgress progress;
        const CrossValidationCurve curve =
            crossValidateBandwidth(Eigen::MatrixXd(data.column("x")), data.column("y"),
                                   settingsFor(KernelProfile::Gaussian, 1.0, degree), bandwidths, progress);
        const Eigen::Map<const Eigen::VectorXd> errors(curve.errors.data(),
                                                       static_cast<Eigen::Index>(curve.errors.size()));
        const Eigen::VectorXd reference = expected.column(fixtureColumn.toStdString());
        LOCALLAB_COMPARE_MATRIX_NEAR(errors, reference, 1e-8, 0.0);
        Eigen::Index best = 0;
        reference.minCoeff(&best);
        QCOMPARE(static_cast<Eigen::Index>(curve.bestIndex), best);
        QCOMPARE(curve.bestBandwidth(), bandwidths[static_cast<std::size_t>(best)]);
    }

    void isolatedPointsMakeTheErrorUndefined() {
        const Eigen::VectorXd x = (Eigen::VectorXd(4) << 0.0, 0.1, 0.2, 5.0).finished();
        const Eigen::VectorXd y = x;
        SilentProgress progress;
        const CrossValidationCurve curve = crossValidateBandwidth(
            Eigen::MatrixXd(x), y, settingsFor(KernelProfile::Epanechnikov, 1.0, 0), {0.5, 10.0}, progress);
        QVERIFY(std::isinf(curve.errors[0])); // x = 5 has nobody within 0.5
        QVERIFY(std::isfinite(curve.errors[1]));
        QCOMPARE(curve.bestIndex, std::size_t{1});
        QVERIFY_THROWS_EXCEPTION(std::domain_error,
                                 crossValidateBandwidth(Eigen::MatrixXd(x), y,
                                                        settingsFor(KernelProfile::Epanechnikov, 1.0, 0),
                                                        {0.5}, progress));
    }

    void defaultGridIsLogSpacedAndIncreasing() {
        const auto data = test::readFixture("kernel_regression_1d_data.csv");
        const std::vector<double> grid = defaultBandwidthGrid(Eigen::MatrixXd(data.column("x")), 12);
        QCOMPARE(grid.size(), std::size_t{12});
        for (std::size_t step = 1; step + 1 < grid.size(); ++step) {
            QVERIFY(grid[step] > grid[step - 1]);
            LOCALLAB_COMPARE_NEAR(grid[step] / grid[step - 1], grid[step + 1] / grid[step], 1e-12, 0.0);
        }
    }
};

QTEST_APPLESS_MAIN(TestRegressionCrossValidation)
#include "test_regression_cross_validation.moc"
