// Attention-based clustering: the layer's risk against numpy, its analytic gradient against finite
// differences, training that aligns the heads with the true centroids, and in-context quantization.

#include "attention_fixtures.hpp"
#include "fuzzy_compare.hpp"
#include "locallab/attention/attention_clustering.hpp"
#include "locallab/attention/in_context_quantization.hpp"
#include "locallab/attention/token_mixture.hpp"

#include <QTest>
#include <cmath>

using namespace locallab;

class TestAttentionClustering : public QObject {
    Q_OBJECT

private slots:
    void riskMatchesNumpy_data() {
        QTest::addColumn<QJsonObject>("fixture");
        for (const QJsonValue& entry : test::attentionFixtureCases("attention_clustering.json")) {
            const QJsonObject fixture = entry.toObject();
            QTest::newRow(qPrintable(QString("lambda %1").arg(fixture["sharpness"].toDouble()))) << fixture;
        }
    }

    void riskMatchesNumpy() {
        QFETCH(QJsonObject, fixture);
        const ClusteringAttentionLayer layer(test::attentionMatrix(fixture["heads"]),
                                             fixture["sharpness"].toDouble());
        const Eigen::MatrixXd tokens = test::attentionMatrix(fixture["tokens"]);
        LOCALLAB_COMPARE_MATRIX_NEAR(layer.reconstruct(tokens),
                                     test::attentionMatrix(fixture["reconstruction"]), 1e-12, 1e-12);
        LOCALLAB_COMPARE_NEAR(layer.risk(tokens), fixture["risk"].toDouble(), 1e-12, 0.0);
    }

    // Central differences have error O(ε²); with ε = 1e-5 that is far below the tolerance, while a wrong
    // sign or a missing term of the gradient is off by O(1).
    void analyticGradientMatchesFiniteDifferences_data() {
        QTest::addColumn<double>("sharpness");
        QTest::addColumn<int>("heads");
        QTest::newRow("two heads, lambda 1") << 1.0 << 2;
        QTest::newRow("two heads, lambda 0.3") << 0.3 << 2;
        QTest::newRow("three heads, lambda 2") << 2.0 << 3;
    }

    void analyticGradientMatchesFiniteDifferences() {
        QFETCH(double, sharpness);
        QFETCH(int, heads);
        TokenMixtureOptions mixtureOptions;
        mixtureOptions.dimension = 5;
        mixtureOptions.tokensPerSequence = 12;
        const TokenMixture mixture(mixtureOptions);
        RandomStream random(17);
        const Eigen::MatrixXd tokens = mixture.sample(random).tokens;
        Eigen::MatrixXd parameters(heads, 5);
        for (Eigen::Index index = 0; index < parameters.size(); ++index) {
            parameters.data()[index] = 0.5 * random.normal();
        }
        const Eigen::MatrixXd analytic = ClusteringAttentionLayer(parameters, sharpness).riskGradient(tokens);
        constexpr double step = 1e-5;
        Eigen::MatrixXd numeric(heads, 5);
        for (Eigen::Index index = 0; index < parameters.size(); ++index) {
            Eigen::MatrixXd forward = parameters;
            Eigen::MatrixXd backward = parameters;
            forward.data()[index] += step;
            backward.data()[index] -= step;
            numeric.data()[index] = (ClusteringAttentionLayer(forward, sharpness).risk(tokens) -
                                     ClusteringAttentionLayer(backward, sharpness).risk(tokens)) /
                                    (2.0 * step);
        }
        LOCALLAB_COMPARE_MATRIX_NEAR(analytic, numeric, 1e-6, 1e-8);
    }

    // Setting: d = 8, σ = 1, 32 tokens per sequence, λ = 0.5, SGD with step 0.5 on 8 fresh sequences per
    // step for 400 steps, seeds 1 (centroids) and 2 (initial μ and batches). With separation ≥ 3σ both
    // heads end with cosine ≥ 0.95 to their nearest centroid, and the two nearest centroids differ.
    void headsAlignWithDistinctCentroids_data() {
        QTest::addColumn<double>("separation");
        QTest::newRow("separation 3 sigma") << 3.0;
        QTest::newRow("separation 4 sigma") << 4.0;
        QTest::newRow("separation 6 sigma") << 6.0;
    }

    void headsAlignWithDistinctCentroids() {
        QFETCH(double, separation);
        ClusteringTrainingOptions options;
        options.mixture.separation = separation;
        const ClusteringTraining training = trainAttentionClustering(options);
        QCOMPARE(training.cosineCurve.rows(), Eigen::Index{options.steps + 1});
        QCOMPARE(training.headParameters.size(), std::size_t(options.steps + 1));
        const Eigen::MatrixXd cosines =
            cosineSimilarities(training.headParameters.back(), training.centroids);
        Eigen::Index firstCentroid = 0;
        Eigen::Index secondCentroid = 0;
        const double firstCosine = cosines.row(0).maxCoeff(&firstCentroid);
        const double secondCosine = cosines.row(1).maxCoeff(&secondCentroid);
        QVERIFY2(firstCosine >= 0.95 && secondCosine >= 0.95,
                 qPrintable(QString("cosines %1 and %2").arg(firstCosine).arg(secondCosine)));
        QVERIFY(firstCentroid != secondCentroid);
        // The start is random and small, far from aligned; the risk comes down.
        QVERIFY(training.cosineCurve.row(0).maxCoeff() < 0.9);
        QVERIFY(training.batchRisks.back() < training.batchRisks.front());
    }

    void trainingIsSeeded() {
        ClusteringTrainingOptions options;
        options.steps = 20;
        const ClusteringTraining first = trainAttentionClustering(options);
        QCOMPARE(trainAttentionClustering(options).headParameters.back(), first.headParameters.back());
        options.seed = 3;
        QVERIFY(trainAttentionClustering(options).headParameters.back() != first.headParameters.back());
    }

    void mixtureHasTheRequestedGeometry() {
        TokenMixtureOptions options;
        options.dimension = 6;
        options.separation = 5.0;
        const TokenMixture mixture(options);
        const Eigen::MatrixXd& centroids = mixture.centroids();
        LOCALLAB_COMPARE_NEAR((centroids.row(0) - centroids.row(1)).norm(), 5.0, 1e-14, 0.0);
        LOCALLAB_COMPARE_MATRIX_NEAR(centroids.colwise().sum(), Eigen::RowVectorXd::Zero(6), 0.0, 1e-14);
        // Noise σ = 0: every token is exactly its component's centroid.
        options.noise = 0.0;
        RandomStream random(1);
        const TokenSequence sequence = TokenMixture(options).sample(random);
        for (Eigen::Index token = 0; token < sequence.tokens.rows(); ++token) {
            QCOMPARE(Eigen::RowVectorXd(sequence.tokens.row(token)),
                     Eigen::RowVectorXd(centroids.row(sequence.components[token])));
        }
    }

    // T(X) replaces each token by a softmax-weighted mean of its sequence: on a well separated mixture
    // that is mostly its own cluster, so the mean squared distance to the nearest centroid shrinks.
    void inContextQuantizationContractsTowardsTheCentres() {
        TokenMixtureOptions options;
        options.separation = 6.0;
        options.tokensPerSequence = 400;
        const TokenMixture mixture(options);
        RandomStream random(5);
        const Eigen::MatrixXd tokens = mixture.sample(random).tokens;
        const Eigen::MatrixXd quantized = inContextQuantization(tokens, 0.3);
        const QuantizationMeasure measure = measureQuantization(tokens, quantized, mixture.centroids());
        QVERIFY2(measure.contraction < 0.5, qPrintable(QString::number(measure.contraction)));
        // λ → 0 averages the whole sequence: every token goes to the sequence mean.
        const Eigen::MatrixXd averaged = inContextQuantization(tokens, 1e-12);
        LOCALLAB_COMPARE_MATRIX_NEAR(averaged.row(17), tokens.colwise().mean(), 1e-9, 1e-9);
    }
};

QTEST_APPLESS_MAIN(TestAttentionClustering)
#include "test_attention_clustering.moc"
