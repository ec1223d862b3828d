// locallab-cli attention end to end: the printed matrix against numpy (tests/fixtures/attention/
// cli_attention.json; with --projections, cli_attention_projections.json), the header and row layout,
// and exit codes 2 (usage) and 3 (bad data, a bad projections file included).

#include "cli_process.hpp"
#include "fuzzy_compare.hpp"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

using Run = locallab::test::CliRun;

using locallab::test::runCli;

QJsonObject fixtureFile(const QString& name) {
    QFile file(QStringLiteral(LOCALLAB_FIXTURE_DIR) + "/attention/" + name);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QJsonDocument::fromJson(file.readAll()).object();
}

QJsonObject reference() {
    return fixtureFile("cli_attention.json");
}

Eigen::MatrixXd matrixFromJson(const QJsonArray& rows) {
    Eigen::MatrixXd matrix(rows.size(), rows.isEmpty() ? 0 : rows[0].toArray().size());
    for (qsizetype row = 0; row < rows.size(); ++row) {
        for (qsizetype column = 0; column < matrix.cols(); ++column) {
            matrix(row, column) = rows[row].toArray()[column].toDouble();
        }
    }
    return matrix;
}

QString writeText(const QTemporaryDir& directory, const QString& name, const QByteArray& content) {
    const QString path = directory.filePath(name);
    QFile file(path);
    if (file.open(QIODevice::WriteOnly)) {
        file.write(content);
    }
    return path;
}

// The tokens as a CSV file with a header a,b,c and a label column the command must ignore when told.
QString writeTokens(const QTemporaryDir& directory, const Eigen::MatrixXd& tokens) {
    QByteArray content = "a,b,c,name\n";
    for (Eigen::Index row = 0; row < tokens.rows(); ++row) {
        for (Eigen::Index column = 0; column < tokens.cols(); ++column) {
            content += QByteArray::number(tokens(row, column), 'g', 17) + ',';
        }
        content += "token" + QByteArray::number(row) + '\n';
    }
    return writeText(directory, "tokens.csv", content);
}

// A header row prefix1,...,prefixN, then numbers; a 0 × 0 matrix when the header or a row is wrong.
Eigen::MatrixXd parseMatrix(const QString& output, Eigen::Index expectedColumns,
                            const QString& prefix = QStringLiteral("w")) {
    QStringList lines = output.split('\n', Qt::SkipEmptyParts);
    QStringList header;
    for (Eigen::Index column = 1; column <= expectedColumns; ++column) {
        header << QString("%1%2").arg(prefix).arg(column);
    }
    if (lines.isEmpty() || lines.takeFirst() != header.join(',')) {
        return {};
    }
    Eigen::MatrixXd matrix(lines.size(), expectedColumns);
    for (qsizetype row = 0; row < lines.size(); ++row) {
        const QStringList fields = lines[row].split(',');
        if (fields.size() != expectedColumns) {
            return {};
        }
        for (qsizetype column = 0; column < fields.size(); ++column) {
            matrix(row, column) = fields[column].toDouble();
        }
    }
    return matrix;
}

} // namespace

class TestCliAttention : public QObject {
    Q_OBJECT

private slots:
    void printsTheAttentionMatrix_data() {
        QTest::addColumn<QJsonObject>("fixture");
        for (const QJsonValue& entry : reference()["cases"].toArray()) {
            const QJsonObject fixture = entry.toObject();
            QTest::newRow(qPrintable(fixture["kernel"].toString())) << fixture;
        }
    }

    void printsTheAttentionMatrix() {
        QFETCH(QJsonObject, fixture);
        QTemporaryDir directory;
        const Eigen::MatrixXd tokens = matrixFromJson(reference()["tokens"].toArray());
        QStringList arguments{"attention",
                              "--input",
                              writeTokens(directory, tokens),
                              "--columns",
                              "a",
                              "b",
                              "c",
                              "--kernel",
                              fixture["kernel"].toString(),
                              "--neighbors",
                              QString::number(fixture["neighbors"].toInt())};
        if (!fixture["temperature"].isNull()) {
            arguments << "--temperature" << QString::number(fixture["temperature"].toDouble(), 'g', 17);
        }
        const QString outputPath = directory.filePath("weights.csv");
        arguments << "--output" << outputPath;
        const Run run = runCli(arguments);
        QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
        QFile output(outputPath);
        QVERIFY(output.open(QIODevice::ReadOnly));
        const Eigen::MatrixXd weights = parseMatrix(QString::fromUtf8(output.readAll()), tokens.rows());
        QCOMPARE(weights.rows(), tokens.rows());
        LOCALLAB_COMPARE_MATRIX_NEAR(weights, matrixFromJson(fixture["weights"].toArray()), 1e-13, 1e-15);
    }

    void causalFlagMasksLaterTokens() {
        QTemporaryDir directory;
        const Eigen::MatrixXd tokens = matrixFromJson(reference()["tokens"].toArray());
        const Run run = runCli({"attention", "--input", writeTokens(directory, tokens), "--columns", "1", "2",
                                "3", "--causal", "true"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
        const Eigen::MatrixXd weights = parseMatrix(run.output, tokens.rows());
        QCOMPARE(weights.rows(), tokens.rows());
        QCOMPARE(weights(0, 0), 1.0);
        for (Eigen::Index row = 0; row < weights.rows(); ++row) {
            QCOMPARE(weights.row(row).tail(weights.cols() - row - 1).sum(), 0.0);
            LOCALLAB_COMPARE_NEAR(weights.row(row).sum(), 1.0, 0.0, 1e-14);
        }
    }

    void printsWithProjections_data() {
        QTest::addColumn<QJsonObject>("fixture");
        QTest::addColumn<QString>("print");
        for (const QJsonValue& entry : fixtureFile("cli_attention_projections.json")["cases"].toArray()) {
            const QJsonObject fixture = entry.toObject();
            for (const QString print : {"weights", "output"}) {
                QTest::newRow(qPrintable(fixture["name"].toString() + ", " + print)) << fixture << print;
            }
        }
    }

    // Queries X W_Q, keys X W_K and values X W_V from the file, the rest identity, against numpy.
    void printsWithProjections() {
        QFETCH(QJsonObject, fixture);
        QFETCH(QString, print);
        QTemporaryDir directory;
        const Eigen::MatrixXd tokens =
            matrixFromJson(fixtureFile("cli_attention_projections.json")["tokens"].toArray());
        const QString projections = writeText(directory, "projections.json",
                                              QJsonDocument(fixture["projections"].toObject()).toJson());
        QStringList arguments{"attention",
                              "--input",
                              writeTokens(directory, tokens),
                              "--columns",
                              "a",
                              "b",
                              "c",
                              "--kernel",
                              fixture["kernel"].toString(),
                              "--causal",
                              fixture["causal"].toBool() ? "true" : "false",
                              "--print",
                              print,
                              "--projections",
                              projections};
        if (!fixture["temperature"].isNull()) {
            arguments << "--temperature" << QString::number(fixture["temperature"].toDouble(), 'g', 17);
        }
        const Run run = runCli(arguments);
        QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
        const Eigen::MatrixXd expected = matrixFromJson(fixture[print].toArray());
        const Eigen::MatrixXd printed = parseMatrix(
            run.output, expected.cols(), print == "weights" ? QStringLiteral("w") : QStringLiteral("o"));
        QCOMPARE(printed.rows(), tokens.rows());
        LOCALLAB_COMPARE_MATRIX_NEAR(printed, expected, 1e-12, 1e-12);
    }

    void badProjectionsExitWithThree_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::newRow("a row per token column missing")
            << QByteArray(R"({"query": [[1, 0], [0, 1]]})")
            << "'query' has 2 rows, but the tokens have 3 columns";
        QTest::newRow("queries and keys of different dimensions")
            << QByteArray(R"({"query": [[1], [0], [0]]})") << "the same dimension";
        QTest::newRow("a ragged matrix")
            << QByteArray(R"({"value": [[1, 2], [3], [4, 5]]})") << "row 2 of 'value' has 1 entries";
        QTest::newRow("an entry that is not a number")
            << QByteArray(R"({"key": [[1, 0, 0], [0, "a", 0], [0, 0, 1]]})") << "not a finite number";
        QTest::newRow("an unknown entry")
            << QByteArray(R"({"queries": [[1, 0, 0], [0, 1, 0], [0, 0, 1]]})") << "unknown entry 'queries'";
        QTest::newRow("not a matrix") << QByteArray(R"({"query": 3})") << "must be a matrix";
        QTest::newRow("not JSON") << QByteArray("{query: [[1]]") << "not valid JSON";
        QTest::newRow("no file") << QByteArray() << "cannot open";
    }

    void badProjectionsExitWithThree() {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        QTemporaryDir directory;
        const QString input = writeText(directory, "tokens.csv", "x,y,z\n1,2,3\n3,4,5\n");
        const QString projections = content.isEmpty() ? directory.filePath("missing.json")
                                                      : writeText(directory, "projections.json", content);
        const Run run = runCli({"attention", "--input", input, "--projections", projections});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.errors.contains(QFileInfo(projections).fileName()) && run.errors.contains(expected),
                 qPrintable(run.errors));
    }

    void usageErrorsExitWithTwo_data() {
        QTest::addColumn<QStringList>("flags");
        QTest::newRow("unknown kernel") << QStringList{"--kernel", "dot"};
        QTest::newRow("negative temperature") << QStringList{"--temperature", "-1"};
        QTest::newRow("temperature not a number") << QStringList{"--temperature", "warm"};
        QTest::newRow("zero neighbours") << QStringList{"--kernel", "knn", "--neighbors", "0"};
        QTest::newRow("unknown flag") << QStringList{"--heads", "2"};
        QTest::newRow("unknown print") << QStringList{"--print", "scores"};
    }

    void usageErrorsExitWithTwo() {
        QFETCH(QStringList, flags);
        QTemporaryDir directory;
        const QString input = writeText(directory, "tokens.csv", "x,y\n1,2\n3,4\n");
        const Run run = runCli(QStringList{"attention", "--input", input} + flags);
        QCOMPARE(run.exitCode, 2);
        QVERIFY(!run.errors.isEmpty());
    }

    void missingInputIsAUsageError() { QCOMPARE(runCli({"attention", "--kernel", "softmax"}).exitCode, 2); }

    void badDataExitsWithThreeAndNamesThePlace() {
        QTemporaryDir directory;
        const QString input = writeText(directory, "broken.csv", "x,y\n1,2\n3,oops\n");
        const Run run = runCli({"attention", "--input", input});
        QCOMPARE(run.exitCode, 3);
        // file:line:column, the column counted in characters by the loader, and the offending text
        QVERIFY2(run.errors.contains("broken.csv:3:3:") && run.errors.contains("oops"),
                 qPrintable(run.errors));
    }
};

QTEST_APPLESS_MAIN(TestCliAttention)
#include "test_cli_attention.moc"
