#include "locallab/kernel/adaptive_bandwidth.hpp"

#include "locallab/kernel/similarity_kernel.hpp"
#include "locallab/neighbors/neighbor_index.hpp"
#include "locallab/util/progress.hpp"

#include <atomic>
#include <cmath>
#include <numbers>
#include <sstream>
#include <stdexcept>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace locallab {
namespace {

constexpr Eigen::Index rowsPerBlock = 64;

// Runs work(row) for every row in parallel blocks, checking for cancellation and reporting once a block.
template <typename Work>
void forEachRowInBlocks(Eigen::Index rowCount, Progress& progress, const Work& work) {
    std::atomic<Eigen::Index> done{0};
    tbb::parallel_for(tbb::blocked_range<Eigen::Index>(0, rowCount, rowsPerBlock),
                      [&](const tbb::blocked_range<Eigen::Index>& block) {
                          progress.checkCanceled();
                          for (Eigen::Index row = block.begin(); row != block.end(); ++row) {
                              work(row);
                          }
                          const Eigen::Index finished = done += static_cast<Eigen::Index>(block.size());
                          progress.report(static_cast<double>(finished) / static_cast<double>(rowCount));
                      });
}

} // namespace

Eigen::VectorXd balloonBandwidths(const NeighborIndex& data, const Eigen::MatrixXd& targets,
                                  Eigen::Index neighborCount, Progress& progress) {
    if (neighborCount < 1 || neighborCount > data.size()) {
        std::ostringstream message;
        message << "the balloon bandwidth needs 1 ≤ k ≤ n = " << data.size()
                << " neighbours, got k = " << neighborCount;
        throw std::invalid_argument(message.str());
    }
    if (targets.cols() != data.dimension()) {
        std::ostringstream message;
        message << "the targets have " << targets.cols() << " columns but the data has " << data.dimension();
        throw std::invalid_argument(message.str());
    }
    Eigen::VectorXd bandwidths(targets.rows());
    forEachRowInBlocks(targets.rows(), progress, [&](Eigen::Index row) {
        bandwidths[row] = std::sqrt(data.nearest(targets.row(row), neighborCount).back().squaredDistance);
    });
    for (Eigen::Index row = 0; row < bandwidths.size(); ++row) {
        if (!(bandwidths[row] > 0.0)) {
            std::ostringstream message;
            message << "target " << row + 1 << " has " << neighborCount
                    << " or more data points at distance 0, so its balloon bandwidth would be 0; "
                       "use a larger k or remove duplicate points";
            throw std::domain_error(message.str());
        }
    }
    return bandwidths;
}

Eigen::VectorXd balloonBandwidths(const NeighborIndex& data, const Eigen::MatrixXd& targets,
                                  Eigen::Index neighborCount) {
    SilentProgress progress;
    return balloonBandwidths(data, targets, neighborCount, progress);
}

SamplePointBandwidths samplePointBandwidths(const Eigen::MatrixXd& points, const Bandwidth& pilot,
                                            Progress& progress, double sensitivity) {
    if (points.rows() < 1) {
        throw std::invalid_argument("sample-point bandwidths need at least one point");
    }
    if (!(sensitivity >= 0.0 && sensitivity <= 1.0)) {
        std::ostringstream message;
        message << "the sensitivity α must lie in [0, 1] (1/2 for Abramson's rule), got " << sensitivity;
        throw std::invalid_argument(message.str());
    }
    const Eigen::Index pointCount = points.rows();
    const Eigen::Index dimension = points.cols();
    const Eigen::MatrixXd whitened = pilot.whiten(points);
    // log of the Gaussian density's constant 1/(n (2π)^{d/2} |H|^{1/2})
    const double logConstant = -std::log(static_cast<double>(pointCount)) -
                               0.5 * static_cast<double>(dimension) * std::log(2.0 * std::numbers::pi) -
                               pilot.logSquareRootDeterminant(dimension);

    SamplePointBandwidths result;
    result.logPilotDensity.resize(pointCount);
    forEachRowInBlocks(pointCount, progress, [&](Eigen::Index row) {
        const Eigen::VectorXd logWeights =
            -0.5 * (whitened.rowwise() - whitened.row(row)).rowwise().squaredNorm().array();
        result.logPilotDensity[row] = logSumExp(logWeights) + logConstant;
    });
    result.logGeometricMean = result.logPilotDensity.mean();
    // λ_i = exp(−α (log f̃_i − log g)), formed from logs so a pilot density that underflows stays usable.
    result.factors = (-sensitivity * (result.logPilotDensity.array() - result.logGeometricMean)).exp();
    result.sizes = result.factors * pilot.size();
    return result;
}

SamplePointBandwidths samplePointBandwidths(const Eigen::MatrixXd& points, const Bandwidth& pilot,
                                            double sensitivity) {
    SilentProgress progress;
    return samplePointBandwidths(points, pilot, progress, sensitivity);
}

} // namespace locallab
