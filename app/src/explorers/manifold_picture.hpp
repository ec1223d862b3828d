#pragma once
// What the Manifold explorer draws, computed off the GUI thread: the points LLE embeds with their 3-D
// stand-in for the input view, and the embedding with everything LLE found on the way there (every
// point's neighbours and reconstruction weights, the per-point reconstruction errors, the plain-words
// diagnostics). From a picture, the local reconstruction of any one point is read back cheaply, for the
// click that shows it.

#include "locallab/data/dataset.hpp"
#include "locallab/manifold/locally_linear_embedding.hpp"

#include <Eigen/Core>
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace locallab {

class Progress;

// Where the points come from: a generator of core's registry ("swiss_roll", "s_curve", "helix",
// "sphere_without_cap") drawn with these settings, or, with an empty generator, a data set handed over
// (the one the Data explorer shows).
struct ManifoldSource {
    std::string generator = "swiss_roll";
    long long samples = 1500;
    double noise = 0.0;
    std::uint64_t seed = 0;
    std::shared_ptr<const Dataset> loaded;

    bool operator==(const ManifoldSource&) const = default;
};

struct ManifoldData {
    std::shared_ptr<const Dataset> dataset; // the points LLE embeds: n × D
    // The 3-D points drawn: the columns themselves when D ≤ 3 (missing ones are 0), otherwise the
    // coordinates along the first three principal directions. Either way display = (x − center)·basis,
    // an affine map, so a point rebuilt with weights summing to 1 is drawn where its weights put it.
    Eigen::MatrixX3d display;
    Eigen::RowVectorXd center; // 1 × D
    Eigen::MatrixXd basis;     // D × 3
    std::array<std::string, 3> axisNames;
    bool principalComponents = false;
    double explainedVariance = 1.0; // the share of the variance the three drawn axes carry
    // A neighbourhood radius that suits the data's spacing: the median distance from a point to its
    // suggestedRadiusNeighbors-th nearest neighbour, to two significant digits.
    double suggestedRadius = 1.0;

    Eigen::Vector3d displayOf(const Eigen::RowVectorXd& point) const;
};

// The neighbours a typical point has within the suggested radius (the explorer's default k).
inline constexpr Eigen::Index suggestedRadiusNeighbors = 12;

// The dense eigensolver cannot be interrupted, needs n² memory and O(n³) time (on two busy cores about
// 1 s for 1,000 points, 8 s for 2,000, 47 s for 3,000): above this many points the picture uses the
// sparse solver instead, and says so in its notes.
inline constexpr Eigen::Index interactiveDenseSolverLimit = 1500;

struct ManifoldRequest {
    ManifoldSource source;
    std::shared_ptr<const ManifoldData> data; // already prepared from `source`; null: prepare it first
    LocallyLinearEmbeddingOptions options;
    // With a radius in the options: use the data's suggestedRadius in its place (the user has not chosen
    // one for these data).
    bool radiusFromData = false;
    // The embedding on screen for the same data, if any: the new one's axes are flipped to agree with
    // it, so that moving a slider does not mirror the picture back and forth.
    std::shared_ptr<const Eigen::MatrixXd> previousEmbedding;
    std::uint64_t requestNumber = 0;
};

struct ManifoldPicture {
    std::uint64_t requestNumber = 0;
    ManifoldSource source;
    std::shared_ptr<const ManifoldData> data;
    LocallyLinearEmbeddingOptions options; // as run: the radius used, the solver used
    LocallyLinearEmbeddingResult result;
    // What the picture changed in the request, in words (the dense solver refused for large data).
    std::vector<std::string> notes;
    // Which piece of the neighbour graph each point lies in, when the graph falls apart; empty otherwise.
    Eigen::VectorXi graphPieces;

    bool hasEmbedding() const;
    Eigen::Index pointCount() const { return data ? data->dataset->size() : 0; }
};

// Generates or takes over the points and works out how to draw them in 3-D. Throws
// std::invalid_argument with a sentence for the user (no points, non-finite values, an unknown
// generator).
std::shared_ptr<const ManifoldData> prepareManifoldData(const ManifoldSource& source);

// Prepares the data when the request has none, then runs LLE. A problem LLE reports (a neighbour graph in
// pieces, too few neighbours) comes back in result.diagnostics, with no embedding.
std::shared_ptr<const ManifoldPicture> computeManifoldPicture(const ManifoldRequest& request,
                                                              Progress& progress);

// How one point is rebuilt from its neighbours: x̂_i = Σ_j W_ij x_j with Σ_j W_ij = 1.
struct PointReconstruction {
    Eigen::Index point = 0;
    std::vector<Eigen::Index> neighbors; // nearest first
    std::vector<double> weights;         // W_ij, in the order of neighbors
    std::vector<double> distances;       // ‖x_j − x_i‖
    double weightSum = 0.0;
    Eigen::VectorXd rebuilt; // x̂_i, in the data's D columns
    double error = 0.0;      // ‖x_i − x̂_i‖²
    Eigen::Vector3d displayPoint = Eigen::Vector3d::Zero();
    Eigen::Vector3d displayRebuilt = Eigen::Vector3d::Zero();
    // The neighbourhood in its own plane: offsets from x_i along the two principal directions of the
    // neighbours (for data on a sheet, its tangent plane), where the point itself sits at the origin.
    Eigen::MatrixX2d localNeighbors; // one row per neighbour
    Eigen::Vector2d localRebuilt = Eigen::Vector2d::Zero();
    // In the embedding, when the picture has one: y_i, ŷ_i = Σ_j W_ij y_j and ‖y_i − ŷ_i‖².
    std::optional<Eigen::Vector2d> embedded;
    std::optional<Eigen::Vector2d> embeddedRebuilt;
    double embeddedError = 0.0;
};

// Nothing for an index outside the data or a point without weights (a singular local Gram matrix).
std::optional<PointReconstruction> reconstructPoint(const ManifoldPicture& picture, Eigen::Index point);

} // namespace locallab
