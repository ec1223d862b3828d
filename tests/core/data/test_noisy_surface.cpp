// The noisy surface generator: the surfaces have their closed-form values, noise-free data lie exactly on
// them, the points fill [−1, 1]² uniformly and the residuals have the noise's mean and spread. Statistical
// tolerances are five standard errors computed from n, as in test_generators.

#include "fuzzy_compare.hpp"
#include "locallab/data/generator_registry.hpp"
#include "locallab/data/generators.hpp"

#include <QTest>
#include <cmath>
#include <numbers>
#include <stdexcept>

using locallab::Dataset;
using locallab::SmoothSurface;

Q_DECLARE_METATYPE(locallab::SmoothSurface)

namespace {

constexpr double standardErrors = 5.0;

double sampleStandardDeviation(const Eigen::VectorXd& values) {
    const double mean = values.mean();
    return std::sqrt((values.array() - mean).square().sum() / static_cast<double>(values.size() - 1));
}

Eigen::VectorXd residuals(const Dataset& dataset, SmoothSurface surface) {
    Eigen::VectorXd residual(dataset.size());
    for (Eigen::Index row = 0; row < dataset.size(); ++row) {
        residual(row) = (*dataset.target)(row)-locallab::evaluateSmoothSurface(
            surface, dataset.points(row, 0), dataset.points(row, 1));
    }
    return residual;
}

} // namespace

class TestNoisySurface : public QObject {
    Q_OBJECT

private slots:
    void surfacesHaveTheirClosedForms_data() {
        QTest::addColumn<SmoothSurface>("surface");
        QTest::addColumn<double>("x1");
        QTest::addColumn<double>("x2");
        QTest::addColumn<double>("expected");
        QTest::newRow("bump top") << SmoothSurface::Bump << 0.0 << 0.0 << 1.0;
        // At distance 0.4, one standard deviation of the bump: e^(−1/2).
        QTest::newRow("bump at 1 sd") << SmoothSurface::Bump << 0.24 << -0.32 << std::exp(-0.5);
        QTest::newRow("saddle along x1") << SmoothSurface::Saddle << 1.0 << 0.0 << 1.0;
        QTest::newRow("saddle along x2") << SmoothSurface::Saddle << 0.0 << -1.0 << -1.0;
        QTest::newRow("saddle diagonal") << SmoothSurface::Saddle << 0.7 << 0.7 << 0.0;
        QTest::newRow("ripple centre") << SmoothSurface::Ripple << 0.0 << 0.0 << 1.0;
        QTest::newRow("ripple trough") << SmoothSurface::Ripple << 0.3 << 0.4 << -1.0;
        QTest::newRow("ripple crest") << SmoothSurface::Ripple << -0.6 << 0.8 << 1.0;
        QTest::newRow("ripple node") << SmoothSurface::Ripple << 0.25 << 0.0 << 0.0;
    }
    void surfacesHaveTheirClosedForms() {
        QFETCH(SmoothSurface, surface);
        QFETCH(double, x1);
        QFETCH(double, x2);
        QFETCH(double, expected);
        LOCALLAB_COMPARE_NEAR(locallab::evaluateSmoothSurface(surface, x1, x2), expected, 1e-15, 1e-15);
    }

    void namesRoundTrip() {
        const auto& names = locallab::smoothSurfaceNames();
        QCOMPARE(names, (std::vector<std::string>{"bump", "saddle", "ripple"}));
        for (std::size_t index = 0; index < names.size(); ++index) {
            QCOMPARE(locallab::smoothSurfaceFromName(names[index]), static_cast<SmoothSurface>(index));
        }
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, locallab::smoothSurfaceFromName("volcano"));
    }

    void noiseFreeDataLieOnTheSurface() {
        const Dataset dataset = locallab::makeNoisySurface({500, SmoothSurface::Ripple, 0.0, 3});
        QCOMPARE(dataset.size(), Eigen::Index{500});
        QCOMPARE(dataset.columnNames, (std::vector<std::string>{"x1", "x2"}));
        QCOMPARE(dataset.targetName, std::string("y"));
        QVERIFY(dataset.target.has_value());
        QVERIFY(!dataset.labels.has_value());
        QCOMPARE(residuals(dataset, SmoothSurface::Ripple).cwiseAbs().maxCoeff(), 0.0);
        QVERIFY(QString::fromStdString(dataset.origin).startsWith("noisy_surface(n=500, f=ripple"));
    }

    void pointsAreUniformInTheSquare() {
        const long long samples = 40'000;
        const Dataset dataset = locallab::makeNoisySurface({samples, SmoothSurface::Bump, 0.1, 5});
        QVERIFY(dataset.points.minCoeff() >= -1.0 && dataset.points.maxCoeff() < 1.0);
        const auto n = static_cast<double>(samples);
        for (Eigen::Index column = 0; column < 2; ++column) {
            // U[−1, 1] has mean 0 and standard deviation 1/√3.
            LOCALLAB_COMPARE_NEAR(dataset.points.col(column).mean(), 0.0, 0.0,
                                  standardErrors / std::sqrt(3.0 * n));
        }
        // The two coordinates are drawn independently: their correlation is about 0 (standard error 1/√n).
        const Eigen::VectorXd x1 = dataset.points.col(0).array() - dataset.points.col(0).mean();
        const Eigen::VectorXd x2 = dataset.points.col(1).array() - dataset.points.col(1).mean();
        LOCALLAB_COMPARE_NEAR(x1.dot(x2) / (x1.norm() * x2.norm()), 0.0, 0.0, standardErrors / std::sqrt(n));
    }

    void residualsHaveTheNoise_data() {
        QTest::addColumn<SmoothSurface>("surface");
        QTest::newRow("bump") << SmoothSurface::Bump;
        QTest::newRow("saddle") << SmoothSurface::Saddle;
        QTest::newRow("ripple") << SmoothSurface::Ripple;
    }
    void residualsHaveTheNoise() {
        QFETCH(SmoothSurface, surface);
        const long long samples = 40'000;
        const double noise = 0.3;
        const Dataset dataset = locallab::makeNoisySurface({samples, surface, noise, 11});
        const Eigen::VectorXd residual = residuals(dataset, surface);
        const auto n = static_cast<double>(samples);
        LOCALLAB_COMPARE_NEAR(residual.mean(), 0.0, 0.0, standardErrors * noise / std::sqrt(n));
        LOCALLAB_COMPARE_NEAR(sampleStandardDeviation(residual), noise, 0.0,
                              standardErrors * noise / std::sqrt(2.0 * n));
    }

    void badOptionsAreRefused() {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 locallab::makeNoisySurface({0, SmoothSurface::Bump, 0.1, 0}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 locallab::makeNoisySurface({10, SmoothSurface::Bump, -0.1, 0}));
    }

    void registryPassesParametersThrough() {
        locallab::ParameterValues values;
        values.set("samples", 77LL);
        values.set("surface", std::string("saddle"));
        values.set("noise", 0.0);
        values.set("seed", 4LL);
        const Dataset dataset = locallab::generate("noisy_surface", values);
        QCOMPARE(dataset.size(), Eigen::Index{77});
        QCOMPARE(residuals(dataset, SmoothSurface::Saddle).cwiseAbs().maxCoeff(), 0.0);
        const Dataset direct = locallab::makeNoisySurface({77, SmoothSurface::Saddle, 0.0, 4});
        QCOMPARE(dataset.points, direct.points);
        // The defaults: 400 points of the bump.
        QCOMPARE(locallab::generate("noisy_surface").size(), Eigen::Index{400});
    }
};

QTEST_APPLESS_MAIN(TestNoisySurface)
#include "test_noisy_surface.moc"
