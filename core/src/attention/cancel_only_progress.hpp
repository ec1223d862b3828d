#pragma once
// Passes cancellation through to an inner loop but keeps its fractions to itself, so an outer loop
// (heads, layers) reports one steadily rising progress instead of every inner loop restarting at 0.

#include "locallab/util/progress.hpp"

namespace locallab {

class CancelOnlyProgress final : public Progress {
public:
    explicit CancelOnlyProgress(const Progress& outer) : outer_(outer) {}
    void report(double) override {}
    bool isCanceled() const override { return outer_.isCanceled(); }

private:
    const Progress& outer_;
};

} // namespace locallab
