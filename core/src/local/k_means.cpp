#include "locallab/local/k_means.hpp"

#include "locallab/data/random_stream.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace locallab {

namespace {

void checkInputs(const Eigen::MatrixXd& points, const KMeansSettings& settings) {
    if (points.rows() == 0 || points.cols() == 0) {
        throw std::invalid_argument("k-means needs at least one point of dimension ≥ 1");
    }
    if (!points.allFinite()) {
        throw std::invalid_argument("k-means: the points contain NaN or infinite values");
    }
    if (settings.clusterCount < 1) {
        throw std::invalid_argument("k-means needs at least one cluster");
    }
    if (settings.attempts < 1 || settings.maxIterations < 1) {
        throw std::invalid_argument("k-means needs at least one attempt and one iteration");
    }
    const Eigen::MatrixXd& initial = settings.initialCentres;
    if (initial.size() != 0 && (initial.rows() != settings.clusterCount || initial.cols() != points.cols() ||
                                !initial.allFinite())) {
        throw std::invalid_argument("k-means: the initial centres must be " +
                                    std::to_string(settings.clusterCount) + " finite rows of " +
                                    std::to_string(points.cols()) + " values");
    }
    const Eigen::Index distinct = distinctRowCount(points);
    if (distinct < settings.clusterCount) {
        throw std::invalid_argument("k-means with " + std::to_string(settings.clusterCount) +
                                    " clusters needs at least as many distinct points, but the data have " +
                                    std::to_string(distinct));
    }
}

double squaredDistance(const Eigen::MatrixXd& points, Eigen::Index row, const Eigen::MatrixXd& centres,
                       Eigen::Index centre) {
    return (points.row(row) - centres.row(centre)).squaredNorm();
}

// k-means++: each new centre a point drawn with probability ∝ its squared distance to the chosen ones.
Eigen::MatrixXd seedCentres(const Eigen::MatrixXd& points, Eigen::Index count, RandomStream& random) {
    const Eigen::Index n = points.rows();
    Eigen::MatrixXd centres(count, points.cols());
    centres.row(0) = points.row(static_cast<Eigen::Index>(random.index(static_cast<std::uint64_t>(n))));
    Eigen::VectorXd nearest(n);
    for (Eigen::Index row = 0; row < n; ++row) {
        nearest(row) = squaredDistance(points, row, centres, 0);
    }
    for (Eigen::Index chosen = 1; chosen < count; ++chosen) {
        // Points already chosen have weight 0 and are never drawn again; distinct points guarantee a
        // positive total.
        const double draw = random.uniform() * nearest.sum();
        Eigen::Index picked = n - 1;
        double cumulative = 0.0;
        for (Eigen::Index row = 0; row < n; ++row) {
            cumulative += nearest(row);
            if (cumulative > draw) {
                picked = row;
                break;
            }
        }
        while (nearest(picked) == 0.0 && picked > 0) { // rounding at the very end of the sum
            --picked;
        }
        centres.row(chosen) = points.row(picked);
        for (Eigen::Index row = 0; row < n; ++row) {
            nearest(row) = std::min(nearest(row), squaredDistance(points, row, centres, chosen));
        }
    }
    return centres;
}

// Nearest centre of every point (the lower index on ties); returns the inertia.
double assign(const Eigen::MatrixXd& points, const Eigen::MatrixXd& centres, Eigen::VectorXi& labels,
              Eigen::VectorXd& distances) {
    double inertia = 0.0;
    for (Eigen::Index row = 0; row < points.rows(); ++row) {
        int best = 0;
        double bestDistance = squaredDistance(points, row, centres, 0);
        for (Eigen::Index centre = 1; centre < centres.rows(); ++centre) {
            const double distance = squaredDistance(points, row, centres, centre);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = static_cast<int>(centre);
            }
        }
        labels(row) = best;
        distances(row) = bestDistance;
        inertia += bestDistance;
    }
    return inertia;
}

// Centres moved to the means of their points. An empty cluster takes the point farthest from its centre
// among clusters that can spare one, which then belongs to it.
Eigen::MatrixXd updateCentres(const Eigen::MatrixXd& points, Eigen::VectorXi& labels,
                              Eigen::VectorXd& distances, Eigen::Index count) {
    Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(count, points.cols());
    Eigen::VectorXi sizes = Eigen::VectorXi::Zero(count);
    for (Eigen::Index row = 0; row < points.rows(); ++row) {
        sums.row(labels(row)) += points.row(row);
        ++sizes(labels(row));
    }
    for (Eigen::Index centre = 0; centre < count; ++centre) {
        if (sizes(centre) > 0) {
            continue;
        }
        Eigen::Index farthest = -1;
        for (Eigen::Index row = 0; row < points.rows(); ++row) {
            if (sizes(labels(row)) > 1 && (farthest < 0 || distances(row) > distances(farthest))) {
                farthest = row;
            }
        }
        const int donor = labels(farthest);
        sums.row(donor) -= points.row(farthest);
        --sizes(donor);
        sums.row(centre) = points.row(farthest);
        sizes(centre) = 1;
        labels(farthest) = static_cast<int>(centre);
        distances(farthest) = 0.0;
    }
    return sums.array().colwise() / sizes.cast<double>().array();
}

KMeansResult lloyd(const Eigen::MatrixXd& points, Eigen::MatrixXd centres, int maxIterations,
                   Progress& progress) {
    KMeansResult result;
    result.labels.resize(points.rows());
    Eigen::VectorXd distances(points.rows());
    assign(points, centres, result.labels, distances);
    Eigen::VectorXi previous;
    for (result.iterations = 1; result.iterations <= maxIterations; ++result.iterations) {
        progress.checkCanceled();
        previous = result.labels;
        centres = updateCentres(points, result.labels, distances, centres.rows());
        result.inertia = assign(points, centres, result.labels, distances);
        if (result.labels == previous) {
            result.converged = true;
            break;
        }
    }
    result.iterations = std::min(result.iterations, maxIterations);
    result.centres = std::move(centres);
    return result;
}

} // namespace

Eigen::Index distinctRowCount(const Eigen::MatrixXd& points) {
    std::vector<Eigen::Index> rows(static_cast<std::size_t>(points.rows()));
    std::iota(rows.begin(), rows.end(), Eigen::Index{0});
    const auto rowLess = [&points](Eigen::Index a, Eigen::Index b) {
        for (Eigen::Index column = 0; column < points.cols(); ++column) {
            if (points(a, column) != points(b, column)) {
                return points(a, column) < points(b, column);
            }
        }
        return false;
    };
    std::sort(rows.begin(), rows.end(), rowLess);
    const auto rowEqual = [&](Eigen::Index a, Eigen::Index b) { return !rowLess(a, b) && !rowLess(b, a); };
    return static_cast<Eigen::Index>(std::unique(rows.begin(), rows.end(), rowEqual) - rows.begin());
}

KMeansResult kMeans(const Eigen::MatrixXd& points, const KMeansSettings& settings, Progress& progress) {
    checkInputs(points, settings);
    if (settings.initialCentres.size() != 0) {
        return lloyd(points, settings.initialCentres, settings.maxIterations, progress);
    }
    RandomStream random(settings.seed);
    KMeansResult best;
    for (int attempt = 0; attempt < settings.attempts; ++attempt) {
        KMeansResult result = lloyd(points, seedCentres(points, settings.clusterCount, random),
                                    settings.maxIterations, progress);
        if (attempt == 0 || result.inertia < best.inertia) {
            best = std::move(result);
        }
    }
    return best;
}

} // namespace locallab
