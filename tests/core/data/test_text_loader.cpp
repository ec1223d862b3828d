// The text loader on small files written here, each with a known content; the bad ones check that the
// message names the file, the line and the column (counted by hand from the text).

#include "fuzzy_compare.hpp"
#include "locallab/data/data_error.hpp"
#include "locallab/data/load_dataset.hpp"
#include "locallab/data/text_loader.hpp"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <string>
#include <vector>

using locallab::DataError;
using locallab::Dataset;
using locallab::LoadOptions;
using Names = std::vector<std::string>;

class TestTextLoader : public QObject {
    Q_OBJECT

public:
    // Writes `content` to a file named `name` in a fresh temporary folder and returns its path.
    std::string writeFile(const QString& name, const QByteArray& content) {
        const QString path = folder_.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size()) {
            qFatal("cannot write a test file");
        }
        return path.toStdString();
    }

private:
    QTemporaryDir folder_;

private slots:
    void detectsDelimiterAndHeader_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("fileName");
        QTest::newRow("comma") << QByteArray("x,y\n1,2\n-3.5,4e2\n") << "a.csv";
        QTest::newRow("comma with spaces") << QByteArray("x, y\n 1 , 2\n-3.5,  4e2\n") << "b.csv";
        QTest::newRow("tab") << QByteArray("x\ty\n1\t2\n-3.5\t4e2\n") << "c.tsv";
        QTest::newRow("semicolon") << QByteArray("x;y\n1;2\n-3.5;4e2\n") << "d.txt";
        QTest::newRow("whitespace") << QByteArray("  x   y\n1 2\n  -3.5\t 4e2  \n") << "e.dat";
        QTest::newRow("Windows line ends") << QByteArray("x,y\r\n1,2\r\n-3.5,4e2\r\n") << "f.csv";
        QTest::newRow("comments and blank lines")
            << QByteArray("# made by hand\n\nx,y  # the header\n1,2\n\n# a comment\n-3.5,4e2 # trailing\n")
            << "g.csv";
        QTest::newRow("quoted fields") << QByteArray("\"x\",\"y\"\n\"1\",2\n-3.5,\"4e2\"\n") << "h.csv";
        QTest::newRow("no final line end") << QByteArray("x,y\n1,2\n-3.5,4e2") << "i.csv";
        QTest::newRow("plus signs") << QByteArray("x,y\n+1,2\n-3.5,+400\n") << "j.csv";
    }
    void detectsDelimiterAndHeader() {
        QFETCH(QByteArray, content);
        QFETCH(QString, fileName);
        const Dataset dataset = locallab::loadDataset(writeFile(fileName, content));
        Eigen::MatrixXd expected(2, 2);
        expected << 1.0, 2.0, -3.5, 400.0;
        LOCALLAB_COMPARE_MATRIX_NEAR(dataset.points, expected, 0.0, 0.0);
        QCOMPARE(dataset.columnNames, (Names{"x", "y"}));
        QCOMPARE(dataset.origin, fileName.toStdString());
        QVERIFY(!dataset.target && !dataset.labels);
    }

    void namesColumnsOfHeaderlessFiles() {
        const Dataset dataset = locallab::parseText("1 2 3\n4 5 6\n", "numbers.txt");
        QCOMPARE(dataset.columnNames, (Names{"x1", "x2", "x3"}));
        QCOMPARE(dataset.points, (Eigen::MatrixXd(2, 3) << 1, 2, 3, 4, 5, 6).finished());
    }

    void keepsQuotedCommasAndDoubledQuotes() {
        const Dataset dataset =
            locallab::parseText("\"a, b\",\"say \"\"hi\"\"\",\"# not a comment\"\n1,2,3\n", "quoted.csv");
        QCOMPARE(dataset.columnNames, (Names{"a, b", "say \"hi\"", "# not a comment"}));
        QCOMPARE(dataset.points, (Eigen::MatrixXd(1, 3) << 1, 2, 3).finished());
    }

    void selectsColumnsByNameOrNumber_data() {
        QTest::addColumn<QStringList>("columns");
        QTest::addColumn<QStringList>("expectedNames");
        QTest::newRow("names") << QStringList{"z", "x"} << QStringList{"z", "x"};
        QTest::newRow("1-based numbers") << QStringList{"3", "1"} << QStringList{"z", "x"};
        QTest::newRow("mixed") << QStringList{"y", "3"} << QStringList{"y", "z"};
    }
    void selectsColumnsByNameOrNumber() {
        QFETCH(QStringList, columns);
        QFETCH(QStringList, expectedNames);
        LoadOptions options;
        for (const QString& column : columns) {
            options.columns.push_back(column.toStdString());
        }
        const Dataset dataset = locallab::parseText("x,y,z\n1,2,3\n4,5,6\n", "three.csv", options);
        Names names;
        for (const QString& name : expectedNames) {
            names.push_back(name.toStdString());
        }
        QCOMPARE(dataset.columnNames, names);
        const Eigen::MatrixXd all = (Eigen::MatrixXd(2, 3) << 1, 2, 3, 4, 5, 6).finished();
        for (std::size_t column = 0; column < names.size(); ++column) {
            const Eigen::Index source = names[column] == "x" ? 0 : (names[column] == "y" ? 1 : 2);
            QCOMPARE(Eigen::VectorXd(dataset.points.col(static_cast<Eigen::Index>(column))),
                     Eigen::VectorXd(all.col(source)));
        }
    }

    void aNameWinsOverANumber() {
        LoadOptions options;
        options.columns = {"1"};
        options.header = locallab::HeaderMode::Present;
        const Dataset dataset = locallab::parseText("2,1\n10,20\n", "numbered.csv", options);
        QCOMPARE(dataset.points, (Eigen::MatrixXd(1, 1) << 20).finished());
    }

    void readsTargetAndTextLabels() {
        LoadOptions options;
        options.targetColumn = "y";
        options.labelColumn = "species";
        const Dataset dataset = locallab::parseText(
            "x,species,y\n1,versicolor,10\n2,setosa,20\n3,\"versicolor\",30\n4,virginica,40\n", "iris.csv",
            options);
        QCOMPARE(dataset.columnNames, (Names{"x"}));
        QCOMPARE(dataset.points, (Eigen::MatrixXd(4, 1) << 1, 2, 3, 4).finished());
        QVERIFY(dataset.target.has_value());
        QCOMPARE(*dataset.target, (Eigen::VectorXd(4) << 10, 20, 30, 40).finished());
        QCOMPARE(dataset.targetName, std::string("y"));
        QVERIFY(dataset.labels.has_value());
        // Sorted names are numbered 0..k-1: setosa 0, versicolor 1, virginica 2.
        QCOMPARE(*dataset.labels, (Eigen::VectorXi(4) << 1, 0, 1, 2).finished());
        QCOMPARE(dataset.labelNames, (Names{"setosa", "versicolor", "virginica"}));
    }

    void keepsIntegerLabels() {
        LoadOptions options;
        options.labelColumn = "3";
        const Dataset dataset = locallab::parseText("1,2,7\n3,4,-1\n5,6,7\n", "labels.csv", options);
        QCOMPARE(*dataset.labels, (Eigen::VectorXi(3) << 7, -1, 7).finished());
        QVERIFY(dataset.labelNames.empty());
        QCOMPARE(dataset.dimension(), Eigen::Index{2});
    }

    void textLabelColumnIsNotMistakenForHeader() {
        LoadOptions options;
        options.labelColumn = "3";
        const Dataset dataset = locallab::parseText("1,2,cat\n3,4,dog\n", "pets.csv", options);
        QCOMPARE(dataset.size(), Eigen::Index{2});
        QCOMPARE(dataset.labelNames, (Names{"cat", "dog"}));
    }

    void ignoresTextInColumnsNotAskedFor() {
        LoadOptions options;
        options.columns = {"value"};
        const Dataset dataset =
            locallab::parseText("name,value\nalpha,1.5\nbeta,2.5\n", "named.csv", options);
        QCOMPARE(dataset.points, (Eigen::MatrixXd(2, 1) << 1.5, 2.5).finished());
    }

    void readsNumbersExactly() {
        // from_chars rounds correctly: each text below is the shortest form of its double.
        const Dataset dataset = locallab::parseText(
            "0.1\n2.2250738585072014e-308\n1.7976931348623157e308\n-0\n4.9406564584124654e-324\n",
            "exact.txt");
        QCOMPARE(dataset.points(0, 0), 0.1);
        QCOMPARE(dataset.points(1, 0), 2.2250738585072014e-308);
        QCOMPARE(dataset.points(2, 0), 1.7976931348623157e308);
        QCOMPARE(dataset.points(3, 0), 0.0);
        QCOMPARE(dataset.points(4, 0), 4.9406564584124654e-324);
    }

    void refusesBadInput_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QStringList>("columns");
        QTest::addColumn<QString>("location");
        QTest::addColumn<QString>("problem");
        const QStringList all;
        QTest::newRow("empty file") << QByteArray("") << all << "bad.csv:"
                                    << "the file is empty";
        QTest::newRow("only comments") << QByteArray("# nothing\n\n  \n") << all << "bad.csv:"
                                       << "the file is empty";
        QTest::newRow("only a header") << QByteArray("# c\nx,y\n") << all << "bad.csv:2:"
                                       << "header line but no data rows";
        QTest::newRow("too few fields") << QByteArray("x,y,z\n1,2,3\n4,5\n") << all << "bad.csv:3:4:"
                                        << "expected 3 fields, found 2";
        QTest::newRow("too many fields") << QByteArray("x,y\n1,2\n3,4,5\n") << all << "bad.csv:3:5:"
                                         << "expected 2 fields, found 3";
        QTest::newRow("not a number") << QByteArray("x,y\n1,2\n3, abc\n") << all << "bad.csv:3:4:"
                                      << "expected a number, found 'abc'";
        QTest::newRow("number with junk") << QByteArray("x y\n1 2\n3 4.5.6\n") << all << "bad.csv:3:3:"
                                          << "expected a number, found '4.5.6'";
        QTest::newRow("empty field") << QByteArray("x,y\n1,\n") << all << "bad.csv:2:3:"
                                     << "expected a number, found an empty field";
        QTest::newRow("NaN") << QByteArray("x,y\n1,nan\n") << all << "bad.csv:2:3:"
                             << "found 'nan'; values must be finite";
        QTest::newRow("infinity") << QByteArray("x y\n# c\n1 2\n-inf 3\n") << all << "bad.csv:4:1:"
                                  << "found '-inf'; values must be finite";
        QTest::newRow("overflow") << QByteArray("x;y\n1;2\n3;1e999\n") << all << "bad.csv:3:3:"
                                  << "found '1e999'; values must be finite";
        QTest::newRow("unclosed quote") << QByteArray("x,y\n1,\"2\n") << all << "bad.csv:2:3:"
                                        << "not closed";
        QTest::newRow("text after a quote") << QByteArray("x,y\n1,\"2\"3\n") << all << "bad.csv:2:6:"
                                            << "after the closing quote";
        QTest::newRow("unknown column") << QByteArray("x,y\n1,2\n") << QStringList{"x", "z"} << "bad.csv:1:"
                                        << "no column named 'z'; columns are x, y";
        QTest::newRow("column number out of range")
            << QByteArray("x,y\n1,2\n") << QStringList{"3"} << "bad.csv:1:"
            << "column number 3 is out of range";
    }
    void refusesBadInput() {
        QFETCH(QByteArray, content);
        QFETCH(QStringList, columns);
        QFETCH(QString, location);
        QFETCH(QString, problem);
        LoadOptions options;
        for (const QString& column : columns) {
            options.columns.push_back(column.toStdString());
        }
        const std::string path = writeFile("bad.csv", content);
        try {
            locallab::loadDataset(path, options);
            QFAIL("the input was accepted");
        } catch (const DataError& error) {
            const QString message = QString::fromStdString(error.what());
            QVERIFY2(message.contains(location), qPrintable(message));
            QVERIFY2(message.contains(problem), qPrintable(message));
            QCOMPARE(error.location().file, path);
        }
    }

    void refusesTheSameColumnInTwoRoles() {
        LoadOptions options;
        options.targetColumn = "y";
        options.labelColumn = "2";
        QVERIFY_THROWS_EXCEPTION(DataError, locallab::parseText("x,y\n1,2\n", "roles.csv", options));
    }

    void forcedHeaderModesAreObeyed() {
        LoadOptions options;
        options.header = locallab::HeaderMode::Absent;
        QVERIFY_THROWS_EXCEPTION(DataError, locallab::parseText("x,y\n1,2\n", "forced.csv", options));
        options.header = locallab::HeaderMode::Present;
        const Dataset dataset = locallab::parseText("1,2\n3,4\n", "forced.csv", options);
        QCOMPARE(dataset.columnNames, (Names{"1", "2"}));
        QCOMPARE(dataset.size(), Eigen::Index{1});
    }
};

QTEST_APPLESS_MAIN(TestTextLoader)
#include "test_text_loader.moc"
