#include "locallab/local/local_fit.hpp"

#include <algorithm>

namespace locallab {

std::string_view localFitStatusName(LocalFitStatus status) {
    switch (status) {
    case LocalFitStatus::Fitted:
        return "fitted";
    case LocalFitStatus::Regularized:
        return "regularized";
    case LocalFitStatus::NoSupport:
        return "no-support";
    }
    return "unknown";
}

Eigen::Index LocalFit::count(LocalFitStatus status) const {
    return static_cast<Eigen::Index>(std::count(statuses.begin(), statuses.end(), status));
}

} // namespace locallab
