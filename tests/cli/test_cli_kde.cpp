// locallab-cli kde end to end: closed-form densities, the grid layout, and exit codes for bad input.

#include "cli_process.hpp"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <numbers>

namespace {

using Run = locallab::test::CliRun;

using locallab::test::runCli;

// Data rows of a CSV text, split into numbers; the header row is checked separately.
QList<QList<double>> numericRows(const QString& csv) {
    QList<QList<double>> rows;
    const QStringList lines = csv.split('\n', Qt::SkipEmptyParts);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        QList<double> row;
        for (const QString& field : lines[i].split(',')) {
            row.append(field.toDouble());
        }
        rows.append(row);
    }
    return rows;
}

// The CLI tests link Qt alone (no Eigen), so the tolerance check is written out here.
#define COMPARE_NEAR(actual, expected, relative, absolute)                                                   \
    do {                                                                                                     \
        const double actualValue = (actual);                                                                 \
        const double expectedValue = (expected);                                                             \
        QVERIFY2(                                                                                            \
            std::abs(actualValue - expectedValue) <= (absolute) + (relative)*std::abs(expectedValue),        \
            qPrintable(QString("%1 vs %2").arg(actualValue, 0, 'g', 17).arg(expectedValue, 0, 'g', 17)));    \
    } while (false)

double normalDensity2d(double x, double y, double meanX, double meanY, double h) {
    const double u = ((x - meanX) * (x - meanX) + (y - meanY) * (y - meanY)) / (h * h);
    return std::exp(-0.5 * u) / (2.0 * std::numbers::pi * h * h);
}

} // namespace

class CliKdeTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void evaluatesAtAnotherFile();
    void evaluatesAtTheDataByDefault();
    void gridSpansTheDataPaddedByThreeBandwidths();
    void binnedGridMatchesExactGrid();
    void badInputGivesExitCodes_data();
    void badInputGivesExitCodes();

private:
    QString write(const QString& name, const QByteArray& text);
    QTemporaryDir directory_;
};

void CliKdeTest::initTestCase() {
    QVERIFY(directory_.isValid());
}

QString CliKdeTest::write(const QString& name, const QByteArray& text) {
    const QString path = directory_.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        qFatal("cannot write %s", qPrintable(path));
    }
    file.write(text);
    return path;
}

void CliKdeTest::evaluatesAtAnotherFile() {
    const QString data = write("two.csv", "x,y\n0,0\n2,1\n");
    const QString eval = write("eval.csv", "x,y\n0.5,0.5\n2,1\n-3,4\n");
    const Run run = runCli({"kde", "--input", data, "--eval", eval, "--bandwidth", "0.8"});
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.output.startsWith("x,y,density\n"));
    const auto rows = numericRows(run.output);
    QCOMPARE(rows.size(), 3);
    for (const auto& row : rows) {
        const double expected =
            0.5 * (normalDensity2d(row[0], row[1], 0, 0, 0.8) + normalDensity2d(row[0], row[1], 2, 1, 0.8));
        COMPARE_NEAR(row[2], expected, 1e-14, 0.0);
    }
}

void CliKdeTest::evaluatesAtTheDataByDefault() {
    // Epanechnikov in 1-D: c₁ = 3/4, so one point alone has density 3/(4h) at itself.
    const QString data = write("far.csv", "v\n0\n10\n");
    const Run run = runCli({"kde", "--input", data, "--kernel", "epanechnikov", "--bandwidth", "2"});
    QCOMPARE(run.exitCode, 0);
    const auto rows = numericRows(run.output);
    QCOMPARE(rows.size(), 2);
    COMPARE_NEAR(rows[0][1], 0.5 * 0.75 / 2.0, 1e-14, 0.0);
    COMPARE_NEAR(rows[1][1], 0.5 * 0.75 / 2.0, 1e-14, 0.0);
}

void CliKdeTest::gridSpansTheDataPaddedByThreeBandwidths() {
    const QString data = write("line.csv", "v\n1\n3\n");
    const Run run = runCli({"kde", "--input", data, "--bandwidth", "0.5", "--grid", "5"});
    QCOMPARE(run.exitCode, 0);
    const auto rows = numericRows(run.output);
    QCOMPARE(rows.size(), 5);
    COMPARE_NEAR(rows.front()[0], 1.0 - 1.5, 1e-15, 1e-15);
    COMPARE_NEAR(rows.back()[0], 3.0 + 1.5, 1e-15, 1e-15);
    for (const auto& row : rows) {
        const auto term = [&](double mean) {
            return std::exp(-0.5 * std::pow((row[0] - mean) / 0.5, 2)) /
                   (0.5 * std::sqrt(2.0 * std::numbers::pi));
        };
        COMPARE_NEAR(row[1], 0.5 * (term(1.0) + term(3.0)), 1e-14, 0.0);
    }
}

void CliKdeTest::binnedGridMatchesExactGrid() {
    QByteArray text = "x,y\n";
    for (int i = 0; i < 200; ++i) {
        text +=
            QByteArray::number(std::sin(1.3 * i) * 2.0) + "," + QByteArray::number(std::cos(0.7 * i)) + "\n";
    }
    const QString data = write("cloud.csv", text);
    const Run exact = runCli({"kde", "--input", data, "--bandwidth", "0.3", "--grid", "64"});
    const Run binned = runCli({"kde", "--input", data, "--bandwidth", "0.3", "--grid", "64", "--binned"});
    QCOMPARE(exact.exitCode, 0);
    QCOMPARE(binned.exitCode, 0);
    const auto exactRows = numericRows(exact.output);
    const auto binnedRows = numericRows(binned.output);
    QCOMPARE(binnedRows.size(), 64 * 64);
    double peak = 0.0;
    double worst = 0.0;
    for (qsizetype i = 0; i < exactRows.size(); ++i) {
        QCOMPARE(binnedRows[i][0], exactRows[i][0]);
        QCOMPARE(binnedRows[i][1], exactRows[i][1]);
        peak = std::max(peak, exactRows[i][2]);
        worst = std::max(worst, std::abs(binnedRows[i][2] - exactRows[i][2]));
    }
    QVERIFY2(worst <= 1e-2 * peak, qPrintable(QString("worst %1 of peak %2").arg(worst).arg(peak)));
}

void CliKdeTest::badInputGivesExitCodes_data() {
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown kernel") << QStringList{"--bandwidth", "1", "--kernel", "boxy"} << 2 << "boxy";
    QTest::newRow("bandwidth not a number") << QStringList{"--bandwidth", "wide"} << 2 << "--bandwidth";
    QTest::newRow("negative bandwidth") << QStringList{"--bandwidth", "-1"} << 2 << "bandwidth";
    QTest::newRow("no bandwidth") << QStringList{} << 2 << "bandwidth";
    QTest::newRow("eval and grid") << QStringList{"--bandwidth", "1", "--grid", "4", "--eval", "x.csv"} << 2
                                   << "excludes";
    QTest::newRow("cauchy in 2d") << QStringList{"--bandwidth", "1", "--kernel", "cauchy"} << 2 << "integral";
    QTest::newRow("bad cell") << QStringList{"--bandwidth", "1", "--input-override", "bad"} << 3
                              << ":3:3: expected a number";
    QTest::newRow("eval columns") << QStringList{"--bandwidth", "1", "--eval-override", "narrow"} << 3
                                  << "expected 2 columns";
}

void CliKdeTest::badInputGivesExitCodes() {
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const QString good = write("good.csv", "a,b\n1,2\n3,4\n");
    const QString bad = write("bad.csv", "a,b\n1,2\n3,oops\n");
    const QString narrow = write("narrow.csv", "a\n1\n");
    QString input = good;
    QStringList rest;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        if (arguments[i] == "--input-override") {
            input = bad;
            ++i;
        } else if (arguments[i] == "--eval-override") {
            rest << "--eval" << narrow;
            ++i;
        } else {
            rest << arguments[i];
        }
    }
    const Run run = runCli(QStringList{"kde", "--input", input} + rest);
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(run.errors.contains(message), qPrintable(run.errors));
}

QTEST_GUILESS_MAIN(CliKdeTest)
#include "test_cli_kde.moc"
