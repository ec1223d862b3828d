#include "locallab/attention/random_matrix.hpp"

namespace locallab {

Eigen::MatrixXd gaussianMatrix(Eigen::Index rows, Eigen::Index columns, double standardDeviation,
                               RandomStream& random) {
    Eigen::MatrixXd matrix(rows, columns);
    for (Eigen::Index row = 0; row < rows; ++row) {
        for (Eigen::Index column = 0; column < columns; ++column) {
            matrix(row, column) = standardDeviation * random.normal();
        }
    }
    return matrix;
}

} // namespace locallab
