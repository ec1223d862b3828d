#include "explorers/mean_shift_explorer.hpp"

#include "locallab/meanshift/mean_shift_parameters.hpp"
#include "locallab/widgets/iteration_timeline.hpp"
#include "locallab/widgets/parameter_panel.hpp"

#include <Eigen/Geometry>
#include <QEvent>
#include <QFont>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

namespace locallab {

namespace {

// Parameters whose change needs a new computation; the others only redraw.
const std::set<std::string> computedParameters = {
    "kernel", "bandwidth", "seeding",           "min-bin-freq", "max-iter",      "cluster-all",
    "method", "paths",     "show-vector-field", "show-basins",  "bandwidth-type"};
constexpr int legendModeLimit = 12;
constexpr Eigen::Index autoSeedingPointLimit = 2000;
constexpr double clickTolerancePixels = 4.0;
// How long a dragged slider must rest before the exact job for its value starts.
constexpr int exactDelayWhileDraggingMilliseconds = 120;

Rgb darker(const Rgb& color) {
    return 0.62 * color;
}

Rgb clusterColor(int label) {
    return label >= 0 ? categoricalColor(label) : Rgb(0.55, 0.55, 0.55);
}

QString number(double value) {
    return QString::number(value, 'g', 4);
}

QString vectorText(const Eigen::VectorXd& v) {
    return QStringLiteral("(%1, %2)").arg(number(v[0]), number(v[1]));
}

// Where a seed is at a real-valued iteration, and the part of its stored path behind it.
Eigen::MatrixX2d pathUpTo(const Trajectories& trajectories, Eigen::Index seed, double iteration) {
    const Eigen::MatrixXd stored = trajectories.path(seed);
    const std::vector<int> steps = trajectories.pathSteps(seed);
    Eigen::Index kept = 0;
    while (kept < stored.rows() && steps[static_cast<std::size_t>(kept)] <= iteration) {
        ++kept;
    }
    const bool moving = iteration < trajectories.lastStep(seed);
    Eigen::MatrixX2d path(kept + (moving ? 1 : 0), 2);
    path.topRows(kept) = stored.topRows(kept);
    if (moving) {
        path.row(kept) = trajectories.positionAt(seed, iteration).transpose();
    }
    return path;
}

} // namespace

std::vector<ParameterDescription> MeanShiftExplorer::parameterDescriptions() {
    std::vector<ParameterDescription> descriptions = meanShiftParameters();
    const ParameterDescription method = choiceParameter(
        "method", "Method", {"meanshift", "blurring"}, "meanshift",
        "MeanShift moves seeds over fixed data; blurring MeanShift moves all the points at once, so the data "
        "themselves contract onto the modes.");
    descriptions.insert(descriptions.begin(), method);
    const ParameterDescription bandwidthType = choiceParameter(
        "bandwidth-type", "Bandwidth type", {"fixed", "adaptive"}, "fixed",
        "Fixed: one h everywhere. Adaptive (sample-point, Abramson): every point carries its own "
        "h_i = h·(f̃(x_i)/g)^(−1/2), with f̃ a pilot density at h and g its geometric mean, so kernels widen "
        "in sparse clusters and narrow in dense ones.");
    descriptions.insert(descriptions.begin() + 1, bandwidthType);
    for (ParameterDescription& description : descriptions) {
        if (description.name == "seeding") {
            description.choices.insert(description.choices.begin(), "auto");
            description.defaultChoice = "auto";
            description.help += " Auto seeds every point of data sets up to " +
                                std::to_string(autoSeedingPointLimit) +
                                " points and bins beyond, so that the exact result stays quick.";
        }
    }
    const ParameterDescription paths = integerParameter(
        "paths", "Paths drawn", 10, 20000, 1500,
        "At most this many seeds' paths are drawn (evenly chosen); every seed is still computed.", true);
    descriptions.push_back(paths);
    descriptions.push_back(booleanParameter("show-density", "Density heatmap", true,
                                            "The kernel density estimate under the points, with contours."));
    descriptions.push_back(
        booleanParameter("show-vector-field", "Mean-shift vectors", false,
                         "Arrows of the shift m(x) − x on a grid: for the Gaussian kernel, h²∇log f̂(x)."));
    descriptions.push_back(booleanParameter("show-basins", "Basins of attraction", false,
                                            "Colour the plane by the mode a seed placed there climbs to."));
    return descriptions;
}

MeanShiftExplorer::MeanShiftExplorer(QWidget* widgetParent) : Explorer(widgetParent) {
    central_ = new QWidget(widgetParent);
    view_ = new PlotView2D(central_);
    view_->setAspectMode(PlotView2D::AspectMode::Equal);
    view_->installEventFilter(this);
    central_->installEventFilter(this);
    view_->setToolTip(tr("Click to drop a seed and watch its path; drag to pan, wheel to zoom."));

    badge_ = new QLabel(central_);
    badge_->setObjectName(QStringLiteral("frameKindBadge"));
    message_ = new QLabel(central_);
    message_->setObjectName(QStringLiteral("meanShiftMessage"));
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
    timeline_ = new IterationTimeline(central_);
    timeline_->watchKeysOf(view_);

    auto* header = new QHBoxLayout;
    header->addWidget(badge_);
    header->addWidget(message_, 1);
    auto* layout = new QVBoxLayout(central_);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(header);
    layout->addWidget(view_, 1);
    layout->addWidget(timeline_);
    layout->addWidget(formula_);

    panel_ = new ParameterPanel(parameterDescriptions(), widgetParent);
    for (const auto& [rule, text] : {std::pair{"scott", tr("Scott")}, std::pair{"silverman", tr("Silverman")},
                                     std::pair{"estimate", tr("Estimate")}}) {
        QPushButton* button = panel_->addButton("bandwidth", text);
        button->setObjectName(QStringLiteral("rule_%1").arg(QString::fromLatin1(rule)));
        connect(button, &QPushButton::clicked, this,
                [this, name = std::string(rule)] { requestPicture(name); });
    }
    QPushButton* clearSeeds = panel_->addButton("seeding", tr("Clear dropped seeds"));
    clearSeeds->setObjectName(QStringLiteral("clearDroppedSeeds"));
    connect(clearSeeds, &QPushButton::clicked, this, &MeanShiftExplorer::clearDroppedSeeds);
    connect(panel_, &ParameterPanel::parameterChanging, this, &MeanShiftExplorer::onParameterChanging);
    connect(panel_, &ParameterPanel::parameterChanged, this, &MeanShiftExplorer::onParameterChanged);

    connect(&approximateRunner_, &JobRunner::finished, this,
            [this](quint64, const JobResult& result, double) { onApproximateFinished(result); });
    connect(&exactRunner_, &JobRunner::finished, this,
            [this](quint64, const JobResult& result, double milliseconds) {
                onExactFinished(result, milliseconds);
            });
    connect(&exactRunner_, &JobRunner::failed, this,
            [this](quint64, const QString& message) { onExactFailed(message); });
    connect(&exactRunner_, &JobRunner::progressChanged, this, &Explorer::progressChanged);
    connect(&exactRunner_, &JobRunner::started, this, [this] { emit busyChanged(true); });
    connect(&exactRunner_, &JobRunner::canceled, this, [this] {
        emit busyChanged(false);
        updateBadge();
    });
    exactDelay_ = new QTimer(this);
    exactDelay_->setSingleShot(true);
    exactDelay_->setInterval(exactDelayWhileDraggingMilliseconds);
    connect(exactDelay_, &QTimer::timeout, this, &MeanShiftExplorer::startExactJob);
    connect(timeline_, &IterationTimeline::positionChanged, this, [this](double iteration) {
        drawPathsAt(iteration);
        updateFormula();
    });
    updateBadge();
    updateFormula();
}

std::optional<ResultTable> MeanShiftExplorer::resultTable() const {
    if (!picture_ || !points_ || picture_->result.labels.size() != points_->rows()) {
        return std::nullopt;
    }
    const MeanShiftResult& result = picture_->result;
    const Eigen::MatrixXd& points = *points_;
    const Eigen::Index dimension = points.cols();
    ResultTable table;
    table.description = "one row per data point: its coordinates, its cluster and the mode it climbed to";
    for (Eigen::Index column = 0; column < dimension; ++column) {
        table.header.push_back("x" + std::to_string(column + 1));
    }
    table.header.push_back("cluster");
    for (Eigen::Index column = 0; column < dimension; ++column) {
        table.header.push_back("mode_x" + std::to_string(column + 1));
    }
    table.values.resize(points.rows(), 2 * dimension + 1);
    for (Eigen::Index row = 0; row < points.rows(); ++row) {
        const int label = result.labels(row);
        table.values.row(row).head(dimension) = points.row(row);
        table.values(row, dimension) = label;
        // A point no mode claims (cluster −1) has no mode to write.
        table.values.row(row).tail(dimension) = label >= 0 && label < result.modes.rows()
                                                    ? Eigen::RowVectorXd(result.modes.row(label))
                                                    : Eigen::RowVectorXd::Constant(dimension, std::nan(""));
    }
    return table;
}

QString MeanShiftExplorer::title() const {
    return tr("Density & MeanShift");
}
VtkView* MeanShiftExplorer::view() const {
    return view_;
}
ParameterPanel* MeanShiftExplorer::panel() const {
    return panel_;
}
QWidget* MeanShiftExplorer::centralWidget() const {
    return central_;
}

void MeanShiftExplorer::cancel() {
    exactDelay_->stop();
    pendingExactRequest_.reset();
    approximateRunner_.cancel();
    exactRunner_.cancel();
}

void MeanShiftExplorer::setDataset(std::shared_ptr<const Dataset> dataset) {
    if (!dataset || dataset->empty()) {
        return;
    }
    if (dataset->dimension() < 2) {
        showMessage(tr("MeanShift here draws two columns, and these data have one. Open or generate data "
                       "with at least two columns."));
        return;
    }
    points_ = std::make_shared<const Eigen::MatrixXd>(dataset->points.leftCols(2));
    xName_ = dataset->columnNames.size() > 0 ? dataset->columnNames[0] : "x";
    yName_ = dataset->columnNames.size() > 1 ? dataset->columnNames[1] : "y";
    droppedSeeds_.clear();
    reframePending_ = true;
    lastRequestedValues_.reset();
    // Nothing runs for an explorer nobody looks at: a large file opened in the Data explorer must not
    // start a long MeanShift behind the user's back. The work waits until the explorer is shown.
    if (central_->isVisible()) {
        requestPicture("scott");
    } else {
        ruleWaitingForShow_ = "scott";
    }
}

void MeanShiftExplorer::dropSeed(const Eigen::Vector2d& position) {
    if (!position.allFinite()) {
        return;
    }
    droppedSeeds_.push_back(position);
    lastRequestedValues_.reset();
    requestPicture();
}

void MeanShiftExplorer::clearDroppedSeeds() {
    if (droppedSeeds_.empty()) {
        return;
    }
    droppedSeeds_.clear();
    lastRequestedValues_.reset();
    requestPicture();
}

bool MeanShiftExplorer::eventFilter(QObject* watched, QEvent* event) {
    if (watched == central_ && event->type() == QEvent::Show && ruleWaitingForShow_) {
        const std::string rule = *ruleWaitingForShow_;
        ruleWaitingForShow_.reset();
        requestPicture(rule);
    }
    if (watched == view_ && event->type() == QEvent::MouseButtonPress) {
        const auto* mouse = static_cast<QMouseEvent*>(event);
        pressPosition_.reset();
        if (mouse->button() == Qt::LeftButton && mouse->modifiers() == Qt::NoModifier) {
            pressPosition_ = mouse->position();
        }
    } else if (watched == view_ && event->type() == QEvent::MouseButtonRelease && pressPosition_) {
        const auto* mouse = static_cast<QMouseEvent*>(event);
        // A press and release in one place is a click; anything longer was a pan.
        const QPointF moved = mouse->position() - *pressPosition_;
        pressPosition_.reset();
        if (mouse->button() == Qt::LeftButton && std::hypot(moved.x(), moved.y()) <= clickTolerancePixels &&
            view_->frameRect().contains(mouse->position())) {
            dropSeed(view_->displayToData(mouse->position()));
        }
    }
    return Explorer::eventFilter(watched, event);
}

void MeanShiftExplorer::onParameterChanging(const QString& name, const ParameterValue&) {
    if (computedParameters.count(name.toStdString()) != 0) {
        requestPicture({}, Urgency::WhileDragging);
    } else {
        drawPicture(false);
    }
}

void MeanShiftExplorer::onParameterChanged(const QString& name, const ParameterValue&) {
    if (computedParameters.count(name.toStdString()) != 0) {
        requestPicture({}, Urgency::Now);
    } else {
        drawPicture(false);
    }
}

void MeanShiftExplorer::requestPicture(const std::string& bandwidthRule, Urgency urgency) {
    if (!points_) {
        return;
    }
    const ParameterValues values = panel_->values();
    // A slider released where it was last dragged to asks for what is already on its way; only the exact
    // job that waited for the drag to pause is started now.
    if (bandwidthRule.empty() && lastRequestedValues_ && *lastRequestedValues_ == values) {
        if (urgency == Urgency::Now && exactDelay_->isActive()) {
            exactDelay_->stop();
            startExactJob();
        }
        return;
    }
    MeanShiftRequest request;
    ParameterValues resolved = values;
    if (values.choice("seeding") == "auto") {
        resolved.set("seeding", std::string(points_->rows() <= autoSeedingPointLimit ? "points" : "bins"));
    }
    try {
        request.options = meanShiftOptionsFrom(resolved);
    } catch (const std::exception& problem) {
        showMessage(QString::fromStdString(problem.what()));
        return;
    }
    lastRequestedValues_ = values;
    request.points = points_;
    request.bandwidthRule = bandwidthRule;
    request.blurring = values.choice("method") == "blurring";
    request.adaptive = values.choice("bandwidth-type") == "adaptive";
    request.vectorField = values.boolean("show-vector-field");
    request.basins = values.boolean("show-basins");
    request.drawnPathLimit = values.integer("paths");
    request.droppedSeeds = droppedSeeds_;
    request.requestNumber = ++latestRequest_;
    sinceChange_.start();

    approximateRunner_.start(
        [request](Progress& progress) { return computeApproximatePicture(request, progress); });
    pendingExactRequest_ = request;
    if (urgency == Urgency::WhileDragging) {
        // While the slider moves, the approximate job gets the machine: the exact one for an old value
        // is stopped, and the new one waits until the hand rests.
        exactRunner_.cancel();
        exactDelay_->start();
    } else {
        exactDelay_->stop();
        startExactJob();
    }
    updateBadge();
}

void MeanShiftExplorer::startExactJob() {
    if (!pendingExactRequest_) {
        return;
    }
    const MeanShiftRequest request = *pendingExactRequest_;
    pendingExactRequest_.reset();
    exactRunner_.start([request](Progress& progress) { return computeExactPicture(request, progress); });
    updateBadge();
}

void MeanShiftExplorer::onApproximateFinished(const JobResult& result) {
    auto picture = result.get<std::shared_ptr<const MeanShiftPicture>>();
    // Too late: the exact picture of the same request is already on screen.
    if (!picture || picture->requestNumber != latestRequest_ ||
        (picture_ && picture_->exact && picture_->requestNumber == picture->requestNumber)) {
        return;
    }
    showPicture(std::move(picture));
}

void MeanShiftExplorer::onExactFinished(const JobResult& result, double elapsedMilliseconds) {
    auto picture = result.get<std::shared_ptr<const MeanShiftPicture>>();
    emit busyChanged(false);
    emit computeTimeMeasured(elapsedMilliseconds);
    if (picture->requestNumber != latestRequest_) {
        return;
    }
    approximateRunner_.cancel();
    if (panel_->values().real("bandwidth") != picture->bandwidth) {
        // A rule chose h: the panel shows the value in use.
        ParameterValues values = panel_->values();
        values.set("bandwidth", picture->bandwidth);
        panel_->setValues(values);
        lastRequestedValues_ = panel_->values();
    }
    showPicture(std::move(picture));
}

void MeanShiftExplorer::onExactFailed(const QString& message) {
    emit busyChanged(false);
    approximateRunner_.cancel();
    showMessage(tr("%1. The picture shows the last result that worked.").arg(message));
    updateBadge();
}

void MeanShiftExplorer::showMessage(const QString& message, MessageKind kind) {
    // A problem is red and bold; a note about the picture (a rule that could not be used, seeds thinned
    // for drawing) is quiet grey.
    message_->setStyleSheet(kind == MessageKind::Problem
                                ? QStringLiteral("color: #b00020; font-weight: bold;")
                                : QStringLiteral("color: #555555;"));
    message_->setText(message);
    message_->setVisible(!message.isEmpty());
}

void MeanShiftExplorer::showPicture(std::shared_ptr<const MeanShiftPicture> picture) {
    const bool firstPicture = !picture_;
    picture_ = std::move(picture);
    showMessage(QString::fromStdString(picture_->note), MessageKind::Note);
    const int lastIteration = [this] {
        int last = 0;
        for (const Eigen::Index seed : picture_->drawnSeeds) {
            last = std::max(last, picture_->result.trajectories.lastStep(seed));
        }
        for (const SeedSteps& seed : picture_->droppedSeeds) {
            last = std::max(last, static_cast<int>(seed.steps.size()) - 1);
        }
        return last;
    }();
    const bool wasAtEnd = firstPicture || timeline_->position() >= timeline_->lastIteration();
    {
        // drawPicture below draws the paths at the new position; the timeline need not draw them first.
        const QSignalBlocker quiet(timeline_);
        timeline_->setLastIteration(lastIteration);
        if (wasAtEnd && !timeline_->isPlaying()) {
            timeline_->setPosition(lastIteration);
        }
    }
    drawPicture(reframePending_);
    reframePending_ = false;
    updateBadge();
    emit dataShown(points_->rows(), points_->cols());
    emit pictureShown(picture_->exact, static_cast<double>(sinceChange_.nsecsElapsed()) / 1e6);
}

void MeanShiftExplorer::drawPicture(bool reframe) {
    if (!picture_) {
        return;
    }
    const MeanShiftPicture& picture = *picture_;
    const ParameterValues values = panel_->values();
    timelineLayers_.clear();
    view_->clearLayers();
    view_->showColorBar(false);
    if (values.boolean("show-density")) {
        drawDensity(picture);
    }
    if (picture.basins) {
        const Eigen::MatrixXi cells = picture.basins->modeIndex.transpose();
        view_->addLabelField(cells, {picture.basins->xMinimum, picture.basins->xMaximum},
                             {picture.basins->yMinimum, picture.basins->yMaximum}, 0.3);
    }
    drawArrows(picture);

    const auto modeCount = static_cast<int>(picture.result.modes.rows());
    PlotView2D::PointStyle dataStyle;
    dataStyle.size = points_->rows() > 5000 ? 3.0 : (points_->rows() > 1000 ? 4.5 : 6.0);
    const PlotView2D::LayerId dataLayer = view_->addPoints(*points_, dataStyle);
    std::vector<std::string> names;
    for (int m = 0; m < modeCount; ++m) {
        names.push_back("mode " + std::to_string(m + 1) + " (" +
                        std::to_string(picture.result.modeStrength[m]) + " within h)");
    }
    view_->setPointColorsByLabel(dataLayer, picture.result.labels, names);
    view_->showLegend(modeCount <= legendModeLimit);
    drawPathsAt(timeline_->position());

    std::string title = picture.blurring ? "Blurring MeanShift" : "MeanShift";
    title += " · " + std::string(kernelProfileName(*parseKernelProfile(values.choice("kernel")))) +
             " kernel · " +
             (picture.bandwidthScales.size() > 0
                  ? "adaptive h_i from " +
                        number(picture.bandwidth * picture.bandwidthScales.minCoeff()).toStdString() +
                        " to " + number(picture.bandwidth * picture.bandwidthScales.maxCoeff()).toStdString()
                  : "h = " + number(picture.bandwidth).toStdString()) +
             " · " + std::to_string(modeCount) + (modeCount == 1 ? " mode" : " modes");
    view_->setTitle(title);
    view_->setAxisTitles(xName_, yName_);
    if (reframe) {
        view_->resetCamera();
    }
    view_->requestRender();
}

void MeanShiftExplorer::drawDensity(const MeanShiftPicture& picture) {
    const DensityGrid& density = picture.density;
    if (density.axes.size() != 2 || density.values.size() == 0) {
        return;
    }
    const Eigen::Map<const Eigen::MatrixXd> field(density.values.data(), density.axes[0].size,
                                                  density.axes[1].size);
    const double peak = field.maxCoeff();
    std::vector<double> levels;
    if (peak > 0.0) {
        for (const double fraction : {0.05, 0.15, 0.3, 0.5, 0.7, 0.9}) {
            levels.push_back(fraction * peak);
        }
    }
    const PlotView2D::LayerId layer =
        view_->addScalarField(field, {density.axes[0].minimum, density.axes[0].maximum},
                              {density.axes[1].minimum, density.axes[1].maximum}, ColorMap::Greys, levels,
                              AxisRange{0.0, std::max(peak, 1e-300)});
    (void)layer;
    view_->showColorBar(true, "density f(x)");
}

void MeanShiftExplorer::drawArrows(const MeanShiftPicture& picture) {
    if (picture.arrows.empty() || picture.density.axes.size() != 2) {
        return;
    }
    double longest = 0.0;
    for (const ShiftArrow& arrow : picture.arrows) {
        longest = std::max(longest, arrow.shift.norm());
    }
    if (!(longest > 0.0)) {
        return;
    }
    const double cell = std::min(picture.density.axes[0].maximum - picture.density.axes[0].minimum,
                                 picture.density.axes[1].maximum - picture.density.axes[1].minimum) /
                        21.0;
    std::vector<Eigen::MatrixX2d> strokes;
    for (const ShiftArrow& arrow : picture.arrows) {
        const double length = arrow.shift.norm();
        if (!(length > 0.0)) {
            continue;
        }
        // Square-root lengths keep the short arrows near the modes visible beside the long ones outside.
        const Eigen::Vector2d direction = arrow.shift / length;
        const Eigen::Vector2d tip = arrow.tail + 0.9 * cell * std::sqrt(length / longest) * direction;
        const double head = 0.28 * (tip - arrow.tail).norm();
        const Eigen::Rotation2Dd left(2.6);
        const Eigen::Rotation2Dd right(-2.6);
        Eigen::MatrixX2d stroke(2, 2);
        stroke << arrow.tail.transpose(), tip.transpose();
        Eigen::MatrixX2d arrowHead(3, 2);
        arrowHead << (tip + head * (left * direction)).transpose(), tip.transpose(),
            (tip + head * (right * direction)).transpose();
        strokes.push_back(stroke);
        strokes.push_back(arrowHead);
    }
    const Rgb color = 0.5 * Rgb(view_->foregroundColor()) + 0.5 * Rgb(view_->backgroundColor());
    view_->addPolylines(strokes, std::vector<Rgb>(strokes.size(), color), 1.3);
}

void MeanShiftExplorer::drawPathsAt(double iteration) {
    if (!picture_) {
        return;
    }
    for (const PlotView2D::LayerId layer : timelineLayers_) {
        view_->removeLayer(layer);
    }
    timelineLayers_.clear();
    const MeanShiftPicture& picture = *picture_;
    const Trajectories& trajectories = picture.result.trajectories;
    const Rgb foreground = view_->foregroundColor();

    std::vector<Eigen::MatrixX2d> paths;
    std::vector<Rgb> colors;
    std::vector<Eigen::Vector2d> heads;
    for (const Eigen::Index seed : picture.drawnSeeds) {
        if (seed >= trajectories.seedCount()) {
            continue;
        }
        paths.push_back(pathUpTo(trajectories, seed, iteration));
        colors.push_back(darker(clusterColor(picture.result.seedLabels[seed])));
        if (iteration < trajectories.lastStep(seed)) {
            heads.push_back(paths.back().bottomRows<1>().transpose());
        }
    }
    if (!paths.empty()) {
        timelineLayers_.push_back(view_->addPolylines(paths, colors, paths.size() > 3000 ? 0.8 : 1.3));
    }
    if (!heads.empty()) {
        Eigen::MatrixX2d headRows(static_cast<Eigen::Index>(heads.size()), 2);
        for (std::size_t k = 0; k < heads.size(); ++k) {
            headRows.row(static_cast<Eigen::Index>(k)) = heads[k].transpose();
        }
        timelineLayers_.push_back(view_->addPoints(headRows, {4.0, foreground}));
    }

    // Dropped seeds: bold paths, a marker where they started and one where they are now.
    std::vector<Eigen::MatrixX2d> droppedPaths;
    Eigen::MatrixX2d starts(static_cast<Eigen::Index>(picture.droppedSeeds.size()), 2);
    Eigen::MatrixX2d nows(starts.rows(), 2);
    for (std::size_t s = 0; s < picture.droppedSeeds.size(); ++s) {
        const auto& steps = picture.droppedSeeds[s].steps;
        const double last = static_cast<double>(steps.size() - 1);
        const double t = std::min(iteration, last);
        const auto whole = static_cast<std::size_t>(std::floor(t));
        Eigen::MatrixX2d path(static_cast<Eigen::Index>(whole + 2), 2);
        for (std::size_t k = 0; k <= whole; ++k) {
            path.row(static_cast<Eigen::Index>(k)) = steps[k].position.transpose();
        }
        const std::size_t next = std::min(whole + 1, steps.size() - 1);
        const double fraction = t - static_cast<double>(whole);
        const Eigen::Vector2d now =
            (1.0 - fraction) * steps[whole].position + fraction * steps[next].position;
        path.row(static_cast<Eigen::Index>(whole + 1)) = now.transpose();
        droppedPaths.push_back(path);
        starts.row(static_cast<Eigen::Index>(s)) = steps.front().position.transpose();
        nows.row(static_cast<Eigen::Index>(s)) = now.transpose();
    }
    if (!droppedPaths.empty()) {
        timelineLayers_.push_back(
            view_->addPolylines(droppedPaths, std::vector<Rgb>(droppedPaths.size(), foreground), 3.5));
        timelineLayers_.push_back(view_->addPoints(starts, {9.0, foreground}));
        const PlotView2D::LayerId current = view_->addPoints(nows, {12.0, foreground});
        timelineLayers_.push_back(current);
    }
    drawModes(picture);
    view_->requestRender();
}

void MeanShiftExplorer::drawModes(const MeanShiftPicture& picture) {
    const Eigen::MatrixXd& modes = picture.result.modes;
    if (modes.rows() == 0) {
        return;
    }
    const Eigen::MatrixX2d modeRows = modes.leftCols(2);
    // Each mode in its cluster's colour inside a dark ring (the selection ring, drawn above the data).
    const auto ringed = [this](const Eigen::MatrixX2d& rows, const Rgb& color) {
        const PlotView2D::LayerId layer = view_->addPoints(rows, {16.0, color});
        std::vector<Eigen::Index> all(static_cast<std::size_t>(rows.rows()));
        std::iota(all.begin(), all.end(), Eigen::Index(0));
        view_->setSelection(layer, all);
        timelineLayers_.push_back(layer);
    };
    if (modes.rows() <= legendModeLimit) {
        for (Eigen::Index m = 0; m < modes.rows(); ++m) {
            ringed(modeRows.row(m), clusterColor(static_cast<int>(m)));
        }
    } else {
        ringed(modeRows, Rgb(1.0, 1.0, 1.0));
    }
}

QString MeanShiftExplorer::formulaText() const {
    return formula_->text();
}

QString MeanShiftExplorer::messageText() const {
    return message_->isVisible() ? message_->text() : QString();
}

void MeanShiftExplorer::updateFormula() {
    const QString rule =
        tr("<b>MeanShift step:</b>&nbsp; x ← Σ<sub>i</sub> g(‖x − x<sub>i</sub>‖²/h²)·x<sub>i</sub> ⁄ "
           "Σ<sub>i</sub> g(‖x − x<sub>i</sub>‖²/h²), with g = −k′ the shadow of the kernel k. "
           "The shift m(x) − x points up the density: for the Gaussian it is h²∇log f(x).");
    if (!picture_) {
        formula_->setText(rule);
        return;
    }
    const MeanShiftPicture& picture = *picture_;
    if (picture.blurring) {
        formula_->setText(rule + tr("<br><b>Blurring:</b> every point takes this step at once, and the moved "
                                    "points are the data of the next step, so the cloud itself contracts "
                                    "onto the modes (%1 steps).")
                                     .arg(picture.result.iterations));
        return;
    }
    const SeedSteps* seed = nullptr;
    QString which;
    if (!picture.droppedSeeds.empty()) {
        seed = &picture.droppedSeeds.back();
        which = tr("your seed %1 of %2").arg(picture.droppedSeeds.size()).arg(picture.droppedSeeds.size());
    } else if (!picture.featuredSeed.steps.empty()) {
        seed = &picture.featuredSeed;
        which = tr("the seed with the longest path (click the plot to drop your own)");
    }
    if (!seed) {
        formula_->setText(rule);
        return;
    }
    const auto lastStep = static_cast<int>(seed->steps.size()) - 1;
    const int shown = std::clamp(static_cast<int>(std::floor(timeline_->position() + 1e-9)), 0, lastStep);
    const MeanShiftStep& step = seed->steps[static_cast<std::size_t>(shown)];
    const QString weightSum =
        step.logWeightSum > -700.0
            ? number(std::exp(step.logWeightSum))
            : tr("e<sup>%1</sup> (below double precision; the weights are kept as logarithms)")
                  .arg(number(step.logWeightSum));
    const QString lines =
        tr("%1<br><b>%2</b>, iteration %3 of %4:&nbsp; x = %5 &nbsp;·&nbsp; Σ g = %6 &nbsp;·&nbsp; %7 points "
           "within h "
           "&nbsp;·&nbsp; effective number of points %8<br>m(x) = %9 &nbsp;·&nbsp; shift m(x) − x = %10, "
           "length %11 "
           "&nbsp;(a seed stops once a step is ≤ 10<sup>−3</sup>·h = %12)%13")
            .arg(rule, which)
            .arg(shown)
            .arg(lastStep)
            .arg(vectorText(step.position), weightSum)
            .arg(step.pointsWithinBandwidth)
            .arg(number(step.effectivePointCount), vectorText(step.localMean), vectorText(step.shift),
                 number(step.shift.norm()), number(1e-3 * picture.bandwidth),
                 seed->label >= 0 ? tr(" &nbsp;→ reaches mode %1").arg(seed->label + 1)
                                  : tr(" &nbsp;→ reaches no mode within h"));
    formula_->setText(lines + threeWaysText(*seed, static_cast<std::size_t>(shown), picture.bandwidth));
}

QString MeanShiftExplorer::threeWaysText(const SeedSteps& seed, std::size_t step, double h) const {
    if (step >= seed.threeWays.size()) {
        return {};
    }
    const ThreeWaysOfOneStep& ways = seed.threeWays[step];
    const double disagreement =
        std::max((ways.tweedie - ways.meanShift).norm(), (ways.attention - ways.meanShift).norm());
    return tr("<br><b>The same step three ways</b> (h = %1): MeanShift m(x) = %2 &nbsp;·&nbsp; Tweedie's "
              "denoiser x + h²∇log f̂(x) = %3 &nbsp;·&nbsp; attention of the query x over the data, "
              "Gaussian kernel at τ = h²: %4 &nbsp;(largest difference %5)")
        .arg(number(h), vectorText(ways.meanShift), vectorText(ways.tweedie), vectorText(ways.attention),
             QString::number(disagreement, 'g', 2));
}

void MeanShiftExplorer::updateBadge() {
    const bool computing = exactRunner_.isRunning() || exactDelay_->isActive();
    QString text;
    QString color;
    if (!picture_) {
        text = computing ? tr("Computing…") : tr("No data yet");
        color = QStringLiteral("#777777");
    } else if (!picture_->exact) {
        text = tr("Approximate (binned field) — exact result on its way");
        color = QStringLiteral("#c25400");
    } else if (computing) {
        text = tr("Exact, for the previous parameters — computing the new result…");
        color = QStringLiteral("#777777");
    } else {
        text = tr("Exact");
        color = QStringLiteral("#1b7f3b");
    }
    badge_->setText(text);
    badge_->setProperty("exact", picture_ && picture_->exact && !computing);
    badge_->setStyleSheet(QStringLiteral("QLabel { color: white; background: %1; border-radius: 4px; "
                                         "padding: 3px 8px; font-weight: bold; }")
                              .arg(color));
    updateFormula();
}

} // namespace locallab
