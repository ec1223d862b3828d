// Procrustes disparity against scipy.spatial.procrustes (fixture) and closed forms.

#include "csv_fixture.hpp"
#include "fuzzy_compare.hpp"
#include "locallab/manifold/procrustes.hpp"

#include <QTest>
#include <cmath>

using namespace locallab;

class TestProcrustes : public QObject {
    Q_OBJECT

private slots:
    void matchesScipy() {
        const test::CsvFixture table = test::readCsvFixture(test::fixturePath("manifold/procrustes.csv"));
        Eigen::MatrixXd first(table.values.rows(), 2);
        Eigen::MatrixXd second(table.values.rows(), 2);
        first << table.values.col(table.column("a1")), table.values.col(table.column("a2"));
        second << table.values.col(table.column("b1")), table.values.col(table.column("b2"));
        const double expected = table.values(0, table.column("disparity"));
        LOCALLAB_COMPARE_NEAR(procrustesDisparity(first, second), expected, 1e-10, 0.0);
    }

    // A shifted, scaled, rotated and mirrored copy has the same shape.
    void similarCopyHasNoDisparity() {
        Eigen::MatrixXd shape(5, 2);
        shape << 0, 0, 1, 0, 1, 2, -1, 3, 0.5, -1;
        Eigen::Matrix2d mirrorRotation;
        const double angle = 0.7;
        mirrorRotation << std::cos(angle), std::sin(angle), std::sin(angle), -std::cos(angle);
        const Eigen::MatrixXd copy = (3.0 * shape * mirrorRotation).rowwise() + Eigen::RowVector2d(5, -2);
        LOCALLAB_COMPARE_NEAR(procrustesDisparity(shape, copy), 0.0, 0.0, 1e-14);
    }

    // Three collinear points against a right angle: standardised, the best fit leaves 1 − s², s the sum of
    // singular values of firstᵀ·second, here computed by hand.
    void disparityClosedForm() {
        Eigen::MatrixXd line(3, 2);
        line << -1, 0, 0, 0, 1, 0;
        Eigen::MatrixXd corner(3, 2);
        corner << 1, 0, 0, 0, 0, 1;
        // Centred, the line is (±1, 0)/√2; the corner's centred rows (2,−1)/3, (−1,−1)/3, (−1,2)/3 have
        // norm √(12/9); firstᵀ·second = [[−3/√24, 3/√24], [0, 0]] with one singular value √(18/24).
        LOCALLAB_COMPARE_NEAR(procrustesDisparity(line, corner), 1.0 - 18.0 / 24.0, 1e-14, 0.0);
    }

    void rejectsMismatchedShapes() {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, procrustesDisparity(Eigen::MatrixXd::Ones(3, 2),
                                                                            Eigen::MatrixXd::Ones(4, 2)));
        Eigen::MatrixXd spread(3, 2);
        spread << 0, 0, 1, 0, 0, 1;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 procrustesDisparity(spread, Eigen::MatrixXd::Ones(3, 2)));
    }
};

QTEST_APPLESS_MAIN(TestProcrustes)
#include "test_procrustes.moc"
