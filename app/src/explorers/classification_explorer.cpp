#include "explorers/classification_explorer.hpp"

#include "locallab/kernel/bandwidth_rules.hpp"
#include "locallab/local/kernel_classifier_parameters.hpp"
#include "locallab/widgets/parameter_panel.hpp"

#include <QEvent>
#include <QFont>
#include <QFontMetrics>
#include <QLabel>
#include <QMouseEvent>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

namespace locallab {

namespace {

constexpr int legendClassLimit = 12;
constexpr int formulaLines = 5; // the rule, x* and the class, the probabilities, the weights; one to wrap
// The plane is tinted in bands of the predicted class's posterior: the surer, the stronger the colour.
// A band is a label field of its own, since a label field has one opacity.
constexpr std::array<double, 4> confidenceBandOpacities = {0.10, 0.2, 0.32, 0.45};
// A radial kernel's points are ringed at x* from this fraction of the heaviest weight up.
constexpr double ringedWeightFraction = 0.1;

QString number(double value) {
    return QString::number(value, 'g', 4);
}

bool isNearestNeighbors(const KernelClassifierSettings& settings) {
    return settings.weighting == KernelClassifierSettings::Weighting::NearestNeighbors;
}

std::vector<Eigen::Index> heavyPoints(const TargetReadout& readout,
                                      const KernelClassifierSettings& settings) {
    const SmootherWeights& weights = readout.weights;
    if (isNearestNeighbors(settings) || weights.weights.empty()) {
        return weights.indices;
    }
    const double heaviest = *std::max_element(weights.weights.begin(), weights.weights.end());
    std::vector<Eigen::Index> heavy;
    for (std::size_t k = 0; k < weights.indices.size(); ++k) {
        if (weights.weights[k] >= ringedWeightFraction * heaviest) {
            heavy.push_back(weights.indices[k]);
        }
    }
    return heavy;
}

} // namespace

std::vector<ParameterDescription> ClassificationExplorer::parameterDescriptions() {
    std::vector<ParameterDescription> descriptions = kernelClassifierParameters();
    descriptions.push_back(integerParameter(
        "grid", "Grid resolution", 20, 400, 120,
        "The posterior is evaluated on this many nodes per axis; finer grids draw smoother boundaries."));
    return descriptions;
}

ClassificationExplorer::ClassificationExplorer(QWidget* widgetParent) : Explorer(widgetParent) {
    central_ = new QWidget(widgetParent);
    central_->installEventFilter(this);
    view_ = new PlotView2D(central_);
    view_->setAspectMode(PlotView2D::AspectMode::Equal);
    view_->installEventFilter(this);
    view_->setToolTip(tr("Click or drag to move x* and read its class probabilities. Middle-drag pans, the "
                         "wheel zooms."));

    message_ = new QLabel(central_);
    message_->setObjectName(QStringLiteral("classificationMessage"));
    message_->setWordWrap(true);
    message_->setStyleSheet(QStringLiteral("color: #b00020; font-weight: bold;"));
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
    // Room for the rule and a readout from the start, so that the plot keeps its size (and its framing)
    // while x* is dragged and the readout's lines come and go.
    formula_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    formula_->setMinimumHeight(QFontMetrics(formulaFont).lineSpacing() * formulaLines + 10);

    auto* layout = new QVBoxLayout(central_);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(message_);
    layout->addWidget(view_, 1);
    layout->addWidget(formula_);

    panel_ = new ParameterPanel(parameterDescriptions(), widgetParent);
    QPushButton* scott = panel_->addButton("bandwidth", tr("Scott"));
    scott->setObjectName(QStringLiteral("rule_scott"));
    connect(scott, &QPushButton::clicked, this, &ClassificationExplorer::useScottBandwidth);
    connect(panel_, &ParameterPanel::parameterChanging, this, &ClassificationExplorer::onParameterChanging);
    connect(panel_, &ParameterPanel::parameterChanged, this, &ClassificationExplorer::onParameterChanged);

    connect(
        &runner_, &JobRunner::finished, this,
        [this](quint64, const JobResult& result, double milliseconds) { onFinished(result, milliseconds); });
    connect(&runner_, &JobRunner::failed, this,
            [this](quint64, const QString& message) { onFailed(message); });
    connect(&runner_, &JobRunner::progressChanged, this, &Explorer::progressChanged);
    connect(&targetRunner_, &JobRunner::finished, this,
            [this](quint64, const JobResult& result, double) { onTargetFinished(result); });
    connect(&targetRunner_, &JobRunner::failed, this, [this](quint64, const QString& message) {
        showMessage(tr("%1. The readout at x* could not be computed.").arg(message));
    });
    connect(&runner_, &JobRunner::started, this, [this] { emit busyChanged(true); });
    connect(&runner_, &JobRunner::canceled, this, [this] { emit busyChanged(false); });
    updateFormula();
}

std::optional<ResultTable> ClassificationExplorer::resultTable() const {
    if (!picture_ || !data_ || picture_->predicted.size() == 0) {
        return std::nullopt;
    }
    const ClassificationPicture& picture = *picture_;
    const Eigen::Index columns = picture.predicted.rows(); // nodes along x
    const Eigen::Index rows = picture.predicted.cols();    // nodes along y
    const auto along = [](double minimum, double maximum, Eigen::Index count, Eigen::Index i) {
        return count > 1
                   ? minimum + (maximum - minimum) * static_cast<double>(i) / static_cast<double>(count - 1)
                   : minimum;
    };
    ResultTable table;
    table.description = "one row per node of the decision grid: x, y, the predicted class and its posterior";
    table.header = {"x", "y", "class", "confidence"};
    table.textHeader = "class_name";
    table.values.resize(columns * rows, 4);
    table.texts.reserve(static_cast<std::size_t>(columns * rows));
    Eigen::Index row = 0;
    for (Eigen::Index j = 0; j < rows; ++j) {
        for (Eigen::Index i = 0; i < columns; ++i, ++row) {
            const int predicted = picture.predicted(i, j);
            table.values.row(row) << along(picture.xMinimum, picture.xMaximum, columns, i),
                along(picture.yMinimum, picture.yMaximum, rows, j), predicted, picture.confidence(i, j);
            const bool named =
                predicted >= 0 && static_cast<std::size_t>(predicted) < data_->classNames.size();
            table.texts.push_back(named ? data_->classNames[static_cast<std::size_t>(predicted)]
                                        : std::string());
        }
    }
    return table;
}

QString ClassificationExplorer::title() const {
    return tr("Classification");
}
VtkView* ClassificationExplorer::view() const {
    return view_;
}
ParameterPanel* ClassificationExplorer::panel() const {
    return panel_;
}
QWidget* ClassificationExplorer::centralWidget() const {
    return central_;
}

void ClassificationExplorer::cancel() {
    runner_.cancel();
    targetRunner_.cancel();
}

void ClassificationExplorer::setDataset(std::shared_ptr<const Dataset> dataset) {
    if (!dataset) {
        return;
    }
    ClassificationDataOrProblem read = classificationDataFrom(*dataset);
    runner_.cancel();
    targetRunner_.cancel();
    ++latestRequest_; // jobs still under way were for the old data
    ++latestTargetRequest_;
    picture_.reset();
    readout_.reset();
    targetPosition_.reset();
    draggingTarget_ = false;
    dataLayer_.reset();
    targetLayers_.clear();
    view_->clearLayers();
    view_->requestRender();
    data_ = std::move(read.data);
    if (!data_) {
        showMessage(QString::fromStdString(read.problem));
        updateFormula();
        return;
    }
    xName_ = dataset->columnNames.size() > 0 ? dataset->columnNames[0] : "x";
    yName_ = dataset->columnNames.size() > 1 ? dataset->columnNames[1] : "y";
    // x* starts at the data point nearest the centre of the data: inside the data, so that every kernel
    // has support there.
    const Eigen::MatrixXd& points = *data_->points;
    const Eigen::RowVector2d centre = points.colwise().mean();
    Eigen::Index nearest = 0;
    (points.rowwise() - centre).rowwise().squaredNorm().minCoeff(&nearest);
    targetPosition_ = points.row(nearest).transpose();
    reframePending_ = true;
    // A new data set starts from Scott's bandwidth; nothing runs for an explorer nobody looks at.
    useScottBandwidth();
}

void ClassificationExplorer::useScottBandwidth() {
    if (!data_) {
        return;
    }
    const double h = scottBandwidth(*data_->points).perColumn.size();
    if (std::isfinite(h) && h > 0.0) {
        ParameterValues values = panel_->values();
        values.set("bandwidth", std::clamp(h, 1e-3, 1e3));
        panel_->setValues(values);
    }
    requestPicture();
}

void ClassificationExplorer::setTarget(const Eigen::Vector2d& position) {
    if (!position.allFinite()) {
        return;
    }
    targetPosition_ = position;
    // The old rings belong to the old x*: the marker moves now, the rings follow with the readout.
    readout_.reset();
    drawTarget();
    requestTarget();
}

void ClassificationExplorer::dragTargetTo(const Eigen::Vector2d& position) {
    if (!position.allFinite() || (targetPosition_ && *targetPosition_ == position)) {
        return;
    }
    // Clearing the rings at every step of a drag would make them flicker; they follow with the readout.
    targetPosition_ = position;
    drawTarget();
    requestTarget();
}

void ClassificationExplorer::requestTarget() {
    if (!picture_ || !targetPosition_) {
        return;
    }
    const std::uint64_t requestNumber = ++latestTargetRequest_;
    targetRunner_.start(
        [classifier = picture_->classifier, position = *targetPosition_, requestNumber](Progress&) {
            return std::pair{requestNumber,
                             std::make_shared<const TargetReadout>(readTarget(*classifier, position))};
        });
}

void ClassificationExplorer::onTargetFinished(const JobResult& result) {
    const auto [requestNumber, readout] =
        result.get<std::pair<std::uint64_t, std::shared_ptr<const TargetReadout>>>();
    if (requestNumber != latestTargetRequest_ || !readout) {
        return;
    }
    showTarget(*readout);
    drawTarget();
    emit targetShown();
}

bool ClassificationExplorer::eventFilter(QObject* watched, QEvent* event) {
    if (watched == central_ && event->type() == QEvent::Show && waitingForShow_) {
        waitingForShow_ = false;
        requestPicture();
    }
    if (watched == view_ && handleMouse(event)) {
        return true;
    }
    return Explorer::eventFilter(watched, event);
}

// The left button belongs to x*, as in the other explorers: a press in the frame moves it there and a drag
// carries it. The view never sees those events, so it does not pan; the middle button and the wheel do.
bool ClassificationExplorer::handleMouse(QEvent* event) {
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
        draggingTarget_ = true;
        setTarget(view_->displayToData(mouse->position()));
        return true;
    }
    if (!draggingTarget_) {
        return false;
    }
    if (type == QEvent::MouseButtonRelease) {
        if (mouse->button() != Qt::LeftButton) {
            return false;
        }
        draggingTarget_ = false;
    }
    dragTargetTo(view_->displayToData(mouse->position()));
    return true;
}

void ClassificationExplorer::onParameterChanging(const QString&, const ParameterValue&) {
    // Only numbers have sliders; each step of a drag supersedes the last preview still computing.
    requestPicture(Detail::Preview);
}

void ClassificationExplorer::onParameterChanged(const QString&, const ParameterValue&) {
    requestPicture();
}

void ClassificationExplorer::requestPicture(Detail detail) {
    if (!data_) {
        return;
    }
    if (!central_->isVisible()) {
        waitingForShow_ = true;
        return;
    }
    const ParameterValues values = panel_->values();
    ClassificationRequest request;
    try {
        request.settings = kernelClassifierSettingsFrom(values);
    } catch (const std::exception& problem) {
        showMessage(QString::fromStdString(problem.what()));
        return;
    }
    const Eigen::Index pointCount = data_->points->rows();
    if (isNearestNeighbors(request.settings) && request.settings.neighborCount > pointCount) {
        showMessage(tr("k = %1 neighbours, but there are only %2 points: choose k ≤ %2.")
                        .arg(request.settings.neighborCount)
                        .arg(pointCount));
        return;
    }
    request.points = data_->points;
    request.classes = data_->classes;
    request.gridNodes = values.integer("grid");
    request.preview = detail == Detail::Preview;
    request.target = targetPosition_;
    request.requestNumber = ++latestRequest_;
    sinceChange_.start();
    runner_.start([request](Progress& progress) { return computeClassificationPicture(request, progress); });
}

void ClassificationExplorer::onFinished(const JobResult& result, double elapsedMilliseconds) {
    emit busyChanged(false);
    emit computeTimeMeasured(elapsedMilliseconds);
    auto picture = result.get<std::shared_ptr<const ClassificationPicture>>();
    if (!picture || picture->requestNumber != latestRequest_) {
        return;
    }
    showPicture(std::move(picture));
}

void ClassificationExplorer::onFailed(const QString& message) {
    emit busyChanged(false);
    showMessage(tr("%1. The picture shows the last result that worked.").arg(message));
}

void ClassificationExplorer::showMessage(const QString& message) {
    message_->setText(message);
    message_->setVisible(!message.isEmpty());
}

void ClassificationExplorer::showPicture(std::shared_ptr<const ClassificationPicture> picture) {
    picture_ = std::move(picture);
    // A readout computed with the picture is current unless x* moved while the picture was computed.
    const bool readoutIsCurrent =
        picture_->targetReadout && targetPosition_ && picture_->targetReadout->position == *targetPosition_;
    ++latestTargetRequest_; // a readout still under way was for the old classifier
    showTarget(readoutIsCurrent ? picture_->targetReadout : std::nullopt);
    if (!readoutIsCurrent) {
        requestTarget();
    }
    drawPicture(reframePending_);
    reframePending_ = false;
    emit dataShown(data_->points->rows(), data_->points->cols());
    emit pictureShown(static_cast<double>(sinceChange_.nsecsElapsed()) / 1e6);
    if (readoutIsCurrent) {
        emit targetShown();
    }
}

// Shows the readout at x* and says when no point weighs there.
void ClassificationExplorer::showTarget(std::optional<TargetReadout> readout) {
    readout_ = std::move(readout);
    if (readout_ && !readout_->posterior.hasValue()) {
        showMessage(tr("No data point has weight at x* = (%1, %2): the %3 kernel reaches no point from "
                       "there, so there is no posterior. Click nearer the data or widen h.")
                        .arg(number(readout_->position.x()), number(readout_->position.y()),
                             QString::fromStdString(picture_->classifier->settings().describe())));
    } else {
        showMessage({});
    }
    updateFormula();
}

void ClassificationExplorer::drawPicture(bool reframe) {
    if (!picture_ || !data_) {
        return;
    }
    const ClassificationPicture& picture = *picture_;
    view_->clearLayers();
    view_->showColorBar(false);
    drawRegions(picture);
    drawBoundaries(picture);

    const Eigen::MatrixXd& points = *data_->points;
    PlotView2D::PointStyle dataStyle;
    dataStyle.size = points.rows() > 5000 ? 3.5 : (points.rows() > 1000 ? 5.0 : 7.0);
    dataLayer_ = view_->addPoints(points, dataStyle);
    view_->setPointColorsByLabel(*dataLayer_, data_->classes, data_->classNames);
    view_->showLegend(picture.classifier->classCount() <= legendClassLimit);
    targetLayers_.clear(); // cleared with the other layers
    drawTarget();

    const int classCount = picture.classifier->classCount();
    view_->setTitle("Kernel classifier · " + picture.classifier->settings().describe() + " · " +
                    std::to_string(classCount) + " classes · lines: decision boundaries");
    view_->setAxisTitles(xName_, yName_);
    if (reframe) {
        view_->resetCamera();
    }
    view_->requestRender();
}

void ClassificationExplorer::drawTarget() {
    for (const PlotView2D::LayerId layer : targetLayers_) {
        view_->removeLayer(layer);
    }
    targetLayers_.clear();
    if (!picture_ || !dataLayer_) {
        return;
    }
    // The points that weigh at x* are ringed: the k that vote for knn, and for a radial kernel those with
    // at least a tenth of the heaviest weight (halos sized by weight hid the class colours).
    const bool ringed = readout_ && readout_->posterior.hasValue();
    view_->setSelection(*dataLayer_, ringed ? heavyPoints(*readout_, picture_->classifier->settings())
                                            : std::vector<Eigen::Index>{});
    if (targetPosition_) {
        const Rgb foreground = view_->foregroundColor();
        const PlotView2D::LayerId marker = view_->addPoints(targetPosition_->transpose(), {13.0, foreground});
        view_->setSelection(marker, {0});
        view_->setLayerLegend(marker, {{"x*", foreground}});
        targetLayers_.push_back(marker);
    }
    view_->requestRender();
}

void ClassificationExplorer::drawRegions(const ClassificationPicture& picture) {
    const auto nodes = picture.predicted.rows();
    // Cells centred on the nodes, so that the colours sit where the boundary contours are computed.
    const double halfX = 0.5 * (picture.xMaximum - picture.xMinimum) / static_cast<double>(nodes - 1);
    const double halfY =
        0.5 * (picture.yMaximum - picture.yMinimum) / static_cast<double>(picture.predicted.cols() - 1);
    const AxisRange x{picture.xMinimum - halfX, picture.xMaximum + halfX};
    const AxisRange y{picture.yMinimum - halfY, picture.yMaximum + halfY};
    const double chance = 1.0 / static_cast<double>(picture.classifier->classCount());
    const auto bands = static_cast<double>(confidenceBandOpacities.size());
    for (std::size_t band = 0; band < confidenceBandOpacities.size(); ++band) {
        // Band b holds the cells whose max posterior lies in the b-th slice of [1/C, 1].
        const double low = chance + (1.0 - chance) * static_cast<double>(band) / bands;
        const double high = chance + (1.0 - chance) * static_cast<double>(band + 1) / bands;
        const bool last = band + 1 == confidenceBandOpacities.size();
        Eigen::MatrixXi cells = picture.predicted;
        for (Eigen::Index k = 0; k < cells.size(); ++k) {
            const double p = picture.confidence(k);
            const bool inBand = p >= low && (p < high || last);
            cells(k) = inBand ? cells(k) : -1;
        }
        if ((cells.array() >= 0).any()) {
            view_->addLabelField(cells, x, y, confidenceBandOpacities[band]);
        }
    }
}

void ClassificationExplorer::drawBoundaries(const ClassificationPicture& picture) {
    const AxisRange x{picture.xMinimum, picture.xMaximum};
    const AxisRange y{picture.yMinimum, picture.yMaximum};
    // Two classes share one boundary: p_0 − p_1 = 0. With more, each class's region is outlined.
    const std::size_t outlined = picture.margins.size() == 2 ? 1 : picture.margins.size();
    for (std::size_t c = 0; c < outlined; ++c) {
        view_->addScalarField(picture.margins[c], x, y, ColorMap::Greys, {0.0}, AxisRange{-1.0, 1.0}, false);
    }
}

QString ClassificationExplorer::formulaText() const {
    return formula_->text();
}

QString ClassificationExplorer::messageText() const {
    return message_->isVisible() ? message_->text() : QString();
}

void ClassificationExplorer::updateFormula() {
    const QString rule = tr("<b>Kernel classifier:</b>&nbsp; p<sub>c</sub>(x*) = Σ<sub>i</sub> "
                            "K(x*, x<sub>i</sub>)·1[y<sub>i</sub> = c] ⁄ Σ<sub>i</sub> K(x*, x<sub>i</sub>), "
                            "&nbsp; ŷ(x*) = argmax<sub>c</sub> p<sub>c</sub>(x*)");
    if (!readout_ || !data_) {
        formula_->setText(rule);
        return;
    }
    const TargetReadout& readout = *readout_;
    QString lines =
        rule + tr("<br><b>x*</b> = (%1, %2)").arg(number(readout.position.x()), number(readout.position.y()));
    if (!readout.posterior.hasValue()) {
        formula_->setText(lines + tr(": no point has weight here, so there is no posterior."));
        return;
    }
    QStringList probabilities;
    for (Eigen::Index c = 0; c < readout.posterior.probabilities.size(); ++c) {
        const QString entry = QStringLiteral("p(%1) = %2")
                                  .arg(QString::fromStdString(data_->classNames[static_cast<std::size_t>(c)]),
                                       number(readout.posterior.probabilities[c]));
        probabilities << (c == readout.posterior.predicted ? QStringLiteral("<b>%1</b>").arg(entry) : entry);
    }
    const auto predicted = static_cast<std::size_t>(readout.posterior.predicted);
    lines += tr(" &nbsp;·&nbsp; predicted <b>%1</b><br>%2<br>Σw = %3 &nbsp;·&nbsp; %4 points weigh "
                "&nbsp;·&nbsp; effective number of points (Σw)²/Σw² = %5")
                 .arg(QString::fromStdString(data_->classNames[predicted]),
                      probabilities.join(QStringLiteral(" &nbsp;·&nbsp; ")), number(readout.weightSum))
                 .arg(readout.weights.indices.size())
                 .arg(number(readout.effectivePointCount));
    formula_->setText(lines);
}

} // namespace locallab
