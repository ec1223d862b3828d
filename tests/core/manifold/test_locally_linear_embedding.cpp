// Locally linear embedding against scikit-learn (tests/fixtures/make_manifold_fixtures.py): embeddings by
// Procrustes disparity, for every method and both eigensolvers; the standard method's weights entry by
// entry; reconstruction errors recomputed from scikit-learn's weights; progress that covers every phase
// without going back or jumping, and cancellation that stops each phase before it ends.

#include "csv_fixture.hpp"
#include "fuzzy_compare.hpp"
#include "locallab/data/generator_registry.hpp"
#include "locallab/manifold/lle_parameters.hpp"
#include "locallab/manifold/locally_linear_embedding.hpp"
#include "locallab/manifold/procrustes.hpp"

#include <QTest>
#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>

using namespace locallab;

namespace {

struct ReferenceCase {
    Eigen::MatrixXd points;
    test::CsvFixture table;
};

ReferenceCase readCase(const QString& name) {
    ReferenceCase reference{Eigen::MatrixXd(), test::readCsvFixture(test::fixturePath(
                                                   "manifold/" + name.toStdString() + ".csv"))};
    reference.points.resize(reference.table.values.rows(), 3);
    for (Eigen::Index c = 0; c < 3; ++c) {
        reference.points.col(c) =
            reference.table.values.col(reference.table.column("x" + std::to_string(c + 1)));
    }
    return reference;
}

Eigen::MatrixXd referenceEmbedding(const ReferenceCase& reference, const QString& method) {
    Eigen::MatrixXd embedding(reference.points.rows(), 2);
    for (Eigen::Index c = 0; c < 2; ++c) {
        embedding.col(c) = reference.table.values.col(
            reference.table.column(method.toStdString() + "_y" + std::to_string(c + 1)));
    }
    return embedding;
}

double referenceEigenvalueSum(const QString& name, const QString& method) {
    const test::CsvFixture sums = test::readCsvFixture(test::fixturePath("manifold/eigenvalue_sums.csv"));
    for (std::size_t row = 0; row < sums.cells.size(); ++row) {
        if (sums.cells[row][0] == name.toStdString() && sums.cells[row][1] == method.toStdString()) {
            return sums.values(static_cast<Eigen::Index>(row), sums.column("eigenvalue_sum"));
        }
    }
    throw std::out_of_range("no eigenvalue sum for " + name.toStdString());
}

// scikit-learn's barycenter weights as a map per row: neighbour → weight.
std::vector<std::map<Eigen::Index, double>> referenceWeights(const QString& name, Eigen::Index pointCount) {
    const test::CsvFixture table =
        test::readCsvFixture(test::fixturePath("manifold/" + name.toStdString() + "_weights.csv"));
    std::vector<std::map<Eigen::Index, double>> weights(static_cast<std::size_t>(pointCount));
    for (Eigen::Index row = 0; row < table.values.rows(); ++row) {
        const auto point = static_cast<std::size_t>(table.values(row, 0));
        weights[point][static_cast<Eigen::Index>(table.values(row, 1))] = table.values(row, 2);
    }
    return weights;
}

// Remembers every fraction reported, from any thread, and cancels the run once a fraction passes
// cancelAfter (never, by default).
class RecordingProgress final : public Progress {
public:
    explicit RecordingProgress(double cancelAfter = 2.0) : cancelAfter_(cancelAfter) {}
    void report(double fraction) override {
        const std::lock_guard lock(mutex_);
        fractions_.push_back(fraction);
        if (fraction > cancelAfter_ && !canceled_) {
            canceled_ = true;
            canceledAt_ = fraction;
        }
    }
    bool isCanceled() const override { return canceled_.load(); }
    std::vector<double> fractions() const {
        const std::lock_guard lock(mutex_);
        return fractions_;
    }
    double canceledAt() const { return canceledAt_; }

private:
    mutable std::mutex mutex_;
    std::vector<double> fractions_;
    double cancelAfter_;
    std::atomic<bool> canceled_{false};
    double canceledAt_ = 0.0;
};

// A Swiss roll of LocalLab's generator, large enough that every phase has many blocks to report.
Eigen::MatrixXd generatedRoll(long long samples) {
    ParameterValues values;
    values.set("samples", samples);
    values.set("noise", 0.0);
    values.set("seed", 3LL);
    return generate("swiss_roll", values).points;
}

std::size_t countBetween(const std::vector<double>& fractions, double low, double high) {
    return static_cast<std::size_t>(
        std::count_if(fractions.begin(), fractions.end(), [&](double f) { return f > low && f < high; }));
}

} // namespace

class TestLocallyLinearEmbedding : public QObject {
    Q_OBJECT

private slots:
    void matchesScikitLearnUpToRotation_data() {
        QTest::addColumn<QString>("caseName");
        QTest::addColumn<int>("neighbors");
        QTest::addColumn<QString>("method");
        QTest::addColumn<bool>("dense");
        QTest::addColumn<double>("tolerance");
        const std::vector<std::pair<QString, int>> cases{
            {"swiss_roll", 12}, {"s_curve", 12}, {"noisy_swiss_roll", 10}};
        for (const auto& [caseName, neighbors] : cases) {
            for (const QString method : {"standard", "modified", "hessian", "ltsa"}) {
                const double tolerance = method == "standard" ? 1e-6 : 1e-4;
                for (const bool dense : {true, false}) {
                    const QString row = caseName + "/" + method + (dense ? "/dense" : "/sparse");
                    QTest::newRow(qPrintable(row)) << caseName << neighbors << method << dense << tolerance;
                }
            }
        }
    }

    void matchesScikitLearnUpToRotation() {
        QFETCH(QString, caseName);
        QFETCH(int, neighbors);
        QFETCH(QString, method);
        QFETCH(bool, dense);
        QFETCH(double, tolerance);
        const ReferenceCase reference = readCase(caseName);

        LocallyLinearEmbeddingOptions options;
        options.neighbors = neighbors;
        options.components = 2;
        options.method = lleMethodFromName(method.toStdString());
        options.eigenSolver = dense ? EigenSolverChoice::Dense : EigenSolverChoice::Sparse;
        SilentProgress progress;
        const LocallyLinearEmbeddingResult result =
            locallyLinearEmbedding(reference.points, options, progress);

        QVERIFY2(result.succeeded(), result.describeProblems().c_str());
        QCOMPARE(result.usedDenseSolver, dense);
        QCOMPARE(result.embedding.rows(), reference.points.rows());
        const double disparity = procrustesDisparity(referenceEmbedding(reference, method), result.embedding);
        QVERIFY2(disparity <= tolerance, qPrintable(QString("Procrustes disparity %1").arg(disparity)));
        LOCALLAB_COMPARE_NEAR(result.eigenvalueSum, referenceEigenvalueSum(caseName, method), 1e-5, 1e-12);
    }

    void weightsMatchScikitLearn_data() {
        QTest::addColumn<QString>("caseName");
        QTest::addColumn<int>("neighbors");
        QTest::newRow("swiss roll") << "swiss_roll" << 12;
        QTest::newRow("s curve") << "s_curve" << 12;
        QTest::newRow("noisy swiss roll") << "noisy_swiss_roll" << 10;
    }

    void weightsMatchScikitLearn() {
        QFETCH(QString, caseName);
        QFETCH(int, neighbors);
        const ReferenceCase reference = readCase(caseName);
        const auto expected = referenceWeights(caseName, reference.points.rows());
        LocallyLinearEmbeddingOptions options;
        options.neighbors = neighbors;
        options.eigenSolver = EigenSolverChoice::Sparse; // the weights come before any eigensolver
        SilentProgress progress;
        const LocallyLinearEmbeddingResult result =
            locallyLinearEmbedding(reference.points, options, progress);
        QVERIFY2(result.succeeded(), result.describeProblems().c_str());

        for (Eigen::Index point = 0; point < reference.points.rows(); ++point) {
            const auto neighborList = result.neighborhoods.neighborsOf(point);
            const auto weights = result.weightsOf(point);
            const auto& expectedRow = expected[static_cast<std::size_t>(point)];
            QCOMPARE(neighborList.size(), expectedRow.size());
            double sum = 0.0;
            for (std::size_t j = 0; j < neighborList.size(); ++j) {
                const auto found = expectedRow.find(neighborList[j]);
                QVERIFY2(
                    found != expectedRow.end(),
                    qPrintable(
                        QString("point %1 has an unexpected neighbour %2").arg(point).arg(neighborList[j])));
                LOCALLAB_COMPARE_NEAR(weights[j], found->second, 1e-7, 1e-9);
                sum += weights[j];
            }
            LOCALLAB_COMPARE_NEAR(sum, 1.0, 0.0, 1e-12);
        }
    }

    // ||x_i − Σ_j W_ij x_j||² recomputed here from scikit-learn's weights, not from ours.
    void reconstructionErrorsMatchDirectComputation() {
        const ReferenceCase reference = readCase("swiss_roll");
        const auto expected = referenceWeights("swiss_roll", reference.points.rows());
        LocallyLinearEmbeddingOptions options;
        options.neighbors = 12;
        options.eigenSolver = EigenSolverChoice::Sparse;
        for (const LleMethod method : {LleMethod::Standard, LleMethod::Ltsa}) {
            options.method = method;
            SilentProgress progress;
            const LocallyLinearEmbeddingResult result =
                locallyLinearEmbedding(reference.points, options, progress);
            QVERIFY2(result.succeeded(), result.describeProblems().c_str());
            QCOMPARE(result.reconstructionErrors.size(), reference.points.rows());
            for (Eigen::Index point = 0; point < reference.points.rows(); ++point) {
                Eigen::RowVector3d rebuilt = Eigen::RowVector3d::Zero();
                for (const auto& [neighbor, weight] : expected[static_cast<std::size_t>(point)]) {
                    rebuilt += weight * reference.points.row(neighbor);
                }
                const double direct = (reference.points.row(point) - rebuilt).squaredNorm();
                LOCALLAB_COMPARE_NEAR(result.reconstructionErrors(point), direct, 1e-6, 1e-12);
            }
        }
    }

    void reportsProgressUpToOne_data() {
        QTest::addColumn<QString>("method");
        for (const QString method : {"standard", "modified", "hessian", "ltsa"}) {
            QTest::newRow(qPrintable(method)) << method;
        }
    }

    // Fractions in [0, 1] that never go back, end at 1, come from every phase (the assembly of M and
    // the eigensolver included) and never jump by more than a tenth of the bar.
    void reportsProgressUpToOne() {
        QFETCH(QString, method);
        const Eigen::MatrixXd points = generatedRoll(3000);
        LocallyLinearEmbeddingOptions options;
        options.neighbors = 12;
        options.method = lleMethodFromName(method.toStdString());
        options.eigenSolver = EigenSolverChoice::Sparse;
        RecordingProgress progress;
        const LocallyLinearEmbeddingResult result = locallyLinearEmbedding(points, options, progress);
        QVERIFY2(result.succeeded(), result.describeProblems().c_str());
        const std::vector<double> fractions = progress.fractions();
        QVERIFY(fractions.size() >= 10);
        double previous = 0.0;
        double largestStep = 0.0;
        for (const double fraction : fractions) {
            QVERIFY2(fraction >= previous && fraction <= 1.0,
                     qPrintable(QString("%1 after %2").arg(fraction).arg(previous)));
            largestStep = std::max(largestStep, fraction - previous);
            previous = fraction;
        }
        QCOMPARE(fractions.back(), 1.0);
        QVERIFY2(largestStep <= 0.1, qPrintable(QString("a step of %1").arg(largestStep)));
        const LleProgressPhases phases = lleProgressPhases;
        QVERIFY(countBetween(fractions, 0.0, phases.neighborsEnd) >= 3);
        QVERIFY(countBetween(fractions, phases.neighborsEnd, phases.localEnd) >= 3);
        QVERIFY2(countBetween(fractions, phases.localEnd, phases.assemblyEnd) >= 3,
                 "no reports while assembling M");
        QVERIFY2(countBetween(fractions, phases.assemblyEnd, 1.0) >= 3, "no reports from the eigensolver");
    }

    void stopsWithinThePhaseItWasCanceledIn_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<double>("cancelAfter");
        QTest::addColumn<double>("phaseEnd");
        // Just past a phase's start, so that the report ending the phase before does not count.
        constexpr double past = 1e-3;
        const LleProgressPhases phases = lleProgressPhases;
        for (const QString method : {"standard", "ltsa"}) {
            QTest::newRow(qPrintable(method + "/local models"))
                << method << phases.neighborsEnd + past << phases.localEnd;
            QTest::newRow(qPrintable(method + "/assembly of M"))
                << method << phases.localEnd + past << phases.assemblyEnd;
            QTest::newRow(qPrintable(method + "/eigensolver")) << method << phases.assemblyEnd + past << 1.0;
        }
    }

    // Cancelled at the first report past a phase's start, the run throws OperationCanceled before it
    // reports that phase's end: it noticed within the phase, not only once the phase was done.
    void stopsWithinThePhaseItWasCanceledIn() {
        QFETCH(QString, method);
        QFETCH(double, cancelAfter);
        QFETCH(double, phaseEnd);
        const Eigen::MatrixXd points = generatedRoll(3000);
        LocallyLinearEmbeddingOptions options;
        options.neighbors = 12;
        options.method = lleMethodFromName(method.toStdString());
        options.eigenSolver = EigenSolverChoice::Sparse;
        RecordingProgress progress(cancelAfter);
        QVERIFY_THROWS_EXCEPTION(OperationCanceled, locallyLinearEmbedding(points, options, progress));
        const std::vector<double> fractions = progress.fractions();
        QVERIFY(progress.canceledAt() > cancelAfter && progress.canceledAt() < phaseEnd);
        const double last = *std::max_element(fractions.begin(), fractions.end());
        QVERIFY2(
            last < phaseEnd,
            qPrintable(
                QString("reported %1 after being cancelled at %2").arg(last).arg(progress.canceledAt())));
    }

    void stopsWhenCanceled() {
        const ReferenceCase reference = readCase("swiss_roll");
        LocallyLinearEmbeddingOptions options;
        options.neighbors = 12;
        SilentProgress progress;
        progress.cancel();
        QVERIFY_THROWS_EXCEPTION(OperationCanceled,
                                 locallyLinearEmbedding(reference.points, options, progress));
    }
};

QTEST_APPLESS_MAIN(TestLocallyLinearEmbedding)
#include "test_locally_linear_embedding.moc"
