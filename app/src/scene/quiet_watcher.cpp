#include "scene/quiet_watcher.hpp"

#include "explorers/explorer.hpp"
#include "locallab/widgets/job_runner.hpp"

#include <QEventLoop>
#include <algorithm>

namespace locallab {

QuietWatcher::QuietWatcher(const std::vector<Explorer*>& explorers, int quietMilliseconds, QObject* parent)
    : QObject(parent) {
    quietTimer_.setSingleShot(true);
    quietTimer_.setInterval(quietMilliseconds);
    connect(&quietTimer_, &QTimer::timeout, this, &QuietWatcher::onQuietPeriodOver);
    for (Explorer* explorer : explorers) {
        busy_[explorer] = false;
        connect(explorer, &Explorer::busyChanged, this,
                [this, explorer](bool busy) { onBusyChanged(explorer, busy); });
    }
    quietTimer_.start();
}

bool QuietWatcher::waitForQuiet(int timeoutMilliseconds) {
    if (quiet_) {
        return true;
    }
    QEventLoop loop;
    QTimer deadline;
    deadline.setSingleShot(true);
    connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    connect(this, &QuietWatcher::becameQuiet, &loop, &QEventLoop::quit);
    deadline.start(timeoutMilliseconds);
    loop.exec();
    return quiet_;
}

void QuietWatcher::onBusyChanged(Explorer* explorer, bool busy) {
    busy_[explorer] = busy;
    quiet_ = false;
    quietTimer_.start();
}

void QuietWatcher::onQuietPeriodOver() {
    const bool anyBusy =
        std::any_of(busy_.begin(), busy_.end(), [](const auto& entry) { return entry.second; });
    if (anyBusy) {
        return; // the job that is running will report its end, which starts the period again
    }
    // Explorers announce their main job; a second job (a query, a CV curve) may still be running.
    if (JobRunner::runnersComputing() > 0) {
        quietTimer_.start();
        return;
    }
    quiet_ = true;
    emit becameQuiet();
}

} // namespace locallab
