// Modern Hopfield retrieval: energy and update against numpy/scipy, exact retrieval for large β, the
// mean of the patterns for small β, and an energy that never increases along a retrieval.

#include "attention_fixtures.hpp"
#include "fuzzy_compare.hpp"
#include "locallab/attention/hopfield_retrieval.hpp"
#include "locallab/data/random_stream.hpp"

#include <QTest>
#include <cmath>

using namespace locallab;

namespace {

// d × N, patterns as columns, entries N(0, 1).
Eigen::MatrixXd randomPatterns(Eigen::Index dimension, Eigen::Index count, std::uint64_t seed) {
    RandomStream random(seed);
    Eigen::MatrixXd patterns(dimension, count);
    for (Eigen::Index index = 0; index < patterns.size(); ++index) {
        patterns.data()[index] = random.normal();
    }
    return patterns;
}

} // namespace

class TestHopfieldRetrieval : public QObject {
    Q_OBJECT

private slots:
    void energyAndUpdateMatchScipy_data() {
        QTest::addColumn<QJsonObject>("fixture");
        for (const QJsonValue& entry : test::attentionFixtureCases("hopfield.json")) {
            const QJsonObject fixture = entry.toObject();
            QTest::newRow(qPrintable(QString("beta %1").arg(fixture["inverse_temperature"].toDouble())))
                << fixture;
        }
    }

    void energyAndUpdateMatchScipy() {
        QFETCH(QJsonObject, fixture);
        const Eigen::MatrixXd patterns = test::attentionMatrix(fixture["patterns"]);
        const Eigen::VectorXd state = test::attentionVector(fixture["state"]);
        const double beta = fixture["inverse_temperature"].toDouble();
        LOCALLAB_COMPARE_NEAR(hopfieldEnergy(patterns, state, beta), fixture["energy"].toDouble(), 1e-12,
                              1e-12);
        LOCALLAB_COMPARE_MATRIX_NEAR(hopfieldUpdate(patterns, state, beta),
                                     test::attentionVector(fixture["update"]), 1e-12, 1e-12);
    }

    // Large β: the weights of the other patterns are exp(−β·gap) with a gap of tens, far below 1e-12,
    // so the stored pattern comes back exactly (to rounding).
    void largeBetaRetrievesTheCorruptedPatternExactly_data() {
        QTest::addColumn<bool>("masked");
        QTest::newRow("40% of entries masked") << true;
        QTest::newRow("Gaussian noise sigma 0.5") << false;
    }

    void largeBetaRetrievesTheCorruptedPatternExactly() {
        QFETCH(bool, masked);
        const Eigen::MatrixXd patterns = randomPatterns(64, 10, 1);
        for (Eigen::Index stored = 0; stored < patterns.cols(); ++stored) {
            const Eigen::VectorXd start = masked ? maskEntries(patterns.col(stored), 0.4, 100 + stored)
                                                 : addGaussianNoise(patterns.col(stored), 0.5, 100 + stored);
            HopfieldOptions options;
            options.inverseTemperature = 2.0;
            const HopfieldRetrieval retrieval = retrieveHopfield(patterns, start, options);
            QVERIFY(retrieval.converged);
            LOCALLAB_COMPARE_MATRIX_NEAR(retrieval.retrieved(), patterns.col(stored), 1e-12, 1e-12);
            QCOMPARE(retrieval.finalWeights[stored], 1.0);
        }
    }

    // β → 0: softmax is uniform, so the fixed point is the mean of the patterns up to O(β).
    void smallBetaConvergesToTheMeanOfThePatterns() {
        const Eigen::MatrixXd patterns = randomPatterns(16, 6, 2);
        HopfieldOptions options;
        options.inverseTemperature = 1e-8;
        const HopfieldRetrieval retrieval = retrieveHopfield(patterns, patterns.col(0), options);
        QVERIFY(retrieval.converged);
        LOCALLAB_COMPARE_MATRIX_NEAR(retrieval.retrieved(), patterns.rowwise().mean(), 0.0, 1e-6);
        LOCALLAB_COMPARE_MATRIX_NEAR(retrieval.finalWeights, Eigen::VectorXd::Constant(6, 1.0 / 6.0), 0.0,
                                     1e-6);
    }

    void energyNeverIncreases_data() {
        QTest::addColumn<double>("beta");
        QTest::newRow("beta 0.05") << 0.05;
        QTest::newRow("beta 0.3") << 0.3;
        QTest::newRow("beta 1") << 1.0;
        QTest::newRow("beta 10") << 10.0;
    }

    void energyNeverIncreases() {
        QFETCH(double, beta);
        const Eigen::MatrixXd patterns = randomPatterns(8, 12, 3);
        for (std::uint64_t seed = 1; seed <= 10; ++seed) {
            const Eigen::VectorXd start = addGaussianNoise(Eigen::VectorXd::Zero(8), 2.0, seed);
            HopfieldOptions options;
            options.inverseTemperature = beta;
            options.maxSteps = 50;
            const HopfieldRetrieval retrieval = retrieveHopfield(patterns, start, options);
            QCOMPARE(retrieval.energies.size(), retrieval.states.size());
            for (std::size_t step = 1; step < retrieval.energies.size(); ++step) {
                QVERIFY2(retrieval.energies[step] <= retrieval.energies[step - 1] + 1e-12,
                         qPrintable(QString("step %1: %2 after %3")
                                        .arg(step)
                                        .arg(retrieval.energies[step], 0, 'g', 17)
                                        .arg(retrieval.energies[step - 1], 0, 'g', 17)));
            }
        }
    }

    void corruptionIsSeededAndCountsEntries() {
        const Eigen::VectorXd pattern = Eigen::VectorXd::LinSpaced(20, 1.0, 20.0);
        const Eigen::VectorXd masked = maskEntries(pattern, 0.25, 4);
        QCOMPARE((masked.array() == 0.0).count(), Eigen::Index{5});
        QCOMPARE(maskEntries(pattern, 0.25, 4), masked);
        QVERIFY(maskEntries(pattern, 0.25, 5) != masked);
        QCOMPARE(addGaussianNoise(pattern, 0.1, 4), addGaussianNoise(pattern, 0.1, 4));
        QCOMPARE(addGaussianNoise(pattern, 0.0, 4), pattern);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, maskEntries(pattern, 1.5, 4));
    }

    void badArgumentsAreRejected() {
        const Eigen::MatrixXd patterns = randomPatterns(4, 3, 1);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 hopfieldEnergy(patterns, Eigen::VectorXd::Zero(3), 1.0));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 hopfieldUpdate(patterns, Eigen::VectorXd::Zero(4), 0.0));
    }
};

QTEST_APPLESS_MAIN(TestHopfieldRetrieval)
#include "test_hopfield_retrieval.moc"
