// Exact kernel density estimation against scikit-learn and scipy (fixtures), closed forms, numerical
// integration and finite differences.

#include "density_fixtures.hpp"
#include "fuzzy_compare.hpp"
#include "locallab/density/kernel_density.hpp"

#include <Eigen/Core>
#include <QTest>
#include <cmath>
#include <numbers>
#include <random>

using namespace locallab;

Q_DECLARE_METATYPE(locallab::KernelProfile)

namespace {

constexpr double negativeInfinity = -std::numeric_limits<double>::infinity();

Eigen::MatrixXd randomPoints(Eigen::Index count, Eigen::Index dimension, unsigned seed) {
    std::mt19937 generator(seed);
    std::normal_distribution<double> normal;
    Eigen::MatrixXd points(count, dimension);
    for (Eigen::Index row = 0; row < count; ++row) {
        for (Eigen::Index column = 0; column < dimension; ++column) {
            points(row, column) = normal(generator);
        }
    }
    return points;
}

double normalLogDensity(const Eigen::VectorXd& x, const Eigen::VectorXd& mean, double deviation) {
    const double d = static_cast<double>(x.size());
    return -0.5 * (x - mean).squaredNorm() / (deviation * deviation) - d * std::log(deviation) -
           0.5 * d * std::log(2.0 * std::numbers::pi);
}

KernelDensity densityFromFixture(const QJsonObject& fixture, KernelDensityOptions options) {
    const Eigen::MatrixXd data = test::matrixFromJson(fixture["data"]);
    const auto profile = parseKernelProfile(fixture["kernel"].toString().toStdString());
    const Bandwidth bandwidth = fixture.contains("bandwidth_matrix")
                                    ? Bandwidth::full(test::matrixFromJson(fixture["bandwidth_matrix"]))
                                    : Bandwidth::scalar(fixture["bandwidth"].toDouble());
    if (fixture.contains("weights")) {
        options.weights = test::vectorFromJson(fixture["weights"]);
    }
    if (fixture.contains("bandwidth_scales")) {
        options.bandwidthScales = test::vectorFromJson(fixture["bandwidth_scales"]);
    }
    return KernelDensity(data, RadialKernel(profile.value()), bandwidth, options);
}

} // namespace

class KernelDensityTest : public QObject {
    Q_OBJECT

private slots:
    void matchesReferenceLibraries_data();
    void matchesReferenceLibraries();
    void truncatedTailsStayWithinTolerance();
    void integratesToOne_data();
    void integratesToOne();
    void gradientMatchesFiniteDifferences_data();
    void gradientMatchesFiniteDifferences();
    void gradientOfOneGaussianIsClosedForm();
    void onePointIsANormalDensity();
    void duplicatePointsCountTwice();
    void zeroVarianceColumnIsFine();
    void tinyBandwidthKeepsLogDensityFinite();
    void tinyCompactBandwidthIsFlaggedNotNaN();
    void hugeBandwidthTendsToTheKernelPeak();
    void leaveOneOutDropsTheOwnPoint();
    void rejectsBadInput();
    void cancellationStopsEvaluation();
};

void KernelDensityTest::matchesReferenceLibraries_data() {
    QTest::addColumn<QJsonObject>("fixture");
    for (const QJsonValue& value : test::densityFixtureCases("kernel_density_references.json")) {
        const QJsonObject fixture = value.toObject();
        QTest::newRow(qPrintable(fixture["name"].toString())) << fixture;
    }
}

void KernelDensityTest::matchesReferenceLibraries() {
    QFETCH(QJsonObject, fixture);
    const KernelDensity density = densityFromFixture(fixture, {});
    const Eigen::MatrixXd targets = test::matrixFromJson(fixture["targets"]);
    const Eigen::VectorXd expected = test::vectorFromJson(fixture["log_density"]);

    const DensityValues values = density.evaluate(targets);
    QCOMPARE(values.truncationTolerance, 0.0);
    for (Eigen::Index i = 0; i < targets.rows(); ++i) {
        const bool expectedOutside = expected[i] == negativeInfinity;
        QCOMPARE(values.outsideSupport[static_cast<std::size_t>(i)], expectedOutside);
        // Log densities everywhere (−∞ compares equal only to −∞), densities where they are not tiny.
        LOCALLAB_COMPARE_NEAR(values.logDensity[i], expected[i], 1e-9, 1e-12);
        if (expected[i] > std::log(1e-200)) {
            LOCALLAB_COMPARE_NEAR(values.density[i], std::exp(expected[i]), 1e-9, 0.0);
        }
    }
    if (fixture.contains("sklearn_log_density")) {
        const Eigen::VectorXd fromScikitLearn = test::vectorFromJson(fixture["sklearn_log_density"]);
        const QJsonArray near = fixture["near"].toArray();
        for (Eigen::Index i = 0; i < targets.rows(); ++i) {
            if (near[i].toBool()) {
                LOCALLAB_COMPARE_NEAR(values.logDensity[i], fromScikitLearn[i], 1e-9, 0.0);
            }
        }
    }
}

void KernelDensityTest::truncatedTailsStayWithinTolerance() {
    const QJsonArray cases = test::densityFixtureCases("kernel_density_references.json");
    const QJsonObject fixture = cases[3].toObject(); // gaussian_2d
    QCOMPARE(fixture["name"].toString(), QStringLiteral("gaussian_2d"));
    KernelDensityOptions options;
    options.summation = KernelDensityOptions::Summation::TruncatedTails;
    options.relativeTolerance = 1e-10;
    const KernelDensity density = densityFromFixture(fixture, options);
    const Eigen::MatrixXd targets = test::matrixFromJson(fixture["targets"]);
    const Eigen::VectorXd expected = test::vectorFromJson(fixture["log_density"]);
    const DensityValues values = density.evaluate(targets);
    QCOMPARE(values.truncationTolerance, 1e-10);

    // Every dropped term is below 1e-10 of the kernel's peak, so the absolute error is at most
    // 1e-10·c_d/h^d: tiny against densities of a reasonable size, and far points may lose everything.
    const double peak = 1.0 / (2.0 * std::numbers::pi * 0.5 * 0.5);
    bool sawFlaggedFarPoint = false;
    for (Eigen::Index i = 0; i < targets.rows(); ++i) {
        QVERIFY(!std::isnan(values.logDensity[i]));
        QVERIFY(values.density[i] <= std::exp(expected[i]) * (1.0 + 1e-12));
        LOCALLAB_COMPARE_NEAR(values.density[i], std::exp(expected[i]), 0.0, 1e-10 * peak);
        sawFlaggedFarPoint = sawFlaggedFarPoint || values.outsideSupport[static_cast<std::size_t>(i)];
    }
    QVERIFY(sawFlaggedFarPoint);
}

void KernelDensityTest::integratesToOne_data() {
    QTest::addColumn<KernelProfile>("profile");
    QTest::addColumn<int>("dimension");
    for (const std::string& name : kernelProfileNames()) {
        const KernelProfile profile = parseKernelProfile(name).value();
        for (int dimension : {1, 2}) {
            if (RadialKernel(profile).isNormalizable(dimension)) {
                QTest::addRow("%s %dd", name.c_str(), dimension) << profile << dimension;
            }
        }
    }
}

void KernelDensityTest::integratesToOne() {
    QFETCH(KernelProfile, profile);
    QFETCH(int, dimension);
    const RadialKernel kernel(profile);
    const double h = 0.5;
    const Eigen::MatrixXd points = 0.3 * randomPoints(3, dimension, 7);
    const KernelDensity density(points, kernel, Bandwidth::scalar(h));

    // Midpoint rule over a box that holds all but a negligible part of the mass. The Cauchy tails
    // (1-D only) are too heavy for a box: beyond R it misses about 2h/(πR) = 1.6e-4 of the mass.
    const double reach =
        profile == KernelProfile::Cauchy ? 4000.0 * h : h * std::sqrt(kernel.supportSquared(1e-13));
    const int steps = dimension == 1 ? 100000 : 400;
    const double low = points.minCoeff() - reach;
    const double spacing = (points.maxCoeff() + reach - low) / steps;
    Eigen::MatrixXd grid(static_cast<Eigen::Index>(std::pow(steps, dimension)), dimension);
    for (Eigen::Index index = 0; index < grid.rows(); ++index) {
        Eigen::Index remaining = index;
        for (int axis = 0; axis < dimension; ++axis) {
            grid(index, axis) = low + spacing * (static_cast<double>(remaining % steps) + 0.5);
            remaining /= steps;
        }
    }
    const double integral = density.evaluate(grid).density.sum() * std::pow(spacing, dimension);
    const double tolerance = profile == KernelProfile::Cauchy ? 2e-4 : (dimension == 1 ? 1e-4 : 3e-3);
    LOCALLAB_COMPARE_NEAR(integral, 1.0, tolerance, 0.0);
}

void KernelDensityTest::gradientMatchesFiniteDifferences_data() {
    QTest::addColumn<KernelProfile>("profile");
    QTest::addColumn<int>("bandwidthForm");
    QTest::addColumn<bool>("perSample");
    for (KernelProfile profile : {KernelProfile::Gaussian, KernelProfile::Epanechnikov,
                                  KernelProfile::Biweight, KernelProfile::Triweight, KernelProfile::Tricube,
                                  KernelProfile::Cosine, KernelProfile::Laplacian}) {
        const std::string name(kernelProfileName(profile));
        QTest::addRow("%s scalar", name.c_str()) << profile << 0 << false;
        QTest::addRow("%s diagonal", name.c_str()) << profile << 1 << false;
        QTest::addRow("%s full", name.c_str()) << profile << 2 << false;
        QTest::addRow("%s full, weights and scales", name.c_str()) << profile << 2 << true;
    }
}

void KernelDensityTest::gradientMatchesFiniteDifferences() {
    QFETCH(KernelProfile, profile);
    QFETCH(int, bandwidthForm);
    QFETCH(bool, perSample);
    const Eigen::MatrixXd points = randomPoints(60, 2, 11);
    Eigen::Matrix2d matrix;
    matrix << 0.8, 0.3, 0.3, 0.5;
    const Bandwidth bandwidth = bandwidthForm == 0   ? Bandwidth::scalar(0.9)
                                : bandwidthForm == 1 ? Bandwidth::diagonal(Eigen::Vector2d(0.7, 1.2))
                                                     : Bandwidth::full(matrix);
    KernelDensityOptions options;
    if (perSample) {
        options.weights = Eigen::VectorXd::LinSpaced(points.rows(), 0.5, 2.0);
        options.bandwidthScales = Eigen::VectorXd::LinSpaced(points.rows(), 1.5, 0.6);
    }
    const KernelDensity density(points, RadialKernel(profile), bandwidth, options);
    const Eigen::MatrixXd targets = 0.8 * randomPoints(12, 2, 12);
    const Eigen::MatrixXd gradients = density.gradient(targets);

    const double step = 1e-6;
    for (Eigen::Index i = 0; i < targets.rows(); ++i) {
        for (Eigen::Index axis = 0; axis < 2; ++axis) {
            Eigen::VectorXd forward = targets.row(i).transpose();
            Eigen::VectorXd backward = forward;
            forward[axis] += step;
            backward[axis] -= step;
            const double difference =
                (density.densityAt(forward) - density.densityAt(backward)) / (2.0 * step);
            LOCALLAB_COMPARE_NEAR(gradients(i, axis), difference, 1e-5, 1e-7);
        }
    }
}

void KernelDensityTest::gradientOfOneGaussianIsClosedForm() {
    // f(x) = φ_h(x − μ), ∇f = −(x − μ)/h² · f
    const Eigen::RowVector3d mean(0.5, -1.0, 2.0);
    const double h = 0.7;
    const KernelDensity density(mean, RadialKernel(KernelProfile::Gaussian), Bandwidth::scalar(h));
    const Eigen::RowVector3d target(1.0, 0.0, 1.5);
    const double value = std::exp(normalLogDensity(target.transpose(), mean.transpose(), h));
    const Eigen::RowVector3d expected = -(target - mean) / (h * h) * value;
    LOCALLAB_COMPARE_MATRIX_NEAR(density.gradient(target), expected, 1e-12, 0.0);
}

void KernelDensityTest::onePointIsANormalDensity() {
    const Eigen::RowVector2d point(1.0, 2.0);
    const KernelDensity density(point, RadialKernel(KernelProfile::Gaussian), Bandwidth::scalar(0.3));
    const Eigen::Vector2d target(1.4, 1.7);
    LOCALLAB_COMPARE_NEAR(density.logDensityAt(target), normalLogDensity(target, point.transpose(), 0.3),
                          1e-13, 0.0);
}

void KernelDensityTest::duplicatePointsCountTwice() {
    // Two copies of a point and one other point: the copy carries two thirds of the mass.
    Eigen::MatrixXd points(3, 1);
    points << 0.0, 0.0, 3.0;
    const KernelDensity density(points, RadialKernel(KernelProfile::Gaussian), Bandwidth::scalar(0.5));
    const Eigen::VectorXd target = Eigen::VectorXd::Constant(1, 0.2);
    const double expected = (2.0 * std::exp(normalLogDensity(target, Eigen::VectorXd::Zero(1), 0.5)) +
                             std::exp(normalLogDensity(target, Eigen::VectorXd::Constant(1, 3.0), 0.5))) /
                            3.0;
    LOCALLAB_COMPARE_NEAR(density.densityAt(target), expected, 1e-13, 0.0);
}

void KernelDensityTest::zeroVarianceColumnIsFine() {
    // A constant column: with a diagonal bandwidth the density factorises into a 1-D KDE times a
    // normal density in the constant direction.
    Eigen::MatrixXd points(4, 2);
    points << 0.0, 5.0, 1.0, 5.0, 2.5, 5.0, -1.0, 5.0;
    const Eigen::Vector2d deviations(0.6, 0.2);
    const KernelDensity density(points, RadialKernel(KernelProfile::Gaussian),
                                Bandwidth::diagonal(deviations));
    const KernelDensity marginal(points.col(0), RadialKernel(KernelProfile::Gaussian),
                                 Bandwidth::scalar(deviations[0]));
    const Eigen::Vector2d target(0.3, 5.1);
    const double expected =
        marginal.densityAt(target.head(1)) *
        std::exp(normalLogDensity(target.tail(1), Eigen::VectorXd::Constant(1, 5.0), 0.2));
    LOCALLAB_COMPARE_NEAR(density.densityAt(target), expected, 1e-13, 0.0);
}

void KernelDensityTest::tinyBandwidthKeepsLogDensityFinite() {
    // Far from both points the density underflows but its log is the nearer point's Gaussian term.
    Eigen::MatrixXd points(2, 1);
    points << 0.0, 1.0;
    const double h = 1e-6;
    const KernelDensity density(points, RadialKernel(KernelProfile::Gaussian), Bandwidth::scalar(h));
    const DensityValues values = density.evaluate(Eigen::MatrixXd::Constant(1, 1, 0.4));
    QCOMPARE(values.density[0], 0.0);
    QVERIFY(!values.outsideSupport[0]);
    const double expected =
        normalLogDensity(Eigen::VectorXd::Constant(1, 0.4), Eigen::VectorXd::Zero(1), h) - std::log(2.0);
    LOCALLAB_COMPARE_NEAR(values.logDensity[0], expected, 1e-12, 0.0);
}

void KernelDensityTest::tinyCompactBandwidthIsFlaggedNotNaN() {
    const Eigen::MatrixXd points = randomPoints(20, 2, 3);
    const KernelDensity density(points, RadialKernel(KernelProfile::Epanechnikov), Bandwidth::scalar(1e-9));
    Eigen::MatrixXd targets(2, 2);
    targets.row(0) = points.row(4);                  // on a data point: the kernel's peak
    targets.row(1) = Eigen::RowVector2d(10.0, 10.0); // nothing within 1e-9
    const DensityValues values = density.evaluate(targets);
    QVERIFY(!values.outsideSupport[0]);
    LOCALLAB_COMPARE_NEAR(values.logDensity[0],
                          RadialKernel(KernelProfile::Epanechnikov).logNormalization(2) -
                              2.0 * std::log(1e-9) - std::log(20.0),
                          1e-12, 0.0);
    QVERIFY(values.outsideSupport[1]);
    QVERIFY(values.anyOutsideSupport());
    QCOMPARE(values.logDensity[1], negativeInfinity);
    QCOMPARE(values.density[1], 0.0);
    QVERIFY(density.gradient(targets).allFinite());
}

void KernelDensityTest::hugeBandwidthTendsToTheKernelPeak() {
    const Eigen::MatrixXd points = randomPoints(50, 3, 5);
    const double h = 1e8;
    for (KernelProfile profile :
         {KernelProfile::Gaussian, KernelProfile::Epanechnikov, KernelProfile::Uniform}) {
        const RadialKernel kernel(profile);
        const KernelDensity density(points, kernel, Bandwidth::scalar(h));
        LOCALLAB_COMPARE_NEAR(density.logDensityAt(Eigen::Vector3d(1.0, 2.0, 3.0)),
                              kernel.logNormalization(3) - 3.0 * std::log(h), 1e-12, 0.0);
    }
}

void KernelDensityTest::leaveOneOutDropsTheOwnPoint() {
    Eigen::MatrixXd points(3, 1);
    points << 0.0, 1.0, 4.0;
    KernelDensityOptions options;
    options.weights = Eigen::Vector3d(1.0, 2.0, 3.0);
    const KernelDensity density(points, RadialKernel(KernelProfile::Gaussian), Bandwidth::scalar(0.8),
                                options);
    SilentProgress progress;
    const Eigen::VectorXd leaveOneOut = density.leaveOneOutLogDensity(progress);
    // Point 0: the others weigh 2 and 3.
    const auto term = [](double x, double mean) {
        return std::exp(
            normalLogDensity(Eigen::VectorXd::Constant(1, x), Eigen::VectorXd::Constant(1, mean), 0.8));
    };
    LOCALLAB_COMPARE_NEAR(leaveOneOut[0], std::log((2.0 * term(0.0, 1.0) + 3.0 * term(0.0, 4.0)) / 5.0),
                          1e-13, 0.0);
    LOCALLAB_COMPARE_NEAR(leaveOneOut[2], std::log((1.0 * term(4.0, 0.0) + 2.0 * term(4.0, 1.0)) / 3.0),
                          1e-13, 0.0);
}

void KernelDensityTest::rejectsBadInput() {
    const RadialKernel gaussian(KernelProfile::Gaussian);
    const Bandwidth h = Bandwidth::scalar(1.0);
    const auto messageOf = [](const auto& action) -> std::string {
        try {
            action();
        } catch (const std::exception& error) {
            return error.what();
        }
        return {};
    };
    QVERIFY(messageOf([&] { KernelDensity(Eigen::MatrixXd(0, 2), gaussian, h); }).find("empty") !=
            std::string::npos);

    const KernelDensity density(randomPoints(5, 2, 1), gaussian, h);
    QVERIFY(messageOf([&] {
                density.evaluate(Eigen::MatrixXd::Zero(3, 3));
            }).find("the evaluation points have 3 columns but the data has 2") != std::string::npos);

    Eigen::MatrixXd withNaN = randomPoints(5, 2, 1);
    withNaN(3, 1) = std::nan("");
    QVERIFY(messageOf([&] { KernelDensity(withNaN, gaussian, h); }).find("row 4, column 2") !=
            std::string::npos);

    KernelDensityOptions shortWeights;
    shortWeights.weights = Eigen::VectorXd::Ones(4);
    QVERIFY(messageOf([&] {
                KernelDensity(randomPoints(5, 2, 1), gaussian, h, shortWeights);
            }).find("4 weights for 5 data points") != std::string::npos);

    QVERIFY_THROWS_EXCEPTION(
        std::invalid_argument,
        KernelDensity(randomPoints(5, 2, 1), gaussian, Bandwidth::diagonal(Eigen::Vector3d::Ones())));
    QVERIFY_THROWS_EXCEPTION(std::domain_error,
                             KernelDensity(randomPoints(5, 2, 1), RadialKernel(KernelProfile::Cauchy), h));
    SilentProgress progress;
    QVERIFY_THROWS_EXCEPTION(
        std::invalid_argument,
        KernelDensity(randomPoints(1, 2, 1), gaussian, h).leaveOneOutLogDensity(progress));
}

void KernelDensityTest::cancellationStopsEvaluation() {
    const KernelDensity density(randomPoints(100, 2, 1), RadialKernel(KernelProfile::Gaussian),
                                Bandwidth::scalar(1));
    SilentProgress progress;
    progress.cancel();
    QVERIFY_THROWS_EXCEPTION(OperationCanceled, density.evaluate(randomPoints(10, 2, 2), progress));
}

QTEST_APPLESS_MAIN(KernelDensityTest)
#include "test_kernel_density.moc"
