#include "explorers/attention_explorer.hpp"

#include "explorers/captioned_image_view.hpp"
#include "locallab/attention/attention_parameters.hpp"
#include "locallab/widgets/iteration_timeline.hpp"
#include "locallab/widgets/parameter_panel.hpp"

#include <Eigen/Geometry>
#include <QEvent>
#include <QFont>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTabBar>
#include <QTabWidget>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <set>

namespace locallab {

namespace {

constexpr double clickTolerancePixels = 4.0;
// A click selects the token nearest to it within this many pixels.
constexpr double tokenPickPixels = 30.0;
// Token numbers are written beside the tokens up to this many tokens.
constexpr Eigen::Index labelledTokenLimit = 40;
// The heatmaps' axes name every token up to this many tokens, and show numbers beyond.
constexpr Eigen::Index namedAxisTokenLimit = 32;
// Lines are drawn from the query to at most this many keys, the heaviest, down to this fraction of the
// heaviest weight.
constexpr std::size_t drawnKeyLimit = 300;
constexpr double drawnWeightFraction = 0.01;

const std::set<std::string> tokenParameters = {"tokens",     "count",  "dimension",
                                               "separation", "spread", "seed"};
const std::set<std::string> attentionParameterNames = {"kernel", "temperature", "neighbors",        "heads",
                                                       "causal", "positional",  "positional-length"};
const std::set<std::string> layerParameters = {"layers", "residual", "mlp"};
const std::set<std::string> hopfieldParameters = {"patterns", "digit", "mask", "noise", "beta"};
const std::set<std::string> clusteringParameters = {"cluster-dimension", "cluster-separation",
                                                    "cluster-steps", "cluster-rate", "sharpness"};

QString number(double value) {
    return QString::number(value, 'g', 4);
}

Rgb darker(const Rgb& color) {
    return 0.62 * color;
}

const Rgb attentionColor = Rgb(0.835, 0.369, 0.0); // Okabe–Ito vermillion: the query's lines and output

Rgb groupColor(const Eigen::VectorXi& groups, Eigen::Index token) {
    return groups.size() > token ? categoricalColor(groups[token]) : categoricalColor(0);
}

// A segment from `from` to `to` with a two-stroke head at `to`.
std::vector<Eigen::MatrixX2d> arrow(const Eigen::Vector2d& from, const Eigen::Vector2d& to,
                                    double headLength) {
    Eigen::MatrixX2d shaft(2, 2);
    shaft << from.transpose(), to.transpose();
    const Eigen::Vector2d along = to - from;
    const double length = along.norm();
    if (!(length > 0.0)) {
        return {shaft};
    }
    const Eigen::Vector2d direction = along / length;
    const double head = std::min(headLength, 0.45 * length);
    Eigen::MatrixX2d tip(3, 2);
    tip << (to + head * (Eigen::Rotation2Dd(2.6) * direction)).transpose(), to.transpose(),
        (to + head * (Eigen::Rotation2Dd(-2.6) * direction)).transpose();
    return {shaft, tip};
}

// The outline of a rectangle as one closed path.
Eigen::MatrixX2d rectangle(double left, double right, double bottom, double top) {
    Eigen::MatrixX2d path(5, 2);
    path << left, bottom, right, bottom, right, top, left, top, left, bottom;
    return path;
}

// The diagonal of the data's bounding box: a length scale for arrow heads.
double extentOf(const Eigen::MatrixX2d& points) {
    if (points.rows() == 0) {
        return 1.0;
    }
    const double extent = (points.colwise().maxCoeff() - points.colwise().minCoeff()).norm();
    return extent > 0.0 ? extent : 1.0;
}

// "t1", "t2", ... (appended rather than prefixed: GCC 12 warns falsely about "t" + std::string).
std::string numberedTokenName(Eigen::Index token) {
    std::string name = "t";
    name += std::to_string(token + 1);
    return name;
}

// The names of the first `count` tokens: the data's text labels when they have them (the words of a
// sentence, the classes of a table), else t1, t2, ...
std::vector<std::string> tokenNamesFor(const Dataset* dataset, Eigen::Index count) {
    std::vector<std::string> names;
    names.reserve(static_cast<std::size_t>(count));
    const bool labelled = dataset != nullptr && dataset->labels && !dataset->labelNames.empty() &&
                          dataset->labels->size() >= count;
    for (Eigen::Index token = 0; token < count; ++token) {
        const int label = labelled ? (*dataset->labels)[token] : -1;
        names.push_back(label >= 0 && static_cast<std::size_t>(label) < dataset->labelNames.size()
                            ? dataset->labelNames[static_cast<std::size_t>(label)]
                            : numberedTokenName(token));
    }
    return names;
}

QString vectorText(const Eigen::VectorXd& vector, Eigen::Index shown = 4) {
    QStringList entries;
    for (Eigen::Index k = 0; k < std::min(shown, vector.size()); ++k) {
        entries << number(vector[k]);
    }
    if (vector.size() > shown) {
        entries << QStringLiteral("… (%1 entries)").arg(vector.size());
    }
    return QStringLiteral("(%1)").arg(entries.join(QStringLiteral(", ")));
}

// The heaviest `shown` weights of query row `query`, in order: "w_3,5 = 0.41 · w_3,2 = 0.2 · …".
QString heaviestWeightsText(const Eigen::VectorXd& weights, Eigen::Index query, std::size_t shown) {
    std::vector<Eigen::Index> order(static_cast<std::size_t>(weights.size()));
    std::iota(order.begin(), order.end(), Eigen::Index(0));
    shown = std::min(shown, order.size());
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(shown), order.end(),
                      [&](Eigen::Index a, Eigen::Index b) { return weights[a] > weights[b]; });
    QStringList heaviest;
    for (std::size_t k = 0; k < shown; ++k) {
        heaviest << QStringLiteral("w<sub>%1,%2</sub> = %3")
                        .arg(query + 1)
                        .arg(order[k] + 1)
                        .arg(number(weights[order[k]]));
    }
    return heaviest.join(QStringLiteral(" &nbsp;·&nbsp; ")) +
           (order.size() > shown ? QStringLiteral(" &nbsp;…") : QString());
}

// The keys a query's lines go to: every key but the query itself down to a fraction of the heaviest
// weight, heaviest first, at most drawnKeyLimit of them.
std::vector<Eigen::Index> drawnKeys(const Eigen::VectorXd& weights, Eigen::Index query) {
    const double heaviest = weights.maxCoeff();
    std::vector<Eigen::Index> keys;
    for (Eigen::Index key = 0; key < weights.size(); ++key) {
        if (weights[key] >= drawnWeightFraction * heaviest && key != query) {
            keys.push_back(key);
        }
    }
    std::sort(keys.begin(), keys.end(),
              [&](Eigen::Index a, Eigen::Index b) { return weights[a] > weights[b]; });
    if (keys.size() > drawnKeyLimit) {
        keys.resize(drawnKeyLimit);
    }
    return keys;
}

// Lines from the query to its keys in four width classes by weight (a polyline layer has one width):
// class k holds the keys whose weight is in [k/4, (k+1)/4) of the heaviest.
std::array<std::vector<Eigen::MatrixX2d>, 4>
linesByWeightClass(const Eigen::MatrixX2d& tokens, const Eigen::VectorXd& weights, Eigen::Index query) {
    const double heaviest = weights.maxCoeff();
    std::array<std::vector<Eigen::MatrixX2d>, 4> classes;
    for (const Eigen::Index key : drawnKeys(weights, query)) {
        const double fraction = weights[key] / heaviest;
        const auto widthClass = static_cast<std::size_t>(std::clamp(std::floor(fraction * 4.0), 0.0, 3.0));
        Eigen::MatrixX2d line(2, 2);
        line << tokens.row(query), tokens.row(key);
        classes[widthClass].push_back(line);
    }
    return classes;
}

} // namespace

std::vector<ParameterDescription> AttentionExplorer::parameterDescriptions() {
    std::vector<ParameterDescription> descriptions = {
        choiceParameter(
            "tokens", "Tokens", {"mixture", "data"}, "mixture",
            "Mixture: tokens drawn from two Gaussian groups; data: the rows of the data set the Data "
            "explorer shows, every column (the first " +
                std::to_string(tokenLimit) + " rows)."),
        integerParameter("count", "Number of tokens n", 2, tokenLimit, 16,
                         "How many tokens the mixture draws; the heatmap is n × n.", true),
        integerParameter("dimension", "Token dimension d", 1, 64, 2,
                         "Coordinates per token. Above 2 the token view shows the first two principal axes."),
        realParameter("separation", "Separation of the groups", 0.0, 20.0, 4.0,
                      "Distance between the two group centres of the mixture."),
        realParameter("spread", "Spread σ of each group", 0.01, 10.0, 1.0,
                      "Standard deviation of every coordinate around its group centre.", true),
        integerParameter("seed", "Seed", 1, 100000, 1, "Seed of the mixture's centres and tokens."),
    };
    for (ParameterDescription description : attentionParameters()) {
        if (description.name == "temperature") {
            description.label = "Temperature τ (the bandwidth)";
        }
        descriptions.push_back(description);
    }
    descriptions.push_back(booleanParameter(
        "mlp", "Token-wise MLP", false,
        "Layers page: after attention every token also takes a small seeded MLP step x + W2 tanh(W1 x)."));
    descriptions.push_back(integerParameter("patterns", "Hopfield: stored digits", 2, 10, 10,
                                            "The digits 0 to N − 1 are stored as 5 × 7 patterns of ±1."));
    descriptions.push_back(integerParameter("digit", "Hopfield: query digit", 0, 9, 8,
                                            "The stored digit the query is made from."));
    descriptions.push_back(realParameter("mask", "Hopfield: masked fraction", 0.0, 1.0, 0.4,
                                         "Fraction of the query's pixels set to grey (0)."));
    descriptions.push_back(realParameter("noise", "Hopfield: noise σ", 0.0, 3.0, 0.0,
                                         "Gaussian noise added to every pixel of the query after masking."));
    descriptions.push_back(realParameter("beta", "Hopfield: inverse temperature β", 1e-3, 10.0, 0.3,
                                         "β = 1/τ: small β retrieves the mean of all patterns, medium β a "
                                         "mixture of similar digits (metastable "
                                         "states), large β a single stored digit.",
                                         true));
    descriptions.push_back(integerParameter("cluster-dimension", "Clustering: dimension d", 2, 64, 2,
                                            "Dimension of the tokens the two heads are trained on."));
    descriptions.push_back(realParameter("cluster-separation", "Clustering: separation", 0.0, 12.0, 4.0,
                                         "Distance between the two centroids, in units of the noise σ = 1."));
    descriptions.push_back(
        integerParameter("cluster-steps", "Clustering: training steps", 10, 2000, 80,
                         "Steps of stochastic gradient descent, each on 8 fresh sequences.", true));
    descriptions.push_back(
        realParameter("cluster-rate", "Clustering: learning rate", 0.005, 2.0, 0.05,
                      "Step size of stochastic gradient descent: small steps let you watch "
                      "the heads turn.",
                      true));
    descriptions.push_back(realParameter("sharpness", "Clustering: sharpness λ", 0.01, 10.0, 0.5,
                                         "Inverse temperature of the heads and of the quantizing layer.",
                                         true));
    return descriptions;
}

AttentionExplorer::AttentionExplorer(QWidget* widgetParent) : Explorer(widgetParent) {
    central_ = new QWidget(widgetParent);
    central_->installEventFilter(this);
    message_ = new QLabel(central_);
    message_->setObjectName(QStringLiteral("attentionMessage"));
    message_->setWordWrap(true);
    message_->hide();
    formula_ = new QLabel(central_);
    formula_->setObjectName(QStringLiteral("formulaPanel"));
    formula_->setTextFormat(Qt::RichText);
    formula_->setWordWrap(true);
    formula_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Read from the back of a lecture hall: the numbers are the point of this panel.
    QFont formulaFont = formula_->font();
    formulaFont.setPointSizeF(formulaFont.pointSizeF() * 1.2);
    formula_->setFont(formulaFont);
    formula_->setContentsMargins(6, 4, 6, 6);

    pages_ = new QTabWidget(central_);
    pages_->setObjectName(QStringLiteral("attentionPages"));
    pages_->addTab(createTokensPage(), tr("Tokens"));
    pages_->addTab(createLayersPage(), tr("Layers"));
    pages_->addTab(createHopfieldPage(), tr("Hopfield"));
    pages_->addTab(createClusteringPage(), tr("Clustering"));
    QFont tabFont = pages_->tabBar()->font();
    tabFont.setPointSizeF(tabFont.pointSizeF() * 1.15);
    pages_->tabBar()->setFont(tabFont);
    connect(pages_, &QTabWidget::currentChanged, this, [this] {
        updateFormula();
        requestCurrentPage();
    });

    auto* layout = new QVBoxLayout(central_);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(message_);
    layout->addWidget(pages_, 1);
    layout->addWidget(formula_);

    panel_ = new ParameterPanel(parameterDescriptions(), widgetParent);
    connect(panel_, &ParameterPanel::parameterChanging, this, &AttentionExplorer::onParameterChanging);
    connect(panel_, &ParameterPanel::parameterChanged, this, &AttentionExplorer::onParameterChanged);

    connect(&tokenRunner_, &JobRunner::finished, this, [this](quint64, const JobResult& result, double ms) {
        emit busyChanged(false);
        emit computeTimeMeasured(ms);
        auto picture = result.get<std::shared_ptr<const TokenAttentionPicture>>();
        if (picture && picture->requestNumber == latestTokenRequest_) {
            showTokenPicture(std::move(picture));
        }
    });
    connect(&queryRunner_, &JobRunner::finished, this, [this](quint64, const JobResult& result, double) {
        const auto& [requestNumber, readout] = result.get<std::pair<std::uint64_t, AttentionQueryReadout>>();
        if (requestNumber != latestQueryRequest_ || !tokenPicture_) {
            return;
        }
        readout_ = readout;
        drawQueryOverlay();
        drawHeatmap();
        updateFormula();
        emit queryShown();
    });
    connect(&layerRunner_, &JobRunner::finished, this, [this](quint64, const JobResult& result, double ms) {
        emit busyChanged(false);
        emit computeTimeMeasured(ms);
        auto picture = result.get<std::shared_ptr<const LayerPicture>>();
        if (!picture || picture->requestNumber != latestLayerRequest_) {
            return;
        }
        layerPicture_ = std::move(picture);
        showMessage({});
        const int layers = static_cast<int>(layerPicture_->heatmaps.size());
        {
            const QSignalBlocker quiet(layerTimeline_);
            layerTimeline_->setLastIteration(layers);
            layerTimeline_->setPosition(layers);
        }
        drawLayersAt(layerTimeline_->position());
        emit pageShown(static_cast<int>(Page::Layers));
    });
    connect(&hopfieldRunner_, &JobRunner::finished, this,
            [this](quint64, const JobResult& result, double ms) {
                emit busyChanged(false);
                emit computeTimeMeasured(ms);
                auto picture = result.get<std::shared_ptr<const HopfieldPicture>>();
                if (!picture || picture->requestNumber != latestHopfieldRequest_) {
                    return;
                }
                hopfieldPicture_ = std::move(picture);
                showMessage({});
                const int steps = static_cast<int>(hopfieldPicture_->retrieval.states.size()) - 1;
                {
                    const QSignalBlocker quiet(hopfieldTimeline_);
                    hopfieldTimeline_->setLastIteration(steps);
                    hopfieldTimeline_->setPosition(steps);
                }
                drawHopfieldAt(hopfieldTimeline_->position());
                emit pageShown(static_cast<int>(Page::Hopfield));
            });
    connect(&clusteringRunner_, &JobRunner::finished, this,
            [this](quint64, const JobResult& result, double ms) {
                emit busyChanged(false);
                emit computeTimeMeasured(ms);
                auto picture = result.get<std::shared_ptr<const ClusteringPicture>>();
                if (!picture || picture->requestNumber != latestClusteringRequest_) {
                    return;
                }
                clusteringPicture_ = std::move(picture);
                showMessage({});
                const int steps = static_cast<int>(clusteringPicture_->training.headParameters.size()) - 1;
                {
                    const QSignalBlocker quiet(trainingTimeline_);
                    trainingTimeline_->setLastIteration(steps);
                    trainingTimeline_->setPosition(steps);
                }
                drawQuantization();
                drawClusteringAt(trainingTimeline_->position());
                emit pageShown(static_cast<int>(Page::Clustering));
            });
    for (JobRunner* runner : {&tokenRunner_, &layerRunner_, &hopfieldRunner_, &clusteringRunner_}) {
        connect(runner, &JobRunner::failed, this,
                [this](quint64, const QString& text) { onJobFailed(text); });
        connect(runner, &JobRunner::progressChanged, this, &Explorer::progressChanged);
        connect(runner, &JobRunner::started, this, [this] { emit busyChanged(true); });
        connect(runner, &JobRunner::canceled, this, [this] { emit busyChanged(false); });
    }
    // A cancelled page never got its picture: it computes again the next time it is shown.
    connect(&tokenRunner_, &JobRunner::canceled, this, [this] { tokensStale_ = true; });
    connect(&layerRunner_, &JobRunner::canceled, this, [this] { layersStale_ = true; });
    connect(&hopfieldRunner_, &JobRunner::canceled, this, [this] { hopfieldStale_ = true; });
    connect(&clusteringRunner_, &JobRunner::canceled, this, [this] { clusteringStale_ = true; });
    connect(&queryRunner_, &JobRunner::failed, this,
            [this](quint64, const QString& text) { onJobFailed(text); });
    connect(layerTimeline_, &IterationTimeline::positionChanged, this,
            [this](double position) { drawLayersAt(position); });
    connect(hopfieldTimeline_, &IterationTimeline::positionChanged, this,
            [this](double position) { drawHopfieldAt(position); });
    connect(trainingTimeline_, &IterationTimeline::positionChanged, this,
            [this](double position) { drawClusteringAt(position); });
    rebuildTokens();
    updateFormula();
    requestCurrentPage(); // waits for the first show
}

PlotView2D* AttentionExplorer::createPlot(QWidget* parent, PlotView2D::AspectMode aspect) {
    auto* plot = new PlotView2D(parent);
    plot->setAspectMode(aspect);
    plot->installEventFilter(this);
    return plot;
}

QWidget* AttentionExplorer::createTokensPage() {
    auto* page = new QWidget;
    tokenView_ = createPlot(page, PlotView2D::AspectMode::Equal);
    tokenView_->setToolTip(tr("Click a token to make it the query; drag to pan, wheel to zoom."));
    // The matrix fills its frame: a square of cells would leave most of this half-width plot empty.
    heatmapView_ = createPlot(page, PlotView2D::AspectMode::Fill);
    heatmapView_->setMouseTracking(true);
    headGrid_ = new QWidget(page);
    headLayout_ = new QGridLayout(headGrid_);
    headLayout_->setContentsMargins(0, 0, 0, 0);
    headGrid_->hide();

    auto* right = new QWidget(page);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(heatmapView_, 3);
    rightLayout->addWidget(headGrid_, 2);
    auto* splitter = new QSplitter(Qt::Horizontal, page);
    splitter->addWidget(tokenView_);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);
    return page;
}

QWidget* AttentionExplorer::createLayersPage() {
    auto* page = new QWidget;
    layerView_ = createPlot(page, PlotView2D::AspectMode::Equal);
    layerHeatmapView_ = createPlot(page, PlotView2D::AspectMode::Fill);
    layerTimeline_ = new IterationTimeline(page);
    layerTimeline_->watchKeysOf(layerView_);
    auto* splitter = new QSplitter(Qt::Horizontal, page);
    splitter->addWidget(layerView_);
    splitter->addWidget(layerHeatmapView_);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter, 1);
    layout->addWidget(layerTimeline_);
    return page;
}

QWidget* AttentionExplorer::createHopfieldPage() {
    auto* page = new QWidget;
    patternsView_ = new CaptionedImageView(tr("Stored patterns and their weights"), page);
    queryView_ = new CaptionedImageView(tr("Query ξ₀"), page);
    stateView_ = new CaptionedImageView(tr("State ξₜ"), page);
    energyView_ = createPlot(page, PlotView2D::AspectMode::Fill);
    sweepView_ = createPlot(page, PlotView2D::AspectMode::Fill);
    hopfieldTimeline_ = new IterationTimeline(page);
    hopfieldTimeline_->watchKeysOf(energyView_);
    auto* grid = new QGridLayout;
    grid->addWidget(patternsView_, 0, 0, 1, 2);
    grid->addWidget(queryView_, 1, 0);
    grid->addWidget(stateView_, 1, 1);
    grid->addWidget(energyView_, 2, 0);
    grid->addWidget(sweepView_, 2, 1);
    grid->setRowStretch(0, 2);
    grid->setRowStretch(1, 2);
    grid->setRowStretch(2, 4);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(grid, 1);
    layout->addWidget(hopfieldTimeline_);
    return page;
}

QWidget* AttentionExplorer::createClusteringPage() {
    auto* page = new QWidget;
    trainingView_ = createPlot(page, PlotView2D::AspectMode::Equal);
    quantizationView_ = createPlot(page, PlotView2D::AspectMode::Equal);
    cosineView_ = createPlot(page, PlotView2D::AspectMode::Fill);
    trainingTimeline_ = new IterationTimeline(page);
    trainingTimeline_->watchKeysOf(trainingView_);
    auto* grid = new QGridLayout;
    grid->addWidget(trainingView_, 0, 0);
    grid->addWidget(quantizationView_, 0, 1);
    grid->addWidget(cosineView_, 1, 0, 1, 2);
    grid->setRowStretch(0, 3);
    grid->setRowStretch(1, 2);
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(grid, 1);
    layout->addWidget(trainingTimeline_);
    return page;
}

QString AttentionExplorer::title() const {
    return tr("Attention");
}
VtkView* AttentionExplorer::view() const {
    return heatmapView_;
}
ParameterPanel* AttentionExplorer::panel() const {
    return panel_;
}
QWidget* AttentionExplorer::centralWidget() const {
    return central_;
}

void AttentionExplorer::cancel() {
    for (JobRunner* runner :
         {&tokenRunner_, &queryRunner_, &layerRunner_, &hopfieldRunner_, &clusteringRunner_}) {
        runner->cancel();
    }
}

AttentionExplorer::Page AttentionExplorer::currentPage() const {
    return static_cast<Page>(pages_->currentIndex());
}

void AttentionExplorer::showPage(Page page) {
    pages_->setCurrentIndex(static_cast<int>(page));
}

void AttentionExplorer::setDataset(std::shared_ptr<const Dataset> dataset) {
    if (!dataset || dataset->empty()) {
        return;
    }
    dataset_ = std::move(dataset);
    if (panel_->values().choice("tokens") == "data") {
        markStale("tokens");
        requestCurrentPage();
    }
}

void AttentionExplorer::selectQuery(Eigen::Index query) {
    if (!tokens_ || query < 0 || query >= tokens_->rows()) {
        return;
    }
    query_ = query;
    requestQuery();
}

bool AttentionExplorer::rebuildTokens() {
    const ParameterValues values = panel_->values();
    TokenSet set;
    if (values.choice("tokens") == "data") {
        if (!dataset_) {
            showMessage(tr("There are no data yet: open or generate data in the Data explorer, or choose the "
                           "mixture tokens."));
            return false;
        }
        const Eigen::Index rows = std::min(dataset_->points.rows(), tokenLimit);
        set.tokens = dataset_->points.topRows(rows);
        if (dataset_->labels) {
            set.groups = dataset_->labels->head(rows);
        }
        set.columnNames = dataset_->columnNames;
        set.origin = dataset_->origin;
    } else {
        try {
            set =
                mixtureTokens(values.integer("count"), values.integer("dimension"), values.real("separation"),
                              values.real("spread"), static_cast<std::uint64_t>(values.integer("seed")));
        } catch (const std::exception& problem) {
            showMessage(QString::fromStdString(problem.what()));
            return false;
        }
    }
    if (const auto problem = tokenProblem(set.tokens)) {
        showMessage(
            tr("These tokens cannot be attended to: %1. The pictures show the last tokens that worked.")
                .arg(QString::fromStdString(*problem)));
        return false;
    }
    tokens_ = std::make_shared<const Eigen::MatrixXd>(std::move(set.tokens));
    tokenNames_ =
        tokenNamesFor(values.choice("tokens") == "data" ? dataset_.get() : nullptr, tokens_->rows());
    hoveredRow_.reset();
    groups_ = set.groups;
    groupNames_.clear();
    if (values.choice("tokens") == "mixture") {
        groupNames_ = {"group 1", "group 2"};
    } else if (dataset_ && !dataset_->labelNames.empty()) {
        groupNames_ = dataset_->labelNames;
    }
    plane_ = tokenPlaneFor(*tokens_, set.columnNames);
    projectedTokens_ = plane_.project(*tokens_);
    query_ = std::clamp<Eigen::Index>(query_, 0, tokens_->rows() - 1);
    tokenPointsStale_ = true;
    showMessage(dataset_ && values.choice("tokens") == "data" && dataset_->points.rows() > tokenLimit
                    ? tr("The data have %1 rows; the first %2 are the tokens.")
                          .arg(dataset_->points.rows())
                          .arg(tokenLimit)
                    : QString(),
                MessageKind::Note);
    return true;
}

bool AttentionExplorer::eventFilter(QObject* watched, QEvent* event) {
    if (watched == central_ && event->type() == QEvent::Show && waitingForShow_) {
        waitingForShow_ = false;
        requestCurrentPage();
    }
    if ((watched == tokenView_ || watched == heatmapView_) && event->type() == QEvent::MouseButtonPress) {
        const auto* mouse = static_cast<QMouseEvent*>(event);
        pressPosition_.reset();
        if (mouse->button() == Qt::LeftButton && mouse->modifiers() == Qt::NoModifier) {
            pressPosition_ = mouse->position();
        }
    } else if ((watched == tokenView_ || watched == heatmapView_) &&
               event->type() == QEvent::MouseButtonRelease && pressPosition_) {
        const auto* mouse = static_cast<QMouseEvent*>(event);
        // A press and release in one place is a click; anything longer was a pan.
        const QPointF moved = mouse->position() - *pressPosition_;
        pressPosition_.reset();
        if (mouse->button() == Qt::LeftButton && std::hypot(moved.x(), moved.y()) <= clickTolerancePixels) {
            handleClick(watched, mouse->position());
        }
    } else if (watched == heatmapView_ && event->type() == QEvent::MouseMove) {
        const auto* mouse = static_cast<QMouseEvent*>(event);
        if (mouse->buttons() == Qt::NoButton) {
            showHeatmapTip(mouse->position(), mouse->globalPosition().toPoint());
            setHoveredRow(heatmapRowAt(mouse->position()));
        }
    } else if (watched == heatmapView_ && event->type() == QEvent::Leave) {
        setHoveredRow(std::nullopt);
    }
    return Explorer::eventFilter(watched, event);
}

void AttentionExplorer::handleClick(QObject* watched, const QPointF& position) {
    if (!tokens_) {
        return;
    }
    if (watched == heatmapView_) {
        if (!heatmapView_->frameRect().contains(position)) {
            return;
        }
        // Row i of the matrix spans y in [i + 0.5, i + 1.5] (tokens numbered from 1).
        const Eigen::Vector2d at = heatmapView_->displayToData(position);
        const auto row = static_cast<Eigen::Index>(std::lround(at.y())) - 1;
        if (row >= 0 && row < tokens_->rows()) {
            selectQuery(row);
        }
        return;
    }
    Eigen::Index nearest = -1;
    double nearestDistance = tokenPickPixels;
    for (Eigen::Index token = 0; token < projectedTokens_.rows(); ++token) {
        const QPointF shown = tokenView_->dataToDisplay(projectedTokens_.row(token).transpose());
        const double distance = std::hypot(shown.x() - position.x(), shown.y() - position.y());
        if (distance < nearestDistance) {
            nearestDistance = distance;
            nearest = token;
        }
    }
    if (nearest >= 0) {
        selectQuery(nearest);
    }
}

std::optional<Eigen::Index> AttentionExplorer::heatmapRowAt(const QPointF& position) const {
    if (!tokenPicture_ || !heatmapView_->frameRect().contains(position)) {
        return std::nullopt;
    }
    // Row i of the matrix spans y in [i + 0.5, i + 1.5] (tokens numbered from 1).
    const auto row = static_cast<Eigen::Index>(std::lround(heatmapView_->displayToData(position).y())) - 1;
    if (row < 0 || row >= tokenPicture_->weights->cols()) {
        return std::nullopt;
    }
    return row;
}

void AttentionExplorer::setHoveredRow(std::optional<Eigen::Index> row) {
    if (row == hoveredRow_) {
        return;
    }
    hoveredRow_ = row;
    drawHoverOverlay();
    updateFormula();
}

// The hovered row's weights, drawn lighter than the clicked query's: thin pale lines to its keys, a ring
// on its token and a thin outline of its row, so that moving along the heatmap reads row after row
// without losing the query.
void AttentionExplorer::drawHoverOverlay() {
    for (const PlotView2D::LayerId layer : hoverLayers_) {
        tokenView_->removeLayer(layer);
    }
    hoverLayers_.clear();
    if (hoverOutline_) {
        heatmapView_->removeLayer(*hoverOutline_);
        hoverOutline_.reset();
    }
    if (!hoveredRow_ || !tokenPicture_ || *hoveredRow_ >= projectedTokens_.rows() ||
        *hoveredRow_ >= tokenPicture_->weights->cols()) {
        tokenView_->requestRender();
        heatmapView_->requestRender();
        return;
    }
    const Eigen::Index row = *hoveredRow_;
    const Eigen::VectorXd weights = tokenPicture_->weights->col(row);
    constexpr std::array<double, 4> widths = {0.8, 1.6, 2.6, 3.8};
    const Rgb hoverColor(0.337, 0.706, 0.914); // Okabe–Ito sky blue, paler than the query's vermillion
    const std::array<std::vector<Eigen::MatrixX2d>, 4> classes =
        linesByWeightClass(projectedTokens_, weights, row);
    for (std::size_t widthClass = 0; widthClass < classes.size(); ++widthClass) {
        if (classes[widthClass].empty()) {
            continue;
        }
        const PlotView2D::LayerId layer = tokenView_->addPolylines(
            classes[widthClass], std::vector<Rgb>(classes[widthClass].size(), hoverColor),
            widths[widthClass]);
        tokenView_->setLayerOpacity(layer, 0.6);
        hoverLayers_.push_back(layer);
    }
    const PlotView2D::LayerId token = tokenView_->addPoints(projectedTokens_.row(row), {11.0, hoverColor});
    tokenView_->setSelection(token, {0});
    hoverLayers_.push_back(token);
    tokenView_->requestRender();

    const auto y = static_cast<double>(row + 1);
    const double edge = static_cast<double>(weights.size()) + 0.5;
    hoverOutline_ = heatmapView_->addPolylines({rectangle(0.5, edge, y - 0.5, y + 0.5)}, {hoverColor},
                                               weights.size() > 200 ? 1.0 : 2.0);
    heatmapView_->setLayerAboveData(*hoverOutline_);
    heatmapView_->requestRender();
}

void AttentionExplorer::nameMatrixAxes(PlotView2D& view, Eigen::Index count) const {
    std::vector<NamedTick> ticks;
    if (count <= namedAxisTokenLimit && static_cast<Eigen::Index>(tokenNames_.size()) == count) {
        for (Eigen::Index token = 0; token < count; ++token) {
            ticks.push_back({static_cast<double>(token + 1), tokenNames_[static_cast<std::size_t>(token)]});
        }
    }
    view.setAxisTickNames(ticks, ticks);
}

// Hovering a heatmap cell names its query and key and tells the weight.
void AttentionExplorer::showHeatmapTip(const QPointF& position, const QPoint& globalPosition) {
    if (!tokenPicture_ || !heatmapView_->frameRect().contains(position)) {
        return;
    }
    const Eigen::Vector2d at = heatmapView_->displayToData(position);
    const auto key = static_cast<Eigen::Index>(std::lround(at.x())) - 1;
    const auto query = static_cast<Eigen::Index>(std::lround(at.y())) - 1;
    const Eigen::MatrixXd& weights = *tokenPicture_->weights;
    if (key < 0 || query < 0 || key >= weights.rows() || query >= weights.cols()) {
        QToolTip::hideText();
        return;
    }
    QToolTip::showText(globalPosition, tr("query %1 → key %2: w = %3\n(click: make token %1 the query)")
                                           .arg(query + 1)
                                           .arg(key + 1)
                                           .arg(number(weights(key, query))));
}

void AttentionExplorer::onParameterChanging(const QString& name, const ParameterValue&) {
    // A dragged slider previews live on the Tokens page, where a new temperature costs one normalisation.
    const std::string parameter = name.toStdString();
    if (attentionParameterNames.count(parameter) != 0 && currentPage() == Page::Tokens) {
        markStale(parameter);
        requestCurrentPage();
    }
}

void AttentionExplorer::onParameterChanged(const QString& name, const ParameterValue&) {
    // The panel's correction of a typed number (clamped into its range) is repeated above the pictures.
    const QString correction = panel_->lastMessage();
    const ParameterDescription* description = findParameter(panel_->descriptions(), name.toStdString());
    markStale(name.toStdString());
    requestCurrentPage();
    if (description && correction.startsWith(QString::fromStdString(description->label))) {
        showMessage(correction, MessageKind::Note);
    }
}

void AttentionExplorer::markStale(const std::string& parameterName) {
    if (tokenParameters.count(parameterName) != 0) {
        // Tokens that cannot be used leave the pictures of the last good ones, and the message says why.
        if (rebuildTokens()) {
            tokensStale_ = true;
            layersStale_ = true;
        }
        // The seed also draws the Hopfield page's mask and noise and the Clustering page's mixture.
        if (parameterName == "seed") {
            hopfieldStale_ = true;
            clusteringStale_ = true;
        }
    } else if (attentionParameterNames.count(parameterName) != 0) {
        tokensStale_ = true;
        layersStale_ = true;
    } else if (layerParameters.count(parameterName) != 0) {
        layersStale_ = true;
    } else if (hopfieldParameters.count(parameterName) != 0) {
        hopfieldStale_ = true;
    } else if (clusteringParameters.count(parameterName) != 0) {
        clusteringStale_ = true;
    }
}

void AttentionExplorer::requestCurrentPage() {
    // Nothing runs for an explorer nobody looks at, nor for a page behind another.
    if (!central_->isVisible()) {
        waitingForShow_ = true;
        return;
    }
    switch (currentPage()) {
    case Page::Tokens:
        if (tokensStale_) {
            requestTokens();
        }
        break;
    case Page::Layers:
        if (layersStale_) {
            requestLayers();
        }
        break;
    case Page::Hopfield:
        if (hopfieldStale_) {
            requestHopfield();
        }
        break;
    case Page::Clustering:
        if (clusteringStale_) {
            requestClustering();
        }
        break;
    }
    updateFormula();
}

void AttentionExplorer::requestTokens() {
    if (!tokens_) {
        return;
    }
    const ParameterValues values = panel_->values();
    TokenAttentionRequest request;
    request.tokens = tokens_;
    request.kernel = parseAttentionKernel(values.choice("kernel")).value_or(AttentionKernel::Softmax);
    request.temperature = values.real("temperature");
    request.neighborCount = values.integer("neighbors");
    request.headCount = static_cast<int>(values.integer("heads"));
    request.causal = values.boolean("causal");
    if (values.boolean("positional")) {
        request.positionalLength = values.real("positional-length");
    }
    request.query = query_;
    request.scores = tokenPicture_ ? tokenPicture_->scores : nullptr;
    request.requestNumber = ++latestTokenRequest_;
    ++latestQueryRequest_; // the picture brings the query's readout along
    queryRunner_.cancel();
    tokensStale_ = false;
    sinceChange_.start();
    tokenRunner_.start([request](Progress& progress) { return computeTokenAttention(request, progress); });
}

void AttentionExplorer::requestQuery() {
    if (!tokenPicture_ || tokenPicture_->scores->tokens != tokens_) {
        requestTokens();
        return;
    }
    const std::uint64_t requestNumber = ++latestQueryRequest_;
    queryRunner_.start([picture = tokenPicture_, query = query_, requestNumber](Progress&) {
        return std::pair{requestNumber, readAttentionQuery(*picture, query)};
    });
}

void AttentionExplorer::requestLayers() {
    if (!tokens_) {
        return;
    }
    const ParameterValues values = panel_->values();
    LayerRequest request;
    try {
        request.options = layerStackOptionsFrom(values);
    } catch (const std::exception& problem) {
        showMessage(QString::fromStdString(problem.what()));
        return;
    }
    request.options.mlp.enabled = values.boolean("mlp");
    request.tokens = tokens_;
    request.plane = plane_;
    request.requestNumber = ++latestLayerRequest_;
    layersStale_ = false;
    layerRunner_.start([request](Progress& progress) { return computeLayers(request, progress); });
}

void AttentionExplorer::requestHopfield() {
    const ParameterValues values = panel_->values();
    HopfieldRequest request;
    request.storedPatterns = static_cast<int>(values.integer("patterns"));
    request.corruptedPattern = static_cast<int>(values.integer("digit"));
    request.maskFraction = values.real("mask");
    request.noise = values.real("noise");
    request.inverseTemperature = values.real("beta");
    request.seed = static_cast<std::uint64_t>(values.integer("seed"));
    request.requestNumber = ++latestHopfieldRequest_;
    hopfieldStale_ = false;
    hopfieldRunner_.start([request](Progress& progress) { return computeHopfield(request, progress); });
}

void AttentionExplorer::requestClustering() {
    const ParameterValues values = panel_->values();
    ClusteringRequest request;
    request.training.mixture.dimension = values.integer("cluster-dimension");
    request.training.mixture.separation = values.real("cluster-separation");
    request.training.mixture.seed = static_cast<std::uint64_t>(values.integer("seed"));
    request.training.steps = static_cast<int>(values.integer("cluster-steps"));
    request.training.sharpness = values.real("sharpness");
    request.training.learningRate = values.real("cluster-rate");
    request.training.seed = static_cast<std::uint64_t>(values.integer("seed")) + 1;
    request.requestNumber = ++latestClusteringRequest_;
    clusteringStale_ = false;
    clusteringRunner_.start([request](Progress& progress) { return computeClustering(request, progress); });
}

void AttentionExplorer::onJobFailed(const QString& text) {
    emit busyChanged(false);
    showMessage(tr("%1. The picture shows the last result that worked.").arg(text));
}

void AttentionExplorer::showMessage(const QString& text, MessageKind kind) {
    // A problem is red and bold; a note about the picture is quiet grey.
    message_->setStyleSheet(kind == MessageKind::Problem
                                ? QStringLiteral("color: #b00020; font-weight: bold;")
                                : QStringLiteral("color: #555555;"));
    message_->setText(text);
    message_->setVisible(!text.isEmpty());
}

QString AttentionExplorer::formulaText() const {
    return formula_->text();
}

QString AttentionExplorer::messageText() const {
    return message_->isVisible() ? message_->text() : QString();
}

// ---- Tokens page ------------------------------------------------------------------------------------

void AttentionExplorer::showTokenPicture(std::shared_ptr<const TokenAttentionPicture> picture) {
    tokenPicture_ = std::move(picture);
    readout_ = tokenPicture_->query;
    if (message_->styleSheet().contains(QStringLiteral("b00020"))) {
        showMessage({});
    }
    if (tokenPointsStale_ || tokenPicture_->scores->tokens != tokens_) {
        drawTokenPoints();
    }
    drawQueryOverlay();
    // The grid of heads changes the heatmap's size: laid out first, so the heatmap is framed for its size.
    drawHeadGrid();
    if (QLayout* column = headGrid_->parentWidget()->layout()) {
        column->activate();
    }
    drawHeatmap();
    updateFormula();
    emit dataShown(tokens_->rows(), tokens_->cols());
    emit pictureShown(static_cast<double>(sinceChange_.nsecsElapsed()) / 1e6);
    if (readout_) {
        emit queryShown();
    }
}

void AttentionExplorer::drawTokenPoints() {
    tokenPointsStale_ = false;
    queryLayers_.clear();
    hoverLayers_.clear();
    tokenView_->clearLayers();
    const Eigen::Index count = projectedTokens_.rows();
    PointStyle style;
    style.size = count > 2000 ? 4.0 : (count > 300 ? 6.0 : 10.0);
    const PlotView2D::LayerId layer = tokenView_->addPoints(projectedTokens_, style);
    if (groups_.size() == count) {
        tokenView_->setPointColorsByLabel(layer, groups_, groupNames_);
    } else {
        tokenView_->setLayerLegend(layer, {{"token", categoricalColor(0)}});
    }
    std::vector<DataLabel> labels;
    if (count <= labelledTokenLimit) {
        // The name beside each token is the one on its row and column of the heatmap.
        for (Eigen::Index token = 0; token < count; ++token) {
            const std::string& name = tokenNames_[static_cast<std::size_t>(token)];
            labels.push_back({labelPlace(projectedTokens_.row(token).transpose(), name), name});
        }
    }
    tokenLabels_ = labels;
    tokenView_->setDataLabels(std::move(labels));
    tokenView_->setTitle(std::to_string(count) + " tokens · click one");
    tokenView_->setAxisTitles(plane_.xTitle, plane_.yTitle);
    // The query and its output are named where they are drawn: a legend beside this half-width plot would
    // take a third of it.
    tokenView_->showLegend(false);
    tokenView_->resetCamera();
    tokenView_->requestRender();
}

// Above right of the point (below right when `below`), moved to its left or under it where the text
// would run past the frame, which is fitted to the tokens and cuts what lies beyond.
Eigen::Vector3d AttentionExplorer::labelPlace(const Eigen::Vector2d& point, const std::string& text,
                                              bool below) const {
    const Eigen::Vector2d lowest = projectedTokens_.colwise().minCoeff().transpose();
    const Eigen::Vector2d highest = projectedTokens_.colwise().maxCoeff().transpose();
    const double offset = 0.025 * extentOf(projectedTokens_);
    // The range the frame shows, as the view fits it to the tokens' box: centred on the box, one unit as
    // long on both axes, 6 % to spare. Computed, not read from the last frame: labels are placed once per
    // set of tokens, maybe before the frame has shown them.
    const QRectF frame = tokenView_->frameRect();
    const double frameWidth = std::max(frame.width() > 1.0 ? frame.width() : 0.6 * tokenView_->width(), 1.0);
    const double frameHeight =
        std::max(frame.height() > 1.0 ? frame.height() : 0.6 * tokenView_->height(), 1.0);
    const Eigen::Vector2d centre = 0.5 * (lowest + highest);
    const double halfHeight =
        1.06 * std::max({0.5 * (highest.y() - lowest.y()),
                         0.5 * (highest.x() - lowest.x()) * frameHeight / frameWidth, 1e-12});
    const double perPixel = 2.0 * halfHeight / frameHeight;
    // In the direction that limits the fit only the 6 % margin is sure to be shown: the other direction's
    // room depends on the frame's shape when the frame is laid out.
    const Eigen::Vector2d margin = 0.03 * (highest - lowest);
    const double right =
        std::min(centre.x() + halfHeight * frameWidth / frameHeight, highest.x() + margin.x());
    const double top = std::min(centre.y() + halfHeight, highest.y() + margin.y());
    const double bottom = std::max(centre.y() - halfHeight, lowest.y() - margin.y());
    // About 9.5 pixels a character and 20 a line at the labels' 15 pt.
    const double width = 9.5 * static_cast<double>(QString::fromStdString(text).size()) * perPixel;
    const double height = 20.0 * perPixel;
    double x = point.x() + offset;
    if (x + width > right) {
        x = point.x() - offset - width;
    }
    double y = below ? point.y() - offset - height : point.y() + offset;
    if (!below && y + height > top) {
        y = point.y() - offset - height;
    } else if (below && y < bottom) {
        y = point.y() + offset;
    }
    return {x, y, 0.0};
}

void AttentionExplorer::drawQueryOverlay() {
    for (const PlotView2D::LayerId layer : queryLayers_) {
        tokenView_->removeLayer(layer);
    }
    queryLayers_.clear();
    if (!readout_ || readout_->query >= projectedTokens_.rows()) {
        tokenView_->requestRender();
        return;
    }
    const AttentionQueryReadout& readout = *readout_;
    const Eigen::Vector2d query = projectedTokens_.row(readout.query).transpose();
    // Line width by weight: thin at 1 % of the heaviest weight, thick at the heaviest.
    constexpr std::array<double, 4> widths = {1.0, 2.5, 4.5, 7.0};
    const std::array<std::vector<Eigen::MatrixX2d>, 4> classes =
        linesByWeightClass(projectedTokens_, readout.weights, readout.query);
    for (std::size_t widthClass = 0; widthClass < classes.size(); ++widthClass) {
        if (classes[widthClass].empty()) {
            continue;
        }
        const PlotView2D::LayerId layer = tokenView_->addPolylines(
            classes[widthClass], std::vector<Rgb>(classes[widthClass].size(), attentionColor),
            widths[widthClass]);
        tokenView_->setLayerOpacity(layer, 0.75);
        queryLayers_.push_back(layer);
    }
    if (!queryLayers_.empty()) {
        tokenView_->setLayerLegend(queryLayers_.back(), {{"weight w_ij (width)", attentionColor}});
    }
    const Rgb foreground = tokenView_->foregroundColor();
    const PlotView2D::LayerId queryLayer = tokenView_->addPoints(query.transpose(), {13.0, foreground});
    tokenView_->setSelection(queryLayer, {0});
    tokenView_->setLayerLegend(queryLayer, {{"query i = " + std::to_string(readout.query + 1), foreground}});
    queryLayers_.push_back(queryLayer);

    const Eigen::Vector2d output = plane_.project(readout.output.transpose()).row(0).transpose();
    const std::vector<Eigen::MatrixX2d> shift = arrow(query, output, 0.04 * extentOf(projectedTokens_));
    const PlotView2D::LayerId shiftLayer =
        tokenView_->addPolylines(shift, std::vector<Rgb>(shift.size(), foreground), 2.5);
    tokenView_->setLayerAboveData(shiftLayer);
    queryLayers_.push_back(shiftLayer);
    const PlotView2D::LayerId outputLayer = tokenView_->addPoints(output.transpose(), {15.0, attentionColor});
    tokenView_->setSelection(outputLayer, {0});
    tokenView_->setLayerLegend(outputLayer, {{"output (local mean)", attentionColor}});
    queryLayers_.push_back(outputLayer);

    std::vector<DataLabel> labels = tokenLabels_;
    const std::string queryName = "query " + tokenNames_[static_cast<std::size_t>(readout.query)];
    if (readout.query < static_cast<Eigen::Index>(labels.size())) {
        labels[static_cast<std::size_t>(readout.query)] = {labelPlace(query, queryName), queryName};
    } else {
        labels.push_back({labelPlace(query, queryName), queryName});
    }
    const std::string outputName = "output = local mean";
    labels.push_back({labelPlace(output, outputName, true), outputName, attentionColor * 0.8});
    tokenView_->setDataLabels(std::move(labels));
    tokenView_->setTitle(queryName + " · line width = weight");
    tokenView_->requestRender();
}

void AttentionExplorer::drawHeatmap() {
    if (!tokenPicture_) {
        return;
    }
    const TokenAttentionPicture& picture = *tokenPicture_;
    const HeatmapGrid& grid = picture.heatmap;
    const auto count = picture.weights->cols();
    heatmapView_->clearLayers();
    hoverOutline_.reset();
    nameMatrixAxes(*heatmapView_, count);
    heatmapView_->addScalarField(grid.values, {grid.xMinimum, grid.xMaximum}, {grid.yMinimum, grid.yMaximum},
                                 ColorMap::Viridis, {},
                                 AxisRange{0.0, std::max(picture.largestWeight, 1e-300)});
    heatmapView_->showColorBar(true, grid.cellsPerNode > 1
                                         ? "w_ij (max of " + std::to_string(grid.cellsPerNode) + "×" +
                                               std::to_string(grid.cellsPerNode) + ")"
                                         : "w_ij");
    if (readout_ && readout_->query < count) {
        // The query's row, outlined: the weights drawn as lines in the token view.
        const auto row = static_cast<double>(readout_->query + 1);
        const double edge = static_cast<double>(count) + 0.5;
        const PlotView2D::LayerId outline = heatmapView_->addPolylines(
            {rectangle(0.5, edge, row - 0.5, row + 0.5)}, {attentionColor}, count > 200 ? 2.0 : 3.0);
        heatmapView_->setLayerAboveData(outline);
    }
    // Short: the plot is half the window wide. The kernel and τ are in the panel and the formula below.
    heatmapView_->setTitle(picture.scores->headCount > 1
                               ? "Weights, mean of " + std::to_string(picture.scores->headCount) + " heads"
                               : std::string("Attention weights w_ij"));
    heatmapView_->setAxisTitles("key j", "query i (each row sums to 1)");
    heatmapView_->showLegend(false);
    heatmapView_->resetCamera();
    drawHoverOverlay();
}

void AttentionExplorer::drawHeadGrid() {
    const TokenAttentionPicture& picture = *tokenPicture_;
    const auto heads = picture.headImages.size();
    headGrid_->setVisible(heads > 1);
    while (headViews_.size() < heads) {
        auto* view = new CaptionedImageView(tr("head %1").arg(headViews_.size() + 1), headGrid_);
        headViews_.push_back(view);
    }
    const int columns = std::max(1, static_cast<int>(std::ceil(std::sqrt(static_cast<double>(heads)))));
    for (std::size_t head = 0; head < headViews_.size(); ++head) {
        CaptionedImageView* view = headViews_[head];
        headLayout_->removeWidget(view);
        if (head >= heads) {
            view->hide();
            continue;
        }
        headLayout_->addWidget(view, static_cast<int>(head) / columns, static_cast<int>(head) % columns);
        view->setImage(picture.headImages[head]);
        view->setDetail(tr("mean entropy %1").arg(number(picture.headEntropies[head])));
        view->show();
    }
}

// ---- Layers page ------------------------------------------------------------------------------------

void AttentionExplorer::drawLayersAt(double position) {
    if (!layerPicture_) {
        return;
    }
    const LayerPicture& picture = *layerPicture_;
    const auto layers = static_cast<int>(picture.heatmaps.size());
    const double t = std::clamp(position, 0.0, static_cast<double>(layers));
    const int whole = static_cast<int>(std::floor(t));
    const double fraction = t - whole;
    const Eigen::Index count = picture.projectedTokens.front().rows();
    const Eigen::MatrixX2d now =
        whole >= layers
            ? picture.projectedTokens.back()
            : Eigen::MatrixX2d((1.0 - fraction) * picture.projectedTokens[static_cast<std::size_t>(whole)] +
                               fraction * picture.projectedTokens[static_cast<std::size_t>(whole + 1)]);
    layerView_->clearLayers();
    tokenPathsLayer_.reset();
    PointStyle startStyle;
    startStyle.size = count > 1000 ? 3.0 : 6.0;
    startStyle.color = Rgb(0.72, 0.72, 0.72);
    const PlotView2D::LayerId start = layerView_->addPoints(picture.projectedTokens.front(), startStyle);
    layerView_->setLayerLegend(start, {{"input tokens (layer 0)", startStyle.color}});
    if (t > 0.0) {
        std::vector<Eigen::MatrixX2d> paths;
        std::vector<Rgb> colors;
        const Eigen::Index drawn = std::min<Eigen::Index>(count, 2000);
        for (Eigen::Index token = 0; token < drawn; ++token) {
            Eigen::MatrixX2d path(whole + 2, 2);
            for (int layer = 0; layer <= whole; ++layer) {
                path.row(layer) = picture.projectedTokens[static_cast<std::size_t>(layer)].row(token);
            }
            path.row(whole + 1) = now.row(token);
            paths.push_back(path);
            colors.push_back(
                darker(groupColor(groups_.size() == count ? groups_ : Eigen::VectorXi(), token)));
        }
        tokenPathsLayer_ = layerView_->addPolylines(paths, colors, count > 500 ? 0.8 : 1.5);
    }
    PointStyle nowStyle;
    nowStyle.size = count > 1000 ? 4.0 : 9.0;
    const PlotView2D::LayerId current = layerView_->addPoints(now, nowStyle);
    if (groups_.size() == count) {
        layerView_->setPointColorsByLabel(current, groups_, groupNames_);
    }
    const int shownLayer = static_cast<int>(std::lround(t));
    layerView_->setTitle("Tokens after layer " + number(t).toStdString() + " of " + std::to_string(layers) +
                         " · spread " +
                         number(picture.spreads[static_cast<std::size_t>(shownLayer)]).toStdString() +
                         " (input " + number(picture.spreads.front()).toStdString() + ")");
    layerView_->setAxisTitles(plane_.xTitle, plane_.yTitle);
    layerView_->showLegend(true);
    layerView_->requestRender();

    const int heatmapLayer = std::clamp(static_cast<int>(std::ceil(t - 1e-9)), 1, layers);
    const HeatmapGrid& grid = picture.heatmaps[static_cast<std::size_t>(heatmapLayer - 1)];
    layerHeatmapView_->clearLayers();
    nameMatrixAxes(*layerHeatmapView_, count);
    layerHeatmapView_->addScalarField(grid.values, {grid.xMinimum, grid.xMaximum},
                                      {grid.yMinimum, grid.yMaximum}, ColorMap::Viridis);
    layerHeatmapView_->showColorBar(true, "weight w_ij");
    layerHeatmapView_->setTitle("Attention in layer " + std::to_string(heatmapLayer));
    layerHeatmapView_->setAxisTitles("key j", "query i");
    layerHeatmapView_->requestRender();
    updateFormula();
}

// ---- Hopfield page ----------------------------------------------------------------------------------

void AttentionExplorer::drawHopfieldAt(double position) {
    if (!hopfieldPicture_) {
        return;
    }
    const HopfieldPicture& picture = *hopfieldPicture_;
    const auto steps = static_cast<int>(picture.retrieval.states.size()) - 1;
    const int step = std::clamp(static_cast<int>(std::floor(position + 1e-9)), 0, steps);
    const Eigen::VectorXd& weights = picture.stepWeights[static_cast<std::size_t>(step)];

    // The stored digits side by side, each with a bar of its weight softmax(β Xᵀ ξ_t) beneath.
    constexpr int scale = 8;
    constexpr int gap = 6;
    constexpr int barHeight = 40;
    const auto patterns = static_cast<int>(picture.patterns.cols());
    const int cell = glyphWidth * scale + gap;
    QImage strip(patterns * cell + gap, glyphHeight * scale + barHeight + 2 * gap, QImage::Format_RGB32);
    strip.fill(Qt::white);
    {
        QPainter painter(&strip);
        for (int k = 0; k < patterns; ++k) {
            const QRect glyph(gap + k * cell, gap, glyphWidth * scale, glyphHeight * scale);
            painter.drawImage(glyph, glyphImage(picture.patterns.col(k)));
            const int bar = static_cast<int>(std::lround(weights[k] * barHeight));
            painter.fillRect(QRect(glyph.left(), strip.height() - gap - bar, glyph.width(), bar),
                             QColor(213, 94, 0));
            painter.setPen(QColor(160, 160, 160));
            painter.drawLine(glyph.left(), strip.height() - gap, glyph.right(), strip.height() - gap);
        }
    }
    patternsView_->setImage(strip);
    patternsView_->setDetail(tr("bars: weight of each stored digit, softmax(β Xᵀ ξ) at step %1").arg(step));
    queryView_->setImage(glyphImage(picture.query));
    queryView_->setDetail(tr("digit %1, %2 % masked")
                              .arg(panel_->values().integer("digit"))
                              .arg(std::lround(100.0 * panel_->values().real("mask"))));
    stateView_->setImage(glyphImage(picture.retrieval.states[static_cast<std::size_t>(step)]));
    stateView_->setDetail(tr("after %1 of %2 updates").arg(step).arg(steps));

    const auto energyCount = static_cast<Eigen::Index>(picture.retrieval.energies.size());
    Eigen::MatrixX2d energy(energyCount, 2);
    for (Eigen::Index k = 0; k < energyCount; ++k) {
        energy(k, 0) = static_cast<double>(k);
        energy(k, 1) = picture.retrieval.energies[static_cast<std::size_t>(k)];
    }
    energyView_->clearLayers();
    if (energyCount == 1) {
        // A plot needs extent: a query already at a fixed point shows one point.
        energy.conservativeResize(2, 2);
        energy.row(1) << 1.0, energy(0, 1);
    }
    const PlotView2D::LayerId curve = energyView_->addPolylines({energy}, {categoricalColor(0)}, 2.5);
    energyView_->setLayerLegend(curve, {{"energy", categoricalColor(0)}});
    const PlotView2D::LayerId marker =
        energyView_->addPoints(Eigen::RowVector2d(static_cast<double>(step),
                                                  picture.retrieval.energies[static_cast<std::size_t>(step)]),
                               {13.0, attentionColor});
    energyView_->setSelection(marker, {0});
    energyView_->setTitle("Energy never increases");
    energyView_->setAxisTitles("update t", "energy E");
    energyView_->showLegend(false);
    energyView_->resetCamera();
    energyView_->requestRender();

    const auto sweepCount = picture.sweepBetas.size();
    Eigen::MatrixX2d sweep(sweepCount, 2);
    sweep.col(0) = picture.sweepBetas.array().log10().matrix();
    sweep.col(1) = picture.sweepEffectivePatterns;
    sweepView_->clearLayers();
    const PlotView2D::LayerId sweepCurve = sweepView_->addPolylines({sweep}, {categoricalColor(2)}, 2.5);
    sweepView_->setLayerLegend(sweepCurve, {{"patterns mixed at the fixed point", categoricalColor(2)}});
    const double betaX = std::log10(picture.inverseTemperature);
    Eigen::MatrixX2d betaLine(2, 2);
    betaLine << betaX, 0.0, betaX, static_cast<double>(picture.patterns.cols());
    const PlotView2D::LayerId chosen = sweepView_->addPolylines({betaLine}, {attentionColor}, 2.0);
    sweepView_->setLayerLegend(
        chosen, {{"beta = " + number(picture.inverseTemperature).toStdString(), attentionColor}});
    sweepView_->setDataLabels({
        {Eigen::Vector3d(sweep(0, 0) + 0.6, static_cast<double>(picture.patterns.cols()) * 0.88, 0.0),
         "global average"},
        {Eigen::Vector3d(sweep(sweepCount - 1, 0) - 0.6, 1.6, 0.0), "single pattern"},
        {Eigen::Vector3d(0.5 * (sweep(0, 0) + sweep(sweepCount - 1, 0)),
                         0.5 * static_cast<double>(picture.patterns.cols()), 0.0),
         "metastable mixtures"},
        {Eigen::Vector3d(betaX, static_cast<double>(picture.patterns.cols()) * 0.97, 0.0),
         "beta = " + number(picture.inverseTemperature).toStdString(), attentionColor * 0.8},
    });
    sweepView_->setTitle("Three regimes of beta");
    sweepView_->setAxisTitles("log10 beta", "patterns mixed");
    sweepView_->showLegend(false);
    sweepView_->resetCamera();
    sweepView_->requestRender();
    updateFormula();
}

// ---- Clustering page --------------------------------------------------------------------------------

void AttentionExplorer::drawClusteringAt(double position) {
    if (!clusteringPicture_) {
        return;
    }
    const ClusteringPicture& picture = *clusteringPicture_;
    const ClusteringTraining& training = picture.training;
    const auto steps = static_cast<int>(training.headParameters.size()) - 1;
    const int step = std::clamp(static_cast<int>(std::floor(position + 1e-9)), 0, steps);
    const TokenPlane& plane = picture.plane;
    const Eigen::RowVectorXd origin = Eigen::RowVectorXd::Zero(plane.axes.rows());
    const Eigen::Vector2d originShown = plane.project(origin).row(0).transpose();
    const double centroidNorm = training.centroids.row(0).norm();

    trainingView_->clearLayers();
    PointStyle tokenStyle;
    tokenStyle.size = 6.0;
    const PlotView2D::LayerId tokens =
        trainingView_->addPoints(plane.project(picture.sequence.tokens), tokenStyle);
    trainingView_->setPointColorsByLabel(tokens, picture.sequence.components, {"component 1", "component 2"});
    trainingView_->setLayerOpacity(tokens, 0.5);
    const Eigen::MatrixX2d centroids = plane.project(training.centroids);
    const PlotView2D::LayerId centroidLayer = trainingView_->addPoints(centroids, {16.0, Rgb(1.0, 1.0, 1.0)});
    trainingView_->setSelection(centroidLayer, {0, 1});
    trainingView_->setLayerLegend(centroidLayer,
                                  {{"true centroids c1, c2", trainingView_->foregroundColor()}});

    // Each head's direction μ_h/‖μ_h‖, drawn at the length of a centroid so that alignment shows, and
    // the path its tip took since the start.
    const Eigen::Index heads = training.headParameters.front().rows();
    for (Eigen::Index head = 0; head < heads; ++head) {
        const Rgb color = categoricalColor(static_cast<int>(head) + 4);
        Eigen::MatrixX2d path(step + 1, 2);
        for (int k = 0; k <= step; ++k) {
            const Eigen::RowVectorXd mu = training.headParameters[static_cast<std::size_t>(k)].row(head);
            const double norm = mu.norm();
            const Eigen::RowVectorXd tip =
                norm > 0.0 ? Eigen::RowVectorXd(mu * (centroidNorm / norm)) : origin;
            path.row(k) = plane.project(tip).row(0);
        }
        const PlotView2D::LayerId trail = trainingView_->addPolylines({path}, {color}, 1.5);
        trainingView_->setLayerAboveData(trail);
        const std::vector<Eigen::MatrixX2d> headArrow =
            arrow(originShown, path.row(step).transpose(), 0.12 * std::max(centroidNorm, 1e-9));
        const PlotView2D::LayerId arrowLayer =
            trainingView_->addPolylines(headArrow, std::vector<Rgb>(headArrow.size(), color), 4.0);
        trainingView_->setLayerAboveData(arrowLayer);
        trainingView_->setLayerLegend(arrowLayer,
                                      {{"head " + std::to_string(head + 1) + " (direction)", color}});
    }
    trainingView_->setTitle("Heads in training · step " + std::to_string(step) + "/" + std::to_string(steps));
    trainingView_->setAxisTitles(plane.xTitle, plane.yTitle);
    trainingView_->showLegend(true);
    if (step == steps || position <= 0.0) {
        trainingView_->resetCamera();
    }
    trainingView_->requestRender();

    cosineView_->clearLayers();
    for (Eigen::Index head = 0; head < heads; ++head) {
        const Rgb color = categoricalColor(static_cast<int>(head) + 4);
        Eigen::MatrixX2d curve(training.cosineCurve.rows(), 2);
        for (Eigen::Index k = 0; k < curve.rows(); ++k) {
            curve(k, 0) = static_cast<double>(k);
            curve(k, 1) = training.cosineCurve(k, head);
        }
        const PlotView2D::LayerId layer = cosineView_->addPolylines({curve}, {color}, 2.5);
        cosineView_->setLayerLegend(layer, {{"head " + std::to_string(head + 1), color}});
    }
    Eigen::MatrixX2d now(2, 2);
    now << step, training.cosineCurve.minCoeff(), step, 1.0;
    cosineView_->addPolylines({now}, {cosineView_->foregroundColor()}, 1.5);
    cosineView_->setTitle("Cosine of each head to its nearest centroid");
    cosineView_->setAxisTitles("training step", "cosine");
    cosineView_->showLegend(true);
    cosineView_->resetCamera();
    cosineView_->requestRender();
    updateFormula();
}

void AttentionExplorer::drawQuantization() {
    const ClusteringPicture& picture = *clusteringPicture_;
    const TokenPlane& plane = picture.plane;
    const Eigen::MatrixX2d before = plane.project(picture.sequence.tokens);
    const Eigen::MatrixX2d after = plane.project(picture.quantized);
    quantizationView_->clearLayers();
    PointStyle beforeStyle;
    beforeStyle.size = 5.0;
    beforeStyle.color = Rgb(0.7, 0.7, 0.7);
    const PlotView2D::LayerId original = quantizationView_->addPoints(before, beforeStyle);
    quantizationView_->setLayerLegend(original, {{"tokens X", beforeStyle.color}});
    std::vector<Eigen::MatrixX2d> moves;
    for (Eigen::Index token = 0; token < before.rows(); ++token) {
        Eigen::MatrixX2d move(2, 2);
        move << before.row(token), after.row(token);
        moves.push_back(move);
    }
    const PlotView2D::LayerId moveLayer =
        quantizationView_->addPolylines(moves, std::vector<Rgb>(moves.size(), Rgb(0.6, 0.6, 0.6)), 0.8);
    quantizationView_->setLayerOpacity(moveLayer, 0.6);
    PointStyle afterStyle;
    afterStyle.size = 7.0;
    const PlotView2D::LayerId quantized = quantizationView_->addPoints(after, afterStyle);
    quantizationView_->setPointColorsByLabel(quantized, picture.sequence.components,
                                             {"T(X), component 1", "T(X), component 2"});
    const PlotView2D::LayerId centroids =
        quantizationView_->addPoints(plane.project(picture.training.centroids), {16.0, Rgb(1.0, 1.0, 1.0)});
    quantizationView_->setSelection(centroids, {0, 1});
    quantizationView_->setTitle("Quantization T(X) · lambda = " + number(picture.sharpness).toStdString());
    quantizationView_->setAxisTitles(plane.xTitle, plane.yTitle);
    quantizationView_->showLegend(true);
    quantizationView_->resetCamera();
    quantizationView_->requestRender();
}

// ---- Formula panel ----------------------------------------------------------------------------------

void AttentionExplorer::updateFormula() {
    switch (currentPage()) {
    case Page::Tokens: {
        QString text =
            tr("<b>Attention is a local mean:</b>&nbsp; out<sub>i</sub> = Σ<sub>j</sub> w<sub>ij</sub> "
               "v<sub>j</sub>, &nbsp; w<sub>ij</sub> = softmax<sub>j</sub>(⟨q<sub>i</sub>, "
               "k<sub>j</sub>⟩ / τ): the kernel weights of query i over the keys; τ is the bandwidth "
               "(small: the nearest key only, large: the mean of all).");
        if (tokenPicture_ && tokenPicture_->positionalLength) {
            text +=
                tr(" With the positional factor every weight is also multiplied by exp(−(i − j)² / (2ℓ²)), "
                   "ℓ = %1: a product kernel of content and position, which τ does not scale.")
                    .arg(number(*tokenPicture_->positionalLength));
        }
        if (readout_ && tokenPicture_) {
            const AttentionQueryReadout& readout = *readout_;
            const Eigen::Index count = readout.weights.size();
            text +=
                tr("<br><b>Query %1</b>, τ = %2: &nbsp;%3<br>Σ<sub>j</sub> w<sub>ij</sub> = %4 "
                   "&nbsp;·&nbsp; "
                   "entropy H = %5 (0 = one key, log n = %6 = all keys alike) &nbsp;·&nbsp; effective number "
                   "of "
                   "keys e<sup>H</sup> = %7<br>output Σ<sub>j</sub> w<sub>ij</sub> v<sub>j</sub> = %8")
                    .arg(readout.query + 1)
                    .arg(number(tokenPicture_->temperature),
                         heaviestWeightsText(readout.weights, readout.query, 6),
                         number(readout.weights.sum()), number(readout.entropy),
                         number(std::log(static_cast<double>(count))), number(std::exp(readout.entropy)),
                         vectorText(readout.output));
            if (tokenPicture_->scores->headCount > 1) {
                text += tr(" &nbsp;(each of the %1 heads takes the local mean of its own coordinates; the "
                           "lines show "
                           "the mean of their weights)")
                            .arg(tokenPicture_->scores->headCount);
            }
        }
        if (hoveredRow_ && tokenPicture_ && *hoveredRow_ < tokenPicture_->weights->cols()) {
            const Eigen::Index row = *hoveredRow_;
            text +=
                tr("<br><i>Row %1 (%2) under the mouse:</i> &nbsp;%3 &nbsp;(click: make it the query)")
                    .arg(row + 1)
                    .arg(QString::fromStdString(tokenNames_[static_cast<std::size_t>(row)]).toHtmlEscaped(),
                         heaviestWeightsText(tokenPicture_->weights->col(row), row, 3));
        }
        formula_->setText(text);
        break;
    }
    case Page::Layers: {
        QString text =
            tr("<b>A Transformer is local models stacked:</b>&nbsp; y<sub>i</sub> = α·Σ<sub>j</sub> "
               "w<sub>ij</sub> x<sub>j</sub> + (1 − α)·x<sub>i</sub>, then x′<sub>i</sub> = y<sub>i</sub> + "
               "W<sub>2</sub> tanh(W<sub>1</sub> y<sub>i</sub>) with the token-wise MLP. With α = 1, the "
               "Gaussian kernel and no MLP every layer is one step of blurring MeanShift (h² = τ): the "
               "tokens contract onto their clusters.");
        if (layerPicture_) {
            const ParameterValues values = panel_->values();
            text += tr("<br>α = %1 &nbsp;·&nbsp; %2 kernel, τ = %3 &nbsp;·&nbsp; %4 layers &nbsp;·&nbsp; "
                       "spread of the "
                       "tokens: %5 at the input, %6 after the last layer")
                        .arg(number(values.real("residual")), QString::fromStdString(values.choice("kernel")),
                             number(values.real("temperature")))
                        .arg(layerPicture_->heatmaps.size())
                        .arg(number(layerPicture_->spreads.front()), number(layerPicture_->spreads.back()));
        }
        formula_->setText(text);
        break;
    }
    case Page::Hopfield: {
        QString text =
            tr("<b>Modern Hopfield retrieval is attention:</b>&nbsp; ξ ← X softmax(β Xᵀ ξ), with the "
               "stored patterns X as keys and values; the energy E(ξ) = −lse(β, Xᵀξ) + ½ξᵀξ + const "
               "never increases.");
        if (hopfieldPicture_) {
            const HopfieldPicture& picture = *hopfieldPicture_;
            const auto steps = static_cast<int>(picture.retrieval.states.size()) - 1;
            const int step =
                std::clamp(static_cast<int>(std::floor(hopfieldTimeline_->position() + 1e-9)), 0, steps);
            const Eigen::VectorXd& weights = picture.stepWeights[static_cast<std::size_t>(step)];
            Eigen::Index strongest = 0;
            weights.maxCoeff(&strongest);
            text += tr("<br>β = %1, step %2 of %3: E = %4 &nbsp;·&nbsp; heaviest pattern: digit %5 with "
                       "weight %6 "
                       "&nbsp;·&nbsp; patterns mixed 1/Σw² = %7%8")
                        .arg(number(picture.inverseTemperature))
                        .arg(step)
                        .arg(steps)
                        .arg(number(picture.retrieval.energies[static_cast<std::size_t>(step)]))
                        .arg(strongest)
                        .arg(number(weights[strongest]), number(1.0 / weights.squaredNorm()),
                             picture.retrieval.converged ? tr(" &nbsp;·&nbsp; reached a fixed point")
                                                         : tr(" &nbsp;·&nbsp; still moving"));
        }
        formula_->setText(text);
        break;
    }
    case Page::Clustering: {
        QString text =
            tr("<b>Attention-based clustering</b> (Maulen-Soto, Marion, Boyer 2025): head h attends with "
               "a<sub>hj</sub> = softmax<sub>j</sub>(λ⟨μ<sub>h</sub>, x<sub>j</sub>⟩); gradient descent "
               "on the reconstruction risk with unlabelled tokens turns μ<sub>1</sub>, μ<sub>2</sub> "
               "towards the centroids. Without training, T(X)<sub>i</sub> = Σ<sub>j</sub> "
               "softmax<sub>j</sub>(λ⟨x<sub>i</sub>, x<sub>j</sub>⟩) x<sub>j</sub> already pulls each "
               "token towards its centre.");
        if (clusteringPicture_) {
            const ClusteringTraining& training = clusteringPicture_->training;
            const auto steps = static_cast<int>(training.headParameters.size()) - 1;
            const int step =
                std::clamp(static_cast<int>(std::floor(trainingTimeline_->position() + 1e-9)), 0, steps);
            QStringList cosines;
            for (Eigen::Index head = 0; head < training.cosineCurve.cols(); ++head) {
                cosines << tr("cos(μ%1, c) = %2").arg(head + 1).arg(number(training.cosineCurve(step, head)));
            }
            const QuantizationMeasure& measure = clusteringPicture_->measure;
            text +=
                tr("<br>step %1 of %2: %3 &nbsp;·&nbsp; batch risk %4<br>quantization: mean squared distance "
                   "to the nearest centroid %5 before, %6 after (×%7)")
                    .arg(step)
                    .arg(steps)
                    .arg(cosines.join(QStringLiteral(" &nbsp;·&nbsp; ")),
                         number(training.batchRisks[static_cast<std::size_t>(std::min(step, steps - 1))]),
                         number(measure.before), number(measure.after), number(measure.contraction));
        }
        formula_->setText(text);
        break;
    }
    }
}

} // namespace locallab
