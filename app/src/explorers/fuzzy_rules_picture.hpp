#pragma once
// What the Fuzzy rules explorer draws, computed off the GUI thread: a Takagi–Sugeno system identified from
// a 1-D sample (rule centres placed by k-means or given by hand), its blended output, every rule's local
// line and membership function on a grid, the Nadaraya–Watson estimate over the centres that the
// zero-order system equals, and the numbers at one query point x*. A drag of x* recomputes only the
// query, a few kernel evaluations.

#include "explorers/local_fits_picture.hpp"
#include "locallab/kernel/radial_kernel.hpp"
#include "locallab/local/local_fit.hpp"
#include "locallab/local/takagi_sugeno.hpp"

#include <Eigen/Core>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace locallab {

class Progress;

std::string ruleOrderKey(RuleOrder order); // "zero", "first"
std::optional<RuleOrder> parseRuleOrder(std::string_view key);
std::string identificationKey(ConsequentIdentification identification); // "local", "global"
std::optional<ConsequentIdentification> parseIdentification(std::string_view key);

// Where everything is drawn, in data coordinates: the data with a margin above, and below them a strip in
// which the membership functions μ_r(x) ∈ [0, 1] are drawn, with the centres' handles on its baseline.
// Fixed per data set, so that dragging x* or a centre never reframes the plot.
struct RulesPlotBox {
    double xMinimum = 0.0;
    double xMaximum = 1.0;
    double yMinimum = 0.0;    // the bottom of the plot, a little below the handles
    double yMaximum = 1.0;    // the top of the plot
    double stripBase = 0.0;   // μ = 0 is drawn here, and the centre handles sit on it
    double stripHeight = 0.3; // μ = 1 is drawn this far above stripBase
    double dataBottom = 0.0;  // curves and rule lines are clipped to [dataBottom, yMaximum]

    double stripY(double membership) const { return stripBase + membership * stripHeight; }
};

RulesPlotBox rulesPlotBoxAround(const RegressionSample& sample);

struct FuzzyRulesRequest {
    std::shared_ptr<const RegressionSample> sample;
    // The rule centres; when empty, ruleCount centres are placed by k-means (k-means++ seeded with seed)
    // and numbered from left to right.
    Eigen::VectorXd centres;
    Eigen::Index ruleCount = 5;
    std::uint64_t seed = 1;
    RadialKernel kernel{KernelProfile::Gaussian};
    double width = 0.1; // the membership width h, shared by every rule
    // When true the width is chosen before identification: half the mean gap between neighbouring centres,
    // matched to the kernel's spread (equivalentBandwidth), so that neighbouring memberships overlap.
    bool widthFromSpacing = false;
    RuleOrder order = RuleOrder::First;
    ConsequentIdentification identification = ConsequentIdentification::Local;
    double queryX = 0.0; // the picture comes with the query at this x* already answered
    Eigen::Index gridSize = 400;
    std::uint64_t requestNumber = 0;
};

// The numbers at x*.
struct RulesQuery {
    std::uint64_t requestNumber = 0;
    double x = 0.0;
    Eigen::VectorXd memberships;     // μ_r(x*)
    Eigen::VectorXd firingStrengths; // w_r(x*) = μ_r / Σ_s μ_s, summing to 1 (all 0 without support)
    Eigen::VectorXd ruleOutputs;     // a_r(x* − c_r) + b_r
    LocalEstimate estimate;          // ŷ(x*) = Σ_r w_r·(rule output)
};

// One rule's local line a_r(x − c_r) + b_r, sampled over c_r ± 2h and clipped to the plot, with the rule's
// firing strength w_r(x) at every sample (the line is drawn stronger where the rule has more say).
struct RuleLine {
    Eigen::VectorXd x;
    Eigen::VectorXd y;
    Eigen::VectorXd strength;
};

// Σ_r K(x, c_r)·b_r / Σ_r K(x, c_r), computed by core's LocalRegression of degree 0 on the R points
// (c_r, b_r) with the membership kernel and width: an independent computation of the zero-order formula.
struct NadarayaWatsonOverCentres {
    LocalFit fit;                      // on FuzzyRulesPicture::grid
    double largestDifference = 0.0;    // max |fit − ŷ| over the grid points where both have a value
    Eigen::Index statusMismatches = 0; // grid points where exactly one of the two has a value
};

struct FuzzyRulesPicture {
    std::uint64_t requestNumber = 0;
    std::shared_ptr<const RegressionSample> sample;
    RadialKernel kernel{KernelProfile::Gaussian};
    double width = 0.1;
    RuleOrder order = RuleOrder::First;
    ConsequentIdentification identification = ConsequentIdentification::Local;
    bool centresFromKMeans = false;
    int kMeansIterations = 0;
    double kMeansInertia = 0.0;
    std::shared_ptr<const TakagiSugeno> system;
    Eigen::VectorXd grid;
    TakagiSugenoEvaluation output; // ŷ, w_r and the rule outputs on the grid
    Eigen::MatrixXd memberships;   // grid × rules: μ_r
    std::vector<RuleLine> ruleLines;
    NadarayaWatsonOverCentres nadarayaWatson;
    RulesPlotBox box;
    std::shared_ptr<const RulesQuery> initialQuery; // at FuzzyRulesRequest::queryX

    Eigen::VectorXd centres() const { return system->centres().col(0); }
};

// Throws std::invalid_argument with a sentence for the user when the rules cannot be placed or their
// consequents cannot be identified (more rules than distinct x, a rule with no data within reach,
// identical centres under global identification, ...).
std::shared_ptr<const FuzzyRulesPicture> computeFuzzyRulesPicture(const FuzzyRulesRequest& request,
                                                                  Progress& progress);

// The numbers at one x*, from a picture's system.
std::shared_ptr<const RulesQuery> computeRulesQuery(const FuzzyRulesPicture& picture, double x,
                                                    std::uint64_t requestNumber);

// Half the mean gap between neighbouring sorted centres (a quarter of the range of x for a single rule),
// matched to the kernel: the width at which neighbouring rules share the ground between them.
double widthFromCentreSpacing(const Eigen::VectorXd& centres, const RegressionSample& sample,
                              const RadialKernel& kernel);

} // namespace locallab
