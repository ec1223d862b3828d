// Binned (FFT) kernel density on grids, checked against the exact sum on the same grid, closed forms
// and the grid layout promised to the views.

#include "fuzzy_compare.hpp"
#include "locallab/density/binned_density.hpp"

#include <Eigen/Core>
#include <QTest>
#include <cmath>
#include <random>

using namespace locallab;

Q_DECLARE_METATYPE(locallab::KernelProfile)

namespace {

Eigen::MatrixXd clusteredPoints(Eigen::Index count, Eigen::Index dimension, unsigned seed) {
    std::mt19937 generator(seed);
    std::normal_distribution<double> normal;
    Eigen::MatrixXd points(count, dimension);
    for (Eigen::Index row = 0; row < count; ++row) {
        const double centre = row % 3 == 0 ? -2.0 : (row % 3 == 1 ? 0.5 : 2.5);
        for (Eigen::Index column = 0; column < dimension; ++column) {
            points(row, column) = centre * (column % 2 == 0 ? 1.0 : -0.5) + normal(generator);
        }
    }
    return points;
}

double worstRelativeToPeak(const DensityGrid& approximate, const DensityGrid& exact) {
    return (approximate.values - exact.values).cwiseAbs().maxCoeff() / exact.values.maxCoeff();
}

} // namespace

class BinnedDensityTest : public QObject {
    Q_OBJECT

private slots:
    void agreesWithExactGrid_data();
    void agreesWithExactGrid();
    void pointOnANodeIsTheSampledKernel();
    void pointsOutsideTheGridStillCount();
    void integratesToOne();
    void fullBandwidthFallsBackToExact();
    void layoutHasFirstAxisFastest();
    void gridAroundDataIsPadded();
    void fastFourierLengthsHaveSmallFactors_data();
    void fastFourierLengthsHaveSmallFactors();
    void rejectsBadGrids();
    void cancellationStopsBinning();
};

void BinnedDensityTest::agreesWithExactGrid_data() {
    QTest::addColumn<KernelProfile>("profile");
    QTest::addColumn<int>("dimension");
    QTest::addColumn<int>("nodes");
    QTest::addColumn<bool>("diagonal");
    QTest::addColumn<bool>("weighted");
    QTest::addColumn<double>("tolerance");
    // The Gaussian on a 256² grid is the promise (1e-3); compact kernels have kinks where the binning
    // error is first order, so they are held to a looser bound.
    QTest::newRow("gaussian 2d 256²") << KernelProfile::Gaussian << 2 << 256 << false << false << 1e-3;
    QTest::newRow("gaussian 2d diagonal") << KernelProfile::Gaussian << 2 << 256 << true << false << 1e-3;
    QTest::newRow("gaussian 2d weighted") << KernelProfile::Gaussian << 2 << 256 << false << true << 1e-3;
    QTest::newRow("gaussian 1d") << KernelProfile::Gaussian << 1 << 512 << false << false << 1e-3;
    QTest::newRow("gaussian 3d 48³") << KernelProfile::Gaussian << 3 << 48 << true << false << 1e-2;
    QTest::newRow("laplacian 2d") << KernelProfile::Laplacian << 2 << 256 << false << false << 1e-2;
    QTest::newRow("epanechnikov 2d") << KernelProfile::Epanechnikov << 2 << 256 << false << false << 1e-2;
    QTest::newRow("biweight 2d") << KernelProfile::Biweight << 2 << 256 << true << false << 1e-2;
}

void BinnedDensityTest::agreesWithExactGrid() {
    QFETCH(KernelProfile, profile);
    QFETCH(int, dimension);
    QFETCH(int, nodes);
    QFETCH(bool, diagonal);
    QFETCH(bool, weighted);
    QFETCH(double, tolerance);
    const Eigen::MatrixXd points = clusteredPoints(150, dimension, 3);
    const RadialKernel kernel(profile);
    // The binning error grows like (spacing/h)²: h spans about 10 cells in 1-D and 2-D, 3 in 3-D.
    const bool smooth = profile == KernelProfile::Gaussian || profile == KernelProfile::Laplacian;
    const double h = dimension == 3 ? 1.0 : (smooth ? 0.4 : 1.0);
    const Bandwidth bandwidth = diagonal
                                    ? Bandwidth::diagonal(Eigen::VectorXd::LinSpaced(dimension, h, 1.5 * h))
                                    : Bandwidth::scalar(h);
    BinnedDensityOptions binnedOptions;
    KernelDensityOptions exactOptions;
    if (weighted) {
        binnedOptions.weights = Eigen::VectorXd::LinSpaced(points.rows(), 0.2, 3.0);
        exactOptions.weights = binnedOptions.weights;
    }
    const auto axes = gridAxesAround(points, nodes, Eigen::VectorXd::Constant(dimension, 3.0 * h));
    const DensityGrid binned = binnedDensity(points, kernel, bandwidth, axes, binnedOptions);
    const DensityGrid exact = exactDensityGrid(KernelDensity(points, kernel, bandwidth, exactOptions), axes);
    QVERIFY(binned.binned);
    QVERIFY(!exact.binned);
    QCOMPARE(binned.values.size(), exact.values.size());
    const double error = worstRelativeToPeak(binned, exact);
    qInfo("max |binned - exact| / max exact = %.3g", error);
    QVERIFY2(error <= tolerance, qPrintable(QString("relative error %1").arg(error)));
}

void BinnedDensityTest::pointOnANodeIsTheSampledKernel() {
    // Linear binning of a point that sits on a node puts all its weight there, so the convolution
    // returns the kernel sampled on the grid: c_d/h^d·k(||node − point||²/h²), exactly up to round-off.
    Eigen::MatrixXd point(1, 2);
    point << 1.0, -0.5;
    const std::vector<GridAxis> axes = {{-3.0, 5.0, 81}, {-4.0, 3.0, 71}}; // spacing 0.1 on both
    for (KernelProfile profile :
         {KernelProfile::Gaussian, KernelProfile::Epanechnikov, KernelProfile::Cosine}) {
        const RadialKernel kernel(profile);
        const DensityGrid grid = binnedDensity(point, kernel, Bandwidth::scalar(0.7), axes);
        const DensityGrid exact =
            exactDensityGrid(KernelDensity(point, kernel, Bandwidth::scalar(0.7)), axes);
        LOCALLAB_COMPARE_MATRIX_NEAR(grid.values, exact.values, 0.0, 1e-12 * exact.values.maxCoeff());
    }
}

void BinnedDensityTest::pointsOutsideTheGridStillCount() {
    // A window on part of the data: the points just outside it still shape the density inside.
    const Eigen::MatrixXd points = clusteredPoints(300, 2, 8);
    const RadialKernel kernel(KernelProfile::Gaussian);
    const Bandwidth bandwidth = Bandwidth::scalar(0.5);
    const std::vector<GridAxis> axes = {{-1.0, 1.0, 128}, {-1.5, 0.5, 128}};
    const DensityGrid binned = binnedDensity(points, kernel, bandwidth, axes);
    const DensityGrid exact = exactDensityGrid(KernelDensity(points, kernel, bandwidth), axes);
    QVERIFY(worstRelativeToPeak(binned, exact) <= 1e-3);
}

void BinnedDensityTest::integratesToOne() {
    const Eigen::MatrixXd points = clusteredPoints(500, 2, 9);
    const auto axes = gridAxesAround(points, 200, Eigen::Vector2d::Constant(4.0));
    const DensityGrid grid =
        binnedDensity(points, RadialKernel(KernelProfile::Gaussian), Bandwidth::scalar(0.5), axes);
    const double cell = axes[0].spacing() * axes[1].spacing();
    LOCALLAB_COMPARE_NEAR(grid.values.sum() * cell, 1.0, 1e-6, 0.0);
}

void BinnedDensityTest::fullBandwidthFallsBackToExact() {
    const Eigen::MatrixXd points = clusteredPoints(200, 2, 10);
    Eigen::Matrix2d matrix;
    matrix << 0.5, 0.2, 0.2, 0.3;
    const RadialKernel kernel(KernelProfile::Gaussian);
    const auto axes = gridAxesAround(points, 40, Eigen::Vector2d::Constant(1.0));
    const DensityGrid grid = binnedDensity(points, kernel, Bandwidth::full(matrix), axes);
    QVERIFY(!grid.binned);
    const DensityGrid exact = exactDensityGrid(KernelDensity(points, kernel, Bandwidth::full(matrix)), axes);
    LOCALLAB_COMPARE_MATRIX_NEAR(grid.values, exact.values, 1e-14, 0.0);
}

void BinnedDensityTest::layoutHasFirstAxisFastest() {
    DensityGrid grid;
    grid.axes = {{0.0, 1.0, 3}, {10.0, 20.0, 2}, {-1.0, 1.0, 2}};
    grid.values = Eigen::VectorXd::LinSpaced(12, 0.0, 11.0);
    QCOMPARE(grid.nodeCount(), Eigen::Index{12});
    QCOMPARE(grid.at(2, 0, 0), 2.0);
    QCOMPARE(grid.at(0, 1, 0), 3.0);
    QCOMPARE(grid.at(1, 1, 1), 10.0);
    const Eigen::MatrixXd nodes = grid.nodes();
    QCOMPARE(nodes.row(1), Eigen::RowVector3d(0.5, 10.0, -1.0));
    QCOMPARE(nodes.row(3), Eigen::RowVector3d(0.0, 20.0, -1.0));
    QCOMPARE(nodes.row(11), Eigen::RowVector3d(1.0, 20.0, 1.0));
}

void BinnedDensityTest::gridAroundDataIsPadded() {
    Eigen::MatrixXd points(3, 2);
    points << 0.0, 4.0, 2.0, 4.0, 1.0, 4.0; // the second column has no spread
    const auto axes = gridAxesAround(points, 11, Eigen::Vector2d(0.5, 0.0));
    QCOMPARE(axes[0].minimum, -0.5);
    QCOMPARE(axes[0].maximum, 2.5);
    QCOMPARE(axes[0].size, Eigen::Index{11});
    QCOMPARE(axes[1].minimum, 3.5);
    QCOMPARE(axes[1].maximum, 4.5);
}

void BinnedDensityTest::fastFourierLengthsHaveSmallFactors_data() {
    QTest::addColumn<qlonglong>("request");
    QTest::addColumn<qlonglong>("expected");
    QTest::newRow("1") << 1LL << 1LL;
    QTest::newRow("7") << 7LL << 8LL;
    QTest::newRow("11") << 11LL << 12LL;
    QTest::newRow("13") << 13LL << 15LL;
    QTest::newRow("97") << 97LL << 100LL;
    QTest::newRow("257") << 257LL << 270LL;
    QTest::newRow("329") << 329LL << 360LL;
}

void BinnedDensityTest::fastFourierLengthsHaveSmallFactors() {
    QFETCH(qlonglong, request);
    QFETCH(qlonglong, expected);
    QCOMPARE(static_cast<qlonglong>(fastFourierLength(request)), expected);
}

void BinnedDensityTest::rejectsBadGrids() {
    const Eigen::MatrixXd points = clusteredPoints(10, 2, 1);
    const RadialKernel kernel;
    const Bandwidth h = Bandwidth::scalar(1.0);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, binnedDensity(points, kernel, h, {{0.0, 1.0, 10}}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             binnedDensity(points, kernel, h, {{0.0, 1.0, 1}, {0.0, 1.0, 5}}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             binnedDensity(points, kernel, h, {{1.0, 1.0, 4}, {0.0, 1.0, 5}}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             binnedDensity(Eigen::MatrixXd(0, 2), kernel, h, {{0.0, 1.0, 4}, {0.0, 1.0, 5}}));
    const std::vector<GridAxis> fourAxes(4, GridAxis{});
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, checkGridAxes(fourAxes));
}

void BinnedDensityTest::cancellationStopsBinning() {
    const Eigen::MatrixXd points = clusteredPoints(100, 2, 1);
    SilentProgress progress;
    progress.cancel();
    QVERIFY_THROWS_EXCEPTION(OperationCanceled,
                             binnedDensity(points, RadialKernel(), Bandwidth::scalar(1.0),
                                           {{-5.0, 5.0, 32}, {-5.0, 5.0, 32}}, {}, progress));
}

QTEST_APPLESS_MAIN(BinnedDensityTest)
#include "test_binned_density.moc"
