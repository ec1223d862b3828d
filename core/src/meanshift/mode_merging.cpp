#include "mode_merging.hpp"

#include <algorithm>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace locallab::detail {
namespace {

// Lexicographic "greater" on coordinates, as Python compares tuples.
bool coordinatesGreater(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
    for (Eigen::Index c = 0; c < a.size(); ++c) {
        if (a[c] != b[c]) {
            return a[c] > b[c];
        }
    }
    return false;
}

} // namespace

void sortStrongestFirst(std::vector<Candidate>& candidates) {
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
        if (a.strength != b.strength) {
            return a.strength > b.strength;
        }
        return coordinatesGreater(a.centre, b.centre);
    });
}

std::vector<Candidate> mergeModes(std::vector<Candidate> candidates, double radius) {
    sortStrongestFirst(candidates);
    // Equal centres (seeds that converged to the very same point) count once, as a dict key does.
    candidates.erase(std::unique(candidates.begin(), candidates.end(),
                                 [](const Candidate& a, const Candidate& b) { return a.centre == b.centre; }),
                     candidates.end());
    std::vector<bool> unique(candidates.size(), true);
    const double radiusSquared = radius * radius;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        if (!unique[i]) {
            continue;
        }
        for (std::size_t j = 0; j < candidates.size(); ++j) {
            if (j != i && (candidates[j].centre - candidates[i].centre).squaredNorm() <= radiusSquared) {
                unique[j] = false;
            }
        }
    }
    std::vector<Candidate> kept;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        if (unique[i]) {
            kept.push_back(std::move(candidates[i]));
        }
    }
    return kept;
}

std::pair<int, double> nearestCentre(const Eigen::MatrixXd& centres, const Eigen::VectorXd& x) {
    int best = -1;
    double bestDistance = std::numeric_limits<double>::infinity();
    for (Eigen::Index m = 0; m < centres.rows(); ++m) {
        const double distance = (centres.row(m).transpose() - x).squaredNorm();
        if (distance < bestDistance) {
            bestDistance = distance;
            best = static_cast<int>(m);
        }
    }
    return {best, bestDistance};
}

Eigen::VectorXi assignToModes(const Eigen::MatrixXd& rows, const Eigen::MatrixXd& modes, double radius,
                              bool all) {
    Eigen::VectorXi labels(rows.rows());
    const double radiusSquared = radius * radius;
    for (Eigen::Index i = 0; i < rows.rows(); ++i) {
        const auto [mode, distance] = nearestCentre(modes, rows.row(i).transpose());
        labels[i] = (all || distance <= radiusSquared) ? mode : -1;
    }
    return labels;
}

MeanShiftResult collectResult(const Space& space, const Eigen::MatrixXd& seeds,
                              const std::vector<SeedOutcome>& outcomes, const MeanShiftOptions& options,
                              std::string note, const StrengthRecount& recount) {
    MeanShiftResult result;
    result.note = std::move(note);
    const Eigen::Index seedCount = seeds.rows();
    const Eigen::Index dimension = space.points.cols();
    std::vector<Candidate> candidates;
    result.seedIterations.resize(seedCount);
    Eigen::MatrixXd ends(seedCount, dimension);
    for (Eigen::Index s = 0; s < seedCount; ++s) {
        const SeedOutcome& outcome = outcomes[static_cast<std::size_t>(s)];
        ends.row(s) = outcome.end.transpose();
        result.seedIterations[s] = outcome.iterations;
        result.iterations = std::max(result.iterations, outcome.iterations);
        if (outcome.strength > 0) {
            candidates.push_back({outcome.end, outcome.strength});
        }
    }
    if (candidates.empty()) {
        std::ostringstream message;
        message << "no data point was within the bandwidth (" << options.bandwidth.describe()
                << ") of any seed; increase the bandwidth or seed at the data points";
        throw std::invalid_argument(message.str());
    }
    std::vector<Candidate> modes = mergeModes(std::move(candidates), space.radius);
    if (recount) {
        recount(modes);
        sortStrongestFirst(modes);
    }
    Eigen::MatrixXd modesInSpace(static_cast<Eigen::Index>(modes.size()), dimension);
    result.modeStrength.resize(static_cast<Eigen::Index>(modes.size()));
    for (std::size_t m = 0; m < modes.size(); ++m) {
        modesInSpace.row(static_cast<Eigen::Index>(m)) = modes[m].centre.transpose();
        result.modeStrength[static_cast<Eigen::Index>(m)] = static_cast<int>(modes[m].strength);
    }
    result.labels = assignToModes(space.points, modesInSpace, space.radius, options.clusterAll);
    result.seedLabels = assignToModes(ends, modesInSpace, space.radius, false);
    result.modes = space.fromSpace(modesInSpace);
    result.seeds = space.fromSpace(seeds);
    result.seedEnds = space.fromSpace(ends);

    if (options.recordTrajectories) {
        result.trajectories = Trajectories(dimension);
        const Eigen::Index perSeed =
            std::max<Eigen::Index>(2, options.trajectoryBudget / std::max<Eigen::Index>(seedCount, 1));
        for (const SeedOutcome& outcome : outcomes) {
            result.trajectories.append(space.fromSpace(outcome.path), perSeed);
        }
    }
    return result;
}

} // namespace locallab::detail
