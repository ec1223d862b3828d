// locallab-cli bandwidth end to end: the printed rules against scipy/numpy/scikit-learn values from
// tests/fixtures/kernel/bandwidth_rules.json, and exit codes 2 (usage) and 3 (bad data).

#include "cli_process.hpp"
#include "fuzzy_compare.hpp"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

using Run = locallab::test::CliRun;

using locallab::test::runCli;

QJsonObject referenceFor(const QString& dataSet) {
    QFile file(QStringLiteral(LOCALLAB_FIXTURE_DIR) + "/kernel/bandwidth_rules.json");
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QJsonDocument::fromJson(file.readAll()).object()[dataSet].toObject();
}

// The fixture's points as a CSV file with the given column names.
QString writePoints(const QTemporaryDir& directory, const QJsonArray& points, const QStringList& names) {
    const QString path = directory.filePath("points.csv");
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return {};
    }
    file.write(names.join(',').toUtf8() + '\n');
    for (const QJsonValue& row : points) {
        QStringList fields;
        for (const QJsonValue& value : row.toArray()) {
            fields << QString::number(value.toDouble(), 'g', 17);
        }
        file.write(fields.join(',').toUtf8() + '\n');
    }
    return path;
}

QString writeText(const QTemporaryDir& directory, const QString& name, const QByteArray& content) {
    const QString path = directory.filePath(name);
    QFile file(path);
    if (file.open(QIODevice::WriteOnly)) {
        file.write(content);
    }
    return path;
}

// "rule,value" lines into a map; an empty map when the header is missing.
QMap<QString, double> parseRules(const QString& output) {
    QStringList lines = output.split('\n', Qt::SkipEmptyParts);
    QMap<QString, double> rules;
    if (lines.isEmpty() || lines.takeFirst() != "rule,value") {
        return rules;
    }
    for (const QString& line : lines) {
        const qsizetype comma = line.lastIndexOf(',');
        rules.insert(line.left(comma), line.mid(comma + 1).toDouble());
    }
    return rules;
}

} // namespace

class CliBandwidthTest : public QObject {
    Q_OBJECT

private slots:
    void rulesMatchTheReferences() {
        const QJsonObject reference = referenceFor("correlated_2d");
        QVERIFY(!reference.isEmpty());
        QTemporaryDir directory;
        const QString input = writePoints(directory, reference["points"].toArray(), {"x", "y"});
        const Run run = runCli({"bandwidth", "--input", input});
        QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
        const QMap<QString, double> rules = parseRules(run.output);
        QCOMPARE(rules.keys(),
                 (QStringList{"estimate(0.3)", "robust-silverman[x]", "robust-silverman[y]", "scott",
                              "scott[x]", "scott[y]", "silverman", "silverman[x]", "silverman[y]"}));

        const double scott = reference["scott_factor"].toDouble();
        const double silverman = reference["silverman_factor"].toDouble();
        const QJsonArray deviations = reference["column_standard_deviations"].toArray();
        const QJsonArray robust = reference["robust_silverman"].toArray();
        LOCALLAB_COMPARE_NEAR(rules["scott"], scott, 1e-12, 0.0);
        LOCALLAB_COMPARE_NEAR(rules["silverman"], silverman, 1e-12, 0.0);
        const QStringList names{"x", "y"};
        for (int column = 0; column < 2; ++column) {
            const QString name = "[" + names[column] + "]";
            LOCALLAB_COMPARE_NEAR(rules["scott" + name], scott * deviations[column].toDouble(), 1e-12, 0.0);
            LOCALLAB_COMPARE_NEAR(rules["silverman" + name], silverman * deviations[column].toDouble(), 1e-12,
                                  0.0);
            LOCALLAB_COMPARE_NEAR(rules["robust-silverman" + name], robust[column].toDouble(), 1e-12, 0.0);
        }
        LOCALLAB_COMPARE_NEAR(rules["estimate(0.3)"],
                              reference["estimate_bandwidth"].toObject()["0.3"].toDouble(), 1e-12, 0.0);
    }

    void quantileAndColumnsAreHonoured() {
        const QJsonObject reference = referenceFor("mixture_3d");
        QTemporaryDir directory;
        const QString input = writePoints(directory, reference["points"].toArray(), {"a", "b", "c"});
        const Run run = runCli({"bandwidth", "--input", input, "--quantile", "0.5"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.errors));
        LOCALLAB_COMPARE_NEAR(parseRules(run.output)["estimate(0.5)"],
                              reference["estimate_bandwidth"].toObject()["0.5"].toDouble(), 1e-12, 0.0);

        // One column chosen: d = 1 in the factors, and rows for that column only.
        const Run one = runCli({"bandwidth", "--input", input, "--columns", "b"});
        QVERIFY2(one.exitCode == 0, qPrintable(one.errors));
        const QMap<QString, double> rules = parseRules(one.output);
        QVERIFY(rules.contains("robust-silverman[b]"));
        QVERIFY(!rules.contains("scott[a]"));
        const double count = reference["points"].toArray().size();
        LOCALLAB_COMPARE_NEAR(rules["scott"], std::pow(count, -1.0 / 5.0), 1e-14, 0.0);
        LOCALLAB_COMPARE_NEAR(rules["robust-silverman[b]"],
                              reference["robust_silverman"].toArray()[1].toDouble(), 1e-12, 0.0);
    }

    void usageErrorsExitWithTwo_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("no input") << QStringList{"bandwidth"};
        QTest::newRow("quantile above 1")
            << QStringList{"bandwidth", "--input", "points.csv", "--quantile", "1.5"};
        QTest::newRow("quantile not a number")
            << QStringList{"bandwidth", "--input", "points.csv", "--quantile", "x"};
        QTest::newRow("unknown flag") << QStringList{"bandwidth", "--input", "points.csv", "--bandwith", "1"};
    }
    void usageErrorsExitWithTwo() {
        QFETCH(QStringList, arguments);
        QTemporaryDir directory;
        const QString input = writeText(directory, "points.csv", "x\n1\n2\n4\n");
        arguments.replaceInStrings("points.csv", input);
        const Run run = runCli(arguments);
        QCOMPARE(run.exitCode, 2);
        QVERIFY(!run.errors.isEmpty());
    }

    void badDataExitsWithThree_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expectedMessage");
        QTest::newRow("constant column") << QByteArray("x,flat\n1,5\n2,5\n4,5\n") << "column 'flat'";
        QTest::newRow("one point") << QByteArray("x,y\n1,2\n") << "at least 2 points";
        QTest::newRow("not a number") << QByteArray("x,y\n1,2\n3,abc\n") << "points.csv:3:";
    }
    void badDataExitsWithThree() {
        QFETCH(QByteArray, content);
        QFETCH(QString, expectedMessage);
        QTemporaryDir directory;
        const QString input = writeText(directory, "points.csv", content);
        const Run run = runCli({"bandwidth", "--input", input});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.errors.contains(expectedMessage), qPrintable(run.errors));
        QVERIFY2(run.errors.contains("points.csv"), qPrintable(run.errors));
    }
};

QTEST_GUILESS_MAIN(CliBandwidthTest)
#include "test_cli_bandwidth.moc"
