#pragma once
// Every LLE variant builds its alignment matrix M as a sum of small symmetric blocks, one per point,
// each living on the rows and columns of that point's neighbourhood. M is then sparse, and the
// embedding is its bottom eigenvectors.

#include "locallab/manifold/neighborhood_list.hpp"
#include "locallab/util/progress.hpp"

#include <Eigen/Core>
#include <Eigen/SparseCore>
#include <span>
#include <vector>

namespace locallab {

struct LocalBlock {
    std::vector<Eigen::Index> indices; // which rows/columns of M the block adds to
    Eigen::MatrixXd matrix;            // indices.size() square, symmetric
};

// The lower triangle (diagonal included) of M = Σ blocks, summing entries that several blocks share:
// compressed, column-major, each column's rows ascending. M is symmetric, so the upper triangle would only
// repeat it; the eigensolvers read the lower triangle alone. Columns are summed in parallel, each from
// the blocks that contain its point, with no list of triplets to sort. Checks for cancellation and
// reports progress once per 128 columns.
Eigen::SparseMatrix<double>
assembleAlignmentMatrix(Eigen::Index pointCount, const std::vector<LocalBlock>& blocks, Progress& progress);

// Standard LLE's M = (I − W)ᵀ(I − W), returned as assembleAlignmentMatrix returns M. It is the sum of one
// block bbᵀ per point i, b = [1, −w_iᵀ] on [i, i's neighbours], read here straight from the
// neighbourhoods and their weights (aligned with neighborhoods.members()): no (k + 1)² block per point is
// ever stored, and the assembly reads two flat arrays instead of thousands of small ones.
Eigen::SparseMatrix<double> assembleReconstructionAlignmentMatrix(const NeighborhoodList& neighborhoods,
                                                                  std::span<const double> weights,
                                                                  Progress& progress);

} // namespace locallab
