#include "locallab/manifold/bottom_eigenvectors.hpp"

#include <Eigen/Eigenvalues>
#include <Eigen/OrderingMethods>
#include <Eigen/SparseCholesky>
#include <Spectra/SymEigsShiftSolver.h>
#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <vector>

namespace locallab {

namespace {

// The share of the eigensolver's progress that the factorisation of M − σI takes; the Lanczos steps
// share the rest.
constexpr double factorizationShare = 0.3;

using StorageIndex = Eigen::SparseMatrix<double>::StorageIndex;
using Ordering = Eigen::PermutationMatrix<Eigen::Dynamic, Eigen::Dynamic, StorageIndex>;

// Writes into `pattern` the full symmetric pattern of the matrix whose lower triangle is given (diagonal
// included), each column's rows ascending, with room reserved for the elbow room AMD adds to its input.
// The values are not M's: the ordering reads none.
void writeSymmetricPattern(const Eigen::SparseMatrix<double>& lower,
                           Eigen::SparseMatrix<signed char>& pattern) {
    const Eigen::Index size = lower.cols();
    std::vector<StorageIndex> columnStarts(static_cast<std::size_t>(size) + 1, 0);
    for (Eigen::Index column = 0; column < size; ++column) {
        for (Eigen::SparseMatrix<double>::InnerIterator entry(lower, column); entry; ++entry) {
            ++columnStarts[static_cast<std::size_t>(column) + 1];
            if (entry.row() != column) {
                ++columnStarts[static_cast<std::size_t>(entry.row()) + 1];
            }
        }
    }
    std::partial_sum(columnStarts.begin(), columnStarts.end(), columnStarts.begin());
    const StorageIndex entries = columnStarts.back();
    pattern.resize(size, size);
    pattern.reserve(entries + entries / 5 + 2 * static_cast<StorageIndex>(size)); // AMD's elbow room
    pattern.resizeNonZeros(entries);
    std::copy(columnStarts.begin(), columnStarts.end(), pattern.outerIndexPtr());
    std::fill(pattern.valuePtr(), pattern.valuePtr() + entries, static_cast<signed char>(1));
    // Column c receives its rows above the diagonal while the earlier columns are read, then its own
    // rows from c down: ascending either way.
    std::vector<StorageIndex> next(columnStarts.begin(), columnStarts.end() - 1);
    StorageIndex* rows = pattern.innerIndexPtr();
    for (Eigen::Index column = 0; column < size; ++column) {
        for (Eigen::SparseMatrix<double>::InnerIterator entry(lower, column); entry; ++entry) {
            rows[next[static_cast<std::size_t>(column)]++] = static_cast<StorageIndex>(entry.row());
            if (entry.row() != column) {
                rows[next[static_cast<std::size_t>(entry.row())]++] = static_cast<StorageIndex>(column);
            }
        }
    }
}

// An LDLᵀ factorisation of P (M − σI) Pᵀ from M's lower triangle, P being AMD's fill-reducing ordering.
// M − σI is positive definite for σ < 0 because M is positive semi-definite, so no pivoting is needed and
// the ordering does the work. The factorisation adds −σ to the diagonal itself (setShift), so M − σI is
// never formed.
//
// Eigen's AMD routine is called directly on M's pattern: through AMDOrdering, as SimplicialLDLT would call
// it, M would be copied whole into a full symmetric matrix of doubles, made symmetric once more as Aᵀ + A
// (a transpose and a sparse sum), and then grown by the routine's elbow room, moving every value each
// time, although the ordering reads no value.
//
// An object keeps its buffers from one compute() to the next (Eigen's sparse matrices keep their capacity
// when resized). That matters more than it seems: the factor is the largest allocation of a run (about
// 5 MB for 5,000 points), and a fresh one comes from the system as pages that fault on first touch, which
// cost as much as the factorisation itself on a virtual machine.
class ShiftedFactorization {
public:
    bool compute(const Eigen::SparseMatrix<double>& lower, double sigma) {
        writeSymmetricPattern(lower, pattern_);
        Eigen::internal::minimum_degree_ordering(pattern_, inverseOrdering_); // Eigen's inverse convention
        ordering_ = inverseOrdering_.inverse();
        permutedUpper_.resize(lower.rows(), lower.cols());
        permutedUpper_.selfadjointView<Eigen::Upper>() =
            lower.selfadjointView<Eigen::Lower>().twistedBy(ordering_);
        factorization_.setShift(-sigma);
        factorization_.compute(permutedUpper_);
        return factorization_.info() == Eigen::Success;
    }

    // (M − σI)⁻¹ x = Pᵀ (L D Lᵀ)⁻¹ P x
    void solve(Eigen::Map<const Eigen::VectorXd> input, Eigen::Map<Eigen::VectorXd> output) const {
        output = inverseOrdering_ * factorization_.solve(ordering_ * input);
    }

private:
    Eigen::SparseMatrix<signed char> pattern_;
    Ordering inverseOrdering_;
    Ordering ordering_;
    // Already ordered, and stored as the upper triangle, which the factorisation reads without a copy.
    Eigen::SparseMatrix<double> permutedUpper_;
    Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>, Eigen::Upper, Eigen::NaturalOrdering<StorageIndex>>
        factorization_;
};

// Each thread's factorisation, kept between runs so that the next one (the explorer's after a change of
// k, on the same pool thread) writes into memory already mapped. It holds the last factor until then, or
// until the thread ends.
ShiftedFactorization& threadFactorization() {
    thread_local ShiftedFactorization factorization;
    return factorization;
}

// y = (M − σI)⁻¹ x for Spectra. Every product is one Lanczos step: it checks for cancellation there and
// reports progress. How many steps the iteration needs is not known beforehand, so the fraction after s
// steps is an estimate, s / (s + the Krylov subspace's size), that rises quickly at first and never
// reaches 1 by itself.
class ShiftedLdltSolve {
public:
    using Scalar = double;

    ShiftedLdltSolve(const Eigen::SparseMatrix<double>& lower, Eigen::Index subspaceSize, Progress& progress)
        : lower_(lower), subspaceSize_(static_cast<double>(subspaceSize)), progress_(progress) {}

    Eigen::Index rows() const { return lower_.rows(); }
    Eigen::Index cols() const { return lower_.cols(); }

    void set_shift(double sigma) {
        progress_.checkCanceled();
        if (!factorization_.compute(lower_, sigma)) {
            throw std::runtime_error("the shifted matrix could not be factorised");
        }
        progress_.checkCanceled();
        progress_.report(factorizationShare);
    }

    void perform_op(const double* input, double* output) const {
        progress_.checkCanceled();
        factorization_.solve(Eigen::Map<const Eigen::VectorXd>(input, rows()),
                             Eigen::Map<Eigen::VectorXd>(output, rows()));
        ++steps_;
        const double steps = static_cast<double>(steps_);
        progress_.report(factorizationShare + (1.0 - factorizationShare) * steps / (steps + subspaceSize_));
    }

private:
    const Eigen::SparseMatrix<double>& lower_;
    ShiftedFactorization& factorization_ = threadFactorization();
    double subspaceSize_;
    Progress& progress_;
    mutable long long steps_ = 0;
};

BottomEigenvectors denseBottomEigenvectors(const Eigen::SparseMatrix<double>& matrix, Eigen::Index count,
                                           Eigen::Index skip) {
    // The solver reads only the lower triangle, so whatever the upper one holds does not matter.
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
    // arpack's (and scikit-learn's) default Krylov subspace. Fewer vectors would do for a clean roll (10
    // converge after 11 products instead of 21), but not when M has a null space of many dimensions, as
    // with k = 4: there 10 vectors never converge and even 20 need about 270 products.
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
