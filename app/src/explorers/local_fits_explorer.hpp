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
// For a large sample the fits run twice per change, in two runners: an approximate picture from binned
// fits, shown within tens of milliseconds, then the exact one, which replaces it; while the bandwidth
// slider is held the exact job waits for it to rest. A badge above the plot says which is on screen.
//
// Lessons (local_fits_lessons.hpp), chosen in the panel, set the data, the parameters and x* to show one
// classic point, explain it above the plot and draw the true function dashed; new data end the lesson.

#include "explorers/explorer.hpp"
#include "explorers/local_fits_lessons.hpp"
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
class QTimer;

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
    std::optional<ResultTable> resultTable() const override;

    static std::vector<ParameterDescription> parameterDescriptions();
    // The panel's "lesson" choices: free exploration, then localFitsLessonKeys().
    static std::vector<std::string> lessonChoices();
    static const std::string& freeExploration();

    // From this many points on, a change of the fits shows an approximate (binned) picture first. The
    // exact picture with its band costs about 0.1 s of computation at 2,000 points on the 400 x's of the
    // curves (0.3 s at 5,000, 2.3 s at 100,000 on 1,000 x's; the binned one 1 ms at 5,000, 9 ms at
    // 100,000; bench_local_fits_latency). Below it the exact picture comes within a few frames, and a
    // second picture would only flicker.
    static constexpr Eigen::Index approximatePointLimit = 2000;
    // How long a dragged bandwidth slider must rest before the exact job for its value starts.
    static constexpr int exactDelayWhileDraggingMilliseconds = 120;

    // The Data explorer's data. x is the first point column, y the target or else the second column. With
    // the data source on "auto", data without a target give way to a built-in noisy sine, which is what
    // a regression lesson starts from. A new data set starts from Silverman's bandwidth.
    void setDataset(std::shared_ptr<const Dataset> dataset);
    // Sets the data, parameters and x* of the lesson with that key (one of lessonChoices(), as choosing it
    // in the panel does) and explains it above the plot. Free exploration ends the lesson and keeps what
    // is on screen. Throws std::invalid_argument for an unknown key.
    void startLesson(const std::string& key);
    // The lesson under way, nullptr during free exploration.
    const LocalFitsLesson* lesson() const { return lesson_ ? &*lesson_ : nullptr; }
    // The lesson's title and explanation as shown, empty during free exploration.
    QString lessonText() const;
    // Moves the query point, as a click or a drag on the plot does.
    void setQueryPoint(double x);
    double queryPoint() const { return queryX_; }
    // How many x's along the range the curves and the band are evaluated at (400 unless set); refits.
    void setCurvePoints(Eigen::Index points);
    Eigen::Index curvePoints() const { return curvePoints_; }

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
    // "Approximate (binned) — exact result on its way", "Exact", ...; empty while no badge is shown (small
    // samples, which have only exact pictures).
    QString badgeText() const;
    // The legend rows of the main plot, top to bottom.
    std::vector<std::string> legendNames() const { return legendNames_; }
    // Where the time of the last picture and of the last query shown went, for benchmarks: the job on its
    // worker thread and the scene update on the GUI thread (layers, formula, messages), in milliseconds.
    struct ShowTiming {
        double job = 0.0;
        double scene = 0.0;
    };
    ShowTiming lastPictureTiming() const { return pictureTiming_; }
    ShowTiming lastQueryTiming() const { return queryTiming_; }

signals:
    // The fits were drawn, this long after the change that asked for them; picture()->exact tells an
    // approximate picture from the exact one.
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
    void leaveLesson();
    bool lowessIsFeatured() const;
    void chooseSample();
    // WhileDragging: h is still moving; the slow variability band waits for the release (large samples).
    enum class Urgency { WhileDragging, Now };
    void requestFits(const std::string& bandwidthRule = {}, Urgency urgency = Urgency::Now);
    void startExactJob();
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
    void onApproximateFitsFinished(const JobResult& result, double elapsedMilliseconds);
    void onQueryFinished(const JobResult& result, double elapsedMilliseconds);
    void onCrossValidationFinished(const JobResult& result);
    void showFits(std::shared_ptr<const LocalFitsPicture> picture, double jobMilliseconds);
    void showQuery(std::shared_ptr<const QueryPicture> query, double jobMilliseconds);
    void showMessages();
    void dragQueryTo(const QPointF& widgetPosition);

    void drawFits();
    void drawQuery();
    void drawCrossValidation();
    void updateFormula();
    void updateBadge();

    PlotView2D* view_ = nullptr;
    PlotView2D* crossValidationView_ = nullptr;
    ParameterPanel* panel_ = nullptr;
    QWidget* central_ = nullptr;
    QWidget* crossValidationBox_ = nullptr;
    QLabel* lessonText_ = nullptr;
    QLabel* badge_ = nullptr;
    QLabel* message_ = nullptr;
    QLabel* formula_ = nullptr;
    QPushButton* useOptimumButton_ = nullptr;
    QPushButton* optimumRuleButton_ = nullptr; // the panel's "CV optimum" beside h

    JobRunner approximateFitsRunner_;
    JobRunner fitsRunner_; // the exact fits
    JobRunner queryRunner_;
    JobRunner crossValidationRunner_;
    std::shared_ptr<const Dataset> dataset_;
    std::shared_ptr<const RegressionSample> sample_;
    std::shared_ptr<const LocalFitsPicture> picture_;
    std::shared_ptr<const QueryPicture> query_;
    std::shared_ptr<const CrossValidationPicture> crossValidation_;
    std::optional<LocalFitsLesson> lesson_;
    std::string sampleProblem_; // why the chosen data cannot be fitted, or what replaced them
    std::string jobProblem_;    // the last failed job's message
    std::string crossValidationProblem_;
    std::optional<FitsRequest> pendingExactRequest_; // waits for a dragged slider to rest
    QTimer* exactDelay_ = nullptr;
    Eigen::Index curvePoints_ = 400;
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
    ShowTiming pictureTiming_;
    ShowTiming queryTiming_;

    std::shared_ptr<const RegressionSample> drawnSample_; // whose scatter is drawn (one layer, kept)
    std::vector<PlotView2D::LayerId> fitsLayers_;         // redrawn with every picture
    std::vector<PlotView2D::LayerId> queryLayers_;        // redrawn on every move of x*
    std::vector<std::string> legendNames_;
    std::size_t fitsLegendRows_ = 0; // the rows of legendNames_ drawFits() names; the query's follow
};

} // namespace locallab
