// locallab-cli classify end to end: posteriors against scikit-learn's KNeighborsClassifier and the numpy
// formula (the fixtures of tests/fixtures/local, read here as the command's own input files), label
// names as written in the file, targets out of reach, and the exit codes 2 (usage) and 3 (bad data).

#include "cli_process.hpp"
#include "fuzzy_compare.hpp"

#include <Eigen/Core>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <vector>

namespace {

using Run = locallab::test::CliRun;

Run runCli(QStringList arguments) {
    arguments.prepend("classify");
    return locallab::test::runCli(arguments);
}

QString fixture(const QString& name) {
    return QStringLiteral(LOCALLAB_FIXTURE_DIR) + "/local/" + name;
}

QStringList lines(const QString& text) {
    return text.split('\n', Qt::SkipEmptyParts);
}

// One named column of a CSV text with a header row (no quoted fields); empty fields become NaN.
std::vector<double> csvColumn(const QString& text, const QString& name) {
    QStringList rows = lines(text);
    if (rows.isEmpty()) {
        return {};
    }
    const qsizetype index = rows.takeFirst().split(',').indexOf(name);
    std::vector<double> values;
    if (index < 0) {
        return values;
    }
    for (const QString& row : rows) {
        const QStringList fields = row.split(',');
        values.push_back(fields.value(index).isEmpty() ? std::nan("") : fields.value(index).toDouble());
    }
    return values;
}

QString fileText(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

// The three class columns of the command's output (p_0, p_1, p_2) or of a fixture (<case>_p0, ...).
Eigen::MatrixXd probabilities(const QString& text, const QString& prefix) {
    Eigen::MatrixXd values;
    for (int c = 0; c < 3; ++c) {
        const std::vector<double> column = csvColumn(text, prefix + QString::number(c));
        if (c == 0) {
            values.resize(static_cast<Eigen::Index>(column.size()), 3);
        }
        if (static_cast<Eigen::Index>(column.size()) != values.rows()) {
            return {};
        }
        values.col(c) = Eigen::Map<const Eigen::VectorXd>(column.data(), values.rows());
    }
    return values;
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

class TestCliClassify : public QObject {
    Q_OBJECT

private slots:
    void nearestNeighborsMatchScikitLearnExactly() {
        const QString targets = fixture("classify_at_eval.csv");
        const Run run = runCli({"--input", fixture("classify_data.csv"), "--x", "x1,x2", "--label", "label",
                                "--kernel", "knn", "--neighbors", "5", "--eval", targets});
        QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
        QVERIFY(run.output.startsWith("x1,x2,p_0,p_1,p_2,label\n"));
        LOCALLAB_COMPARE_MATRIX_NEAR(probabilities(run.output, "p_"),
                                     probabilities(fileText(targets), "knn5_p"), 0.0, 0.0);
        QVERIFY(run.errors.isEmpty());
    }

    void gaussianMatchesThePosteriorFormulaAtTheDataPoints() {
        QTemporaryDir directory;
        const QString output = directory.filePath("posteriors.csv");
        const Run run = runCli({"--input", fixture("classify_data.csv"), "--x", "x1,x2", "--label", "label",
                                "--kernel", "gaussian", "--bandwidth", "0.6", "--output", output});
        QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
        const QString text = fileText(output);
        const Eigen::MatrixXd expected =
            probabilities(fileText(fixture("classify_at_data.csv")), "gaussian_h0.6_p");
        LOCALLAB_COMPARE_MATRIX_NEAR(probabilities(text, "p_"), expected, 1e-12, 1e-12);
        // the predicted label is the most probable class
        const std::vector<double> predicted = csvColumn(text, "label");
        QCOMPARE(static_cast<Eigen::Index>(predicted.size()), expected.rows());
        for (Eigen::Index row = 0; row < expected.rows(); ++row) {
            Eigen::Index best = 0;
            expected.row(row).maxCoeff(&best);
            QCOMPARE(predicted[static_cast<std::size_t>(row)], static_cast<double>(best));
        }
    }

    void labelsKeepTheirText_data() {
        QTest::addColumn<QByteArray>("labels");
        QTest::addColumn<QString>("header");
        QTest::addColumn<QStringList>("predicted");
        QTest::newRow("names, sorted")
            << QByteArray("setosa,versicolor,setosa,versicolor") << "x,p_setosa,p_versicolor,label"
            << QStringList{"versicolor", "setosa"};
        QTest::newRow("integers, in numeric order")
            << QByteArray("-1,10,-1,10") << "x,p_-1,p_10,label" << QStringList{"10", "-1"};
        QTest::newRow("a name with a comma") << QByteArray("a,\"b, c\",a,\"b, c\"")
                                             << "x,p_a,\"p_b, c\",label" << QStringList{"\"b, c\"", "a"};
    }
    void labelsKeepTheirText() {
        QFETCH(QByteArray, labels);
        QFETCH(QString, header);
        QFETCH(QStringList, predicted);
        QTemporaryDir directory;
        // x = 0, 1, 2, 3 with labels given per row, the first row of the first class, the last of the
        // second; 1-NN at x = 3.3 and −0.2 picks the last and the first row.
        QByteArray content = "x,kind\n";
        QList<QByteArray> cells;
        QByteArray cell;
        bool quoted = false;
        for (const char character : labels) { // split on commas outside quotes
            if (character == '"') {
                quoted = !quoted;
            }
            if (character == ',' && !quoted) {
                cells.append(cell);
                cell.clear();
            } else {
                cell += character;
            }
        }
        cells.append(cell);
        for (int row = 0; row < cells.size(); ++row) {
            content += QByteArray::number(row) + ',' + cells[row] + '\n';
        }
        const QString data = writeText(directory, "data.csv", content);
        const QString targets = writeText(directory, "targets.csv", "x\n3.3\n-0.2\n");
        const Run run = runCli({"--input", data, "--x", "x", "--label", "kind", "--kernel", "knn",
                                "--neighbors", "1", "--eval", targets});
        QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
        const QStringList rows = lines(run.output);
        QCOMPARE(rows.value(0), header);
        QVERIFY2(rows.value(1).endsWith(",0,1," + predicted[0]), qPrintable(rows.value(1)));
        QVERIFY2(rows.value(2).endsWith(",1,0," + predicted[1]), qPrintable(rows.value(2)));
    }

    void targetsOutOfReachAreLeftEmpty() {
        QTemporaryDir directory;
        const QString data = writeText(directory, "data.csv", "x,label\n0,a\n0.1,b\n0.2,b\n");
        const QString targets = writeText(directory, "targets.csv", "x\n0.15\n5\n");
        const Run run = runCli({"--input", data, "--x", "x", "--label", "label", "--kernel", "epanechnikov",
                                "--bandwidth", "0.1", "--eval", targets});
        QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
        // At 0.15 only the two b points are within reach, at 5 nothing is.
        QCOMPARE(run.output, QString("x,p_a,p_b,label\n0.14999999999999999,0,1,b\n5,,,\n"));
        QVERIFY(run.errors.contains("1 targets have no data point"));
    }

    void flatIsTheUniformKernel() {
        QTemporaryDir directory;
        const QString data = writeText(directory, "data.csv", "x,label\n-1,0\n0.5,1\n1,1\n1.5,0\n");
        const QString targets = writeText(directory, "targets.csv", "x\n0\n");
        const Run run = runCli({"--input", data, "--x", "x", "--label", "label", "--kernel", "flat",
                                "--bandwidth", "1", "--eval", targets});
        QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
        QCOMPARE(lines(run.output).value(1), QString("0,0.33333333333333331,0.66666666666666663,1"));
    }

    void usageErrorsExitWithTwo_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        const QString data = fixture("classify_data.csv");
        const QStringList base{"--input", data, "--x", "x1,x2", "--label", "label"};
        QTest::newRow("unknown kernel")
            << (base + QStringList{"--kernel", "boxcar", "--bandwidth", "1"}) << "kernel";
        QTest::newRow("no bandwidth for a radial kernel")
            << (base + QStringList{"--kernel", "gaussian"}) << "--bandwidth is required";
        QTest::newRow("negative bandwidth") << (base + QStringList{"--bandwidth", "-1"}) << "--bandwidth";
        QTest::newRow("bandwidth not a number")
            << (base + QStringList{"--bandwidth", "wide"}) << "--bandwidth";
        QTest::newRow("more neighbours than points")
            << (base + QStringList{"--kernel", "knn", "--neighbors", "121"}) << "120 labelled data points";
        QTest::newRow("no neighbours")
            << (base + QStringList{"--kernel", "knn", "--neighbors", "0"}) << "neighbors";
        QTest::newRow("neighbours not a number")
            << (base + QStringList{"--kernel", "knn", "--neighbors", "many"}) << "neighbors";
        QTest::newRow("no label column")
            << QStringList{"--input", data, "--x", "x1,x2", "--bandwidth", "1"} << "label";
    }
    void usageErrorsExitWithTwo() {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const Run run = runCli(arguments);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.errors.contains(message), qPrintable(run.errors));
    }

    void badDataExitsWithThree_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("message");
        QTest::newRow("one class only") << QByteArray("x,label\n0,a\n1,a\n2,a\n") << "one class only";
        QTest::newRow("NaN in x") << QByteArray("x,label\n0,a\nnan,b\n2,a\n") << "data.csv:3:";
        QTest::newRow("text in x") << QByteArray("x,label\n0,a\n1,b\noops,a\n") << "data.csv:4:";
        QTest::newRow("empty label") << QByteArray("x,label\n0,a\n1,\n2,b\n") << "data.csv:3:";
        QTest::newRow("no rows") << QByteArray("x,label\n") << "data.csv";
    }
    void badDataExitsWithThree() {
        QFETCH(QByteArray, content);
        QFETCH(QString, message);
        QTemporaryDir directory;
        const QString data = writeText(directory, "data.csv", content);
        const Run run =
            runCli({"--input", data, "--x", "x", "--label", "label", "--kernel", "knn", "--neighbors", "1"});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.errors.contains(message), qPrintable(run.errors));
    }

    void badTargetsExitWithThree() {
        QTemporaryDir directory;
        const QString targets = writeText(directory, "targets.csv", "x1,x2\n0,1\n1,nan\n");
        const Run run = runCli({"--input", fixture("classify_data.csv"), "--x", "x1,x2", "--label", "label",
                                "--bandwidth", "0.5", "--eval", targets});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.errors.contains("targets.csv:3:"), qPrintable(run.errors));
    }
};

QTEST_APPLESS_MAIN(TestCliClassify)
#include "test_cli_classify.moc"
