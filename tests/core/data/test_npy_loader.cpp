// The .npy loader against files written by NumPy itself (tests/fixtures/make_data_fixtures.py) and
// against files with one thing wrong each.

#include "fuzzy_compare.hpp"
#include "locallab/data/data_error.hpp"
#include "locallab/data/load_dataset.hpp"
#include "locallab/data/npy_loader.hpp"

#include <QTest>
#include <cmath>
#include <string>

using locallab::DataError;
using locallab::LoadOptions;

namespace {

std::string fixture(const QString& name) {
    return QStringLiteral(LOCALLAB_FIXTURE_DIR "/data/%1").arg(name).toStdString();
}

// The fixtures' 4×3 grid: value(r, c) = (3r + c − offset) · scale, the formula the script writes.
Eigen::MatrixXd expectedGrid(double offset, double scale) {
    Eigen::MatrixXd expected(4, 3);
    for (int row = 0; row < 4; ++row) {
        for (int column = 0; column < 3; ++column) {
            expected(row, column) = (3.0 * row + column - offset) * scale;
        }
    }
    return expected;
}

Eigen::MatrixXd expectedFloatGrid() {
    Eigen::MatrixXd expected = expectedGrid(0.0, 0.5);
    expected.array() -= 1.25;
    return expected;
}

} // namespace

class TestNpyLoader : public QObject {
    Q_OBJECT

private slots:
    void readsFloatFiles_data() {
        QTest::addColumn<QString>("file");
        QTest::newRow("<f8") << "float64_little.npy";
        QTest::newRow(">f8") << "float64_big.npy";
        QTest::newRow("<f4") << "float32_little.npy";
        QTest::newRow(">f4") << "float32_big.npy";
        QTest::newRow("<f8 Fortran order") << "float64_fortran.npy";
        QTest::newRow(">f8 Fortran order") << "float64_big_fortran.npy";
        QTest::newRow("format 2.0") << "float64_version2.npy";
        QTest::newRow("format 3.0") << "float64_version3.npy";
    }
    void readsFloatFiles() {
        QFETCH(QString, file);
        const locallab::Dataset dataset = locallab::loadDataset(fixture(file));
        // Every value is a multiple of 1/4, exact in float32 too.
        LOCALLAB_COMPARE_MATRIX_NEAR(dataset.points, expectedFloatGrid(), 0.0, 0.0);
        QCOMPARE(dataset.columnNames, (std::vector<std::string>{"x1", "x2", "x3"}));
        QCOMPARE(dataset.origin, file.toStdString());
    }

    void readsIntegerFiles_data() {
        QTest::addColumn<QString>("type");
        QTest::addColumn<double>("offset");
        QTest::addColumn<double>("scale");
        QTest::newRow("i1") << "i1" << 5.0 << 1.0;
        QTest::newRow("i2") << "i2" << 5.0 << 257.0;
        QTest::newRow("i4") << "i4" << 5.0 << 16777259.0;
        QTest::newRow("i8") << "i8" << 5.0 << std::ldexp(1.0, 40) + 3.0;
        QTest::newRow("u1") << "u1" << 0.0 << 20.0;
        QTest::newRow("u2") << "u2" << 0.0 << 5000.0;
        QTest::newRow("u4") << "u4" << 0.0 << 300000000.0;
        QTest::newRow("u8") << "u8" << 0.0 << std::ldexp(1.0, 59);
    }
    void readsIntegerFiles() {
        QFETCH(QString, type);
        QFETCH(double, offset);
        QFETCH(double, scale);
        for (const QString& order : {QStringLiteral("little"), QStringLiteral("big")}) {
            const locallab::Dataset dataset = locallab::loadNpyFile(fixture(type + "_" + order + ".npy"));
            LOCALLAB_COMPARE_MATRIX_NEAR(dataset.points, expectedGrid(offset, scale), 0.0, 0.0);
        }
    }

    void readsOneDimensionalArrayAsColumn() {
        const locallab::Dataset dataset = locallab::loadNpyFile(fixture("float64_vector.npy"));
        Eigen::MatrixXd expected(5, 1);
        expected << 0.5, -1.5, 2.25, 1e300, -4e-300;
        LOCALLAB_COMPARE_MATRIX_NEAR(dataset.points, expected, 0.0, 0.0);
    }

    void selectsColumnsByNumberAndName() {
        LoadOptions options;
        options.columns = {"3", "x1"};
        const locallab::Dataset dataset = locallab::loadNpyFile(fixture("float64_little.npy"), options);
        const Eigen::MatrixXd grid = expectedFloatGrid();
        Eigen::MatrixXd expected(4, 2);
        expected << grid.col(2), grid.col(0);
        LOCALLAB_COMPARE_MATRIX_NEAR(dataset.points, expected, 0.0, 0.0);
        QCOMPARE(dataset.columnNames, (std::vector<std::string>{"x3", "x1"}));
    }

    void takesLabelsAndTargetFromColumns() {
        LoadOptions options;
        options.labelColumn = "3";
        options.targetColumn = "2";
        const locallab::Dataset dataset = locallab::loadNpyFile(fixture("labelled.npy"), options);
        QCOMPARE(dataset.dimension(), Eigen::Index{1});
        QVERIFY(dataset.labels.has_value());
        QCOMPARE(*dataset.labels, (Eigen::VectorXi(4) << 0, 1, 1, 2).finished());
        QVERIFY(dataset.target.has_value());
        LOCALLAB_COMPARE_MATRIX_NEAR(*dataset.target, expectedFloatGrid().col(1), 0.0, 0.0);
    }

    void refusesBadFiles_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("problem");
        QTest::newRow("bad magic") << "bad_magic.npy"
                                   << "magic"
                                   << "does not start with";
        QTest::newRow("bad version") << "bad_version.npy"
                                     << "version"
                                     << "4.0";
        QTest::newRow("truncated in the magic") << "truncated_in_magic.npy"
                                                << "version"
                                                << "truncated";
        QTest::newRow("truncated in the header") << "truncated_in_header.npy"
                                                 << "header_len"
                                                 << "file ends";
        QTest::newRow("malformed dictionary") << "malformed_header.npy"
                                              << "header"
                                              << "expected ',' or '}'";
        QTest::newRow("complex descr") << "unsupported_descr.npy"
                                       << "descr"
                                       << "'<c16'";
        QTest::newRow("missing shape") << "missing_shape.npy"
                                       << "shape"
                                       << "no 'shape' entry";
        QTest::newRow("three dimensions") << "three_dimensional.npy"
                                          << "shape"
                                          << "(1, 3, 2)";
        QTest::newRow("shape overflows") << "shape_overflow.npy"
                                         << "shape"
                                         << "more values than can be counted";
        QTest::newRow("allocation bomb") << "allocation_bomb.npy"
                                         << "shape"
                                         << "needs 8000000000000 bytes";
        QTest::newRow("data too short") << "data_short.npy"
                                        << "data"
                                        << "80 bytes needed, 48 present";
        QTest::newRow("NaN") << "nan.npy"
                             << "data"
                             << "row 2, column 2 is NaN";
        QTest::newRow("infinity") << "infinity.npy"
                                  << "data"
                                  << "row 3, column 1 is infinite";
    }
    void refusesBadFiles() {
        QFETCH(QString, file);
        QFETCH(QString, field);
        QFETCH(QString, problem);
        try {
            locallab::loadDataset(fixture(file));
            QFAIL("the file was accepted");
        } catch (const DataError& error) {
            const QString message = QString::fromStdString(error.what());
            QVERIFY2(message.contains(file), qPrintable(message));
            QVERIFY2(message.contains("header field '" + field + "'"), qPrintable(message));
            QVERIFY2(message.contains(problem), qPrintable(message));
            QCOMPARE(QString::fromStdString(error.location().field), field);
        }
    }

    void refusesMissingFile() {
        try {
            locallab::loadDataset(fixture("no_such_file.npy"));
            QFAIL("a missing file was accepted");
        } catch (const DataError& error) {
            QVERIFY2(QString(error.what()).contains("no_such_file.npy: cannot read the file"), error.what());
        }
    }

    void refusesNonIntegerLabels() {
        LoadOptions options;
        options.labelColumn = "1";
        QVERIFY_THROWS_EXCEPTION(DataError, locallab::loadNpyFile(fixture("float64_little.npy"), options));
    }
};

QTEST_APPLESS_MAIN(TestNpyLoader)
#include "test_npy_loader.moc"
