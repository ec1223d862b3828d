// Balloon and sample-point (Abramson) bandwidths against scikit-learn's KernelDensity and
// NearestNeighbors (tests/fixtures/make_kernel_fixtures.py), plus identities that hold for any data.

#include "fuzzy_compare.hpp"
#include "kernel_fixture.hpp"
#include "locallab/kernel/adaptive_bandwidth.hpp"
#include "locallab/neighbors/neighbor_index.hpp"
#include "locallab/util/progress.hpp"

#include <QTest>
#include <cmath>
#include <numbers>
#include <stdexcept>

using locallab::Bandwidth;
using locallab::test::toMatrix;
using locallab::test::toVector;

class AdaptiveBandwidthTest : public QObject {
    Q_OBJECT

private slots:
    void samplePointBandwidthsMatchScikitLearn_data() {
        QTest::addColumn<QString>("dataSet");
        QTest::newRow("correlated_2d") << "correlated_2d";
        QTest::newRow("mixture_3d") << "mixture_3d";
    }
    void samplePointBandwidthsMatchScikitLearn() {
        QFETCH(QString, dataSet);
        const QJsonObject reference =
            locallab::test::readKernelFixture("adaptive_bandwidth.json")[dataSet].toObject();
        const Eigen::MatrixXd points = toMatrix(reference["points"]);
        const double pilot = reference["pilot_bandwidth"].toDouble();
        const auto result = locallab::samplePointBandwidths(points, Bandwidth::scalar(pilot));
        LOCALLAB_COMPARE_MATRIX_NEAR(result.logPilotDensity, toVector(reference["log_pilot_density"]), 1e-12,
                                     0.0);
        LOCALLAB_COMPARE_NEAR(result.logGeometricMean, reference["log_geometric_mean"].toDouble(), 1e-12,
                              0.0);
        LOCALLAB_COMPARE_MATRIX_NEAR(result.sizes, toVector(reference["abramson_sizes"]), 1e-12, 0.0);
        LOCALLAB_COMPARE_MATRIX_NEAR(result.sizes, pilot * result.factors, 1e-15, 0.0);
    }

    void balloonBandwidthsMatchScikitLearn_data() {
        QTest::addColumn<QString>("dataSet");
        QTest::newRow("correlated_2d") << "correlated_2d";
        QTest::newRow("mixture_3d") << "mixture_3d";
    }
    void balloonBandwidthsMatchScikitLearn() {
        QFETCH(QString, dataSet);
        const QJsonObject reference =
            locallab::test::readKernelFixture("adaptive_bandwidth.json")[dataSet].toObject();
        const locallab::NeighborIndex index(toMatrix(reference["points"]));
        const auto bandwidths = locallab::balloonBandwidths(index, toMatrix(reference["balloon_targets"]),
                                                            reference["balloon_neighbor_count"].toInt());
        LOCALLAB_COMPARE_MATRIX_NEAR(bandwidths, toVector(reference["balloon_bandwidths"]), 1e-12, 0.0);
    }

    void balloonCountsATargetOnADataPointAsItsOwnNeighbour() {
        Eigen::MatrixXd points(4, 1);
        points << 0.0, 1.0, 3.0, 7.0;
        const locallab::NeighborIndex index(points);
        Eigen::MatrixXd targets(2, 1);
        targets << 3.0, 5.5;
        const auto bandwidths = locallab::balloonBandwidths(index, targets, 2);
        QCOMPARE(bandwidths[0], 2.0); // itself at 0, then 1 at distance 2
        QCOMPARE(bandwidths[1], 2.5); // 3 at 2.5 and 7 at 1.5
    }

    void factorsHaveGeometricMeanOne() {
        // log λ_i = −α(log f̃_i − mean log f̃) sums to zero by construction of g.
        const QJsonObject reference =
            locallab::test::readKernelFixture("adaptive_bandwidth.json")["mixture_3d"].toObject();
        const Eigen::MatrixXd points = toMatrix(reference["points"]);
        const auto result = locallab::samplePointBandwidths(points, Bandwidth::scalar(0.6));
        LOCALLAB_COMPARE_NEAR(result.factors.array().log().mean(), 0.0, 0.0, 1e-14);
        // dense points (higher pilot density) get narrower kernels
        Eigen::Index densest = 0;
        result.logPilotDensity.maxCoeff(&densest);
        QCOMPARE(result.factors.minCoeff(), result.factors[densest]);
        // α = 0 switches the adaptation off
        const auto fixed = locallab::samplePointBandwidths(points, Bandwidth::scalar(0.6), 0.0);
        LOCALLAB_COMPARE_MATRIX_NEAR(fixed.factors, Eigen::VectorXd::Ones(points.rows()), 0.0, 0.0);
    }

    void pilotWithEquivalentMatricesAgrees() {
        const Eigen::MatrixXd points = Eigen::MatrixXd::Random(50, 2);
        const auto scalar = locallab::samplePointBandwidths(points, Bandwidth::scalar(0.3));
        const auto diagonal =
            locallab::samplePointBandwidths(points, Bandwidth::diagonal(Eigen::Vector2d(0.3, 0.3)));
        const auto full =
            locallab::samplePointBandwidths(points, Bandwidth::full(0.09 * Eigen::Matrix2d::Identity()));
        LOCALLAB_COMPARE_MATRIX_NEAR(diagonal.logPilotDensity, scalar.logPilotDensity, 1e-13, 0.0);
        LOCALLAB_COMPARE_MATRIX_NEAR(full.logPilotDensity, scalar.logPilotDensity, 1e-13, 0.0);
    }

    void pilotDensityStaysFiniteWhenEveryOtherWeightUnderflows() {
        // Points 1000 pilot bandwidths apart: each sees only itself, f̃ = 1/(n h √(2π)) exactly,
        // although exp(−u/2) of every other pair is 0 in double precision.
        Eigen::MatrixXd points(3, 1);
        points << 0.0, 1.0, 2.0;
        const double pilot = 1e-3;
        const auto result = locallab::samplePointBandwidths(points, Bandwidth::scalar(pilot));
        const double expected = -std::log(3.0 * pilot * std::sqrt(2.0 * std::numbers::pi));
        for (Eigen::Index i = 0; i < 3; ++i) {
            LOCALLAB_COMPARE_NEAR(result.logPilotDensity[i], expected, 1e-14, 0.0);
            LOCALLAB_COMPARE_NEAR(result.factors[i], 1.0, 1e-14, 0.0);
        }
        // Two isolated points and a tight pair: the pair's density is about twice as high.
        points << 0.0, 1.0, 1.0 + 1e-9;
        const auto paired = locallab::samplePointBandwidths(points, Bandwidth::scalar(pilot));
        LOCALLAB_COMPARE_NEAR(paired.logPilotDensity[1] - paired.logPilotDensity[0], std::log(2.0), 1e-9,
                              0.0);
        QVERIFY(paired.factors.allFinite());
    }

    void badArgumentsAreReported() {
        Eigen::MatrixXd points(4, 2);
        points << 0, 0, 1, 0, 1, 0, 2, 2;
        const locallab::NeighborIndex index(points);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, locallab::balloonBandwidths(index, points, 0));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, locallab::balloonBandwidths(index, points, 5));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 locallab::balloonBandwidths(index, Eigen::MatrixXd::Zero(2, 3), 1));
        try {
            locallab::balloonBandwidths(index, points, 2); // rows 2 and 3 coincide
            QFAIL("a zero balloon bandwidth should be reported");
        } catch (const std::domain_error& error) {
            QVERIFY2(QString::fromUtf8(error.what()).contains("target 2"), error.what());
        }
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 locallab::samplePointBandwidths(points, Bandwidth::scalar(1.0), 1.5));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, locallab::samplePointBandwidths(
                                                            Eigen::MatrixXd(0, 2), Bandwidth::scalar(1.0)));
    }

    void longRunsCanBeCanceled() {
        const Eigen::MatrixXd points = Eigen::MatrixXd::Random(1000, 2);
        locallab::SilentProgress progress;
        progress.cancel();
        QVERIFY_THROWS_EXCEPTION(locallab::OperationCanceled,
                                 locallab::samplePointBandwidths(points, Bandwidth::scalar(0.1), progress));
        const locallab::NeighborIndex index(points);
        QVERIFY_THROWS_EXCEPTION(locallab::OperationCanceled,
                                 locallab::balloonBandwidths(index, points, 3, progress));
    }
};

QTEST_APPLESS_MAIN(AdaptiveBandwidthTest)
#include "test_adaptive_bandwidth.moc"
