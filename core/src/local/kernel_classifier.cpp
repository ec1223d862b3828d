#include "locallab/local/kernel_classifier.hpp"

#include "locallab/neighbors/neighbor_index.hpp"
#include "locallab/util/log_domain.hpp"
#include "parallel_targets.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <tbb/enumerable_thread_specific.h>

namespace locallab {

namespace {

constexpr double negativeInfinity = -std::numeric_limits<double>::infinity();
// Points are scanned in chunks that stay in the first-level cache with their log-weights.
constexpr Eigen::Index pointChunk = 2048;
// A parallel block of targets does about this many kernel evaluations: enough to make scheduling and
// the cancellation check free, few enough that a cancel is seen within a millisecond or so.
constexpr double evaluationsPerBlock = 1e5;

// log k(u) over a chunk, in place; vectorised for the Gaussian, the profile whose weights underflow.
void applyLogProfile(const RadialKernel& kernel, Eigen::Ref<Eigen::ArrayXd> squaredDistances) {
    if (kernel.profile() == KernelProfile::Gaussian) {
        squaredDistances *= -0.5;
        return;
    }
    squaredDistances = squaredDistances.unaryExpr([&kernel](double u) { return kernel.logValue(u); });
}

// Σ exp(l_i), kept as exp(maximum)·scaledSum so that no term underflows or overflows before the end.
// The chunk's largest term contributes exactly 1, so terms below e^−745 of it, which Eigen's vectorised
// exp returns as 5.6e−309 rather than 0, change the sum by less than 1e−304 of itself: the plain .exp() is
// exact here, and unlike exponentiate() (whose select() Eigen 3.4 evaluates one scalar std::exp at a time)
// it stays vectorised, which is most of this loop's time.
struct LogSum {
    double maximum = negativeInfinity;
    double scaledSum = 0.0;

    void add(const Eigen::Ref<const Eigen::ArrayXd>& logTerms) {
        const double blockMaximum = logTerms.maxCoeff();
        if (blockMaximum == negativeInfinity) {
            return;
        }
        if (blockMaximum > maximum) {
            scaledSum *= std::exp(maximum - blockMaximum);
            maximum = blockMaximum;
        }
        scaledSum += (logTerms - maximum).exp().sum();
    }
};

void checkFiniteRows(const Eigen::MatrixXd& matrix, const char* what) {
    for (Eigen::Index row = 0; row < matrix.rows(); ++row) {
        if (!matrix.row(row).allFinite()) {
            throw std::invalid_argument(std::string("kernel classifier: ") + what + " row " +
                                        std::to_string(row + 1) +
                                        " holds a value that is not a finite number");
        }
    }
}

int argmaxLowestOnTies(const Eigen::VectorXd& values) {
    int best = 0;
    for (int c = 1; c < static_cast<int>(values.size()); ++c) {
        if (values(c) > values(best)) {
            best = c;
        }
    }
    return best;
}

} // namespace

KernelClassifierSettings KernelClassifierSettings::radial(RadialKernel kernel, Bandwidth bandwidth) {
    KernelClassifierSettings settings;
    settings.weighting = Weighting::Radial;
    settings.kernel = kernel;
    settings.bandwidth = std::move(bandwidth);
    return settings;
}

KernelClassifierSettings KernelClassifierSettings::nearestNeighbors(Eigen::Index neighborCount) {
    KernelClassifierSettings settings;
    settings.weighting = Weighting::NearestNeighbors;
    settings.neighborCount = neighborCount;
    return settings;
}

std::string KernelClassifierSettings::describe() const {
    if (weighting == Weighting::NearestNeighbors) {
        return "knn, k = " + std::to_string(neighborCount);
    }
    return std::string(kernel.name()) + ", " + bandwidth.describe();
}

Eigen::Index ClassPosteriors::count(LocalFitStatus status) const {
    return static_cast<Eigen::Index>(std::count(statuses.begin(), statuses.end(), status));
}

// How the points that count at a target are found, one of three ways:
// - a radial kernel of infinite support scans every point, whitened, stored column by column and
//   grouped by class so that each class's weights are summed over one contiguous run;
// - a compact radial kernel asks a k-d tree over the whitened points for the ball u ≤ 1;
// - the k-NN kernel asks a tree over the original points for the k nearest.
struct KernelClassifier::Search {
    Eigen::MatrixXd sortedPoints;           // full scan: whitened points, grouped by class
    std::vector<Eigen::Index> originalRows; // full scan: the data row of each sorted position
    std::vector<Eigen::Index> classStarts;  // full scan: class c occupies [classStarts[c], classStarts[c+1])
    std::unique_ptr<NeighborIndex> index;   // compact kernel (whitened points) or k-NN (original points)
};

struct KernelClassifier::Workspace {
    Eigen::ArrayXd buffer = Eigen::ArrayXd(pointChunk);
    std::vector<Neighbor> neighbors;
    Eigen::VectorXd sums;
    Eigen::VectorXd classMaxima;
};

KernelClassifier::KernelClassifier(Eigen::MatrixXd points, Eigen::VectorXi labels,
                                   KernelClassifierSettings settings)
    : points_(std::move(points)), labels_(std::move(labels)), settings_(std::move(settings)),
      search_(std::make_unique<Search>()) {
    if (points_.rows() == 0 || points_.cols() == 0) {
        throw std::invalid_argument("the kernel classifier needs at least one labelled point");
    }
    if (labels_.size() != points_.rows()) {
        throw std::invalid_argument("kernel classifier: " + std::to_string(points_.rows()) + " points but " +
                                    std::to_string(labels_.size()) + " labels");
    }
    checkFiniteRows(points_, "data");
    if (labels_.minCoeff() < 0) {
        throw std::invalid_argument("kernel classifier: labels must be class indices 0, 1, ..., found " +
                                    std::to_string(labels_.minCoeff()));
    }
    classCount_ = labels_.maxCoeff() + 1;

    if (settings_.weighting == KernelClassifierSettings::Weighting::NearestNeighbors) {
        if (settings_.neighborCount < 1) {
            throw std::invalid_argument("the k-NN kernel needs at least 1 neighbour, got " +
                                        std::to_string(settings_.neighborCount));
        }
        if (settings_.neighborCount > size()) {
            throw std::invalid_argument(
                "the k-NN kernel asks for " + std::to_string(settings_.neighborCount) +
                " neighbours but there are only " + std::to_string(size()) + " data points");
        }
        search_->index = std::make_unique<NeighborIndex>(points_);
        return;
    }

    settings_.bandwidth.checkDimension(dimension());
    const Eigen::MatrixXd whitened = settings_.bandwidth.whiten(points_);
    if (settings_.kernel.isCompact()) {
        search_->index = std::make_unique<NeighborIndex>(whitened);
        return;
    }
    std::vector<Eigen::Index>& rows = search_->originalRows;
    rows.resize(static_cast<std::size_t>(size()));
    std::iota(rows.begin(), rows.end(), Eigen::Index{0});
    std::stable_sort(rows.begin(), rows.end(),
                     [this](Eigen::Index a, Eigen::Index b) { return labels_(a) < labels_(b); });
    search_->sortedPoints.resize(size(), dimension());
    for (std::size_t position = 0; position < rows.size(); ++position) {
        search_->sortedPoints.row(static_cast<Eigen::Index>(position)) = whitened.row(rows[position]);
    }
    search_->classStarts.assign(static_cast<std::size_t>(classCount_) + 1, 0);
    for (Eigen::Index row = 0; row < size(); ++row) {
        ++search_->classStarts[static_cast<std::size_t>(labels_(row)) + 1];
    }
    std::partial_sum(search_->classStarts.begin(), search_->classStarts.end(), search_->classStarts.begin());
}

KernelClassifier::~KernelClassifier() = default;
KernelClassifier::KernelClassifier(KernelClassifier&&) noexcept = default;
KernelClassifier& KernelClassifier::operator=(KernelClassifier&&) noexcept = default;

void KernelClassifier::checkTarget(const Eigen::VectorXd& target) const {
    if (target.size() != dimension()) {
        throw std::invalid_argument("kernel classifier: a target has " + std::to_string(target.size()) +
                                    " coordinates, the data " + std::to_string(dimension()));
    }
    if (!target.allFinite()) {
        throw std::invalid_argument("kernel classifier: a target holds a value that is not a finite number");
    }
}

bool KernelClassifier::classWeightSums(const Eigen::VectorXd& target, Workspace& workspace,
                                       Eigen::VectorXd& sums) const {
    sums.setZero(classCount_);
    if (settings_.weighting == KernelClassifierSettings::Weighting::NearestNeighbors) {
        for (const Neighbor& neighbor : search_->index->nearest(target.data(), settings_.neighborCount)) {
            sums(labels_(neighbor.index)) += 1.0;
        }
        return true;
    }

    const Eigen::VectorXd whitened = settings_.bandwidth.whitenPoint(target);
    Eigen::ArrayXd& buffer = workspace.buffer;
    if (search_->index) { // compact support: only the points in the ball u ≤ 1
        std::vector<Neighbor>& neighbors = workspace.neighbors;
        search_->index->collectWithinRadius(whitened.data(), 1.0, neighbors);
        if (neighbors.empty()) {
            return false;
        }
        buffer.resize(static_cast<Eigen::Index>(neighbors.size()));
        for (std::size_t i = 0; i < neighbors.size(); ++i) {
            buffer(static_cast<Eigen::Index>(i)) = settings_.kernel.logValue(neighbors[i].squaredDistance);
        }
        const double largest = buffer.maxCoeff();
        if (largest == negativeInfinity) { // only points on the rim, where the profile is 0
            return false;
        }
        buffer = exponentiate(buffer - largest);
        for (std::size_t i = 0; i < neighbors.size(); ++i) {
            sums(labels_(neighbors[i].index)) += buffer(static_cast<Eigen::Index>(i));
        }
        return true;
    }

    // Infinite support: every point, one class after the other, chunk by chunk in the log domain.
    buffer.resize(pointChunk);
    Eigen::VectorXd& classMaxima = workspace.classMaxima;
    classMaxima.setConstant(classCount_, negativeInfinity);
    const Eigen::MatrixXd& sorted = search_->sortedPoints;
    for (int c = 0; c < classCount_; ++c) {
        LogSum sum;
        const Eigen::Index end = search_->classStarts[static_cast<std::size_t>(c) + 1];
        for (Eigen::Index begin = search_->classStarts[static_cast<std::size_t>(c)]; begin < end;
             begin += pointChunk) {
            const Eigen::Index length = std::min(pointChunk, end - begin);
            auto logWeights = buffer.head(length);
            logWeights = (sorted.col(0).segment(begin, length).array() - whitened(0)).square();
            for (Eigen::Index column = 1; column < dimension(); ++column) {
                logWeights += (sorted.col(column).segment(begin, length).array() - whitened(column)).square();
            }
            applyLogProfile(settings_.kernel, logWeights);
            sum.add(logWeights);
        }
        classMaxima(c) = sum.maximum;
        sums(c) = sum.scaledSum;
    }
    const double largest = classMaxima.maxCoeff();
    if (largest == negativeInfinity) {
        return false;
    }
    for (int c = 0; c < classCount_; ++c) {
        sums(c) *= std::exp(classMaxima(c) - largest); // exactly 0 for a class without points
    }
    return true;
}

ClassPosteriors KernelClassifier::classify(const Eigen::MatrixXd& targets, Progress& progress) const {
    if (targets.cols() != dimension()) {
        throw std::invalid_argument("kernel classifier: targets have " + std::to_string(targets.cols()) +
                                    " columns, the data " + std::to_string(dimension()));
    }
    checkFiniteRows(targets, "target");
    ClassPosteriors result;
    result.probabilities.setConstant(targets.rows(), classCount_, 1.0 / classCount_);
    result.predicted.setConstant(targets.rows(), -1);
    result.statuses.assign(static_cast<std::size_t>(targets.rows()), LocalFitStatus::NoSupport);

    const bool scansEveryPoint = !search_->index;
    const double evaluationsPerTarget = scansEveryPoint ? static_cast<double>(size()) : 64.0;
    const auto grain = std::clamp<Eigen::Index>(
        static_cast<Eigen::Index>(evaluationsPerBlock / evaluationsPerTarget), 4, 1024);
    tbb::enumerable_thread_specific<Workspace> workspaces;
    detail::forEachTargetBlock(
        targets.rows(), progress,
        [&](Eigen::Index begin, Eigen::Index end) {
            Workspace& workspace = workspaces.local();
            Eigen::VectorXd target(dimension());
            for (Eigen::Index row = begin; row < end; ++row) {
                target = targets.row(row).transpose();
                if (!classWeightSums(target, workspace, workspace.sums)) {
                    continue;
                }
                const Eigen::VectorXd probabilities = workspace.sums / workspace.sums.sum();
                result.probabilities.row(row) = probabilities.transpose();
                result.predicted(row) = argmaxLowestOnTies(probabilities);
                result.statuses[static_cast<std::size_t>(row)] = LocalFitStatus::Fitted;
            }
        },
        grain);
    return result;
}

ClassPosterior KernelClassifier::posteriorAt(const Eigen::VectorXd& target) const {
    checkTarget(target);
    Workspace workspace;
    ClassPosterior posterior;
    Eigen::VectorXd sums;
    if (!classWeightSums(target, workspace, sums)) {
        posterior.probabilities.setConstant(classCount_, 1.0 / classCount_);
        return posterior;
    }
    posterior.probabilities = sums / sums.sum();
    posterior.predicted = argmaxLowestOnTies(posterior.probabilities);
    posterior.status = LocalFitStatus::Fitted;
    return posterior;
}

SmootherWeights KernelClassifier::weightsAt(const Eigen::VectorXd& target) const {
    checkTarget(target);
    std::vector<std::pair<Eigen::Index, double>> logWeights; // (row, log K(x*, x_row))
    if (settings_.weighting == KernelClassifierSettings::Weighting::NearestNeighbors) {
        for (const Neighbor& neighbor : search_->index->nearest(target.data(), settings_.neighborCount)) {
            logWeights.emplace_back(neighbor.index, 0.0);
        }
    } else {
        const Eigen::VectorXd whitened = settings_.bandwidth.whitenPoint(target);
        if (search_->index) {
            for (const Neighbor& neighbor : search_->index->withinRadius(whitened.data(), 1.0)) {
                logWeights.emplace_back(neighbor.index, settings_.kernel.logValue(neighbor.squaredDistance));
            }
        } else {
            for (Eigen::Index position = 0; position < size(); ++position) {
                const double u = (search_->sortedPoints.row(position).transpose() - whitened).squaredNorm();
                logWeights.emplace_back(search_->originalRows[static_cast<std::size_t>(position)],
                                        settings_.kernel.logValue(u));
            }
        }
    }
    std::sort(logWeights.begin(), logWeights.end());
    double largest = negativeInfinity;
    for (const auto& entry : logWeights) {
        largest = std::max(largest, entry.second);
    }
    SmootherWeights weights;
    if (largest == negativeInfinity) {
        return weights;
    }
    double total = 0.0;
    for (const auto& [row, logWeight] : logWeights) {
        const double weight = std::exp(logWeight - largest);
        if (weight > 0.0) {
            weights.indices.push_back(row);
            weights.weights.push_back(weight);
            total += weight;
        }
    }
    for (double& weight : weights.weights) {
        weight /= total;
    }
    weights.status = LocalFitStatus::Fitted;
    return weights;
}

ClassIndices indexClasses(const Eigen::VectorXi& labels) {
    ClassIndices indices;
    indices.values.assign(labels.data(), labels.data() + labels.size());
    std::sort(indices.values.begin(), indices.values.end());
    indices.values.erase(std::unique(indices.values.begin(), indices.values.end()), indices.values.end());
    indices.classes.resize(labels.size());
    for (Eigen::Index row = 0; row < labels.size(); ++row) {
        indices.classes(row) =
            static_cast<int>(std::lower_bound(indices.values.begin(), indices.values.end(), labels(row)) -
                             indices.values.begin());
    }
    return indices;
}

} // namespace locallab
