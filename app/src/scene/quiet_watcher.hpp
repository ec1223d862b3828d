#pragma once
// Tells when a set of explorers has gone quiet: none busy, no job of any JobRunner under way, and none
// started for a short while.
// That is the moment a scene's picture is complete, so that its camera can be put back or the figure
// exported. An explorer that defers a job (to let a slider rest) starts it within the quiet period.

#include <QObject>
#include <QTimer>
#include <map>
#include <vector>

namespace locallab {

class Explorer;

class QuietWatcher : public QObject {
    Q_OBJECT

public:
    QuietWatcher(const std::vector<Explorer*>& explorers, int quietMilliseconds, QObject* parent = nullptr);

    bool isQuiet() const { return quiet_; }
    // Runs the event loop until the explorers are quiet or the time is up; true when they are quiet.
    bool waitForQuiet(int timeoutMilliseconds);

signals:
    void becameQuiet();

private:
    void onBusyChanged(Explorer* explorer, bool busy);
    void onQuietPeriodOver();

    std::map<Explorer*, bool> busy_;
    QTimer quietTimer_;
    bool quiet_ = false;
};

} // namespace locallab
