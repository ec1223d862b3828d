// Local constant, linear and polynomial regression: against statsmodels' KernelReg, against closed
// forms (exact reproduction of polynomials, limits in h), and on degenerate windows.

#include "fixture_table.hpp"
#include "fuzzy_compare.hpp"
#include "locallab/local/local_regression.hpp"

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

Eigen::MatrixXd column(const Eigen::VectorXd& values) {
    return values;
}

} // namespace

class TestLocalRegression : public QObject {
    Q_OBJECT

private slots:
    void matchesStatsmodelsIn1D_data() {
        QTest::addColumn<QString>("fixtureColumn");
        QTest::addColumn<double>("bandwidth");
        QTest::addColumn<int>("degree");
        QTest::newRow("local constant, h = 0.1") << "lc_h0.1" << 0.1 << 0;
        QTest::newRow("local linear, h = 0.1") << "ll_h0.1" << 0.1 << 1;
        QTest::newRow("local constant, h = 0.03") << "lc_h0.03" << 0.03 << 0;
        QTest::newRow("local linear, h = 0.03") << "ll_h0.03" << 0.03 << 1;
    }
    void matchesStatsmodelsIn1D() {
        QFETCH(QString, fixtureColumn);
        QFETCH(double, bandwidth);
        QFETCH(int, degree);
        const auto data = test::readFixture("kernel_regression_1d_data.csv");
        const auto expected = test::readFixture("kernel_regression_1d_fit.csv");
        const LocalRegression regression(column(data.column("x")), data.column("y"),
                                         settingsFor(KernelProfile::Gaussian, bandwidth, degree));
        SilentProgress progress;
        const LocalFit fit = regression.fit(column(expected.column("x")), progress);
        QCOMPARE(fit.count(LocalFitStatus::Fitted), fit.size());
        LOCALLAB_COMPARE_MATRIX_NEAR(fit.values, expected.column(fixtureColumn.toStdString()), 1e-8, 1e-10);
    }

    void matchesStatsmodelsIn2DWithDiagonalBandwidth_data() {
        QTest::addColumn<QString>("fixtureColumn");
        QTest::addColumn<int>("degree");
        QTest::newRow("local constant") << "lc_h0.2_0.3" << 0;
        QTest::newRow("local linear") << "ll_h0.2_0.3" << 1;
    }
    void matchesStatsmodelsIn2DWithDiagonalBandwidth() {
        QFETCH(QString, fixtureColumn);
        QFETCH(int, degree);
        const auto data = test::readFixture("kernel_regression_2d_data.csv");
        const auto expected = test::readFixture("kernel_regression_2d_fit.csv");
        Eigen::MatrixXd points(data.values.rows(), 2);
        points << data.column("x1"), data.column("x2");
        Eigen::MatrixXd targets(expected.values.rows(), 2);
        targets << expected.column("x1"), expected.column("x2");
        LocalRegressionSettings settings;
        settings.bandwidth = Bandwidth::diagonal(Eigen::Vector2d(0.2, 0.3));
        settings.degree = degree;
        const LocalRegression regression(points, data.column("y"), settings);
        SilentProgress progress;
        const LocalFit fit = regression.fit(targets, progress);
        LOCALLAB_COMPARE_MATRIX_NEAR(fit.values, expected.column(fixtureColumn.toStdString()), 1e-8, 1e-10);
    }

    void reproducesPolynomialsOfItsDegree_data() {
        QTest::addColumn<KernelProfile>("profile");
        QTest::addColumn<int>("degree");
        QTest::addColumn<double>("bandwidth");
        QTest::newRow("linear, Gaussian") << KernelProfile::Gaussian << 1 << 0.3;
        QTest::newRow("linear, Epanechnikov") << KernelProfile::Epanechnikov << 1 << 0.4;
        QTest::newRow("linear, tricube") << KernelProfile::Tricube << 1 << 0.4;
        QTest::newRow("quadratic, Gaussian") << KernelProfile::Gaussian << 2 << 0.3;
        QTest::newRow("cubic, biweight") << KernelProfile::Biweight << 3 << 0.6;
    }
    void reproducesPolynomialsOfItsDegree() {
        QFETCH(KernelProfile, profile);
        QFETCH(int, degree);
        QFETCH(double, bandwidth);
        const Eigen::VectorXd x = Eigen::VectorXd::LinSpaced(41, -1.0, 1.0);
        const auto polynomial = [degree](double value) {
            double result = 0.0;
            for (int power = 0; power <= degree; ++power) {
                result += (power % 2 == 0 ? 1.5 : -0.7) * std::pow(value, power) * (power + 1);
            }
            return result;
        };
        const Eigen::VectorXd y = x.unaryExpr(polynomial);
        const LocalRegression regression(column(x), y, settingsFor(profile, bandwidth, degree));
        const Eigen::VectorXd targets = Eigen::VectorXd::LinSpaced(17, -1.0, 1.0); // boundaries included
        SilentProgress progress;
        const LocalFit fit = regression.fit(column(targets), progress);
        QCOMPARE(fit.count(LocalFitStatus::Fitted), fit.size());
        LOCALLAB_COMPARE_MATRIX_NEAR(fit.values, targets.unaryExpr(polynomial), 1e-10, 1e-10);
    }

    void reproducesQuadraticSurfaceIn2D() {
        Eigen::MatrixXd points(49, 2);
        for (int row = 0; row < 49; ++row) {
            points.row(row) << (row % 7) / 6.0, (row / 7) / 6.0;
        }
        const auto surface = [](double a, double b) {
            return 1.0 - 2.0 * a + 0.5 * b + 3.0 * a * b - a * a + 2.0 * b * b;
        };
        Eigen::VectorXd y(49);
        for (int row = 0; row < 49; ++row) {
            y(row) = surface(points(row, 0), points(row, 1));
        }
        const LocalRegression regression(points, y, settingsFor(KernelProfile::Gaussian, 0.25, 2));
        QCOMPARE(regression.parameterCount(), Eigen::Index{6});
        for (const Eigen::Vector2d& target : {Eigen::Vector2d(0.3, 0.7), Eigen::Vector2d(0.0, 1.0)}) {
            const LocalEstimate estimate = regression.fitAt(target);
            QCOMPARE(estimate.status, LocalFitStatus::Fitted);
            LOCALLAB_COMPARE_NEAR(estimate.value, surface(target(0), target(1)), 1e-10, 1e-10);
        }
    }

    void localMeanWithHugeBandwidthIsTheGlobalMean() {
        const Eigen::VectorXd x = Eigen::VectorXd::LinSpaced(10, 0.0, 9.0);
        const Eigen::VectorXd y = x.array().square();
        const LocalRegression regression(column(x), y, settingsFor(KernelProfile::Gaussian, 1e9, 0));
        LOCALLAB_COMPARE_NEAR(regression.fitAt(Eigen::VectorXd::Constant(1, 2.0)).value, y.mean(), 1e-12,
                              0.0);
    }

    void localMeanOfOnePointIsItsResponse() {
        const LocalRegression regression(Eigen::MatrixXd::Constant(1, 1, 3.0),
                                         Eigen::VectorXd::Constant(1, -4.5),
                                         settingsFor(KernelProfile::Gaussian, 0.1, 0));
        const LocalEstimate estimate = regression.fitAt(Eigen::VectorXd::Constant(1, 100.0));
        QCOMPARE(estimate.status, LocalFitStatus::Fitted); // 100 bandwidths away: only the log domain sees it
        QCOMPARE(estimate.value, -4.5);
    }

    void tinyBandwidthGivesTheNearestPointWithoutUnderflow() {
        const Eigen::VectorXd x = (Eigen::VectorXd(4) << 0.0, 1.0, 2.0, 3.0).finished();
        const Eigen::VectorXd y = (Eigen::VectorXd(4) << 5.0, 6.0, 7.0, 8.0).finished();
        for (const int degree : {0, 1}) {
            const LocalRegression regression(column(x), y,
                                             settingsFor(KernelProfile::Gaussian, 1e-3, degree));
            const LocalEstimate estimate = regression.fitAt(Eigen::VectorXd::Constant(1, 1.4));
            QVERIFY(std::isfinite(estimate.value));
            // Degree 1 sees a single point and solves with the 1e-6 ridge: condition ~1e6, so ~1e-10.
            LOCALLAB_COMPARE_NEAR(estimate.value, 6.0, degree == 0 ? 1e-12 : 1e-9, 0.0);
        }
    }

    void compactKernelWithNothingInReachSaysSo() {
        const Eigen::VectorXd x = Eigen::VectorXd::LinSpaced(5, 0.0, 1.0);
        const LocalRegression regression(column(x), x, settingsFor(KernelProfile::Epanechnikov, 0.3, 1));
        SilentProgress progress;
        const LocalFit fit = regression.fit(column(Eigen::Vector3d(0.5, 5.0, -3.0)), progress);
        QCOMPARE(fit.statuses[0], LocalFitStatus::Fitted);
        QCOMPARE(fit.statuses[1], LocalFitStatus::NoSupport);
        QCOMPARE(fit.statuses[2], LocalFitStatus::NoSupport);
        QVERIFY(!fit.hasValue(1));
        QVERIFY(fit.values.allFinite());
        QCOMPARE(regression.weightsAt(Eigen::VectorXd::Constant(1, 5.0)).status, LocalFitStatus::NoSupport);
    }

    void fewerPointsThanParametersFallsBackToRidge() {
        // Only x = 0.5 lies within h = 0.1 of 0.52: a line through one point is undetermined.
        const Eigen::VectorXd x = (Eigen::VectorXd(3) << 0.0, 0.5, 1.0).finished();
        const Eigen::VectorXd y = (Eigen::VectorXd(3) << 1.0, 2.5, 4.0).finished();
        const LocalRegression regression(column(x), y, settingsFor(KernelProfile::Epanechnikov, 0.1, 1));
        const LocalEstimate estimate = regression.fitAt(Eigen::VectorXd::Constant(1, 0.52));
        QCOMPARE(estimate.status, LocalFitStatus::Regularized);
        // The ridge system has condition ~1e6, so rounding alone may move the value by ~1e-10.
        LOCALLAB_COMPARE_NEAR(estimate.value, 2.5, 1e-9, 0.0);
    }

    void duplicateInputsWithDifferentResponsesAverage() {
        const Eigen::VectorXd x = (Eigen::VectorXd(4) << 0.0, 1.0, 1.0, 2.0).finished();
        const Eigen::VectorXd y = (Eigen::VectorXd(4) << 0.0, 3.0, 5.0, 0.0).finished();
        const LocalRegression constant(column(x), y, settingsFor(KernelProfile::Epanechnikov, 0.5, 0));
        LOCALLAB_COMPARE_NEAR(constant.fitAt(Eigen::VectorXd::Constant(1, 1.1)).value, 4.0, 1e-12, 0.0);
        // Both points in the window share one x: the slope is undetermined, the level is their mean.
        const LocalRegression linear(column(x), y, settingsFor(KernelProfile::Epanechnikov, 0.5, 1));
        const LocalEstimate estimate = linear.fitAt(Eigen::VectorXd::Constant(1, 1.1));
        QCOMPARE(estimate.status, LocalFitStatus::Regularized);
        LOCALLAB_COMPARE_NEAR(estimate.value, 4.0, 1e-9, 0.0);
    }

    void compactKernelThroughTheTreeMatchesTheFormula() {
        const auto data = test::readFixture("kernel_regression_1d_data.csv");
        const Eigen::VectorXd x = data.column("x");
        const Eigen::VectorXd y = data.column("y");
        const double h = 0.15;
        const LocalRegression regression(column(x), y, settingsFor(KernelProfile::Epanechnikov, h, 0));
        for (const double target : {0.0, 0.37, 0.81, 1.05}) {
            double numerator = 0.0;
            double denominator = 0.0;
            for (Eigen::Index row = 0; row < x.size(); ++row) {
                const double weight = std::max(0.0, 1.0 - std::pow((x(row) - target) / h, 2));
                numerator += weight * y(row);
                denominator += weight;
            }
            LOCALLAB_COMPARE_NEAR(regression.fitAt(Eigen::VectorXd::Constant(1, target)).value,
                                  numerator / denominator, 1e-12, 1e-14);
        }
    }

    void truncatedGaussianIsCloseToExact() {
        const auto data = test::readFixture("kernel_regression_1d_data.csv");
        LocalRegressionSettings settings = settingsFor(KernelProfile::Gaussian, 0.05, 1);
        const LocalRegression exact(column(data.column("x")), data.column("y"), settings);
        settings.truncationTolerance = 1e-14;
        const LocalRegression truncated(column(data.column("x")), data.column("y"), settings);
        SilentProgress progress;
        const Eigen::VectorXd targets = Eigen::VectorXd::LinSpaced(30, 0.0, 1.0);
        LOCALLAB_COMPARE_MATRIX_NEAR(truncated.fit(column(targets), progress).values,
                                     exact.fit(column(targets), progress).values, 1e-11, 1e-11);
    }

    void smootherWeightsReproduceTheFitAndTheMoments_data() {
        QTest::addColumn<int>("degree");
        QTest::newRow("local constant") << 0;
        QTest::newRow("local linear") << 1;
        QTest::newRow("local quadratic") << 2;
    }
    void smootherWeightsReproduceTheFitAndTheMoments() {
        QFETCH(int, degree);
        const auto data = test::readFixture("kernel_regression_1d_data.csv");
        const Eigen::VectorXd x = data.column("x");
        const LocalRegression regression(column(x), data.column("y"),
                                         settingsFor(KernelProfile::Gaussian, 0.1, degree));
        for (const double target : {-0.05, 0.4, 0.99}) {
            const Eigen::VectorXd at = Eigen::VectorXd::Constant(1, target);
            const Eigen::VectorXd weights = regression.weightsAt(at).dense(x.size());
            LOCALLAB_COMPARE_NEAR(weights.dot(data.column("y")), regression.fitAt(at).value, 1e-12, 1e-12);
            LOCALLAB_COMPARE_NEAR(weights.sum(), 1.0, 1e-12, 0.0);
            if (degree >= 1) { // a fit of degree ≥ 1 reproduces x itself
                LOCALLAB_COMPARE_NEAR(weights.dot(x), target, 1e-10, 1e-12);
            }
        }
    }

    void cancellationStopsTheLoop() {
        const Eigen::VectorXd x = Eigen::VectorXd::LinSpaced(100, 0.0, 1.0);
        const LocalRegression regression(column(x), x, settingsFor(KernelProfile::Gaussian, 0.1, 1));
        SilentProgress progress;
        progress.cancel();
        QVERIFY_THROWS_EXCEPTION(OperationCanceled, regression.fit(column(x), progress));
    }

    void rejectsInconsistentInput() {
        const Eigen::MatrixXd points = Eigen::MatrixXd::Zero(3, 1);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, LocalRegression(points, Eigen::VectorXd::Zero(2),
                                                                        LocalRegressionSettings{}));
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument,
            LocalRegression(points, Eigen::VectorXd::Zero(3), settingsFor(KernelProfile::Gaussian, 1.0, -1)));
        const LocalRegression regression(points, Eigen::VectorXd::Zero(3), LocalRegressionSettings{});
        SilentProgress progress;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 regression.fit(Eigen::MatrixXd::Zero(2, 2), progress));
    }
};

QTEST_APPLESS_MAIN(TestLocalRegression)
#include "test_local_regression.moc"
