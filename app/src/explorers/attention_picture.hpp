#pragma once
// What the Attention explorer draws, computed off the GUI thread, one job per page:
//   Tokens      the attention matrix of a token set at a temperature τ (every head and their mean), a
//               heatmap grid sized for the screen, and the readout of one query (its row, entropy, output);
//   Layers      the tokens after every layer of a stack, projected into the token plane;
//   Hopfield    the step-by-step retrieval of a corrupted glyph and a sweep over β;
//   Clustering  two heads trained on a Gaussian mixture and the in-context quantization of one sequence.
//
// A temperature change is the explorer's most frequent request, so the τ-free part of the attention
// (the log weights at τ = 1, AttentionScores) is kept with the picture and reused: for the softmax,
// Gaussian and cosine kernels log w_ij(τ) = log w_ij(1) / τ, and knn does not depend on τ at all. The
// positional factor is not part of the scores: its log, −(i − j)²/(2ℓ²), is added after the division by
// τ, as attentionLogWeights adds it, so neither τ nor ℓ needs the scores again.

#include "locallab/attention/attention_clustering.hpp"
#include "locallab/attention/attention_weights.hpp"
#include "locallab/attention/hopfield_retrieval.hpp"
#include "locallab/attention/in_context_quantization.hpp"
#include "locallab/attention/layer_stack.hpp"

#include <Eigen/Core>
#include <QImage>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace locallab {

class Progress;

// A set of tokens (rows) and, when known, which group each came from (mixture component, data label).
struct TokenSet {
    Eigen::MatrixXd tokens;
    Eigen::VectorXi groups; // empty when there are none
    std::vector<std::string> columnNames;
    std::string origin;
};

// n tokens of d dimensions from the two-component mixture of attention-based clustering.
TokenSet mixtureTokens(Eigen::Index count, Eigen::Index dimension, double separation, double noise,
                       std::uint64_t seed);

// Why a token matrix cannot be attended to (empty, or a value that is not finite), or nothing.
std::optional<std::string> tokenProblem(const Eigen::MatrixXd& tokens);

// The plane the token view shows: the token coordinates themselves for d ≤ 2, otherwise the first two
// principal axes of the tokens. An affine map, so the local mean of projected tokens is the projection
// of their local mean.
struct TokenPlane {
    Eigen::RowVectorXd centre;
    Eigen::MatrixXd axes; // d × 2
    std::string xTitle;
    std::string yTitle;

    Eigen::MatrixX2d project(const Eigen::MatrixXd& rows) const;
};
TokenPlane tokenPlaneFor(const Eigen::MatrixXd& tokens, const std::vector<std::string>& columnNames);

// An n × n matrix sampled for drawing: cell (j, i) of the matrix, key j along x and query i along y,
// covers [j + 0.5, j + 1.5] × [i + 0.5, i + 1.5] (tokens are numbered from 1). Small matrices are
// repeated `nodesPerCell` times per cell so that cells stay crisp under interpolation; large ones are
// reduced to blocks of `cellsPerNode` cells, each drawn with its largest weight so that a sharp
// attention stays visible.
struct HeatmapGrid {
    Eigen::MatrixXd values; // nodes along x (keys) × nodes along y (queries)
    double xMinimum = 0.0;
    double xMaximum = 1.0;
    double yMinimum = 0.0;
    double yMaximum = 1.0;
    int nodesPerCell = 1;
    int cellsPerNode = 1;
};
HeatmapGrid heatmapGridFor(const Eigen::MatrixXd& weights, Eigen::Index nodeLimit = 256);

// A matrix as an image for the small heatmaps of the heads: one pixel per cell (or per block of cells,
// their largest value), query 1 at the bottom like the large heatmap, colour scale [0, maximum].
QImage heatmapImage(const Eigen::MatrixXd& weights, double maximum, int pixelLimit = 160);

// The τ-free part of one token set's attention, for one kernel, head count, k and mask.
struct AttentionScores {
    std::shared_ptr<const Eigen::MatrixXd> tokens;
    AttentionKernel kernel = AttentionKernel::Softmax;
    Eigen::Index neighborCount = 5;
    int headCount = 1;
    bool causal = false;
    std::vector<Eigen::MatrixXd> unitTemperatureLogWeights; // per head, n × n
    std::vector<Eigen::MatrixXd> values;                    // per head, n × d_v
    std::vector<Eigen::Index> valueOffsets;                 // where a head's output goes in the layer output

    bool fits(const std::shared_ptr<const Eigen::MatrixXd>& otherTokens, AttentionKernel otherKernel,
              Eigen::Index otherNeighbors, int otherHeads, bool otherCausal) const;
};

// The weights, entropy and output of one query.
struct AttentionQueryReadout {
    Eigen::Index query = 0;        // 0-based
    Eigen::VectorXd weights;       // the row w_i· of the head-averaged matrix
    Eigen::VectorXd output;        // the layer's output for query i (d): Σ_j w_ij v_j per head
    double entropy = 0.0;          // −Σ_j w_ij log w_ij of the row
    Eigen::Index strongestKey = 0; // argmax_j w_ij
};

struct TokenAttentionRequest {
    std::shared_ptr<const Eigen::MatrixXd> tokens;
    AttentionKernel kernel = AttentionKernel::Softmax;
    double temperature = 1.0;
    Eigen::Index neighborCount = 5;
    int headCount = 1;
    bool causal = false;
    std::optional<double> positionalLength; // ℓ of the positional factor, none when empty
    std::optional<Eigen::Index> query;
    std::shared_ptr<const AttentionScores> scores; // reused when it fits the request
    Eigen::Index heatmapNodeLimit = 256;           // about the pixels a half-window heatmap has
    std::uint64_t requestNumber = 0;
};

struct TokenAttentionPicture {
    std::uint64_t requestNumber = 0;
    std::shared_ptr<const AttentionScores> scores;
    double temperature = 1.0;
    std::optional<double> positionalLength;
    std::shared_ptr<const Eigen::MatrixXd> weights; // the head-averaged attention matrix, rows sum to 1
    HeatmapGrid heatmap;
    double largestWeight = 0.0;
    std::vector<QImage> headImages;    // one per head when there are several, on one colour scale
    std::vector<double> headEntropies; // mean row entropy per head
    std::optional<AttentionQueryReadout> query;
};

std::shared_ptr<const TokenAttentionPicture> computeTokenAttention(const TokenAttentionRequest& request,
                                                                   Progress& progress);
AttentionQueryReadout readAttentionQuery(const TokenAttentionPicture& picture, Eigen::Index query);

struct LayerRequest {
    std::shared_ptr<const Eigen::MatrixXd> tokens;
    LayerStackOptions options;
    TokenPlane plane;
    Eigen::Index heatmapNodeLimit = 256;
    std::uint64_t requestNumber = 0;
};

struct LayerPicture {
    std::uint64_t requestNumber = 0;
    std::vector<Eigen::MatrixX2d> projectedTokens; // layers + 1, in the token plane
    std::vector<HeatmapGrid> heatmaps;             // one per layer, its head-averaged attention
    std::vector<double> spreads;                   // RMS distance of the tokens to their mean, per layer
};

// The largest n² · L the layer page computes: every layer's n × n matrix is kept by the stack.
constexpr double layerMatrixEntryLimit = 1.5e8;

std::shared_ptr<const LayerPicture> computeLayers(const LayerRequest& request, Progress& progress);

// The glyphs the Hopfield page stores: the digits 0–9 in a 5 × 7 bitmap font, as ±1 vectors of 35 entries
// (row by row from the top, +1 ink).
constexpr int glyphWidth = 5;
constexpr int glyphHeight = 7;
Eigen::MatrixXd digitGlyphs(); // 35 × 10, one pattern per column

struct HopfieldRequest {
    int storedPatterns = 10;   // the first digits
    int corruptedPattern = 0;  // the digit the query starts from
    double maskFraction = 0.4; // of its pixels set to 0 (grey)
    double noise = 0.0;        // σ of Gaussian noise added after masking
    double inverseTemperature = 0.3;
    std::uint64_t seed = 1;
    std::uint64_t requestNumber = 0;
};

struct HopfieldPicture {
    std::uint64_t requestNumber = 0;
    Eigen::MatrixXd patterns; // 35 × N
    Eigen::VectorXd query;
    HopfieldRetrieval retrieval;
    std::vector<Eigen::VectorXd> stepWeights; // softmax(β Xᵀ ξ_t) for every state
    Eigen::VectorXd sweepBetas;               // a log grid around the chosen β
    Eigen::VectorXd sweepEffectivePatterns;   // 1 / Σ w² at the fixed point reached from the query
    double inverseTemperature = 0.3;
};

std::shared_ptr<const HopfieldPicture> computeHopfield(const HopfieldRequest& request, Progress& progress);

// A ±1 (or grey) vector of 35 entries as a glyph image, ink dark.
QImage glyphImage(const Eigen::VectorXd& pattern);

struct ClusteringRequest {
    ClusteringTrainingOptions training;
    Eigen::Index quantizedTokens = 200;
    std::uint64_t requestNumber = 0;
};

struct ClusteringPicture {
    std::uint64_t requestNumber = 0;
    ClusteringTraining training;
    TokenPlane plane;          // of the quantized sequence
    TokenSequence sequence;    // one fresh sequence of the mixture
    Eigen::MatrixXd quantized; // T(X) of that sequence
    QuantizationMeasure measure;
    double sharpness = 0.5;
};

std::shared_ptr<const ClusteringPicture> computeClustering(const ClusteringRequest& request,
                                                           Progress& progress);

} // namespace locallab
