#pragma once
// Locally linear embedding (Roweis & Saul) and its variants, as scikit-learn's LocallyLinearEmbedding:
// each point is rebuilt from its neighbours with weights summing to 1 (a local model fitted with the
// k-NN kernel), and the low-dimensional coordinates that keep those local relations are the bottom
// eigenvectors of the sparse alignment matrix M, skipping the constant one.
//
// Problems that would make the coordinates meaningless (a neighbour graph in several pieces, too few
// neighbours for the method, a singular local Gram matrix, an eigensolver that did not converge) are
// returned as plain-language diagnostics instead of an embedding.

#include "locallab/manifold/bottom_eigenvectors.hpp"
#include "locallab/manifold/neighborhood_list.hpp"
#include "locallab/util/progress.hpp"

#include <Eigen/Core>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace locallab {

enum class LleMethod { Standard, Modified, Hessian, Ltsa };

struct LocallyLinearEmbeddingOptions {
    Eigen::Index neighbors = 5;  // n_neighbors: k, the point itself not counted
    Eigen::Index components = 2; // n_components: d, the embedding's dimension
    double reg = 1e-3;           // the local Gram's regularisation, relative to its trace
    LleMethod method = LleMethod::Standard;
    EigenSolverChoice eigenSolver = EigenSolverChoice::Automatic;
    double hessianTolerance = 1e-4;   // hessian_tol
    double modifiedTolerance = 1e-12; // modified_tol
    // When set, a neighbourhood is every point within this distance instead of the k nearest.
    std::optional<double> radius;
};

struct LleDiagnostic {
    enum class Severity { Warning, Error }; // an Error means there is no embedding
    enum class Kind {
        InvalidParameter,
        TooFewNeighbors,
        TooManyNeighbors,
        DisconnectedGraph,
        DuplicatePoints,
        SingularLocalGram,
        EigensolverFailed,
    };
    Severity severity = Severity::Error;
    Kind kind = Kind::InvalidParameter;
    std::string message;
};

struct LocallyLinearEmbeddingResult {
    Eigen::MatrixXd embedding;            // n × components; 0 rows when an error diagnostic is present
    Eigen::VectorXd eigenvalues;          // the eigenvalues of the kept eigenvectors, ascending
    double eigenvalueSum = 0.0;           // scikit-learn's reconstruction_error_
    NeighborhoodList neighborhoods;       // every point's neighbours, nearest first
    std::vector<double> weights;          // reconstruction weights, aligned with neighborhoods.members()
    Eigen::VectorXd reconstructionErrors; // ||x_i − Σ_j W_ij x_j||² per point
    Eigen::Index connectedComponents = 0;
    Eigen::Index duplicatePoints = 0;
    bool usedDenseSolver = false;
    std::vector<LleDiagnostic> diagnostics;

    bool succeeded() const;
    // The weights W_ij of one point, in the order of neighborhoods.neighborsOf(point). They are the
    // standard method's barycentre weights (with the options' reg) whatever the method, because that
    // is the local reconstruction every variant starts from.
    std::span<const double> weightsOf(Eigen::Index point) const;
    // Every diagnostic message, one per line.
    std::string describeProblems() const;
};

// Where a run is, read from its progress fraction: each phase reports into its own part of 0..1, in
// this order, and the fractions never go back. The neighbour search ends at neighborsEnd, the local
// models (weights, tangent spaces) at localEnd, the assembly of M at assemblyEnd, the eigensolver at 1.
struct LleProgressPhases {
    double neighborsEnd;
    double localEnd;
    double assemblyEnd;
};
inline constexpr LleProgressPhases lleProgressPhases{0.15, 0.6, 0.75};

// points: n × D, one row per point. Parallel over points (oneTBB); reports progress and stops with
// OperationCanceled when asked: once per block of points while searching neighbours, fitting the local
// models and assembling M, and at every step of the sparse eigensolver (the dense one cannot be
// interrupted, so it is checked only before and after).
LocallyLinearEmbeddingResult locallyLinearEmbedding(const Eigen::MatrixXd& points,
                                                    const LocallyLinearEmbeddingOptions& options,
                                                    Progress& progress);

} // namespace locallab
