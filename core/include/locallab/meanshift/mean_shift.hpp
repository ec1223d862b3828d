#pragma once
// MeanShift: the local mean, iterated. From a seed x, x ← Σ g_i x_i / Σ g_i with g_i = g(u_i) the shadow
// profile of the kernel at u_i = (x − x_i)ᵀH⁻¹(x − x_i); the iteration climbs the kernel density estimate
// to one of its modes. With the uniform (flat) kernel this reproduces scikit-learn's MeanShift exactly:
// the same stopping rule (a step ≤ 1e-3·h, or max_iter), the same mode ordering and merging, the same
// labels (see THEORY.md).

#include "locallab/kernel/bandwidth.hpp"
#include "locallab/kernel/radial_kernel.hpp"
#include "locallab/meanshift/trajectories.hpp"
#include "locallab/util/progress.hpp"

#include <Eigen/Core>
#include <optional>
#include <string>

namespace locallab {

enum class SeedingStrategy {
    AllPoints,  // every data point is a seed
    BinSeeding, // one seed per occupied bin of side h holding ≥ minBinFrequency points
    Given,      // MeanShiftOptions::givenSeeds
};

struct MeanShiftOptions {
    RadialKernel kernel{KernelProfile::Uniform};
    Bandwidth bandwidth = Bandwidth::scalar(1.0);
    // Per-point bandwidth factors λ_i (sample-point adaptive bandwidth, h_i = λ_i·h); empty for a fixed h.
    Eigen::VectorXd sampleScales;
    SeedingStrategy seeding = SeedingStrategy::AllPoints;
    int minBinFrequency = 1;
    Eigen::MatrixXd givenSeeds;
    int maxIterations = 300;
    // A seed stops when its step is at most stopFactor·h (scikit-learn: 1e-3).
    double stopFactor = 1e-3;
    // Every point is given to its nearest mode; otherwise points farther than h from every mode get −1.
    bool clusterAll = true;
    // 0 = exact (every point weighs in). Otherwise kernels of infinite support are cut where the weight
    // falls below this fraction of its peak, which makes the Gaussian fast at the price of that error.
    double relativeTolerance = 0.0;
    bool recordTrajectories = true;
    // Upper bound on stored trajectory positions over all seeds (each seed keeps at least 2).
    Eigen::Index trajectoryBudget = 20'000'000;
};

struct MeanShiftResult {
    Eigen::MatrixXd modes;        // cluster centres, strongest first
    Eigen::VectorXi modeStrength; // data points within h of each mode when its seed stopped
    Eigen::VectorXi labels;       // per data point: index into modes, −1 when not assigned
    Eigen::MatrixXd seeds;        // where each seed started
    Eigen::MatrixXd seedEnds;     // where each seed stopped
    Eigen::VectorXi seedIterations;
    Eigen::VectorXi seedLabels; // the mode each seed's end point belongs to (−1: none within h)
    Trajectories trajectories;  // one path per seed, when recorded
    int iterations = 0;         // the largest number of iterations any seed took
    std::string note;           // e.g. why bin seeding fell back to all points
};

// Throws std::invalid_argument for unusable input (no points, non-finite values, a bandwidth of the
// wrong dimension, no point within h of any seed) with a message for the user.
MeanShiftResult meanShift(const Eigen::MatrixXd& points, const MeanShiftOptions& options, Progress& progress);
MeanShiftResult meanShift(const Eigen::MatrixXd& points, const MeanShiftOptions& options);

// scikit-learn's get_bin_seeds: points rounded (half to even) to a grid of side binSize, bins with at
// least minBinFrequency points, in order of first appearance. Returns the points themselves when every
// point has a bin of its own (binning did not reduce anything), and says so in note.
Eigen::MatrixXd binSeeds(const Eigen::MatrixXd& points, double binSize, int minBinFrequency,
                         std::string* note);

// Blurring MeanShift: every point moves to its local mean at once, and the moved cloud is the data of
// the next iteration. frames[0] is the data; the last frame is where it stopped (max step ≤ stopFactor·h).
struct BlurringMeanShiftResult {
    std::vector<Eigen::MatrixXd> frames;
};
BlurringMeanShiftResult blurringMeanShift(const Eigen::MatrixXd& points, const MeanShiftOptions& options,
                                          Progress& progress);

// Clusters of points that have converged (the last frame of blurring MeanShift): greedily, the point
// with most company within h founds a cluster of everything within h of it, and so on. Returns a label
// per point and the clusters' centres (means of their members), in the order they were founded.
struct ConvergedClusters {
    Eigen::VectorXi labels;
    Eigen::MatrixXd centres;
    Eigen::VectorXi sizes;
};
ConvergedClusters clusterConvergedPoints(const Eigen::MatrixXd& points, const Bandwidth& bandwidth);

// The basin of attraction of each mode on a 2-D grid: cell (row, column) of the returned matrix holds the
// index of the mode a seed at that cell's centre climbs to, −1 when it reaches none.
struct BasinMap {
    Eigen::MatrixXi modeIndex; // rows = y cells, columns = x cells
    double xMinimum = 0, xMaximum = 1, yMinimum = 0, yMaximum = 1;
};
BasinMap basinMap(const Eigen::MatrixXd& points, const MeanShiftOptions& options,
                  const MeanShiftResult& result, Eigen::Index columns, Eigen::Index rows, double xMinimum,
                  double xMaximum, double yMinimum, double yMaximum, Progress& progress);

} // namespace locallab
