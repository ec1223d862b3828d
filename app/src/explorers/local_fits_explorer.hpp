#pragma once
// The Local fits explorer (1-D regression): the scatter of (x, y) with the curves of Nadaraya–Watson,
// local linear, local quadratic and cubic regression and LOWESS, any subset at once. A query point x*,
// dragged with the mouse, shows what the featured method does there: every point's weight as its size,
// the kernel drawn under the data, the local line or polynomial fitted at x* over the kernel's reach,
// and the fitted value as a large marker, with the numbers in the formula panel. Below the plot a small
// plot of the leave-one-out cross-validation error against h marks the current h and the optimum.
//
// Three jobs, each run again only when its inputs change: the fits (h, kernel, data), the query (x*: a
// single local fit, so dragging stays fluid) and the cross-validation curve (kernel, degree, data).

#include "explorers/explorer.hpp"
#include "explorers/local_fits_picture.hpp"
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
class QPushButton;

namespace locallab {

class LocalFitsExplorer : public Explorer {
    Q_OBJECT

public:
    explicit LocalFitsExplorer(QWidget* widgetParent);

    QString title() const override;
    VtkView* view() const override;
    ParameterPanel* panel() const override;
    QWidget* centralWidget() const override;
    void cancel() override;

    static std::vector<ParameterDescription> parameterDescriptions();

    // The Data explorer's data. x is the first point column, y the target or else the second column. With
    // the data source on "auto", data without a target give way to a built-in noisy sine, which is what
    // a regression lesson starts from. A new data set starts from Silverman's bandwidth.
    void setDataset(std::shared_ptr<const Dataset> dataset);
    // Moves the query point, as a click or a drag on the plot does.
    void setQueryPoint(double x);
    double queryPoint() const { return queryX_; }

    PlotView2D* plotView() const { return view_; }
    PlotView2D* crossValidationView() const { return crossValidationView_; }
    // What is on screen, nullptr before the first result.
    std::shared_ptr<const LocalFitsPicture> picture() const { return picture_; }
    std::shared_ptr<const QueryPicture> query() const { return query_; }
    std::shared_ptr<const CrossValidationPicture> crossValidation() const { return crossValidation_; }
    // The sample being fitted, nullptr before the first data set.
    std::shared_ptr<const RegressionSample> sample() const { return sample_; }
    QString formulaText() const;
    QString messageText() const;
    // The legend rows of the main plot, top to bottom.
    std::vector<std::string> legendNames() const { return legendNames_; }

signals:
    // The fits were drawn, this long after the change that asked for them.
    void pictureShown(double millisecondsSinceChange);
    // The query at x* was drawn, this long after x* moved (or the fits it belongs to arrived).
    void queryShown(double millisecondsSinceMove);
    void crossValidationShown();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void onParameterChanging(const QString& name, const ParameterValue& value);
    void onParameterChanged(const QString& name, const ParameterValue& value);
    void onParameter(const std::string& name);
    void chooseSample();
    // WhileDragging: h is still moving; the slow variability band waits for the release (large samples).
    enum class Urgency { WhileDragging, Now };
    void requestFits(const std::string& bandwidthRule = {}, Urgency urgency = Urgency::Now);
    void requestQuery();
    void requestCrossValidation();
    CrossValidationRequest crossValidationRequest() const;
    // The curve on screen belongs to the data, kernel and degree the panel shows.
    bool crossValidationIsCurrent() const;
    void useCrossValidationOptimum();
    // Shows a bandwidth a rule chose. The number box rounds it; until the user changes h, the fits use
    // the exact value.
    void setBandwidthSilently(double h);
    double currentBandwidth() const;
    void onFitsFinished(const JobResult& result, double elapsedMilliseconds);
    void onQueryFinished(const JobResult& result);
    void onCrossValidationFinished(const JobResult& result);
    void showFits(std::shared_ptr<const LocalFitsPicture> picture);
    void showQuery(std::shared_ptr<const QueryPicture> query);
    void showMessages();
    void dragQueryTo(const QPointF& widgetPosition);

    void drawFits();
    void drawQuery();
    void drawCrossValidation();
    void updateFormula();

    PlotView2D* view_ = nullptr;
    PlotView2D* crossValidationView_ = nullptr;
    ParameterPanel* panel_ = nullptr;
    QWidget* central_ = nullptr;
    QWidget* crossValidationBox_ = nullptr;
    QLabel* message_ = nullptr;
    QLabel* formula_ = nullptr;
    QPushButton* useOptimumButton_ = nullptr;

    JobRunner fitsRunner_;
    JobRunner queryRunner_;
    JobRunner crossValidationRunner_;
    std::shared_ptr<const Dataset> dataset_;
    std::shared_ptr<const RegressionSample> sample_;
    std::shared_ptr<const LocalFitsPicture> picture_;
    std::shared_ptr<const QueryPicture> query_;
    std::shared_ptr<const CrossValidationPicture> crossValidation_;
    std::string sampleProblem_; // why the chosen data cannot be fitted, or what replaced them
    std::string jobProblem_;    // the last failed job's message
    std::string crossValidationProblem_;
    std::uint64_t latestFits_ = 0;
    std::uint64_t latestQuery_ = 0;
    std::uint64_t latestCrossValidation_ = 0;
    struct ChosenBandwidth {
        double exact = 0.0;
        double shown = 0.0; // what the panel reads back
    };
    std::optional<ChosenBandwidth> chosenBandwidth_;
    double queryX_ = 0.0;
    bool queryPlaced_ = false; // false until data arrive: x* then starts a quarter into the range
    bool reframePending_ = true;
    bool optimumWanted_ = false; // "CV optimum" pressed before the curve was ready
    bool draggingQuery_ = false;
    std::optional<std::string> ruleWaitingForShow_; // data arrived while the explorer was hidden
    QElapsedTimer sinceFitsChange_;
    QElapsedTimer sinceQueryMove_;

    std::vector<PlotView2D::LayerId> queryLayers_; // redrawn on every move of x*
    std::vector<std::string> legendNames_;
};

} // namespace locallab
