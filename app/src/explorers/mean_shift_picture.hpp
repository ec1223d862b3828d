#pragma once
// What the MeanShift explorer draws, computed off the GUI thread: the clustering with its paths, the
// density under it, and the extras the user switched on. Two ways to get it: an approximate picture read
// from a binned field (tens of milliseconds, shown while a slider moves) and the exact one. The
// explorer shows whichever is newest and says which it is.

#include "locallab/density/density_grid.hpp"
#include "locallab/meanshift/mean_shift.hpp"
#include "locallab/meanshift/mean_shift_step.hpp"

#include <Eigen/Core>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace locallab {

class Progress;

struct MeanShiftRequest {
    std::shared_ptr<const Eigen::MatrixXd> points; // n × 2
    MeanShiftOptions options;                      // a scalar bandwidth
    // "scott", "silverman" or "estimate": choose h by this rule first (and report it); empty keeps h.
    std::string bandwidthRule;
    bool blurring = false;
    // Sample-point adaptive bandwidth (Abramson): h_i = h·(f̃(x_i)/g)^(−1/2) with f̃ a Gaussian pilot KDE
    // at h. Exact pictures only; MeanShift, not blurring.
    bool adaptive = false;
    bool vectorField = false;
    bool basins = false;
    Eigen::Index drawnPathLimit = 1500;
    std::vector<Eigen::Vector2d> droppedSeeds;
    std::uint64_t requestNumber = 0;
};

struct ShiftArrow {
    Eigen::Vector2d tail;
    Eigen::Vector2d shift; // m(x) − x at the tail
};

// One Gaussian MeanShift step computed by three different parts of LocalLab, which must agree: the local
// mean m(x), Tweedie's denoiser x + h²∇log f̂(x) from the density's gradient, and the output of one
// attention query x over keys = values = the data with the Gaussian attention kernel at τ = h².
struct ThreeWaysOfOneStep {
    Eigen::VectorXd meanShift;
    Eigen::VectorXd tweedie;
    Eigen::VectorXd attention;
};

// The update rule's numbers along one seed's path, for the formula panel.
struct SeedSteps {
    std::vector<MeanShiftStep> steps;
    // Aligned with steps, for the Gaussian kernel at a fixed h; empty otherwise (or where the density
    // underflows, so that ∇log f̂ is not representable).
    std::vector<ThreeWaysOfOneStep> threeWays;
    int label = -1; // the mode it reached, −1 when none within h
};

struct MeanShiftPicture {
    bool exact = false;
    std::uint64_t requestNumber = 0;
    double bandwidth = 1.0;
    bool blurring = false;
    Eigen::VectorXd bandwidthScales; // λ_i of an adaptive picture (h_i = λ_i·h); empty for a fixed h
    MeanShiftResult result;
    std::vector<Eigen::Index> drawnSeeds; // the seeds whose paths are drawn (evenly strided when many)
    DensityGrid density;                  // 2-D, for the heatmap and contours
    std::vector<ShiftArrow> arrows;
    std::optional<BasinMap> basins;
    std::vector<SeedSteps> droppedSeeds;
    SeedSteps featuredSeed; // the longest drawn path, explained when no seed was dropped
    std::string note;
};

// Bandwidth by a named rule on 2-D points: "scott" and "silverman" (scipy's factors times the geometric
// mean of the column deviations) or "estimate" (scikit-learn's estimate_bandwidth, quantile 0.3).
double ruleBandwidth(const Eigen::MatrixXd& points, const std::string& rule, Progress& progress);

// nullptr when the approximation does not apply (blurring, a bandwidth below the field's resolution):
// then only the exact picture is shown.
std::shared_ptr<const MeanShiftPicture> computeApproximatePicture(const MeanShiftRequest& request,
                                                                  Progress& progress);
std::shared_ptr<const MeanShiftPicture> computeExactPicture(const MeanShiftRequest& request,
                                                            Progress& progress);

} // namespace locallab
