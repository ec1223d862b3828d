#include "explorers/classification_picture.hpp"

#include "locallab/util/progress.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace locallab {

namespace {

// The plotted area: the data and a margin of a fifth of their extent (at least the bandwidth's reach,
// capped so that a huge h does not shrink the data to a dot).
void frameAround(const Eigen::MatrixXd& points, const KernelClassifierSettings& settings,
                 ClassificationPicture& picture) {
    const Eigen::RowVector2d low = points.colwise().minCoeff();
    const Eigen::RowVector2d high = points.colwise().maxCoeff();
    const double extent = std::max((high - low).maxCoeff(), 1e-9);
    double padding = 0.15 * extent;
    if (settings.weighting == KernelClassifierSettings::Weighting::Radial) {
        padding = std::clamp(settings.bandwidth.size(), padding, 0.35 * extent);
    }
    picture.xMinimum = low.x() - padding;
    picture.xMaximum = high.x() + padding;
    picture.yMinimum = low.y() - padding;
    picture.yMaximum = high.y() + padding;
}

double node(double minimum, double maximum, Eigen::Index index, Eigen::Index nodes) {
    return minimum + (maximum - minimum) * static_cast<double>(index) / static_cast<double>(nodes - 1);
}

} // namespace

ClassificationDataOrProblem classificationDataFrom(const Dataset& dataset) {
    ClassificationDataOrProblem result;
    if (dataset.empty()) {
        result.problem = "There are no data points to classify.";
        return result;
    }
    if (!dataset.labels) {
        result.problem = "These data have no class labels, so there is nothing to classify. Generate blobs, "
                         "two_moons or circles in the Data explorer, or open a file with a label column.";
        return result;
    }
    if (dataset.dimension() < 2) {
        result.problem = "The Classification explorer draws two columns, and these data have one.";
        return result;
    }
    const Eigen::MatrixXd points = dataset.points.leftCols(2);
    if (!points.allFinite()) {
        result.problem = "The data contain NaN or infinite values; remove those rows to classify them.";
        return result;
    }
    const ClassIndices indexed = indexClasses(*dataset.labels);
    if (indexed.values.size() < 2) {
        result.problem = "Every point has the same label, so there is only one class and no boundary to "
                         "draw. Classification needs at least two classes.";
        return result;
    }
    ClassificationData data;
    data.points = std::make_shared<const Eigen::MatrixXd>(points);
    data.classes = indexed.classes;
    for (const int value : indexed.values) {
        const bool named = value >= 0 && static_cast<std::size_t>(value) < dataset.labelNames.size() &&
                           !dataset.labelNames[static_cast<std::size_t>(value)].empty();
        data.classNames.push_back(named ? dataset.labelNames[static_cast<std::size_t>(value)]
                                        : "class " + std::to_string(value));
    }
    result.data = std::move(data);
    return result;
}

std::shared_ptr<const ClassificationPicture>
computeClassificationPicture(const ClassificationRequest& request, Progress& progress) {
    auto picture = std::make_shared<ClassificationPicture>();
    picture->requestNumber = request.requestNumber;
    picture->preview = request.preview;
    picture->classifier =
        std::make_shared<const KernelClassifier>(*request.points, request.classes, request.settings);
    frameAround(*request.points, request.settings, *picture);
    const Eigen::Index nodes = std::max<Eigen::Index>(
        request.preview ? std::min(request.gridNodes, previewGridNodes) : request.gridNodes, 2);
    Eigen::MatrixXd targets(nodes * nodes, 2);
    for (Eigen::Index j = 0; j < nodes; ++j) {
        for (Eigen::Index i = 0; i < nodes; ++i) {
            targets.row(i + nodes * j) << node(picture->xMinimum, picture->xMaximum, i, nodes),
                node(picture->yMinimum, picture->yMaximum, j, nodes);
        }
    }
    const ClassPosteriors posteriors = picture->classifier->classify(targets, progress);
    const int classCount = picture->classifier->classCount();
    picture->predicted.resize(nodes, nodes);
    picture->confidence.resize(nodes, nodes);
    picture->margins.assign(static_cast<std::size_t>(classCount), Eigen::MatrixXd(nodes, nodes));
    for (Eigen::Index target = 0; target < targets.rows(); ++target) {
        const Eigen::Index i = target % nodes;
        const Eigen::Index j = target / nodes;
        const Eigen::RowVectorXd p = posteriors.probabilities.row(target);
        picture->predicted(i, j) = posteriors.predicted[target];
        picture->confidence(i, j) = p.maxCoeff();
        picture->noSupportNodes += posteriors.hasValue(target) ? 0 : 1;
        for (int c = 0; c < classCount; ++c) {
            double rival = 0.0;
            for (int other = 0; other < classCount; ++other) {
                rival = other == c ? rival : std::max(rival, p[other]);
            }
            picture->margins[static_cast<std::size_t>(c)](i, j) = p[c] - rival;
        }
    }
    if (request.target) {
        picture->targetReadout = readTarget(*picture->classifier, *request.target);
    }
    progress.report(1.0);
    return picture;
}

TargetReadout readTarget(const KernelClassifier& classifier, const Eigen::Vector2d& position) {
    TargetReadout readout;
    readout.position = position;
    readout.posterior = classifier.posteriorAt(position);
    readout.weights = classifier.weightsAt(position);
    if (!readout.posterior.hasValue()) {
        return readout;
    }
    const double sumOfSquares = readout.weights.sumOfSquares();
    readout.effectivePointCount = sumOfSquares > 0.0 ? 1.0 / sumOfSquares : 0.0;
    const KernelClassifierSettings& settings = classifier.settings();
    if (settings.weighting == KernelClassifierSettings::Weighting::NearestNeighbors) {
        readout.weightSum = static_cast<double>(readout.weights.indices.size());
        return readout;
    }
    // The normalised weights hide the scale; the raw sum says how much data the kernel reaches. A scalar
    // bandwidth is what the explorer uses, so u = ‖x* − x_i‖²/h².
    const double h = settings.bandwidth.size();
    for (const Eigen::Index row : readout.weights.indices) {
        const double u = (classifier.points().row(row).transpose() - position).squaredNorm() / (h * h);
        readout.weightSum += settings.kernel.value(u);
    }
    return readout;
}

} // namespace locallab
