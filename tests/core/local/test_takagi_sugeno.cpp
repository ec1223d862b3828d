// Takagi–Sugeno fuzzy inference as local models: the zero-order system over the data is Nadaraya–Watson,
// locally identified rules are local regressions at their centres (both against LocalRegression, to
// 1e-12), global identification recovers a system that generated the data; degenerate data and rules are
// refused with a message, and long loops can be cancelled.

#include "fuzzy_compare.hpp"
#include "locallab/data/random_stream.hpp"
#include "locallab/local/local_regression.hpp"
#include "locallab/local/takagi_sugeno.hpp"

#include <Eigen/Cholesky>
#include <Eigen/LU>
#include <QTest>
#include <cmath>

using namespace locallab;

Q_DECLARE_METATYPE(locallab::KernelProfile)

namespace {

struct RegressionData {
    Eigen::MatrixXd points;
    Eigen::VectorXd responses;
};

// y = sin(2 x₁) + x₂²/2 + noise on [−1, 2]², or its 1-D restriction.
RegressionData wavyData(Eigen::Index count, Eigen::Index dimensions, std::uint64_t seed) {
    RandomStream random(seed);
    RegressionData data{Eigen::MatrixXd(count, dimensions), Eigen::VectorXd(count)};
    for (Eigen::Index row = 0; row < count; ++row) {
        for (Eigen::Index column = 0; column < dimensions; ++column) {
            data.points(row, column) = random.uniform(-1.0, 2.0);
        }
        const double second = dimensions > 1 ? data.points(row, 1) : 0.0;
        data.responses(row) =
            std::sin(2.0 * data.points(row, 0)) + 0.5 * second * second + random.normal(0.0, 0.1);
    }
    return data;
}

Eigen::MatrixXd gridTargets(Eigen::Index perSide, Eigen::Index dimensions) {
    const Eigen::VectorXd axis = Eigen::VectorXd::LinSpaced(perSide, -1.5, 2.5);
    if (dimensions == 1) {
        return axis;
    }
    Eigen::MatrixXd targets(perSide * perSide, 2);
    for (Eigen::Index a = 0; a < perSide; ++a) {
        for (Eigen::Index b = 0; b < perSide; ++b) {
            targets.row(a * perSide + b) << axis(a), axis(b);
        }
    }
    return targets;
}

Bandwidth bandwidthFor(Eigen::Index dimensions, bool full) {
    if (!full) {
        return Bandwidth::scalar(0.4);
    }
    return dimensions == 1 ? Bandwidth::full(Eigen::MatrixXd::Constant(1, 1, 0.09))
                           : Bandwidth::full(Eigen::Matrix2d{{0.16, 0.05}, {0.05, 0.25}});
}

TakagiSugenoSettings settingsFor(RadialKernel kernel, Bandwidth bandwidth, RuleOrder order,
                                 ConsequentIdentification identification) {
    TakagiSugenoSettings settings;
    settings.kernel = kernel;
    settings.bandwidth = std::move(bandwidth);
    settings.order = order;
    settings.identification = identification;
    return settings;
}

LocalRegressionSettings regressionSettings(RadialKernel kernel, Bandwidth bandwidth, int degree) {
    LocalRegressionSettings settings;
    settings.kernel = kernel;
    settings.bandwidth = std::move(bandwidth);
    settings.degree = degree;
    return settings;
}

const Eigen::MatrixXd someCentres{{-0.5, 0.0}, {0.5, 1.5}, {1.5, 0.2}, {0.3, 0.6}};

} // namespace

class TestTakagiSugeno : public QObject {
    Q_OBJECT

private slots:
    void zeroOrderSystemOverTheDataIsNadarayaWatson_data() {
        QTest::addColumn<KernelProfile>("profile");
        QTest::addColumn<int>("dimensions");
        QTest::addColumn<bool>("fullBandwidth");
        for (const auto& [name, profile] : {std::pair{"gaussian", KernelProfile::Gaussian},
                                            std::pair{"epanechnikov", KernelProfile::Epanechnikov},
                                            std::pair{"cauchy", KernelProfile::Cauchy}}) {
            for (const int dimensions : {1, 2}) {
                QTest::addRow("%s, %d-D, scalar h", name, dimensions) << profile << dimensions << false;
                QTest::addRow("%s, %d-D, full H", name, dimensions) << profile << dimensions << true;
            }
        }
    }
    void zeroOrderSystemOverTheDataIsNadarayaWatson() {
        QFETCH(KernelProfile, profile);
        QFETCH(int, dimensions);
        QFETCH(bool, fullBandwidth);
        const RegressionData data = wavyData(60, dimensions, 11);
        const Bandwidth bandwidth = bandwidthFor(dimensions, fullBandwidth);
        // Rules at the data points whose consequents are the data themselves: b_r = y_r.
        const TakagiSugeno system(data.points, data.responses, Eigen::MatrixXd(), RadialKernel(profile),
                                  bandwidth);
        const LocalRegression nadarayaWatson(data.points, data.responses,
                                             regressionSettings(RadialKernel(profile), bandwidth, 0));
        const Eigen::MatrixXd targets = gridTargets(dimensions == 1 ? 200 : 25, dimensions);
        SilentProgress progress;
        const TakagiSugenoEvaluation fuzzy = system.evaluate(targets, progress);
        const LocalFit expected = nadarayaWatson.fit(targets, progress);
        QVERIFY(fuzzy.statuses == expected.statuses);
        LOCALLAB_COMPARE_MATRIX_NEAR(fuzzy.values, expected.values, 1e-12, 1e-12);
        if (profile == KernelProfile::Epanechnikov) {
            QVERIFY(expected.count(LocalFitStatus::NoSupport) > 0); // the corners are out of reach
        }
    }

    void zeroOrderLocalRulesAreNadarayaWatsonAtTheirCentres() {
        const RegressionData data = wavyData(80, 2, 12);
        const RadialKernel kernel(KernelProfile::Gaussian);
        const Bandwidth bandwidth = Bandwidth::scalar(0.5);
        SilentProgress progress;
        const TakagiSugeno system = TakagiSugeno::identify(
            someCentres, data.points, data.responses,
            settingsFor(kernel, bandwidth, RuleOrder::Zero, ConsequentIdentification::Local), progress);
        QCOMPARE(system.order(), RuleOrder::Zero);
        const LocalRegression nadarayaWatson(data.points, data.responses,
                                             regressionSettings(kernel, bandwidth, 0));
        for (Eigen::Index rule = 0; rule < someCentres.rows(); ++rule) {
            LOCALLAB_COMPARE_NEAR(system.intercepts()(rule),
                                  nadarayaWatson.fitAt(someCentres.row(rule).transpose()).value, 1e-12,
                                  1e-12);
        }
        // ŷ(x) = Σ_r w_r(x) b_r with w_r = μ_r / Σ_s μ_s, μ_r = exp(−||x − c_r||²/(2h²)), by hand.
        const Eigen::MatrixXd targets = gridTargets(9, 2);
        const TakagiSugenoEvaluation evaluation = system.evaluate(targets, progress);
        for (Eigen::Index row = 0; row < targets.rows(); ++row) {
            Eigen::VectorXd memberships(someCentres.rows());
            for (Eigen::Index rule = 0; rule < someCentres.rows(); ++rule) {
                memberships(rule) =
                    std::exp(-(targets.row(row) - someCentres.row(rule)).squaredNorm() / (2 * 0.25));
            }
            const Eigen::VectorXd strengths = memberships / memberships.sum();
            LOCALLAB_COMPARE_MATRIX_NEAR(evaluation.firingStrengths.row(row).transpose(), strengths, 1e-12,
                                         1e-15);
            LOCALLAB_COMPARE_NEAR(evaluation.values(row), strengths.dot(system.intercepts()), 1e-12, 1e-12);
            LOCALLAB_COMPARE_MATRIX_NEAR(evaluation.ruleOutputs.row(row).transpose(), system.intercepts(),
                                         0.0, 0.0);
        }
    }

    void firstOrderLocalRulesAreLocalLinearFitsAtTheirCentres_data() {
        QTest::addColumn<int>("dimensions");
        QTest::addColumn<bool>("fullBandwidth");
        QTest::newRow("1-D") << 1 << false;
        QTest::newRow("2-D, scalar h") << 2 << false;
        QTest::newRow("2-D, full H") << 2 << true;
    }
    void firstOrderLocalRulesAreLocalLinearFitsAtTheirCentres() {
        QFETCH(int, dimensions);
        QFETCH(bool, fullBandwidth);
        const RegressionData data = wavyData(70, dimensions, 13);
        const RadialKernel kernel(KernelProfile::Gaussian);
        const Bandwidth bandwidth = bandwidthFor(dimensions, fullBandwidth);
        const Eigen::MatrixXd centres = someCentres.leftCols(dimensions);
        SilentProgress progress;
        const TakagiSugeno system = TakagiSugeno::identify(
            centres, data.points, data.responses,
            settingsFor(kernel, bandwidth, RuleOrder::First, ConsequentIdentification::Local), progress);
        QCOMPARE(system.order(), RuleOrder::First);
        const LocalRegression localLinear(data.points, data.responses,
                                          regressionSettings(kernel, bandwidth, 1));
        const Eigen::MatrixXd inverse = bandwidth.matrix(dimensions).inverse();
        for (Eigen::Index rule = 0; rule < centres.rows(); ++rule) {
            const Eigen::VectorXd centre = centres.row(rule).transpose();
            const LocalEstimate expected = localLinear.fitAt(centre);
            QCOMPARE(expected.status, LocalFitStatus::Fitted);
            LOCALLAB_COMPARE_NEAR(system.intercepts()(rule), expected.value, 1e-12, 1e-12);
            // The slope by hand: normal equations of the weighted least squares on [1, x − c].
            Eigen::MatrixXd normal = Eigen::MatrixXd::Zero(dimensions + 1, dimensions + 1);
            Eigen::VectorXd moments = Eigen::VectorXd::Zero(dimensions + 1);
            for (Eigen::Index row = 0; row < data.points.rows(); ++row) {
                Eigen::VectorXd regressors(dimensions + 1);
                regressors << 1.0, data.points.row(row).transpose() - centre;
                const Eigen::VectorXd difference = regressors.tail(dimensions);
                const double weight = std::exp(-0.5 * difference.dot(inverse * difference));
                normal += weight * regressors * regressors.transpose();
                moments += weight * data.responses(row) * regressors;
            }
            const Eigen::VectorXd coefficients = normal.ldlt().solve(moments);
            LOCALLAB_COMPARE_MATRIX_NEAR(system.slopes().row(rule).transpose(), coefficients.tail(dimensions),
                                         1e-9, 1e-10);
        }
    }

    void aSingleRuleIsItsOwnLocalLine() {
        const RegressionData data = wavyData(50, 1, 14);
        const RadialKernel kernel(KernelProfile::Tricube);
        const Bandwidth bandwidth = Bandwidth::scalar(0.8);
        const Eigen::MatrixXd centre = Eigen::MatrixXd::Constant(1, 1, 0.4);
        SilentProgress progress;
        const TakagiSugeno system = TakagiSugeno::identify(
            centre, data.points, data.responses,
            settingsFor(kernel, bandwidth, RuleOrder::First, ConsequentIdentification::Local), progress);
        const LocalRegression localLinear(data.points, data.responses,
                                          regressionSettings(kernel, bandwidth, 1));
        LOCALLAB_COMPARE_NEAR(system.evaluateAt(Eigen::VectorXd::Constant(1, 0.4)).value,
                              localLinear.fitAt(Eigen::VectorXd::Constant(1, 0.4)).value, 1e-12, 1e-12);
        // With one rule the firing strength is 1 wherever the rule reaches: the output is its line.
        const double slope = system.slopes()(0, 0);
        const double intercept = system.intercepts()(0);
        for (const double x : {-0.2, 0.4, 1.1}) {
            LOCALLAB_COMPARE_NEAR(system.evaluateAt(Eigen::VectorXd::Constant(1, x)).value,
                                  intercept + slope * (x - 0.4), 1e-14, 1e-14);
        }
        QCOMPARE(system.evaluateAt(Eigen::VectorXd::Constant(1, 1.3)).status, LocalFitStatus::NoSupport);
    }

    void globalIdentificationRecoversTheSystemThatMadeTheData_data() {
        QTest::addColumn<bool>("firstOrder");
        QTest::newRow("zero order") << false;
        QTest::newRow("first order") << true;
    }
    void globalIdentificationRecoversTheSystemThatMadeTheData() {
        QFETCH(bool, firstOrder);
        const RadialKernel kernel(KernelProfile::Gaussian);
        const Bandwidth bandwidth = Bandwidth::scalar(0.6);
        const Eigen::Vector4d intercepts(1.0, -2.0, 0.5, 3.0);
        const Eigen::MatrixXd slopes = firstOrder
                                           ? Eigen::MatrixXd{{1.0, 0.0}, {-1.0, 2.0}, {0.5, 0.5}, {0.0, -3.0}}
                                           : Eigen::MatrixXd();
        const TakagiSugeno truth(someCentres, intercepts, slopes, kernel, bandwidth);
        const Eigen::MatrixXd points = wavyData(100, 2, 15).points;
        SilentProgress progress;
        const Eigen::VectorXd responses = truth.evaluate(points, progress).values; // noiseless
        const TakagiSugeno fitted = TakagiSugeno::identify(
            someCentres, points, responses,
            settingsFor(kernel, bandwidth, firstOrder ? RuleOrder::First : RuleOrder::Zero,
                        ConsequentIdentification::Global),
            progress);
        LOCALLAB_COMPARE_MATRIX_NEAR(fitted.intercepts(), intercepts, 1e-9, 1e-9);
        if (firstOrder) {
            LOCALLAB_COMPARE_MATRIX_NEAR(fitted.slopes(), slopes, 1e-9, 1e-9);
        }
    }

    void globalIdentificationFitsTheDataAtLeastAsWellAsLocal() {
        const RegressionData data = wavyData(120, 2, 16);
        const RadialKernel kernel(KernelProfile::Gaussian);
        const Bandwidth bandwidth = Bandwidth::scalar(0.5);
        SilentProgress progress;
        double residuals[2] = {0.0, 0.0};
        int index = 0;
        for (const auto identification :
             {ConsequentIdentification::Global, ConsequentIdentification::Local}) {
            const TakagiSugeno system = TakagiSugeno::identify(
                someCentres, data.points, data.responses,
                settingsFor(kernel, bandwidth, RuleOrder::First, identification), progress);
            residuals[index++] =
                (system.evaluate(data.points, progress).values - data.responses).squaredNorm();
        }
        QVERIFY2(residuals[0] < residuals[1],
                 qPrintable(QString("global %1, local %2").arg(residuals[0]).arg(residuals[1])));
    }

    void firingStrengthsAndMemberships() {
        const Eigen::MatrixXd centres = Eigen::Vector2d(0.0, 1.0);
        const TakagiSugeno system(centres, Eigen::Vector2d(-1.0, 4.0), Eigen::MatrixXd::Constant(2, 1, 2.0),
                                  RadialKernel(KernelProfile::Gaussian), Bandwidth::scalar(0.1));
        const Eigen::MatrixXd memberships = system.memberships(Eigen::Vector2d(0.05, 100.0));
        LOCALLAB_COMPARE_NEAR(memberships(0, 0), std::exp(-0.125), 1e-15, 0.0);
        LOCALLAB_COMPARE_NEAR(memberships(0, 1), std::exp(-0.5 * 0.95 * 0.95 / 0.01), 1e-13, 0.0);
        QCOMPARE(memberships(1, 0), 0.0); // underflows: what a picture shows
        // Far beyond the second rule every membership underflows, yet the output is that rule's line.
        SilentProgress progress;
        const TakagiSugenoEvaluation evaluation = system.evaluate(Eigen::Vector2d(0.05, 100.0), progress);
        QCOMPARE(evaluation.statuses[1], LocalFitStatus::Fitted);
        QCOMPARE(evaluation.firingStrengths(1, 0), 0.0);
        QCOMPARE(evaluation.firingStrengths(1, 1), 1.0);
        LOCALLAB_COMPARE_NEAR(evaluation.values(1), 4.0 + 2.0 * 99.0, 1e-15, 0.0);
        LOCALLAB_COMPARE_NEAR(evaluation.firingStrengths.row(0).sum(), 1.0, 1e-15, 0.0);
    }

    void targetsNoRuleReachesAreFlagged() {
        const TakagiSugeno system(Eigen::Vector2d(0.0, 1.0), Eigen::Vector2d(1.0, 2.0), Eigen::MatrixXd(),
                                  RadialKernel(KernelProfile::Epanechnikov), Bandwidth::scalar(0.8));
        SilentProgress progress;
        const TakagiSugenoEvaluation evaluation = system.evaluate(Eigen::Vector2d(0.5, 3.0), progress);
        QCOMPARE(evaluation.statuses[0], LocalFitStatus::Fitted);
        LOCALLAB_COMPARE_NEAR(evaluation.values(0), 1.5, 1e-15, 0.0);
        QCOMPARE(evaluation.statuses[1], LocalFitStatus::NoSupport);
        QCOMPARE(evaluation.values(1), 0.0);
        QCOMPARE(evaluation.firingStrengths.row(1).sum(), 0.0);
        QCOMPARE(evaluation.fit().count(LocalFitStatus::NoSupport), Eigen::Index{1});
    }

    void undeterminedConsequentsAreRefusedWithAMessage_data() {
        QTest::addColumn<QString>("problem");
        QTest::addColumn<QString>("expectedWords");
        QTest::newRow("identical points, local lines") << "identical local"
                                                       << "affinely independent";
        QTest::newRow("identical points, global fit") << "identical global"
                                                      << "global identification";
        QTest::newRow("points on a line in 2-D") << "collinear local"
                                                 << "affinely independent";
        QTest::newRow("more rules than distinct points") << "too many rules"
                                                         << "global identification";
        QTest::newRow("identical centres") << "identical centres"
                                           << "same centre";
        QTest::newRow("a rule out of the data's reach") << "out of reach"
                                                        << "no data point within its support";
    }
    void undeterminedConsequentsAreRefusedWithAMessage() {
        QFETCH(QString, problem);
        QFETCH(QString, expectedWords);
        Eigen::MatrixXd points = Eigen::MatrixXd::Constant(10, 2, 0.5);
        Eigen::MatrixXd centres = someCentres;
        auto settings = settingsFor(RadialKernel(KernelProfile::Gaussian), Bandwidth::scalar(0.5),
                                    RuleOrder::First, ConsequentIdentification::Local);
        if (problem.endsWith("global") || problem == "too many rules" || problem == "identical centres") {
            settings.identification = ConsequentIdentification::Global;
        }
        if (problem == "collinear local") {
            points.col(0) = Eigen::VectorXd::LinSpaced(10, 0.0, 1.0);
            points.col(1) = 2.0 * points.col(0);
        }
        if (problem == "too many rules") { // 3 distinct points, 4 zero-order rules
            settings.order = RuleOrder::Zero;
            points = Eigen::MatrixXd{{0.0, 0.0}, {1.0, 0.0}, {0.0, 1.0}, {1.0, 0.0}, {0.0, 0.0}};
        }
        if (problem == "identical centres") {
            points = wavyData(50, 2, 17).points;
            centres.row(2) = centres.row(0);
        }
        if (problem == "out of reach") {
            points = wavyData(50, 2, 18).points;
            settings.kernel = RadialKernel(KernelProfile::Biweight);
            settings.bandwidth = Bandwidth::scalar(1.0);
            settings.order = RuleOrder::Zero;
            centres.row(1) << 10.0, 10.0;
        }
        const Eigen::VectorXd responses = points.col(0) + points.col(1);
        SilentProgress progress;
        try {
            TakagiSugeno::identify(centres, points, responses, settings, progress);
            QFAIL("no exception");
        } catch (const std::invalid_argument& error) {
            QVERIFY2(QString(error.what()).contains(expectedWords), error.what());
        }
    }

    void cancellationStopsIdentificationAndEvaluation() {
        const RegressionData data = wavyData(200, 2, 19);
        SilentProgress canceled;
        canceled.cancel();
        for (const auto identification :
             {ConsequentIdentification::Global, ConsequentIdentification::Local}) {
            QVERIFY_THROWS_EXCEPTION(
                OperationCanceled,
                TakagiSugeno::identify(someCentres, data.points, data.responses,
                                       settingsFor(RadialKernel(KernelProfile::Gaussian),
                                                   Bandwidth::scalar(0.5), RuleOrder::First, identification),
                                       canceled));
        }
        const TakagiSugeno system(someCentres, Eigen::Vector4d::Zero(), Eigen::MatrixXd(),
                                  RadialKernel(KernelProfile::Gaussian), Bandwidth::scalar(0.5));
        QVERIFY_THROWS_EXCEPTION(OperationCanceled, system.evaluate(gridTargets(50, 2), canceled));
    }

    void inconsistentRulesAreRefused() {
        const RadialKernel kernel(KernelProfile::Gaussian);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 TakagiSugeno(someCentres, Eigen::Vector3d::Zero(), Eigen::MatrixXd(), kernel,
                                              Bandwidth::scalar(1.0)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 TakagiSugeno(someCentres, Eigen::Vector4d::Zero(),
                                              Eigen::MatrixXd::Zero(4, 3), kernel, Bandwidth::scalar(1.0)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 TakagiSugeno(someCentres, Eigen::Vector4d::Zero(), Eigen::MatrixXd(), kernel,
                                              Bandwidth::diagonal(Eigen::Vector3d::Ones())));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 TakagiSugeno(Eigen::MatrixXd(0, 2), Eigen::VectorXd(), Eigen::MatrixXd(),
                                              kernel, Bandwidth::scalar(1.0)));
    }
};

QTEST_APPLESS_MAIN(TestTakagiSugeno)
#include "test_takagi_sugeno.moc"
