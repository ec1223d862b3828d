// locallab-cli lle end to end: embeddings of the scikit-learn fixtures (tests/fixtures/manifold) compared
// by Procrustes disparity, the output's shape, and exit codes 2 (usage) and 3 (no embedding possible);
// --radius, which replaces --neighbors: a radius that is not positive, or both flags, are usage errors.

#include "cli_process.hpp"
#include "csv_fixture.hpp"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

namespace {

using Run = locallab::test::CliRun;

using locallab::test::runCli;

using Configuration = std::vector<std::array<double, 2>>;

// scipy.spatial.procrustes's disparity for two-column configurations: after centring and scaling both
// to unit norm it is 1 − (σ₁ + σ₂)², σ the singular values of firstᵀ·second, and for a 2 × 2 matrix
// (σ₁ + σ₂)² = ||M||²_F + 2|det M|.
double procrustesDisparity(Configuration first, Configuration second) {
    const auto standardize = [](Configuration& points) {
        std::array<double, 2> mean{0.0, 0.0};
        for (const auto& point : points) {
            mean[0] += point[0] / static_cast<double>(points.size());
            mean[1] += point[1] / static_cast<double>(points.size());
        }
        double squaredNorm = 0.0;
        for (auto& point : points) {
            point[0] -= mean[0];
            point[1] -= mean[1];
            squaredNorm += point[0] * point[0] + point[1] * point[1];
        }
        for (auto& point : points) {
            point[0] /= std::sqrt(squaredNorm);
            point[1] /= std::sqrt(squaredNorm);
        }
    };
    standardize(first);
    standardize(second);
    double cross[2][2] = {{0.0, 0.0}, {0.0, 0.0}};
    for (std::size_t i = 0; i < first.size(); ++i) {
        for (int r = 0; r < 2; ++r) {
            for (int c = 0; c < 2; ++c) {
                cross[r][c] += first[i][static_cast<std::size_t>(r)] * second[i][static_cast<std::size_t>(c)];
            }
        }
    }
    const double frobenius = cross[0][0] * cross[0][0] + cross[0][1] * cross[0][1] +
                             cross[1][0] * cross[1][0] + cross[1][1] * cross[1][1];
    const double determinant = cross[0][0] * cross[1][1] - cross[0][1] * cross[1][0];
    return 1.0 - (frobenius + 2.0 * std::abs(determinant));
}

Configuration columnsOf(const locallab::test::CsvFixture& table, const std::string& first,
                        const std::string& second) {
    Configuration points;
    for (Eigen::Index row = 0; row < table.values.rows(); ++row) {
        points.push_back({table.values(row, table.column(first)), table.values(row, table.column(second))});
    }
    return points;
}

QString writeText(const QTemporaryDir& directory, const QString& name, const QByteArray& content) {
    const QString path = directory.filePath(name);
    QFile file(path);
    if (file.open(QIODevice::WriteOnly)) {
        file.write(content);
    }
    return path;
}

QString fixture(const QString& name) {
    return QString::fromStdString(locallab::test::fixturePath("manifold/" + name.toStdString() + ".csv"));
}

} // namespace

class TestCliLle : public QObject {
    Q_OBJECT

private slots:
    void matchesScikitLearn_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("solver");
        QTest::addColumn<double>("tolerance");
        for (const QString method : {"standard", "modified", "hessian", "ltsa"}) {
            QTest::newRow(qPrintable(method)) << method << "dense" << (method == "standard" ? 1e-6 : 1e-4);
        }
        QTest::newRow("standard sparse") << "standard"
                                         << "sparse" << 1e-6;
    }

    void matchesScikitLearn() {
        QFETCH(QString, method);
        QFETCH(QString, solver);
        QFETCH(double, tolerance);
        const QTemporaryDir directory;
        const QString output = directory.filePath("embedding.csv");
        const Run run = runCli({"lle", "--input", fixture("noisy_swiss_roll"), "--columns", "x1,x2,x3",
                                "--neighbors", "10", "--components", "2", "--method", method,
                                "--eigen-solver", solver, "--output", output});
        QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
        const auto reference = locallab::test::readCsvFixture(fixture("noisy_swiss_roll").toStdString());
        const auto embedding = locallab::test::readCsvFixture(output.toStdString());
        QCOMPARE(embedding.header, (std::vector<std::string>{"y1", "y2"}));
        QCOMPARE(embedding.values.rows(), reference.values.rows());
        const std::string prefix = method.toStdString();
        const double disparity = procrustesDisparity(columnsOf(reference, prefix + "_y1", prefix + "_y2"),
                                                     columnsOf(embedding, "y1", "y2"));
        QVERIFY2(disparity <= tolerance, qPrintable(QString("Procrustes disparity %1").arg(disparity)));
    }

    void writesOneColumnPerComponentToStandardOutput() {
        const Run run = runCli({"lle", "--input", fixture("noisy_swiss_roll"), "--columns", "x1,x2,x3",
                                "--neighbors", "10", "--components", "3"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
        const QStringList lines = run.output.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 151);
        QCOMPARE(lines.front(), QString("y1,y2,y3"));
        QCOMPARE(lines.back().split(',').size(), 3);
    }

    void disconnectedGraphIsBadData() {
        const QTemporaryDir directory;
        QByteArray content = "a,b\n";
        for (int i = 0; i < 20; ++i) {
            const double t = i * 0.1;
            content += QByteArray::number(t) + "," + QByteArray::number(t * t) + "\n";
            content += QByteArray::number(500 + t) + "," + QByteArray::number(t * t) + "\n";
        }
        const QString path = writeText(directory, "two_clusters.csv", content);
        const Run run = runCli({"lle", "--input", path, "--neighbors", "3", "--components", "1"});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.errors.contains("2 separate pieces"), qPrintable(run.errors));
        QVERIFY2(run.errors.contains("two_clusters.csv"), qPrintable(run.errors));
        QVERIFY(run.output.isEmpty());
    }

    void tooFewNeighborsForHessianIsBadData() {
        const Run run = runCli({"lle", "--input", fixture("noisy_swiss_roll"), "--columns", "x1,x2,x3",
                                "--neighbors", "5", "--method", "hessian"});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.errors.contains("Hessian") && run.errors.contains("more than d(d+3)/2 = 5"),
                 qPrintable(run.errors));
    }

    void radiusNeighbourhoodsEmbed() {
        // A radius wide enough that every point of the fixture has neighbours and the graph holds
        // together: one row of coordinates per point.
        const Run run = runCli({"lle", "--input", fixture("noisy_swiss_roll"), "--columns", "x1,x2,x3",
                                "--radius", "6", "--components", "2"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
        QCOMPARE(run.output.split('\n', Qt::SkipEmptyParts).size(), 151);
    }

    void radiusMustBePositive_data() {
        QTest::addColumn<QString>("radius");
        QTest::newRow("zero") << "0";
        QTest::newRow("negative") << "-1.5";
        QTest::newRow("not a number") << "wide";
    }

    void radiusMustBePositive() {
        QFETCH(QString, radius);
        const Run run = runCli(
            {"lle", "--input", fixture("noisy_swiss_roll"), "--columns", "x1,x2,x3", "--radius=" + radius});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.errors.contains("--radius"), qPrintable(run.errors));
        QVERIFY(run.output.isEmpty());
    }

    void radiusAndNeighborsTogetherAreUsageError() {
        const Run run = runCli({"lle", "--input", fixture("noisy_swiss_roll"), "--columns", "x1,x2,x3",
                                "--radius", "6", "--neighbors", "10"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.errors.contains("--radius") && run.errors.contains("--neighbors"),
                 qPrintable(run.errors));
    }

    void helpSaysRadiusReplacesNeighbors() {
        const Run run = runCli({"lle", "--help"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.output.contains("replaces --neighbors"), qPrintable(run.output));
    }

    void unknownMethodIsUsageError() {
        const Run run = runCli({"lle", "--input", fixture("noisy_swiss_roll"), "--method", "isomap"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.errors.contains("method"), qPrintable(run.errors));
    }
};

QTEST_APPLESS_MAIN(TestCliLle)
#include "test_cli_lle.moc"
