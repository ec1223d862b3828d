#include "locallab/attention/multi_head_attention.hpp"

#include "cancel_only_progress.hpp"
#include "locallab/attention/random_matrix.hpp"
#include "locallab/data/random_stream.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace locallab {
namespace {

Eigen::MatrixXd baseProjection(Eigen::Index inputs, Eigen::Index outputs, ProjectionKind kind,
                               RandomStream& random) {
    if (kind == ProjectionKind::Identity) {
        return Eigen::MatrixXd::Identity(inputs, outputs);
    }
    return gaussianMatrix(inputs, outputs, 1.0 / std::sqrt(static_cast<double>(inputs)), random);
}

std::vector<HeadProjections> splitProjections(Eigen::Index dimension, const MultiHeadOptions& options) {
    if (options.headCount > dimension) {
        std::ostringstream message;
        message << options.headCount << " heads cannot split " << dimension
                << " dimensions: every head needs at least one";
        throw std::invalid_argument(message.str());
    }
    RandomStream random(options.seed);
    const Eigen::MatrixXd query = baseProjection(dimension, dimension, options.projection, random);
    const Eigen::MatrixXd key = baseProjection(dimension, dimension, options.projection, random);
    const Eigen::MatrixXd value = baseProjection(dimension, dimension, options.projection, random);
    std::vector<HeadProjections> heads;
    const Eigen::Index baseWidth = dimension / options.headCount;
    const Eigen::Index widerHeads = dimension % options.headCount;
    Eigen::Index firstColumn = 0;
    for (int head = 0; head < options.headCount; ++head) {
        const Eigen::Index width = baseWidth + (head < widerHeads ? 1 : 0);
        heads.push_back({query.middleCols(firstColumn, width), key.middleCols(firstColumn, width),
                         value.middleCols(firstColumn, width)});
        firstColumn += width;
    }
    return heads;
}

std::vector<HeadProjections> independentProjections(Eigen::Index dimension, const MultiHeadOptions& options) {
    const Eigen::Index keyDimension = options.keyDimension > 0 ? options.keyDimension : dimension;
    RandomStream random(options.seed);
    std::vector<HeadProjections> heads;
    for (int head = 0; head < options.headCount; ++head) {
        Eigen::MatrixXd query = baseProjection(dimension, keyDimension, options.projection, random);
        Eigen::MatrixXd key = baseProjection(dimension, keyDimension, options.projection, random);
        Eigen::MatrixXd value = baseProjection(dimension, dimension, options.projection, random);
        heads.push_back({std::move(query), std::move(key), std::move(value)});
    }
    return heads;
}

void checkHeads(const std::vector<HeadProjections>& heads, HeadLayout layout) {
    if (heads.empty()) {
        throw std::invalid_argument("multi-head attention needs at least one head");
    }
    const Eigen::Index inputs = heads.front().query.rows();
    for (std::size_t head = 0; head < heads.size(); ++head) {
        const HeadProjections& projections = heads[head];
        std::ostringstream problem;
        if (projections.key.rows() != inputs || projections.value.rows() != inputs ||
            projections.query.rows() != inputs) {
            problem << "its projections take " << projections.query.rows() << ", " << projections.key.rows()
                    << " and " << projections.value.rows() << " inputs instead of " << inputs;
        } else if (projections.query.cols() != projections.key.cols()) {
            problem << "its queries have " << projections.query.cols() << " columns but its keys "
                    << projections.key.cols();
        } else if (layout == HeadLayout::IndependentProjections &&
                   projections.value.cols() != heads.front().value.cols()) {
            problem << "its values have " << projections.value.cols()
                    << " columns; averaged heads need the same value width";
        }
        if (!problem.str().empty()) {
            throw std::invalid_argument("head " + std::to_string(head + 1) + ": " + problem.str());
        }
    }
}

} // namespace

Eigen::MatrixXd MultiHeadResult::meanWeights() const {
    Eigen::MatrixXd mean = heads.front().weights;
    for (std::size_t head = 1; head < heads.size(); ++head) {
        mean += heads[head].weights;
    }
    return mean / static_cast<double>(heads.size());
}

MultiHeadAttention::MultiHeadAttention(Eigen::Index modelDimension, const MultiHeadOptions& options)
    : weights_(options.weights), layout_(options.layout) {
    if (options.headCount < 1) {
        throw std::invalid_argument("multi-head attention needs at least one head, got " +
                                    std::to_string(options.headCount));
    }
    heads_ = options.layout == HeadLayout::SplitDimensions ? splitProjections(modelDimension, options)
                                                           : independentProjections(modelDimension, options);
}

MultiHeadAttention::MultiHeadAttention(std::vector<HeadProjections> heads, AttentionWeightOptions weights,
                                       HeadLayout layout)
    : heads_(std::move(heads)), weights_(std::move(weights)), layout_(layout) {
    checkHeads(heads_, layout_);
}

Eigen::Index MultiHeadAttention::modelDimension() const {
    return heads_.front().query.rows();
}

MultiHeadResult MultiHeadAttention::apply(const Eigen::MatrixXd& tokens, Progress& progress) const {
    if (tokens.cols() != modelDimension()) {
        std::ostringstream message;
        message << "the tokens have " << tokens.cols() << " columns but the attention layer expects "
                << modelDimension();
        throw std::invalid_argument(message.str());
    }
    MultiHeadResult result;
    CancelOnlyProgress headProgress(progress);
    Eigen::Index outputColumns = 0;
    for (const HeadProjections& projections : heads_) {
        progress.checkCanceled();
        HeadResult head;
        head.queries = tokens * projections.query;
        head.keys = tokens * projections.key;
        head.values = tokens * projections.value;
        AttentionResult attention = attend(head.queries, head.keys, head.values, weights_, headProgress);
        head.weights = std::move(attention.weights);
        head.output = std::move(attention.output);
        outputColumns += head.output.cols();
        result.heads.push_back(std::move(head));
        progress.report(static_cast<double>(result.heads.size()) / static_cast<double>(heads_.size()));
    }
    if (layout_ == HeadLayout::SplitDimensions) {
        result.output.resize(tokens.rows(), outputColumns);
        Eigen::Index firstColumn = 0;
        for (const HeadResult& head : result.heads) {
            result.output.middleCols(firstColumn, head.output.cols()) = head.output;
            firstColumn += head.output.cols();
        }
    } else {
        result.output = result.heads.front().output;
        for (std::size_t head = 1; head < result.heads.size(); ++head) {
            result.output += result.heads[head].output;
        }
        result.output /= static_cast<double>(result.heads.size());
    }
    return result;
}

MultiHeadResult MultiHeadAttention::apply(const Eigen::MatrixXd& tokens) const {
    SilentProgress progress;
    return apply(tokens, progress);
}

} // namespace locallab
