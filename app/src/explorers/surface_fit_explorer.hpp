#pragma once
// The Surface fit explorer (2-D regression): local polynomial regression of y on (x1, x2), Nadaraya–
// Watson, local linear or local quadratic, drawn as a heatmap of the fitted surface ŷ with contour lines
// and a colour bar, under the data points coloured by their y on the same colour scale (a point that
// stands out from its background is a large residual). Where no data point has weight the plane is grey.
// A query point x*, clicked, dragged or nudged with the arrow keys, shows the circle of the kernel's
// reach, the points that weigh there (larger as they weigh more), the uphill direction of the local model,
// and in the formula panel Σw, the effective number of points and the local coefficients.
//
// Two jobs: the surface (data, method, kernel, h, grid; it reads out x* too, so that both arrive
// together) and the query (x* alone, from the regression the surface keeps, so dragging needs no refit).

#include "explorers/explorer.hpp"
#include "explorers/surface_fit_picture.hpp"
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

class SurfaceFitExplorer : public Explorer {
    Q_OBJECT

public:
    explicit SurfaceFitExplorer(QWidget* widgetParent);

    QString title() const override;
    VtkView* view() const override;
    ParameterPanel* panel() const override;
    QWidget* centralWidget() const override;
    void cancel() override;

    static std::vector<ParameterDescription> parameterDescriptions();

    // The Data explorer's data: x1 and x2 are the first two point columns, y the target or else the third
    // column. With the data source on "auto", data without a target give way to a built-in noisy bump. New
    // data start from Scott's bandwidth.
    void setDataset(std::shared_ptr<const Dataset> dataset);
    // Moves x*, as a click, a drag or an arrow key does; its readout arrives with queryShown().
    void setQueryPoint(const Eigen::Vector2d& position);
    std::optional<Eigen::Vector2d> queryPoint() const { return queryPosition_; }
    // Set h by a rule, as the buttons beside the bandwidth do; the value in use comes back with the picture.
    void useScottBandwidth();
    void useCrossValidatedBandwidth();

    PlotView2D* plotView() const { return view_; }
    // What is on screen, nullptr (or empty) before the first result.
    std::shared_ptr<const SurfacePicture> picture() const { return picture_; }
    const std::optional<QueryReadout>& query() const { return query_; }
    // The sample being fitted, nullptr when the chosen data cannot be fitted.
    std::shared_ptr<const SurfaceSample> sample() const { return sample_; }
    QString formulaText() const;
    QString messageText() const;
    // The legend rows of the plot, top to bottom.
    std::vector<std::string> legendNames() const { return legendNames_; }

signals:
    // The surface was drawn, this long after the change that asked for it.
    void pictureShown(double millisecondsSinceChange);
    // The readout at x* was drawn, this long after x* moved (or the surface it belongs to was asked for).
    void queryShown(double millisecondsSinceMove);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void onParameterChanging(const QString& name, const ParameterValue& value);
    void onParameterChanged(const QString& name, const ParameterValue& value);
    void chooseSample();
    void startFromNewSample();
    void requestPicture(const std::string& bandwidthRule = {});
    void requestQuery();
    // Shows a bandwidth a rule chose. The number box rounds it; until the user changes h, the fits use
    // the exact value.
    void setBandwidthSilently(double h);
    double currentBandwidth() const;
    void onPictureFinished(const JobResult& result, double elapsedMilliseconds);
    void onPictureFailed(const QString& message);
    void onQueryFinished(const JobResult& result);
    void showPicture(std::shared_ptr<const SurfacePicture> picture);
    void showMessages();
    bool handleMouse(QEvent* event);
    bool handleKey(QEvent* event);

    void drawPicture();
    void drawQuery();
    void updateFormula();

    PlotView2D* view_ = nullptr;
    ParameterPanel* panel_ = nullptr;
    QWidget* central_ = nullptr;
    QLabel* message_ = nullptr;
    QLabel* formula_ = nullptr;

    JobRunner pictureRunner_;
    JobRunner queryRunner_;
    std::shared_ptr<const Dataset> dataset_;
    std::shared_ptr<const SurfaceSample> sample_;
    std::shared_ptr<const SurfacePicture> picture_;
    std::optional<QueryReadout> query_;
    std::string sampleProblem_; // why the chosen data cannot be fitted
    std::string jobProblem_;    // the last failed surface job's message
    std::uint64_t latestPicture_ = 0;
    std::uint64_t latestQuery_ = 0;
    struct ChosenBandwidth {
        double exact = 0.0;
        double shown = 0.0; // what the panel reads back
    };
    std::optional<ChosenBandwidth> chosenBandwidth_;
    std::optional<Eigen::Vector2d>
        queryPosition_; // empty until data arrive: x* then starts near their centre
    bool reframePending_ = true;
    bool draggingQuery_ = false;
    std::optional<std::string> ruleWaitingForShow_; // a request made while the explorer was hidden
    QElapsedTimer sinceChange_;
    QElapsedTimer sinceQueryMove_;

    std::vector<PlotView2D::LayerId> queryLayers_; // redrawn on every move of x*
    std::vector<std::string> legendNames_;
    std::size_t pictureLegendRows_ = 0;
};

} // namespace locallab
