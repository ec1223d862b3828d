// Radial kernels checked against mathematics computed here, independently of the implementation:
// normalising constants against numerical integration, shadows against finite differences.

#include "fuzzy_compare.hpp"
#include "locallab/kernel/radial_kernel.hpp"

#include <QTest>
#include <cmath>
#include <functional>
#include <limits>
#include <numbers>
#include <stdexcept>

using locallab::KernelProfile;
using locallab::RadialKernel;

Q_DECLARE_METATYPE(KernelProfile)

namespace {

constexpr double pi = std::numbers::pi;

// Adaptive Simpson quadrature with Richardson correction.
double simpson(const std::function<double(double)>& f, double a, double b, double fa, double fm, double fb,
               double whole, double tolerance, int depth) {
    const double m = 0.5 * (a + b);
    const double leftMiddle = f(0.5 * (a + m));
    const double rightMiddle = f(0.5 * (m + b));
    const double left = (m - a) / 6.0 * (fa + 4.0 * leftMiddle + fm);
    const double right = (b - m) / 6.0 * (fm + 4.0 * rightMiddle + fb);
    if (depth <= 0 || std::abs(left + right - whole) <= 15.0 * tolerance) {
        return left + right + (left + right - whole) / 15.0;
    }
    return simpson(f, a, m, fa, leftMiddle, fm, left, 0.5 * tolerance, depth - 1) +
           simpson(f, m, b, fm, rightMiddle, fb, right, 0.5 * tolerance, depth - 1);
}

double integrate(const std::function<double(double)>& f, double a, double b, double absoluteTolerance) {
    const double fa = f(a);
    const double fm = f(0.5 * (a + b));
    const double fb = f(b);
    return simpson(f, a, b, fa, fm, fb, (b - a) / 6.0 * (fa + 4.0 * fm + fb), absoluteTolerance, 40);
}

// ∫ₐᵇ f to about 1e−13 relative, in pieces so that the quadrature sees every peak; the size of the
// integral, which sets the absolute tolerance, comes from a fine trapezoidal sum first.
double integrateRelative(const std::function<double(double)>& f, double a, double b) {
    const int samples = 20000;
    double roughSize = 0.0;
    for (int i = 0; i <= samples; ++i) {
        roughSize += std::abs(f(a + (b - a) * i / samples)) * (i == 0 || i == samples ? 0.5 : 1.0);
    }
    roughSize *= (b - a) / samples;
    const int pieces = 40;
    double total = 0.0;
    for (int piece = 0; piece < pieces; ++piece) {
        total += integrate(f, a + (b - a) * piece / pieces, a + (b - a) * (piece + 1) / pieces,
                           1e-13 * roughSize / pieces);
    }
    return total;
}

// Surface area of the unit sphere in ℝ^d from its recurrence S_{d} = 2π/(d − 2)·S_{d−2} (S for the
// sphere in ℝ^d), starting from S in ℝ¹ = 2 and in ℝ² = 2π, so that no Gamma function is involved.
double unitSphereArea(int dimension) {
    double area = dimension % 2 == 1 ? 2.0 : 2.0 * pi;
    for (int d = dimension % 2 == 1 ? 3 : 4; d <= dimension; d += 2) {
        area *= 2.0 * pi / (d - 2);
    }
    return area;
}

// ∫₀^∞ r^{d−1} k(r²) dr, in pieces so that the quadrature sees the peak of r^{d−1}k(r²). Compact
// profiles end at r = 1; the Gaussian and Laplacian tails beyond r = 40 and r = 900 are below 1e−300
// of the integral; the Cauchy tail is mapped onto a finite interval by r = t/(1 − t).
double radialMoment(const RadialKernel& kernel, int dimension) {
    const auto integrand = [&](double r) { return std::pow(r, dimension - 1) * kernel.value(r * r); };
    const auto integrateUpTo = [&](double end) { return integrateRelative(integrand, 0.0, end); };
    switch (kernel.profile()) {
    case KernelProfile::Gaussian:
        return integrateUpTo(40.0);
    case KernelProfile::Laplacian:
        return integrateUpTo(900.0);
    case KernelProfile::Cauchy: // d = 1 only: 1/(1 + r²) dr = dt/((1 − t)² + t²)
        return integrateRelative([](double t) { return 1.0 / ((1.0 - t) * (1.0 - t) + t * t); }, 0.0, 1.0);
    default:
        return integrateUpTo(1.0);
    }
}

void addProfileRows() {
    for (int index = 0; index < static_cast<int>(locallab::kernelProfileNames().size()); ++index) {
        const auto profile = static_cast<KernelProfile>(index);
        QTest::newRow(locallab::kernelProfileNames()[static_cast<std::size_t>(index)].c_str()) << profile;
    }
}

} // namespace

class RadialKernelTest : public QObject {
    Q_OBJECT

private slots:
    void normalizationIntegratesToOne_data() {
        QTest::addColumn<KernelProfile>("profile");
        QTest::addColumn<int>("dimension");
        for (int index = 0; index < static_cast<int>(locallab::kernelProfileNames().size()); ++index) {
            const auto profile = static_cast<KernelProfile>(index);
            for (const int dimension : {1, 2, 3, 12, 20}) {
                if (profile == KernelProfile::Cauchy && dimension > 1) {
                    continue;
                }
                const QByteArray name =
                    QByteArray(locallab::kernelProfileNames()[static_cast<std::size_t>(index)].c_str()) +
                    " d=" + QByteArray::number(dimension);
                QTest::newRow(name.constData()) << profile << dimension;
            }
        }
    }
    void normalizationIntegratesToOne() {
        QFETCH(KernelProfile, profile);
        QFETCH(int, dimension);
        const RadialKernel kernel(profile);
        QVERIFY(kernel.isNormalizable(dimension));
        const double integral =
            kernel.normalization(dimension) * unitSphereArea(dimension) * radialMoment(kernel, dimension);
        LOCALLAB_COMPARE_NEAR(integral, 1.0, 1e-9, 0.0);
        LOCALLAB_COMPARE_NEAR(kernel.logNormalization(dimension), std::log(kernel.normalization(dimension)),
                              1e-13, 1e-13);
    }

    void normalizationMatchesTextbookConstants_data() {
        QTest::addColumn<KernelProfile>("profile");
        QTest::addColumn<int>("dimension");
        QTest::addColumn<double>("expected");
        QTest::newRow("gaussian d=1") << KernelProfile::Gaussian << 1 << 1.0 / std::sqrt(2.0 * pi);
        QTest::newRow("gaussian d=3") << KernelProfile::Gaussian << 3 << std::pow(2.0 * pi, -1.5);
        QTest::newRow("epanechnikov d=1") << KernelProfile::Epanechnikov << 1 << 0.75;
        QTest::newRow("epanechnikov d=2") << KernelProfile::Epanechnikov << 2 << 2.0 / pi;
        QTest::newRow("uniform d=1") << KernelProfile::Uniform << 1 << 0.5;
        QTest::newRow("uniform d=2") << KernelProfile::Uniform << 2 << 1.0 / pi;
        QTest::newRow("uniform d=3") << KernelProfile::Uniform << 3 << 3.0 / (4.0 * pi);
        QTest::newRow("triangular d=1") << KernelProfile::Triangular << 1 << 1.0;
        QTest::newRow("biweight d=1") << KernelProfile::Biweight << 1 << 15.0 / 16.0;
        QTest::newRow("triweight d=1") << KernelProfile::Triweight << 1 << 35.0 / 32.0;
        QTest::newRow("tricube d=1") << KernelProfile::Tricube << 1 << 70.0 / 81.0;
        QTest::newRow("cosine d=1") << KernelProfile::Cosine << 1 << pi / 4.0;
        QTest::newRow("laplacian d=1") << KernelProfile::Laplacian << 1 << 0.5;
        QTest::newRow("cauchy d=1") << KernelProfile::Cauchy << 1 << 1.0 / pi;
    }
    void normalizationMatchesTextbookConstants() {
        QFETCH(KernelProfile, profile);
        QFETCH(int, dimension);
        QFETCH(double, expected);
        LOCALLAB_COMPARE_NEAR(RadialKernel(profile).normalization(dimension), expected, 1e-13, 0.0);
    }

    void cauchyIsNotNormalizableAboveOneDimension_data() {
        QTest::addColumn<int>("dimension");
        QTest::newRow("d=2") << 2;
        QTest::newRow("d=3") << 3;
    }
    void cauchyIsNotNormalizableAboveOneDimension() {
        QFETCH(int, dimension);
        const RadialKernel kernel(KernelProfile::Cauchy);
        QVERIFY(!kernel.isNormalizable(dimension));
        try {
            kernel.normalization(dimension);
            QFAIL("normalization() should have thrown");
        } catch (const std::domain_error& error) {
            const QString message = QString::fromUtf8(error.what());
            QVERIFY2(message.contains("cauchy") &&
                         message.contains(QString::number(dimension) + " dimensions"),
                     error.what());
        }
    }

    void valueIsOneAtTheCentre_data() {
        QTest::addColumn<KernelProfile>("profile");
        addProfileRows();
    }
    void valueIsOneAtTheCentre() {
        QFETCH(KernelProfile, profile);
        QCOMPARE(RadialKernel(profile).value(0.0), 1.0);
    }

    void logValueIsLogOfValue_data() {
        QTest::addColumn<KernelProfile>("profile");
        addProfileRows();
    }
    void logValueIsLogOfValue() {
        QFETCH(KernelProfile, profile);
        const RadialKernel kernel(profile);
        for (const double u : {0.0, 0.01, 0.3, 0.5, 0.99, 1.0, 1.5, 4.0, 30.0}) {
            const double value = kernel.value(u);
            if (value > 0.0) {
                LOCALLAB_COMPARE_NEAR(kernel.logValue(u), std::log(value), 1e-12, 1e-12);
            } else {
                QCOMPARE(kernel.logValue(u), -std::numeric_limits<double>::infinity());
            }
        }
    }

    void logValueSurvivesUnderflow_data() {
        QTest::addColumn<KernelProfile>("profile");
        QTest::addColumn<double>("u");
        QTest::addColumn<double>("expected");
        QTest::newRow("gaussian") << KernelProfile::Gaussian << 4000.0 << -2000.0;
        QTest::newRow("laplacian") << KernelProfile::Laplacian << 1e6 << -1000.0;
    }
    void logValueSurvivesUnderflow() {
        QFETCH(KernelProfile, profile);
        QFETCH(double, u);
        QFETCH(double, expected);
        const RadialKernel kernel(profile);
        QCOMPARE(kernel.value(u), 0.0);
        LOCALLAB_COMPARE_NEAR(kernel.logValue(u), expected, 1e-15, 0.0);
    }

    void shadowIsMinusTheDerivative_data() {
        QTest::addColumn<KernelProfile>("profile");
        addProfileRows();
    }
    void shadowIsMinusTheDerivative() {
        QFETCH(KernelProfile, profile);
        if (profile == KernelProfile::Uniform) {
            QSKIP("the uniform profile's shadow is a convention (itself), checked separately");
        }
        const RadialKernel kernel(profile);
        for (const double u : {0.05, 0.2, 0.5, 0.8, 0.95, 1.7, 6.0}) {
            const double step = 1e-5 * u;
            const double derivative = (kernel.value(u + step) - kernel.value(u - step)) / (2.0 * step);
            LOCALLAB_COMPARE_NEAR(kernel.shadow(u), -derivative, 1e-7, 1e-9);
        }
        if (kernel.isCompact()) {
            QCOMPARE(kernel.shadow(1.5), 0.0);
        }
    }

    void shadowOfTheUniformProfileIsItself() {
        const RadialKernel kernel(KernelProfile::Uniform);
        for (const double u : {0.0, 0.5, 1.0, 1.0000001, 3.0}) {
            QCOMPARE(kernel.shadow(u), kernel.value(u));
        }
    }

    void shadowsOfTheClassicPairs() {
        // Gaussian → Gaussian (scaled by 1/2), Epanechnikov → flat
        const RadialKernel gaussian(KernelProfile::Gaussian);
        const RadialKernel epanechnikov(KernelProfile::Epanechnikov);
        for (const double u : {0.0, 0.4, 0.9, 2.5}) {
            LOCALLAB_COMPARE_NEAR(gaussian.shadow(u), 0.5 * gaussian.value(u), 1e-15, 0.0);
            QCOMPARE(epanechnikov.shadow(u), u < 1.0 ? 1.0 : 0.0);
        }
    }

    void supportSquaredMarksTheTolerance_data() {
        QTest::addColumn<KernelProfile>("profile");
        addProfileRows();
    }
    void supportSquaredMarksTheTolerance() {
        QFETCH(KernelProfile, profile);
        const RadialKernel kernel(profile);
        for (const double tolerance : {1e-3, 1e-8, 1e-16}) {
            const double boundary = kernel.supportSquared(tolerance);
            if (kernel.isCompact()) {
                QCOMPARE(boundary, 1.0);
                QCOMPARE(kernel.value(std::nextafter(1.0, 2.0)), 0.0);
            } else {
                LOCALLAB_COMPARE_NEAR(kernel.value(boundary), tolerance * kernel.value(0.0), 1e-10, 0.0);
                QVERIFY(kernel.value(1.01 * boundary) < tolerance);
            }
        }
    }

    void compactProfilesVanishOutsideTheUnitBall_data() {
        QTest::addColumn<KernelProfile>("profile");
        addProfileRows();
    }
    void compactProfilesVanishOutsideTheUnitBall() {
        QFETCH(KernelProfile, profile);
        const RadialKernel kernel(profile);
        const bool expectedCompact = profile != KernelProfile::Gaussian &&
                                     profile != KernelProfile::Laplacian && profile != KernelProfile::Cauchy;
        QCOMPARE(kernel.isCompact(), expectedCompact);
        QCOMPARE(kernel.value(1.2) == 0.0, expectedCompact);
        QVERIFY(kernel.value(0.99) > 0.0);
    }

    void namesParse_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<KernelProfile>("expected");
        QTest::newRow("flat") << "flat" << KernelProfile::Uniform;
        QTest::newRow("tophat") << "tophat" << KernelProfile::Uniform;
        QTest::newRow("upper-case alias") << "TopHat" << KernelProfile::Uniform;
        QTest::newRow("uniform") << "uniform" << KernelProfile::Uniform;
        QTest::newRow("mixed case") << "Epanechnikov" << KernelProfile::Epanechnikov;
        QTest::newRow("cauchy") << "cauchy" << KernelProfile::Cauchy;
    }
    void namesParse() {
        QFETCH(QString, text);
        QFETCH(KernelProfile, expected);
        const auto parsed = locallab::parseKernelProfile(text.toStdString());
        QVERIFY(parsed.has_value());
        QCOMPARE(*parsed, expected);
    }

    void everyCanonicalNameRoundTrips() {
        for (const std::string& name : locallab::kernelProfileNames()) {
            const auto parsed = locallab::parseKernelProfile(name);
            QVERIFY2(parsed.has_value(), name.c_str());
            QCOMPARE(std::string(locallab::kernelProfileName(*parsed)), name);
            QCOMPARE(std::string(RadialKernel(*parsed).name()), name);
        }
    }

    void unknownNamesAreRejected() {
        QVERIFY(!locallab::parseKernelProfile("gauss").has_value());
        QVERIFY(!locallab::parseKernelProfile("").has_value());
        QVERIFY(!locallab::parseKernelProfile("flat ").has_value());
    }
};

QTEST_APPLESS_MAIN(RadialKernelTest)
#include "test_radial_kernel.moc"
