#pragma once
// Every LLE variant builds its alignment matrix M as a sum of small symmetric blocks, one per point,
// each living on the rows and columns of that point's neighbourhood. M is then sparse, and the
// embedding is its bottom eigenvectors.

#include "locallab/util/progress.hpp"

#include <Eigen/Core>
#include <Eigen/SparseCore>
#include <vector>

namespace locallab {

struct LocalBlock {
    std::vector<Eigen::Index> indices; // which rows/columns of M the block adds to
    Eigen::MatrixXd matrix;            // indices.size() square, symmetric
};

// M = Σ blocks, summing entries that several blocks share. Checks for cancellation and reports progress
// once per few hundred blocks.
Eigen::SparseMatrix<double>
assembleAlignmentMatrix(Eigen::Index pointCount, const std::vector<LocalBlock>& blocks, Progress& progress);

} // namespace locallab
