// The weighted median is the minimizer of Σ w_i |y_i − θ|: checked on closed cases and, on random data,
// against the objective itself.

#include "fuzzy_compare.hpp"
#include "locallab/local/weighted_median.hpp"

#include <QTest>
#include <random>

using namespace locallab;

namespace {

double absoluteLoss(const std::vector<double>& values, const std::vector<double>& weights, double theta) {
    double loss = 0.0;
    for (std::size_t index = 0; index < values.size(); ++index) {
        loss += weights[index] * std::abs(values[index] - theta);
    }
    return loss;
}

} // namespace

class TestWeightedMedian : public QObject {
    Q_OBJECT

private slots:
    void closedCases_data() {
        QTest::addColumn<std::vector<double>>("values");
        QTest::addColumn<std::vector<double>>("weights");
        QTest::addColumn<double>("expected");
        QTest::newRow("equal weights, odd")
            << std::vector<double>{5, 1, 3} << std::vector<double>{1, 1, 1} << 3.0;
        QTest::newRow("equal weights, even")
            << std::vector<double>{4, 1, 3, 2} << std::vector<double>{1, 1, 1, 1} << 2.5;
        QTest::newRow("one heavy value")
            << std::vector<double>{1, 2, 9} << std::vector<double>{1, 1, 5} << 9.0;
        QTest::newRow("zero weight ignored")
            << std::vector<double>{1, 2, 100} << std::vector<double>{1, 1, 0} << 1.5;
        QTest::newRow("single value") << std::vector<double>{-7} << std::vector<double>{0.2} << -7.0;
    }
    void closedCases() {
        QFETCH(std::vector<double>, values);
        QFETCH(std::vector<double>, weights);
        QFETCH(double, expected);
        QCOMPARE(weightedMedian(values, weights), expected);
    }

    void minimizesTheAbsoluteLoss() {
        std::mt19937 generator(7);
        std::normal_distribution<double> normal;
        std::uniform_real_distribution<double> uniform(0.0, 1.0);
        for (int trial = 0; trial < 50; ++trial) {
            std::vector<double> values(15);
            std::vector<double> weights(15);
            for (std::size_t index = 0; index < values.size(); ++index) {
                values[index] = normal(generator);
                weights[index] = uniform(generator);
            }
            const double median = weightedMedian(values, weights);
            const double best = absoluteLoss(values, weights, median);
            for (const double candidate : values) { // the loss is piecewise linear with kinks at the values
                QVERIFY(best <= absoluteLoss(values, weights, candidate) + 1e-12);
            }
        }
    }

    void localMedianWithAWideUniformKernelIsTheMedian() {
        const Eigen::VectorXd x = Eigen::VectorXd::LinSpaced(7, 0.0, 6.0);
        const Eigen::VectorXd y = (Eigen::VectorXd(7) << 3, 100, -2, 8, 1, 0, 5).finished();
        const KernelNeighborhood neighborhood(Eigen::MatrixXd(x), RadialKernel(KernelProfile::Uniform),
                                              Bandwidth::scalar(100.0));
        SilentProgress progress;
        const LocalFit fit = localMedian(neighborhood, y, Eigen::MatrixXd::Constant(1, 1, 2.0), progress);
        QCOMPARE(fit.values(0), 3.0);
        const KernelNeighborhood narrow(Eigen::MatrixXd(x), RadialKernel(KernelProfile::Uniform),
                                        Bandwidth::scalar(1.0));
        const LocalFit local =
            localMedian(narrow, y, Eigen::MatrixXd::Constant(1, 1, 2.0), progress); // y at x = 1, 2, 3
        QCOMPARE(local.values(0), 8.0);
    }

    void rejectsBadWeights() {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, weightedMedian({1, 2}, {0, 0}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, weightedMedian({1, 2}, {1, -1}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, weightedMedian({1, 2}, {1}));
    }
};

QTEST_APPLESS_MAIN(TestWeightedMedian)
#include "test_weighted_median.moc"
