// oneTBB before Qt: Qt's `emit` macro (through QImage) breaks tbb/profiling.h.
// clang-format off
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
// clang-format on

#include "explorers/attention_picture.hpp"

#include "locallab/attention/multi_head_attention.hpp"
#include "locallab/attention/token_mixture.hpp"
#include "locallab/data/random_stream.hpp"
#include "locallab/util/progress.hpp"
#include "locallab/widgets/color_maps.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <stdexcept>

namespace locallab {

namespace {

// Queries per parallel task when a matrix is normalised again at a new temperature: a few hundred
// kilobytes of contiguous columns per task, and a cancel request honoured within a millisecond.
constexpr Eigen::Index queriesPerBlock = 64;
// Small matrices are repeated to about this many nodes per side so that their cells stay crisp.
constexpr Eigen::Index smallHeatmapNodes = 256;

// Adds −(i − j)²/(2ℓ²) to log weights stored keys × queries, for queries first, first + 1, ...; −∞ stays.
void addPositionalTerm(Eigen::Ref<Eigen::MatrixXd> logWeights, Eigen::Index firstQuery, double length) {
    const double scale = -0.5 / (length * length);
    for (Eigen::Index column = 0; column < logWeights.cols(); ++column) {
        for (Eigen::Index key = 0; key < logWeights.rows(); ++key) {
            const auto offset = static_cast<double>(firstQuery + column - key);
            logWeights(key, column) += scale * offset * offset;
        }
    }
}

// One head's attention matrix at temperature τ, stored keys × queries: normalize(S / τ + P) column by
// column, in parallel blocks of queries, P the positional term when there is one.
Eigen::MatrixXd weightsAtTemperature(const Eigen::MatrixXd& unitTemperatureLogWeights, double temperature,
                                     std::optional<double> positionalLength, Progress& progress) {
    Eigen::MatrixXd weights(unitTemperatureLogWeights.rows(), unitTemperatureLogWeights.cols());
    const Eigen::Index queries = weights.cols();
    const Eigen::Index blockCount = (queries + queriesPerBlock - 1) / queriesPerBlock;
    tbb::parallel_for(tbb::blocked_range<Eigen::Index>(0, blockCount), [&](const auto& range) {
        for (Eigen::Index block = range.begin(); block != range.end(); ++block) {
            progress.checkCanceled();
            const Eigen::Index first = block * queriesPerBlock;
            const Eigen::Index count = std::min(queriesPerBlock, queries - first);
            // Dividing, as attentionWeights does, rather than multiplying by 1/τ keeps the same log weights.
            weights.middleCols(first, count) =
                unitTemperatureLogWeights.middleCols(first, count) / temperature;
            if (positionalLength) {
                addPositionalTerm(weights.middleCols(first, count), first, *positionalLength);
            }
            normalizeLogWeightColumns(weights.middleCols(first, count), first);
        }
    });
    return weights;
}

std::shared_ptr<const AttentionScores> computeScores(const TokenAttentionRequest& request,
                                                     Progress& progress) {
    const Eigen::MatrixXd& tokens = *request.tokens;
    MultiHeadOptions headOptions;
    headOptions.headCount = request.headCount;
    const MultiHeadAttention layer(tokens.cols(), headOptions);
    AttentionWeightOptions options;
    options.kernel = request.kernel;
    options.temperature = 1.0;
    options.neighborCount = request.neighborCount;
    options.causal = request.causal;

    auto scores = std::make_shared<AttentionScores>();
    scores->tokens = request.tokens;
    scores->kernel = request.kernel;
    scores->neighborCount = request.neighborCount;
    scores->headCount = request.headCount;
    scores->causal = request.causal;
    Eigen::Index offset = 0;
    for (const HeadProjections& head : layer.heads()) {
        progress.checkCanceled();
        const Eigen::MatrixXd queries = tokens * head.query;
        const Eigen::MatrixXd keys = tokens * head.key;
        scores->unitTemperatureLogWeights.push_back(attentionLogWeights(queries, keys, options).transpose());
        scores->values.push_back(tokens * head.value);
        scores->valueOffsets.push_back(offset);
        offset += head.value.cols();
    }
    return scores;
}

// Largest entry of every block of cellsPerNode × cellsPerNode cells.
Eigen::MatrixXd maxPooled(const Eigen::MatrixXd& matrix, Eigen::Index cellsPerNode) {
    const Eigen::Index columns = (matrix.rows() + cellsPerNode - 1) / cellsPerNode;
    const Eigen::Index rows = (matrix.cols() + cellsPerNode - 1) / cellsPerNode;
    Eigen::MatrixXd pooled(columns, rows);
    for (Eigen::Index y = 0; y < rows; ++y) {
        const Eigen::Index firstColumn = y * cellsPerNode;
        const Eigen::Index columnCount = std::min(cellsPerNode, matrix.cols() - firstColumn);
        for (Eigen::Index x = 0; x < columns; ++x) {
            const Eigen::Index firstRow = x * cellsPerNode;
            const Eigen::Index rowCount = std::min(cellsPerNode, matrix.rows() - firstRow);
            pooled(x, y) = matrix.block(firstRow, firstColumn, rowCount, columnCount).maxCoeff();
        }
    }
    return pooled;
}

double meanRowEntropy(const Eigen::MatrixXd& weightsByKey) {
    double sum = 0.0;
    for (Eigen::Index query = 0; query < weightsByKey.cols(); ++query) {
        for (Eigen::Index key = 0; key < weightsByKey.rows(); ++key) {
            const double weight = weightsByKey(key, query);
            if (weight > 0.0) {
                sum -= weight * std::log(weight);
            }
        }
    }
    return weightsByKey.cols() > 0 ? sum / static_cast<double>(weightsByKey.cols()) : 0.0;
}

// The 5 × 7 digits, row by row from the top, '#' ink.
constexpr const char* digitRows[10][glyphHeight] = {
    {".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."},
    {"..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."},
    {".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"},
    {"#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###."},
    {"...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."},
    {"#####", "#....", "####.", "....#", "....#", "#...#", ".###."},
    {"..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."},
    {"#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."},
    {".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."},
    {".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."},
};

// "x1", "x2", ... (appended rather than prefixed: GCC 12 warns falsely about "x" + std::string).
std::string coordinateName(Eigen::Index column) {
    std::string name = "x";
    name += std::to_string(column + 1);
    return name;
}

double rmsSpread(const Eigen::MatrixXd& tokens) {
    if (tokens.rows() == 0) {
        return 0.0;
    }
    const Eigen::RowVectorXd mean = tokens.colwise().mean();
    return std::sqrt((tokens.rowwise() - mean).rowwise().squaredNorm().mean());
}

} // namespace

TokenSet mixtureTokens(Eigen::Index count, Eigen::Index dimension, double separation, double noise,
                       std::uint64_t seed) {
    TokenMixtureOptions options;
    options.dimension = dimension;
    options.separation = separation;
    options.noise = noise;
    options.tokensPerSequence = count;
    options.seed = seed;
    const TokenMixture mixture(options);
    RandomStream random(seed + 1000);
    TokenSequence sequence = mixture.sample(random);
    TokenSet set;
    set.tokens = std::move(sequence.tokens);
    set.groups = std::move(sequence.components);
    for (Eigen::Index column = 0; column < dimension; ++column) {
        set.columnNames.push_back(coordinateName(column));
    }
    set.origin = "mixture of two Gaussians";
    return set;
}

std::optional<std::string> tokenProblem(const Eigen::MatrixXd& tokens) {
    if (tokens.rows() == 0 || tokens.cols() == 0) {
        return "there are no tokens to attend to";
    }
    for (Eigen::Index row = 0; row < tokens.rows(); ++row) {
        for (Eigen::Index column = 0; column < tokens.cols(); ++column) {
            if (!std::isfinite(tokens(row, column))) {
                return "token " + std::to_string(row + 1) +
                       " has a value that is not a finite number (column " + std::to_string(column + 1) + ")";
            }
        }
    }
    return std::nullopt;
}

Eigen::MatrixX2d TokenPlane::project(const Eigen::MatrixXd& rows) const {
    return (rows.rowwise() - centre) * axes;
}

TokenPlane tokenPlaneFor(const Eigen::MatrixXd& tokens, const std::vector<std::string>& columnNames) {
    const Eigen::Index dimension = tokens.cols();
    const auto name = [&](Eigen::Index column) {
        return static_cast<std::size_t>(column) < columnNames.size()
                   ? columnNames[static_cast<std::size_t>(column)]
                   : coordinateName(column);
    };
    TokenPlane plane;
    plane.axes = Eigen::MatrixXd::Zero(dimension, 2);
    if (dimension <= 2) {
        plane.centre = Eigen::RowVectorXd::Zero(dimension);
        plane.axes(0, 0) = 1.0;
        if (dimension == 2) {
            plane.axes(1, 1) = 1.0;
        }
        plane.xTitle = name(0);
        plane.yTitle = dimension == 2 ? name(1) : "(one column: all tokens on a line)";
        return plane;
    }
    plane.centre = tokens.colwise().mean();
    const Eigen::MatrixXd centred = tokens.rowwise() - plane.centre;
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(centred.transpose() * centred);
    for (int axis = 0; axis < 2; ++axis) {
        Eigen::VectorXd direction = solver.eigenvectors().col(dimension - 1 - axis);
        // A fixed sign, so that the same tokens always give the same picture.
        Eigen::Index largest = 0;
        direction.cwiseAbs().maxCoeff(&largest);
        plane.axes.col(axis) = direction[largest] < 0.0 ? Eigen::VectorXd(-direction) : direction;
    }
    plane.xTitle = "principal axis 1 of " + std::to_string(dimension) + " dimensions";
    plane.yTitle = "principal axis 2";
    return plane;
}

HeatmapGrid heatmapGridFor(const Eigen::MatrixXd& weightsByKey, Eigen::Index nodeLimit) {
    const Eigen::Index keys = weightsByKey.rows();
    const Eigen::Index queries = weightsByKey.cols();
    HeatmapGrid grid;
    const Eigen::Index largest = std::max(keys, queries);
    if (largest > nodeLimit) {
        const Eigen::Index cellsPerNode = (largest + nodeLimit - 1) / nodeLimit;
        grid.cellsPerNode = static_cast<int>(cellsPerNode);
        grid.values = maxPooled(weightsByKey, cellsPerNode);
        const double centre = 1.0 + 0.5 * static_cast<double>(cellsPerNode - 1);
        const auto step = static_cast<double>(cellsPerNode);
        grid.xMinimum = centre;
        grid.xMaximum =
            centre + step * static_cast<double>(std::max<Eigen::Index>(grid.values.rows() - 1, 1));
        grid.yMinimum = centre;
        grid.yMaximum =
            centre + step * static_cast<double>(std::max<Eigen::Index>(grid.values.cols() - 1, 1));
    } else {
        const Eigen::Index nodesPerCell = std::max<Eigen::Index>(1, smallHeatmapNodes / largest);
        grid.nodesPerCell = static_cast<int>(nodesPerCell);
        const auto perCell = static_cast<double>(nodesPerCell);
        grid.values.resize(keys * nodesPerCell, queries * nodesPerCell);
        for (Eigen::Index y = 0; y < grid.values.cols(); ++y) {
            for (Eigen::Index x = 0; x < grid.values.rows(); ++x) {
                grid.values(x, y) = weightsByKey(x / nodesPerCell, y / nodesPerCell);
            }
        }
        // Node k of a cell repeated r times sits at 0.5 + (k + 0.5)/r, so that cell j spans [j − 0.5, j +
        // 0.5].
        grid.xMinimum = 0.5 + 0.5 / perCell;
        grid.xMaximum = 0.5 + (static_cast<double>(grid.values.rows()) - 0.5) / perCell;
        grid.yMinimum = 0.5 + 0.5 / perCell;
        grid.yMaximum = 0.5 + (static_cast<double>(grid.values.cols()) - 0.5) / perCell;
    }
    // A scalar field needs two nodes per axis; one token is drawn as a cell repeated.
    if (grid.values.rows() < 2 || grid.values.cols() < 2) {
        const Eigen::MatrixXd single = grid.values;
        grid.values = Eigen::MatrixXd::Constant(std::max<Eigen::Index>(2, single.rows()),
                                                std::max<Eigen::Index>(2, single.cols()), single(0, 0));
        grid.xMaximum = std::max(grid.xMaximum, grid.xMinimum + 1e-6);
        grid.yMaximum = std::max(grid.yMaximum, grid.yMinimum + 1e-6);
    }
    return grid;
}

QImage heatmapImage(const Eigen::MatrixXd& weightsByKey, double maximum, int pixelLimit) {
    const Eigen::Index largest = std::max(weightsByKey.rows(), weightsByKey.cols());
    const Eigen::Index cellsPerPixel = std::max<Eigen::Index>(1, (largest + pixelLimit - 1) / pixelLimit);
    const Eigen::MatrixXd pixels = cellsPerPixel > 1 ? maxPooled(weightsByKey, cellsPerPixel) : weightsByKey;
    QImage image(static_cast<int>(pixels.rows()), static_cast<int>(pixels.cols()), QImage::Format_RGB32);
    const double scale = maximum > 0.0 ? 1.0 / maximum : 0.0;
    for (int y = 0; y < image.height(); ++y) {
        // Query 1 at the bottom, as in the large heatmap.
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(image.height() - 1 - y));
        for (int x = 0; x < image.width(); ++x) {
            const Rgb color = colorMapAt(ColorMap::Viridis, pixels(x, y) * scale);
            line[x] = qRgb(static_cast<int>(std::lround(255.0 * color[0])),
                           static_cast<int>(std::lround(255.0 * color[1])),
                           static_cast<int>(std::lround(255.0 * color[2])));
        }
    }
    return image;
}

bool AttentionScores::fits(const std::shared_ptr<const Eigen::MatrixXd>& otherTokens,
                           AttentionKernel otherKernel, Eigen::Index otherNeighbors, int otherHeads,
                           bool otherCausal) const {
    return tokens == otherTokens && kernel == otherKernel && headCount == otherHeads &&
           causal == otherCausal &&
           (kernel != AttentionKernel::NearestNeighbors || neighborCount == otherNeighbors);
}

std::shared_ptr<const TokenAttentionPicture> computeTokenAttention(const TokenAttentionRequest& request,
                                                                   Progress& progress) {
    if (!request.tokens) {
        throw std::invalid_argument("there are no tokens to attend to");
    }
    if (!std::isfinite(request.temperature) || request.temperature <= 0.0) {
        throw std::invalid_argument("the temperature τ must be a positive finite number");
    }
    if (request.positionalLength &&
        (!std::isfinite(*request.positionalLength) || *request.positionalLength <= 0.0)) {
        throw std::invalid_argument("the positional length ℓ must be a positive finite number");
    }
    auto picture = std::make_shared<TokenAttentionPicture>();
    picture->requestNumber = request.requestNumber;
    picture->temperature = request.temperature;
    picture->positionalLength = request.positionalLength;
    const bool reuse =
        request.scores && request.scores->fits(request.tokens, request.kernel, request.neighborCount,
                                               request.headCount, request.causal);
    picture->scores = reuse ? request.scores : computeScores(request, progress);
    const AttentionScores& scores = *picture->scores;

    const auto headCount = scores.unitTemperatureLogWeights.size();
    std::vector<Eigen::MatrixXd> headWeights;
    Eigen::MatrixXd mean;
    for (std::size_t head = 0; head < headCount; ++head) {
        Eigen::MatrixXd weights = weightsAtTemperature(
            scores.unitTemperatureLogWeights[head], request.temperature, request.positionalLength, progress);
        if (headCount == 1) {
            mean = std::move(weights);
            break;
        }
        mean = head == 0 ? weights : Eigen::MatrixXd(mean + weights);
        picture->headEntropies.push_back(meanRowEntropy(weights));
        headWeights.push_back(std::move(weights));
    }
    if (headCount > 1) {
        mean /= static_cast<double>(headCount);
    }
    progress.checkCanceled();
    picture->largestWeight = mean.size() > 0 ? mean.maxCoeff() : 0.0;
    picture->heatmap = heatmapGridFor(mean, request.heatmapNodeLimit);
    if (headCount > 1) {
        double largest = 0.0;
        for (const Eigen::MatrixXd& weights : headWeights) {
            largest = std::max(largest, weights.maxCoeff());
        }
        for (const Eigen::MatrixXd& weights : headWeights) {
            picture->headImages.push_back(heatmapImage(weights, largest));
        }
    }
    picture->weights = std::make_shared<const Eigen::MatrixXd>(std::move(mean));
    if (request.query && *request.query >= 0 && *request.query < request.tokens->rows()) {
        picture->query = readAttentionQuery(*picture, *request.query);
    }
    return picture;
}

AttentionQueryReadout readAttentionQuery(const TokenAttentionPicture& picture, Eigen::Index query) {
    const AttentionScores& scores = *picture.scores;
    AttentionQueryReadout readout;
    readout.query = query;
    readout.weights = picture.weights->col(query);
    readout.weights.maxCoeff(&readout.strongestKey);
    readout.entropy = rowEntropy(readout.weights.transpose())[0];
    readout.output = Eigen::VectorXd::Zero(scores.tokens->cols());
    for (std::size_t head = 0; head < scores.values.size(); ++head) {
        // Each head's own row, normalised again from its log weights: the mean row mixes the heads.
        Eigen::MatrixXd row = scores.unitTemperatureLogWeights[head].col(query) / picture.temperature;
        if (picture.positionalLength) {
            addPositionalTerm(row, query, *picture.positionalLength);
        }
        normalizeLogWeightColumns(row, query);
        const Eigen::MatrixXd& values = scores.values[head];
        readout.output.segment(scores.valueOffsets[head], values.cols()) = values.transpose() * row;
    }
    return readout;
}

std::shared_ptr<const LayerPicture> computeLayers(const LayerRequest& request, Progress& progress) {
    const Eigen::MatrixXd& tokens = *request.tokens;
    const double entries = static_cast<double>(tokens.rows()) * static_cast<double>(tokens.rows()) *
                           static_cast<double>(request.options.layerCount);
    if (entries > layerMatrixEntryLimit) {
        throw std::invalid_argument("the layer stack keeps every layer's n × n attention matrix, and " +
                                    std::to_string(tokens.rows()) + " tokens through " +
                                    std::to_string(request.options.layerCount) +
                                    " layers is too much to keep: choose fewer tokens or layers");
    }
    const LayerStackResult result = runLayerStack(tokens, request.options, progress);
    auto picture = std::make_shared<LayerPicture>();
    picture->requestNumber = request.requestNumber;
    for (const Eigen::MatrixXd& layerTokens : result.tokens) {
        picture->projectedTokens.push_back(request.plane.project(layerTokens));
        picture->spreads.push_back(rmsSpread(layerTokens));
    }
    for (const Eigen::MatrixXd& weights : result.attentionWeights) {
        progress.checkCanceled();
        picture->heatmaps.push_back(heatmapGridFor(weights.transpose(), request.heatmapNodeLimit));
    }
    return picture;
}

Eigen::MatrixXd digitGlyphs() {
    Eigen::MatrixXd glyphs(glyphWidth * glyphHeight, 10);
    for (int digit = 0; digit < 10; ++digit) {
        for (int row = 0; row < glyphHeight; ++row) {
            for (int column = 0; column < glyphWidth; ++column) {
                glyphs(row * glyphWidth + column, digit) = digitRows[digit][row][column] == '#' ? 1.0 : -1.0;
            }
        }
    }
    return glyphs;
}

std::shared_ptr<const HopfieldPicture> computeHopfield(const HopfieldRequest& request, Progress& progress) {
    const int stored = std::clamp(request.storedPatterns, 1, 10);
    if (request.corruptedPattern < 0 || request.corruptedPattern >= stored) {
        throw std::invalid_argument("the query starts from digit " +
                                    std::to_string(request.corruptedPattern) + ", but only the digits 0 to " +
                                    std::to_string(stored - 1) + " are stored");
    }
    auto picture = std::make_shared<HopfieldPicture>();
    picture->requestNumber = request.requestNumber;
    picture->inverseTemperature = request.inverseTemperature;
    picture->patterns = digitGlyphs().leftCols(stored);
    const Eigen::VectorXd start = picture->patterns.col(request.corruptedPattern);
    picture->query = maskEntries(start, request.maskFraction, request.seed);
    if (request.noise > 0.0) {
        picture->query = addGaussianNoise(picture->query, request.noise, request.seed + 1);
    }
    HopfieldOptions options;
    options.inverseTemperature = request.inverseTemperature;
    options.maxSteps = 40;
    options.tolerance = 1e-9;
    picture->retrieval = retrieveHopfield(picture->patterns, picture->query, options, progress);
    for (const Eigen::VectorXd& state : picture->retrieval.states) {
        picture->stepWeights.push_back(hopfieldWeights(picture->patterns, state, request.inverseTemperature));
    }
    // The three regimes: from the mean of all patterns (small β) through metastable mixtures of similar
    // digits to a single digit (large β), measured by how many patterns the fixed point mixes.
    constexpr int sweepPoints = 61;
    picture->sweepBetas.resize(sweepPoints);
    picture->sweepEffectivePatterns.resize(sweepPoints);
    for (int k = 0; k < sweepPoints; ++k) {
        progress.checkCanceled();
        const double beta = std::pow(10.0, -3.0 + 4.0 * k / (sweepPoints - 1));
        HopfieldOptions sweep = options;
        sweep.inverseTemperature = beta;
        sweep.maxSteps = 200;
        const HopfieldRetrieval retrieval = retrieveHopfield(picture->patterns, picture->query, sweep);
        picture->sweepBetas[k] = beta;
        picture->sweepEffectivePatterns[k] = 1.0 / retrieval.finalWeights.squaredNorm();
    }
    return picture;
}

QImage glyphImage(const Eigen::VectorXd& pattern) {
    QImage image(glyphWidth, glyphHeight, QImage::Format_RGB32);
    for (int row = 0; row < glyphHeight; ++row) {
        for (int column = 0; column < glyphWidth; ++column) {
            // +1 ink (near black), −1 paper (white), 0 (masked) mid grey.
            const double ink = std::clamp(0.5 * (pattern[row * glyphWidth + column] + 1.0), 0.0, 1.0);
            const int level = static_cast<int>(std::lround(255.0 - 225.0 * ink));
            image.setPixel(column, row, qRgb(level, level, level));
        }
    }
    return image;
}

std::shared_ptr<const ClusteringPicture> computeClustering(const ClusteringRequest& request,
                                                           Progress& progress) {
    auto picture = std::make_shared<ClusteringPicture>();
    picture->requestNumber = request.requestNumber;
    picture->sharpness = request.training.sharpness;
    ProgressShare training(progress, 0.0, 0.9);
    picture->training = trainAttentionClustering(request.training, training);
    TokenMixtureOptions mixture = request.training.mixture;
    mixture.tokensPerSequence = request.quantizedTokens;
    RandomStream random(request.training.seed + 7919);
    picture->sequence = TokenMixture(mixture).sample(random);
    picture->quantized = inContextQuantization(picture->sequence.tokens, request.training.sharpness);
    picture->measure =
        measureQuantization(picture->sequence.tokens, picture->quantized, picture->training.centroids);
    std::vector<std::string> names;
    for (Eigen::Index column = 0; column < mixture.dimension; ++column) {
        names.push_back(coordinateName(column));
    }
    picture->plane = tokenPlaneFor(picture->sequence.tokens, names);
    progress.report(1.0);
    return picture;
}

} // namespace locallab
