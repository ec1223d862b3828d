#pragma once
// From where the seeds stopped to MeanShift's answer: scikit-learn's merging of nearby end points into
// modes, the labels of points and seeds, and the recorded paths. Shared by the exact and the approximate
// MeanShift so that both merge and label the same way.

#include "locallab/meanshift/mean_shift.hpp"
#include "seed_climbing.hpp"

#include <Eigen/Core>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace locallab::detail {

struct Candidate {
    Eigen::VectorXd centre;
    Eigen::Index strength;
};

// Strongest first, ties by coordinates (descending), as scikit-learn sorts its centres.
void sortStrongestFirst(std::vector<Candidate>& candidates);

// scikit-learn's merging: strongest first (ties by coordinates, descending); a centre within the
// radius of a stronger kept centre is dropped.
std::vector<Candidate> mergeModes(std::vector<Candidate> candidates, double radius);

// Index of the nearest row of centres (lowest index on ties) and its squared distance.
std::pair<int, double> nearestCentre(const Eigen::MatrixXd& centres, const Eigen::VectorXd& x);

// The nearest mode of every row; −1 for rows farther than radius from every mode unless all.
Eigen::VectorXi assignToModes(const Eigen::MatrixXd& rows, const Eigen::MatrixXd& modes, double radius,
                              bool all);

// Replaces the strengths of the merged modes (space coordinates) when the seeds' own were estimates.
using StrengthRecount = std::function<void(std::vector<Candidate>& modes)>;

// The whole result from the seeds (in space coordinates) and their outcomes: modes, strengths, labels,
// seed ends and labels, trajectories, back in the data's coordinates. With a recount, the merged modes
// get its strengths and are sorted again by them before points are labelled. Throws
// std::invalid_argument when no seed had a data point within reach.
MeanShiftResult collectResult(const Space& space, const Eigen::MatrixXd& seeds,
                              const std::vector<SeedOutcome>& outcomes, const MeanShiftOptions& options,
                              std::string note, const StrengthRecount& recount = {});

} // namespace locallab::detail
