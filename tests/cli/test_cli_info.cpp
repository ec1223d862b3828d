// locallab-cli end to end: --help, --version, info on good and bad files, and usage errors, checked
// through the exit code and the text the executable prints. Expected statistics are worked out by
// hand from the small files written here.

#include "cli_process.hpp"
#include "fuzzy_compare.hpp"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

namespace {

using Run = locallab::test::CliRun;

using locallab::test::runCli;

// The CSV row of `info` output for one column, split into its fields.
QStringList rowFor(const QString& output, const QString& column) {
    for (const QString& line : output.split('\n')) {
        if (line.startsWith(column + ",")) {
            return line.split(',');
        }
    }
    return {};
}

} // namespace

class TestCliInfo : public QObject {
    Q_OBJECT

public:
    QString writeFile(const QString& name, const QByteArray& content) {
        const QString path = folder_.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size()) {
            qFatal("cannot write a test file");
        }
        return path;
    }

private:
    QTemporaryDir folder_;

private slots:
    void helpAndVersionSucceed() {
        const Run help = runCli({"--help"});
        QCOMPARE(help.exitCode, 0);
        QVERIFY2(help.output.contains("info"), qPrintable(help.output));
        const Run version = runCli({"--version"});
        QCOMPARE(version.exitCode, 0);
        QVERIFY2(version.output.contains(QRegularExpression("^\\d+\\.\\d+\\.\\d+")),
                 qPrintable(version.output));
    }

    void infoDescribesEveryColumn() {
        // x = 1, 2, 3, 4: mean 2.5, sample variance 5/3. y = 10, 10, 20, 40: mean 20, variance 200.
        const QString path = writeFile("four.csv", "x,y,kind\n1,10,a\n2,10,b\n3,20,a\n4,40,c\n");
        const Run run = runCli({"info", "--input", path, "--label", "kind"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.output.contains("# n: 4\n"), qPrintable(run.output));
        QVERIFY2(run.output.contains("# d: 2\n"), qPrintable(run.output));
        QVERIFY2(run.output.contains("column,role,min,max,mean,std,distinct\n"), qPrintable(run.output));
        const QStringList x = rowFor(run.output, "x");
        QCOMPARE(x.size(), 7);
        QCOMPARE(x[1], QString("point"));
        LOCALLAB_COMPARE_NEAR(x[2].toDouble(), 1.0, 0.0, 0.0);
        LOCALLAB_COMPARE_NEAR(x[3].toDouble(), 4.0, 0.0, 0.0);
        LOCALLAB_COMPARE_NEAR(x[4].toDouble(), 2.5, 1e-15, 0.0);
        LOCALLAB_COMPARE_NEAR(x[5].toDouble(), std::sqrt(5.0 / 3.0), 1e-15, 0.0);
        QCOMPARE(x[6], QString("4"));
        const QStringList y = rowFor(run.output, "y");
        LOCALLAB_COMPARE_NEAR(y[4].toDouble(), 20.0, 1e-15, 0.0);
        LOCALLAB_COMPARE_NEAR(y[5].toDouble(), std::sqrt(200.0), 1e-15, 0.0);
        QCOMPARE(y[6], QString("3"));
        // Labels a, b, a, c become 0, 1, 0, 2: three distinct.
        const QStringList label = rowFor(run.output, "label");
        QCOMPARE(label.value(1), QString("label"));
        QCOMPARE(label.value(6), QString("3"));
    }

    void infoSelectsColumns() {
        const QString path = writeFile("three.tsv", "a\tb\tc\n1\t2\t3\n4\t5\t6\n");
        const Run run = runCli({"info", "--input", path, "--columns", "c,1"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.output.contains("# d: 2\n"), qPrintable(run.output));
        QCOMPARE(rowFor(run.output, "c").value(2), QString("3"));
        QVERIFY(!rowFor(run.output, "a").isEmpty());
        QVERIFY(rowFor(run.output, "b").isEmpty());
    }

    void infoReadsSampleData() {
        const Run run =
            runCli({"info", "--input", LOCALLAB_SAMPLE_DATA_DIR "/blobs.csv", "--label", "label"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.output.contains("# n: 300\n"), qPrintable(run.output + run.errors));
    }

    void badDataExitsWithThree_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("location");
        QTest::addColumn<QString>("problem");
        QTest::newRow("not a number") << QByteArray("x,y\n1,2\n3,abc\n") << ":3:3: "
                                      << "expected a number, found 'abc'";
        QTest::newRow("ragged") << QByteArray("x,y\n1,2\n3\n") << ":3:2: "
                                << "expected 2 fields, found 1";
        QTest::newRow("empty") << QByteArray("") << ": "
                               << "the file is empty";
    }
    void badDataExitsWithThree() {
        QFETCH(QByteArray, content);
        QFETCH(QString, location);
        QFETCH(QString, problem);
        const QString path = writeFile("bad.csv", content);
        const Run run = runCli({"info", "--input", path});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.errors.contains(path + location + problem), qPrintable(run.errors));
        QVERIFY(run.output.isEmpty());
    }

    void unknownColumnIsBadData() {
        const QString path = writeFile("xy.csv", "x,y\n1,2\n");
        const Run run = runCli({"info", "--input", path, "--columns", "z"});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.errors.contains("no column named 'z'; columns are x, y"), qPrintable(run.errors));
    }

    void missingFileIsBadData() {
        const Run run = runCli({"info", "--input", folder_.filePath("absent.csv")});
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.errors.contains("absent.csv: cannot read the file"), qPrintable(run.errors));
    }

    void usageErrorsExitWithTwo_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("no command") << QStringList{} << "subcommand";
        QTest::newRow("missing --input") << QStringList{"info"} << "--input is required";
        QTest::newRow("unknown flag") << QStringList{"info", "--input", "a.csv", "--colour"}
                                      << "The following argument was not expected: --colour";
        QTest::newRow("bad delimiter")
            << QStringList{"info", "--input", "a.csv", "--delimiter", "pipe"} << "pipe";
    }
    void usageErrorsExitWithTwo() {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const Run run = runCli(arguments);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.errors.contains(message), qPrintable(run.errors));
    }

    void generateWritesReadableData() {
        const QString path = folder_.filePath("moons.csv");
        const Run generated =
            runCli({"generate", "two_moons", "--samples", "50", "--seed", "4", "--output", path});
        QCOMPARE(generated.exitCode, 0);
        const Run info = runCli({"info", "--input", path, "--label", "label"});
        QCOMPARE(info.exitCode, 0);
        QVERIFY2(info.output.contains("# n: 50\n"), qPrintable(info.output));
        QCOMPARE(rowFor(info.output, "label").value(6), QString("2"));
        const Run outOfRange = runCli({"generate", "two_moons", "--samples", "0"});
        QCOMPARE(outOfRange.exitCode, 2);
        QVERIFY2(outOfRange.errors.contains("samples must be between"), qPrintable(outOfRange.errors));
    }
};

QTEST_APPLESS_MAIN(TestCliInfo)
#include "test_cli_info.moc"
