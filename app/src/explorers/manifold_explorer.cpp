#include "explorers/manifold_explorer.hpp"

#include "locallab/data/generator_registry.hpp"
#include "locallab/manifold/lle_parameters.hpp"
#include "locallab/widgets/parameter_panel.hpp"

#include <QEvent>
#include <QFont>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QMouseEvent>
#include <QRubberBand>
#include <QSlider>
#include <QSplitter>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <functional>
#include <iomanip>
#include <limits>
#include <numeric>
#include <set>
#include <sstream>

namespace locallab {

namespace {

// The panel's data choices and the generators behind them; the last takes the Data explorer's data.
struct DataChoice {
    const char* name;
    const char* generator; // empty: the data handed over by the Data explorer
};
const std::vector<DataChoice>& dataChoices() {
    static const std::vector<DataChoice> choices{
        {"swiss roll", "swiss_roll"}, {"s-curve", "s_curve"},
        {"helix", "helix"},           {"sphere without cap", "sphere_without_cap"},
        {"Data explorer's data", ""},
    };
    return choices;
}
const std::string loadedDataChoice = "Data explorer's data";

// Colour choices that do not name a column.
const std::string latentChoice = "latent coordinate";
const std::string errorChoice = "reconstruction error";
const std::string labelChoice = "label";
const std::string columnPrefix = "column ";
const std::string targetPrefix = "target ";

// How a neighbourhood is chosen.
const std::string nearestChoice = "k nearest";
const std::string radiusChoice = "within radius";

// Parameters that only change how the picture is drawn.
const std::set<std::string> drawingParameters = {"color-by", "show-graph"};

constexpr Eigen::Index embeddingComponents = 2;
constexpr double clickTolerancePixels = 4.0;
constexpr double pickRadiusPixels = 10.0;
// Edges and weights of more neighbours than this would bury the picture in text.
constexpr std::size_t labelledNeighborLimit = 24;
constexpr std::size_t tabulatedNeighborLimit = 16;
// More categories than this (a graph in 40 pieces) make a legend longer than the view.
constexpr std::size_t legendLabelLimit = 12;

// Colours of the clicked point's local model (Okabe–Ito, readable over viridis).
const Rgb negativeWeightColor(0.835, 0.369, 0.0); // vermillion
const Rgb rebuiltColor(0.8, 0.475, 0.655);        // reddish purple
const Rgb graphColor(0.55, 0.55, 0.55);
const Rgb shortCircuitColor(0.0, 0.447, 0.698); // blue: edges that jump across the manifold
const Rgb neighborFill(1.0, 1.0, 1.0);

double pointSizeFor(Eigen::Index count) {
    return count > 5000 ? 3.5 : (count > 1500 ? 5.0 : 6.5);
}

QString number(double value, int digits = 4) {
    return QString::number(value, 'g', digits);
}

std::string fixedText(double value, int decimals) {
    std::ostringstream text;
    text << std::fixed << std::setprecision(decimals) << value;
    return text.str();
}

std::string latentDescription(const std::string& generator) {
    if (generator == "swiss_roll") {
        return "roll angle t";
    }
    if (generator == "s_curve") {
        return "position t along the S";
    }
    if (generator == "helix") {
        return "helix angle t";
    }
    if (generator == "sphere_without_cap") {
        return "polar angle";
    }
    return "latent coordinate";
}

// The colour choice of one column: its name, or its number when the data have no column names.
std::string columnChoice(const Dataset& dataset, Eigen::Index column) {
    const auto index = static_cast<std::size_t>(column);
    return columnPrefix +
           (index < dataset.columnNames.size() ? dataset.columnNames[index] : std::to_string(column + 1));
}

// "k = 12" or "r = 2.6": how the neighbourhoods of a picture were chosen, for titles and messages.
QString neighborhoodText(const LocallyLinearEmbeddingOptions& options) {
    return options.radius ? QStringLiteral("r = %1").arg(QString::number(*options.radius, 'g', 3))
                          : QStringLiteral("k = %1").arg(options.neighbors);
}

std::string generatorFor(const std::string& dataChoice) {
    for (const DataChoice& choice : dataChoices()) {
        if (dataChoice == choice.name) {
            return choice.generator;
        }
    }
    return "swiss_roll";
}

struct Lesson {
    std::string name;
    QString text;
    std::function<void(ParameterValues&)> settings;
    std::optional<Eigen::Index> focusPoint;
};

void setSwissRoll(ParameterValues& values, long long neighbors) {
    values.set("data", std::string("swiss roll"));
    values.set("samples", 1500LL);
    values.set("noise", 0.0);
    values.set("seed", 0LL);
    values.set("neighborhood", nearestChoice);
    values.set("neighbors", neighbors);
    values.set("reg", 1e-3);
    values.set("method", std::string("standard"));
    values.set("color-by", latentChoice);
}

const std::vector<Lesson>& lessons() {
    static const std::vector<Lesson> all{
        {"free exploration", {}, nullptr, std::nullopt},
        {"k too small: the roll tears",
         QObject::tr("<b>k too small.</b> Each point is rebuilt from only k = 4 neighbours. Such small "
                     "neighbourhoods tie the sheet together only loosely, so the embedding tears and folds: "
                     "colours that run smoothly along the roll land far apart. Step k up to 8–12 and watch "
                     "the strip open out. At k = 3 the neighbour graph falls apart into pieces, and LLE "
                     "says so instead of drawing nonsense."),
         [](ParameterValues& values) {
             setSwissRoll(values, 4);
             values.set("show-graph", false);
         },
         std::nullopt},
        {"k too large: a short circuit",
         QObject::tr(
             "<b>k too large.</b> With k = 40 a typical neighbourhood is about 4 units across, "
             "less than the 2π gap between the layers of the roll; but the points are spread evenly "
             "along the roll's angle, so the long outer turn holds them thinly, and there the 40 "
             "nearest reach across the gap into the turn inside it. The neighbour graph (switched on) "
             "shows those edges in blue: about a hundred of 60,000. A few are enough: their weights "
             "glue two layers together, and the embedding folds the roll instead of unrolling it. "
             "Lower k until no edge is blue and the colours run smoothly from one end to the other."),
         [](ParameterValues& values) {
             setSwissRoll(values, 40);
             values.set("show-graph", true);
         },
         std::nullopt},
        {"reg: the weights of one point",
         QObject::tr(
             "<b>Regularisation.</b> With k = 12 neighbours in 3-D the local Gram matrix G has rank 3 "
             "at most, so many weight vectors rebuild a point exactly; LLE adds reg·trace(G) to the "
             "diagonal of G to pick one. With reg = 10<sup>−9</sup> that choice hangs on tiny details "
             "(the slight curvature of the sheet), neighbouring points choose inconsistently, and the "
             "embedding breaks. Raise reg: the "
             "embedding comes back near 10<sup>−4</sup>, the marked point's local error (below) grows a "
             "little, and as reg grows further its weights all tend to 1/k, the plain local mean of "
             "the neighbours."),
         [](ParameterValues& values) {
             setSwissRoll(values, 12);
             values.set("reg", 1e-9);
             values.set("show-graph", false);
         },
         Eigen::Index{0}},
        {"noise: a thick roll",
         QObject::tr(
             "<b>Noise.</b> Noise of σ = 1 makes the thin sheet thick: the layers of the roll, 2π "
             "apart, are now about four units thick, so neighbourhoods reach across the thickness and "
             "into the next layer (switch the neighbour graph on: those edges are drawn in blue). The "
             "local linear models stop describing the sheet, and the embedding loses the order of the "
             "colours. Lower the noise step by step: near σ = 0.5 the layers part again and the roll "
             "unrolls."),
         [](ParameterValues& values) {
             setSwissRoll(values, 12);
             values.set("noise", 1.0);
             values.set("show-graph", false);
         },
         std::nullopt},
    };
    return all;
}

const Lesson* findLesson(const std::string& name) {
    for (const Lesson& lesson : lessons()) {
        if (lesson.name == name) {
            return &lesson;
        }
    }
    return nullptr;
}

using Edge = std::pair<Eigen::Index, Eigen::Index>;

// The edges i → j of the neighbour graph, for each neighbour j of i. With a latent coordinate, the edges
// whose ends lie far apart along the manifold (more than a tenth of the latent range: a jump between the
// layers of a roll or the turns of a helix) are short circuits, kept apart to be drawn boldly.
struct GraphEdges {
    std::vector<Edge> ordinary;
    std::vector<Edge> shortCircuits;
};

GraphEdges graphEdges(const NeighborhoodList& neighborhoods, const Dataset& dataset) {
    GraphEdges edges;
    edges.ordinary.reserve(neighborhoods.members().size());
    const bool judged = dataset.latent && dataset.latent->size() == neighborhoods.size();
    const double jump = judged ? 0.1 * (dataset.latent->maxCoeff() - dataset.latent->minCoeff()) : 0.0;
    for (Eigen::Index point = 0; point < neighborhoods.size(); ++point) {
        for (const Eigen::Index neighbor : neighborhoods.neighborsOf(point)) {
            const bool far =
                judged && std::abs((*dataset.latent)(point) - (*dataset.latent)(neighbor)) > jump;
            (far ? edges.shortCircuits : edges.ordinary).emplace_back(point, neighbor);
        }
    }
    return edges;
}

// The edges as two-point lines between the rows of `positions` (n × 2 or n × 3).
template <typename Positions>
std::vector<Eigen::Matrix<double, Eigen::Dynamic, Positions::ColsAtCompileTime>>
edgeLines(const std::vector<Edge>& edges, const Positions& positions) {
    std::vector<Eigen::Matrix<double, Eigen::Dynamic, Positions::ColsAtCompileTime>> lines;
    lines.reserve(edges.size());
    for (const auto& [from, to] : edges) {
        Eigen::Matrix<double, 2, Positions::ColsAtCompileTime> line;
        line.row(0) = positions.row(from);
        line.row(1) = positions.row(to);
        lines.emplace_back(line);
    }
    return lines;
}

} // namespace

struct ManifoldExplorer::PointColors {
    bool categorical = false;
    Eigen::VectorXi labels;
    std::vector<std::string> names;
    Eigen::VectorXd values;
    std::string title;
};

std::vector<std::string> ManifoldExplorer::lessonNames() {
    std::vector<std::string> names;
    for (const Lesson& lesson : lessons()) {
        names.push_back(lesson.name);
    }
    return names;
}

std::vector<ParameterDescription> ManifoldExplorer::parameterDescriptions() {
    std::vector<std::string> dataNames;
    for (const DataChoice& choice : dataChoices()) {
        dataNames.emplace_back(choice.name);
    }
    std::vector<ParameterDescription> descriptions{
        choiceParameter("lesson", "Lesson", lessonNames(), "free exploration",
                        "Sets data and parameters that show how LLE works and how it fails, and explains "
                        "what to look for."),
        choiceParameter("data", "Data", dataNames, "swiss roll",
                        "A generated shape, or the data the Data explorer shows (wider data are drawn by "
                        "their first three principal components; LLE uses every column)."),
        integerParameter("samples", "Points n", 50, 20000, 1500, "How many points to generate.", true),
        realParameter("noise", "Noise σ", 0.0, 3.0, 0.0,
                      "Standard deviation of the Gaussian noise added to every coordinate."),
        integerParameter("seed", "Seed", 0, 1000000, 0, "The same seed gives the same points."),
    };
    for (ParameterDescription description : lleParameters()) {
        if (description.name == "components") {
            continue; // the embedding is drawn in 2-D
        }
        if (description.name == "neighbors") {
            description.defaultValue = 12; // scikit-learn's 5 tears the default Swiss roll
            description.maximum = 200;
            description.logScale = true;
        }
        if (description.name == "eigen-solver") {
            description.help +=
                " Here the dense solver, which cannot be stopped once started, is used up to " +
                std::to_string(interactiveDenseSolverLimit) + " points; above, the sparse one.";
        }
        descriptions.push_back(description);
        if (description.name == "neighbors") {
            descriptions.push_back(choiceParameter(
                "neighborhood", "Neighbourhood", {nearestChoice, radiusChoice}, nearestChoice,
                "k nearest: every point is rebuilt from its k nearest points. Within radius: from every "
                "point closer than r, so that crowded places use many neighbours and sparse ones few."));
            descriptions.push_back(realParameter(
                "radius", "Radius r", 1e-4, 1e4, 1.0,
                "The neighbourhood radius, in the data's units. It follows the data's spacing (a typical "
                "point then has about 12 neighbours) until you move it.",
                true));
        }
    }
    descriptions.push_back(choiceParameter("color-by", "Colour by", {latentChoice, errorChoice}, latentChoice,
                                           "What the colours of both views show: the generator's latent "
                                           "coordinate, a column, or how badly each point is rebuilt."));
    descriptions.push_back(booleanParameter(
        "show-graph", "Neighbour graph", false,
        "Draw an edge from every point to each of its k neighbours, in both views: edges that jump across "
        "the roll are short circuits."));
    return descriptions;
}

ManifoldExplorer::ManifoldExplorer(QWidget* widgetParent) : Explorer(widgetParent) {
    central_ = new QWidget(widgetParent);
    central_->installEventFilter(this);
    inputView_ = new PlotView3D(central_);
    embeddingView_ = new PlotView2D(central_);
    // Each embedding axis is a unit eigenvector: their relative scales mean nothing, so both fill the frame.
    embeddingView_->setAspectMode(PlotView2D::AspectMode::Fill);
    embeddingView_->setAxisTitles("y1", "y2");
    const QString interaction = tr("Click a point to see how its neighbours rebuild it; Shift+drag to select "
                                   "points in both views; Esc clears.");
    inputView_->setToolTip(interaction + tr(" Drag to turn the cloud, wheel to zoom."));
    embeddingView_->setToolTip(interaction + tr(" Drag to pan, wheel to zoom."));
    for (QWidget* view : std::initializer_list<QWidget*>{inputView_, embeddingView_}) {
        view->installEventFilter(this);
        view->setFocusPolicy(Qt::StrongFocus);
    }
    // A neighbourhood is a speck in the big views: their weight labels show only once zoomed in enough to
    // read them; the neighbourhood view below always has them.
    inputView_->setDataLabelsHiddenWhenCrowded(true);
    embeddingView_->setDataLabelsHiddenWhenCrowded(true);
    localView_ = new PlotView2D(central_);
    localView_->setObjectName(QStringLiteral("neighbourhoodView"));
    localView_->setAspectMode(PlotView2D::AspectMode::Equal);
    localView_->setAxisTitles("u1", "u2");
    localView_->setToolTip(
        tr("The clicked point's neighbourhood in its own plane (the neighbours' two main "
           "directions, u1 and u2), the point at the origin; each edge carries its weight."));
    localView_->setMinimumSize(360, 270);
    localView_->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Preferred);
    localView_->hide();
    inputBand_ = new QRubberBand(QRubberBand::Rectangle, inputView_);
    embeddingBand_ = new QRubberBand(QRubberBand::Rectangle, embeddingView_);

    lesson_ = new QLabel(central_);
    lesson_->setObjectName(QStringLiteral("lessonText"));
    lesson_->setWordWrap(true);
    lesson_->setTextFormat(Qt::RichText);
    lesson_->setStyleSheet(QStringLiteral("QLabel { background: #fff4d6; border-left: 5px solid #e69f00; "
                                          "padding: 6px 10px; color: #222222; }"));
    lesson_->hide();
    message_ = new QLabel(central_);
    message_->setObjectName(QStringLiteral("manifoldMessage"));
    message_->setWordWrap(true);
    message_->hide();
    status_ = new QLabel(central_);
    status_->setObjectName(QStringLiteral("manifoldStatus"));
    status_->setStyleSheet(QStringLiteral("color: #555555;"));
    auto* hint = new QLabel(central_);
    hint->setObjectName(QStringLiteral("manifoldHint"));
    hint->setTextFormat(Qt::RichText);
    hint->setWordWrap(true);
    hint->setText(
        tr("<b>●</b> clicked point x<sub>i</sub> &nbsp; <span style='color:#cc79a7'><b>●</b></span> "
           "rebuilt r<sub>i</sub> = Σ<sub>j</sub> w<sub>ij</sub> x<sub>j</sub> &nbsp; ○ neighbours "
           "&nbsp; edges: dark w<sub>ij</sub> &gt; 0, <span style='color:#d55e00'><b>orange</b></span> "
           "w<sub>ij</sub> &lt; 0 &nbsp;·&nbsp; %1")
            .arg(interaction));
    formula_ = new QLabel(central_);
    formula_->setObjectName(QStringLiteral("formulaPanel"));
    formula_->setTextFormat(Qt::RichText);
    formula_->setWordWrap(true);
    formula_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    formula_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    // Read from the back of a lecture hall: the numbers are the point of this panel.
    QFont formulaFont = formula_->font();
    formulaFont.setPointSizeF(formulaFont.pointSizeF() * 1.2);
    formula_->setFont(formulaFont);
    lesson_->setFont(formulaFont);
    formula_->setContentsMargins(6, 4, 6, 6);

    auto* views = new QSplitter(Qt::Horizontal, central_);
    views->addWidget(inputView_);
    views->addWidget(embeddingView_);
    views->setStretchFactor(0, 11);
    views->setStretchFactor(1, 10);
    views->setChildrenCollapsible(false);
    auto* header = new QHBoxLayout;
    header->addWidget(message_, 1);
    header->addWidget(status_, 0, Qt::AlignRight | Qt::AlignTop);
    auto* layout = new QVBoxLayout(central_);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(3);
    layout->addWidget(lesson_);
    layout->addLayout(header);
    layout->addWidget(views, 1);
    layout->addWidget(hint);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(localView_);
    bottom->addWidget(formula_, 1);
    layout->addLayout(bottom);

    panel_ = new ParameterPanel(parameterDescriptions(), widgetParent);
    updateNeighborhoodControls();
    connect(panel_, &ParameterPanel::parameterChanging, this,
            [this](const QString& name, const ParameterValue&) { onParameterChanged(name); });
    connect(panel_, &ParameterPanel::parameterChanged, this,
            [this](const QString& name, const ParameterValue&) { onParameterChanged(name); });

    connect(
        &runner_, &JobRunner::finished, this,
        [this](quint64, const JobResult& result, double milliseconds) { onFinished(result, milliseconds); });
    connect(&runner_, &JobRunner::failed, this,
            [this](quint64, const QString& message) { onFailed(message); });
    connect(&runner_, &JobRunner::progressChanged, this, &Explorer::progressChanged);
    connect(&runner_, &JobRunner::started, this, [this] {
        emit busyChanged(true);
        updateStatus();
    });
    connect(&runner_, &JobRunner::canceled, this, [this] {
        emit busyChanged(false);
        if (picture_) {
            showMessage(
                tr("Cancelled. The embedding shown is for %1.").arg(neighborhoodText(picture_->options)),
                MessageKind::Note);
        }
        updateStatus();
    });
    // The first picture is computed when the explorer is first shown.
    waitingForShow_ = true;
    updateStatus();
    updateFormula();
}

std::optional<ResultTable> ManifoldExplorer::resultTable() const {
    const ManifoldPicture* shown = shownPicture();
    if (!shown || !shown->hasEmbedding() || !shown->data) {
        return std::nullopt;
    }
    const Dataset& dataset = *shown->data->dataset;
    const Eigen::MatrixXd& embedding = shown->result.embedding;
    ResultTable table;
    table.description = "one row per data point: its coordinates, then its place in the embedding";
    for (Eigen::Index column = 0; column < dataset.dimension(); ++column) {
        const auto index = static_cast<std::size_t>(column);
        table.header.push_back(index < dataset.columnNames.size() && !dataset.columnNames[index].empty()
                                   ? dataset.columnNames[index]
                                   : "x" + std::to_string(column + 1));
    }
    for (Eigen::Index component = 0; component < embedding.cols(); ++component) {
        table.header.push_back("y" + std::to_string(component + 1));
    }
    table.values.resize(dataset.size(), dataset.dimension() + embedding.cols());
    table.values << dataset.points, embedding;
    return table;
}

QString ManifoldExplorer::title() const {
    return tr("Manifold (LLE)");
}
VtkView* ManifoldExplorer::view() const {
    return embeddingView_;
}
ParameterPanel* ManifoldExplorer::panel() const {
    return panel_;
}
QWidget* ManifoldExplorer::centralWidget() const {
    return central_;
}

void ManifoldExplorer::cancel() {
    runner_.cancel();
}

void ManifoldExplorer::setDataset(std::shared_ptr<const Dataset> dataset) {
    if (!dataset || dataset->empty()) {
        return;
    }
    loaded_ = std::move(dataset);
    const ParameterValues values = panel_->values();
    if (loaded_->dimension() >= 3 && values.choice("data") != loadedDataChoice) {
        ParameterValues switched = values;
        switched.set("data", loadedDataChoice);
        panel_->setValues(switched);
    } else if (values.choice("data") != loadedDataChoice) {
        return; // offered in the data list, not forced on the user
    }
    requestPicture();
}

void ManifoldExplorer::startLesson(const std::string& name) {
    const Lesson* lesson = findLesson(name);
    if (lesson == nullptr) {
        return;
    }
    ParameterValues values = panel_->values();
    values.set("lesson", lesson->name);
    lesson_->setText(lesson->text);
    lesson_->setVisible(!lesson->text.isEmpty());
    if (!lesson->settings) {
        panel_->setValues(values); // free exploration keeps the data and parameters on screen
        return;
    }
    lesson->settings(values);
    panel_->setValues(values);
    updateNeighborhoodControls();
    if (lesson->focusPoint) {
        focusPoint_ = lesson->focusPoint;
    }
    requestPicture();
}

void ManifoldExplorer::onParameterChanged(const QString& name) {
    const std::string key = name.toStdString();
    if (key == "lesson") {
        startLesson(panel_->values().choice("lesson"));
        return;
    }
    if (key == "radius") {
        radiusChosenFor_ = currentSource();
    } else if (key == "neighborhood") {
        updateNeighborhoodControls();
    }
    if (drawingParameters.count(key) != 0) {
        if (latest_) {
            drawInput(false);
            drawEmbedding(false);
        }
    } else {
        requestPicture();
    }
}

ManifoldSource ManifoldExplorer::currentSource() const {
    const ParameterValues values = panel_->values();
    ManifoldSource source;
    source.generator = generatorFor(values.choice("data"));
    if (source.generator.empty()) {
        // Only the data set itself tells loaded data apart.
        source.samples = 0;
        source.loaded = loaded_;
        return source;
    }
    source.samples = values.integer("samples");
    source.noise = values.real("noise");
    source.seed = static_cast<std::uint64_t>(values.integer("seed"));
    return source;
}

void ManifoldExplorer::requestPicture() {
    // Nothing runs for an explorer nobody looks at; the work waits until it is shown.
    if (!central_->isVisible()) {
        waitingForShow_ = true;
        return;
    }
    waitingForShow_ = false;
    ParameterValues values = panel_->values();
    values.set("components", static_cast<long long>(embeddingComponents));
    ManifoldRequest request;
    try {
        request.options = lleOptionsFromParameters(values);
    } catch (const std::exception& problem) {
        showMessage(QString::fromStdString(problem.what()));
        return;
    }
    request.source = currentSource();
    if (values.choice("neighborhood") == radiusChoice) {
        request.options.radius = values.real("radius");
        request.radiusFromData = !(radiusChosenFor_ && *radiusChosenFor_ == request.source);
    }
    if (request.source.generator.empty() && !loaded_) {
        showMessage(tr("The Data explorer has no data yet: open a file or generate data there, or choose a "
                       "generated shape."));
        return;
    }
    if (preparedSource_ && *preparedSource_ == request.source) {
        request.data = preparedData_;
    }
    if (picture_ && request.data && picture_->data == request.data) {
        request.previousEmbedding = std::make_shared<const Eigen::MatrixXd>(picture_->result.embedding);
    }
    request.requestNumber = ++latestRequest_;
    sinceChange_.start();
    runner_.start([request](Progress& progress) { return computeManifoldPicture(request, progress); });
    updateStatus();
}

void ManifoldExplorer::onFinished(const JobResult& result, double elapsedMilliseconds) {
    emit busyChanged(false);
    emit computeTimeMeasured(elapsedMilliseconds);
    auto picture = result.get<std::shared_ptr<const ManifoldPicture>>();
    if (!picture || picture->requestNumber != latestRequest_) {
        updateStatus();
        return;
    }
    const bool newData = !latest_ || latest_->data != picture->data;
    const bool firstEmbedding = !picture_;
    preparedSource_ = picture->source;
    preparedData_ = picture->data;
    latest_ = picture;
    if (newData) {
        const Eigen::Index count = picture->pointCount();
        std::erase_if(selection_, [count](Eigen::Index index) { return index >= count; });
        if (!drawnInputData_ || drawnInputData_->dataset->size() != count) {
            selection_.clear();
            if (focusPoint_ && *focusPoint_ >= count) {
                focusPoint_.reset();
            }
        }
        updateColorChoices(*picture->data);
    }
    if (picture->hasEmbedding()) {
        picture_ = picture;
    }
    followDataRadius(*picture);

    std::string errors;
    std::string warnings;
    for (const std::string& note : picture->notes) {
        warnings += (warnings.empty() ? "" : " ") + note;
    }
    for (const LleDiagnostic& diagnostic : picture->result.diagnostics) {
        std::string& list = diagnostic.severity == LleDiagnostic::Severity::Error ? errors : warnings;
        list += (list.empty() ? "" : " ") + diagnostic.message;
    }
    if (!errors.empty()) {
        const bool kept = picture_ && picture_->data == picture->data;
        showMessage(QString::fromStdString(errors) +
                    (kept ? tr(" The embedding shown is the last one that worked (%1).")
                                .arg(neighborhoodText(picture_->options))
                          : tr(" There is no embedding of these data yet.")));
    } else {
        showMessage(QString::fromStdString(warnings), MessageKind::Note);
    }

    const ManifoldPicture* shown = shownPicture();
    focus_ = focusPoint_ && shown ? reconstructPoint(*shown, *focusPoint_) : std::nullopt;
    drawInput(newData);
    drawEmbedding(newData || firstEmbedding);
    drawNeighbourhood();
    updateFormula();
    updateStatus();
    emit dataShown(picture->pointCount(), picture->data->dataset->dimension());
    emit pictureShown(picture->hasEmbedding(), static_cast<double>(sinceChange_.nsecsElapsed()) / 1e6);
    emit selectionChanged();
    emit focusChanged();
}

void ManifoldExplorer::onFailed(const QString& message) {
    emit busyChanged(false);
    showMessage(tr("%1. The picture shows the last result that worked.").arg(message));
    updateStatus();
}

void ManifoldExplorer::showMessage(const QString& message, MessageKind kind) {
    // A problem is red and bold; a note (duplicate points) is quiet grey.
    message_->setStyleSheet(kind == MessageKind::Problem
                                ? QStringLiteral("color: #b00020; font-weight: bold;")
                                : QStringLiteral("color: #555555;"));
    message_->setText(message);
    message_->setVisible(!message.isEmpty());
}

void ManifoldExplorer::updateStatus() {
    QString text;
    if (runner_.isRunning()) {
        text = picture_ ? tr("Computing… (showing %1)").arg(neighborhoodText(picture_->options))
                        : tr("Computing…");
    }
    status_->setText(text);
}

void ManifoldExplorer::updateColorChoices(const ManifoldData& data) {
    const Dataset& dataset = *data.dataset;
    std::vector<std::string> choices;
    if (dataset.latent) {
        choices.push_back(latentChoice);
    }
    if (dataset.labels) {
        choices.push_back(labelChoice);
    }
    if (dataset.target) {
        choices.push_back(targetPrefix + (dataset.targetName.empty() ? "y" : dataset.targetName));
    }
    for (Eigen::Index column = 0; column < dataset.dimension(); ++column) {
        choices.push_back(columnChoice(dataset, column));
    }
    choices.push_back(errorChoice);
    const std::string current = panel_->values().choice("color-by");
    const bool keep = std::find(choices.begin(), choices.end(), current) != choices.end();
    panel_->setChoices("color-by", choices, keep ? current : choices.front());
}

const ManifoldPicture* ManifoldExplorer::shownPicture() const {
    if (!latest_) {
        return nullptr;
    }
    if (latest_->hasEmbedding()) {
        return latest_.get();
    }
    if (picture_ && picture_->data == latest_->data) {
        return picture_.get();
    }
    return latest_.get();
}

ManifoldExplorer::PointColors ManifoldExplorer::pointColors() const {
    PointColors colors;
    const Dataset& dataset = *latest_->data->dataset;
    const Eigen::Index count = dataset.size();
    if (latest_->graphPieces.size() == count) {
        // A graph in pieces: the pieces are what there is to see.
        colors.categorical = true;
        colors.labels = latest_->graphPieces;
        const int pieces = colors.labels.maxCoeff() + 1;
        for (int piece = 0; piece < pieces; ++piece) {
            const auto size = (colors.labels.array() == piece).count();
            colors.names.push_back("piece " + std::to_string(piece + 1) + " (" + std::to_string(size) +
                                   (size == 1 ? " point)" : " points)"));
        }
        return colors;
    }
    const std::string choice = panel_->values().choice("color-by");
    const ManifoldPicture* shown = shownPicture();
    if (choice == latentChoice && dataset.latent) {
        colors.values = *dataset.latent;
        colors.title = latentDescription(latest_->source.generator);
    } else if (choice == labelChoice && dataset.labels) {
        colors.categorical = true;
        colors.labels = *dataset.labels;
        colors.names = dataset.labelNames;
    } else if (choice.rfind(targetPrefix, 0) == 0 && dataset.target) {
        colors.values = *dataset.target;
        colors.title = dataset.targetName.empty() ? "target" : dataset.targetName;
    } else if (choice == errorChoice && shown && shown->result.reconstructionErrors.size() == count) {
        // Errors span orders of magnitude: their logarithm, with undefined ones at the bottom.
        const Eigen::VectorXd& errors = shown->result.reconstructionErrors;
        double smallest = std::numeric_limits<double>::infinity();
        for (const double error : errors) {
            if (std::isfinite(error) && error > 0.0) {
                smallest = std::min(smallest, error);
            }
        }
        const double floor = std::isfinite(smallest) ? smallest : 1e-300;
        colors.values = errors.unaryExpr([floor](double error) {
            return std::log10(std::isfinite(error) ? std::max(error, floor) : floor);
        });
        colors.title = "log10 error";
    } else {
        Eigen::Index column = 0;
        for (Eigen::Index candidate = 0; candidate < dataset.dimension(); ++candidate) {
            if (choice == columnChoice(dataset, candidate)) {
                column = candidate;
                break;
            }
        }
        colors.values = dataset.points.col(column);
        colors.title = static_cast<std::size_t>(column) < dataset.columnNames.size()
                           ? dataset.columnNames[static_cast<std::size_t>(column)]
                           : "column " + std::to_string(column + 1);
    }
    return colors;
}

void ManifoldExplorer::drawInput(bool reframe) {
    if (!latest_) {
        return;
    }
    const ManifoldData& data = *latest_->data;
    // A new k or reg leaves the cloud where it is: only its colours and the extras are redrawn.
    if (inputPoints_ == 0 || drawnInputData_ != latest_->data) {
        inputView_->clearLayers();
        inputExtraLayers_.clear();
        inputPoints_ = inputView_->addPoints(data.display, pointSizeFor(data.display.rows()));
        drawnInputData_ = latest_->data;
        drawnInputColors_.clear();
    }
    // Colours that depend on the picture (pieces of the graph, reconstruction errors) change with it;
    // the others stay, and then the cloud is not touched at all, so it needs no new frame.
    const std::string choice = panel_->values().choice("color-by");
    const bool keyHere = !(shownPicture() && shownPicture()->hasEmbedding());
    std::ostringstream colorKey;
    colorKey << choice << '|' << keyHere << '|' << latest_->graphPieces.size() << '|'
             << (latest_->graphPieces.size() > 0 ? static_cast<const void*>(latest_.get()) : nullptr) << '|'
             << (choice == errorChoice ? static_cast<const void*>(shownPicture()) : nullptr);
    if (!reframe && colorKey.str() == drawnInputColors_) {
        drawInputExtras();
        return;
    }
    drawnInputColors_ = colorKey.str();
    const PointColors colors = pointColors();
    if (colors.categorical) {
        inputView_->setPointColorsByLabel(inputPoints_, colors.labels, colors.names);
    } else {
        inputView_->setPointColorsByValue(inputPoints_, colors.values, ColorMap::Viridis);
    }
    // One colour key serves both views: the embedding's, unless there is no embedding to carry it. A bar
    // beside the cloud would cover it in a view this narrow.
    inputView_->showLegend(keyHere && colors.categorical && colors.names.size() <= legendLabelLimit);
    inputView_->showColorBar(keyHere && !colors.categorical, colors.title);
    inputView_->setAxisTitles(data.axisNames[0], data.axisNames[1], data.axisNames[2]);
    std::string title;
    if (const GeneratorDescription* generator = findGenerator(latest_->source.generator)) {
        title = generator->label;
    } else {
        title = data.dataset->origin.empty() ? std::string("Data") : data.dataset->origin;
    }
    title +=
        " · " + QLocale().toString(static_cast<qlonglong>(data.dataset->size())).toStdString() + " points";
    if (data.principalComponents) {
        title += " · PCA " + std::to_string(static_cast<int>(std::lround(100.0 * data.explainedVariance))) +
                 "% of the variance";
    }
    inputView_->setTitle(title);
    if (reframe) {
        inputView_->resetCamera();
    }
    drawInputExtras();
}

void ManifoldExplorer::drawInputExtras() {
    const bool wanted = focus_ || (latest_ && panel_->values().boolean("show-graph"));
    if (!wanted && inputExtraLayers_.empty() && inputView_->dataLabels().empty()) {
        return; // nothing drawn, nothing to draw: the cloud keeps its frame
    }
    for (const PlotView3D::LayerId layer : inputExtraLayers_) {
        inputView_->removeLayer(layer);
    }
    inputExtraLayers_.clear();
    if (!latest_) {
        return;
    }
    const ManifoldData& data = *latest_->data;
    const NeighborhoodList& graph = latest_->result.neighborhoods;
    if (panel_->values().boolean("show-graph") && graph.size() == data.display.rows()) {
        const GraphEdges edges = graphEdges(graph, *data.dataset);
        const auto ordinary = edgeLines(edges.ordinary, data.display);
        const PlotView3D::LayerId layer =
            inputView_->addPolylines(ordinary, std::vector<Rgb>(ordinary.size(), graphColor), 1.0);
        inputView_->setLayerOpacity(layer, 0.35);
        inputExtraLayers_.push_back(layer);
        if (!edges.shortCircuits.empty()) {
            const auto jumps = edgeLines(edges.shortCircuits, data.display);
            const PlotView3D::LayerId bold =
                inputView_->addPolylines(jumps, std::vector<Rgb>(jumps.size(), shortCircuitColor), 2.0);
            inputView_->setLayerAboveData(bold);
            inputExtraLayers_.push_back(bold);
        }
    }

    std::vector<DataLabel> labels;
    if (focus_) {
        const PointReconstruction& focus = *focus_;
        const Rgb ink = inputView_->foregroundColor();
        const double largest = std::max(
            1e-300,
            std::abs(*std::max_element(focus.weights.begin(), focus.weights.end(),
                                       [](double a, double b) { return std::abs(a) < std::abs(b); })));
        // Three widths by |w| relative to the largest, so the strong neighbours stand out.
        for (int band = 0; band < 3; ++band) {
            std::vector<Eigen::MatrixX3d> edges;
            std::vector<Rgb> colors;
            for (std::size_t k = 0; k < focus.neighbors.size(); ++k) {
                const double share = std::abs(focus.weights[k]) / largest;
                if (std::min(2, static_cast<int>(share * 3.0)) != band) {
                    continue;
                }
                Eigen::MatrixX3d edge(2, 3);
                edge.row(0) = focus.displayPoint.transpose();
                edge.row(1) = data.display.row(focus.neighbors[k]);
                edges.push_back(edge);
                colors.push_back(focus.weights[k] >= 0.0 ? ink : negativeWeightColor);
            }
            if (!edges.empty()) {
                const PlotView3D::LayerId layer = inputView_->addPolylines(edges, colors, 1.5 + 2.0 * band);
                inputView_->setLayerAboveData(layer);
                inputExtraLayers_.push_back(layer);
            }
        }
        Eigen::MatrixX3d link(2, 3);
        link.row(0) = focus.displayPoint.transpose();
        link.row(1) = focus.displayRebuilt.transpose();
        const PlotView3D::LayerId linkLayer = inputView_->addPolylines({link}, {rebuiltColor}, 2.0);
        inputView_->setLayerAboveData(linkLayer);
        inputExtraLayers_.push_back(linkLayer);

        const auto ringed = [this](const Eigen::MatrixX3d& rows, double size, const Rgb& color) {
            const PlotView3D::LayerId layer = inputView_->addPoints(rows, size, color);
            std::vector<Eigen::Index> all(static_cast<std::size_t>(rows.rows()));
            std::iota(all.begin(), all.end(), Eigen::Index{0});
            inputView_->setSelection(layer, all);
            inputExtraLayers_.push_back(layer);
        };
        Eigen::MatrixX3d neighbors(static_cast<Eigen::Index>(focus.neighbors.size()), 3);
        for (std::size_t k = 0; k < focus.neighbors.size(); ++k) {
            neighbors.row(static_cast<Eigen::Index>(k)) = data.display.row(focus.neighbors[k]);
        }
        ringed(neighbors, 9.0, neighborFill);
        ringed(focus.displayPoint.transpose(), 15.0, ink);
        ringed(focus.displayRebuilt.transpose(), 11.0, rebuiltColor);
        if (focus.neighbors.size() <= labelledNeighborLimit) {
            for (std::size_t k = 0; k < focus.neighbors.size(); ++k) {
                const Eigen::Vector3d end = data.display.row(focus.neighbors[k]).transpose();
                labels.push_back({focus.displayPoint + 0.6 * (end - focus.displayPoint),
                                  fixedText(focus.weights[k], 2),
                                  focus.weights[k] >= 0.0 ? ink : negativeWeightColor});
            }
        }
    }
    inputView_->setDataLabels(std::move(labels));
    applySelection();
}

void ManifoldExplorer::drawEmbedding(bool reframe) {
    embeddingView_->clearLayers();
    embeddingPoints_ = 0;
    const ManifoldPicture* shown = shownPicture();
    if (!shown || !shown->hasEmbedding()) {
        embeddingView_->setTitle(latest_ ? "No embedding of these data yet" : "Embedding");
        embeddingView_->setDataLabels({});
        embeddingView_->showColorBar(false);
        embeddingView_->requestRender();
        return;
    }
    const Eigen::MatrixXd& embedding = shown->result.embedding;
    const NeighborhoodList& graph = shown->result.neighborhoods;
    if (panel_->values().boolean("show-graph") && graph.size() == embedding.rows()) {
        const GraphEdges edges = graphEdges(graph, *shown->data->dataset);
        const Eigen::MatrixX2d plane = embedding.leftCols(2);
        const auto ordinary = edgeLines(edges.ordinary, plane);
        const PlotView2D::LayerId layer =
            embeddingView_->addPolylines(ordinary, std::vector<Rgb>(ordinary.size(), graphColor), 1.0);
        embeddingView_->setLayerOpacity(layer, 0.35);
        embeddingView_->setLayerLegend(layer, {{"neighbour graph", graphColor}});
        if (!edges.shortCircuits.empty()) {
            const auto jumps = edgeLines(edges.shortCircuits, plane);
            const PlotView2D::LayerId bold =
                embeddingView_->addPolylines(jumps, std::vector<Rgb>(jumps.size(), shortCircuitColor), 2.0);
            embeddingView_->setLayerAboveData(bold);
            embeddingView_->setLayerLegend(
                bold, {{std::to_string(edges.shortCircuits.size()) + " short circuits", shortCircuitColor}});
        }
    }
    PlotView2D::PointStyle style;
    style.size = pointSizeFor(embedding.rows());
    embeddingPoints_ = embeddingView_->addPoints(embedding.leftCols(2), style);
    const PointColors colors = pointColors();
    if (colors.categorical) {
        embeddingView_->setPointColorsByLabel(embeddingPoints_, colors.labels, colors.names);
    } else {
        embeddingView_->setPointColorsByValue(embeddingPoints_, colors.values, ColorMap::Viridis);
    }
    embeddingView_->showColorBar(!colors.categorical, colors.title);

    std::vector<DataLabel> labels;
    if (focus_ && focus_->embedded) {
        const PointReconstruction& focus = *focus_;
        const Rgb ink = embeddingView_->foregroundColor();
        std::vector<Eigen::MatrixX2d> positive;
        std::vector<Eigen::MatrixX2d> negative;
        Eigen::MatrixX2d neighbors(static_cast<Eigen::Index>(focus.neighbors.size()), 2);
        for (std::size_t k = 0; k < focus.neighbors.size(); ++k) {
            const Eigen::Vector2d end(embedding(focus.neighbors[k], 0), embedding(focus.neighbors[k], 1));
            neighbors.row(static_cast<Eigen::Index>(k)) = end.transpose();
            Eigen::MatrixX2d edge(2, 2);
            edge.row(0) = focus.embedded->transpose();
            edge.row(1) = end.transpose();
            (focus.weights[k] >= 0.0 ? positive : negative).push_back(edge);
            if (focus.neighbors.size() <= labelledNeighborLimit) {
                const Eigen::Vector2d at = *focus.embedded + 0.6 * (end - *focus.embedded);
                labels.push_back({Eigen::Vector3d(at.x(), at.y(), 0.0), fixedText(focus.weights[k], 2),
                                  focus.weights[k] >= 0.0 ? ink : negativeWeightColor});
            }
        }
        std::vector<LegendEntry> legend{{"clicked point", ink}};
        if (!positive.empty()) {
            const auto layer =
                embeddingView_->addPolylines(positive, std::vector<Rgb>(positive.size(), ink), 2.5);
            embeddingView_->setLayerAboveData(layer);
            legend.push_back({"weight > 0", ink});
        }
        if (!negative.empty()) {
            const auto layer = embeddingView_->addPolylines(
                negative, std::vector<Rgb>(negative.size(), negativeWeightColor), 2.5);
            embeddingView_->setLayerAboveData(layer);
            legend.push_back({"weight < 0", negativeWeightColor});
        }
        Eigen::MatrixX2d link(2, 2);
        link.row(0) = focus.embedded->transpose();
        link.row(1) = focus.embeddedRebuilt->transpose();
        embeddingView_->setLayerAboveData(embeddingView_->addPolylines({link}, {rebuiltColor}, 2.0));
        const auto ringed = [this](const Eigen::MatrixX2d& rows, double size, const Rgb& color) {
            const PlotView2D::LayerId layer = embeddingView_->addPoints(rows, {size, color});
            std::vector<Eigen::Index> all(static_cast<std::size_t>(rows.rows()));
            std::iota(all.begin(), all.end(), Eigen::Index{0});
            embeddingView_->setSelection(layer, all);
            return layer;
        };
        ringed(neighbors, 9.0, neighborFill);
        const auto clicked = ringed(focus.embedded->transpose(), 15.0, ink);
        ringed(focus.embeddedRebuilt->transpose(), 11.0, rebuiltColor);
        legend.push_back({"rebuilt point", rebuiltColor});
        embeddingView_->setLayerLegend(clicked, legend);
    }
    embeddingView_->setDataLabels(std::move(labels));
    embeddingView_->showLegend(!colors.categorical || colors.names.size() <= legendLabelLimit);

    std::string title =
        lleMethodName(shown->options.method) + " LLE · " + neighborhoodText(shown->options).toStdString();
    if (shown != latest_.get()) {
        title += " (last that worked)";
    }
    embeddingView_->setTitle(title);
    if (reframe) {
        embeddingView_->resetCamera();
    }
    applySelection();
    embeddingView_->requestRender();
}

void ManifoldExplorer::drawNeighbourhood() {
    localView_->clearLayers();
    localView_->showLegend(false);
    localView_->showColorBar(false);
    // Shown only for a clicked point, so that the big views have the room until then.
    localView_->setVisible(focus_.has_value());
    if (!focus_) {
        localView_->setDataLabels({});
        return;
    }
    const PointReconstruction& focus = *focus_;
    const Rgb ink = localView_->foregroundColor();
    const Eigen::Vector2d origin = Eigen::Vector2d::Zero();
    double largest = 1e-300;
    for (const double weight : focus.weights) {
        largest = std::max(largest, std::abs(weight));
    }
    // Three widths by |w| relative to the largest, so the strong neighbours stand out.
    std::vector<DataLabel> labels;
    for (int band = 0; band < 3; ++band) {
        std::vector<Eigen::MatrixX2d> edges;
        std::vector<Rgb> colors;
        for (std::size_t k = 0; k < focus.neighbors.size(); ++k) {
            if (std::min(2, static_cast<int>(3.0 * std::abs(focus.weights[k]) / largest)) != band) {
                continue;
            }
            Eigen::MatrixX2d edge(2, 2);
            edge.row(0) = origin.transpose();
            edge.row(1) = focus.localNeighbors.row(static_cast<Eigen::Index>(k));
            edges.push_back(edge);
            colors.push_back(focus.weights[k] >= 0.0 ? ink : negativeWeightColor);
        }
        if (!edges.empty()) {
            localView_->setLayerAboveData(localView_->addPolylines(edges, colors, 1.5 + 2.0 * band));
        }
    }
    // Each weight just beyond its neighbour, away from the centre, where labels crowd least; a label that
    // would cover one placed before it (strongest weights first) moves further out along its edge. A
    // label is about 0.3 × 0.15 of the neighbourhood's reach in this view.
    const double reach = std::max(1e-300, focus.localNeighbors.rowwise().norm().maxCoeff());
    const Eigen::Vector2d halfLabel(0.16 * reach, 0.08 * reach);
    std::vector<std::size_t> order(focus.neighbors.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&focus](std::size_t a, std::size_t b) {
        return std::abs(focus.weights[a]) > std::abs(focus.weights[b]);
    });
    std::vector<Eigen::Vector2d> placed;
    labels.resize(focus.neighbors.size()); // in the order of the neighbours
    for (const std::size_t k : order) {
        const Eigen::Vector2d end = focus.localNeighbors.row(static_cast<Eigen::Index>(k)).transpose();
        const Eigen::Vector2d outward =
            end.norm() > 0.0 ? Eigen::Vector2d(end / end.norm()) : Eigen::Vector2d(0, 1);
        Eigen::Vector2d at = end + 0.17 * reach * outward;
        for (int attempt = 0; attempt < 4; ++attempt) {
            const bool covers = std::any_of(placed.begin(), placed.end(), [&](const Eigen::Vector2d& other) {
                return std::abs(other.x() - at.x()) < 2.0 * halfLabel.x() &&
                       std::abs(other.y() - at.y()) < 2.0 * halfLabel.y();
            });
            if (!covers) {
                break;
            }
            at += 0.15 * reach * outward;
        }
        placed.push_back(at);
        labels[k] = {Eigen::Vector3d(at.x(), at.y(), 0.0), fixedText(focus.weights[k], 2),
                     focus.weights[k] >= 0.0 ? ink : negativeWeightColor};
    }
    // The camera frames what is drawn; an invisible outline around the labels, and around the point
    // itself (whose disc would otherwise be cut by the frame when every neighbour lies to one side),
    // keeps them in the frame.
    Eigen::Vector2d low = -halfLabel;
    Eigen::Vector2d high = halfLabel;
    for (const Eigen::Vector2d& at : placed) {
        low = low.cwiseMin(at - halfLabel);
        high = high.cwiseMax(at + halfLabel);
    }
    Eigen::MatrixX2d outline(5, 2);
    outline << low.x(), low.y(), high.x(), low.y(), high.x(), high.y(), low.x(), high.y(), low.x(), low.y();
    localView_->setLayerOpacity(localView_->addPolylines({outline}, {ink}, 1.0), 0.0);
    Eigen::MatrixX2d link(2, 2);
    link.row(0) = origin.transpose();
    link.row(1) = focus.localRebuilt.transpose();
    localView_->setLayerAboveData(localView_->addPolylines({link}, {rebuiltColor}, 2.0));
    const auto ringed = [this](const Eigen::MatrixX2d& rows, double size, const Rgb& color) {
        const PlotView2D::LayerId layer = localView_->addPoints(rows, {size, color});
        std::vector<Eigen::Index> all(static_cast<std::size_t>(rows.rows()));
        std::iota(all.begin(), all.end(), Eigen::Index{0});
        localView_->setSelection(layer, all);
    };
    ringed(focus.localNeighbors, 11.0, neighborFill);
    ringed(origin.transpose(), 15.0, ink);
    ringed(focus.localRebuilt.transpose(), 11.0, rebuiltColor);
    localView_->setDataLabels(std::move(labels));
    localView_->setTitle("Point " + std::to_string(focus.point) + " and its " +
                         std::to_string(focus.neighbors.size()) + " neighbours");
    localView_->resetCamera();
}

void ManifoldExplorer::updateNeighborhoodControls() {
    const bool byRadius = panel_->values().choice("neighborhood") == radiusChoice;
    for (const auto& [name, enabled] : {std::pair{"neighbors", !byRadius}, std::pair{"radius", byRadius}}) {
        if (QWidget* box = panel_->controlFor(name)) {
            box->setEnabled(enabled);
        }
        if (QWidget* slider = panel_->sliderFor(name)) {
            slider->setEnabled(enabled);
        }
    }
}

void ManifoldExplorer::followDataRadius(const ManifoldPicture& picture) {
    if (radiusChosenFor_ && *radiusChosenFor_ == picture.source) {
        return; // the user's radius stays
    }
    const double radius = picture.options.radius.value_or(picture.data->suggestedRadius);
    if (panel_->values().real("radius") != radius) {
        ParameterValues values = panel_->values();
        values.set("radius", radius);
        panel_->setValues(values);
    }
}

Eigen::VectorXd ManifoldExplorer::colorValues() const {
    if (!latest_) {
        return {};
    }
    const PointColors colors = pointColors();
    return colors.categorical ? Eigen::VectorXd() : colors.values;
}

std::size_t ManifoldExplorer::shortCircuitCount() const {
    if (!latest_ || latest_->result.neighborhoods.size() != latest_->pointCount()) {
        return 0;
    }
    return graphEdges(latest_->result.neighborhoods, *latest_->data->dataset).shortCircuits.size();
}

void ManifoldExplorer::applySelection() {
    if (inputPoints_ != 0) {
        inputView_->setSelection(inputPoints_, selection_);
    }
    if (embeddingPoints_ != 0) {
        embeddingView_->setSelection(embeddingPoints_, selection_);
    }
}

void ManifoldExplorer::setSelection(std::vector<Eigen::Index> indices) {
    const Eigen::Index count = latest_ ? latest_->pointCount() : 0;
    std::erase_if(indices, [count](Eigen::Index index) { return index < 0 || index >= count; });
    std::sort(indices.begin(), indices.end());
    indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
    selection_ = std::move(indices);
    applySelection();
    updateFormula();
    emit selectionChanged();
}

void ManifoldExplorer::setFocusPoint(std::optional<Eigen::Index> point) {
    focusPoint_ = point;
    const ManifoldPicture* shown = shownPicture();
    focus_ = point && shown ? reconstructPoint(*shown, *point) : std::nullopt;
    if (!focus_) {
        focusPoint_.reset();
    }
    if (latest_) {
        drawInputExtras();
        drawEmbedding(false);
    }
    drawNeighbourhood();
    updateFormula();
    emit focusChanged();
}

std::vector<QPointF> ManifoldExplorer::displayPositions(const QObject* view) const {
    std::vector<QPointF> positions;
    if (!latest_) {
        return positions;
    }
    if (view == inputView_) {
        const Eigen::MatrixX3d& display = latest_->data->display;
        positions.reserve(static_cast<std::size_t>(display.rows()));
        for (Eigen::Index point = 0; point < display.rows(); ++point) {
            positions.push_back(inputView_->worldToDisplay(display.row(point).transpose()));
        }
    } else if (view == embeddingView_ && embeddingPoints_ != 0) {
        const Eigen::MatrixXd& embedding = shownPicture()->result.embedding;
        positions.reserve(static_cast<std::size_t>(embedding.rows()));
        for (Eigen::Index point = 0; point < embedding.rows(); ++point) {
            positions.push_back(embeddingView_->dataToDisplay({embedding(point, 0), embedding(point, 1)}));
        }
    }
    return positions;
}

std::optional<Eigen::Index> ManifoldExplorer::pointNear(const QObject* view, const QPointF& position) const {
    const std::vector<QPointF> positions = displayPositions(view);
    std::optional<Eigen::Index> nearest;
    double best = pickRadiusPixels * pickRadiusPixels;
    for (std::size_t point = 0; point < positions.size(); ++point) {
        const QPointF offset = positions[point] - position;
        const double distance = offset.x() * offset.x() + offset.y() * offset.y();
        if (distance <= best) {
            best = distance;
            nearest = static_cast<Eigen::Index>(point);
        }
    }
    return nearest;
}

std::vector<Eigen::Index> ManifoldExplorer::pointsInside(const QObject* view, const QRectF& rectangle) const {
    std::vector<Eigen::Index> inside;
    const std::vector<QPointF> positions = displayPositions(view);
    for (std::size_t point = 0; point < positions.size(); ++point) {
        if (rectangle.contains(positions[point])) {
            inside.push_back(static_cast<Eigen::Index>(point));
        }
    }
    return inside;
}

bool ManifoldExplorer::eventFilter(QObject* watched, QEvent* event) {
    if (watched == central_ && event->type() == QEvent::Show && waitingForShow_) {
        requestPicture();
    }
    if (watched == inputView_ || watched == embeddingView_) {
        if (handleMouse(static_cast<QWidget*>(watched), event)) {
            return true;
        }
    }
    return Explorer::eventFilter(watched, event);
}

bool ManifoldExplorer::handleMouse(QWidget* view, QEvent* event) {
    QRubberBand* band = view == inputView_ ? inputBand_ : embeddingBand_;
    switch (event->type()) {
    case QEvent::MouseButtonPress: {
        const auto* mouse = static_cast<QMouseEvent*>(event);
        if (mouse->button() != Qt::LeftButton) {
            return false;
        }
        pressedView_ = view;
        pressPosition_ = mouse->position();
        // Shift+drag brushes; a plain drag turns or pans the view as usual.
        brushing_ = mouse->modifiers().testFlag(Qt::ShiftModifier);
        if (brushing_) {
            band->setGeometry(QRect(pressPosition_.toPoint(), QSize()));
            band->show();
        }
        return brushing_;
    }
    case QEvent::MouseMove: {
        if (!brushing_ || pressedView_ != view) {
            return false;
        }
        const auto* mouse = static_cast<QMouseEvent*>(event);
        band->setGeometry(QRectF(pressPosition_, mouse->position()).normalized().toRect());
        return true;
    }
    case QEvent::MouseButtonRelease: {
        const auto* mouse = static_cast<QMouseEvent*>(event);
        if (pressedView_ != view || mouse->button() != Qt::LeftButton) {
            return false;
        }
        pressedView_ = nullptr;
        if (brushing_) {
            brushing_ = false;
            band->hide();
            setSelection(pointsInside(view, QRectF(pressPosition_, mouse->position()).normalized()));
            return true;
        }
        // A press and release in one place is a click; anything longer turned or panned the view.
        const QPointF moved = mouse->position() - pressPosition_;
        if (std::hypot(moved.x(), moved.y()) <= clickTolerancePixels) {
            setFocusPoint(pointNear(view, mouse->position()));
        }
        return false;
    }
    case QEvent::KeyPress:
        if (static_cast<QKeyEvent*>(event)->key() == Qt::Key_Escape) {
            setSelection({});
            setFocusPoint(std::nullopt);
            return true;
        }
        return false;
    default:
        return false;
    }
}

QString ManifoldExplorer::formulaText() const {
    return formula_->text();
}

QString ManifoldExplorer::messageText() const {
    return message_->isVisible() ? message_->text() : QString();
}

QString ManifoldExplorer::lessonText() const {
    return lesson_->isVisible() ? lesson_->text() : QString();
}

void ManifoldExplorer::updateFormula() {
    const QString selected =
        selection_.empty() ? QString()
                           : tr("<br>%1 points selected (ringed in both views).").arg(selection_.size());
    if (!focus_) {
        formula_->setText(
            tr("<b>LLE, step 1</b> — a local linear model for every point: the weights that rebuild "
               "x<sub>i</sub> from its neighbours (its k nearest, or every point within r), min "
               "‖x<sub>i</sub> − Σ<sub>j</sub> "
               "w<sub>ij</sub> x<sub>j</sub>‖² with Σ<sub>j</sub> w<sub>ij</sub> = 1: solve "
               "(G + reg·trace(G)·I) w = 1 with "
               "G<sub>jl</sub> = (x<sub>j</sub> − x<sub>i</sub>)·(x<sub>l</sub> − x<sub>i</sub>), then scale "
               "w to sum to 1.<br><b>Step 2</b> — keep those weights in 2-D: min Σ<sub>i</sub> "
               "‖y<sub>i</sub> − Σ<sub>j</sub> w<sub>ij</sub> y<sub>j</sub>‖², the bottom eigenvectors of "
               "M = (I − W)ᵀ(I − W) after the constant one.") +
            selected + tr("<br><i>Click a point in either view to see its neighbours and weights.</i>"));
        return;
    }
    const PointReconstruction& focus = *focus_;
    const ManifoldPicture* shown = shownPicture();
    double median = std::numeric_limits<double>::quiet_NaN();
    if (shown) {
        std::vector<double> errors;
        for (const double error : shown->result.reconstructionErrors) {
            if (std::isfinite(error)) {
                errors.push_back(error);
            }
        }
        if (!errors.empty()) {
            std::nth_element(errors.begin(), errors.begin() + static_cast<std::ptrdiff_t>(errors.size() / 2),
                             errors.end());
            median = errors[errors.size() / 2];
        }
    }
    QString text =
        tr("<b>Point %1</b> (row %2) rebuilt from its %3: r<sub>i</sub> = Σ<sub>j</sub> "
           "w<sub>ij</sub> x<sub>j</sub> with Σ<sub>j</sub> w<sub>ij</sub> = %4<br>local error "
           "‖x<sub>i</sub> − r<sub>i</sub>‖² = <b>%5</b> (median over all points %6; r<sub>i</sub> lies %7 "
           "from x<sub>i</sub>)")
            .arg(focus.point)
            .arg(focus.point + 1)
            .arg(shown && shown->options.radius ? tr("%1 neighbours within r = %2")
                                                      .arg(focus.neighbors.size())
                                                      .arg(number(*shown->options.radius, 3))
                                                : tr("%1 nearest neighbours").arg(focus.neighbors.size()))
            .arg(QString::number(focus.weightSum, 'f', 6), number(focus.error, 3), number(median, 3),
                 number(std::sqrt(focus.error), 3));
    if (focus.embedded) {
        text += tr(" &nbsp;·&nbsp; in the embedding ‖y<sub>i</sub> − Σ<sub>j</sub> w<sub>ij</sub> "
                   "y<sub>j</sub>‖² = %1")
                    .arg(number(focus.embeddedError, 3));
    }
    if (shown && shown->options.method != LleMethod::Standard) {
        text += tr("<br><i>%1 LLE builds M from the local tangent spaces; these are the standard weights "
                   "every variant starts from.</i>")
                    .arg(QString::fromStdString(lleMethodName(shown->options.method)));
    }
    QString neighborsRow = tr("<td><b>neighbour j</b></td>");
    QString distanceRow = tr("<td>‖x<sub>j</sub> − x<sub>i</sub>‖</td>");
    QString weightRow = tr("<td><b>w<sub>ij</sub></b></td>");
    const std::size_t tabulated = std::min(focus.neighbors.size(), tabulatedNeighborLimit);
    for (std::size_t k = 0; k < tabulated; ++k) {
        const QString color = focus.weights[k] < 0.0 ? QStringLiteral(" style='color:#d55e00'") : QString();
        neighborsRow += QStringLiteral("<td align='right'>%1</td>").arg(focus.neighbors[k]);
        distanceRow += QStringLiteral("<td align='right'>%1</td>").arg(number(focus.distances[k], 3));
        weightRow += QStringLiteral("<td align='right'%1><b>%2</b></td>")
                         .arg(color, QString::number(focus.weights[k], 'f', 3));
    }
    if (tabulated < focus.neighbors.size()) {
        const QString more = tr("<td>… %1 more</td>").arg(focus.neighbors.size() - tabulated);
        neighborsRow += more;
        distanceRow += QStringLiteral("<td></td>");
        weightRow += QStringLiteral("<td></td>");
    }
    text += QStringLiteral("<table cellspacing='0' cellpadding='3'><tr>%1</tr><tr>%2</tr><tr>%3</tr></table>")
                .arg(neighborsRow, distanceRow, weightRow);
    text +=
        tr("w minimises ‖x<sub>i</sub> − Σ<sub>j</sub> w<sub>ij</sub> x<sub>j</sub>‖² under Σ<sub>j</sub> "
           "w<sub>ij</sub> = 1, with reg = %1 added to the local Gram matrix; the embedding keeps the same "
           "weights.")
            .arg(number(shown ? shown->options.reg : 0.0, 3));
    formula_->setText(text + selected);
}

} // namespace locallab
