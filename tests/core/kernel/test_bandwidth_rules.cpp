// Rules of thumb against scipy.stats.gaussian_kde, numpy and scikit-learn's estimate_bandwidth
// (tests/fixtures/make_kernel_fixtures.py), and degenerate data against clear errors.

#include "fuzzy_compare.hpp"
#include "kernel_fixture.hpp"
#include "locallab/kernel/bandwidth_rules.hpp"
#include "locallab/util/progress.hpp"

#include <QTest>
#include <cmath>
#include <stdexcept>

using locallab::test::toMatrix;
using locallab::test::toVector;

namespace {

constexpr double tolerance = 1e-12;

void addDataSetRows() {
    QTest::addColumn<QString>("dataSet");
    const QJsonObject fixture = locallab::test::readKernelFixture("bandwidth_rules.json");
    for (const QString& name : fixture.keys()) {
        if (name != "generated_by") {
            QTest::newRow(qPrintable(name)) << name;
        }
    }
}

QJsonObject dataSetFixture(const QString& name) {
    return locallab::test::readKernelFixture("bandwidth_rules.json")[name].toObject();
}

// Checks that calling the rule throws std::invalid_argument whose message contains the expected words.
template <typename Call>
void expectInvalidArgument(const Call& call, const QString& expectedWords) {
    try {
        call();
        QFAIL("expected std::invalid_argument");
    } catch (const std::invalid_argument& error) {
        QVERIFY2(QString::fromUtf8(error.what()).contains(expectedWords), error.what());
    }
}

} // namespace

class BandwidthRulesTest : public QObject {
    Q_OBJECT

private slots:
    void scottMatchesScipy_data() { addDataSetRows(); }
    void scottMatchesScipy() {
        QFETCH(QString, dataSet);
        const QJsonObject reference = dataSetFixture(dataSet);
        const Eigen::MatrixXd points = toMatrix(reference["points"]);
        const auto rule = locallab::scottBandwidth(points);
        LOCALLAB_COMPARE_NEAR(rule.factor, reference["scott_factor"].toDouble(), tolerance, 0.0);
        LOCALLAB_COMPARE_NEAR(locallab::scottFactor(points.rows(), points.cols()), rule.factor, 0.0, 0.0);
        LOCALLAB_COMPARE_MATRIX_NEAR(rule.covariance.matrix(points.cols()),
                                     toMatrix(reference["scott_covariance"]), tolerance, 0.0);
        const Eigen::VectorXd expectedPerColumn =
            rule.factor * toVector(reference["column_standard_deviations"]);
        LOCALLAB_COMPARE_MATRIX_NEAR(rule.perColumn.matrix(points.cols()).diagonal().cwiseSqrt(),
                                     expectedPerColumn, tolerance, 0.0);
    }

    void silvermanMatchesScipy_data() { addDataSetRows(); }
    void silvermanMatchesScipy() {
        QFETCH(QString, dataSet);
        const QJsonObject reference = dataSetFixture(dataSet);
        const Eigen::MatrixXd points = toMatrix(reference["points"]);
        const auto rule = locallab::silvermanBandwidth(points);
        LOCALLAB_COMPARE_NEAR(rule.factor, reference["silverman_factor"].toDouble(), tolerance, 0.0);
        LOCALLAB_COMPARE_MATRIX_NEAR(rule.covariance.matrix(points.cols()),
                                     toMatrix(reference["silverman_covariance"]), tolerance, 0.0);
    }

    void factorsFollowTheirFormulas_data() {
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("dimension");
        QTest::newRow("n=100 d=1") << 100 << 1;
        QTest::newRow("n=1000 d=2") << 1000 << 2;
        QTest::newRow("n=7 d=5") << 7 << 5;
    }
    void factorsFollowTheirFormulas() {
        QFETCH(int, count);
        QFETCH(int, dimension);
        // Closed forms: Scott n^(−1/(d+4)); Silverman (n(d+2)/4)^(−1/(d+4)), which for d = 2 equals Scott.
        const double scott = std::exp(-std::log(count) / (dimension + 4));
        LOCALLAB_COMPARE_NEAR(locallab::scottFactor(count, dimension), scott, 1e-14, 0.0);
        const double silverman = std::exp(-std::log(count * (dimension + 2) / 4.0) / (dimension + 4));
        LOCALLAB_COMPARE_NEAR(locallab::silvermanFactor(count, dimension), silverman, 1e-14, 0.0);
        if (dimension == 2) {
            LOCALLAB_COMPARE_NEAR(locallab::silvermanFactor(count, dimension), scott, 1e-14, 0.0);
        }
    }

    void robustSilvermanMatchesNumpy_data() { addDataSetRows(); }
    void robustSilvermanMatchesNumpy() {
        QFETCH(QString, dataSet);
        const QJsonObject reference = dataSetFixture(dataSet);
        const Eigen::MatrixXd points = toMatrix(reference["points"]);
        const Eigen::VectorXd interquartile = toVector(reference["column_interquartile_ranges"]);
        const Eigen::VectorXd robust = toVector(reference["robust_silverman"]);
        for (Eigen::Index column = 0; column < points.cols(); ++column) {
            const Eigen::VectorXd values = points.col(column);
            LOCALLAB_COMPARE_NEAR(locallab::interquartileRange(values), interquartile[column], tolerance,
                                  0.0);
            LOCALLAB_COMPARE_NEAR(locallab::robustSilvermanBandwidth(values), robust[column], tolerance, 0.0);
        }
    }

    void robustSilvermanTakesTheSmallerSpread() {
        // uniform data: σ < IQR/1.34; heavy tails: IQR/1.34 < σ (the fixture's two 1-D sets, by design)
        for (const QString& name : {QString("uniform_1d"), QString("heavy_tailed_1d")}) {
            const QJsonObject reference = dataSetFixture(name);
            const double deviation = toVector(reference["column_standard_deviations"])[0];
            const double quartileSpread = toVector(reference["column_interquartile_ranges"])[0] / 1.34;
            const Eigen::VectorXd values = toMatrix(reference["points"]).col(0);
            const double expected = 0.9 * std::min(deviation, quartileSpread) * std::pow(values.size(), -0.2);
            QCOMPARE(name == "uniform_1d", deviation < quartileSpread);
            LOCALLAB_COMPARE_NEAR(locallab::robustSilvermanBandwidth(values), expected, tolerance, 0.0);
        }
    }

    void estimateBandwidthMatchesScikitLearn_data() { addDataSetRows(); }
    void estimateBandwidthMatchesScikitLearn() {
        QFETCH(QString, dataSet);
        const QJsonObject reference = dataSetFixture(dataSet);
        const Eigen::MatrixXd points = toMatrix(reference["points"]);
        const QJsonObject expected = reference["estimate_bandwidth"].toObject();
        for (const QString& quantile : expected.keys()) {
            LOCALLAB_COMPARE_NEAR(locallab::estimateBandwidth(points, quantile.toDouble()),
                                  expected[quantile].toDouble(), tolerance, 0.0);
        }
    }

    void estimateBandwidthCountsThePointItself() {
        // Points 0, 1, 3, 6 on a line; quantile 0.5 → k = 2: the nearest other point, the point being
        // its own first neighbour. Distances: 1, 1, 2, 3 → mean 7/4.
        Eigen::MatrixXd points(4, 1);
        points << 0.0, 1.0, 3.0, 6.0;
        LOCALLAB_COMPARE_NEAR(locallab::estimateBandwidth(points, 0.5), 1.75, 1e-15, 0.0);
        // quantile so small that int(q·n) = 0 is raised to k = 1: every distance is 0
        QCOMPARE(locallab::estimateBandwidth(points, 0.1), 0.0);
        // quantile 1 → k = n: the farthest point: 6, 5, 3, 6 → 5
        LOCALLAB_COMPARE_NEAR(locallab::estimateBandwidth(points, 1.0), 5.0, 1e-15, 0.0);
    }

    void estimateBandwidthCanBeCanceled() {
        const Eigen::MatrixXd points = Eigen::MatrixXd::Random(2000, 2);
        locallab::SilentProgress progress;
        progress.cancel();
        QVERIFY_THROWS_EXCEPTION(locallab::OperationCanceled,
                                 locallab::estimateBandwidth(points, 0.3, progress));
    }

    void degenerateDataIsReported() {
        Eigen::MatrixXd constantColumn(5, 2);
        constantColumn << 1, 2, 2, 2, 3, 2, 4, 2, 5, 2;
        expectInvalidArgument([&] { locallab::scottBandwidth(constantColumn); },
                              "column 2 has zero variance");
        expectInvalidArgument([&] { locallab::silvermanBandwidth(constantColumn); }, "zero variance");
        expectInvalidArgument([&] { locallab::robustSilvermanBandwidth(constantColumn.col(1)); },
                              "zero variance");

        const Eigen::MatrixXd onePoint = Eigen::MatrixXd::Ones(1, 3);
        expectInvalidArgument([&] { locallab::scottBandwidth(onePoint); }, "at least 2 points");
        expectInvalidArgument([&] { locallab::robustSilvermanBandwidth(Eigen::VectorXd::Ones(1)); },
                              "at least 2 points");

        Eigen::MatrixXd collinear(4, 2);
        collinear << 0, 0, 1, 2, 2, 4, 3, 6;
        expectInvalidArgument([&] { locallab::scottBandwidth(collinear); }, "linearly dependent");

        Eigen::MatrixXd withNaN = Eigen::MatrixXd::Random(4, 2);
        withNaN(2, 1) = std::nan("");
        expectInvalidArgument([&] { locallab::scottBandwidth(withNaN); }, "row 3, column 2");
        expectInvalidArgument([&] { locallab::estimateBandwidth(withNaN, 0.3); }, "row 3, column 2");

        expectInvalidArgument([&] { locallab::estimateBandwidth(collinear, 1.5); }, "quantile");
        expectInvalidArgument([&] { locallab::estimateBandwidth(Eigen::MatrixXd(0, 2), 0.3); },
                              "at least one point");
    }
};

QTEST_APPLESS_MAIN(BandwidthRulesTest)
#include "test_bandwidth_rules.moc"
