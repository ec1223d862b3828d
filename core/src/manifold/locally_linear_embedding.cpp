#include "locallab/manifold/locally_linear_embedding.hpp"

#include "locallab/manifold/barycenter_weights.hpp"
#include "locallab/manifold/local_alignment.hpp"
#include "locallab/manifold/local_tangent_space.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <sstream>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace locallab {

namespace {

using Severity = LleDiagnostic::Severity;
using Kind = LleDiagnostic::Kind;

constexpr Eigen::Index pointsPerBlock = 128;

// The share of the whole run each phase reports into, so that one progress bar covers them all.
struct Phase {
    double start;
    double end;
};
constexpr Phase neighborsPhase{0.0, lleProgressPhases.neighborsEnd};
constexpr Phase localPhase{lleProgressPhases.neighborsEnd, lleProgressPhases.localEnd};
constexpr Phase assemblyPhase{lleProgressPhases.localEnd, lleProgressPhases.assemblyEnd};
constexpr Phase eigenPhase{lleProgressPhases.assemblyEnd, 1.0};

// A phase's own 0..1 fraction, reported as its share of the whole run.
ProgressShare phaseProgress(Progress& whole, Phase phase) {
    return ProgressShare(whole, phase.start, phase.end - phase.start);
}

// body(point) for every point, in parallel blocks; cancellation is checked once per block. Blocks end in
// any order, so the count and its report share a lock: the fractions reported never go back.
template <typename Body>
void forEachPoint(Eigen::Index pointCount, Progress& progress, const Body& body) {
    std::mutex reporting;
    Eigen::Index done = 0;
    tbb::parallel_for(tbb::blocked_range<Eigen::Index>(0, pointCount, pointsPerBlock),
                      [&](const tbb::blocked_range<Eigen::Index>& points) {
                          progress.checkCanceled();
                          for (Eigen::Index point = points.begin(); point < points.end(); ++point) {
                              body(point);
                          }
                          const std::lock_guard lock(reporting);
                          done += static_cast<Eigen::Index>(points.size());
                          progress.report(static_cast<double>(done) / static_cast<double>(pointCount));
                      });
}

std::string format(double value) {
    std::ostringstream text;
    text << value;
    return text.str();
}

class DiagnosticList {
public:
    explicit DiagnosticList(std::vector<LleDiagnostic>& diagnostics) : diagnostics_(diagnostics) {}
    void error(Kind kind, std::string message) {
        diagnostics_.push_back({Severity::Error, kind, std::move(message)});
    }
    void warning(Kind kind, std::string message) {
        diagnostics_.push_back({Severity::Warning, kind, std::move(message)});
    }
    bool hasErrors() const {
        return std::any_of(diagnostics_.begin(), diagnostics_.end(), [](const LleDiagnostic& diagnostic) {
            return diagnostic.severity == Severity::Error;
        });
    }

private:
    std::vector<LleDiagnostic>& diagnostics_;
};

Eigen::Index hessianMinimumNeighbors(Eigen::Index components) {
    return components * (components + 3) / 2 + 1;
}

// The smallest neighbourhood the method can work with (scikit-learn's conditions).
Eigen::Index minimumNeighbors(const LocallyLinearEmbeddingOptions& options) {
    switch (options.method) {
    case LleMethod::Hessian:
        return hessianMinimumNeighbors(options.components);
    case LleMethod::Modified:
        return options.components;
    case LleMethod::Standard:
    case LleMethod::Ltsa:
        break;
    }
    return 1;
}

std::string tooFewNeighborsMessage(const LocallyLinearEmbeddingOptions& options, const std::string& actual) {
    const std::string d = std::to_string(options.components);
    if (options.method == LleMethod::Hessian) {
        return "Hessian LLE with " + d + " components needs more than d(d+3)/2 = " +
               std::to_string(hessianMinimumNeighbors(options.components) - 1) +
               " neighbours per point, but " + actual + ". Use more neighbours or fewer components.";
    }
    if (options.method == LleMethod::Modified) {
        return "Modified LLE needs at least as many neighbours as components (" + d + "), but " + actual +
               ". Use more neighbours or fewer components.";
    }
    return "Every point needs at least one neighbour, but " + actual + ". Use a larger radius.";
}

void checkOptions(const Eigen::MatrixXd& points, const LocallyLinearEmbeddingOptions& options,
                  DiagnosticList& diagnostics) {
    const Eigen::Index pointCount = points.rows();
    if (options.components < 1) {
        diagnostics.error(Kind::InvalidParameter, "The embedding needs at least one component.");
    } else if (options.components > points.cols()) {
        diagnostics.error(Kind::InvalidParameter, "The embedding cannot have more components (" +
                                                      std::to_string(options.components) +
                                                      ") than the data has "
                                                      "dimensions (" +
                                                      std::to_string(points.cols()) + ").");
    } else if (options.components + 1 >= pointCount) {
        diagnostics.error(Kind::InvalidParameter,
                          std::to_string(options.components) + " components need more than " +
                              std::to_string(options.components + 1) + " points; the data has " +
                              std::to_string(pointCount) + ".");
    }
    if (!(options.reg >= 0.0) || !std::isfinite(options.reg)) {
        diagnostics.error(Kind::InvalidParameter,
                          "The regularisation reg must be 0 or more, not " + format(options.reg) + ".");
    }
    if (options.radius) {
        if (!(*options.radius > 0.0) || !std::isfinite(*options.radius)) {
            diagnostics.error(Kind::InvalidParameter, "The neighbourhood radius must be positive, not " +
                                                          format(*options.radius) + ".");
        }
        return;
    }
    if (options.neighbors < 1) {
        diagnostics.error(Kind::InvalidParameter, "The number of neighbours must be at least 1.");
    } else if (options.neighbors >= pointCount) {
        diagnostics.error(Kind::TooManyNeighbors,
                          "k = " + std::to_string(options.neighbors) +
                              " neighbours per point needs more than " + std::to_string(options.neighbors) +
                              " points; the data has " + std::to_string(pointCount) + ".");
    } else if (options.components >= 1 && options.neighbors < minimumNeighbors(options)) {
        diagnostics.error(Kind::TooFewNeighbors,
                          tooFewNeighborsMessage(options, "k = " + std::to_string(options.neighbors)));
    }
}

void checkNeighborhoods(const Eigen::MatrixXd& points, const LocallyLinearEmbeddingOptions& options,
                        LocallyLinearEmbeddingResult& result, DiagnosticList& diagnostics) {
    const NeighborhoodList& neighborhoods = result.neighborhoods;
    if (options.radius) {
        const Eigen::Index smallest = neighborhoods.smallestSize();
        if (smallest < minimumNeighbors(options)) {
            diagnostics.error(
                Kind::TooFewNeighbors,
                tooFewNeighborsMessage(options, "some point has only " + std::to_string(smallest) +
                                                    " within radius " + format(*options.radius)));
            return;
        }
    }
    result.connectedComponents = countConnectedComponents(neighborhoods);
    if (result.connectedComponents > 1) {
        const std::string how = options.radius ? "use a larger radius" : "use more neighbours";
        diagnostics.error(Kind::DisconnectedGraph,
                          "The neighbour graph falls apart into " +
                              std::to_string(result.connectedComponents) +
                              " separate pieces, so LLE cannot place them relative to each other: " + how +
                              " or embed each piece on its own.");
    }
    result.duplicatePoints = countDuplicatePoints(points, neighborhoods);
    if (result.duplicatePoints > 0) {
        diagnostics.warning(Kind::DuplicatePoints,
                            std::to_string(result.duplicatePoints) +
                                " points are exact copies of other points; each copy takes a neighbour slot "
                                "and is rebuilt by its twin alone. Consider removing duplicates.");
    }
}

std::vector<LocalBlock> tangentSpaceBlocks(const Eigen::MatrixXd& points,
                                           const LocallyLinearEmbeddingOptions& options,
                                           const NeighborhoodList& neighborhoods, Progress& progress) {
    const Eigen::Index pointCount = points.rows();
    std::vector<LocalBlock> blocks(static_cast<std::size_t>(pointCount));
    if (options.method == LleMethod::Modified) {
        std::vector<ModifiedLocalGeometry> geometries(static_cast<std::size_t>(pointCount));
        std::vector<double> spreadRatios(static_cast<std::size_t>(pointCount));
        ProgressShare firstHalf = phaseProgress(progress, {0.0, 0.5});
        forEachPoint(pointCount, firstHalf, [&](Eigen::Index point) {
            const auto slot = static_cast<std::size_t>(point);
            geometries[slot] = modifiedLocalGeometry(points, point, neighborhoods.neighborsOf(point));
            spreadRatios[slot] = modifiedSpreadRatio(geometries[slot], options.components);
        });
        // numpy's median: the mean of the two middle values for an even count.
        std::vector<double> sorted = spreadRatios;
        std::sort(sorted.begin(), sorted.end());
        const std::size_t middle = sorted.size() / 2;
        const double median =
            sorted.size() % 2 == 1 ? sorted[middle] : 0.5 * (sorted[middle - 1] + sorted[middle]);
        ProgressShare secondHalf = phaseProgress(progress, {0.5, 1.0});
        forEachPoint(pointCount, secondHalf, [&](Eigen::Index point) {
            blocks[static_cast<std::size_t>(point)] =
                modifiedBlock(geometries[static_cast<std::size_t>(point)], point,
                              neighborhoods.neighborsOf(point), median, options.modifiedTolerance);
        });
        return blocks;
    }
    forEachPoint(pointCount, progress, [&](Eigen::Index point) {
        const auto neighbors = neighborhoods.neighborsOf(point);
        blocks[static_cast<std::size_t>(point)] =
            options.method == LleMethod::Hessian
                ? hessianBlock(points, neighbors, options.components, options.hessianTolerance)
                : ltsaBlock(points, neighbors, options.components);
    });
    return blocks;
}

// Which points had no reconstruction weights because their local Gram matrix was singular.
struct SingularPoints {
    Eigen::Index count = 0;
    Eigen::Index first = 0;
};

// Fills result.weights and result.reconstructionErrors.
SingularPoints reconstructionWeights(const Eigen::MatrixXd& points,
                                     const LocallyLinearEmbeddingOptions& options,
                                     LocallyLinearEmbeddingResult& result, Progress& progress) {
    const NeighborhoodList& neighborhoods = result.neighborhoods;
    result.weights.assign(neighborhoods.members().size(), 0.0);
    result.reconstructionErrors = Eigen::VectorXd::Constant(points.rows(), std::nan(""));
    std::atomic<Eigen::Index> firstSingularPoint{points.rows()};
    std::atomic<Eigen::Index> singularCount{0};
    forEachPoint(points.rows(), progress, [&](Eigen::Index point) {
        const auto neighbors = neighborhoods.neighborsOf(point);
        const std::optional<Eigen::VectorXd> weights =
            barycenterWeights(points, point, neighbors, options.reg);
        if (!weights) {
            ++singularCount;
            Eigen::Index expected = firstSingularPoint.load();
            while (point < expected && !firstSingularPoint.compare_exchange_weak(expected, point)) {
            }
            return;
        }
        std::copy(weights->begin(), weights->end(), result.weights.begin() + neighborhoods.offset(point));
        result.reconstructionErrors(point) = reconstructionError(points, point, neighbors, *weights);
    });
    return {singularCount.load(), firstSingularPoint.load()};
}

// Singular Gram matrices stop the standard method, whose M is made of those weights; the other methods
// only lose the weights the explorer would draw.
void reportSingularPoints(const SingularPoints& singular, const LocallyLinearEmbeddingOptions& options,
                          DiagnosticList& diagnostics) {
    if (singular.count == 0) {
        return;
    }
    const std::string others =
        singular.count > 1 ? " and " + std::to_string(singular.count - 1) + " other points" : std::string();
    const std::string where = "The local Gram matrix of point " + std::to_string(singular.first) + " (row " +
                              std::to_string(singular.first + 1) + ")" + others +
                              " is singular, so its reconstruction weights are not defined";
    if (options.method == LleMethod::Standard) {
        diagnostics.error(Kind::SingularLocalGram, where + ": raise reg (now " + format(options.reg) +
                                                       ") or remove duplicate points.");
    } else {
        diagnostics.warning(Kind::SingularLocalGram,
                            where + "; its weights are shown as 0. The embedding itself does not use them.");
    }
}

void keepBottomEigenvectors(const Eigen::SparseMatrix<double>& alignment,
                            const LocallyLinearEmbeddingOptions& options,
                            LocallyLinearEmbeddingResult& result, DiagnosticList& diagnostics,
                            Progress& progress) {
    const BottomEigenvectors bottom =
        bottomEigenvectors(alignment, options.components, 1, options.eigenSolver, progress);
    result.usedDenseSolver = bottom.usedDenseSolver;
    if (!bottom.failure.empty()) {
        diagnostics.error(Kind::EigensolverFailed, "No embedding: " + bottom.failure + ".");
    } else if (!bottom.vectors.allFinite()) {
        diagnostics.error(Kind::EigensolverFailed,
                          "No embedding: the eigensolver returned non-finite coordinates.");
    } else {
        result.embedding = bottom.vectors;
        result.eigenvalues = bottom.values;
        result.eigenvalueSum = bottom.values.sum();
    }
}

} // namespace

bool LocallyLinearEmbeddingResult::succeeded() const {
    return std::none_of(diagnostics.begin(), diagnostics.end(), [](const LleDiagnostic& diagnostic) {
        return diagnostic.severity == Severity::Error;
    });
}

std::span<const double> LocallyLinearEmbeddingResult::weightsOf(Eigen::Index point) const {
    const auto begin = static_cast<std::size_t>(neighborhoods.offset(point));
    const auto end = static_cast<std::size_t>(neighborhoods.offset(point + 1));
    return std::span<const double>(weights).subspan(begin, end - begin);
}

std::string LocallyLinearEmbeddingResult::describeProblems() const {
    std::string text;
    for (const LleDiagnostic& diagnostic : diagnostics) {
        text +=
            (diagnostic.severity == Severity::Error ? "error: " : "warning: ") + diagnostic.message + "\n";
    }
    return text;
}

LocallyLinearEmbeddingResult locallyLinearEmbedding(const Eigen::MatrixXd& points,
                                                    const LocallyLinearEmbeddingOptions& options,
                                                    Progress& progress) {
    LocallyLinearEmbeddingResult result;
    result.embedding.resize(0, std::max<Eigen::Index>(options.components, 0));
    DiagnosticList diagnostics(result.diagnostics);
    checkOptions(points, options, diagnostics);
    if (diagnostics.hasErrors()) {
        return result;
    }

    ProgressShare neighborProgress = phaseProgress(progress, neighborsPhase);
    result.neighborhoods = options.radius ? radiusNeighborhoods(points, *options.radius, neighborProgress)
                                          : nearestNeighborhoods(points, options.neighbors, neighborProgress);
    checkNeighborhoods(points, options, result, diagnostics);
    if (diagnostics.hasErrors()) {
        return result;
    }

    // Every method gets reconstruction weights (the explorer draws them); the standard method's M is
    // made of them, the others build M from the tangent spaces afterwards.
    const bool standard = options.method == LleMethod::Standard;
    ProgressShare weightProgress =
        phaseProgress(progress, {localPhase.start, standard ? localPhase.end : 0.3});
    reportSingularPoints(reconstructionWeights(points, options, result, weightProgress), options,
                         diagnostics);
    if (diagnostics.hasErrors()) {
        return result;
    }
    std::vector<LocalBlock> blocks;
    if (!standard) {
        ProgressShare blockProgress = phaseProgress(progress, {0.3, localPhase.end});
        blocks = tangentSpaceBlocks(points, options, result.neighborhoods, blockProgress);
    }

    ProgressShare assemblyProgress = phaseProgress(progress, assemblyPhase);
    // M's lower triangle: M is symmetric and the eigensolvers read no more.
    const Eigen::SparseMatrix<double> alignment =
        standard
            ? assembleReconstructionAlignmentMatrix(result.neighborhoods, result.weights, assemblyProgress)
            : assembleAlignmentMatrix(points.rows(), blocks, assemblyProgress);
    blocks.clear();
    ProgressShare eigenProgress = phaseProgress(progress, eigenPhase);
    keepBottomEigenvectors(alignment, options, result, diagnostics, eigenProgress);
    progress.report(1.0);
    return result;
}

} // namespace locallab
