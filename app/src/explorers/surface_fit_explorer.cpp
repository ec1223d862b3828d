#include "explorers/surface_fit_explorer.hpp"

#include "locallab/data/generator_registry.hpp"
#include "locallab/local/monomial_basis.hpp"
#include "locallab/widgets/parameter_panel.hpp"

#include <QEvent>
#include <QFont>
#include <QFontMetrics>
#include <QKeyEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <numeric>

namespace locallab {

namespace {

const std::string sourceAuto = "auto";
const std::string sourceDataExplorer = "data explorer";
const std::string builtInPrefix = "noisy ";
// The built-in samples, by the surface they scatter around; "auto" falls back on the first.
const std::vector<std::string> builtInSurfaces = {"bump", "saddle", "ripple"};

constexpr double keyStepFraction = 0.01; // an arrow key moves x* by this fraction of the plotted range
constexpr int weightSizeClasses = 8;
// Small enough that the heavy points near x* leave gaps through which the kernel circle shows.
constexpr double weightedPointLargest = 14.0;
// Larger than the heaviest point, which usually lies right at x*: the larger point is drawn on top.
constexpr double queryMarkerSize = 18.0;
// The heatmap is drawn a little paler than the colour bar, so that the points, in the bar's full colours
// and ringed, stand out from the surface under them.
constexpr double heatmapOpacity = 0.75;
constexpr int circleSegments = 96;
constexpr int formulaPanelLines = 7;

QString number(double value) {
    return QString::number(value, 'g', 4);
}

QString html(const std::string& text) {
    return QString::fromStdString(text).toHtmlEscaped();
}

Rgb mix(const Rgb& a, const Rgb& b, double weightOfB) {
    return (1.0 - weightOfB) * a + weightOfB * b;
}

std::shared_ptr<const SurfaceSample> builtInSample(const std::string& surface) {
    static std::map<std::string, std::shared_ptr<const SurfaceSample>> samples;
    auto& sample = samples[surface];
    if (!sample) {
        ParameterValues values;
        values.set("surface", surface);
        values.set("seed", 1LL);
        sample = surfaceSampleFrom(generate("noisy_surface", values)).sample;
    }
    return sample;
}

std::optional<std::string> builtInSurfaceOf(const std::string& source) {
    for (const std::string& surface : builtInSurfaces) {
        if (source == builtInPrefix + surface) {
            return surface;
        }
    }
    return std::nullopt;
}

double dataPointSize(Eigen::Index n) {
    return n > 5000 ? 3.5 : (n > 1000 ? 5.0 : 7.0);
}

// The name of the coefficient of term t: β_0, then one subscript per power of x1 and x2 (β_1, β_2, β_11,
// β_12, β_22).
QString coefficientName(const std::array<int, 2>& exponents) {
    QString subscript;
    for (int variable = 0; variable < 2; ++variable) {
        subscript += QString(exponents[static_cast<std::size_t>(variable)], QChar('1' + variable));
    }
    return QStringLiteral("β<sub>%1</sub>").arg(subscript.isEmpty() ? QStringLiteral("0") : subscript);
}

// (x_i1 − x*_1)(x_i2 − x*_2)-style factor of a model term.
QString termFactor(const std::array<int, 2>& exponents) {
    QString factor;
    for (int variable = 0; variable < 2; ++variable) {
        const int power = exponents[static_cast<std::size_t>(variable)];
        if (power == 0) {
            continue;
        }
        factor += QStringLiteral("(x<sub>i%1</sub> − x*<sub>%1</sub>)").arg(variable + 1);
        if (power > 1) {
            factor += QStringLiteral("<sup>%1</sup>").arg(power);
        }
    }
    return factor;
}

QString objective(SurfaceMethod method) {
    const MonomialBasis basis(2, surfaceMethodDegree(method));
    QString model;
    for (Eigen::Index t = 0; t < basis.size(); ++t) {
        const std::array<int, 2> exponents = {basis.exponents(t)[0], basis.exponents(t)[1]};
        model +=
            (t == 0 ? QString() : QStringLiteral(" − ")) + coefficientName(exponents) + termFactor(exponents);
    }
    return QObject::tr("min Σ<sub>i</sub> K(x*, x<sub>i</sub>)·(y<sub>i</sub> − %1)²").arg(model);
}

// What a coefficient means for the local model at x*: the height, a slope or a curvature.
QString coefficientMeaning(const std::array<int, 2>& exponents, const std::string& x1Name,
                           const std::string& x2Name) {
    const QString names[2] = {html(x1Name), html(x2Name)};
    const int degree = exponents[0] + exponents[1];
    if (degree == 1) {
        return QStringLiteral("∂ŷ/∂%1").arg(names[exponents[0] == 1 ? 0 : 1]);
    }
    // Names are appended, not substituted: "%1²" would read as the placeholder %12.
    if (degree == 2 && exponents[0] == 1) {
        return QStringLiteral("∂²ŷ/∂") + names[0] + QStringLiteral("∂") + names[1];
    }
    if (degree == 2) {
        return QStringLiteral("½∂²ŷ/∂") + names[exponents[0] == 2 ? 0 : 1] + QStringLiteral("²");
    }
    return {};
}

QString methodSentence(SurfaceMethod method) {
    switch (method) {
    case SurfaceMethod::NadarayaWatson:
        return QObject::tr(
            "Nadaraya–Watson is the local constant: the weighted mean of the y's near x*. At the "
            "edges of the data the window holds points on one side only, so on a slope the "
            "surface is pulled towards the inside (boundary bias).");
    case SurfaceMethod::LocalQuadratic:
        return QObject::tr(
            "Local quadratic fits a weighted quadratic surface (6 coefficients) and keeps its "
            "height at x*: it follows peaks, troughs and saddles that a plane cuts off, at the "
            "price of more variance.");
    case SurfaceMethod::LocalLinear:
        break;
    }
    return QObject::tr(
        "Local linear fits a weighted plane and keeps its height at x*: a slope in any direction "
        "no longer biases the fit, at the edges too. The arrow points uphill on that plane.");
}

// The circle of the kernel's reach around x*: the Gaussian's 1-σ circle, the support of a compact kernel.
Eigen::MatrixX2d circleAround(const Eigen::Vector2d& centre, double radius) {
    Eigen::MatrixX2d circle(circleSegments + 1, 2);
    for (int k = 0; k <= circleSegments; ++k) {
        const double angle = 2.0 * std::numbers::pi * k / circleSegments;
        circle.row(k) << centre.x() + radius * std::cos(angle), centre.y() + radius * std::sin(angle);
    }
    return circle;
}

// Legend and title texts stay within Latin-1: the plot's font has no Greek letters and no combining hat.
std::string circleLegend(const RadialKernel& kernel) {
    if (kernel.profile() == KernelProfile::Gaussian) {
        return "kernel: 1 sd circle, radius h";
    }
    return kernel.isCompact() ? "kernel support: radius h" : "kernel scale: radius h";
}

// Points coloured by their y on the colour scale, each with a dark ring. The ring is the view's selection
// outline: it and the points are drawn in layers of their own over the heatmap, so nothing at the same
// depth can cover them (point layers in one layer of the view are drawn as spheres, where the larger
// always wins).
PlotView2D::LayerId addRingedPoints(PlotView2D& view, const Eigen::MatrixX2d& points,
                                    const Eigen::VectorXd& y, double size, const AxisRange& colors) {
    const PlotView2D::LayerId layer = view.addPoints(points, {size, view.foregroundColor()});
    view.setPointColorsByValue(layer, y, ColorMap::Viridis, colors);
    std::vector<Eigen::Index> all(static_cast<std::size_t>(points.rows()));
    std::iota(all.begin(), all.end(), Eigen::Index{0});
    view.setSelection(layer, all);
    return layer;
}

// An arrow from `from` to `to` as a shaft and a two-stroke head.
std::vector<Eigen::MatrixX2d> arrow(const Eigen::Vector2d& from, const Eigen::Vector2d& to) {
    const Eigen::Vector2d direction = to - from;
    const Eigen::Vector2d back = -0.28 * direction;
    const Eigen::Vector2d side(-back.y(), back.x());
    Eigen::MatrixX2d shaft(2, 2);
    shaft << from.x(), from.y(), to.x(), to.y();
    Eigen::MatrixX2d head(3, 2);
    const Eigen::Vector2d left = to + back + 0.6 * side;
    const Eigen::Vector2d right = to + back - 0.6 * side;
    head << left.x(), left.y(), to.x(), to.y(), right.x(), right.y();
    return {shaft, head};
}

} // namespace

std::vector<ParameterDescription> SurfaceFitExplorer::parameterDescriptions() {
    std::vector<std::string> sources = {sourceAuto, sourceDataExplorer};
    for (const std::string& surface : builtInSurfaces) {
        sources.push_back(builtInPrefix + surface);
    }
    std::vector<std::string> methodKeys;
    for (const SurfaceMethod method : surfaceMethods()) {
        methodKeys.push_back(surfaceMethodKey(method));
    }
    return {
        choiceParameter(
            "data", "Data", sources, sourceAuto,
            "Auto fits the Data explorer's data when they have a target and a built-in noisy bump "
            "otherwise; 'data explorer' always fits its y (the target, or else the third column) on "
            "its first two columns; the others are built-in samples of 400 points."),
        choiceParameter("method", "Local model", methodKeys, surfaceMethodKey(SurfaceMethod::LocalLinear),
                        "Nadaraya–Watson (local constant), local linear (a plane) or local quadratic."),
        choiceParameter("kernel", "Kernel", kernelProfileNames(), "gaussian",
                        "The weight K(x*, x_i) = k(‖x_i − x*‖²/h²) of a data point for the fit at x*."),
        realParameter("bandwidth", "Bandwidth h", 1e-4, 1e4, 0.2,
                      "The kernel's scale in both directions: the Gaussian's standard deviation, the radius "
                      "of compact kernels. Small h follows the noise, large h flattens the surface.",
                      true),
        integerParameter("grid", "Grid resolution", 20, 300, 80,
                         "The surface is fitted at this many nodes per axis; a fit per node."),
    };
}

SurfaceFitExplorer::SurfaceFitExplorer(QWidget* widgetParent) : Explorer(widgetParent) {
    central_ = new QWidget(widgetParent);
    central_->installEventFilter(this);
    view_ = new PlotView2D(central_);
    view_->setObjectName(QStringLiteral("surfaceView"));
    view_->setAspectMode(PlotView2D::AspectMode::Equal);
    view_->setFocusPolicy(Qt::StrongFocus);
    view_->installEventFilter(this);
    view_->setToolTip(
        tr("Click or drag to move the query point x*; arrow keys nudge it. Middle-drag pans, the "
           "wheel zooms."));

    message_ = new QLabel(central_);
    message_->setObjectName(QStringLiteral("surfaceFitMessage"));
    message_->setWordWrap(true);
    message_->setStyleSheet(QStringLiteral("color: #b00020; font-weight: bold;"));
    message_->hide();
    formula_ = new QLabel(central_);
    formula_->setObjectName(QStringLiteral("formulaPanel"));
    formula_->setTextFormat(Qt::RichText);
    formula_->setWordWrap(true);
    formula_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    formula_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    // Read from the back of a lecture hall: the numbers are the point of this panel.
    QFont formulaFont = formula_->font();
    formulaFont.setPointSizeF(formulaFont.pointSizeF() * 1.3);
    formula_->setFont(formulaFont);
    formula_->setContentsMargins(6, 4, 6, 6);
    // Room for the whole readout from the start: a panel that grew when the first readout arrived would
    // shrink the plot after it was framed.
    formula_->setMinimumHeight(formulaPanelLines * QFontMetrics(formulaFont).lineSpacing() + 10);

    auto* layout = new QVBoxLayout(central_);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(message_);
    layout->addWidget(view_, 1);
    layout->addWidget(formula_);

    panel_ = new ParameterPanel(parameterDescriptions(), widgetParent);
    QPushButton* scott = panel_->addButton("bandwidth", tr("Scott"));
    scott->setObjectName(QStringLiteral("rule_scott"));
    scott->setToolTip(
        tr("Scott's rule n^(−1/6)·σ̄ (in two dimensions the same as Silverman's), σ̄ the geometric "
           "mean of the two columns' standard deviations, matched to the kernel's spread."));
    connect(scott, &QPushButton::clicked, this, &SurfaceFitExplorer::useScottBandwidth);
    QPushButton* crossValidation = panel_->addButton("bandwidth", tr("CV optimum"));
    crossValidation->setObjectName(QStringLiteral("rule_cv"));
    crossValidation->setToolTip(tr("The h with the smallest leave-one-out cross-validation error over 20 "
                                   "bandwidths, for the chosen local model and kernel."));
    connect(crossValidation, &QPushButton::clicked, this, &SurfaceFitExplorer::useCrossValidatedBandwidth);
    connect(panel_, &ParameterPanel::parameterChanging, this, &SurfaceFitExplorer::onParameterChanging);
    connect(panel_, &ParameterPanel::parameterChanged, this, &SurfaceFitExplorer::onParameterChanged);

    connect(&pictureRunner_, &JobRunner::finished, this,
            [this](quint64, const JobResult& result, double milliseconds) {
                onPictureFinished(result, milliseconds);
            });
    connect(&pictureRunner_, &JobRunner::failed, this,
            [this](quint64, const QString& message) { onPictureFailed(message); });
    connect(&pictureRunner_, &JobRunner::progressChanged, this, &Explorer::progressChanged);
    connect(&pictureRunner_, &JobRunner::started, this, [this] { emit busyChanged(true); });
    connect(&pictureRunner_, &JobRunner::canceled, this, [this] { emit busyChanged(false); });
    connect(&queryRunner_, &JobRunner::finished, this,
            [this](quint64, const JobResult& result, double) { onQueryFinished(result); });
    connect(&queryRunner_, &JobRunner::failed, this, [this](quint64, const QString& message) {
        jobProblem_ = tr("The readout at x* could not be computed: %1.").arg(message).toStdString();
        showMessages();
    });
    // The first look at the explorer fits whatever data there are (a built-in bump when none).
    ruleWaitingForShow_ = std::string(scottRule);
    updateFormula();
}

QString SurfaceFitExplorer::title() const {
    return tr("Surface fit");
}

VtkView* SurfaceFitExplorer::view() const {
    return view_;
}

ParameterPanel* SurfaceFitExplorer::panel() const {
    return panel_;
}

QWidget* SurfaceFitExplorer::centralWidget() const {
    return central_;
}

void SurfaceFitExplorer::cancel() {
    pictureRunner_.cancel();
    queryRunner_.cancel();
}

void SurfaceFitExplorer::setDataset(std::shared_ptr<const Dataset> dataset) {
    dataset_ = std::move(dataset);
    const auto before = sample_;
    chooseSample();
    if (sample_ && sample_ == before) {
        return; // the built-in sample stays: nothing to redo
    }
    startFromNewSample();
}

void SurfaceFitExplorer::chooseSample() {
    const std::string source = panel_->values().choice("data");
    sampleProblem_.clear();
    const bool dataHaveTarget = dataset_ && dataset_->target.has_value();
    if (const auto surface = builtInSurfaceOf(source)) {
        sample_ = builtInSample(*surface);
        return;
    }
    if (source == sourceAuto && !dataHaveTarget) {
        sample_ = builtInSample(builtInSurfaces.front());
        return;
    }
    if (!dataset_) {
        sample_.reset();
        sampleProblem_ = tr("The Data explorer has no data yet.").toStdString();
        return;
    }
    SurfaceSampleOrProblem read = surfaceSampleFrom(*dataset_);
    sample_ = std::move(read.sample);
    if (!sample_) {
        sampleProblem_ = tr("%1 The picture shows the last surface that worked.")
                             .arg(QString::fromStdString(read.problem))
                             .toStdString();
    }
}

// New data: x* goes to the data point nearest their centre (inside the data, so that every kernel has
// support there), the view is framed anew and h starts from Scott's rule.
void SurfaceFitExplorer::startFromNewSample() {
    jobProblem_.clear();
    if (!sample_) {
        // The last good picture stays; a job still under way was for other data.
        pictureRunner_.cancel();
        ++latestPicture_;
        showMessages();
        updateFormula();
        return;
    }
    const Eigen::RowVector2d centre = sample_->points.colwise().mean();
    Eigen::Index nearest = 0;
    (sample_->points.rowwise() - centre).rowwise().squaredNorm().minCoeff(&nearest);
    queryPosition_ = sample_->points.row(nearest).transpose();
    reframePending_ = true;
    requestPicture(std::string(scottRule));
}

void SurfaceFitExplorer::useScottBandwidth() {
    requestPicture(std::string(scottRule));
}

void SurfaceFitExplorer::useCrossValidatedBandwidth() {
    requestPicture(std::string(crossValidationRule));
}

void SurfaceFitExplorer::setQueryPoint(const Eigen::Vector2d& position) {
    if (!position.allFinite()) {
        return;
    }
    queryPosition_ = position;
    requestQuery();
}

bool SurfaceFitExplorer::eventFilter(QObject* watched, QEvent* event) {
    if (watched == central_ && event->type() == QEvent::Show && ruleWaitingForShow_) {
        const std::string rule = *ruleWaitingForShow_;
        ruleWaitingForShow_.reset();
        if (!sample_) {
            chooseSample();
        }
        if (!queryPosition_ && sample_) {
            startFromNewSample();
        } else {
            requestPicture(rule);
        }
    }
    if (watched == view_ && (handleMouse(event) || handleKey(event))) {
        return true;
    }
    return Explorer::eventFilter(watched, event);
}

// The left button belongs to x*: a press in the frame moves it there and a drag carries it. The view never
// sees those events, so it does not pan; the middle button and the wheel still do.
bool SurfaceFitExplorer::handleMouse(QEvent* event) {
    const auto type = event->type();
    if (type != QEvent::MouseButtonPress && type != QEvent::MouseMove && type != QEvent::MouseButtonRelease) {
        return false;
    }
    const auto* mouse = static_cast<QMouseEvent*>(event);
    if (type == QEvent::MouseButtonPress) {
        if (mouse->button() != Qt::LeftButton || mouse->modifiers() != Qt::NoModifier || !picture_ ||
            !view_->frameRect().contains(mouse->position())) {
            return false;
        }
        draggingQuery_ = true;
        view_->setFocus();
    } else if (!draggingQuery_) {
        return false;
    }
    if (type == QEvent::MouseButtonRelease) {
        if (mouse->button() != Qt::LeftButton) {
            return false;
        }
        draggingQuery_ = false;
    }
    setQueryPoint(view_->displayToData(mouse->position()));
    return true;
}

bool SurfaceFitExplorer::handleKey(QEvent* event) {
    if (event->type() != QEvent::KeyPress || !picture_ || !queryPosition_) {
        return false;
    }
    const int key = static_cast<QKeyEvent*>(event)->key();
    const double stepX1 = keyStepFraction * (picture_->x1Nodes.maxCoeff() - picture_->x1Nodes.minCoeff());
    const double stepX2 = keyStepFraction * (picture_->x2Nodes.maxCoeff() - picture_->x2Nodes.minCoeff());
    Eigen::Vector2d step = Eigen::Vector2d::Zero();
    switch (key) {
    case Qt::Key_Left:
        step.x() = -stepX1;
        break;
    case Qt::Key_Right:
        step.x() = stepX1;
        break;
    case Qt::Key_Down:
        step.y() = -stepX2;
        break;
    case Qt::Key_Up:
        step.y() = stepX2;
        break;
    default:
        return false;
    }
    setQueryPoint(*queryPosition_ + step);
    return true;
}

void SurfaceFitExplorer::onParameterChanging(const QString& name, const ParameterValue&) {
    // Only h has a slider worth previewing; each step of the drag asks for a new surface and supersedes
    // the one before.
    if (name == QStringLiteral("bandwidth")) {
        requestPicture();
    }
}

void SurfaceFitExplorer::onParameterChanged(const QString& name, const ParameterValue&) {
    if (name == QStringLiteral("data")) {
        chooseSample();
        startFromNewSample();
        return;
    }
    requestPicture();
}

void SurfaceFitExplorer::setBandwidthSilently(double h) {
    ParameterValues values = panel_->values();
    values.set("bandwidth", h);
    panel_->setValues(values);
    chosenBandwidth_ = ChosenBandwidth{h, panel_->values().real("bandwidth")};
}

double SurfaceFitExplorer::currentBandwidth() const {
    const double shown = panel_->values().real("bandwidth");
    return chosenBandwidth_ && chosenBandwidth_->shown == shown ? chosenBandwidth_->exact : shown;
}

void SurfaceFitExplorer::requestPicture(const std::string& bandwidthRule) {
    if (!sample_) {
        showMessages();
        return;
    }
    // Nothing runs for an explorer nobody looks at; the work waits until the explorer is shown.
    if (!central_->isVisible()) {
        if (!ruleWaitingForShow_ || !bandwidthRule.empty()) {
            ruleWaitingForShow_ = bandwidthRule;
        }
        return;
    }
    const ParameterValues values = panel_->values();
    SurfaceRequest request;
    request.sample = sample_;
    request.kernel =
        RadialKernel(parseKernelProfile(values.choice("kernel")).value_or(KernelProfile::Gaussian));
    request.bandwidth = currentBandwidth();
    request.bandwidthRule = bandwidthRule;
    request.method = parseSurfaceMethod(values.choice("method")).value_or(SurfaceMethod::LocalLinear);
    request.gridNodes = values.integer("grid");
    request.query = queryPosition_;
    request.requestNumber = ++latestPicture_;
    sinceChange_.start();
    pictureRunner_.start([request](Progress& progress) { return computeSurfacePicture(request, progress); });
}

void SurfaceFitExplorer::requestQuery() {
    if (!picture_ || !queryPosition_) {
        return;
    }
    const std::uint64_t requestNumber = ++latestQuery_;
    sinceQueryMove_.start();
    queryRunner_.start([picture = picture_, position = *queryPosition_, requestNumber](Progress&) {
        return std::pair{requestNumber, std::make_shared<const QueryReadout>(
                                            readQuery(*picture->regression, *picture->sample, position))};
    });
}

void SurfaceFitExplorer::onPictureFinished(const JobResult& result, double elapsedMilliseconds) {
    emit busyChanged(false);
    emit computeTimeMeasured(elapsedMilliseconds);
    auto picture = result.get<std::shared_ptr<const SurfacePicture>>();
    if (!picture || picture->requestNumber != latestPicture_) {
        return;
    }
    if (currentBandwidth() != picture->bandwidth) {
        setBandwidthSilently(picture->bandwidth); // a rule chose h: the panel shows the value in use
    }
    jobProblem_.clear();
    showPicture(std::move(picture));
}

void SurfaceFitExplorer::onPictureFailed(const QString& message) {
    emit busyChanged(false);
    jobProblem_ = tr("%1 The picture shows the last surface that worked.").arg(message).toStdString();
    showMessages();
}

void SurfaceFitExplorer::onQueryFinished(const JobResult& result) {
    const auto& [requestNumber, readout] =
        result.get<std::pair<std::uint64_t, std::shared_ptr<const QueryReadout>>>();
    if (requestNumber != latestQuery_ || !readout) {
        return;
    }
    query_ = *readout;
    drawQuery();
    updateFormula();
    showMessages();
    emit queryShown(static_cast<double>(sinceQueryMove_.nsecsElapsed()) / 1e6);
}

void SurfaceFitExplorer::showPicture(std::shared_ptr<const SurfacePicture> picture) {
    picture_ = std::move(picture);
    // The readout computed with the surface is current unless x* moved while the surface was computed.
    const bool queryIsCurrent =
        picture_->query && queryPosition_ && picture_->query->position == *queryPosition_;
    ++latestQuery_; // a readout still under way was for the old surface
    query_ = queryIsCurrent ? picture_->query : std::nullopt;
    drawPicture();
    updateFormula();
    showMessages();
    emit dataShown(picture_->sample->points.rows(), 3);
    const double elapsed = static_cast<double>(sinceChange_.nsecsElapsed()) / 1e6;
    emit pictureShown(elapsed);
    if (queryIsCurrent) {
        emit queryShown(elapsed);
    } else {
        requestQuery();
    }
}

void SurfaceFitExplorer::showMessages() {
    QStringList lines;
    for (const std::string* text : {&sampleProblem_, &jobProblem_}) {
        if (!text->empty()) {
            lines << QString::fromStdString(*text);
        }
    }
    if (picture_ && sample_ && picture_->sample == sample_) {
        for (const std::string& note : picture_->notes) {
            lines << QString::fromStdString(note);
        }
    }
    if (query_ && !query_->problem.empty()) {
        lines << QString::fromStdString(query_->problem);
    }
    message_->setText(lines.join(QLatin1Char('\n')));
    message_->setVisible(!lines.isEmpty());
}

QString SurfaceFitExplorer::formulaText() const {
    return formula_->text();
}

QString SurfaceFitExplorer::messageText() const {
    return message_->isVisible() ? message_->text() : QString();
}

void SurfaceFitExplorer::drawPicture() {
    const SurfacePicture& picture = *picture_;
    const SurfaceSample& sample = *picture.sample;
    queryLayers_.clear();
    view_->clearLayers();
    legendNames_.clear();
    const auto name = [this](PlotView2D::LayerId layer, const std::string& text, const Rgb& color) {
        view_->setLayerLegend(layer, {{text, color}});
        legendNames_.push_back(text);
    };
    const AxisRange colors{picture.colorMinimum, picture.colorMaximum};
    const AxisRange x1{picture.x1Nodes(0), picture.x1Nodes(picture.x1Nodes.size() - 1)};
    const AxisRange x2{picture.x2Nodes(0), picture.x2Nodes(picture.x2Nodes.size() - 1)};
    const PlotView2D::LayerId heatmap =
        view_->addScalarField(picture.surface, x1, x2, ColorMap::Viridis, {}, colors);
    view_->setLayerOpacity(heatmap, heatmapOpacity);
    if (picture.noSupportNodes > 0) {
        name(heatmap, "no data in reach: no fit", Rgb(0.6, 0.6, 0.6));
    }
    // Light lines: most of viridis is dark, and the lines must not be mistaken for the black kernel circle.
    const Rgb contourColor(1.0, 1.0, 1.0);
    const PlotView2D::LayerId contours =
        view_->addPolylines(picture.contours, std::vector<Rgb>(picture.contours.size(), contourColor), 1.5);
    view_->setLayerOpacity(contours, 0.7);
    name(contours, "contours of the fit", Rgb(0.75, 0.75, 0.75));

    pictureLegendRows_ = legendNames_.size();
    view_->showColorBar(true, sample.yName);
    view_->showLegend(true);

    const RadialKernel& kernel = picture.regression->settings().kernel;
    view_->setTitle("Fitted " + sample.yName + "(" + sample.x1Name + ", " + sample.x2Name +
                    "): " + surfaceMethodLabel(picture.method) + " · " + std::string(kernel.name()) +
                    " kernel · h = " + number(picture.bandwidth).toStdString());
    view_->setAxisTitles(sample.x1Name, sample.x2Name);
    drawQuery();
    if (reframePending_) {
        view_->resetCamera();
        reframePending_ = false;
    }
    view_->requestRender();
}

void SurfaceFitExplorer::drawQuery() {
    for (const PlotView2D::LayerId layer : queryLayers_) {
        view_->removeLayer(layer);
    }
    queryLayers_.clear();
    legendNames_.resize(std::min(legendNames_.size(), pictureLegendRows_));
    if (!picture_) {
        view_->requestRender();
        return;
    }
    const SurfacePicture& picture = *picture_;
    const SurfaceSample& sample = *picture.sample;
    const Rgb ink = view_->foregroundColor();
    const Rgb paper = view_->backgroundColor();
    const auto label = [this](PlotView2D::LayerId layer, const std::string& text, const Rgb& color) {
        view_->setLayerLegend(layer, {{text, color}});
        legendNames_.push_back(text);
    };
    const auto keep = [&](PlotView2D::LayerId layer, const std::string& text = {}, const Rgb& color = {}) {
        queryLayers_.push_back(layer);
        if (!text.empty()) {
            label(layer, text, color);
        }
    };

    // The data on the same colour scale as the surface: a point that matches its background is one the
    // surface fits, one that stands out is a large residual. The points that weigh at x* are larger as their
    // weight grows (the diameter with √w, so a disc's area follows w): a few size classes, the largest drawn
    // first so that it stays on top.
    const Eigen::Index n = sample.points.rows();
    std::vector<std::vector<Eigen::Index>> classes(weightSizeClasses + 1);
    for (Eigen::Index i = 0; i < n; ++i) {
        const bool weighed = query_ && query_->relativeWeights.size() == n;
        const double weight = weighed ? std::max(0.0, query_->relativeWeights(i)) : 0.0;
        classes[static_cast<std::size_t>(std::lround(std::sqrt(weight) * weightSizeClasses))].push_back(i);
    }
    const AxisRange colors{picture.colorMinimum, picture.colorMaximum};
    const double smallest = dataPointSize(n);
    bool named = false;
    for (int sizeClass = weightSizeClasses; sizeClass >= 0; --sizeClass) {
        const auto& rows = classes[static_cast<std::size_t>(sizeClass)];
        if (rows.empty()) {
            continue;
        }
        Eigen::MatrixX2d points(static_cast<Eigen::Index>(rows.size()), 2);
        Eigen::VectorXd y(points.rows());
        for (std::size_t k = 0; k < rows.size(); ++k) {
            points.row(static_cast<Eigen::Index>(k)) = sample.points.row(rows[k]);
            y(static_cast<Eigen::Index>(k)) = sample.y(rows[k]);
        }
        const double size = smallest + (weightedPointLargest - smallest) * sizeClass / weightSizeClasses;
        const PlotView2D::LayerId layer = addRingedPoints(*view_, points, y, size, colors);
        keep(layer);
        if (sizeClass == 0) {
            label(layer, "data (n = " + std::to_string(n) + "), coloured by " + sample.yName,
                  colorMapAt(ColorMap::Viridis, 0.6));
        } else if (!named) {
            label(layer, "weight at x* (size)", ink);
            named = true;
        }
    }
    if (!query_) {
        view_->requestRender();
        return;
    }
    const QueryReadout& query = *query_;

    // The kernel's reach: a dark line on a light one, visible on every colour of the map.
    const double h = picture.bandwidth;
    const Eigen::MatrixX2d circle = circleAround(query.position, h);
    const PlotView2D::LayerId circleHalo = view_->addPolylines({circle}, {paper}, 7.0);
    view_->setLayerAboveData(circleHalo);
    keep(circleHalo);
    const PlotView2D::LayerId circleLine = view_->addPolylines({circle}, {ink}, 3.5);
    view_->setLayerAboveData(circleLine);
    keep(circleLine, circleLegend(picture.regression->settings().kernel), ink);

    // The uphill direction of the local plane (or of the quadratic's gradient at x*), as long as h.
    if (query.model && query.model->coefficients.size() >= 3) {
        const Eigen::Vector2d gradient(query.model->coefficients(1), query.model->coefficients(2));
        if (gradient.norm() > 0.0 && std::isfinite(gradient.norm())) {
            const auto strokes = arrow(query.position, query.position + h * gradient.normalized());
            const PlotView2D::LayerId arrowHalo = view_->addPolylines(strokes, {paper, paper}, 8.0);
            view_->setLayerAboveData(arrowHalo);
            keep(arrowHalo);
            const PlotView2D::LayerId arrowLine = view_->addPolylines(strokes, {ink, ink}, 4.0);
            view_->setLayerAboveData(arrowLine);
            keep(arrowLine, "uphill on the local model", ink);
        }
    }

    const PlotView2D::LayerId marker = view_->addPoints(query.position.transpose(), {queryMarkerSize, paper});
    view_->setSelection(marker, {0});
    keep(marker, "x*", ink);
    view_->requestRender();
}

void SurfaceFitExplorer::updateFormula() {
    if (!picture_ || !query_) {
        formula_->setText(
            tr("<b>Surface fit:</b> at each target x* = (x<sub>1</sub>, x<sub>2</sub>), fit a small "
               "model to the data weighted by K(x*, x<sub>i</sub>); the surface is the fitted "
               "values ŷ(x*). Click the plot to place x*."));
        return;
    }
    const SurfacePicture& picture = *picture_;
    const SurfaceSample& sample = *picture.sample;
    const QueryReadout& query = *query_;
    QStringList lines;
    QString method = QString::fromStdString(surfaceMethodLabel(picture.method));
    method = method.at(0).toUpper() + method.mid(1);
    lines << tr("<b>%1 at x* = (%2, %3):</b>&nbsp; %4 &nbsp;→&nbsp; ŷ(x*) = β<sub>0</sub>")
                 .arg(method, number(query.position.x()), number(query.position.y()),
                      objective(picture.method));

    if (query.pointsWithWeight == 0) {
        lines << tr("Σw = 0: no point has weight at x*");
    } else {
        const QString sum =
            query.logWeightSum > -700.0
                ? number(query.weightSum())
                : tr("e<sup>%1</sup> (below double precision)").arg(number(query.logWeightSum));
        lines << tr("Σw = %1 &nbsp;·&nbsp; effective number of points (Σw)²/Σw² = %2 &nbsp;·&nbsp; %3 of %4 "
                    "points with w &gt; 0 &nbsp;<small>(w<sub>i</sub> = K(x*, x<sub>i</sub>), K(x, x) = "
                    "1)</small>")
                     .arg(sum, number(query.effectivePointCount))
                     .arg(query.pointsWithWeight)
                     .arg(sample.points.rows());
    }

    if (query.model && query.estimate.hasValue()) {
        QStringList coefficients;
        const LocalSurfaceModel& model = *query.model;
        for (Eigen::Index t = 0; t < model.coefficients.size(); ++t) {
            const auto& exponents = model.exponents[static_cast<std::size_t>(t)];
            const QString meaning = coefficientMeaning(exponents, sample.x1Name, sample.x2Name);
            coefficients << QStringLiteral("%1%2 = %3")
                                .arg(coefficientName(exponents),
                                     meaning.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(meaning),
                                     number(model.coefficients(t)));
        }
        QString fitted = tr("ŷ(x*) = <b>%1</b>").arg(number(query.estimate.value));
        if (query.estimate.status == LocalFitStatus::Regularized) {
            fitted += tr(" &nbsp;(regularized)");
        }
        lines << coefficients.join(QStringLiteral(" &nbsp;·&nbsp; ")) +
                     QStringLiteral(" &nbsp;&nbsp;→&nbsp; ") + fitted;
    } else {
        lines << tr("ŷ(x*): <b>no fit here</b>");
    }
    lines << QStringLiteral("<i>%1</i>").arg(methodSentence(picture.method));
    QString data = tr("Data: %1").arg(html(sample.origin));
    const bool builtIn = dataset_ && panel_->values().choice("data") == sourceAuto && !dataset_->target;
    if (builtIn) {
        data =
            tr("Data: a built-in noisy bump, because the Data explorer's data have no target (choose Data: "
               "'data explorer' to fit their third column on the first two).");
    }
    if (!picture.bandwidthOrigin.empty() && picture.bandwidth == currentBandwidth()) {
        data += QStringLiteral(" &nbsp;·&nbsp; ") + html(picture.bandwidthOrigin);
    }
    lines << QStringLiteral("<small>%1</small>").arg(data);
    formula_->setText(lines.join(QStringLiteral("<br>")));
}

} // namespace locallab
