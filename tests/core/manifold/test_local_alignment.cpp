// The assembly of LLE's alignment matrix M against dense sums written out here: the lower triangle of
// Σ blocks for general blocks, and of (I − W)ᵀ(I − W) for standard LLE's weights; the storage the sparse
// factorisation relies on (compressed, rows ascending, nothing above the diagonal); and the eigensolvers
// reading that triangle as they would the whole matrix.

#include "fuzzy_compare.hpp"
#include "locallab/data/generator_registry.hpp"
#include "locallab/manifold/barycenter_weights.hpp"
#include "locallab/manifold/bottom_eigenvectors.hpp"
#include "locallab/manifold/local_alignment.hpp"

#include <QTest>
#include <random>

using namespace locallab;

namespace {

Eigen::MatrixXd swissRoll(long long samples) {
    ParameterValues values;
    values.set("samples", samples);
    values.set("noise", 0.0);
    values.set("seed", 5LL);
    return generate("swiss_roll", values).points;
}

// Every point's barycentre weights, aligned with neighborhoods.members().
std::vector<double> barycenterWeightsOf(const Eigen::MatrixXd& points,
                                        const NeighborhoodList& neighborhoods) {
    std::vector<double> weights;
    for (Eigen::Index point = 0; point < points.rows(); ++point) {
        const Eigen::VectorXd own = *barycenterWeights(points, point, neighborhoods.neighborsOf(point), 1e-3);
        weights.insert(weights.end(), own.begin(), own.end());
    }
    return weights;
}

// Compressed, rows ascending within each column, nothing above the diagonal.
bool isSortedLowerTriangle(const Eigen::SparseMatrix<double>& matrix) {
    if (!matrix.isCompressed()) {
        return false;
    }
    for (Eigen::Index column = 0; column < matrix.outerSize(); ++column) {
        Eigen::Index previous = column - 1;
        for (Eigen::SparseMatrix<double>::InnerIterator entry(matrix, column); entry; ++entry) {
            if (entry.row() <= previous) {
                return false;
            }
            previous = entry.row();
        }
    }
    return true;
}

} // namespace

class TestLocalAlignment : public QObject {
    Q_OBJECT

private slots:
    void sumsGeneralBlocksIntoTheLowerTriangle() {
        constexpr Eigen::Index pointCount = 40;
        std::mt19937 random(11);
        std::uniform_int_distribution<Eigen::Index> anyPoint(0, pointCount - 1);
        std::vector<LocalBlock> blocks;
        Eigen::MatrixXd expected = Eigen::MatrixXd::Zero(pointCount, pointCount);
        for (int b = 0; b < 60; ++b) {
            LocalBlock block;
            const Eigen::Index size = 2 + b % 5; // sizes vary, as with radius neighbourhoods
            for (Eigen::Index i = 0; i < size; ++i) {
                block.indices.push_back(anyPoint(random));
            }
            const Eigen::MatrixXd half = Eigen::MatrixXd::Random(size, size);
            block.matrix = half + half.transpose();
            for (Eigen::Index column = 0; column < size; ++column) {
                for (Eigen::Index row = 0; row < size; ++row) {
                    expected(block.indices[static_cast<std::size_t>(row)],
                             block.indices[static_cast<std::size_t>(column)]) += block.matrix(row, column);
                }
            }
            blocks.push_back(std::move(block));
        }
        SilentProgress progress;
        const Eigen::SparseMatrix<double> lower = assembleAlignmentMatrix(pointCount, blocks, progress);
        QVERIFY(isSortedLowerTriangle(lower));
        const Eigen::MatrixXd expectedLower = expected.triangularView<Eigen::Lower>();
        LOCALLAB_COMPARE_MATRIX_NEAR(Eigen::MatrixXd(lower), expectedLower, 0.0, 1e-13);
    }

    void standardMatrixIsTheGramOfIMinusW() {
        const Eigen::MatrixXd points = swissRoll(300);
        SilentProgress progress;
        const NeighborhoodList neighborhoods = nearestNeighborhoods(points, 9, progress);
        const std::vector<double> weights = barycenterWeightsOf(points, neighborhoods);
        Eigen::MatrixXd iMinusW = Eigen::MatrixXd::Identity(points.rows(), points.rows());
        for (Eigen::Index point = 0; point < points.rows(); ++point) {
            const auto neighbors = neighborhoods.neighborsOf(point);
            for (std::size_t j = 0; j < neighbors.size(); ++j) {
                iMinusW(point, neighbors[j]) -=
                    weights[static_cast<std::size_t>(neighborhoods.offset(point)) + j];
            }
        }
        const Eigen::MatrixXd expected = iMinusW.transpose() * iMinusW;

        const Eigen::SparseMatrix<double> lower =
            assembleReconstructionAlignmentMatrix(neighborhoods, weights, progress);
        QVERIFY(isSortedLowerTriangle(lower));
        const Eigen::MatrixXd expectedLower = expected.triangularView<Eigen::Lower>();
        LOCALLAB_COMPARE_MATRIX_NEAR(Eigen::MatrixXd(lower), expectedLower, 0.0, 1e-12);
    }

    void eigensolversReadTheLowerTriangleAsTheWholeMatrix_data() {
        QTest::addColumn<bool>("dense");
        QTest::newRow("dense") << true;
        QTest::newRow("sparse") << false;
    }

    void eigensolversReadTheLowerTriangleAsTheWholeMatrix() {
        QFETCH(bool, dense);
        const Eigen::MatrixXd points = swissRoll(500);
        SilentProgress progress;
        const NeighborhoodList neighborhoods = nearestNeighborhoods(points, 10, progress);
        const Eigen::SparseMatrix<double> lower = assembleReconstructionAlignmentMatrix(
            neighborhoods, barycenterWeightsOf(points, neighborhoods), progress);
        const Eigen::SparseMatrix<double> whole = lower.selfadjointView<Eigen::Lower>();
        const EigenSolverChoice solver = dense ? EigenSolverChoice::Dense : EigenSolverChoice::Sparse;
        const BottomEigenvectors fromLower = bottomEigenvectors(lower, 2, 1, solver, progress);
        const BottomEigenvectors fromWhole = bottomEigenvectors(whole, 2, 1, solver, progress);
        QVERIFY2(fromLower.failure.empty() && fromWhole.failure.empty(), fromLower.failure.c_str());
        LOCALLAB_COMPARE_MATRIX_NEAR(fromLower.values, fromWhole.values, 1e-8, 1e-15);
        // Eigenvectors up to sign.
        for (Eigen::Index c = 0; c < 2; ++c) {
            const double alignment = std::abs(fromLower.vectors.col(c).dot(fromWhole.vectors.col(c)));
            LOCALLAB_COMPARE_NEAR(alignment, 1.0, 1e-8, 0.0);
        }
    }
};

QTEST_APPLESS_MAIN(TestLocalAlignment)
#include "test_local_alignment.moc"
