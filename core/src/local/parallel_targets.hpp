#pragma once
// The one loop shape every local model shares: independent targets, fitted in parallel blocks, with a
// cancellation check and a progress report once per block.

#include "locallab/util/progress.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <atomic>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace locallab::detail {

// body(begin, end) handles targets [begin, end). A small grain keeps cancellation prompt for slow fits.
template <typename Body>
void forEachTargetBlock(Eigen::Index count, Progress& progress, Body&& body, Eigen::Index grain = 8) {
    std::atomic<Eigen::Index> done{0};
    tbb::parallel_for(tbb::blocked_range<Eigen::Index>(0, count, std::max<Eigen::Index>(grain, 1)),
                      [&](const tbb::blocked_range<Eigen::Index>& block) {
                          progress.checkCanceled();
                          body(block.begin(), block.end());
                          const Eigen::Index finished = done.fetch_add(block.size()) + block.size();
                          progress.report(static_cast<double>(finished) / static_cast<double>(count));
                      });
}

} // namespace locallab::detail
