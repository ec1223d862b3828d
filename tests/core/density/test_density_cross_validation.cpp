// Likelihood cross-validation against leave-one-out sums written out with numpy and scipy (fixture).

#include "density_fixtures.hpp"
#include "fuzzy_compare.hpp"
#include "locallab/density/density_cross_validation.hpp"

#include <QTest>
#include <cmath>
#include <limits>

using namespace locallab;

class DensityCrossValidationTest : public QObject {
    Q_OBJECT

private slots:
    void matchesReference_data();
    void matchesReference();
    void logSpacingIncludesBothEnds();
    void rejectsHopelessInput();
};

void DensityCrossValidationTest::matchesReference_data() {
    QTest::addColumn<QJsonObject>("fixture");
    for (const QJsonValue& value : test::densityFixtureCases("leave_one_out_references.json")) {
        const QJsonObject fixture = value.toObject();
        QTest::newRow(qPrintable(fixture["name"].toString())) << fixture;
    }
}

void DensityCrossValidationTest::matchesReference() {
    QFETCH(QJsonObject, fixture);
    const Eigen::MatrixXd points = test::matrixFromJson(fixture["data"]);
    const Eigen::VectorXd bandwidths = test::vectorFromJson(fixture["bandwidths"]);
    const Eigen::VectorXd expected = test::vectorFromJson(fixture["scores"]);
    const RadialKernel kernel(parseKernelProfile(fixture["kernel"].toString().toStdString()).value());
    const DensityCrossValidation result = crossValidateDensity(points, kernel, bandwidths);
    QCOMPARE(result.bandwidths, bandwidths);
    LOCALLAB_COMPARE_MATRIX_NEAR(result.scores, expected, 1e-10, 0.0);
    Eigen::Index best = 0;
    expected.maxCoeff(&best);
    QCOMPARE(result.bestIndex, best);
    QCOMPARE(result.bestBandwidth(), bandwidths[best]);
}

void DensityCrossValidationTest::logSpacingIncludesBothEnds() {
    const Eigen::VectorXd bandwidths = logSpacedBandwidths(0.01, 100.0, 5);
    Eigen::VectorXd expected(5);
    expected << 0.01, 0.1, 1.0, 10.0, 100.0;
    LOCALLAB_COMPARE_MATRIX_NEAR(bandwidths, expected, 1e-13, 0.0);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, logSpacedBandwidths(0.0, 1.0, 3));
}

void DensityCrossValidationTest::rejectsHopelessInput() {
    const RadialKernel epanechnikov(KernelProfile::Epanechnikov);
    QVERIFY_THROWS_EXCEPTION(
        std::invalid_argument,
        crossValidateDensity(Eigen::MatrixXd::Zero(1, 2), epanechnikov, Eigen::Vector2d(1, 2)));
    Eigen::MatrixXd apart(2, 1);
    apart << 0.0, 10.0;
    QVERIFY_THROWS_EXCEPTION(std::domain_error,
                             crossValidateDensity(apart, epanechnikov, Eigen::Vector2d(1, 2)));
}

QTEST_APPLESS_MAIN(DensityCrossValidationTest)
#include "test_density_cross_validation.moc"
