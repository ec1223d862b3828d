#include "explorers/manifold_picture.hpp"

#include "locallab/data/generator_registry.hpp"
#include "locallab/manifold/neighborhood_list.hpp"
#include "locallab/neighbors/neighbor_index.hpp"
#include "locallab/util/progress.hpp"

#include <Eigen/Eigenvalues>
#include <Eigen/SVD>
#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace locallab {

namespace {

constexpr Eigen::Index drawnDimensions = 3;

std::shared_ptr<const Dataset> sourceDataset(const ManifoldSource& source) {
    if (source.generator.empty()) {
        if (!source.loaded || source.loaded->empty()) {
            throw std::invalid_argument("there are no data to embed yet: open or generate data in the Data "
                                        "explorer, or choose a generated shape");
        }
        return source.loaded;
    }
    ParameterValues values;
    values.set("samples", source.samples);
    values.set("noise", source.noise);
    values.set("seed", static_cast<long long>(source.seed));
    return std::make_shared<const Dataset>(generate(source.generator, values));
}

// The drawn axes for data of at most three columns: the columns themselves.
void useColumns(const Dataset& dataset, ManifoldData& data) {
    const Eigen::Index columns = dataset.dimension();
    data.center = Eigen::RowVectorXd::Zero(columns);
    data.basis = Eigen::MatrixXd::Zero(columns, drawnDimensions);
    data.basis.topLeftCorner(columns, columns).setIdentity();
    for (Eigen::Index axis = 0; axis < drawnDimensions; ++axis) {
        const auto index = static_cast<std::size_t>(axis);
        data.axisNames[index] = axis < columns
                                    ? (index < dataset.columnNames.size() ? dataset.columnNames[index]
                                                                          : "x" + std::to_string(axis + 1))
                                    : std::string("(none)");
    }
}

// The drawn axes for wider data: the first three principal directions, each signed so that its largest
// entry is positive (the same picture on every run).
void usePrincipalComponents(const Dataset& dataset, ManifoldData& data) {
    data.center = dataset.points.colwise().mean();
    const Eigen::MatrixXd centred = dataset.points.rowwise() - data.center;
    const Eigen::MatrixXd covariance = centred.transpose() * centred;
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(covariance);
    const Eigen::Index columns = dataset.dimension();
    data.basis.resize(columns, drawnDimensions);
    double drawnVariance = 0.0;
    for (Eigen::Index axis = 0; axis < drawnDimensions; ++axis) {
        // Eigenvalues come in ascending order: the strongest direction is the last.
        const Eigen::Index source = columns - 1 - axis;
        Eigen::VectorXd direction = solver.eigenvectors().col(source);
        Eigen::Index largest = 0;
        direction.cwiseAbs().maxCoeff(&largest);
        if (direction(largest) < 0.0) {
            direction = -direction;
        }
        data.basis.col(axis) = direction;
        drawnVariance += std::max(0.0, solver.eigenvalues()(source));
        data.axisNames[static_cast<std::size_t>(axis)] = "PC" + std::to_string(axis + 1);
    }
    const double totalVariance = std::max(0.0, solver.eigenvalues().sum());
    data.explainedVariance = totalVariance > 0.0 ? drawnVariance / totalVariance : 1.0;
    data.principalComponents = true;
}

// Eigenvectors have no preferred sign: each axis is turned to agree with the embedding on screen.
void alignSigns(Eigen::MatrixXd& embedding, const Eigen::MatrixXd& previous) {
    if (previous.rows() != embedding.rows()) {
        return;
    }
    const Eigen::Index shared = std::min(previous.cols(), embedding.cols());
    for (Eigen::Index axis = 0; axis < shared; ++axis) {
        if (embedding.col(axis).dot(previous.col(axis)) < 0.0) {
            embedding.col(axis) = -embedding.col(axis);
        }
    }
}

// The two strongest directions of the neighbours around their mean (D × 2; a missing one is 0), each
// signed so that its largest entry is positive.
Eigen::MatrixX2d localPlane(const Eigen::MatrixXd& offsets) {
    const Eigen::MatrixXd centred = offsets.rowwise() - offsets.colwise().mean();
    const Eigen::JacobiSVD<Eigen::MatrixXd> svd(centred, Eigen::ComputeThinV);
    Eigen::MatrixX2d plane = Eigen::MatrixX2d::Zero(offsets.cols(), 2);
    for (Eigen::Index axis = 0; axis < std::min<Eigen::Index>(2, svd.matrixV().cols()); ++axis) {
        Eigen::VectorXd direction = svd.matrixV().col(axis);
        Eigen::Index largest = 0;
        direction.cwiseAbs().maxCoeff(&largest);
        plane.col(axis) = direction(largest) < 0.0 ? Eigen::VectorXd(-direction) : direction;
    }
    return plane;
}

// The median distance to the suggestedRadiusNeighbors-th nearest other point, over at most
// radiusSampleSize evenly spread points (enough for a median), rounded to two significant digits so that
// the number box shows a plain number.
double suggestRadius(const Eigen::MatrixXd& points) {
    constexpr Eigen::Index radiusSampleSize = 1000;
    const Eigen::Index count = points.rows();
    if (count < 2) {
        return 1.0;
    }
    const NeighborIndex index(points);
    const Eigen::Index wanted = std::min(suggestedRadiusNeighbors, count - 1) + 1; // the point itself too
    const Eigen::Index step = std::max<Eigen::Index>(1, count / radiusSampleSize);
    std::vector<double> distances;
    for (Eigen::Index row = 0; row < count; row += step) {
        const std::vector<Neighbor> found = index.nearest(points.row(row), wanted);
        distances.push_back(std::sqrt(found.back().squaredDistance));
    }
    const auto middle = distances.begin() + static_cast<std::ptrdiff_t>(distances.size() / 2);
    std::nth_element(distances.begin(), middle, distances.end());
    const double median = *middle;
    if (!(median > 0.0) || !std::isfinite(median)) {
        return 1.0;
    }
    const double unit = std::pow(10.0, std::floor(std::log10(median)) - 1.0);
    return std::round(median / unit) * unit;
}

bool hasWeights(const LocallyLinearEmbeddingResult& result, Eigen::Index point) {
    return point >= 0 && point < result.neighborhoods.size() &&
           result.weights.size() == result.neighborhoods.members().size() &&
           point < result.reconstructionErrors.size() && std::isfinite(result.reconstructionErrors(point));
}

} // namespace

Eigen::Vector3d ManifoldData::displayOf(const Eigen::RowVectorXd& point) const {
    return ((point - center) * basis).transpose();
}

bool ManifoldPicture::hasEmbedding() const {
    return data && result.succeeded() && result.embedding.rows() == pointCount() &&
           result.embedding.cols() >= 2;
}

std::shared_ptr<const ManifoldData> prepareManifoldData(const ManifoldSource& source) {
    auto data = std::make_shared<ManifoldData>();
    data->dataset = sourceDataset(source);
    const Dataset& dataset = *data->dataset;
    if (dataset.empty() || dataset.dimension() < 1) {
        throw std::invalid_argument("the data have no points to embed");
    }
    if (!dataset.points.allFinite()) {
        throw std::invalid_argument("the data contain NaN or infinite values; remove those rows to run LLE");
    }
    if (dataset.dimension() <= drawnDimensions) {
        useColumns(dataset, *data);
    } else {
        usePrincipalComponents(dataset, *data);
    }
    data->display = (dataset.points.rowwise() - data->center) * data->basis;
    data->suggestedRadius = suggestRadius(dataset.points);
    return data;
}

std::shared_ptr<const ManifoldPicture> computeManifoldPicture(const ManifoldRequest& request,
                                                              Progress& progress) {
    auto picture = std::make_shared<ManifoldPicture>();
    picture->requestNumber = request.requestNumber;
    picture->source = request.source;
    picture->options = request.options;
    picture->data = request.data ? request.data : prepareManifoldData(request.source);
    if (request.radiusFromData && picture->options.radius) {
        picture->options.radius = picture->data->suggestedRadius;
    }
    const Eigen::Index count = picture->data->dataset->size();
    if (picture->options.eigenSolver == EigenSolverChoice::Dense && count > interactiveDenseSolverLimit) {
        picture->options.eigenSolver = EigenSolverChoice::Sparse;
        picture->notes.push_back(
            "The dense eigensolver is kept to " + std::to_string(interactiveDenseSolverLimit) +
            " points here (it needs n² memory and cannot be stopped once started); these " +
            std::to_string(count) + " points were embedded with the sparse solver.");
    }
    progress.checkCanceled();
    picture->result = locallyLinearEmbedding(picture->data->dataset->points, picture->options, progress);
    if (picture->result.connectedComponents > 1) {
        picture->graphPieces = connectedComponentLabels(picture->result.neighborhoods);
    }
    if (request.previousEmbedding && picture->hasEmbedding()) {
        alignSigns(picture->result.embedding, *request.previousEmbedding);
    }
    return picture;
}

std::optional<PointReconstruction> reconstructPoint(const ManifoldPicture& picture, Eigen::Index point) {
    if (!picture.data || !hasWeights(picture.result, point)) {
        return std::nullopt;
    }
    const Eigen::MatrixXd& points = picture.data->dataset->points;
    const auto neighbors = picture.result.neighborhoods.neighborsOf(point);
    const auto weights = picture.result.weightsOf(point);
    PointReconstruction reconstruction;
    reconstruction.point = point;
    reconstruction.neighbors.assign(neighbors.begin(), neighbors.end());
    reconstruction.weights.assign(weights.begin(), weights.end());
    reconstruction.rebuilt = Eigen::VectorXd::Zero(points.cols());
    for (std::size_t k = 0; k < neighbors.size(); ++k) {
        const Eigen::Index neighbor = neighbors[k];
        reconstruction.rebuilt += weights[k] * points.row(neighbor).transpose();
        reconstruction.distances.push_back((points.row(neighbor) - points.row(point)).norm());
        reconstruction.weightSum += weights[k];
    }
    reconstruction.error = (points.row(point).transpose() - reconstruction.rebuilt).squaredNorm();
    Eigen::MatrixXd offsets(static_cast<Eigen::Index>(neighbors.size()), points.cols());
    for (std::size_t k = 0; k < neighbors.size(); ++k) {
        offsets.row(static_cast<Eigen::Index>(k)) = points.row(neighbors[k]) - points.row(point);
    }
    const Eigen::MatrixX2d plane = localPlane(offsets);
    reconstruction.localNeighbors = offsets * plane;
    reconstruction.localRebuilt =
        plane.transpose() * (reconstruction.rebuilt - points.row(point).transpose());
    reconstruction.displayPoint = picture.data->display.row(point).transpose();
    reconstruction.displayRebuilt = picture.data->displayOf(reconstruction.rebuilt.transpose());
    if (picture.hasEmbedding()) {
        const Eigen::MatrixXd& embedding = picture.result.embedding;
        Eigen::Vector2d rebuilt = Eigen::Vector2d::Zero();
        for (std::size_t k = 0; k < neighbors.size(); ++k) {
            rebuilt += weights[k] * embedding.row(neighbors[k]).head<2>().transpose();
        }
        reconstruction.embedded = embedding.row(point).head<2>().transpose();
        reconstruction.embeddedRebuilt = rebuilt;
        reconstruction.embeddedError = (*reconstruction.embedded - rebuilt).squaredNorm();
    }
    return reconstruction;
}

} // namespace locallab
