#pragma once
// k-means clustering by Lloyd's algorithm, seeded by k-means++, as the placement of the rule centres of a
// Takagi–Sugeno system. Deterministic: the same points and seed give the same centres on every platform
// (RandomStream).
//
// Seeding (Arthur & Vassilvitskii): the first centre is a point drawn uniformly, each further one a point
// drawn with probability proportional to its squared distance to the nearest centre chosen so far (the
// plain rule, not scikit-learn's greedy variant that tries several candidates per step). Lloyd's
// iteration then alternates assigning every point to its nearest centre (the lower index on ties) and
// moving every centre to the mean of its points, until no assignment changes. A centre left without
// points is moved to the point farthest from its own centre, as scikit-learn relocates empty clusters.
// Of several seedings (attempts) the one of least inertia Σ_i ||x_i − c(x_i)||² is kept.

#include "locallab/util/progress.hpp"

#include <Eigen/Core>
#include <cstdint>

namespace locallab {

struct KMeansSettings {
    Eigen::Index clusterCount = 3;
    std::uint64_t seed = 1;
    int attempts = 4;        // independent k-means++ seedings
    int maxIterations = 300; // Lloyd steps per attempt
    // When not empty (clusterCount × d): one run of Lloyd's iteration from these centres, no seeding
    // (centres placed or dragged by hand, then refined).
    Eigen::MatrixXd initialCentres;
};

struct KMeansResult {
    Eigen::MatrixXd centres; // clusterCount × d
    Eigen::VectorXi labels;  // per point, the index of its nearest centre
    double inertia = 0.0;    // Σ_i ||x_i − centres(labels_i)||²
    int iterations = 0;      // Lloyd steps of the attempt that was kept
    bool converged = false;  // no assignment changed in its last step
};

// Throws std::invalid_argument for no points, non-finite values, clusterCount < 1, attempts < 1, fewer
// distinct points than clusters (identical points cannot be told apart), or initial centres of the wrong
// shape. Checks for cancellation once per
// Lloyd step.
KMeansResult kMeans(const Eigen::MatrixXd& points, const KMeansSettings& settings, Progress& progress);

// The number of distinct rows of points.
Eigen::Index distinctRowCount(const Eigen::MatrixXd& points);

} // namespace locallab
