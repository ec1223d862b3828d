#pragma once
// What a local model returns at a set of targets: one value and one status per target. A target where
// no data point has positive kernel weight has no local model at all; it is flagged, never divided by
// zero, and its value is left at 0 so that the vector stays free of NaN.

#include <Eigen/Core>
#include <string_view>
#include <vector>

namespace locallab {

enum class LocalFitStatus {
    Fitted,      // the local model was fitted as stated
    Regularized, // the local system was ill-conditioned; a small ridge was added (see LocalRegression)
    NoSupport,   // no data point has positive weight at this target: there is no estimate
};

std::string_view localFitStatusName(LocalFitStatus status);

struct LocalEstimate {
    double value = 0.0;
    LocalFitStatus status = LocalFitStatus::NoSupport;

    bool hasValue() const { return status != LocalFitStatus::NoSupport; }
};

struct LocalFit {
    Eigen::VectorXd values; // one per target; 0 where the status is NoSupport
    std::vector<LocalFitStatus> statuses;

    Eigen::Index size() const { return values.size(); }
    bool hasValue(Eigen::Index target) const {
        return statuses[static_cast<std::size_t>(target)] != LocalFitStatus::NoSupport;
    }
    Eigen::Index count(LocalFitStatus status) const;
};

} // namespace locallab
