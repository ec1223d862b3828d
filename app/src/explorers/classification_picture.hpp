#pragma once
// What the Classification explorer draws, computed off the GUI thread: the kernel classifier's posterior
// on a grid over the data (predicted class, its probability, and per class the margin whose zero level is
// the decision boundary), and the classifier itself, kept so that a click is read out without refitting.

#include "locallab/data/dataset.hpp"
#include "locallab/local/kernel_classifier.hpp"

#include <Eigen/Core>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace locallab {

class Progress;

// The labelled 2-D points a classifier is trained on.
struct ClassificationData {
    std::shared_ptr<const Eigen::MatrixXd> points; // n × 2
    Eigen::VectorXi classes;                       // per point, 0..C−1
    std::vector<std::string> classNames;           // C names, for the legend and the formula panel
};

// The labelled points of a data set (its first two columns), or the reason there are none to classify:
// no labels, fewer than two columns, non-finite values, a single class.
struct ClassificationDataOrProblem {
    std::optional<ClassificationData> data;
    std::string problem;
};
ClassificationDataOrProblem classificationDataFrom(const Dataset& dataset);

// The numbers at one target x* for the formula panel.
struct TargetReadout {
    Eigen::Vector2d position = Eigen::Vector2d::Zero();
    ClassPosterior posterior;
    SmootherWeights weights;          // normalised, l_i = w_i / Σw, the points that count
    double weightSum = 0.0;           // Σ_i K(x*, x_i) with K(x, x) = 1: the points' raw weight
    double effectivePointCount = 0.0; // (Σw)² / Σw²
};
TargetReadout readTarget(const KernelClassifier& classifier, const Eigen::Vector2d& position);

struct ClassificationRequest {
    std::shared_ptr<const Eigen::MatrixXd> points;
    Eigen::VectorXi classes;
    KernelClassifierSettings settings;
    Eigen::Index gridNodes = 120; // per axis
    // While a slider is held: the picture is a preview, on a grid no finer than previewGridNodes.
    bool preview = false;
    // x*, read out from the new classifier in the same job, so that the picture and its rings arrive
    // together.
    std::optional<Eigen::Vector2d> target;
    std::uint64_t requestNumber = 0;
};

// The finest grid a preview is computed on: a dragged slider redraws at interactive rates on large data.
constexpr Eigen::Index previewGridNodes = 60;

struct ClassificationPicture {
    std::uint64_t requestNumber = 0;
    bool preview = false; // from a held slider, on a coarser grid; the picture of the release follows
    std::shared_ptr<const KernelClassifier> classifier;
    double xMinimum = 0.0;
    double xMaximum = 1.0;
    double yMinimum = 0.0;
    double yMaximum = 1.0;
    // Node (i, j) is at x_i along x and y_j along y, both from minimum to maximum inclusive.
    Eigen::MatrixXi predicted;            // class index, −1 where no point has weight
    Eigen::MatrixXd confidence;           // the largest posterior, 1/C where no point has weight
    std::vector<Eigen::MatrixXd> margins; // per class, p_c − max_{c'≠c} p_c': 0 on the class's boundary
    Eigen::Index noSupportNodes = 0;
    std::optional<TargetReadout> targetReadout; // at ClassificationRequest::target
};

std::shared_ptr<const ClassificationPicture>
computeClassificationPicture(const ClassificationRequest& request, Progress& progress);

} // namespace locallab
