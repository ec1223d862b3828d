// The noise variance and variance band of a linear smoother, checked where they have a closed form: a
// local linear fit with an enormous bandwidth is ordinary least squares, whose hat matrix is a rank-2
// projection (tr L = tr LᵀL = 2) and whose standard error at x* is σ̂·sqrt(1/n + (x* − x̄)²/Sxx).

#include "fixture_table.hpp"
#include "fuzzy_compare.hpp"
#include "locallab/local/local_regression.hpp"
#include "locallab/local/lowess.hpp"
#include "locallab/local/noise_variance.hpp"

#include <Eigen/QR>
#include <QTest>

using namespace locallab;

class TestNoiseVariance : public QObject {
    Q_OBJECT

private slots:
    void globalLinearFitGivesOrdinaryLeastSquares() {
        const auto data = test::readFixture("kernel_regression_1d_data.csv");
        const Eigen::VectorXd x = data.column("x");
        const Eigen::VectorXd y = data.column("y");
        const auto n = static_cast<double>(x.size());
        LocalRegressionSettings settings;
        settings.bandwidth = Bandwidth::scalar(1e7);
        settings.degree = 1;
        const LocalRegression regression(Eigen::MatrixXd(x), y, settings);
        SilentProgress progress;
        const NoiseVarianceEstimate estimate = estimateNoiseVariance(regression, progress);

        Eigen::MatrixXd design(x.size(), 2);
        design << Eigen::VectorXd::Ones(x.size()), x;
        const Eigen::Vector2d coefficients = design.colPivHouseholderQr().solve(y);
        const double residualSquares = (y - design * coefficients).squaredNorm();
        LOCALLAB_COMPARE_NEAR(estimate.traceSmoother, 2.0, 1e-6, 0.0);
        LOCALLAB_COMPARE_NEAR(estimate.traceSmootherSquared, 2.0, 1e-6, 0.0);
        LOCALLAB_COMPARE_NEAR(estimate.variance, residualSquares / (n - 2.0), 1e-6, 0.0);

        const double mean = x.mean();
        const double spread = (x.array() - mean).square().sum();
        const Eigen::VectorXd targets = (Eigen::VectorXd(3) << -0.5, 0.3, 1.2).finished();
        const LocalFit errors =
            standardErrors(regression, Eigen::MatrixXd(targets), estimate.variance, progress);
        for (Eigen::Index target = 0; target < targets.size(); ++target) {
            const double expected =
                std::sqrt(estimate.variance * (1.0 / n + std::pow(targets(target) - mean, 2) / spread));
            LOCALLAB_COMPARE_NEAR(errors.values(target), expected, 1e-6, 0.0);
        }
    }

    void localMeanBandShrinksWithTheBandwidth() {
        // For the local mean Σ l_i² ≥ 1/n with equality only for equal weights: the band narrows as h grows.
        const auto data = test::readFixture("kernel_regression_1d_data.csv");
        SilentProgress progress;
        double previous = HUGE_VAL;
        for (const double h : {0.02, 0.1, 1.0, 1e6}) {
            LocalRegressionSettings settings;
            settings.bandwidth = Bandwidth::scalar(h);
            settings.degree = 0;
            const LocalRegression regression(Eigen::MatrixXd(data.column("x")), data.column("y"), settings);
            const double squares = regression.weightsAt(Eigen::VectorXd::Constant(1, 0.5)).sumOfSquares();
            QVERIFY(squares < previous);
            previous = squares;
        }
        LOCALLAB_COMPARE_NEAR(previous, 1.0 / static_cast<double>(data.values.rows()), 1e-9, 0.0);
    }

    void worksForLowess() {
        const auto data = test::readFixture("lowess_data.csv");
        SilentProgress progress;
        const Lowess lowess(data.column("x"), data.column("y"), {0.3, 0}, progress);
        const NoiseVarianceEstimate estimate = estimateNoiseVariance(lowess, progress);
        const double residualSquares = (data.column("y") - lowess.fitted()).squaredNorm();
        LOCALLAB_COMPARE_NEAR(estimate.residualSumOfSquares, residualSquares, 1e-12, 0.0);
        QVERIFY(estimate.traceSmoother > 2.0 && estimate.traceSmoother < 30.0);
        QVERIFY(estimate.traceSmootherSquared < estimate.traceSmoother); // rows of L are not projections
    }
};

QTEST_APPLESS_MAIN(TestNoiseVariance)
#include "test_noise_variance.moc"
