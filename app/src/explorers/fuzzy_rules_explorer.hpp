#pragma once
// The Fuzzy rules explorer: Takagi–Sugeno inference on 1-D data as a blend of local models. The rule
// centres sit as handles under the data (placed by k-means, then dragged by hand); each rule's local line
// a_r(x − c_r) + b_r is drawn in its colour, strong where the rule has the most say; the membership
// functions μ_r(x) fill a strip under the data; the blended output ŷ(x) = Σ_r w_r(x)·(rule output) is the
// bold curve. A query line x*, clicked or dragged, lists every rule's μ_r, w_r and output in the formula
// panel. A toggle draws the Nadaraya–Watson estimate over the centres with the values b_r, computed on its
// own, and states how far it is from the zero-order output: nowhere, to rounding.
//
// Two jobs: the picture (data, centres, kernel, width, order, identification: identify and evaluate) and
// the query (x*: R kernel evaluations, so dragging x* stays fluid). Dragging a centre re-identifies the
// consequents live; its release is the commit.

#include "explorers/explorer.hpp"
#include "explorers/fuzzy_rules_picture.hpp"
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

namespace locallab {

class FuzzyRulesExplorer : public Explorer {
    Q_OBJECT

public:
    explicit FuzzyRulesExplorer(QWidget* widgetParent);

    QString title() const override;
    VtkView* view() const override;
    ParameterPanel* panel() const override;
    QWidget* centralWidget() const override;
    void cancel() override;

    static std::vector<ParameterDescription> parameterDescriptions();

    // The Data explorer's data: x is the first point column, y the target or else the second column. With
    // the data source on "auto", data without a target give way to a built-in noisy sine. New data get
    // new centres by k-means and a width from their spacing.
    void setDataset(std::shared_ptr<const Dataset> dataset);
    // Moves the query point, as a click or a drag on the plot does.
    void setQueryPoint(double x);
    double queryPoint() const { return queryX_; }
    // Puts the rules at these centres (the rule count follows) and re-identifies their consequents, as
    // dragging does.
    void setCentres(const Eigen::VectorXd& centres);
    // New centres by k-means with the panel's rule count and seed, as the button does.
    void placeCentresByKMeans();
    // The centres the next picture is computed for (those on screen once it arrives).
    const Eigen::VectorXd& centres() const { return centres_; }
    // Where rule r's handle is drawn, in the plot view's widget pixels; valid after a frame is laid out.
    QPointF centreHandlePosition(Eigen::Index rule) const;

    PlotView2D* plotView() const { return view_; }
    // What is on screen, nullptr before the first result.
    std::shared_ptr<const FuzzyRulesPicture> picture() const { return picture_; }
    std::shared_ptr<const RulesQuery> query() const { return query_; }
    std::shared_ptr<const RegressionSample> sample() const { return sample_; }
    QString formulaText() const;
    QString messageText() const;
    // The legend rows of the plot, top to bottom.
    std::vector<std::string> legendNames() const { return legendNames_; }

signals:
    // The picture was drawn, this long after the change that asked for it.
    void pictureShown(double millisecondsSinceChange);
    // The numbers at x* were drawn, this long after x* moved (or the picture they belong to arrived).
    void queryShown(double millisecondsSinceMove);
    // A centre is being dragged (live preview) and where it was let go (the commit), as the panel's
    // parameterChanging and parameterChanged are for a slider.
    void centreChanging(int rule, double x);
    void centreChanged(int rule, double x);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    enum class CentrePlacement { Keep, KMeans };
    enum class WidthChoice { Keep, FromSpacing };

    void onParameterChanged(const QString& name, const ParameterValue& value);
    void onParameterChanging(const QString& name, const ParameterValue& value);
    void chooseSample();
    void startFromNewData();
    void requestPicture(CentrePlacement placement = CentrePlacement::Keep,
                        WidthChoice width = WidthChoice::Keep);
    void requestQuery();
    void onPictureFinished(const JobResult& result, double elapsedMilliseconds);
    void onPictureFailed(const QString& message);
    void onQueryFinished(const JobResult& result);
    void showPicture(std::shared_ptr<const FuzzyRulesPicture> picture);
    void showMessages();
    void setWidthSilently(double width);
    double currentWidth() const;

    // Mouse handling on the plot: a press on a handle drags that centre, anywhere else moves x*.
    std::optional<Eigen::Index> handleUnder(const QPointF& widgetPosition) const;
    void dragCentreTo(const QPointF& widgetPosition, bool released);
    void dragQueryTo(const QPointF& widgetPosition);

    void drawPicture();
    // The layers that move on their own: the centres' handles and x* with its markers.
    void drawMovingLayers();
    void drawHandles();
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
    std::shared_ptr<const RegressionSample> sample_;
    std::shared_ptr<const FuzzyRulesPicture> picture_;
    std::shared_ptr<const RulesQuery> query_;
    Eigen::VectorXd centres_; // the rules' centres as the user placed them; empty: k-means places them
    bool centresMovedByHand_ = false;
    QString kMeansSummary_; // how k-means placed the centres last time
    std::string sampleProblem_;
    std::string jobProblem_;
    std::uint64_t latestPicture_ = 0;
    std::uint64_t latestQuery_ = 0;
    struct ChosenWidth {
        double exact = 0.0;
        double shown = 0.0; // what the panel reads back after rounding
    };
    std::optional<ChosenWidth> chosenWidth_;
    double queryX_ = 0.0;
    bool queryPlaced_ = false;
    bool reframePending_ = true;
    bool cameraMovedByUser_ = false; // panned or zoomed since the data were framed
    bool waitingForShow_ = true;     // the first look fits whatever data there are
    std::optional<Eigen::Index> draggedCentre_;
    bool draggingQuery_ = false;
    QElapsedTimer sinceChange_;
    QElapsedTimer sinceQueryMove_;

    std::vector<PlotView2D::LayerId> handleLayers_; // redrawn on every move of a centre
    std::vector<PlotView2D::LayerId> queryLayers_;  // redrawn on every move of x*
    std::size_t pictureLegendRows_ = 0;
    std::vector<std::string> legendNames_;
};

} // namespace locallab
