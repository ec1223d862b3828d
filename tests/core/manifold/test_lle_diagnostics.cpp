// The plain-language diagnostics of locally linear embedding, each triggered by an input crafted to
// cause it, and the barycentre weights against closed forms.

#include "fuzzy_compare.hpp"
#include "locallab/manifold/barycenter_weights.hpp"
#include "locallab/manifold/lle_parameters.hpp"
#include "locallab/manifold/locally_linear_embedding.hpp"

#include <QTest>
#include <cmath>
#include <numbers>

using namespace locallab;
using Kind = LleDiagnostic::Kind;
using Severity = LleDiagnostic::Severity;

Q_DECLARE_METATYPE(locallab::LleMethod)

namespace {

// A rolled-up sheet from a closed-form pattern (no random numbers, so the same on every platform).
Eigen::MatrixXd swissRoll(Eigen::Index count) {
    Eigen::MatrixXd points(count, 3);
    for (Eigen::Index i = 0; i < count; ++i) {
        const double along = std::fmod(static_cast<double>(i) * 0.6180339887498949, 1.0);
        const double across = std::fmod(static_cast<double>(i) * 0.7548776662466927, 1.0);
        const double angle = 1.5 * std::numbers::pi * (1.0 + 2.0 * along);
        points.row(i) << angle * std::cos(angle), 20.0 * across, angle * std::sin(angle);
    }
    return points;
}

const LleDiagnostic* findDiagnostic(const LocallyLinearEmbeddingResult& result, Kind kind) {
    for (const LleDiagnostic& diagnostic : result.diagnostics) {
        if (diagnostic.kind == kind) {
            return &diagnostic;
        }
    }
    return nullptr;
}

LocallyLinearEmbeddingResult embed(const Eigen::MatrixXd& points,
                                   const LocallyLinearEmbeddingOptions& options) {
    SilentProgress progress;
    return locallyLinearEmbedding(points, options, progress);
}

} // namespace

class TestLleDiagnostics : public QObject {
    Q_OBJECT

private slots:
    void cleanDataHasNoDiagnostics() {
        LocallyLinearEmbeddingOptions options;
        options.neighbors = 10;
        const LocallyLinearEmbeddingResult result = embed(swissRoll(200), options);
        QVERIFY2(result.diagnostics.empty(), result.describeProblems().c_str());
        QCOMPARE(result.connectedComponents, Eigen::Index{1});
        QCOMPARE(result.embedding.rows(), Eigen::Index{200});
    }

    void farApartClustersAreDisconnected() {
        const Eigen::MatrixXd sheet = swissRoll(60);
        Eigen::MatrixXd points(120, 3);
        points.topRows(60) = sheet;
        points.bottomRows(60) = sheet.rowwise() + Eigen::RowVector3d(1000.0, 0.0, 0.0);
        LocallyLinearEmbeddingOptions options;
        options.neighbors = 5;
        const LocallyLinearEmbeddingResult result = embed(points, options);
        QVERIFY(!result.succeeded());
        QCOMPARE(result.embedding.rows(), Eigen::Index{0});
        QCOMPARE(result.connectedComponents, Eigen::Index{2});
        const LleDiagnostic* diagnostic = findDiagnostic(result, Kind::DisconnectedGraph);
        QVERIFY(diagnostic != nullptr);
        QVERIFY2(diagnostic->message.find("2 separate pieces") != std::string::npos,
                 diagnostic->message.c_str());
        const Eigen::VectorXi pieces = connectedComponentLabels(result.neighborhoods);
        QVERIFY((pieces.head(60).array() == 0).all());
        QVERIFY((pieces.tail(60).array() == 1).all());
    }

    void componentLabelsNameEachPiece() {
        // Edges 0 → 2, 2 → 0 and 4 → 3 (one way only); point 1 has no edge of its own but is reached
        // from nowhere, so it is a piece alone.
        const NeighborhoodList neighborhoods({0, 1, 1, 2, 2, 3}, {2, 0, 3});
        const Eigen::VectorXi labels = connectedComponentLabels(neighborhoods);
        QCOMPARE(labels, (Eigen::VectorXi(5) << 0, 1, 0, 2, 2).finished());
        QCOMPARE(countConnectedComponents(neighborhoods), Eigen::Index{3});
    }

    void radiusTooSmallLeavesPointsAlone() {
        LocallyLinearEmbeddingOptions options;
        options.radius = 1e-6;
        const LocallyLinearEmbeddingResult result = embed(swissRoll(100), options);
        QVERIFY(findDiagnostic(result, Kind::TooFewNeighbors) != nullptr);
        QCOMPARE(result.embedding.rows(), Eigen::Index{0});
    }

    void radiusNeighborhoodsEmbed() {
        const Eigen::MatrixXd points = swissRoll(300);
        LocallyLinearEmbeddingOptions options;
        options.radius = 6.0;
        const LocallyLinearEmbeddingResult result = embed(points, options);
        QVERIFY2(result.succeeded(), result.describeProblems().c_str());
        for (Eigen::Index point = 0; point < points.rows(); ++point) {
            for (const Eigen::Index neighbor : result.neighborhoods.neighborsOf(point)) {
                QVERIFY(neighbor != point);
                QVERIFY((points.row(neighbor) - points.row(point)).norm() <= 6.0);
            }
        }
    }

    // scikit-learn: Hessian needs k > d(d+3)/2, modified needs k ≥ d; every method needs k < n.
    void neighborCountLimits_data() {
        QTest::addColumn<LleMethod>("method");
        QTest::addColumn<int>("neighbors");
        QTest::addColumn<int>("components");
        QTest::addColumn<bool>("tooFew");
        QTest::addColumn<bool>("tooMany");
        QTest::newRow("hessian d=2 k=5") << LleMethod::Hessian << 5 << 2 << true << false;
        QTest::newRow("hessian d=2 k=6") << LleMethod::Hessian << 6 << 2 << false << false;
        QTest::newRow("hessian d=3 k=9") << LleMethod::Hessian << 9 << 3 << true << false;
        QTest::newRow("hessian d=3 k=10") << LleMethod::Hessian << 10 << 3 << false << false;
        QTest::newRow("modified d=3 k=2") << LleMethod::Modified << 2 << 3 << true << false;
        QTest::newRow("modified d=3 k=3") << LleMethod::Modified << 3 << 3 << false << false;
        QTest::newRow("standard k=n") << LleMethod::Standard << 80 << 2 << false << true;
        QTest::newRow("standard k=n-1") << LleMethod::Standard << 79 << 2 << false << false;
    }

    void neighborCountLimits() {
        QFETCH(LleMethod, method);
        QFETCH(int, neighbors);
        QFETCH(int, components);
        QFETCH(bool, tooFew);
        QFETCH(bool, tooMany);
        LocallyLinearEmbeddingOptions options;
        options.method = method;
        options.neighbors = neighbors;
        options.components = components;
        const LocallyLinearEmbeddingResult result = embed(swissRoll(80), options);
        QCOMPARE(findDiagnostic(result, Kind::TooFewNeighbors) != nullptr, tooFew);
        QCOMPARE(findDiagnostic(result, Kind::TooManyNeighbors) != nullptr, tooMany);
        if (tooFew || tooMany) {
            QCOMPARE(result.embedding.rows(), Eigen::Index{0});
        }
    }

    void duplicatesAreCountedAndEmbedded() {
        const Eigen::MatrixXd sheet = swissRoll(200);
        Eigen::MatrixXd points(207, 3);
        points.topRows(200) = sheet;
        for (Eigen::Index copy = 0; copy < 7; ++copy) {
            points.row(200 + copy) = sheet.row(copy * 25 + 3);
        }
        LocallyLinearEmbeddingOptions options;
        options.neighbors = 10;
        const LocallyLinearEmbeddingResult result = embed(points, options);
        QCOMPARE(result.duplicatePoints, Eigen::Index{7});
        const LleDiagnostic* diagnostic = findDiagnostic(result, Kind::DuplicatePoints);
        QVERIFY(diagnostic != nullptr);
        QCOMPARE(diagnostic->severity, Severity::Warning);
        QVERIFY2(diagnostic->message.find("7 points") != std::string::npos, diagnostic->message.c_str());
        QVERIFY2(result.succeeded(), result.describeProblems().c_str());
        QVERIFY(result.embedding.allFinite());
    }

    // With reg = 0 and more neighbours (10) than dimensions (3), every local Gram matrix has rank 3.
    void unregularisedGramIsSingular() {
        LocallyLinearEmbeddingOptions options;
        options.neighbors = 10;
        options.reg = 0.0;
        const LocallyLinearEmbeddingResult result = embed(swissRoll(100), options);
        QVERIFY(!result.succeeded());
        const LleDiagnostic* diagnostic = findDiagnostic(result, Kind::SingularLocalGram);
        QVERIFY(diagnostic != nullptr);
        QVERIFY2(diagnostic->message.find("point 0 (row 1) and 99 other points") != std::string::npos,
                 diagnostic->message.c_str());
        QCOMPARE(result.embedding.rows(), Eigen::Index{0});
    }

    void invalidOptionsAreReported_data() {
        QTest::addColumn<int>("components");
        QTest::addColumn<double>("reg");
        QTest::newRow("no components") << 0 << 1e-3;
        QTest::newRow("more components than dimensions") << 4 << 1e-3;
        QTest::newRow("negative reg") << 2 << -1.0;
    }

    void invalidOptionsAreReported() {
        QFETCH(int, components);
        QFETCH(double, reg);
        LocallyLinearEmbeddingOptions options;
        options.components = components;
        options.reg = reg;
        const LocallyLinearEmbeddingResult result = embed(swissRoll(50), options);
        QVERIFY(findDiagnostic(result, Kind::InvalidParameter) != nullptr);
        QCOMPARE(result.embedding.rows(), Eigen::Index{0});
    }

    // Point at the origin, neighbours (2, 0) and (0, 1): G = diag(4, 1), w ∝ (1/4, 1) = (0.2, 0.8),
    // whatever reg·trace adds to the diagonal when reg = 0.
    void barycenterWeightsClosedForm() {
        Eigen::MatrixXd points(3, 2);
        points << 0, 0, 2, 0, 0, 1;
        const std::vector<Eigen::Index> neighbors{1, 2};
        const auto weights = barycenterWeights(points, 0, neighbors, 0.0);
        QVERIFY(weights.has_value());
        LOCALLAB_COMPARE_NEAR((*weights)(0), 0.2, 1e-14, 0.0);
        LOCALLAB_COMPARE_NEAR((*weights)(1), 0.8, 1e-14, 0.0);
        // reg = 0.5: G = diag(4, 1) + 0.5·5·I = diag(6.5, 3.5), w ∝ (1/6.5, 1/3.5).
        const auto regularised = barycenterWeights(points, 0, neighbors, 0.5);
        QVERIFY(regularised.has_value());
        LOCALLAB_COMPARE_NEAR((*regularised)(0), 3.5 / 10.0, 1e-14, 0.0);
        LOCALLAB_COMPARE_NEAR(reconstructionError(points, 0, neighbors, *weights), 0.4 * 0.4 + 0.8 * 0.8,
                              1e-14, 0.0);
    }

    // Neighbours all on the point: trace 0, so scikit-learn adds reg itself (not reg·trace).
    void barycenterWeightsOfCoincidentNeighbors() {
        const Eigen::MatrixXd points = Eigen::MatrixXd::Ones(4, 2);
        const std::vector<Eigen::Index> neighbors{1, 2, 3};
        const auto weights = barycenterWeights(points, 0, neighbors, 1e-3);
        QVERIFY(weights.has_value());
        LOCALLAB_COMPARE_MATRIX_NEAR(*weights, Eigen::VectorXd::Constant(3, 1.0 / 3.0), 1e-14, 0.0);
        QVERIFY(!barycenterWeights(points, 0, neighbors, 0.0).has_value());
    }

    void parametersDescribeTheOptions() {
        const std::vector<ParameterDescription> parameters = lleParameters();
        ParameterValues values(parameters);
        const LocallyLinearEmbeddingOptions defaults = lleOptionsFromParameters(values);
        QCOMPARE(defaults.neighbors, Eigen::Index{5});
        QCOMPARE(defaults.components, Eigen::Index{2});
        QCOMPARE(defaults.reg, 1e-3);
        QCOMPARE(defaults.method, LleMethod::Standard);
        QVERIFY(findParameter(parameters, "reg")->logScale);
        values.set("method", std::string("ltsa"));
        values.set("neighbors", 9LL);
        const LocallyLinearEmbeddingOptions changed = lleOptionsFromParameters(values);
        QCOMPARE(changed.method, LleMethod::Ltsa);
        QCOMPARE(changed.neighbors, Eigen::Index{9});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, lleMethodFromName("isomap"));
    }
};

QTEST_APPLESS_MAIN(TestLleDiagnostics)
#include "test_lle_diagnostics.moc"
