// locallab-cli meanshift end to end: labels on scikit-learn's fixtures, the modes and trajectories
// files, rules for the bandwidth, and the exit codes of bad invocations.

#include "cli_process.hpp"
#include "csv_fixture.hpp"

#include <QTemporaryDir>
#include <QTest>

using locallab::test::fixturePath;
using locallab::test::readCsvFixture;
using locallab::test::runCli;

class TestCliMeanShift : public QObject {
    Q_OBJECT

private slots:
    void labelsMatchScikitLearn_data();
    void labelsMatchScikitLearn();
    void writesModesAndTrajectories();
    void blurringLabelsSeparatedBlobs();
    void badInvocationsExitWithTheirCodes_data();
    void badInvocationsExitWithTheirCodes();

private:
    QTemporaryDir folder_;
};

void TestCliMeanShift::labelsMatchScikitLearn_data() {
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QStringList>("flags");
    QTest::newRow("blobs") << "blobs"
                           << "blobs_h1" << QStringList{"--bandwidth", "1.0"};
    QTest::newRow("blobs, bins") << "blobs"
                                 << "blobs_h2_bins_freq5"
                                 << QStringList{"--bandwidth", "2.0", "--bin-seeding", "--min-bin-freq", "5"};
    QTest::newRow("outliers, not all")
        << "outliers"
        << "outliers_h1_not_all" << QStringList{"--bandwidth", "1.0", "--no-cluster-all"};
}

void TestCliMeanShift::labelsMatchScikitLearn() {
    QFETCH(QString, dataset);
    QFETCH(QString, expected);
    QFETCH(QStringList, flags);
    const QString output = folder_.filePath(expected + ".csv");
    const auto run = runCli(
        QStringList{"meanshift", "--input",
                    QString::fromStdString(fixturePath("meanshift/" + dataset.toStdString() + "_points.csv")),
                    "--kernel", "flat", "--output", output} +
        flags);
    QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
    const auto result = readCsvFixture(output.toStdString());
    const auto labels = readCsvFixture(fixturePath("meanshift/" + expected.toStdString() + "_labels.csv"));
    QCOMPARE(result.header.back(), std::string("label"));
    QCOMPARE(result.values.rows(), labels.values.rows());
    QVERIFY(result.values.col(result.values.cols() - 1) == labels.values.col(0));
}

void TestCliMeanShift::writesModesAndTrajectories() {
    const QString input = QString::fromStdString(fixturePath("meanshift/blobs_points.csv"));
    const QString modes = folder_.filePath("modes.csv");
    const QString paths = folder_.filePath("paths.csv");
    const auto run = runCli({"meanshift", "--input", input, "--kernel", "flat", "--bandwidth", "1", "--modes",
                             modes, "--trajectories", paths, "--output", folder_.filePath("labels.csv")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
    const auto modeTable = readCsvFixture(modes.toStdString());
    const auto expectedModes = readCsvFixture(fixturePath("meanshift/blobs_h1_modes.csv"));
    QCOMPARE(modeTable.header.back(), std::string("count"));
    QCOMPARE(modeTable.values.rows(), expectedModes.values.rows());
    QVERIFY(modeTable.values.leftCols(2).isApprox(expectedModes.values, 1e-12));

    const auto pathTable = readCsvFixture(paths.toStdString());
    QCOMPARE(pathTable.header, (std::vector<std::string>{"seed", "iteration", "x0", "x1"}));
    const auto points = readCsvFixture(input.toStdString()).values;
    // Every seed appears, and its first row is its starting point (stored in single precision).
    Eigen::Index seedsSeen = 0;
    for (Eigen::Index row = 0; row < pathTable.values.rows(); ++row) {
        if (pathTable.values(row, 1) == 0.0) {
            const auto seed = static_cast<Eigen::Index>(pathTable.values(row, 0));
            QVERIFY((pathTable.values.row(row).tail(2) - points.row(seed)).norm() < 1e-5);
            ++seedsSeen;
        }
    }
    QCOMPARE(seedsSeen, points.rows());
}

void TestCliMeanShift::blurringLabelsSeparatedBlobs() {
    const QString output = folder_.filePath("blurring.csv");
    const auto run =
        runCli({"meanshift", "--input", QString::fromStdString(fixturePath("meanshift/three_d_points.csv")),
                "--kernel", "gaussian", "--bandwidth", "0.5", "--blurring", "--output", output});
    QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
    const auto result = readCsvFixture(output.toStdString()).values;
    // The fixture's three clusters are rows 0–119, 120–209 and 210–299: each must be one label, distinct.
    const Eigen::VectorXd labels = result.col(result.cols() - 1);
    QCOMPARE(labels.segment(0, 120).minCoeff(), labels.segment(0, 120).maxCoeff());
    QCOMPARE(labels.segment(120, 90).minCoeff(), labels.segment(120, 90).maxCoeff());
    QCOMPARE(labels.segment(210, 90).minCoeff(), labels.segment(210, 90).maxCoeff());
    QVERIFY(labels[0] != labels[120] && labels[0] != labels[210] && labels[120] != labels[210]);
}

void TestCliMeanShift::badInvocationsExitWithTheirCodes_data() {
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    const QString input = QString::fromStdString(fixturePath("meanshift/blobs_points.csv"));
    QTest::newRow("bandwidth not a number")
        << QStringList{"meanshift", "--input", input, "--bandwidth", "wide"} << 2 << "--bandwidth";
    QTest::newRow("zero bandwidth") << QStringList{"meanshift", "--input", input, "--bandwidth", "0"} << 2
                                    << "positive";
    QTest::newRow("unknown kernel") << QStringList{"meanshift", "--input", input, "--kernel", "boxcar"} << 2
                                    << "kernel";
    QTest::newRow("missing file") << QStringList{"meanshift", "--input", "no-such-file.csv"} << 3
                                  << "no-such-file.csv";
}

void TestCliMeanShift::badInvocationsExitWithTheirCodes() {
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const auto run = runCli(arguments);
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(run.errors.contains(message), qPrintable(run.errors));
}

QTEST_GUILESS_MAIN(TestCliMeanShift)
#include "test_cli_meanshift.moc"
