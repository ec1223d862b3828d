#include "locallab/manifold/bottom_eigenvectors.hpp"

#include <Eigen/Eigenvalues>
#include <Eigen/SparseCholesky>
#include <Spectra/SymEigsShiftSolver.h>
#include <algorithm>
#include <stdexcept>

namespace locallab {

namespace {

// The share of the eigensolver's progress that the factorisation of M − σI takes; the Lanczos steps
// share the rest.
constexpr double factorizationShare = 0.3;

// y = (M − σI)⁻¹ x through a sparse LDLᵀ factorisation. M − σI is positive definite for σ < 0 because
// M is positive semi-definite, so no pivoting is needed and the fill-reducing ordering does the work.
// Every product is one Lanczos step: it checks for cancellation there and reports progress. How many
// steps the iteration needs is not known beforehand, so the fraction after s steps is an estimate,
// s / (s + the Krylov subspace's size), that rises quickly at first and never reaches 1 by itself.
class ShiftedLdltSolve {
public:
    using Scalar = double;

    ShiftedLdltSolve(const Eigen::SparseMatrix<double>& matrix, Eigen::Index subspaceSize, Progress& progress)
        : matrix_(matrix), subspaceSize_(static_cast<double>(subspaceSize)), progress_(progress) {}

    Eigen::Index rows() const { return matrix_.rows(); }
    Eigen::Index cols() const { return matrix_.cols(); }

    void set_shift(double sigma) {
        progress_.checkCanceled();
        Eigen::SparseMatrix<double> identity(matrix_.rows(), matrix_.cols());
        identity.setIdentity();
        factorization_.compute(matrix_ - sigma * identity);
        if (factorization_.info() != Eigen::Success) {
            throw std::runtime_error("the shifted matrix could not be factorised");
        }
        progress_.checkCanceled();
        progress_.report(factorizationShare);
    }

    void perform_op(const double* input, double* output) const {
        progress_.checkCanceled();
        Eigen::Map<Eigen::VectorXd>(output, rows()) =
            factorization_.solve(Eigen::Map<const Eigen::VectorXd>(input, rows()));
        ++steps_;
        const double steps = static_cast<double>(steps_);
        progress_.report(factorizationShare + (1.0 - factorizationShare) * steps / (steps + subspaceSize_));
    }

private:
    const Eigen::SparseMatrix<double>& matrix_;
    Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>> factorization_;
    double subspaceSize_;
    Progress& progress_;
    mutable long long steps_ = 0;
};

BottomEigenvectors denseBottomEigenvectors(const Eigen::SparseMatrix<double>& matrix, Eigen::Index count,
                                           Eigen::Index skip) {
    const Eigen::MatrixXd dense = matrix;
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(dense);
    BottomEigenvectors result;
    result.usedDenseSolver = true;
    if (eigen.info() != Eigen::Success) {
        result.failure = "the dense eigensolver did not converge";
        return result;
    }
    result.vectors = eigen.eigenvectors().middleCols(skip, count);
    result.values = eigen.eigenvalues().segment(skip, count);
    return result;
}

BottomEigenvectors sparseBottomEigenvectors(const Eigen::SparseMatrix<double>& matrix, Eigen::Index count,
                                            Eigen::Index skip, Progress& progress) {
    const Eigen::Index wanted = count + skip;
    const Eigen::Index lanczosSize = std::min(matrix.rows(), std::max<Eigen::Index>(2 * wanted + 1, 20));
    // The shift sits just below the spectrum (M is positive semi-definite with 0 at its bottom): close
    // enough that the wanted eigenvalues dominate after inversion, far enough that M − σI stays definite.
    const double meanDiagonal = matrix.diagonal().mean();
    const double shift = -1e-10 * std::max(1.0, meanDiagonal);
    constexpr Eigen::Index maximumRestarts = 1000;
    constexpr double tolerance = 1e-12;

    BottomEigenvectors result;
    try {
        ShiftedLdltSolve operation(matrix, lanczosSize, progress);
        Spectra::SymEigsShiftSolver<ShiftedLdltSolve> solver(operation, wanted, lanczosSize, shift);
        solver.init();
        solver.compute(Spectra::SortRule::LargestMagn, maximumRestarts, tolerance,
                       Spectra::SortRule::SmallestAlge);
        if (solver.info() != Spectra::CompInfo::Successful) {
            result.failure = "the sparse eigensolver did not converge after " +
                             std::to_string(maximumRestarts) + " restarts; try the dense solver";
            return result;
        }
        result.vectors = solver.eigenvectors().middleCols(skip, count);
        result.values = solver.eigenvalues().segment(skip, count);
    } catch (const OperationCanceled&) {
        throw; // not a failure of the solver: the caller asked it to stop
    } catch (const std::runtime_error& error) {
        result.failure =
            std::string("the sparse eigensolver failed: ") + error.what() + "; try the dense solver";
    }
    return result;
}

} // namespace

BottomEigenvectors bottomEigenvectors(const Eigen::SparseMatrix<double>& matrix, Eigen::Index count,
                                      Eigen::Index skip, EigenSolverChoice solver, Progress& progress) {
    progress.checkCanceled();
    const bool dense = solver == EigenSolverChoice::Dense ||
                       (solver == EigenSolverChoice::Automatic && matrix.rows() <= denseEigenSolverLimit) ||
                       count + skip >= matrix.rows();
    BottomEigenvectors result = dense ? denseBottomEigenvectors(matrix, count, skip)
                                      : sparseBottomEigenvectors(matrix, count, skip, progress);
    progress.checkCanceled();
    return result;
}

} // namespace locallab
