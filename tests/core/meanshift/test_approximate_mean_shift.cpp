// The binned MeanShift checked against the exact one (itself checked against scikit-learn in
// test_mean_shift.cpp) and its field against the local mean summed directly over the data.
//
// Tolerances. Linear binning and multilinear interpolation perturb the kernel sums by O((δ/h)²) of their
// size (δ the grid spacing) where the shadow profile is smooth, so a mode, where the sums balance, moves by
// C·(δ/h)²·h; modeErrorShrinksLikeSpacingSquared checks that law. With the default 4 cells per h that is
// 0.0625·C·h: C stays below 0.5 for round clusters (measured errors ≤ 0.03h), so they are allowed 0.05h;
// the moons' modes sit on nearly flat ridges, where a small error in the gradient moves its zero far
// (C ≈ 1.1, 0.07h measured), and are allowed 0.1h. The flat kernel's sums jump where a point enters the
// window, so its error is first order, δ/h; its row uses 40 cells per h. Local means are compared where
// the data weigh at least ten points' worth, against (δ/h)²·h for the Gaussian and, because the compact
// shadows have a kink at the edge of their support that makes the error first order there, δ/(2h)·h for
// the others.

#include "csv_fixture.hpp"
#include "fuzzy_compare.hpp"
#include "locallab/meanshift/approximate_mean_shift.hpp"

#include <QTest>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <set>

using namespace locallab;
using locallab::test::fixturePath;
using locallab::test::readCsvFixture;

namespace {

// Deterministic, library-independent normal draws (Box–Muller on a linear congruential stream).
class NormalStream {
public:
    explicit NormalStream(std::uint64_t seed) : state_(seed) {}
    double next() {
        const double radius = std::sqrt(-2.0 * std::log(uniform()));
        return radius * std::cos(2.0 * M_PI * uniform());
    }

private:
    double uniform() {
        state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
        return (double((state_ >> 11) & ((1ULL << 53) - 1)) + 0.5) / double(1ULL << 53);
    }
    std::uint64_t state_;
};

// 300 points around 0 (σ = 1), 200 around 5 (σ = 0.7) and 100 around 9 (σ = 0.5).
Eigen::MatrixXd oneDimensionalMixture() {
    NormalStream normal(17);
    Eigen::MatrixXd points(600, 1);
    for (Eigen::Index i = 0; i < points.rows(); ++i) {
        points(i, 0) =
            i < 300 ? normal.next() : (i < 500 ? 5.0 + 0.7 * normal.next() : 9.0 + 0.5 * normal.next());
    }
    return points;
}

Eigen::MatrixXd dataset(const QString& name) {
    if (name == "mixture_1d") {
        return oneDimensionalMixture();
    }
    return readCsvFixture(fixturePath("meanshift/" + name.toStdString() + "_points.csv")).values;
}

Bandwidth bandwidthFrom(const QList<double>& values) {
    if (values.size() == 1) {
        return Bandwidth::scalar(values.front());
    }
    Eigen::VectorXd perColumn(values.size());
    for (int c = 0; c < values.size(); ++c) {
        perColumn[c] = values[c];
    }
    return Bandwidth::diagonal(perColumn);
}

struct DirectSums {
    double weightSum = 0.0;
    Eigen::VectorXd mean;         // Σ g(u_i)·x_i / Σ g(u_i), when the sum is positive
    double nearestDistance = 0.0; // to the nearest point, in bandwidths
};

// The local mean summed directly over the data.
DirectSums directSums(const Eigen::MatrixXd& points, const RadialKernel& kernel, const Bandwidth& bandwidth,
                      const Eigen::VectorXd& x) {
    const Eigen::VectorXd scaledX = bandwidth.whitenPoint(x);
    const Eigen::MatrixXd scaled = bandwidth.whiten(points);
    DirectSums sums;
    sums.nearestDistance = HUGE_VAL;
    Eigen::VectorXd weighted = Eigen::VectorXd::Zero(x.size());
    for (Eigen::Index i = 0; i < points.rows(); ++i) {
        const double u = (scaled.row(i).transpose() - scaledX).squaredNorm();
        const double weight = kernel.shadow(u);
        sums.weightSum += weight;
        weighted += weight * points.row(i).transpose();
        sums.nearestDistance = std::min(sums.nearestDistance, std::sqrt(u));
    }
    if (sums.weightSum > 0.0) {
        sums.mean = weighted / sums.weightSum;
    }
    return sums;
}

// The scaled distance ||L⁻¹(a − b)||, in bandwidths.
double scaledDistance(const Bandwidth& bandwidth, const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
    return (bandwidth.whitenPoint(a) - bandwidth.whitenPoint(b)).norm();
}

MeanShiftResult approximate(const Eigen::MatrixXd& points, const MeanShiftOptions& options,
                            const ApproximateMeanShiftOptions& approximation = {}) {
    SilentProgress progress;
    return approximateMeanShift(points, options, approximation, progress);
}

} // namespace

class TestApproximateMeanShift : public QObject {
    Q_OBJECT

private slots:
    void agreesWithExactMeanShift_data();
    void agreesWithExactMeanShift();
    void modeErrorShrinksLikeSpacingSquared();
    void localMeanEqualsTheDirectSum_data();
    void localMeanEqualsTheDirectSum();
    void seedFarFromTheDataStops();
    void seedInAnEmptyGapStops();
    void seedsAreStridedAndPathsRecorded();
    void kernelWithoutABinnableShadowSaysSo();
    void badInputIsRefusedWithAMessage();
    void cancellationStopsTheComputation();
};

void TestApproximateMeanShift::agreesWithExactMeanShift_data() {
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<int>("profile");
    QTest::addColumn<QList<double>>("bandwidth");
    QTest::addColumn<int>("gridNodes");    // 0: automatic
    QTest::addColumn<double>("tolerance"); // for modes, in bandwidths
    const auto gaussian = static_cast<int>(KernelProfile::Gaussian);
    QTest::newRow("three blobs, gaussian") << "blobs" << gaussian << QList<double>{1.0} << 0 << 0.05;
    QTest::newRow("three blobs, gaussian, diagonal")
        << "blobs" << gaussian << QList<double>{1.2, 0.8} << 0 << 0.05;
    QTest::newRow("three blobs, biweight")
        << "blobs" << static_cast<int>(KernelProfile::Biweight) << QList<double>{2.0} << 0 << 0.05;
    QTest::newRow("three blobs, flat, fine grid")
        << "blobs" << static_cast<int>(KernelProfile::Uniform) << QList<double>{1.5} << 400 << 0.05;
    QTest::newRow("two moons, gaussian") << "moons" << gaussian << QList<double>{0.3} << 0 << 0.1;
    QTest::newRow("1-d mixture, gaussian") << "mixture_1d" << gaussian << QList<double>{0.5} << 0 << 0.05;
    QTest::newRow("1-d mixture, triweight")
        << "mixture_1d" << static_cast<int>(KernelProfile::Triweight) << QList<double>{1.5} << 0 << 0.05;
    QTest::newRow("3-d blobs, gaussian") << "three_d" << gaussian << QList<double>{1.2} << 0 << 0.05;
}

void TestApproximateMeanShift::agreesWithExactMeanShift() {
    QFETCH(QString, dataset);
    QFETCH(int, profile);
    QFETCH(QList<double>, bandwidth);
    QFETCH(int, gridNodes);
    QFETCH(double, tolerance);
    const Eigen::MatrixXd points = ::dataset(dataset);
    MeanShiftOptions options;
    options.kernel = RadialKernel(static_cast<KernelProfile>(profile));
    options.bandwidth = bandwidthFrom(bandwidth);
    ApproximateMeanShiftOptions approximation;
    approximation.gridNodesPerAxis = gridNodes;
    const MeanShiftResult exact = meanShift(points, options);
    const MeanShiftResult binned = approximate(points, options, approximation);

    QVERIFY2(binned.note.empty(), binned.note.c_str());
    QCOMPARE(binned.modes.rows(), exact.modes.rows());
    // The order follows the strengths, which are binned too: match each mode to its exact counterpart.
    std::map<int, int> exactOfBinned;
    std::set<int> matched;
    for (Eigen::Index m = 0; m < binned.modes.rows(); ++m) {
        int nearest = -1;
        double nearestDistance = HUGE_VAL;
        for (Eigen::Index e = 0; e < exact.modes.rows(); ++e) {
            const double distance = scaledDistance(options.bandwidth, binned.modes.row(m).transpose(),
                                                   exact.modes.row(e).transpose());
            if (distance < nearestDistance) {
                nearestDistance = distance;
                nearest = static_cast<int>(e);
            }
        }
        QVERIFY2(
            nearestDistance <= tolerance,
            qPrintable(QString("mode %1 is %2 bandwidths from the exact one").arg(m).arg(nearestDistance)));
        QVERIFY2(matched.insert(nearest).second, "two modes matched the same exact mode");
        exactOfBinned[static_cast<int>(m)] = nearest;
        // Points within h counted on the grid: off by the few points near the window's edge.
        LOCALLAB_COMPARE_NEAR(binned.modeStrength[m], exact.modeStrength[nearest], 0.05, 2.0);
    }
    Eigen::Index agreeing = 0;
    for (Eigen::Index i = 0; i < points.rows(); ++i) {
        agreeing += exactOfBinned.at(binned.labels[i]) == exact.labels[i] ? 1 : 0;
    }
    QVERIFY2(double(agreeing) >= 0.99 * double(points.rows()),
             qPrintable(QString("%1 of %2 labels agree").arg(agreeing).arg(points.rows())));
    QCOMPARE(binned.seeds.rows(), exact.seeds.rows());
    LOCALLAB_COMPARE_MATRIX_NEAR(binned.seeds, exact.seeds, 1e-12, 1e-12);
}

void TestApproximateMeanShift::modeErrorShrinksLikeSpacingSquared() {
    // Seeds at the exact modes climb to the binned ones. On the moons' flat ridges the error is largest;
    // halving the spacing should divide it by about 4, where a first-order error would halve it.
    const Eigen::MatrixXd points = dataset("moons");
    MeanShiftOptions options;
    options.kernel = RadialKernel(KernelProfile::Gaussian);
    options.bandwidth = Bandwidth::scalar(0.3);
    options.stopFactor = 1e-9;
    options.maxIterations = 5000;
    const MeanShiftResult exact = meanShift(points, options);
    options.seeding = SeedingStrategy::Given;
    options.givenSeeds = exact.modes;
    auto largestError = [&](Eigen::Index nodes) {
        ApproximateMeanShiftOptions approximation;
        approximation.gridNodesPerAxis = nodes;
        const MeanShiftResult binned = approximate(points, options, approximation);
        return (binned.seedEnds - exact.modes).rowwise().norm().maxCoeff() / 0.3;
    };
    // 59, 118 and 236 cells along each axis.
    const std::array<double, 3> errors{largestError(60), largestError(119), largestError(237)};
    for (std::size_t k = 0; k + 1 < errors.size(); ++k) {
        QVERIFY2(errors[k + 1] < errors[k] / 3.0,
                 qPrintable(QString("mode error %1 h, then %2 h on a grid twice as fine")
                                .arg(errors[k])
                                .arg(errors[k + 1])));
    }
    QVERIFY(errors.back() < 0.01);
}

void TestApproximateMeanShift::localMeanEqualsTheDirectSum_data() {
    QTest::addColumn<int>("profile");
    QTest::addColumn<QList<double>>("bandwidth");
    QTest::addColumn<double>("tolerance"); // in bandwidths
    QTest::newRow("gaussian") << static_cast<int>(KernelProfile::Gaussian) << QList<double>{1.0} << 0.01;
    QTest::newRow("gaussian, diagonal")
        << static_cast<int>(KernelProfile::Gaussian) << QList<double>{0.8, 1.3} << 0.01;
    QTest::newRow("biweight") << static_cast<int>(KernelProfile::Biweight) << QList<double>{2.0} << 0.05;
    QTest::newRow("triweight") << static_cast<int>(KernelProfile::Triweight) << QList<double>{2.0} << 0.05;
}

void TestApproximateMeanShift::localMeanEqualsTheDirectSum() {
    QFETCH(int, profile);
    QFETCH(QList<double>, bandwidth);
    QFETCH(double, tolerance);
    const Eigen::MatrixXd points = dataset("blobs");
    const RadialKernel kernel(static_cast<KernelProfile>(profile));
    const Bandwidth h = bandwidthFrom(bandwidth);
    // 10 cells per bandwidth on each axis, reaching 5 bandwidths beyond the data.
    const Eigen::VectorXd perAxis = h.matrix(2).diagonal().cwiseSqrt();
    std::vector<GridAxis> axes = gridAxesAround(points, 2, 5.0 * perAxis);
    for (std::size_t k = 0; k < axes.size(); ++k) {
        axes[k].size = static_cast<Eigen::Index>(10.0 * (axes[k].maximum - axes[k].minimum) / perAxis[k]) + 1;
    }
    SilentProgress progress;
    const MeanShiftField field = meanShiftField(points, kernel, h, axes, progress);
    QCOMPARE(field.weightSum.size(), axes[0].size * axes[1].size);
    QCOMPARE(field.weightedSum.rows(), field.weightSum.size());

    Eigen::Vector2d cellsPerBandwidth;
    for (std::size_t k = 0; k < axes.size(); ++k) {
        cellsPerBandwidth[static_cast<Eigen::Index>(k)] =
            perAxis[static_cast<Eigen::Index>(k)] / axes[k].spacing();
    }
    std::mt19937 random(5);
    int compared = 0;
    int empty = 0;
    for (int trial = 0; trial < 1000; ++trial) {
        // Random points over the data's box and beyond it, all on the grid.
        const Eigen::Vector2d x(std::uniform_real_distribution<double>(-9.0, 10.0)(random),
                                std::uniform_real_distribution<double>(-5.0, 11.0)(random));
        const DirectSums expected = directSums(points, kernel, h, x);
        const std::optional<Eigen::VectorXd> actual = field.localMean(x);
        // Binning moves a point's weight up to a cell diagonal, and interpolation reads nodes up to another.
        const double smearing = 2.0 * cellsPerBandwidth.cwiseInverse().norm();
        if (kernel.isCompact() && expected.nearestDistance > 1.0 + smearing) {
            // No point within reach, even smeared: only FFT round-off is left there, to be ignored.
            QVERIFY2(!actual, qPrintable(QString("a local mean at (%1, %2)").arg(x[0]).arg(x[1])));
            ++empty;
            continue;
        }
        if (expected.weightSum < 10.0 * kernel.shadow(0.0)) {
            continue; // a mean of a few points in the tails: a ratio of small sums, each smeared by binning
        }
        QVERIFY2(actual, qPrintable(QString("no local mean at (%1, %2)").arg(x[0]).arg(x[1])));
        const double error = scaledDistance(h, *actual, expected.mean);
        QVERIFY2(error <= tolerance, qPrintable(QString("at (%1, %2) the local mean is off by %3 bandwidths")
                                                    .arg(x[0])
                                                    .arg(x[1])
                                                    .arg(error)));
        ++compared;
    }
    QVERIFY(compared > 100);
    QVERIFY(!kernel.isCompact() || empty > 0);
    QVERIFY(!field.localMean(Eigen::Vector2d(1e3, 0.0)));
}

void TestApproximateMeanShift::seedFarFromTheDataStops() {
    const Eigen::MatrixXd points = dataset("blobs");
    MeanShiftOptions options;
    options.kernel = RadialKernel(KernelProfile::Gaussian);
    options.bandwidth = Bandwidth::scalar(1.0);
    options.seeding = SeedingStrategy::Given;
    options.givenSeeds.resize(2, 2);
    options.givenSeeds << 0.5, 0.5, 1000.0, -1000.0;
    const MeanShiftResult result = approximate(points, options);
    QCOMPARE(result.seedIterations[1], 0);
    LOCALLAB_COMPARE_MATRIX_NEAR(result.seedEnds.row(1), options.givenSeeds.row(1), 0.0, 0.0);
    QCOMPARE(result.seedLabels[1], -1);
    QCOMPARE(result.modes.rows(), 1);
    QVERIFY(result.seedLabels[0] == 0);

    // With only the far seed, nothing is within reach, as the exact path says too.
    options.givenSeeds = options.givenSeeds.bottomRows(1).eval();
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, approximate(points, options));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, meanShift(points, options));
}

void TestApproximateMeanShift::seedInAnEmptyGapStops() {
    // Two clumps 10 apart and a compact kernel: midway every exact weight is zero, and the grid, which
    // spans the gap, holds only round-off there.
    Eigen::MatrixXd points(40, 1);
    for (Eigen::Index i = 0; i < 20; ++i) {
        points(i, 0) = 0.05 * double(i);
        points(20 + i, 0) = 10.0 + 0.05 * double(i);
    }
    MeanShiftOptions options;
    options.kernel = RadialKernel(KernelProfile::Biweight);
    options.bandwidth = Bandwidth::scalar(1.0);
    options.seeding = SeedingStrategy::Given;
    options.givenSeeds.resize(2, 1);
    options.givenSeeds << 5.0, 0.3;
    const MeanShiftResult exact = meanShift(points, options);
    const MeanShiftResult binned = approximate(points, options);
    QCOMPARE(binned.seedIterations[0], 0);
    QCOMPARE(binned.seedEnds(0, 0), 5.0);
    QCOMPARE(binned.seedLabels[0], exact.seedLabels[0]);
    QCOMPARE(binned.modes.rows(), exact.modes.rows());
    LOCALLAB_COMPARE_MATRIX_NEAR(binned.modes, exact.modes, 0.0, 0.05);

    SilentProgress progress;
    const MeanShiftField field =
        meanShiftField(points, options.kernel, options.bandwidth, {GridAxis{-2.0, 12.0, 141}}, progress);
    QVERIFY(!field.localMean(Eigen::VectorXd::Constant(1, 5.0)));
    QVERIFY(field.localMean(Eigen::VectorXd::Constant(1, 0.5)));
}

void TestApproximateMeanShift::seedsAreStridedAndPathsRecorded() {
    const Eigen::MatrixXd points = dataset("moons");
    MeanShiftOptions options;
    options.kernel = RadialKernel(KernelProfile::Gaussian);
    options.bandwidth = Bandwidth::scalar(0.3);
    ApproximateMeanShiftOptions approximation;
    approximation.maximumSeeds = 40;
    const MeanShiftResult result = approximate(points, options, approximation);
    QCOMPARE(result.seeds.rows(), 40);
    for (Eigen::Index k = 0; k < 40; ++k) {
        LOCALLAB_COMPARE_MATRIX_NEAR(result.seeds.row(k), points.row(k * points.rows() / 40), 0.0, 0.0);
    }
    QVERIFY(!result.note.empty());
    QCOMPARE(result.labels.size(), points.rows());
    QCOMPARE(result.trajectories.seedCount(), 40);
    for (Eigen::Index s = 0; s < 40; ++s) {
        const Eigen::MatrixXd path = result.trajectories.path(s);
        LOCALLAB_COMPARE_MATRIX_NEAR(path.row(0), result.seeds.row(s), 1e-6, 1e-6);
        LOCALLAB_COMPARE_MATRIX_NEAR(path.bottomRows(1), result.seedEnds.row(s), 1e-6, 1e-6);
        QCOMPARE(result.trajectories.lastStep(s), result.seedIterations[s] + 1);
        // The stopping rule: the last step was at most stopFactor·h long, or the iterations ran out.
        const Eigen::MatrixXd full = result.trajectories.path(s);
        QVERIFY(result.seedIterations[s] == options.maxIterations ||
                (full.row(full.rows() - 1) - full.row(full.rows() - 2)).norm() <= 1e-3 * 0.3 + 1e-6);
    }
}

void TestApproximateMeanShift::kernelWithoutABinnableShadowSaysSo() {
    const Eigen::MatrixXd points = dataset("blobs");
    MeanShiftOptions options;
    options.kernel = RadialKernel(KernelProfile::Tricube);
    options.bandwidth = Bandwidth::scalar(2.0);
    const MeanShiftResult result = approximate(points, options);
    QVERIFY(QString::fromStdString(result.note).contains("kernel itself"));
    QCOMPARE(result.modes.rows(), 3);
}

void TestApproximateMeanShift::badInputIsRefusedWithAMessage() {
    const Eigen::MatrixXd points = dataset("blobs");
    MeanShiftOptions options;
    options.kernel = RadialKernel(KernelProfile::Gaussian);
    auto refusesForTheExactPath = [&](const Eigen::MatrixXd& data, const MeanShiftOptions& refused) {
        try {
            approximate(data, refused);
        } catch (const std::invalid_argument& error) {
            return QString(error.what()).contains("exact path");
        }
        return false;
    };
    MeanShiftOptions full = options;
    full.bandwidth = Bandwidth::full(Eigen::Matrix2d{{1.0, 0.3}, {0.3, 1.0}});
    QVERIFY(refusesForTheExactPath(points, full));
    QVERIFY(refusesForTheExactPath(Eigen::MatrixXd::Random(50, 4), options));
    MeanShiftOptions adaptive = options;
    adaptive.sampleScales = Eigen::VectorXd::Ones(points.rows());
    QVERIFY(refusesForTheExactPath(points, adaptive));
    MeanShiftOptions cauchy = options;
    cauchy.kernel = RadialKernel(KernelProfile::Cauchy);
    QVERIFY(refusesForTheExactPath(points, cauchy));

    Eigen::MatrixXd withNaN = points;
    withNaN(3, 1) = std::nan("");
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, approximate(withNaN, options));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, approximate(Eigen::MatrixXd(0, 2), options));
    ApproximateMeanShiftOptions oneNode;
    oneNode.gridNodesPerAxis = 1;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, approximate(points, options, oneNode));
    SilentProgress progress;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             meanShiftField(points, options.kernel, full.bandwidth,
                                            gridAxesAround(points, 50, Eigen::Vector2d(3.0, 3.0)), progress));
    const MeanShiftField field =
        meanShiftField(points, options.kernel, options.bandwidth,
                       gridAxesAround(points, 50, Eigen::Vector2d(3.0, 3.0)), progress);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, field.localMean(Eigen::VectorXd::Zero(3)));
}

void TestApproximateMeanShift::cancellationStopsTheComputation() {
    const Eigen::MatrixXd points = dataset("blobs");
    MeanShiftOptions options;
    options.kernel = RadialKernel(KernelProfile::Gaussian);
    SilentProgress progress;
    progress.cancel();
    QVERIFY_THROWS_EXCEPTION(OperationCanceled, approximateMeanShift(points, options, {}, progress));
    QVERIFY_THROWS_EXCEPTION(OperationCanceled,
                             meanShiftField(points, options.kernel, options.bandwidth,
                                            gridAxesAround(points, 50, Eigen::Vector2d(3.0, 3.0)), progress));
}

QTEST_APPLESS_MAIN(TestApproximateMeanShift)
#include "test_approximate_mean_shift.moc"
