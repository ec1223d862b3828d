// Attention weights against an independent numpy computation (tests/fixtures/make_attention_fixtures.py),
// the softmax/Gaussian identity for equal-norm tokens, and the log-domain guard for tiny temperatures.

#include "attention_fixtures.hpp"
#include "fuzzy_compare.hpp"
#include "locallab/attention/attention_weights.hpp"
#include "locallab/data/random_stream.hpp"

#include <QTest>
#include <cmath>
#include <limits>

using namespace locallab;

namespace {

AttentionWeightOptions optionsFromFixture(const QJsonObject& fixture) {
    AttentionWeightOptions options;
    options.kernel = parseAttentionKernel(fixture["kernel"].toString().toStdString()).value();
    if (!fixture["temperature"].isNull()) {
        options.temperature = fixture["temperature"].toDouble();
    }
    options.neighborCount = fixture["neighbors"].toInt();
    if (!fixture["positional_length"].isNull()) {
        options.positionalLength = fixture["positional_length"].toDouble();
    }
    options.causal = fixture["causal"].toBool();
    return options;
}

// n tokens on the sphere of the given radius in d dimensions.
Eigen::MatrixXd tokensOnSphere(Eigen::Index count, Eigen::Index dimension, double radius,
                               std::uint64_t seed) {
    RandomStream random(seed);
    Eigen::MatrixXd tokens(count, dimension);
    for (Eigen::Index row = 0; row < count; ++row) {
        for (Eigen::Index column = 0; column < dimension; ++column) {
            tokens(row, column) = random.normal();
        }
        tokens.row(row) *= radius / tokens.row(row).norm();
    }
    return tokens;
}

} // namespace

class TestAttentionWeights : public QObject {
    Q_OBJECT

private slots:
    void matchesNumpy_data() {
        QTest::addColumn<QJsonObject>("fixture");
        for (const QJsonValue& entry : test::attentionFixtureCases("attention_weights.json")) {
            const QJsonObject fixture = entry.toObject();
            QTest::newRow(qPrintable(fixture["name"].toString())) << fixture;
        }
    }

    void matchesNumpy() {
        QFETCH(QJsonObject, fixture);
        const Eigen::MatrixXd tokens = test::attentionMatrix(fixture["tokens"]);
        const Eigen::MatrixXd queries = tokens * test::attentionMatrix(fixture["query_projection"]);
        const Eigen::MatrixXd keys = tokens * test::attentionMatrix(fixture["key_projection"]);
        const Eigen::MatrixXd values = tokens * test::attentionMatrix(fixture["value_projection"]);
        const AttentionWeightOptions options = optionsFromFixture(fixture);

        LOCALLAB_COMPARE_MATRIX_NEAR(attentionLogWeights(queries, keys, options),
                                     test::attentionMatrix(fixture["log_weights"]), 1e-12, 1e-12);
        const AttentionResult result = attend(queries, keys, values, options);
        LOCALLAB_COMPARE_MATRIX_NEAR(result.weights, test::attentionMatrix(fixture["weights"]), 1e-12, 1e-12);
        LOCALLAB_COMPARE_MATRIX_NEAR(result.output, test::attentionMatrix(fixture["output"]), 1e-12, 1e-12);
        LOCALLAB_COMPARE_MATRIX_NEAR(result.weights.rowwise().sum(), Eigen::VectorXd::Ones(tokens.rows()),
                                     0.0, 1e-14);
    }

    // exp(⟨q,k⟩/τ) = exp(−||q−k||²/(2τ))·exp((||q||² + ||k||²)/(2τ)): with equal norms the second factor
    // is the same for every key and cancels in the normalisation (THEORY.md).
    void softmaxOfEqualNormTokensIsGaussian_data() {
        QTest::addColumn<double>("radius");
        QTest::addColumn<double>("temperature");
        QTest::newRow("unit sphere, tau = sqrt(d)") << 1.0 << std::sqrt(8.0);
        QTest::newRow("radius 3, tau = 0.5") << 3.0 << 0.5;
        QTest::newRow("radius 0.2, tau = 10") << 0.2 << 10.0;
    }

    void softmaxOfEqualNormTokensIsGaussian() {
        QFETCH(double, radius);
        QFETCH(double, temperature);
        const Eigen::MatrixXd tokens = tokensOnSphere(40, 8, radius, 7);
        AttentionWeightOptions softmax;
        softmax.temperature = temperature;
        AttentionWeightOptions gaussian = softmax;
        gaussian.kernel = AttentionKernel::Gaussian;
        LOCALLAB_COMPARE_MATRIX_NEAR(attentionWeights(tokens, tokens, softmax),
                                     attentionWeights(tokens, tokens, gaussian), 1e-10, 1e-14);
    }

    void softmaxOfUnequalNormTokensIsNotGaussian() {
        Eigen::MatrixXd tokens = tokensOnSphere(10, 3, 1.0, 3);
        tokens.row(0) *= 4.0;
        AttentionWeightOptions gaussian;
        gaussian.kernel = AttentionKernel::Gaussian;
        const double difference =
            (attentionWeights(tokens, tokens, {}) - attentionWeights(tokens, tokens, gaussian))
                .cwiseAbs()
                .maxCoeff();
        QVERIFY(difference > 1e-3);
    }

    // A temperature far below the score gaps would make exp() overflow or underflow without the
    // log-sum-exp; the rows must come out one-hot on the best key instead of NaN.
    void tinyTemperatureGivesOneHotRows_data() {
        QTest::addColumn<int>("kernel");
        QTest::newRow("softmax") << static_cast<int>(AttentionKernel::Softmax);
        QTest::newRow("gaussian") << static_cast<int>(AttentionKernel::Gaussian);
        QTest::newRow("cosine") << static_cast<int>(AttentionKernel::Cosine);
    }

    void tinyTemperatureGivesOneHotRows() {
        QFETCH(int, kernel);
        RandomStream random(11);
        Eigen::MatrixXd tokens(12, 4);
        for (Eigen::Index index = 0; index < tokens.size(); ++index) {
            tokens.data()[index] = random.normal();
        }
        AttentionWeightOptions options;
        options.kernel = static_cast<AttentionKernel>(kernel);
        options.temperature = 1e-300;
        const Eigen::MatrixXd weights = attentionWeights(tokens, tokens, options);
        QVERIFY(weights.allFinite());
        for (Eigen::Index row = 0; row < weights.rows(); ++row) {
            Eigen::Index best = 0;
            attentionLogWeights(tokens.row(row), tokens, options).row(0).maxCoeff(&best);
            QCOMPARE(weights(row, best), 1.0);
            QCOMPARE(weights.row(row).sum(), 1.0);
        }
    }

    void causalRowsIgnoreLaterTokens() {
        RandomStream random(5);
        Eigen::MatrixXd tokens(9, 3);
        for (Eigen::Index index = 0; index < tokens.size(); ++index) {
            tokens.data()[index] = random.normal();
        }
        AttentionWeightOptions options;
        options.causal = true;
        const Eigen::MatrixXd weights = attentionWeights(tokens, tokens, options);
        QCOMPARE(weights(0, 0), 1.0);
        for (Eigen::Index row = 0; row < weights.rows(); ++row) {
            QCOMPARE(weights.row(row).tail(weights.cols() - row - 1).cwiseAbs().sum(), 0.0);
            // Changing a later token must not change this row.
            Eigen::MatrixXd changed = tokens;
            changed.bottomRows(tokens.rows() - row - 1).array() += 3.0;
            LOCALLAB_COMPARE_MATRIX_NEAR(attentionWeights(changed, changed, options).row(row),
                                         weights.row(row), 0.0, 0.0);
        }
    }

    void knnRowsAreUniformOverTheirNeighbours() {
        const Eigen::MatrixXd tokens = tokensOnSphere(15, 3, 1.0, 9);
        AttentionWeightOptions options;
        options.kernel = AttentionKernel::NearestNeighbors;
        options.neighborCount = 4;
        const Eigen::MatrixXd weights = attentionWeights(tokens, tokens, options);
        for (Eigen::Index row = 0; row < weights.rows(); ++row) {
            QCOMPARE((weights.row(row).array() > 0.0).count(), Eigen::Index{4});
            QCOMPARE(weights.row(row).maxCoeff(), 0.25);
            // On the sphere the largest dot product is the token itself.
            QCOMPARE(weights(row, row), 0.25);
        }
    }

    void entropyIsZeroForOneHotAndLogNForUniform() {
        Eigen::MatrixXd weights(2, 5);
        weights << 0, 0, 1, 0, 0, 0.2, 0.2, 0.2, 0.2, 0.2;
        const Eigen::VectorXd entropy = rowEntropy(weights);
        QCOMPARE(entropy[0], 0.0);
        LOCALLAB_COMPARE_NEAR(entropy[1], std::log(5.0), 1e-15, 0.0);
    }

    void largeTemperatureSpreadsAttention() {
        const Eigen::MatrixXd tokens = tokensOnSphere(20, 4, 2.0, 13);
        AttentionWeightOptions sharp;
        sharp.temperature = 0.05;
        AttentionWeightOptions flat;
        flat.temperature = 1e6;
        QVERIFY(rowEntropy(attentionWeights(tokens, tokens, sharp)).mean() < 0.5);
        LOCALLAB_COMPARE_NEAR(rowEntropy(attentionWeights(tokens, tokens, flat)).mean(), std::log(20.0), 1e-5,
                              0.0);
    }

    void badInputIsRejected() {
        const Eigen::MatrixXd tokens = Eigen::MatrixXd::Ones(3, 2);
        AttentionWeightOptions options;
        options.temperature = 0.0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, attentionWeights(tokens, tokens, options));
        options.temperature = 1.0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 attentionWeights(tokens, Eigen::MatrixXd::Ones(3, 3), options));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 attend(tokens, tokens, Eigen::MatrixXd::Ones(2, 2), options));
        options.temperature = 1e-320; // scores overflow to +∞: reported, not turned into NaN
        QVERIFY_THROWS_EXCEPTION(std::domain_error, attentionWeights(tokens * 1e10, tokens, options));
    }

    // Keys × queries storage, one query per column, gives the transpose of the row-wise softmax, for every
    // kernel and with the causal mask; a column with no key it may see is reported by its query number.
    void columnNormalizationIsTheTransposedRowNormalization_data() {
        QTest::addColumn<QString>("kernel");
        QTest::addColumn<bool>("causal");
        for (const std::string& name : attentionKernelNames()) {
            QTest::newRow(name.c_str()) << QString::fromStdString(name) << false;
            QTest::newRow((name + " causal").c_str()) << QString::fromStdString(name) << true;
        }
    }

    void columnNormalizationIsTheTransposedRowNormalization() {
        QFETCH(QString, kernel);
        QFETCH(bool, causal);
        const Eigen::MatrixXd tokens = Eigen::MatrixXd::Random(17, 3);
        AttentionWeightOptions options;
        options.kernel = *parseAttentionKernel(kernel.toStdString());
        options.temperature = 0.7;
        options.neighborCount = 4;
        options.causal = causal;
        Eigen::MatrixXd byKey = attentionLogWeights(tokens, tokens, options).transpose();
        normalizeLogWeightColumns(byKey.rightCols(9), 8);
        normalizeLogWeightColumns(byKey.leftCols(8));
        LOCALLAB_COMPARE_MATRIX_NEAR(byKey.transpose(), attentionWeights(tokens, tokens, options), 1e-14,
                                     1e-15);

        Eigen::MatrixXd masked = Eigen::MatrixXd::Zero(3, 2);
        masked.col(1).setConstant(-std::numeric_limits<double>::infinity());
        try {
            normalizeLogWeightColumns(masked, 4);
            QFAIL("a column without a visible key was normalised");
        } catch (const std::domain_error& error) {
            QVERIFY2(QString(error.what()).startsWith("query 6 "), error.what());
        }
    }

    void cancellationStopsTheComputation() {
        const Eigen::MatrixXd tokens = Eigen::MatrixXd::Random(300, 4);
        SilentProgress progress;
        progress.cancel();
        QVERIFY_THROWS_EXCEPTION(OperationCanceled, attend(tokens, tokens, tokens, {}, progress));
    }

    void kernelNamesRoundTrip() {
        for (const std::string& name : attentionKernelNames()) {
            QCOMPARE(attentionKernelName(parseAttentionKernel(name).value()), name);
        }
        QCOMPARE(parseAttentionKernel("SoftMax"), std::optional(AttentionKernel::Softmax));
        QVERIFY(!parseAttentionKernel("dot"));
    }
};

QTEST_APPLESS_MAIN(TestAttentionWeights)
#include "test_attention_weights.moc"
