#pragma once
// The Attention explorer: attention as a matrix of kernel weights, on four pages.
//   Tokens      the tokens in a plane beside their n × n attention heatmap (one per head when there are
//               several); a click on a token makes it the query: lines to the keys as thick as their
//               weights, and its output, the local mean Σ_j w_ij v_j. The temperature is the bandwidth.
//   Layers      attention stacked with residual mixing (and a token-wise MLP): the tokens' paths through
//               the layers on a timeline, like blurring MeanShift.
//   Hopfield    a corrupted digit retrieved step by step, the energy, and the three regimes of β.
//   Clustering  two heads trained on a Gaussian mixture moving to the centroids, their cosine curves,
//               and the in-context quantization of one sequence.
// Each page computes in its own job, only while it is on screen; the last good picture stays when a
// change fails, with the reason above the pictures.

#include "explorers/attention_picture.hpp"
#include "explorers/explorer.hpp"
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

class QGridLayout;
class QLabel;
class QTabWidget;

namespace locallab {

class CaptionedImageView;
class IterationTimeline;

class AttentionExplorer : public Explorer {
    Q_OBJECT

public:
    enum class Page { Tokens = 0, Layers = 1, Hopfield = 2, Clustering = 3 };

    explicit AttentionExplorer(QWidget* widgetParent);

    QString title() const override;
    VtkView* view() const override;
    ParameterPanel* panel() const override;
    QWidget* centralWidget() const override;
    void cancel() override;

    static std::vector<ParameterDescription> parameterDescriptions();
    // The most tokens the explorer attends over; data with more rows use their first ones.
    static constexpr Eigen::Index tokenLimit = 4096;

    // The Data explorer's data: the tokens when the "tokens" parameter says "data" (every column).
    void setDataset(std::shared_ptr<const Dataset> dataset);
    // Makes token `query` (0-based) the query, as a click on it does.
    void selectQuery(Eigen::Index query);
    void showPage(Page page);
    Page currentPage() const;

    // The tokens attended over (n × d), nullptr when there are none.
    std::shared_ptr<const Eigen::MatrixXd> tokens() const { return tokens_; }
    const TokenPlane& tokenPlane() const { return plane_; }
    std::shared_ptr<const TokenAttentionPicture> tokenPicture() const { return tokenPicture_; }
    std::shared_ptr<const LayerPicture> layerPicture() const { return layerPicture_; }
    std::shared_ptr<const HopfieldPicture> hopfieldPicture() const { return hopfieldPicture_; }
    std::shared_ptr<const ClusteringPicture> clusteringPicture() const { return clusteringPicture_; }
    // The readout of the selected query, once its picture is on screen.
    const std::optional<AttentionQueryReadout>& queryReadout() const { return readout_; }
    // The tokens' names: their text labels when the data have them, else t1, t2, ...
    const std::vector<std::string>& tokenNames() const { return tokenNames_; }
    // The heatmap row (query, 0-based) under the mouse, whose weights the token view shows lightly.
    std::optional<Eigen::Index> hoveredRow() const { return hoveredRow_; }
    // The token view's layers showing the hovered row: its lines to the keys first.
    const std::vector<PlotView2D::LayerId>& hoverLayers() const { return hoverLayers_; }
    // The Layers page's layer of the tokens' paths, when they are drawn.
    std::optional<PlotView2D::LayerId> tokenPathsLayer() const { return tokenPathsLayer_; }

    PlotView2D* tokenView() const { return tokenView_; }
    PlotView2D* heatmapView() const { return heatmapView_; }
    PlotView2D* layerView() const { return layerView_; }
    PlotView2D* layerHeatmapView() const { return layerHeatmapView_; }
    IterationTimeline* layerTimeline() const { return layerTimeline_; }
    IterationTimeline* hopfieldTimeline() const { return hopfieldTimeline_; }
    IterationTimeline* trainingTimeline() const { return trainingTimeline_; }
    QTabWidget* pages() const { return pages_; }
    QString formulaText() const;
    QString messageText() const;

signals:
    // A Tokens picture was drawn, this long after the change that caused it.
    void pictureShown(double millisecondsSinceChange);
    // The selected query's lines, output and numbers are on screen.
    void queryShown();
    // A picture of the Layers, Hopfield or Clustering page was drawn.
    void pageShown(int page);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QWidget* createTokensPage();
    QWidget* createLayersPage();
    QWidget* createHopfieldPage();
    QWidget* createClusteringPage();
    PlotView2D* createPlot(QWidget* parent, PlotView2D::AspectMode aspect);

    void onParameterChanging(const QString& name, const ParameterValue& value);
    void onParameterChanged(const QString& name, const ParameterValue& value);
    void markStale(const std::string& parameterName);
    // Reads the tokens the parameters (or the data) give; false, with a message, when they cannot be used.
    bool rebuildTokens();
    void requestCurrentPage();
    void requestTokens();
    void requestLayers();
    void requestHopfield();
    void requestClustering();
    void requestQuery();
    void onJobFailed(const QString& message);
    enum class MessageKind { Problem, Note };
    void showMessage(const QString& message, MessageKind kind = MessageKind::Problem);
    void handleClick(QObject* watched, const QPointF& position);
    void showHeatmapTip(const QPointF& position, const QPoint& globalPosition);
    // The query row of the heatmap at a widget position, if the position is on a row.
    std::optional<Eigen::Index> heatmapRowAt(const QPointF& position) const;
    void setHoveredRow(std::optional<Eigen::Index> row);
    void drawHoverOverlay();
    // The axes of a matrix over the current tokens: their names when there are few enough to read.
    void nameMatrixAxes(PlotView2D& view, Eigen::Index count) const;

    void showTokenPicture(std::shared_ptr<const TokenAttentionPicture> picture);
    void drawTokenPoints();
    // Where the label `text` of a point of the token view goes so that it stays inside the frame.
    Eigen::Vector3d labelPlace(const Eigen::Vector2d& point, const std::string& text,
                               bool below = false) const;
    void drawQueryOverlay();
    void drawHeatmap();
    void drawHeadGrid();
    void drawLayersAt(double position);
    void drawHopfieldAt(double position);
    void drawClusteringAt(double position);
    void drawQuantization();
    void updateFormula();

    PlotView2D* tokenView_ = nullptr;
    PlotView2D* heatmapView_ = nullptr;
    QWidget* headGrid_ = nullptr;
    QGridLayout* headLayout_ = nullptr;
    std::vector<CaptionedImageView*> headViews_;
    PlotView2D* layerView_ = nullptr;
    PlotView2D* layerHeatmapView_ = nullptr;
    IterationTimeline* layerTimeline_ = nullptr;
    CaptionedImageView* patternsView_ = nullptr;
    CaptionedImageView* queryView_ = nullptr;
    CaptionedImageView* stateView_ = nullptr;
    PlotView2D* energyView_ = nullptr;
    PlotView2D* sweepView_ = nullptr;
    IterationTimeline* hopfieldTimeline_ = nullptr;
    PlotView2D* trainingView_ = nullptr;
    PlotView2D* cosineView_ = nullptr;
    PlotView2D* quantizationView_ = nullptr;
    IterationTimeline* trainingTimeline_ = nullptr;
    ParameterPanel* panel_ = nullptr;
    QWidget* central_ = nullptr;
    QTabWidget* pages_ = nullptr;
    QLabel* message_ = nullptr;
    QLabel* formula_ = nullptr;

    JobRunner tokenRunner_;
    JobRunner queryRunner_;
    JobRunner layerRunner_;
    JobRunner hopfieldRunner_;
    JobRunner clusteringRunner_;

    std::shared_ptr<const Dataset> dataset_;
    std::shared_ptr<const Eigen::MatrixXd> tokens_;
    Eigen::VectorXi groups_;
    std::vector<std::string> groupNames_;
    TokenPlane plane_;
    Eigen::MatrixX2d projectedTokens_;
    Eigen::Index query_ = 0;

    std::shared_ptr<const TokenAttentionPicture> tokenPicture_;
    std::optional<AttentionQueryReadout> readout_;
    std::shared_ptr<const LayerPicture> layerPicture_;
    std::shared_ptr<const HopfieldPicture> hopfieldPicture_;
    std::shared_ptr<const ClusteringPicture> clusteringPicture_;
    // Each page numbers its own requests: a page's result is drawn when it answers that page's latest
    // request, whatever the other pages asked for meanwhile.
    std::uint64_t latestTokenRequest_ = 0;
    std::uint64_t latestLayerRequest_ = 0;
    std::uint64_t latestHopfieldRequest_ = 0;
    std::uint64_t latestClusteringRequest_ = 0;
    std::uint64_t latestQueryRequest_ = 0;
    // A page is stale from a change of its inputs until its job for them starts, and again when that job
    // is cancelled, so that it computes the next time it is shown.
    bool tokensStale_ = true;
    bool layersStale_ = true;
    bool hopfieldStale_ = true;
    bool clusteringStale_ = true;
    bool tokenPointsStale_ = true; // the token view's points need drawing again (new tokens)
    bool waitingForShow_ = false;
    QElapsedTimer sinceChange_;
    std::optional<QPointF> pressPosition_;
    std::vector<PlotView2D::LayerId> queryLayers_;
    std::vector<DataLabel> tokenLabels_; // the tokens' names, when there are few
    std::vector<std::string> tokenNames_;
    std::optional<Eigen::Index> hoveredRow_;
    std::vector<PlotView2D::LayerId> hoverLayers_;    // in the token view
    std::optional<PlotView2D::LayerId> hoverOutline_; // in the heatmap
    std::optional<PlotView2D::LayerId> tokenPathsLayer_;
};

} // namespace locallab
