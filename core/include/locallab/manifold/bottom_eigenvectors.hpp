#pragma once
// The eigenvectors of the smallest eigenvalues of a sparse symmetric positive semi-definite matrix,
// skipping the first few, as scikit-learn's null_space. Small matrices go to a dense eigensolver;
// large ones to Spectra's Lanczos iteration in shift-invert mode around a small negative shift,
// so that each step is a sparse LDLᵀ solve and the wanted end of the spectrum converges first.
// Both read only the matrix's lower triangle (diagonal included), so the matrix may be given whole or as
// that triangle alone (as assembleAlignmentMatrix returns it).
// The sparse solver checks for cancellation and reports progress at every step; the dense one cannot be
// interrupted, so it is checked only before and after (callers that must stay responsive limit its size).

#include "locallab/util/progress.hpp"

#include <Eigen/Core>
#include <Eigen/SparseCore>
#include <string>

namespace locallab {

enum class EigenSolverChoice { Automatic, Dense, Sparse };

struct BottomEigenvectors {
    Eigen::MatrixXd vectors; // n × count, smallest eigenvalue first
    Eigen::VectorXd values;  // count values, ascending
    std::string failure;     // empty on success; otherwise why no vectors came back
    bool usedDenseSolver = false;
};

// Automatic takes the dense solver up to this many rows.
inline constexpr Eigen::Index denseEigenSolverLimit = 400;

BottomEigenvectors bottomEigenvectors(const Eigen::SparseMatrix<double>& matrix, Eigen::Index count,
                                      Eigen::Index skip, EigenSolverChoice solver, Progress& progress);

} // namespace locallab
