// Multi-head attention and layer stacks: heads split against numpy, the identity cases that have closed
// forms, and the residual mixing rule.

#include "attention_fixtures.hpp"
#include "fuzzy_compare.hpp"
#include "locallab/attention/attention_parameters.hpp"
#include "locallab/attention/layer_stack.hpp"
#include "locallab/attention/multi_head_attention.hpp"
#include "locallab/data/random_stream.hpp"

#include <QTest>
#include <cmath>

using namespace locallab;

namespace {

Eigen::MatrixXd normalTokens(Eigen::Index count, Eigen::Index dimension, std::uint64_t seed) {
    RandomStream random(seed);
    Eigen::MatrixXd tokens(count, dimension);
    for (Eigen::Index index = 0; index < tokens.size(); ++index) {
        tokens.data()[index] = random.normal();
    }
    return tokens;
}

} // namespace

class TestMultiHeadAttention : public QObject {
    Q_OBJECT

private slots:
    void splitHeadsMatchNumpy_data() {
        QTest::addColumn<QJsonObject>("fixture");
        for (const QJsonValue& entry : test::attentionFixtureCases("multi_head_attention.json")) {
            const QJsonObject fixture = entry.toObject();
            QTest::newRow(fixture["causal"].toBool() ? "causal" : "full") << fixture;
        }
    }

    void splitHeadsMatchNumpy() {
        QFETCH(QJsonObject, fixture);
        const Eigen::MatrixXd query = test::attentionMatrix(fixture["query_projection"]);
        const Eigen::MatrixXd key = test::attentionMatrix(fixture["key_projection"]);
        const Eigen::MatrixXd value = test::attentionMatrix(fixture["value_projection"]);
        std::vector<HeadProjections> heads;
        for (Eigen::Index head = 0; head < 2; ++head) {
            heads.push_back(
                {query.middleCols(2 * head, 2), key.middleCols(2 * head, 2), value.middleCols(2 * head, 2)});
        }
        AttentionWeightOptions weights;
        weights.causal = fixture["causal"].toBool();
        const MultiHeadAttention attention(std::move(heads), weights, HeadLayout::SplitDimensions);
        const MultiHeadResult result = attention.apply(test::attentionMatrix(fixture["tokens"]));
        LOCALLAB_COMPARE_MATRIX_NEAR(result.output, test::attentionMatrix(fixture["output"]), 1e-12, 1e-12);
    }

    // With identity projections, head h of a split sees only its own coordinates, so it must equal plain
    // attention on those columns.
    void identitySplitAttendsWithinEachHeadsColumns() {
        const Eigen::MatrixXd tokens = normalTokens(20, 5, 3);
        MultiHeadOptions options;
        options.headCount = 2; // 5 columns: the first head gets 3, the second 2
        const MultiHeadResult result = MultiHeadAttention(5, options).apply(tokens);
        QCOMPARE(result.heads.size(), std::size_t{2});
        const AttentionResult first = attend(tokens.leftCols(3), tokens.leftCols(3), tokens.leftCols(3), {});
        const AttentionResult second =
            attend(tokens.rightCols(2), tokens.rightCols(2), tokens.rightCols(2), {});
        LOCALLAB_COMPARE_MATRIX_NEAR(result.output.leftCols(3), first.output, 1e-14, 1e-14);
        LOCALLAB_COMPARE_MATRIX_NEAR(result.output.rightCols(2), second.output, 1e-14, 1e-14);
        LOCALLAB_COMPARE_MATRIX_NEAR(result.meanWeights(), 0.5 * (first.weights + second.weights), 1e-14,
                                     1e-14);
    }

    void independentHeadsAverageTheirOutputs() {
        const Eigen::MatrixXd tokens = normalTokens(12, 4, 8);
        MultiHeadOptions options;
        options.headCount = 3;
        options.layout = HeadLayout::IndependentProjections;
        options.projection = ProjectionKind::Random;
        options.keyDimension = 2;
        const MultiHeadAttention attention(4, options);
        const MultiHeadResult result = attention.apply(tokens);
        Eigen::MatrixXd mean = Eigen::MatrixXd::Zero(12, 4);
        for (const HeadProjections& head : attention.heads()) {
            QCOMPARE(head.query.cols(), Eigen::Index{2});
            mean += attend(tokens * head.query, tokens * head.key, tokens * head.value, {}).output / 3.0;
        }
        LOCALLAB_COMPARE_MATRIX_NEAR(result.output, mean, 1e-13, 1e-13);
        // Seeded: the same seed gives the same heads, another seed others.
        QCOMPARE(MultiHeadAttention(4, options).heads()[1].key, attention.heads()[1].key);
        options.seed = 99;
        QVERIFY(MultiHeadAttention(4, options).heads()[1].key != attention.heads()[1].key);
    }

    void tooManyHeadsAreRejected() {
        MultiHeadOptions options;
        options.headCount = 4;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, MultiHeadAttention(3, options));
        options.headCount = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, MultiHeadAttention(3, options));
    }

    // α = 0 leaves the tokens where they are; α = 1 is one pure attention step per layer; in between
    // each layer is the convex mix of the two.
    void residualMixingFollowsItsDefinition_data() {
        QTest::addColumn<double>("mixing");
        QTest::newRow("alpha 0") << 0.0;
        QTest::newRow("alpha 0.3") << 0.3;
        QTest::newRow("alpha 1") << 1.0;
    }

    void residualMixingFollowsItsDefinition() {
        QFETCH(double, mixing);
        const Eigen::MatrixXd tokens = normalTokens(16, 3, 21);
        LayerStackOptions options;
        options.layerCount = 3;
        options.residualMixing = mixing;
        const LayerStackResult result = runLayerStack(tokens, options);
        QCOMPARE(result.tokens.size(), std::size_t{4});
        QCOMPARE(result.attentionWeights.size(), std::size_t{3});
        for (std::size_t layer = 0; layer < 3; ++layer) {
            const Eigen::MatrixXd& input = result.tokens[layer];
            const Eigen::MatrixXd expected =
                mixing * attend(input, input, input, {}).output + (1.0 - mixing) * input;
            LOCALLAB_COMPARE_MATRIX_NEAR(result.tokens[layer + 1], expected, 1e-13, 1e-13);
        }
        LOCALLAB_COMPARE_MATRIX_NEAR(result.tokens.front(), tokens, 0.0, 0.0);
    }

    // Pure attention layers are local means: the cloud contracts (blurring MeanShift), so its spread
    // shrinks layer after layer.
    void pureAttentionLayersContractTheCloud() {
        const Eigen::MatrixXd tokens = normalTokens(30, 2, 4);
        LayerStackOptions options;
        options.layerCount = 4;
        const LayerStackResult result = runLayerStack(tokens, options);
        const auto spread = [](const Eigen::MatrixXd& points) {
            return (points.rowwise() - points.colwise().mean()).squaredNorm();
        };
        for (std::size_t layer = 0; layer + 1 < result.tokens.size(); ++layer) {
            QVERIFY(spread(result.tokens[layer + 1]) < spread(result.tokens[layer]));
        }
    }

    void tokenMlpAddsItsResidualUpdate_data() {
        QTest::addColumn<int>("activation");
        QTest::newRow("tanh") << static_cast<int>(Activation::Tanh);
        QTest::newRow("relu") << static_cast<int>(Activation::Relu);
    }

    void tokenMlpAddsItsResidualUpdate() {
        QFETCH(int, activation);
        const Eigen::MatrixXd tokens = normalTokens(10, 3, 6);
        LayerStackOptions options;
        options.layerCount = 1;
        options.residualMixing = 0.0; // isolates the MLP: y = x
        options.mlp.enabled = true;
        options.mlp.activation = static_cast<Activation>(activation);
        options.mlp.hiddenWidth = 5;
        const Eigen::MatrixXd update = runLayerStack(tokens, options).tokens[1] - tokens;
        QVERIFY(update.norm() > 1e-3);
        // Token-wise: the update of a token depends on that token alone.
        Eigen::MatrixXd changed = tokens;
        changed.row(7).array() += 1.0;
        const Eigen::MatrixXd changedUpdate = runLayerStack(changed, options).tokens[1] - changed;
        LOCALLAB_COMPARE_MATRIX_NEAR(changedUpdate.topRows(7), update.topRows(7), 0.0, 0.0);
        QVERIFY((changedUpdate.row(7) - update.row(7)).norm() > 1e-6);
        if (options.mlp.activation == Activation::Relu) {
            // ReLU(0·W_1) = 0: a zero token gets no update.
            const Eigen::MatrixXd zero = Eigen::MatrixXd::Zero(2, 3);
            QCOMPARE(runLayerStack(zero, options).tokens[1], zero);
        }
    }

    void badStacksAreRejected() {
        LayerStackOptions options;
        options.residualMixing = 1.5;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, runLayerStack(Eigen::MatrixXd::Ones(3, 2), options));
        options.residualMixing = 1.0;
        options.layerCount = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, runLayerStack(Eigen::MatrixXd::Ones(3, 2), options));
    }

    void parametersDescribeTheStack() {
        ParameterValues values(attentionParameters());
        for (const char* name :
             {"kernel", "temperature", "neighbors", "heads", "causal", "layers", "residual"}) {
            QVERIFY2(findParameter(attentionParameters(), name) != nullptr, name);
        }
        QVERIFY(findParameter(attentionParameters(), "temperature")->logScale);
        values.set("kernel", std::string("gaussian"));
        values.set("layers", 3LL);
        values.set("residual", 0.25);
        const LayerStackOptions options = layerStackOptionsFrom(values);
        QCOMPARE(options.attention.weights.kernel, AttentionKernel::Gaussian);
        QCOMPARE(options.layerCount, 3);
        QCOMPARE(options.residualMixing, 0.25);
        QVERIFY(!options.attention.weights.positionalLength.has_value());
        values.set("positional", true);
        values.set("positional-length", 2.5);
        QCOMPARE(layerStackOptionsFrom(values).attention.weights.positionalLength,
                 std::optional<double>(2.5));
    }
};

QTEST_APPLESS_MAIN(TestMultiHeadAttention)
#include "test_multi_head_attention.moc"
