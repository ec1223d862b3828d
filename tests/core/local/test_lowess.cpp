// LOWESS against statsmodels.nonparametric.lowess (delta = 0) on data with outliers, at the data points
// and at other x, plus the properties that hold whatever the data.

#include "fixture_table.hpp"
#include "fuzzy_compare.hpp"
#include "locallab/local/lowess.hpp"

#include <QTest>

using namespace locallab;

class TestLowess : public QObject {
    Q_OBJECT

private slots:
    void matchesStatsmodelsAtTheDataPoints_data() {
        QTest::addColumn<double>("fraction");
        QTest::addColumn<int>("iterations");
        QTest::addColumn<QString>("fixtureColumn");
        QTest::newRow("f = 0.3, no robustness") << 0.3 << 0 << "f0.3000_it0";
        QTest::newRow("f = 0.3, 3 passes") << 0.3 << 3 << "f0.3000_it3";
        QTest::newRow("f = 2/3, 3 passes") << 2.0 / 3.0 << 3 << "f0.6667_it3";
        QTest::newRow("f = 0.1, 2 passes") << 0.1 << 2 << "f0.1000_it2";
    }
    void matchesStatsmodelsAtTheDataPoints() {
        QFETCH(double, fraction);
        QFETCH(int, iterations);
        QFETCH(QString, fixtureColumn);
        const auto data = test::readFixture("lowess_data.csv");
        const auto expected = test::readFixture("lowess_fit.csv");
        SilentProgress progress;
        const Lowess lowess(data.column("x"), data.column("y"), {fraction, iterations}, progress);
        LOCALLAB_COMPARE_MATRIX_NEAR(lowess.fitted(), expected.column(fixtureColumn.toStdString()), 1e-8,
                                     1e-10);
    }

    void matchesStatsmodelsAtOtherPoints_data() {
        QTest::addColumn<double>("fraction");
        QTest::addColumn<int>("iterations");
        QTest::addColumn<QString>("fixtureColumn");
        QTest::newRow("f = 0.3, no robustness") << 0.3 << 0 << "f0.3000_it0";
        QTest::newRow("f = 0.3, 3 passes") << 0.3 << 3 << "f0.3000_it3";
        QTest::newRow("f = 2/3, 3 passes") << 2.0 / 3.0 << 3 << "f0.6667_it3";
    }
    void matchesStatsmodelsAtOtherPoints() {
        QFETCH(double, fraction);
        QFETCH(int, iterations);
        QFETCH(QString, fixtureColumn);
        const auto data = test::readFixture("lowess_data.csv");
        const auto expected = test::readFixture("lowess_eval.csv");
        SilentProgress progress;
        const Lowess lowess(data.column("x"), data.column("y"), {fraction, iterations}, progress);
        const LocalFit fit = lowess.evaluate(expected.column("x"), progress);
        QCOMPARE(fit.count(LocalFitStatus::Fitted), fit.size());
        LOCALLAB_COMPARE_MATRIX_NEAR(fit.values, expected.column(fixtureColumn.toStdString()), 1e-8, 1e-10);
    }

    void robustnessDownweightsTheOutliers() {
        const auto data = test::readFixture("lowess_data.csv");
        SilentProgress progress;
        const Lowess plain(data.column("x"), data.column("y"), {0.3, 0}, progress);
        QCOMPARE(plain.robustnessWeights(), Eigen::VectorXd::Ones(data.values.rows()).eval());
        const Lowess robust(data.column("x"), data.column("y"), {0.3, 3}, progress);
        // The generator added shifts of 3 to 6 to eight points over noise of 0.2: those are the eight
        // points whose residual is beyond 6 median absolute residuals, weight 0.
        const Eigen::VectorXd residuals = (data.column("y") - robust.fitted()).cwiseAbs();
        QCOMPARE((residuals.array() > 2.0).count(), Eigen::Index{8});
        QCOMPARE((robust.robustnessWeights().array() == 0.0).count(), Eigen::Index{8});
    }

    void reproducesALineAndStopsEarly() {
        const Eigen::VectorXd x = Eigen::VectorXd::LinSpaced(30, 0.0, 3.0).array().square();
        const Eigen::VectorXd y = 2.0 - 0.5 * x.array();
        SilentProgress progress;
        const Lowess lowess(x, y, {0.4, 3}, progress);
        LOCALLAB_COMPARE_MATRIX_NEAR(lowess.fitted(), y, 1e-10, 1e-10);
        QCOMPARE(lowess.passesRun(), 1); // residuals ~0: the median rule ends the passes
    }

    void smootherWeightsGiveTheFinalPass() {
        const auto data = test::readFixture("lowess_data.csv");
        SilentProgress progress;
        const Lowess lowess(data.column("x"), data.column("y"), {0.3, 3}, progress);
        for (const Eigen::Index row : {0, 17, 99}) {
            const SmootherWeights weights = lowess.weightsAtDataPoint(row);
            LOCALLAB_COMPARE_NEAR(weights.apply(data.column("y")), lowess.fitted()(row), 1e-12, 1e-12);
            LOCALLAB_COMPARE_NEAR(weights.dense(lowess.size()).sum(), 1.0, 1e-12, 0.0);
        }
    }

    void neighbourCountFollowsStatsmodels() {
        SilentProgress progress;
        const Eigen::VectorXd x = Eigen::VectorXd::LinSpaced(10, 0.0, 1.0);
        QCOMPARE(Lowess(x, x, {0.3, 0}, progress).neighborCount(), Eigen::Index{3});  // ⌊0.3·10 + 1e-10⌋
        QCOMPARE(Lowess(x, x, {0.05, 0}, progress).neighborCount(), Eigen::Index{2}); // at least two
    }

    void rejectsBadSettings() {
        SilentProgress progress;
        const Eigen::VectorXd x = Eigen::VectorXd::LinSpaced(10, 0.0, 1.0);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Lowess(x, x, {1.5, 0}, progress));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Lowess(x, x, {0.5, -1}, progress));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Lowess(x, x.head(5), {0.5, 0}, progress));
    }
};

QTEST_APPLESS_MAIN(TestLowess)
#include "test_lowess.moc"
