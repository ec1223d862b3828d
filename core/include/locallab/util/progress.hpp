#pragma once
// How long-running core work talks to whoever started it, without core knowing who that is.
// The GUI's JobRunner implements Progress with an atomic flag and a queued signal; the CLI and the
// tests use SilentProgress. Core loops call checkCanceled() at a coarse grain (once per block of
// targets, once per iteration), never per kernel evaluation.

#include <atomic>
#include <stdexcept>
#include <string>

namespace locallab {

// Thrown by checkCanceled() so that a cancelled job unwinds through any depth of core calls.
class OperationCanceled : public std::runtime_error {
public:
    OperationCanceled() : std::runtime_error("the operation was cancelled") {}
};

class Progress {
public:
    virtual ~Progress() = default;

    // fraction in [0, 1]; implementations must be thread-safe because parallel loops report.
    virtual void report(double fraction) = 0;
    virtual bool isCanceled() const = 0;

    void checkCanceled() const {
        if (isCanceled()) {
            throw OperationCanceled();
        }
    }
};

// Progress that nobody watches, and that a caller may still cancel (tests use that).
// One phase of a longer job: its own fractions 0..1 are reported as [start, start + width] of the whole,
// and it is cancelled when the whole is.
class ProgressShare final : public Progress {
public:
    ProgressShare(Progress& whole, double start, double width)
        : whole_(whole), start_(start), width_(width) {}
    void report(double fraction) override { whole_.report(start_ + width_ * fraction); }
    bool isCanceled() const override { return whole_.isCanceled(); }

private:
    Progress& whole_;
    double start_;
    double width_;
};

class SilentProgress final : public Progress {
public:
    void report(double) override {}
    bool isCanceled() const override { return canceled_.load(std::memory_order_relaxed); }
    void cancel() { canceled_.store(true, std::memory_order_relaxed); }

private:
    std::atomic<bool> canceled_{false};
};

} // namespace locallab
