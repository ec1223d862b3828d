// locallab-cli regress end to end: fitted values against statsmodels (the fixtures of
// tests/fixtures/local, read here as the command's own input files), exact reproduction of a quadratic,
// cross-validation, and the exit codes 2 (usage) and 3 (bad data).

#include "cli_process.hpp"
#include "fuzzy_compare.hpp"

#include <Eigen/Core>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <vector>

namespace {

using Run = locallab::test::CliRun;

Run runCli(QStringList arguments) {
    arguments.prepend("regress");
    return locallab::test::runCli(arguments);
}

QString fixture(const QString& name) {
    return QStringLiteral(LOCALLAB_FIXTURE_DIR) + "/local/" + name;
}

// One named column of a CSV text with a header row; empty fields become NaN.
std::vector<double> csvColumn(const QString& text, const QString& name) {
    QStringList lines = text.split('\n', Qt::SkipEmptyParts);
    if (lines.isEmpty()) {
        return {};
    }
    const qsizetype index = lines.takeFirst().split(',').indexOf(name);
    std::vector<double> values;
    if (index < 0) {
        return values;
    }
    for (const QString& line : lines) {
        const QStringList fields = line.split(',');
        values.push_back(fields.value(index).isEmpty() ? std::nan("") : fields.value(index).toDouble());
    }
    return values;
}

std::vector<double> fileColumn(const QString& path, const QString& name) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return csvColumn(QString::fromUtf8(file.readAll()), name);
}

Eigen::VectorXd asVector(const std::vector<double>& values) {
    return Eigen::Map<const Eigen::VectorXd>(values.data(), static_cast<Eigen::Index>(values.size()));
}

QString writeText(const QTemporaryDir& directory, const QString& name, const QByteArray& content) {
    const QString path = directory.filePath(name);
    QFile file(path);
    if (file.open(QIODevice::WriteOnly)) {
        file.write(content);
    }
    return path;
}

} // namespace

class TestCliRegress : public QObject {
    Q_OBJECT

private slots:
    void kernelRegressionMatchesStatsmodels_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("bandwidth");
        QTest::addColumn<QString>("fixtureColumn");
        QTest::newRow("nw") << "nw"
                            << "0.1"
                            << "lc_h0.1";
        QTest::newRow("local-linear") << "local-linear"
                                      << "0.03"
                                      << "ll_h0.03";
        QTest::newRow("local-poly of degree 1") << "local-poly"
                                                << "0.1"
                                                << "ll_h0.1";
    }
    void kernelRegressionMatchesStatsmodels() {
        QFETCH(QString, method);
        QFETCH(QString, bandwidth);
        QFETCH(QString, fixtureColumn);
        const QString targets = fixture("kernel_regression_1d_fit.csv");
        const Run run = runCli({"--input", fixture("kernel_regression_1d_data.csv"), "--x", "x", "--y", "y",
                                "--method", method, "--degree", "1", "--kernel", "gaussian", "--bandwidth",
                                bandwidth, "--eval", targets});
        QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
        QVERIFY(run.output.startsWith("x,yhat\n"));
        LOCALLAB_COMPARE_MATRIX_NEAR(asVector(csvColumn(run.output, "yhat")),
                                     asVector(fileColumn(targets, fixtureColumn)), 1e-8, 1e-10);
    }

    void lowessMatchesStatsmodels_data() {
        QTest::addColumn<bool>("atOtherPoints");
        QTest::newRow("at the data points, in input order") << false;
        QTest::newRow("at other points") << true;
    }
    void lowessMatchesStatsmodels() {
        QFETCH(bool, atOtherPoints);
        QStringList arguments{"--input",      fixture("lowess_data.csv"),
                              "--x",          "x",
                              "--y",          "y",
                              "--method",     "lowess",
                              "--frac",       "0.3",
                              "--iterations", "3"};
        const QString reference = fixture(atOtherPoints ? "lowess_eval.csv" : "lowess_fit.csv");
        if (atOtherPoints) {
            arguments << "--eval" << reference;
        }
        const Run run = runCli(arguments);
        QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
        LOCALLAB_COMPARE_MATRIX_NEAR(asVector(csvColumn(run.output, "yhat")),
                                     asVector(fileColumn(reference, "f0.3000_it3")), 1e-8, 1e-10);
    }

    void localQuadraticReproducesAParabolaInTwoDimensions() {
        QTemporaryDir directory;
        QByteArray content = "a,b,y\n";
        for (int row = 0; row < 36; ++row) {
            const double a = (row % 6) / 5.0;
            const double b = (row / 6) / 5.0;
            content += QByteArray::number(a, 'g', 17) + ',' + QByteArray::number(b, 'g', 17) + ',' +
                       QByteArray::number(1.0 + 2.0 * a - 3.0 * a * b + b * b, 'g', 17) + '\n';
        }
        const QString path = writeText(directory, "surface.csv", content);
        const QString output = directory.filePath("fit.csv");
        const Run run = runCli({"--input", path, "--x", "a,b", "--y", "y", "--method", "local-poly",
                                "--degree", "2", "--bandwidth", "0.4", "--output", output});
        QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
        LOCALLAB_COMPARE_MATRIX_NEAR(asVector(fileColumn(output, "yhat")), asVector(fileColumn(path, "y")),
                                     1e-9, 1e-9);
    }

    void crossValidationReportsItsChoice() {
        const Run run = runCli({"--input", fixture("kernel_regression_1d_data.csv"), "--x", "x", "--y", "y",
                                "--method", "local-linear", "--bandwidth", "cv"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
        const QRegularExpressionMatch match =
            QRegularExpression("bandwidth h = ([0-9.eE+-]+)").match(run.errors);
        QVERIFY2(match.hasMatch(), qPrintable(run.errors));
        const double h = match.captured(1).toDouble();
        QVERIFY(h > 0.005 && h < 1.0); // the data vary on a scale of 0.1 (a sine of period 1)
        QCOMPARE(csvColumn(run.output, "yhat").size(), std::size_t{60});
    }

    void targetsOutOfReachAreLeftEmpty() {
        QTemporaryDir directory;
        const QString data = writeText(directory, "data.csv", "x,y\n0,1\n0.1,2\n0.2,3\n");
        const QString targets = writeText(directory, "targets.csv", "x\n0.1\n5\n");
        const Run run = runCli({"--input", data, "--x", "x", "--y", "y", "--method", "nw", "--kernel",
                                "epanechnikov", "--bandwidth", "0.5", "--eval", targets});
        QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
        QCOMPARE(run.output, QString("x,yhat\n0.10000000000000001,2\n5,\n"));
        QVERIFY(run.errors.contains("1 targets have no data point"));
    }

    void usageErrorsExitWithTwo_data() {
        QTest::addColumn<QStringList>("arguments");
        const QString data = fixture("kernel_regression_2d_data.csv");
        QTest::newRow("unknown method")
            << QStringList{"--input", data, "--x", "x1", "--y", "y", "--method", "spline"};
        QTest::newRow("negative bandwidth")
            << QStringList{"--input", data, "--x", "x1", "--y", "y", "--bandwidth", "-1"};
        QTest::newRow("bandwidth not a number")
            << QStringList{"--input", data, "--x", "x1", "--y", "y", "--bandwidth", "wide"};
        QTest::newRow("lowess on two columns")
            << QStringList{"--input", data, "--x", "x1,x2", "--y", "y", "--method", "lowess"};
        QTest::newRow("fraction above 1")
            << QStringList{"--input", data, "--x", "x1", "--y", "y", "--frac", "1.5"};
        QTest::newRow("no y") << QStringList{"--input", data, "--x", "x1"};
        QTest::newRow("unknown kernel")
            << QStringList{"--input", data, "--x", "x1", "--y", "y", "--kernel", "boxcar"};
    }
    void usageErrorsExitWithTwo() {
        QFETCH(QStringList, arguments);
        const Run run = runCli(arguments);
        QCOMPARE(run.exitCode, 2);
        QVERIFY(!run.errors.isEmpty());
    }

    void badDataExitsWithThreeAndSaysWhere() {
        QTemporaryDir directory;
        const QString data = writeText(directory, "broken.csv", "x,y\n0,1\n0.5,oops\n1,2\n");
        const Run run = runCli({"--input", data, "--x", "x", "--y", "y", "--bandwidth", "0.3"});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.errors.contains("broken.csv:3:"), qPrintable(run.errors));
    }
};

QTEST_APPLESS_MAIN(TestCliRegress)
#include "test_cli_regress.moc"
