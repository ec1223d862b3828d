#pragma once
// The Manifold explorer: locally linear embedding shown as the local model it is. Left, the input cloud
// in 3-D (a generated shape, or the Data explorer's data, wider data by their first three principal
// components), coloured by the generator's latent coordinate or a chosen column, with the neighbour graph
// on request. Right, the 2-D embedding in the same colours. The two are linked point by point: points
// brushed (Shift+drag) in either view are highlighted in both, and a click on a point shows its
// neighbours and reconstruction weights as labelled edges, the point rebuilt from them beside the real
// one, and the local reconstruction error in the formula panel; a small view below shows that
// neighbourhood in its own plane, large enough to read every weight.
//
// Every change of k, reg, the method or the data starts one job (a newer change supersedes it); the last
// embedding that worked stays on screen while a new one is computed or when LLE reports a problem, which
// is said in plain words above the views. Lessons set data and parameters that show how LLE fails.

#include "explorers/explorer.hpp"
#include "explorers/manifold_picture.hpp"
#include "locallab/data/dataset.hpp"
#include "locallab/util/parameter.hpp"
#include "locallab/widgets/job_runner.hpp"
#include "locallab/widgets/plot_view_2d.hpp"
#include "locallab/widgets/plot_view_3d.hpp"

#include <QElapsedTimer>
#include <QPointF>
#include <QRectF>
#include <memory>
#include <optional>
#include <string>
#include <vector>

class QLabel;
class QRubberBand;

namespace locallab {

class ManifoldExplorer : public Explorer {
    Q_OBJECT

public:
    explicit ManifoldExplorer(QWidget* widgetParent);

    QString title() const override;
    // The embedding: what the status bar's render time and an exported image show.
    VtkView* view() const override;
    ParameterPanel* panel() const override;
    QWidget* centralWidget() const override;
    void cancel() override;
    std::optional<ResultTable> resultTable() const override;

    static std::vector<ParameterDescription> parameterDescriptions();
    // The lessons, as the panel's "lesson" choice lists them; the first is free exploration.
    static std::vector<std::string> lessonNames();

    // The Data explorer's data. They become a choice of the data list, and are taken at once when they
    // have at least three columns (two-column data are embedded only when asked for).
    void setDataset(std::shared_ptr<const Dataset> dataset);
    // Sets the data and parameters of a lesson (one of lessonNames()) and explains it above the views.
    void startLesson(const std::string& lesson);

    // The points highlighted in both views, as brushing sets them; indices into the data.
    void setSelection(std::vector<Eigen::Index> indices);
    const std::vector<Eigen::Index>& selection() const { return selection_; }
    // The point whose neighbours and weights are shown, as a click sets it; nullopt hides them.
    void setFocusPoint(std::optional<Eigen::Index> point);
    const std::optional<PointReconstruction>& focus() const { return focus_; }

    PlotView3D* inputView() const { return inputView_; }
    PlotView2D* embeddingView() const { return embeddingView_; }
    // The clicked point's neighbourhood in its own plane, each edge labelled with its weight.
    PlotView2D* neighbourhoodView() const { return localView_; }
    // The point layers of the two views (0 before anything is drawn).
    PlotView3D::LayerId inputPointLayer() const { return inputPoints_; }
    PlotView2D::LayerId embeddingPointLayer() const { return embeddingPoints_; }

    // The embedding on screen: the newest picture that has one, nullptr before the first.
    std::shared_ptr<const ManifoldPicture> picture() const { return picture_; }
    // The newest picture, with or without an embedding (its diagnostics say why not).
    std::shared_ptr<const ManifoldPicture> latestPicture() const { return latest_; }
    // The numbers the points are coloured by (a column, the latent coordinate, log errors); empty when
    // they are coloured by category.
    Eigen::VectorXd colorValues() const;
    // How many edges of the newest neighbour graph are drawn as short circuits (ends far apart along
    // the manifold's latent coordinate).
    std::size_t shortCircuitCount() const;
    QString formulaText() const;
    QString messageText() const;
    QString lessonText() const;

signals:
    // A result was drawn, this long after the change that asked for it; embedded is false when LLE
    // reported a problem and the last embedding stayed.
    void pictureShown(bool embedded, double millisecondsSinceChange);
    void selectionChanged();
    void focusChanged();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    enum class MessageKind { Problem, Note };
    struct PointColors;

    void onParameterChanged(const QString& name);
    void requestPicture();
    ManifoldSource currentSource() const;
    void onFinished(const JobResult& result, double elapsedMilliseconds);
    void onFailed(const QString& message);
    void showMessage(const QString& message, MessageKind kind = MessageKind::Problem);
    void updateStatus();
    void updateColorChoices(const ManifoldData& data);
    // Enables k or r, whichever the neighbourhood choice uses.
    void updateNeighborhoodControls();
    // Shows the radius a picture used, or its data's suggestion, unless the user chose one for its data.
    void followDataRadius(const ManifoldPicture& picture);

    // The picture whose weights and embedding are drawn: the newest when it has an embedding, else the
    // last good one of the same data, else the newest.
    const ManifoldPicture* shownPicture() const;
    PointColors pointColors() const;
    void drawInput(bool reframe);
    void drawInputExtras();
    void drawEmbedding(bool reframe);
    void drawNeighbourhood();
    void applySelection();
    void updateFormula();

    // Picking in either view: display positions of every point, in widget pixels.
    std::vector<QPointF> displayPositions(const QObject* view) const;
    std::optional<Eigen::Index> pointNear(const QObject* view, const QPointF& position) const;
    std::vector<Eigen::Index> pointsInside(const QObject* view, const QRectF& rectangle) const;
    bool handleMouse(QWidget* view, QEvent* event);

    PlotView3D* inputView_ = nullptr;
    PlotView2D* embeddingView_ = nullptr;
    PlotView2D* localView_ = nullptr;
    ParameterPanel* panel_ = nullptr;
    QWidget* central_ = nullptr;
    QLabel* lesson_ = nullptr;
    QLabel* message_ = nullptr;
    QLabel* status_ = nullptr;
    QLabel* formula_ = nullptr;
    QRubberBand* inputBand_ = nullptr;
    QRubberBand* embeddingBand_ = nullptr;

    JobRunner runner_;
    std::shared_ptr<const Dataset> loaded_;
    std::shared_ptr<const ManifoldPicture> picture_;
    std::shared_ptr<const ManifoldPicture> latest_;
    std::shared_ptr<const ManifoldData> preparedData_; // the data of preparedSource_, to reuse
    std::optional<ManifoldSource> preparedSource_;
    std::optional<ManifoldSource> radiusChosenFor_; // the data for which the user moved the radius
    std::shared_ptr<const ManifoldData> drawnInputData_;
    std::string drawnInputColors_; // what the cloud's colours were drawn from, to skip an unchanged redraw
    std::uint64_t latestRequest_ = 0;
    bool waitingForShow_ = false;
    QElapsedTimer sinceChange_;

    std::vector<Eigen::Index> selection_;
    std::optional<Eigen::Index> focusPoint_;
    std::optional<PointReconstruction> focus_;

    PlotView3D::LayerId inputPoints_ = 0;
    std::vector<PlotView3D::LayerId> inputExtraLayers_; // graph and focus, redrawn without the points
    PlotView2D::LayerId embeddingPoints_ = 0;

    // Mouse state of a click or a brush in progress.
    QWidget* pressedView_ = nullptr;
    QPointF pressPosition_;
    bool brushing_ = false;
};

} // namespace locallab
