// Binned local polynomial regression against the exact LocalRegression: close on random data for degrees
// 0..3 and several kernels, with an error that shrinks about fourfold when the grid spacing halves (the
// O(spacing²) of linear binning, which a wrong binning or a shifted kernel would break); exact for data on
// the grid's nodes; NoSupport where a compact kernel reaches no data and a fit in the log domain where the
// Gaussian underflows; one point; the variability band and the noise variance; cancellation.

#include "fuzzy_compare.hpp"
#include "locallab/data/random_stream.hpp"
#include "locallab/local/binned_local_regression.hpp"
#include "locallab/local/local_regression.hpp"
#include "locallab/local/noise_variance.hpp"

#include <QTest>
#include <cmath>
#include <numbers>

using namespace locallab;

Q_DECLARE_METATYPE(locallab::KernelProfile)
Q_DECLARE_METATYPE(locallab::LocalFitStatus)

namespace {

struct Sample {
    Eigen::VectorXd x;
    Eigen::VectorXd y;
};

// x uniform on [0, 1], y = sin(2πx) + noise.
Sample noisySine(Eigen::Index n, std::uint64_t seed, double noise = 0.3) {
    RandomStream random(seed);
    Sample sample{Eigen::VectorXd(n), Eigen::VectorXd(n)};
    for (Eigen::Index i = 0; i < n; ++i) {
        sample.x(i) = random.uniform();
        sample.y(i) = std::sin(2.0 * std::numbers::pi * sample.x(i)) + random.normal(0.0, noise);
    }
    return sample;
}

LocalRegression exactRegression(const Sample& sample, KernelProfile profile, double h, int degree) {
    LocalRegressionSettings settings;
    settings.kernel = RadialKernel(profile);
    settings.bandwidth = Bandwidth::scalar(h);
    settings.degree = degree;
    return LocalRegression(Eigen::MatrixXd(sample.x), sample.y, settings);
}

BinnedLocalRegression binnedRegression(const Sample& sample, KernelProfile profile, double h, int degree,
                                       Eigen::Index gridSize = 0,
                                       BinnedConvolution convolution = BinnedConvolution::Automatic,
                                       bool weightNorms = false) {
    BinnedLocalRegressionSettings settings;
    settings.kernel = RadialKernel(profile);
    settings.bandwidth = h;
    settings.degree = degree;
    settings.gridSize = gridSize;
    settings.convolution = convolution;
    settings.weightNorms = weightNorms;
    SilentProgress progress;
    return BinnedLocalRegression(sample.x, sample.y, settings, progress);
}

LocalFit exactAtNodes(const Sample& sample, const BinnedLocalRegression& binned, KernelProfile profile,
                      double h, int degree) {
    SilentProgress progress;
    return exactRegression(sample, profile, h, degree).fit(Eigen::MatrixXd(binned.gridNodes()), progress);
}

double rootMeanSquare(const Eigen::VectorXd& values) {
    return std::sqrt(values.squaredNorm() / static_cast<double>(values.size()));
}

} // namespace

class TestBinnedLocalRegression : public QObject {
    Q_OBJECT

private slots:
    void closeToTheExactFit_data() {
        QTest::addColumn<KernelProfile>("profile");
        QTest::addColumn<int>("degree");
        QTest::addColumn<double>("h");
        // Error bound in units of (spacing/h)²; the uniform kernel jumps at its edge, so its binning error is
        // of first order in spacing/h and its row gets a bound in units of spacing/h instead (negative).
        QTest::addColumn<double>("bound");
        QTest::newRow("Gaussian, Nadaraya-Watson") << KernelProfile::Gaussian << 0 << 0.04 << 0.05;
        QTest::newRow("Gaussian, local linear") << KernelProfile::Gaussian << 1 << 0.04 << 0.2;
        QTest::newRow("Gaussian, local quadratic") << KernelProfile::Gaussian << 2 << 0.06 << 0.6;
        QTest::newRow("Gaussian, local cubic") << KernelProfile::Gaussian << 3 << 0.08 << 1.2;
        QTest::newRow("Epanechnikov, Nadaraya-Watson") << KernelProfile::Epanechnikov << 0 << 0.1 << 0.06;
        QTest::newRow("Epanechnikov, local linear") << KernelProfile::Epanechnikov << 1 << 0.1 << 1.0;
        QTest::newRow("Epanechnikov, local cubic") << KernelProfile::Epanechnikov << 3 << 0.2 << 9.0;
        QTest::newRow("biweight, local quadratic") << KernelProfile::Biweight << 2 << 0.15 << 5.0;
        QTest::newRow("tricube, local linear") << KernelProfile::Tricube << 1 << 0.12 << 1.5;
        QTest::newRow("Laplacian (FFT), local linear") << KernelProfile::Laplacian << 1 << 0.03 << 0.12;
        QTest::newRow("Cauchy (FFT), Nadaraya-Watson") << KernelProfile::Cauchy << 0 << 0.02 << 0.03;
        QTest::newRow("uniform, local linear") << KernelProfile::Uniform << 1 << 0.12 << -0.8;
    }
    void closeToTheExactFit() {
        QFETCH(KernelProfile, profile);
        QFETCH(int, degree);
        QFETCH(double, h);
        QFETCH(double, bound);
        const Sample sample = noisySine(3000, 21);
        for (const Eigen::Index gridSize : {Eigen::Index{201}, Eigen::Index{801}}) {
            const BinnedLocalRegression binned = binnedRegression(sample, profile, h, degree, gridSize);
            const LocalFit exact = exactAtNodes(sample, binned, profile, h, degree);
            QCOMPARE(binned.nodeFit().count(LocalFitStatus::NoSupport), Eigen::Index{0});
            QCOMPARE(exact.count(LocalFitStatus::NoSupport), Eigen::Index{0});
            const double ratio = 1.0 / binned.nodesPerBandwidth();
            const double tolerance = bound > 0.0 ? bound * ratio * ratio : -bound * ratio;
            const double error = (binned.nodeFit().values - exact.values).cwiseAbs().maxCoeff();
            QVERIFY2(error <= tolerance, qPrintable(QStringLiteral("grid %1: largest error %2 > %3")
                                                        .arg(gridSize)
                                                        .arg(error)
                                                        .arg(tolerance)));
        }
    }

    void errorShrinksFourfoldWhenTheSpacingHalves_data() {
        QTest::addColumn<KernelProfile>("profile");
        QTest::addColumn<int>("degree");
        QTest::addColumn<double>("h");
        for (int degree = 0; degree <= 3; ++degree) {
            QTest::addRow("Gaussian, degree %d", degree) << KernelProfile::Gaussian << degree << 0.05;
        }
        QTest::newRow("biweight, degree 1") << KernelProfile::Biweight << 1 << 0.15;
    }
    void errorShrinksFourfoldWhenTheSpacingHalves() {
        QFETCH(KernelProfile, profile);
        QFETCH(int, degree);
        QFETCH(double, h);
        const Sample sample = noisySine(20000, 5);
        // 2·(m − 1) + 1 nodes halve the spacing, and every coarse node is a node of the finer grid.
        const Eigen::Index coarse = 101;
        const BinnedLocalRegression coarseFit = binnedRegression(sample, profile, h, degree, coarse);
        const BinnedLocalRegression fineFit =
            binnedRegression(sample, profile, h, degree, 2 * (coarse - 1) + 1);
        const LocalFit exact = exactAtNodes(sample, coarseFit, profile, h, degree);
        Eigen::VectorXd fineAtCoarseNodes(coarse);
        for (Eigen::Index m = 0; m < coarse; ++m) {
            fineAtCoarseNodes(m) = fineFit.nodeFit().values(2 * m);
        }
        const double coarseError = rootMeanSquare(coarseFit.nodeFit().values - exact.values);
        const double fineError = rootMeanSquare(fineAtCoarseNodes - exact.values);
        const double ratio = coarseError / fineError;
        QVERIFY2(
            ratio > 3.2 && ratio < 4.8,
            qPrintable(
                QStringLiteral("errors %1 and %2, ratio %3").arg(coarseError).arg(fineError).arg(ratio)));
    }

    void exactForDataOnTheNodes_data() {
        QTest::addColumn<KernelProfile>("profile");
        QTest::addColumn<int>("degree");
        for (int degree = 0; degree <= 3; ++degree) {
            QTest::addRow("Gaussian, degree %d", degree) << KernelProfile::Gaussian << degree;
            QTest::addRow("Epanechnikov, degree %d", degree) << KernelProfile::Epanechnikov << degree;
        }
    }
    void exactForDataOnTheNodes() {
        QFETCH(KernelProfile, profile);
        QFETCH(int, degree);
        // 600 points on the nodes k/400 of [0, 1] (repeats included, both ends present).
        RandomStream random(3);
        const Eigen::Index intervals = 400;
        Sample sample{Eigen::VectorXd(600), Eigen::VectorXd(600)};
        for (Eigen::Index i = 0; i < sample.x.size(); ++i) {
            const auto node = i < 2 ? i * intervals : static_cast<Eigen::Index>(random.index(intervals + 1));
            sample.x(i) = static_cast<double>(node) / static_cast<double>(intervals);
            sample.y(i) = std::cos(3.0 * sample.x(i)) + random.normal(0.0, 0.5);
        }
        const double h = 0.0537;
        const BinnedLocalRegression binned = binnedRegression(sample, profile, h, degree, intervals + 1);
        const LocalFit exact = exactAtNodes(sample, binned, profile, h, degree);
        LOCALLAB_COMPARE_MATRIX_NEAR(binned.nodeFit().values, exact.values, 1e-9, 1e-10);
        QVERIFY(binned.nodeFit().statuses == exact.statuses);
    }

    void directSumsAndFourierTransformsAgree_data() {
        QTest::addColumn<KernelProfile>("profile");
        QTest::addColumn<int>("degree");
        QTest::newRow("Gaussian, local cubic") << KernelProfile::Gaussian << 3;
        QTest::newRow("Epanechnikov, local linear") << KernelProfile::Epanechnikov << 1;
        QTest::newRow("Cauchy, Nadaraya-Watson") << KernelProfile::Cauchy << 0;
    }
    void directSumsAndFourierTransformsAgree() {
        QFETCH(KernelProfile, profile);
        QFETCH(int, degree);
        const Sample sample = noisySine(5000, 8);
        const BinnedLocalRegression direct =
            binnedRegression(sample, profile, 0.1, degree, 700, BinnedConvolution::Direct, true);
        const BinnedLocalRegression fourier =
            binnedRegression(sample, profile, 0.1, degree, 700, BinnedConvolution::Fourier, true);
        QVERIFY(!direct.usedFourierTransforms());
        QVERIFY(fourier.usedFourierTransforms());
        LOCALLAB_COMPARE_MATRIX_NEAR(fourier.nodeFit().values, direct.nodeFit().values, 1e-8, 1e-10);
        LOCALLAB_COMPARE_MATRIX_NEAR(fourier.nodeWeightNorms(), direct.nodeWeightNorms(), 1e-8, 1e-12);
        QVERIFY(fourier.nodeFit().statuses == direct.nodeFit().statuses);
    }

    void targetsBetweenNodesAreInterpolated() {
        const Sample sample = noisySine(4000, 13);
        const double h = 0.05;
        const BinnedLocalRegression binned = binnedRegression(sample, KernelProfile::Gaussian, h, 1);
        QCOMPARE(binned.grid().minimum, sample.x.minCoeff());
        QCOMPARE(binned.grid().maximum, sample.x.maxCoeff());
        QVERIFY(binned.nodesPerBandwidth() >= BinnedLocalRegression::cellsPerBandwidth);
        // Midway between two nodes: the mean of their values.
        const Eigen::VectorXd nodes = binned.gridNodes();
        const LocalFit between = binned.fit(Eigen::Vector2d(0.5 * (nodes(10) + nodes(11)), nodes(200)));
        LOCALLAB_COMPARE_NEAR(between.values(0),
                              0.5 * (binned.nodeFit().values(10) + binned.nodeFit().values(11)), 1e-12,
                              1e-14);
        LOCALLAB_COMPARE_NEAR(between.values(1), binned.nodeFit().values(200), 1e-9, 1e-12);
        // 1000 targets over the range, as the explorer asks for, stay close to the exact fit; one beyond the
        // data is fitted from the bins directly.
        const Eigen::VectorXd targets =
            Eigen::VectorXd::LinSpaced(1000, sample.x.minCoeff(), sample.x.maxCoeff());
        SilentProgress progress;
        const LocalRegression exact = exactRegression(sample, KernelProfile::Gaussian, h, 1);
        const LocalFit exactFit = exact.fit(Eigen::MatrixXd(targets), progress);
        const double ratio = 1.0 / binned.nodesPerBandwidth();
        QVERIFY((binned.fit(targets).values - exactFit.values).cwiseAbs().maxCoeff() < 0.5 * ratio * ratio);
        const double beyond = sample.x.maxCoeff() + 0.4 * h;
        const LocalFit outside = binned.fit(Eigen::VectorXd::Constant(1, beyond));
        QVERIFY(outside.hasValue(0));
        LOCALLAB_COMPARE_NEAR(outside.values(0), exact.fitAt(Eigen::VectorXd::Constant(1, beyond)).value, 0.0,
                              2.0 * ratio * ratio);
    }

    void noSupportFarFromTheDataWithACompactKernel() {
        // Data on [0, 0.3] and [0.7, 1]: an Epanechnikov kernel of radius 0.05 reaches nothing in between.
        Sample sample = noisySine(2000, 17);
        for (Eigen::Index i = 0; i < sample.x.size(); ++i) {
            sample.x(i) = sample.x(i) < 0.5 ? 0.6 * sample.x(i) : 0.4 + 0.6 * sample.x(i);
        }
        const double h = 0.05;
        for (int degree = 0; degree <= 2; ++degree) {
            const BinnedLocalRegression binned =
                binnedRegression(sample, KernelProfile::Epanechnikov, h, degree);
            const Eigen::VectorXd nodes = binned.gridNodes();
            SilentProgress progress;
            const LocalFit exact = exactAtNodes(sample, binned, KernelProfile::Epanechnikov, h, degree);
            const double spacing = binned.grid().spacing();
            for (Eigen::Index m = 0; m < nodes.size(); ++m) {
                const bool farInside =
                    nodes(m) > 0.3 + h + 2.0 * spacing && nodes(m) < 0.7 - h - 2.0 * spacing;
                const bool nearData =
                    nodes(m) < 0.3 + h - 2.0 * spacing || nodes(m) > 0.7 - h + 2.0 * spacing;
                if (farInside) {
                    QVERIFY(!binned.nodeFit().hasValue(m));
                    QCOMPARE(binned.nodeFit().values(m), 0.0);
                    QVERIFY(!exact.hasValue(m));
                }
                if (nearData) {
                    QVERIFY(binned.nodeFit().hasValue(m));
                }
            }
            const LocalFit middle = binned.fit(Eigen::VectorXd::Constant(1, 0.5));
            QVERIFY(!middle.hasValue(0));
            QCOMPARE(middle.values(0), 0.0);
        }
    }

    void gaussianGapsAreFittedInTheLogDomain() {
        // The same gap with a Gaussian of h = 0.004: in the middle every weight is below e^−1000, far below
        // the smallest double. The fit there comes from the nearest data through relative weights.
        Sample sample = noisySine(2000, 17);
        for (Eigen::Index i = 0; i < sample.x.size(); ++i) {
            sample.x(i) = sample.x(i) < 0.5 ? 0.6 * sample.x(i) : 0.4 + 0.6 * sample.x(i);
        }
        const BinnedLocalRegression binned = binnedRegression(sample, KernelProfile::Gaussian, 0.004, 0);
        QCOMPARE(binned.nodeFit().count(LocalFitStatus::NoSupport), Eigen::Index{0});
        QVERIFY(binned.nodeFit().values.allFinite());
        QVERIFY(binned.nodeFit().values.maxCoeff() <= sample.y.maxCoeff());
        QVERIFY(binned.nodeFit().values.minCoeff() >= sample.y.minCoeff());
        // Just left of the middle the nearest data are those below 0.3, and the local mean is theirs.
        const LocalFit nearLeft = binned.fit(Eigen::VectorXd::Constant(1, 0.45));
        SilentProgress progress;
        const LocalEstimate exact = exactRegression(sample, KernelProfile::Gaussian, 0.004, 0)
                                        .fitAt(Eigen::VectorXd::Constant(1, 0.45));
        QVERIFY(nearLeft.hasValue(0) && exact.hasValue());
        LOCALLAB_COMPARE_NEAR(nearLeft.values(0), exact.value, 0.0, 0.5);
    }

    void onePoint_data() {
        QTest::addColumn<KernelProfile>("profile");
        QTest::addColumn<int>("degree");
        QTest::addColumn<LocalFitStatus>("status");
        QTest::newRow("Gaussian, Nadaraya-Watson") << KernelProfile::Gaussian << 0 << LocalFitStatus::Fitted;
        QTest::newRow("Gaussian, local linear")
            << KernelProfile::Gaussian << 1 << LocalFitStatus::Regularized;
        QTest::newRow("Epanechnikov, local quadratic")
            << KernelProfile::Epanechnikov << 2 << LocalFitStatus::Regularized;
    }
    void onePoint() {
        QFETCH(KernelProfile, profile);
        QFETCH(int, degree);
        QFETCH(LocalFitStatus, status);
        const Sample sample{Eigen::VectorXd::Constant(1, 0.3), Eigen::VectorXd::Constant(1, 2.5)};
        const double h = 0.2;
        const BinnedLocalRegression binned = binnedRegression(sample, profile, h, degree);
        LOCALLAB_COMPARE_NEAR(binned.grid().minimum, 0.3 - h, 1e-15, 0.0);
        LOCALLAB_COMPARE_NEAR(binned.grid().maximum, 0.3 + h, 1e-15, 0.0);
        const LocalRegression exact = exactRegression(sample, profile, h, degree);
        for (const double target : {0.2, 0.3, 0.41}) {
            const LocalFit fit = binned.fit(Eigen::VectorXd::Constant(1, target));
            const LocalEstimate expected = exact.fitAt(Eigen::VectorXd::Constant(1, target));
            QCOMPARE(fit.statuses[0], status);
            QCOMPARE(expected.status, status);
            // The ridge leaves a single point's y: 2.5 to within the ridge's 1e-6.
            LOCALLAB_COMPARE_NEAR(fit.values(0), expected.value, 1e-5, 0.0);
            LOCALLAB_COMPARE_NEAR(fit.values(0), 2.5, 1e-5, 0.0);
        }
    }

    void bandAndNoiseVarianceMatchTheExactSmoother_data() {
        QTest::addColumn<KernelProfile>("profile");
        QTest::addColumn<int>("degree");
        QTest::addColumn<double>("h");
        QTest::newRow("Gaussian, Nadaraya-Watson") << KernelProfile::Gaussian << 0 << 0.03;
        QTest::newRow("Gaussian, local linear") << KernelProfile::Gaussian << 1 << 0.03;
        QTest::newRow("Epanechnikov, local quadratic") << KernelProfile::Epanechnikov << 2 << 0.12;
    }
    void bandAndNoiseVarianceMatchTheExactSmoother() {
        QFETCH(KernelProfile, profile);
        QFETCH(int, degree);
        QFETCH(double, h);
        const Sample sample = noisySine(2000, 29);
        const BinnedLocalRegression binned =
            binnedRegression(sample, profile, h, degree, 0, BinnedConvolution::Automatic, true);
        const LocalRegression exact = exactRegression(sample, profile, h, degree);
        SilentProgress progress;
        const NoiseVarianceEstimate exactNoise = estimateNoiseVariance(exact, progress);
        const NoiseVarianceEstimate binnedNoise = binned.noiseVariance();
        LOCALLAB_COMPARE_NEAR(binnedNoise.traceSmoother, exactNoise.traceSmoother, 1e-2, 0.0);
        LOCALLAB_COMPARE_NEAR(binnedNoise.traceSmootherSquared, exactNoise.traceSmootherSquared, 1e-2, 0.0);
        LOCALLAB_COMPARE_NEAR(binnedNoise.residualSumOfSquares, exactNoise.residualSumOfSquares, 1e-3, 0.0);
        LOCALLAB_COMPARE_NEAR(binnedNoise.variance, exactNoise.variance, 1e-3, 0.0);
        // Σ_i l_i(x)² at the nodes, and the band σ̂·sqrt(Σ l_i²) at targets between them.
        const Eigen::VectorXd nodes = binned.gridNodes();
        for (Eigen::Index m = 0; m < nodes.size(); m += 37) {
            const double expected = exact.weightsAt(Eigen::VectorXd::Constant(1, nodes(m))).sumOfSquares();
            LOCALLAB_COMPARE_NEAR(binned.nodeWeightNorms()(m), expected, 2e-2, 0.0);
        }
        const Eigen::VectorXd targets = Eigen::VectorXd::LinSpaced(333, 0.01, 0.99);
        const LocalFit expectedErrors =
            standardErrors(exact, Eigen::MatrixXd(targets), exactNoise.variance, progress);
        const LocalFit errors = binned.standardErrors(targets, exactNoise.variance);
        LOCALLAB_COMPARE_MATRIX_NEAR(errors.values, expectedErrors.values, 1e-2, 0.0);
    }

    void refusesBadInput() {
        const Sample sample = noisySine(10, 1);
        SilentProgress progress;
        BinnedLocalRegressionSettings settings;
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument,
            BinnedLocalRegression(Eigen::VectorXd(), Eigen::VectorXd(), settings, progress));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 BinnedLocalRegression(sample.x, sample.y.head(9), settings, progress));
        Eigen::VectorXd withNaN = sample.y;
        withNaN(3) = std::nan("");
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 BinnedLocalRegression(sample.x, withNaN, settings, progress));
        settings.bandwidth = 0.0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 BinnedLocalRegression(sample.x, sample.y, settings, progress));
        settings.bandwidth = 0.1;
        settings.degree = BinnedLocalRegression::maximumDegree + 1;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 BinnedLocalRegression(sample.x, sample.y, settings, progress));
        settings.degree = 1;
        settings.gridSize = 1;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 BinnedLocalRegression(sample.x, sample.y, settings, progress));
        settings.gridSize = 0;
        const BinnedLocalRegression withoutNorms(sample.x, sample.y, settings, progress);
        QVERIFY_THROWS_EXCEPTION(std::logic_error, withoutNorms.noiseVariance());
    }

    void interpolatingFitHasNoNoiseEstimate() {
        // Three points and a tiny h: every point is fitted by itself, no residual degrees of freedom remain.
        const Sample sample{Eigen::Vector3d(0.0, 0.5, 1.0), Eigen::Vector3d(1.0, 2.0, 0.5)};
        const BinnedLocalRegression binned = binnedRegression(sample, KernelProfile::Epanechnikov, 0.01, 0, 0,
                                                              BinnedConvolution::Automatic, true);
        QVERIFY_THROWS_EXCEPTION(std::domain_error, binned.noiseVariance());
    }

    void cancellationStopsTheFit() {
        const Sample sample = noisySine(1000, 2);
        SilentProgress progress;
        progress.cancel();
        BinnedLocalRegressionSettings settings;
        settings.bandwidth = 0.05;
        QVERIFY_THROWS_EXCEPTION(OperationCanceled,
                                 BinnedLocalRegression(sample.x, sample.y, settings, progress));
    }
};

QTEST_APPLESS_MAIN(TestBinnedLocalRegression)
#include "test_binned_local_regression.moc"
