#pragma once
// The MeanShift explorer: the kernel density of the data as a heatmap with contours, every seed's path
// climbing it coloured by the mode it reaches, the modes as large markers, and on request the
// mean-shift vector field and the basins of attraction. A timeline replays the iterations; a click on
// the plane drops a seed whose path is drawn boldly and whose numbers fill the formula panel.
//
// Every parameter change starts two jobs: an approximate picture read from a binned field, shown within
// tens of milliseconds while a slider moves, and the exact MeanShift, which replaces it when done. A
// badge above the plot says which one is on screen.

#include "explorers/explorer.hpp"
#include "explorers/mean_shift_picture.hpp"
#include "locallab/data/dataset.hpp"
#include "locallab/util/parameter.hpp"
#include "locallab/widgets/job_runner.hpp"
#include "locallab/widgets/plot_view_2d.hpp"

#include <QElapsedTimer>
#include <QPointF>
#include <memory>
#include <optional>
#include <string>
#include <vector>

class QLabel;
class QTimer;

namespace locallab {

class IterationTimeline;

class MeanShiftExplorer : public Explorer {
    Q_OBJECT

public:
    explicit MeanShiftExplorer(QWidget* widgetParent);

    QString title() const override;
    VtkView* view() const override;
    ParameterPanel* panel() const override;
    QWidget* centralWidget() const override;
    void cancel() override;
    std::optional<ResultTable> resultTable() const override;

    static std::vector<ParameterDescription> parameterDescriptions();

    // The data to cluster: the first two point columns. A new data set starts from Scott's bandwidth.
    void setDataset(std::shared_ptr<const Dataset> dataset);
    // Starts a climb at this point of the plane (data coordinates), as a click does.
    void dropSeed(const Eigen::Vector2d& position);
    void clearDroppedSeeds();

    PlotView2D* plotView() const { return view_; }
    IterationTimeline* timeline() const { return timeline_; }
    // The picture on screen, nullptr before the first one.
    std::shared_ptr<const MeanShiftPicture> picture() const { return picture_; }
    QString formulaText() const;
    QString messageText() const;

signals:
    // A picture was drawn: exact or approximate, and how long after the parameter change that caused it.
    void pictureShown(bool exact, double millisecondsSinceChange);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    // The formula panel's line comparing MeanShift, Tweedie and attention at one step of a seed.
    QString threeWaysText(const SeedSteps& seed, std::size_t step, double h) const;
    void onParameterChanging(const QString& name, const ParameterValue& value);
    void onParameterChanged(const QString& name, const ParameterValue& value);
    // WhileDragging: a slider is moving; the exact job waits for it to rest. Now: start both jobs at once.
    enum class Urgency { WhileDragging, Now };
    void requestPicture(const std::string& bandwidthRule = {}, Urgency urgency = Urgency::Now);
    void startExactJob();
    void onApproximateFinished(const JobResult& result);
    void onExactFinished(const JobResult& result, double elapsedMilliseconds);
    void onExactFailed(const QString& message);
    void showPicture(std::shared_ptr<const MeanShiftPicture> picture);
    enum class MessageKind { Problem, Note };
    void showMessage(const QString& message, MessageKind kind = MessageKind::Problem);

    void drawPicture(bool reframe);
    void drawPathsAt(double iteration);
    void drawDensity(const MeanShiftPicture& picture);
    void drawArrows(const MeanShiftPicture& picture);
    void drawModes(const MeanShiftPicture& picture);
    void updateFormula();
    void updateBadge();

    PlotView2D* view_ = nullptr;
    ParameterPanel* panel_ = nullptr;
    QWidget* central_ = nullptr;
    IterationTimeline* timeline_ = nullptr;
    QLabel* badge_ = nullptr;
    QLabel* message_ = nullptr;
    QLabel* formula_ = nullptr;

    JobRunner approximateRunner_;
    JobRunner exactRunner_;
    std::shared_ptr<const Eigen::MatrixXd> points_;
    std::string xName_ = "x";
    std::string yName_ = "y";
    std::vector<Eigen::Vector2d> droppedSeeds_;
    std::shared_ptr<const MeanShiftPicture> picture_;
    std::optional<ParameterValues> lastRequestedValues_;
    std::optional<MeanShiftRequest> pendingExactRequest_;
    QTimer* exactDelay_ = nullptr;
    std::uint64_t latestRequest_ = 0;
    bool reframePending_ = true;
    QElapsedTimer sinceChange_;
    std::optional<QPointF> pressPosition_;
    std::optional<std::string> ruleWaitingForShow_; // new data arrived while the explorer was hidden

    // Layers that follow the timeline; the rest of the picture is drawn once per result.
    std::vector<PlotView2D::LayerId> timelineLayers_;
};

} // namespace locallab
