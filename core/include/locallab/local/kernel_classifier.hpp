#pragma once
// The kernel classifier: the localization trick with one-hot labels. With the squared loss the local model
// at a target x* is the kernel-weighted mean of the label vectors e_{y_i}, which is the class posterior
//
//     p_c(x*) = Σ_i K(x*, x_i)·1[y_i = c] / Σ_i K(x*, x_i),        ŷ(x*) = argmax_c p_c(x*).
//
// Two kinds of kernel:
// - every radial profile with a scalar, diagonal or full bandwidth (points whitened once, as everywhere);
// - the k-nearest-neighbour 0/1 kernel: the k nearest points (plain Euclidean distance in the original
//   coordinates, no bandwidth) weigh 1 and the others 0, so p_c is the fraction of the k nearest points in
//   class c: scikit-learn's KNeighborsClassifier with uniform weights. Points at exactly the k-th distance
//   are taken by increasing row (NeighborIndex::nearest). scikit-learn's own choice among such ties depends
//   on the order its search visits them (see tests/fixtures/make_classify_fixtures.py); for k = 1 with its
//   brute-force search it is the same lowest row.
//
// Weights are handled in the log domain, relative to the largest weight at the target, so a target far
// from all data, where every Gaussian weight underflows, still gets the posterior of its nearest points
// rather than 0/0. Where every weight is exactly zero (a compact kernel with no data point within its
// support) there is no local model: the target is flagged NoSupport, its predicted class is −1 and its
// probabilities are uniform, 1/C each, so that maps drawn from them stay free of NaN and show "no
// information" rather than a made-up answer. The status, not the probabilities, says which case it is.
//
// Labels are class indices 0..C−1 with C = 1 + the largest label; classes without points are allowed
// (their probability is 0 wherever there is support). indexClasses() turns arbitrary integer labels
// (a Dataset keeps integer labels as they were written) into such indices.

#include "locallab/kernel/bandwidth.hpp"
#include "locallab/kernel/radial_kernel.hpp"
#include "locallab/local/local_fit.hpp"
#include "locallab/local/smoother_weights.hpp"
#include "locallab/util/progress.hpp"

#include <Eigen/Core>
#include <memory>
#include <string>
#include <vector>

namespace locallab {

struct KernelClassifierSettings {
    enum class Weighting { Radial, NearestNeighbors };

    Weighting weighting = Weighting::Radial;
    RadialKernel kernel{KernelProfile::Gaussian}; // Radial: the profile
    Bandwidth bandwidth = Bandwidth::scalar(1.0); // Radial: scalar, diagonal or full
    Eigen::Index neighborCount = 5;               // NearestNeighbors: k, at most the number of points

    static KernelClassifierSettings radial(RadialKernel kernel, Bandwidth bandwidth);
    static KernelClassifierSettings nearestNeighbors(Eigen::Index neighborCount);

    // "gaussian, h = 0.5", "knn, k = 5": for titles and formula panels.
    std::string describe() const;
};

// The posteriors at a set of targets.
struct ClassPosteriors {
    Eigen::MatrixXd probabilities; // targets × classes; every row sums to 1 (uniform without support)
    Eigen::VectorXi predicted;     // argmax of each row, the lowest class on ties; −1 without support
    std::vector<LocalFitStatus> statuses; // Fitted, or NoSupport where every weight is zero

    Eigen::Index size() const { return probabilities.rows(); }
    bool hasValue(Eigen::Index target) const {
        return statuses[static_cast<std::size_t>(target)] != LocalFitStatus::NoSupport;
    }
    Eigen::Index count(LocalFitStatus status) const;
};

// The posterior at one target (a formula panel's numbers).
struct ClassPosterior {
    Eigen::VectorXd probabilities; // one per class
    int predicted = -1;
    LocalFitStatus status = LocalFitStatus::NoSupport;

    bool hasValue() const { return status != LocalFitStatus::NoSupport; }
};

class KernelClassifier {
public:
    // points: n × d, finite; labels: n class indices ≥ 0. Throws std::invalid_argument on empty or
    // non-finite points, mismatched sizes, a negative label, a bandwidth of the wrong dimension, or a
    // k-NN kernel with k < 1 or k larger than the number of points.
    KernelClassifier(Eigen::MatrixXd points, Eigen::VectorXi labels, KernelClassifierSettings settings);
    ~KernelClassifier();
    KernelClassifier(KernelClassifier&&) noexcept;
    KernelClassifier& operator=(KernelClassifier&&) noexcept;

    const KernelClassifierSettings& settings() const { return settings_; }
    const Eigen::MatrixXd& points() const { return points_; }
    const Eigen::VectorXi& labels() const { return labels_; }
    Eigen::Index size() const { return points_.rows(); }
    Eigen::Index dimension() const { return points_.cols(); }
    int classCount() const { return classCount_; }

    // The posteriors at every row of targets (m × d), in parallel over targets; checks for cancellation
    // once per block of targets. Throws std::invalid_argument for targets of the wrong width or with
    // non-finite values.
    ClassPosteriors classify(const Eigen::MatrixXd& targets, Progress& progress) const;
    ClassPosterior posteriorAt(const Eigen::VectorXd& target) const;
    // The normalised weights K(x*, x_i)/Σ_j K(x*, x_j) of the points that count at the target, by row,
    // so that p_c = Σ_i l_i·1[y_i = c]. Empty, with status NoSupport, where every weight is zero.
    SmootherWeights weightsAt(const Eigen::VectorXd& target) const;

private:
    struct Workspace;
    struct Search;
    // Σ_i w_i·1[y_i = c] per class with the weights relative to the largest at this target (so the
    // largest class sum is at least 1); false when every weight is zero.
    bool classWeightSums(const Eigen::VectorXd& target, Workspace& workspace, Eigen::VectorXd& sums) const;
    void checkTarget(const Eigen::VectorXd& target) const;

    Eigen::MatrixXd points_;
    Eigen::VectorXi labels_;
    KernelClassifierSettings settings_;
    int classCount_ = 0;
    std::unique_ptr<Search> search_;
};

// Class indices for arbitrary integer labels: the distinct values in increasing order (as scikit-learn's
// classes_) become 0..C−1.
struct ClassIndices {
    Eigen::VectorXi classes; // per row, an index into values
    std::vector<int> values; // values[c] is the label that class c stands for
};
ClassIndices indexClasses(const Eigen::VectorXi& labels);

} // namespace locallab
