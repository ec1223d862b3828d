// Generators: the same seed gives the same data, another seed other data, noise-free shapes lie exactly
// on their curves, and sample statistics match the distributions. Statistical tolerances are five
// standard errors computed from n (a false alarm about once in two million checks), not tuned values;
// the seeds are fixed, so a run is reproducible either way.

#include "fuzzy_compare.hpp"
#include "locallab/data/generator_registry.hpp"
#include "locallab/data/generators.hpp"
#include "locallab/data/random_stream.hpp"

#include <QTest>
#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <stdexcept>

using locallab::Dataset;

namespace {

constexpr double pi = std::numbers::pi;
constexpr double standardErrors = 5.0;

double sampleStandardDeviation(const Eigen::VectorXd& values) {
    const double mean = values.mean();
    return std::sqrt((values.array() - mean).square().sum() / static_cast<double>(values.size() - 1));
}

// The rows of `points` whose label is `label`.
Eigen::MatrixXd rowsWithLabel(const Dataset& dataset, int label) {
    std::vector<Eigen::Index> rows;
    for (Eigen::Index row = 0; row < dataset.size(); ++row) {
        if ((*dataset.labels)(row) == label) {
            rows.push_back(row);
        }
    }
    Eigen::MatrixXd selected(static_cast<Eigen::Index>(rows.size()), dataset.dimension());
    for (std::size_t index = 0; index < rows.size(); ++index) {
        selected.row(static_cast<Eigen::Index>(index)) = dataset.points.row(rows[index]);
    }
    return selected;
}

double standardNormalDistribution(double x) {
    return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

} // namespace

class TestGenerators : public QObject {
    Q_OBJECT

private slots:
    void sameSeedSameDataOtherSeedOtherData_data() {
        QTest::addColumn<QString>("generator");
        for (const auto& description : locallab::generatorDescriptions()) {
            QTest::newRow(description.name.c_str()) << QString::fromStdString(description.name);
        }
    }
    void sameSeedSameDataOtherSeedOtherData() {
        QFETCH(QString, generator);
        const std::string name = generator.toStdString();
        locallab::ParameterValues seven;
        seven.set("seed", 7LL);
        locallab::ParameterValues eight;
        eight.set("seed", 8LL);
        // Circles without noise are the same for every seed up to the shuffle; noise makes them differ.
        if (name == "circles" || name == "swiss_roll" || name == "s_curve") {
            seven.set("noise", 0.1);
            eight.set("noise", 0.1);
        }
        const Dataset first = locallab::generate(name, seven);
        const Dataset again = locallab::generate(name, seven);
        const Dataset other = locallab::generate(name, eight);
        QVERIFY(first.size() > 0);
        QCOMPARE(first.points, again.points);
        QCOMPARE(first.labels, again.labels);
        QCOMPARE(first.target, again.target);
        QVERIFY(first.points != other.points);
        QCOMPARE(static_cast<std::size_t>(first.dimension()), first.columnNames.size());
        QVERIFY(QString::fromStdString(first.origin).startsWith(generator + "(n="));
        QVERIFY(QString::fromStdString(first.origin).contains("seed=7"));
    }

    void normalNumbersFollowTheStandardNormal() {
        locallab::RandomStream random(2024);
        const int count = 100'000;
        std::vector<double> values(count);
        for (double& value : values) {
            value = random.normal();
        }
        std::sort(values.begin(), values.end());
        // Kolmogorov–Smirnov statistic against Φ; 1.95/√n is its 0.1 % critical value.
        double largestGap = 0.0;
        for (int index = 0; index < count; ++index) {
            const double cdf = standardNormalDistribution(values[static_cast<std::size_t>(index)]);
            largestGap = std::max({largestGap, std::abs(cdf - static_cast<double>(index) / count),
                                   std::abs(cdf - static_cast<double>(index + 1) / count)});
        }
        QVERIFY2(largestGap < 1.95 / std::sqrt(count), qPrintable(QString::number(largestGap)));
    }

    void permutationsArePermutations() {
        locallab::RandomStream random(3);
        std::vector<std::size_t> order = random.permutation(1000);
        QVERIFY(!std::is_sorted(order.begin(), order.end()));
        std::sort(order.begin(), order.end());
        std::vector<std::size_t> expected(1000);
        std::iota(expected.begin(), expected.end(), std::size_t{0});
        QCOMPARE(order, expected);
    }

    void blobsHaveTheirCentresAndSpreads() {
        locallab::BlobsOptions options;
        options.samples = 30'000;
        options.clusters = 3;
        options.centers = (Eigen::MatrixXd(3, 2) << -5, 0, 0, 5, 4, -3).finished();
        options.clusterStandardDeviations = {0.5, 1.0, 2.0};
        options.seed = 11;
        const Dataset dataset = locallab::makeBlobs(options);
        QCOMPARE(dataset.size(), Eigen::Index{30'000});
        QCOMPARE(dataset.columnNames, (std::vector<std::string>{"x", "y"}));
        for (int cluster = 0; cluster < 3; ++cluster) {
            const Eigen::MatrixXd members = rowsWithLabel(dataset, cluster);
            const auto size = static_cast<double>(members.rows());
            QCOMPARE(members.rows(), Eigen::Index{10'000});
            const double spread = options.clusterStandardDeviations[static_cast<std::size_t>(cluster)];
            for (Eigen::Index column = 0; column < 2; ++column) {
                LOCALLAB_COMPARE_NEAR(members.col(column).mean(), options.centers(cluster, column), 0.0,
                                      standardErrors * spread / std::sqrt(size));
                // The sample standard deviation of normal data has standard error σ/√(2(m − 1)).
                LOCALLAB_COMPARE_NEAR(sampleStandardDeviation(members.col(column)), spread, 0.0,
                                      standardErrors * spread / std::sqrt(2.0 * (size - 1.0)));
            }
        }
    }

    void blobSamplesAreSharedOutLikeScikitLearn() {
        locallab::BlobsOptions options;
        options.samples = 10;
        options.clusters = 3;
        const Dataset dataset = locallab::makeBlobs(options);
        QCOMPARE(rowsWithLabel(dataset, 0).rows(), Eigen::Index{4});
        QCOMPARE(rowsWithLabel(dataset, 1).rows(), Eigen::Index{3});
        QCOMPARE(rowsWithLabel(dataset, 2).rows(), Eigen::Index{3});
        // Random centres lie in the centre box.
        QVERIFY(dataset.points.cwiseAbs().maxCoeff() < options.centerBoxHalfWidth + 8.0);
    }

    void anisotropicBlobsAreTransformed() {
        locallab::AnisotropicBlobsOptions options;
        options.blobs.samples = 20'000;
        options.blobs.clusters = 2;
        options.blobs.centers = (Eigen::MatrixXd(2, 2) << 0, 0, 10, 10).finished();
        options.blobs.seed = 5;
        const Dataset dataset = locallab::makeAnisotropicBlobs(options);
        const Eigen::MatrixXd& map = options.transformation;
        for (int cluster = 0; cluster < 2; ++cluster) {
            const Eigen::MatrixXd members = rowsWithLabel(dataset, cluster);
            const Eigen::RowVectorXd expectedMean = options.blobs.centers.row(cluster) * map;
            for (Eigen::Index column = 0; column < 2; ++column) {
                // A column of x·T has standard deviation σ‖T(:, column)‖.
                const double spread = map.col(column).norm();
                LOCALLAB_COMPARE_NEAR(members.col(column).mean(), expectedMean(column), 0.0,
                                      standardErrors * spread /
                                          std::sqrt(static_cast<double>(members.rows())));
            }
        }
    }

    void moonsLieOnTheirHalfCircles_data() {
        QTest::addColumn<int>("samples");
        QTest::newRow("even") << 400;
        QTest::newRow("odd") << 401;
    }
    void moonsLieOnTheirHalfCircles() {
        QFETCH(int, samples);
        const Dataset dataset = locallab::makeMoons({samples, 0.0, 9});
        const Eigen::MatrixXd upper = rowsWithLabel(dataset, 0);
        const Eigen::MatrixXd lower = rowsWithLabel(dataset, 1);
        QCOMPARE(upper.rows(), Eigen::Index{samples / 2});
        QCOMPARE(lower.rows(), Eigen::Index{samples - samples / 2});
        for (Eigen::Index row = 0; row < upper.rows(); ++row) {
            LOCALLAB_COMPARE_NEAR(upper.row(row).norm(), 1.0, 0.0, 1e-12);
            QVERIFY(upper(row, 1) >= -1e-12);
        }
        for (Eigen::Index row = 0; row < lower.rows(); ++row) {
            LOCALLAB_COMPARE_NEAR(std::hypot(lower(row, 0) - 1.0, lower(row, 1) - 0.5), 1.0, 0.0, 1e-12);
            QVERIFY(lower(row, 1) <= 0.5 + 1e-12);
        }
    }

    void moonNoiseHasItsStandardDeviation() {
        // Noise-free and noisy moons with the same seed share the shuffle only if the noise draws come
        // first; they do not, so compare the distance to the curve instead: for small noise σ the
        // radial residual of the upper moon is close to normal with standard deviation σ.
        const double noise = 0.01;
        const Dataset dataset = locallab::makeMoons({20'000, noise, 4});
        const Eigen::MatrixXd upper = rowsWithLabel(dataset, 0);
        Eigen::VectorXd residual(upper.rows());
        for (Eigen::Index row = 0; row < upper.rows(); ++row) {
            residual(row) = upper.row(row).norm() - 1.0;
        }
        const auto size = static_cast<double>(residual.size());
        LOCALLAB_COMPARE_NEAR(residual.mean(), 0.0, 0.0,
                              standardErrors * noise / std::sqrt(size) + noise * noise);
        LOCALLAB_COMPARE_NEAR(sampleStandardDeviation(residual), noise, 0.0,
                              standardErrors * noise / std::sqrt(2.0 * size) + noise * noise);
    }

    void circlesHaveTheirRadii() {
        const Dataset dataset = locallab::makeCircles({300, 0.3, 0.0, 1});
        const Eigen::MatrixXd outer = rowsWithLabel(dataset, 0);
        const Eigen::MatrixXd inner = rowsWithLabel(dataset, 1);
        QCOMPARE(outer.rows(), Eigen::Index{150});
        QCOMPARE(inner.rows(), Eigen::Index{150});
        LOCALLAB_COMPARE_MATRIX_NEAR(outer.rowwise().norm(), Eigen::VectorXd::Ones(150), 0.0, 1e-12);
        LOCALLAB_COMPARE_MATRIX_NEAR(inner.rowwise().norm(), Eigen::VectorXd::Constant(150, 0.3), 0.0, 1e-12);
    }

    void swissRollFollowsItsParameterisation() {
        const int samples = 20'000;
        const Dataset dataset = locallab::makeSwissRoll({samples, 0.0, 21});
        QCOMPARE(dataset.dimension(), Eigen::Index{3});
        QVERIFY(dataset.latent.has_value());
        const Eigen::VectorXd& t = *dataset.latent;
        QVERIFY(t.minCoeff() >= 1.5 * pi);
        QVERIFY(t.maxCoeff() < 4.5 * pi);
        for (Eigen::Index row = 0; row < samples; ++row) {
            LOCALLAB_COMPARE_NEAR(dataset.points(row, 0), t(row) * std::cos(t(row)), 0.0, 1e-12);
            LOCALLAB_COMPARE_NEAR(dataset.points(row, 2), t(row) * std::sin(t(row)), 0.0, 1e-12);
        }
        QVERIFY(dataset.points.col(1).minCoeff() >= 0.0 && dataset.points.col(1).maxCoeff() < 21.0);
        // t is uniform on an interval of width 3π: mean 3π, standard deviation 3π/√12.
        LOCALLAB_COMPARE_NEAR(t.mean(), 3.0 * pi, 0.0, standardErrors * 3.0 * pi / std::sqrt(12.0 * samples));
    }

    void sCurveFollowsItsParameterisation() {
        const int samples = 5'000;
        const Dataset dataset = locallab::makeSCurve({samples, 0.0, 2});
        const Eigen::VectorXd& t = *dataset.latent;
        QVERIFY(t.minCoeff() >= -1.5 * pi && t.maxCoeff() < 1.5 * pi);
        for (Eigen::Index row = 0; row < samples; ++row) {
            LOCALLAB_COMPARE_NEAR(dataset.points(row, 0), std::sin(t(row)), 0.0, 1e-12);
            const double sign = t(row) > 0 ? 1.0 : -1.0;
            LOCALLAB_COMPARE_NEAR(dataset.points(row, 2), sign * (std::cos(t(row)) - 1.0), 0.0, 1e-12);
        }
        QVERIFY(dataset.points.col(1).minCoeff() >= 0.0 && dataset.points.col(1).maxCoeff() < 2.0);
    }

    void helixFollowsItsParameterisation() {
        const int samples = 20'000;
        const Dataset dataset = locallab::makeHelix({samples, 0.0, 4});
        QCOMPARE(dataset.dimension(), Eigen::Index{3});
        QVERIFY(dataset.latent.has_value());
        const Eigen::VectorXd& t = *dataset.latent;
        QVERIFY(t.minCoeff() >= 0.0 && t.maxCoeff() < 4.0 * pi);
        for (Eigen::Index row = 0; row < samples; ++row) {
            LOCALLAB_COMPARE_NEAR(dataset.points(row, 0), std::cos(t(row)), 0.0, 1e-12);
            LOCALLAB_COMPARE_NEAR(dataset.points(row, 1), std::sin(t(row)), 0.0, 1e-12);
            LOCALLAB_COMPARE_NEAR(dataset.points(row, 2), t(row) / (2.0 * pi), 0.0, 1e-12);
        }
        // t is uniform on [0, 4π): mean 2π, standard deviation 4π/√12.
        LOCALLAB_COMPARE_NEAR(t.mean(), 2.0 * pi, 0.0, standardErrors * 4.0 * pi / std::sqrt(12.0 * samples));
    }

    void sphereWithoutCapIsUniformBelowTheCap_data() {
        QTest::addColumn<double>("capDegrees");
        QTest::newRow("60 degrees") << 60.0;
        QTest::newRow("120 degrees") << 120.0;
    }

    void sphereWithoutCapIsUniformBelowTheCap() {
        QFETCH(double, capDegrees);
        const int samples = 20'000;
        locallab::SphereWithoutCapOptions options;
        options.samples = samples;
        options.capDegrees = capDegrees;
        options.seed = 8;
        const Dataset dataset = locallab::makeSphereWithoutCap(options);
        const Eigen::VectorXd& polarAngle = *dataset.latent;
        const double highest = std::cos(capDegrees * pi / 180.0);
        LOCALLAB_COMPARE_MATRIX_NEAR(dataset.points.rowwise().norm(), Eigen::VectorXd::Ones(samples), 0.0,
                                     1e-12);
        for (Eigen::Index row = 0; row < samples; ++row) {
            QVERIFY(dataset.points(row, 2) <= highest + 1e-12);
            LOCALLAB_COMPARE_NEAR(polarAngle(row), std::acos(dataset.points(row, 2)), 0.0, 1e-12);
        }
        // Uniform by area: the height is uniform on [−1, cos cap] (Archimedes), and every azimuth alike.
        const double width = 1.0 + highest;
        const Eigen::VectorXd height = dataset.points.col(2);
        LOCALLAB_COMPARE_NEAR(height.mean(), 0.5 * (highest - 1.0), 0.0,
                              standardErrors * width / std::sqrt(12.0 * samples));
        LOCALLAB_COMPARE_NEAR(sampleStandardDeviation(height), width / std::sqrt(12.0), 0.02, 0.0);
        const Eigen::VectorXd azimuth = dataset.points.col(1).binaryExpr(
            dataset.points.col(0), [](double y, double x) { return std::atan2(y, x); });
        LOCALLAB_COMPARE_NEAR(azimuth.mean(), 0.0, 0.0,
                              standardErrors * 2.0 * pi / std::sqrt(12.0 * samples));
    }

    void sphereWithoutCapRefusesAnImpossibleCap() {
        locallab::SphereWithoutCapOptions options;
        options.capDegrees = 180.0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, locallab::makeSphereWithoutCap(options));
    }

    void noisyFunctionResidualsHaveTheNoise() {
        locallab::NoisyFunctionOptions options;
        options.samples = 40'000;
        options.function = locallab::SmoothFunction::Doppler;
        options.lower = -2.0;
        options.upper = 3.0;
        options.noise = 0.3;
        options.seed = 13;
        const Dataset dataset = locallab::makeNoisyFunction(options);
        QVERIFY(dataset.target.has_value());
        QCOMPARE(dataset.columnNames, (std::vector<std::string>{"x"}));
        QCOMPARE(dataset.targetName, std::string("y"));
        Eigen::VectorXd residual(options.samples);
        for (Eigen::Index row = 0; row < options.samples; ++row) {
            const double u = (dataset.points(row, 0) - options.lower) / (options.upper - options.lower);
            residual(row) = (*dataset.target)(row)-locallab::evaluateSmoothFunction(options.function, u);
        }
        QVERIFY(dataset.points.minCoeff() >= options.lower && dataset.points.maxCoeff() < options.upper);
        const auto size = static_cast<double>(options.samples);
        LOCALLAB_COMPARE_NEAR(residual.mean(), 0.0, 0.0, standardErrors * options.noise / std::sqrt(size));
        LOCALLAB_COMPARE_NEAR(sampleStandardDeviation(residual), options.noise, 1e-9,
                              standardErrors * options.noise / std::sqrt(2.0 * size));
    }

    void heteroscedasticNoiseGrowsWithX() {
        locallab::NoisyFunctionOptions options;
        options.samples = 100'000;
        options.noise = 0.1;
        options.heteroscedasticity = 4.0;
        options.seed = 17;
        const Dataset dataset = locallab::makeNoisyFunction(options);
        // In the band a ≤ u < b the noise variance averages s²((1 + hb)³ − (1 + ha)³)/(3h(b − a)).
        const auto expectedSpread = [&](double a, double b) {
            const double h = options.heteroscedasticity;
            return options.noise *
                   std::sqrt((std::pow(1 + h * b, 3) - std::pow(1 + h * a, 3)) / (3 * h * (b - a)));
        };
        for (const auto& [a, b] : {std::pair{0.0, 0.1}, std::pair{0.9, 1.0}}) {
            std::vector<double> residuals;
            for (Eigen::Index row = 0; row < dataset.size(); ++row) {
                const double u = dataset.points(row, 0);
                if (u >= a && u < b) {
                    residuals.push_back((*dataset.target)(row)-std::sin(2 * pi * u));
                }
            }
            const Eigen::VectorXd band =
                Eigen::Map<Eigen::VectorXd>(residuals.data(), Eigen::Index(residuals.size()));
            const double expected = expectedSpread(a, b);
            // The residuals mix normals of slightly different σ; the standard error below is that of a
            // normal sample, which the mixture's kurtosis changes by well under a percent here.
            LOCALLAB_COMPARE_NEAR(sampleStandardDeviation(band), expected, 0.0,
                                  standardErrors * expected /
                                      std::sqrt(2.0 * static_cast<double>(band.size())));
        }
    }

    void uniformBoxFillsTheBox() {
        const locallab::UniformBoxOptions options{50'000, 3, -2.0, 5.0, 3};
        const Dataset dataset = locallab::makeUniformBox(options);
        QCOMPARE(dataset.columnNames, (std::vector<std::string>{"x", "y", "z"}));
        QVERIFY(dataset.points.minCoeff() >= -2.0 && dataset.points.maxCoeff() < 5.0);
        const double width = 7.0;
        for (Eigen::Index column = 0; column < 3; ++column) {
            LOCALLAB_COMPARE_NEAR(dataset.points.col(column).mean(), 1.5, 0.0,
                                  standardErrors * width / std::sqrt(12.0 * options.samples));
        }
    }

    void registryDescribesEveryGenerator() {
        const auto& descriptions = locallab::generatorDescriptions();
        // Each generator is listed once; other generators may join the list.
        for (const char* name :
             {"blobs", "anisotropic_blobs", "varied_blobs", "two_moons", "circles", "swiss_roll", "s_curve",
              "helix", "sphere_without_cap", "noisy_function", "uniform_box"}) {
            QVERIFY2(std::count_if(descriptions.begin(), descriptions.end(),
                                   [&](const auto& description) { return description.name == name; }) == 1,
                     name);
        }
        for (const auto& description : descriptions) {
            QVERIFY(locallab::findParameter(description.parameters, "samples") != nullptr);
            QVERIFY(locallab::findParameter(description.parameters, "seed") != nullptr);
            QCOMPARE(locallab::findGenerator(description.name), &description);
            const Dataset dataset = locallab::generate(description.name);
            QCOMPARE(static_cast<double>(dataset.size()),
                     locallab::findParameter(description.parameters, "samples")->defaultValue);
        }
        QVERIFY(locallab::findGenerator("no_such_generator") == nullptr);
    }

    void registryPassesParametersThrough() {
        locallab::ParameterValues values;
        values.set("samples", 123LL);
        values.set("function", std::string("step"));
        values.set("noise", 0.0);
        const Dataset dataset = locallab::generate("noisy_function", values);
        QCOMPARE(dataset.size(), Eigen::Index{123});
        for (Eigen::Index row = 0; row < dataset.size(); ++row) {
            QCOMPARE((*dataset.target)(row), dataset.points(row, 0) < 0.5 ? -0.5 : 0.5);
        }
    }

    void registryRefusesBadRequests_data() {
        QTest::addColumn<QString>("generator");
        QTest::addColumn<QString>("parameter");
        QTest::addColumn<QString>("problem");
        QTest::newRow("unknown generator") << "spiral"
                                           << ""
                                           << "no generator named 'spiral'";
        QTest::newRow("unknown parameter") << "two_moons"
                                           << "radius"
                                           << "has no parameter 'radius'";
        QTest::newRow("out of range") << "circles"
                                      << "factor"
                                      << "factor must be between";
    }
    void registryRefusesBadRequests() {
        QFETCH(QString, generator);
        QFETCH(QString, parameter);
        QFETCH(QString, problem);
        locallab::ParameterValues values;
        if (!parameter.isEmpty()) {
            values.set(parameter.toStdString(), 5.0);
        }
        try {
            locallab::generate(generator.toStdString(), values);
            QFAIL("the request was accepted");
        } catch (const std::invalid_argument& error) {
            QVERIFY2(QString(error.what()).contains(problem), error.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestGenerators)
#include "test_generators.moc"
