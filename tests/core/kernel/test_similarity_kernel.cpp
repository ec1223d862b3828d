// Non-radial kernels against scipy.special.softmax, scikit-learn's cosine_similarity and
// kneighbors_graph (tests/fixtures/make_kernel_fixtures.py), and the identities that tie them together.

#include "fuzzy_compare.hpp"
#include "kernel_fixture.hpp"
#include "locallab/kernel/similarity_kernel.hpp"

#include <QTest>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>

using locallab::Bandwidth;
using locallab::CosineKernel;
using locallab::KernelProfile;
using locallab::NearestNeighborKernel;
using locallab::ProductKernel;
using locallab::RadialKernel;
using locallab::RadialSimilarityKernel;
using locallab::SoftmaxKernel;
using locallab::test::toMatrix;

namespace {

struct Fixture {
    QJsonObject reference = locallab::test::readKernelFixture("similarity_kernels.json");
    Eigen::MatrixXd queries = toMatrix(reference["queries"]);
    Eigen::MatrixXd keys = toMatrix(reference["keys"]);
};

// Softmax of each row written out plainly, for inputs small enough not to overflow.
Eigen::MatrixXd plainRowSoftmax(const Eigen::MatrixXd& scores) {
    const Eigen::MatrixXd exponentials = scores.array().exp();
    return exponentials.array().colwise() / exponentials.rowwise().sum().array();
}

} // namespace

class SimilarityKernelTest : public QObject {
    Q_OBJECT

private slots:
    void softmaxMatchesScipy() {
        const Fixture fixture;
        const SoftmaxKernel kernel(fixture.reference["temperature"].toDouble());
        LOCALLAB_COMPARE_MATRIX_NEAR(kernel.normalizedWeightMatrix(fixture.queries, fixture.keys),
                                     toMatrix(fixture.reference["softmax_normalized"]), 1e-12, 1e-15);
        LOCALLAB_COMPARE_MATRIX_NEAR(kernel.logWeightMatrix(fixture.queries, fixture.keys),
                                     fixture.queries * fixture.keys.transpose() / kernel.temperature(), 1e-15,
                                     0.0);
    }

    void softmaxSurvivesHugeScores() {
        // Scores of order 10⁵ overflow exp(); the log-sum-exp keeps the rows finite and, with gaps this
        // large, each row is the indicator of its best key.
        const Fixture fixture;
        const SoftmaxKernel kernel(1e-4);
        const Eigen::MatrixXd weights = kernel.normalizedWeightMatrix(fixture.queries, fixture.keys);
        QVERIFY(weights.allFinite());
        const Eigen::MatrixXd scores = fixture.queries * fixture.keys.transpose();
        for (Eigen::Index row = 0; row < weights.rows(); ++row) {
            Eigen::Index best = 0;
            scores.row(row).maxCoeff(&best);
            LOCALLAB_COMPARE_NEAR(weights(row, best), 1.0, 1e-12, 0.0);
            LOCALLAB_COMPARE_NEAR(weights.row(row).sum(), 1.0, 1e-15, 0.0);
        }
    }

    void softmaxOfEqualNormVectorsIsAGaussian() {
        // exp(⟨q,k⟩/τ) = exp(−||q − k||²/(2τ))·exp((||q||² + ||k||²)/(2τ)): with every norm equal the second
        // factor cancels in normalised weights, leaving a Gaussian kernel with h² = τ.
        const Fixture fixture;
        const Eigen::MatrixXd queries = fixture.queries.rowwise().normalized();
        const Eigen::MatrixXd keys = fixture.keys.rowwise().normalized();
        const double temperature = 0.3;
        const RadialSimilarityKernel gaussian(RadialKernel(KernelProfile::Gaussian),
                                              Bandwidth::scalar(std::sqrt(temperature)));
        LOCALLAB_COMPARE_MATRIX_NEAR(SoftmaxKernel(temperature).normalizedWeightMatrix(queries, keys),
                                     gaussian.normalizedWeightMatrix(queries, keys), 1e-12, 1e-15);
    }

    void cosineMatchesScikitLearn() {
        const Fixture fixture;
        const Eigen::MatrixXd expected = toMatrix(fixture.reference["cosine_similarity"]);
        LOCALLAB_COMPARE_MATRIX_NEAR(CosineKernel::similarityMatrix(fixture.queries, fixture.keys), expected,
                                     1e-12, 1e-15);
        LOCALLAB_COMPARE_MATRIX_NEAR(CosineKernel::rectified().weightMatrix(fixture.queries, fixture.keys),
                                     expected.cwiseMax(0.0), 1e-12, 1e-15);
        const auto exponential = CosineKernel::exponential(0.25);
        LOCALLAB_COMPARE_MATRIX_NEAR(exponential.normalizedWeightMatrix(fixture.queries, fixture.keys),
                                     plainRowSoftmax(expected / 0.25), 1e-12, 1e-15);
        // cosine similarity ignores the length of the vectors
        LOCALLAB_COMPARE_MATRIX_NEAR(
            CosineKernel::similarityMatrix(3.0 * fixture.queries, 0.5 * fixture.keys), expected, 1e-12,
            1e-15);
    }

    void cosineRejectsZeroVectors() {
        Eigen::MatrixXd queries = Eigen::MatrixXd::Ones(3, 2);
        queries.row(1).setZero();
        try {
            CosineKernel::rectified().weightMatrix(queries, Eigen::MatrixXd::Ones(2, 2));
            QFAIL("a zero query should be rejected");
        } catch (const std::invalid_argument& error) {
            QVERIFY2(QString::fromUtf8(error.what()).contains("query 2"), error.what());
        }
    }

    void nearestNeighborKernelMatchesScikitLearn() {
        const Fixture fixture;
        const NearestNeighborKernel kernel(fixture.reference["neighbor_count"].toInt());
        LOCALLAB_COMPARE_MATRIX_NEAR(kernel.weightMatrix(fixture.queries, fixture.keys),
                                     toMatrix(fixture.reference["nearest_neighbor_weights"]), 0.0, 0.0);
        // more neighbours than keys: every key counts, so normalised weights are the plain mean
        const NearestNeighborKernel everyone(100);
        LOCALLAB_COMPARE_MATRIX_NEAR(
            everyone.normalizedWeightMatrix(fixture.queries, fixture.keys),
            Eigen::MatrixXd::Constant(fixture.queries.rows(), fixture.keys.rows(),
                                      1.0 / static_cast<double>(fixture.keys.rows())),
            1e-15, 0.0);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, NearestNeighborKernel(0));
    }

    void radialKernelWeightsAreTheProfile() {
        const Fixture fixture;
        const double h = 1.7;
        const RadialSimilarityKernel kernel(RadialKernel(KernelProfile::Gaussian), Bandwidth::scalar(h));
        const Eigen::MatrixXd weights = kernel.weightMatrix(fixture.queries, fixture.keys);
        for (Eigen::Index i = 0; i < fixture.queries.rows(); ++i) {
            for (Eigen::Index j = 0; j < fixture.keys.rows(); ++j) {
                const double squared = (fixture.queries.row(i) - fixture.keys.row(j)).squaredNorm();
                LOCALLAB_COMPARE_NEAR(weights(i, j), std::exp(-squared / (2.0 * h * h)), 1e-13, 0.0);
            }
        }
        const Eigen::VectorXd one = kernel.weights(fixture.queries.row(2).transpose(), fixture.keys);
        LOCALLAB_COMPARE_MATRIX_NEAR(one, weights.row(2).transpose(), 1e-15, 0.0);
    }

    void productOfGaussiansIsAGaussianWithDiagonalBandwidth() {
        // Features in the first three columns, a position (token index) in the last one.
        const Fixture fixture;
        const double featureWidth = 1.3;
        const double positionWidth = 0.8;
        const auto features = std::make_shared<RadialSimilarityKernel>(RadialKernel(KernelProfile::Gaussian),
                                                                       Bandwidth::scalar(featureWidth));
        const auto positions = std::make_shared<RadialSimilarityKernel>(RadialKernel(KernelProfile::Gaussian),
                                                                        Bandwidth::scalar(positionWidth));
        const ProductKernel product(features, positions, 3);
        const RadialSimilarityKernel joint(
            RadialKernel(KernelProfile::Gaussian),
            Bandwidth::diagonal(Eigen::Vector4d(featureWidth, featureWidth, featureWidth, positionWidth)));
        LOCALLAB_COMPARE_MATRIX_NEAR(product.logWeightMatrix(fixture.queries, fixture.keys),
                                     joint.logWeightMatrix(fixture.queries, fixture.keys), 1e-12, 1e-14);
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument,
            ProductKernel(features, positions, 4).logWeightMatrix(fixture.queries, fixture.keys));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ProductKernel(nullptr, positions, 1));
    }

    void productWithACompactKernelZeroesFarPositions() {
        // Tokens at positions 0..5 with identical features: a uniform window of radius 1.5 in position
        // keeps the tokens at most one step away.
        Eigen::MatrixXd tokens(6, 2);
        for (Eigen::Index i = 0; i < 6; ++i) {
            tokens.row(i) << 1.0, static_cast<double>(i);
        }
        const auto features = std::make_shared<SoftmaxKernel>(1.0);
        const auto window = std::make_shared<RadialSimilarityKernel>(RadialKernel(KernelProfile::Uniform),
                                                                     Bandwidth::scalar(1.5));
        const Eigen::MatrixXd weights =
            ProductKernel(features, window, 1).normalizedWeightMatrix(tokens, tokens);
        Eigen::MatrixXd expected = Eigen::MatrixXd::Zero(6, 6);
        for (Eigen::Index i = 0; i < 6; ++i) {
            const Eigen::Index first = std::max<Eigen::Index>(0, i - 1);
            const Eigen::Index last = std::min<Eigen::Index>(5, i + 1);
            expected.row(i)
                .segment(first, last - first + 1)
                .setConstant(1.0 / static_cast<double>(last - first + 1));
        }
        LOCALLAB_COMPARE_MATRIX_NEAR(weights, expected, 1e-15, 0.0);
    }

    void weightsBeyondUnderflowAreExactlyZero() {
        // log weights of −∞ (outside a compact support) and of −1000 (far below the smallest double) are
        // weights of exactly 0, never a denormal leftover.
        Eigen::MatrixXd queries(1, 1);
        queries << 0.0;
        Eigen::MatrixXd keys(3, 1);
        keys << 0.5, 2.0, 44.8;
        const RadialSimilarityKernel compact(RadialKernel(KernelProfile::Epanechnikov),
                                             Bandwidth::scalar(1.0));
        const Eigen::MatrixXd compactWeights = compact.weightMatrix(queries, keys);
        QCOMPARE(compactWeights(0, 1), 0.0);
        QCOMPARE(compactWeights(0, 2), 0.0);
        const RadialSimilarityKernel gaussian(RadialKernel(KernelProfile::Gaussian), Bandwidth::scalar(1.0));
        QCOMPARE(gaussian.weightMatrix(queries, keys)(0, 2), 0.0);
        QCOMPARE(gaussian.normalizedWeightMatrix(queries, keys)(0, 2), 0.0);
        LOCALLAB_COMPARE_NEAR(gaussian.logWeightMatrix(queries, keys)(0, 2), -0.5 * 44.8 * 44.8, 1e-15, 0.0);
    }

    void rowsWithoutAnyWeightAreReported() {
        Eigen::MatrixXd queries(2, 1);
        queries << 0.0, 10.0;
        Eigen::MatrixXd keys(2, 1);
        keys << 0.2, -0.3;
        const RadialSimilarityKernel kernel(RadialKernel(KernelProfile::Epanechnikov),
                                            Bandwidth::scalar(1.0));
        try {
            kernel.normalizedWeightMatrix(queries, keys);
            QFAIL("a query with no key in the support should be reported");
        } catch (const std::domain_error& error) {
            QVERIFY2(QString::fromUtf8(error.what()).contains("query 2 has no key"), error.what());
        }
    }

    void logSumExpIsExactForAnySpread() {
        LOCALLAB_COMPARE_NEAR(locallab::logSumExp(Eigen::Vector2d(1000.0, 1000.0)), 1000.0 + std::log(2.0),
                              1e-15, 0.0);
        LOCALLAB_COMPARE_NEAR(locallab::logSumExp(Eigen::Vector3d(-1000.0, -1001.0, -1e300)),
                              -1000.0 + std::log1p(std::exp(-1.0)), 1e-15, 0.0);
        const double negativeInfinity = -std::numeric_limits<double>::infinity();
        QCOMPARE(locallab::logSumExp(Eigen::VectorXd()), negativeInfinity);
        QCOMPARE(locallab::logSumExp(Eigen::Vector2d(negativeInfinity, negativeInfinity)), negativeInfinity);
    }

    void mismatchedColumnsAndTemperaturesAreRejected() {
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument,
            SoftmaxKernel(1.0).logWeightMatrix(Eigen::MatrixXd::Ones(2, 3), Eigen::MatrixXd::Ones(2, 2)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, SoftmaxKernel(0.0));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, CosineKernel::exponential(-1.0));
    }
};

QTEST_APPLESS_MAIN(SimilarityKernelTest)
#include "test_similarity_kernel.moc"
