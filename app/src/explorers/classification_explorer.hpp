#pragma once
// The Classification explorer: the kernel classifier's posterior over the plane of two labelled columns.
// The predicted class colours the plane, more strongly where its posterior is higher; the decision
// boundaries are contour lines; the data are coloured by their label. A click or a left-drag sets the
// target x* (the middle button pans, the wheel zooms): the points that weigh there are ringed (those with
// a tenth of the heaviest weight for a radial kernel, the k nearest for knn) and the formula panel lists
// p_c(x*) for every class, the predicted class, Σw and the effective number of points. A move of x* is
// read out in its own job from the classifier on screen and redraws only the marker and the rings.
// While a numeric slider (h, k, the grid) is held, previews on a grid of at most previewGridNodes a side
// follow it; the release computes the picture on the full grid.

#include "explorers/classification_picture.hpp"
#include "explorers/explorer.hpp"
#include "locallab/data/dataset.hpp"
#include "locallab/util/parameter.hpp"
#include "locallab/widgets/job_runner.hpp"
#include "locallab/widgets/plot_view_2d.hpp"

#include <QElapsedTimer>
#include <memory>
#include <optional>
#include <string>
#include <vector>

class QLabel;

namespace locallab {

class ClassificationExplorer : public Explorer {
    Q_OBJECT

public:
    explicit ClassificationExplorer(QWidget* widgetParent);

    QString title() const override;
    VtkView* view() const override;
    ParameterPanel* panel() const override;
    QWidget* centralWidget() const override;
    void cancel() override;
    std::optional<ResultTable> resultTable() const override;

    static std::vector<ParameterDescription> parameterDescriptions();

    // The labelled data to classify: the first two point columns and the labels. Data without labels or
    // with a single class leave a message instead.
    void setDataset(std::shared_ptr<const Dataset> dataset);
    // Sets x* (data coordinates), as a click does. The readout at x* is computed by a job and arrives with
    // targetShown().
    void setTarget(const Eigen::Vector2d& position);
    // Sets the bandwidth by Scott's rule, as the Scott button does.
    void useScottBandwidth();

    PlotView2D* plotView() const { return view_; }
    // The picture on screen, nullptr before the first one.
    std::shared_ptr<const ClassificationPicture> picture() const { return picture_; }
    // The readout at x*, once there is a picture.
    const std::optional<TargetReadout>& target() const { return readout_; }
    QString formulaText() const;
    QString messageText() const;

signals:
    // A picture was drawn (a preview too: picture()->preview), this long after the change that caused it.
    void pictureShown(double millisecondsSinceChange);
    // The readout at x* is on screen, from a click or with a new picture.
    void targetShown();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void onParameterChanging(const QString& name, const ParameterValue& value);
    void onParameterChanged(const QString& name, const ParameterValue& value);
    enum class Detail { Preview, Full };
    void requestPicture(Detail detail = Detail::Full);
    // A press in the frame sets x*, a drag carries it; returns whether the event was x*'s.
    bool handleMouse(QEvent* event);
    // x* moved by a drag: the rings of the last readout stay until the new one arrives.
    void dragTargetTo(const Eigen::Vector2d& position);
    void onFinished(const JobResult& result, double elapsedMilliseconds);
    void onFailed(const QString& message);
    void showPicture(std::shared_ptr<const ClassificationPicture> picture);
    void showMessage(const QString& message);
    void requestTarget();
    void onTargetFinished(const JobResult& result);
    void showTarget(std::optional<TargetReadout> readout);

    void drawPicture(bool reframe);
    // Only what depends on x*: the marker and the rings on the data.
    void drawTarget();
    void drawRegions(const ClassificationPicture& picture);
    void drawBoundaries(const ClassificationPicture& picture);
    void updateFormula();

    PlotView2D* view_ = nullptr;
    ParameterPanel* panel_ = nullptr;
    QWidget* central_ = nullptr;
    QLabel* message_ = nullptr;
    QLabel* formula_ = nullptr;

    JobRunner runner_;
    JobRunner targetRunner_; // the readout at a new x*, from the classifier on screen
    std::optional<ClassificationData> data_;
    std::string xName_ = "x";
    std::string yName_ = "y";
    std::optional<Eigen::Vector2d> targetPosition_;
    std::optional<TargetReadout> readout_;
    std::shared_ptr<const ClassificationPicture> picture_;
    std::uint64_t latestRequest_ = 0;
    std::uint64_t latestTargetRequest_ = 0;
    bool reframePending_ = true;
    bool waitingForShow_ = false; // new data arrived while the explorer was hidden
    bool draggingTarget_ = false;
    QElapsedTimer sinceChange_;
    std::optional<PlotView2D::LayerId> dataLayer_; // the labelled points, ringed at x*
    std::vector<PlotView2D::LayerId> targetLayers_;
};

} // namespace locallab
