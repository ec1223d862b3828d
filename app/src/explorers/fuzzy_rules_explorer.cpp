#include "explorers/fuzzy_rules_explorer.hpp"

#include "locallab/widgets/parameter_panel.hpp"

#include <QColor>
#include <QEvent>
#include <QFont>
#include <QKeyEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

namespace locallab {

namespace {

const std::string& sourceAuto = regressionSourceAuto;
const std::string& sourceDataExplorer = regressionSourceDataExplorer;
const std::string& sourceNoisySine = regressionSourceNoisySine;

constexpr double queryStartFraction = 0.3; // x* starts this far into the range of x
constexpr double keyStepFraction = 0.01;   // an arrow key moves x* by this fraction of the range
constexpr double handleSize = 20.0;        // the centres' handles, in logical pixels
constexpr double handleGrabRadius = 16.0;  // a press this close to a handle's middle grabs it
constexpr double outputMarkerSize = 17.0;
// A rule's line fades towards the background where the rule has little say: at w_r = 0 it keeps this much
// of its colour.
constexpr double faintestRuleLine = 0.15;
// The formula panel lists at most this many rules at x*, those with the largest w_r.
constexpr int listedRules = 6;
constexpr double listedStrengthFloor = 1e-3;
// Rules are named one by one in the legend up to this count; beyond, one row stands for all.
constexpr Eigen::Index legendRuleLimit = 8;
// Dashes of the Nadaraya–Watson curve and of the normalised strengths, in grid samples.
constexpr int dashOn = 5;
constexpr int dashOff = 4;

// Okabe–Ito without yellow (too pale for a line) and black (the blended output); orange comes last, as the
// Nadaraya–Watson curve is a gold of its own, dashed.
Rgb ruleColor(Eigen::Index rule) {
    static const std::array<int, 6> palette = {0, 2, 3, 4, 5, 1};
    return categoricalColor(palette[static_cast<std::size_t>(rule) % palette.size()]);
}

Rgb nadarayaWatsonColor() {
    return {0.94, 0.76, 0.0}; // gold: visible on the black output it lies on and on the white background
}

Rgb mix(const Rgb& a, const Rgb& b, double weightOfB) {
    return (1.0 - weightOfB) * a + weightOfB * b;
}

QString number(double value) {
    return QString::number(value, 'g', 4);
}

QString html(const std::string& text) {
    return QString::fromStdString(text).toHtmlEscaped();
}

QString colorName(const Rgb& color) {
    return QColor::fromRgbF(static_cast<float>(color.x()), static_cast<float>(color.y()),
                            static_cast<float>(color.z()))
        .name();
}

QString ruleLabel(Eigen::Index rule) {
    return QStringLiteral("<b><span style=\"color:%1\">rule %2</span></b>")
        .arg(colorName(ruleColor(rule)))
        .arg(rule + 1);
}

// The stretches of a curve that have a value and stay inside [low, high] in y, so that a curve leaving the
// data area (a steep rule line) or missing (no rule in reach) is drawn without a line across.
std::vector<Eigen::MatrixX2d> visiblePieces(const Eigen::VectorXd& x, const Eigen::VectorXd& y,
                                            const std::vector<bool>& valid, double low, double high) {
    std::vector<Eigen::MatrixX2d> pieces;
    std::vector<Eigen::Vector2d> current;
    const auto flush = [&] {
        if (current.size() >= 2) {
            Eigen::MatrixX2d piece(static_cast<Eigen::Index>(current.size()), 2);
            for (std::size_t k = 0; k < current.size(); ++k) {
                piece.row(static_cast<Eigen::Index>(k)) = current[k].transpose();
            }
            pieces.push_back(std::move(piece));
        }
        current.clear();
    };
    for (Eigen::Index k = 0; k < x.size(); ++k) {
        if (valid[static_cast<std::size_t>(k)] && std::isfinite(y(k)) && y(k) >= low && y(k) <= high) {
            current.emplace_back(x(k), y(k));
        } else {
            flush();
        }
    }
    flush();
    return pieces;
}

// The same curve cut into dashes: runs of dashOn samples with gaps of dashOff.
std::vector<Eigen::MatrixX2d> dashedPieces(const Eigen::VectorXd& x, const Eigen::VectorXd& y,
                                           std::vector<bool> valid, double low, double high) {
    for (std::size_t k = 0; k < valid.size(); ++k) {
        valid[k] = valid[k] && static_cast<int>(k) % (dashOn + dashOff) < dashOn;
    }
    return visiblePieces(x, y, valid, low, high);
}

std::vector<bool> validEntries(const std::vector<LocalFitStatus>& statuses) {
    std::vector<bool> valid(statuses.size());
    for (std::size_t k = 0; k < statuses.size(); ++k) {
        valid[k] = statuses[k] != LocalFitStatus::NoSupport;
    }
    return valid;
}

std::vector<bool> allValid(Eigen::Index size) {
    return std::vector<bool>(static_cast<std::size_t>(size), true);
}

// A sentence from core ("Takagi–Sugeno: rule 2 at (0.5) has ...") as the panel shows it.
QString userSentence(const QString& message) {
    static const QString prefix = QStringLiteral("Takagi–Sugeno: ");
    QString sentence = message.startsWith(prefix) ? message.mid(prefix.size()) : message;
    // Core speaks of the kernel's bandwidth; this explorer's panel calls it the membership width.
    sentence.replace(QStringLiteral("widen the bandwidth"), QStringLiteral("widen h"));
    sentence.replace(QStringLiteral("a wider bandwidth"), QStringLiteral("a wider h"));
    if (!sentence.isEmpty()) {
        sentence[0] = sentence[0].toUpper();
    }
    return sentence;
}

QString orderName(RuleOrder order) {
    return order == RuleOrder::Zero ? QObject::tr("zero order") : QObject::tr("first order");
}

QString identificationSentence(RuleOrder order, ConsequentIdentification identification) {
    if (identification == ConsequentIdentification::Global) {
        return QObject::tr("Global identification: every consequent at once, from one least-squares fit of "
                           "the blend ŷ to the data. The blend fits best, but one rule's line need not "
                           "follow the data near its centre.");
    }
    if (order == RuleOrder::Zero) {
        return QObject::tr("Local identification: b<sub>r</sub> = Σ<sub>i</sub> μ<sub>r</sub>(x<sub>i</sub>) "
                           "y<sub>i</sub> ⁄ Σ<sub>i</sub> μ<sub>r</sub>(x<sub>i</sub>), the local mean of "
                           "the data around c<sub>r</sub> (Nadaraya–Watson at c<sub>r</sub>).");
    }
    return QObject::tr("Local identification: each rule's line is the least-squares line through the data "
                       "weighted by μ<sub>r</sub>(x<sub>i</sub>), the local linear fit at c<sub>r</sub>: "
                       "each rule describes the data near its centre on its own.");
}

} // namespace

std::vector<ParameterDescription> FuzzyRulesExplorer::parameterDescriptions() {
    return {
        choiceParameter("data", "Data", {sourceAuto, sourceDataExplorer, sourceNoisySine}, sourceAuto,
                        "Auto uses the Data explorer's data when they have a target and a built-in noisy "
                        "sine otherwise; 'data explorer' always takes its y (the target, or else the second "
                        "column) against its first column."),
        integerParameter("rules", "Rules R", 1, 40, 5,
                         "How many rules: k-means places their centres c_r among the x values."),
        integerParameter("seed", "k-means seed", 1, 1000000, 1,
                         "The seed of k-means++: the same seed places the same centres."),
        choiceParameter("kernel", "Membership kernel", kernelProfileNames(), "gaussian",
                        "Rule r fires at x with membership μ_r(x) = k(((x − c_r)/h)²)."),
        realParameter("width", "Membership width h", 1e-4, 1e4, 0.1,
                      "The memberships' scale, shared by every rule: the Gaussian's standard deviation, "
                      "the radius of compact kernels.",
                      true),
        choiceParameter("order", "Rule order",
                        {ruleOrderKey(RuleOrder::Zero), ruleOrderKey(RuleOrder::First)},
                        ruleOrderKey(RuleOrder::First),
                        "Zero order: each rule says 'y is b_r'. First order: 'y is a_r(x − c_r) + b_r'."),
        choiceParameter("identification", "Identification",
                        {identificationKey(ConsequentIdentification::Local),
                         identificationKey(ConsequentIdentification::Global)},
                        identificationKey(ConsequentIdentification::Local),
                        "Local: each rule fitted to the data weighted by its membership. Global: all rules "
                        "together, by least squares on the blended output."),
        booleanParameter("show-memberships", "Memberships μ_r(x)", true,
                         "Draw every rule's membership function in the strip under the data."),
        booleanParameter("show-normalised", "Normalised strengths w_r(x)", false,
                         "Draw w_r(x) = μ_r(x) / Σ_s μ_s(x), dashed, in the strip: the share of each rule in "
                         "the blend."),
        booleanParameter("show-rule-lines", "Rule lines", true,
                         "Draw every rule's local line, strong where the rule has the most say."),
        booleanParameter("compare-nadaraya-watson", "Compare with Nadaraya–Watson", false,
                         "Draw the Nadaraya–Watson estimate over the centres with the values b_r, computed "
                         "on its own, and state its largest difference to the output."),
    };
}

FuzzyRulesExplorer::FuzzyRulesExplorer(QWidget* widgetParent) : Explorer(widgetParent) {
    central_ = new QWidget(widgetParent);
    central_->installEventFilter(this);
    view_ = new PlotView2D(central_);
    view_->setAspectMode(PlotView2D::AspectMode::Fill);
    view_->installEventFilter(this);
    view_->setToolTip(tr("Drag a round handle under the data to move a rule's centre; click or drag anywhere "
                         "else to move x*; arrow keys nudge x*. Middle-drag pans, the wheel zooms."));

    message_ = new QLabel(central_);
    message_->setObjectName(QStringLiteral("fuzzyRulesMessage"));
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

    auto* layout = new QVBoxLayout(central_);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(message_);
    layout->addWidget(view_, 1);
    layout->addWidget(formula_);

    panel_ = new ParameterPanel(parameterDescriptions(), widgetParent);
    QPushButton* kMeansButton = panel_->addButton("rules", tr("Place by k-means"));
    kMeansButton->setObjectName(QStringLiteral("placeByKMeans"));
    kMeansButton->setToolTip(tr("Put the R centres where k-means puts them, undoing any drags."));
    connect(kMeansButton, &QPushButton::clicked, this, &FuzzyRulesExplorer::placeCentresByKMeans);
    QPushButton* spacingButton = panel_->addButton("width", tr("Match spacing"));
    spacingButton->setObjectName(QStringLiteral("widthFromSpacing"));
    spacingButton->setToolTip(tr("h from half the mean gap between neighbouring centres, matched to the "
                                 "kernel: neighbouring rules share the ground between them."));
    connect(spacingButton, &QPushButton::clicked, this,
            [this] { requestPicture(CentrePlacement::Keep, WidthChoice::FromSpacing); });
    connect(panel_, &ParameterPanel::parameterChanging, this, &FuzzyRulesExplorer::onParameterChanging);
    connect(panel_, &ParameterPanel::parameterChanged, this, &FuzzyRulesExplorer::onParameterChanged);

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
        jobProblem_ = message.toStdString();
        showMessages();
    });
    updateFormula();
}

QString FuzzyRulesExplorer::title() const {
    return tr("Fuzzy rules");
}

VtkView* FuzzyRulesExplorer::view() const {
    return view_;
}

ParameterPanel* FuzzyRulesExplorer::panel() const {
    return panel_;
}

QWidget* FuzzyRulesExplorer::centralWidget() const {
    return central_;
}

void FuzzyRulesExplorer::cancel() {
    pictureRunner_.cancel();
    queryRunner_.cancel();
}

void FuzzyRulesExplorer::setDataset(std::shared_ptr<const Dataset> dataset) {
    dataset_ = std::move(dataset);
    // Nothing runs for an explorer nobody looks at; the work waits until the explorer is shown.
    if (central_->isVisible()) {
        startFromNewData();
    } else {
        waitingForShow_ = true;
    }
}

void FuzzyRulesExplorer::startFromNewData() {
    queryPlaced_ = false;
    reframePending_ = true;
    chooseSample();
    showMessages();
    requestPicture(CentrePlacement::KMeans, WidthChoice::FromSpacing);
}

void FuzzyRulesExplorer::chooseSample() {
    const std::string source = panel_->values().choice("data");
    sampleProblem_.clear();
    const ChosenRegressionSample chosen = chooseRegressionSample(source, dataset_.get());
    sample_ = chosen.sample;
    if (chosen.dataUnusable) {
        sampleProblem_ = tr("These data cannot be used: %1. The picture shows the last rules that worked.")
                             .arg(QString::fromStdString(chosen.problem))
                             .toStdString();
    } else {
        sampleProblem_ = chosen.problem;
    }
}

void FuzzyRulesExplorer::setQueryPoint(double x) {
    if (!std::isfinite(x)) {
        return;
    }
    if (picture_) {
        x = std::clamp(x, picture_->box.xMinimum, picture_->box.xMaximum);
    }
    queryX_ = x;
    queryPlaced_ = true;
    requestQuery();
}

void FuzzyRulesExplorer::setCentres(const Eigen::VectorXd& centres) {
    if (centres.size() == 0 || !centres.allFinite()) {
        return;
    }
    centres_ = centres;
    centresMovedByHand_ = true;
    ParameterValues values = panel_->values();
    values.set("rules", static_cast<long long>(centres.size()));
    panel_->setValues(values);
    requestPicture();
}

void FuzzyRulesExplorer::placeCentresByKMeans() {
    requestPicture(CentrePlacement::KMeans);
}

QPointF FuzzyRulesExplorer::centreHandlePosition(Eigen::Index rule) const {
    if (!picture_ || rule < 0 || rule >= centres_.size()) {
        return {};
    }
    return view_->dataToDisplay(Eigen::Vector2d(centres_(rule), picture_->box.stripBase));
}

bool FuzzyRulesExplorer::eventFilter(QObject* watched, QEvent* event) {
    if (watched == central_ && event->type() == QEvent::Show && waitingForShow_) {
        waitingForShow_ = false;
        startFromNewData();
    }
    if (watched != view_) {
        return Explorer::eventFilter(watched, event);
    }
    // The left button belongs to the handles and to x*: the view never sees those events, so it does not
    // pan; the middle button and the wheel still do.
    switch (event->type()) {
    case QEvent::Resize:
        // The formula panel's text changes the view's height; until the user pans or zooms, the plot stays
        // framed on its box rather than keeping the scale of the old size. The view takes its new size in
        // its own resize handling, after this filter: the framing waits for it.
        QTimer::singleShot(0, this, [this] {
            if (!cameraMovedByUser_ && picture_) {
                view_->resetCamera();
            }
        });
        break;
    case QEvent::Wheel:
        cameraMovedByUser_ = true;
        break;
    case QEvent::MouseButtonPress: {
        const auto* mouse = static_cast<QMouseEvent*>(event);
        if (mouse->button() != Qt::LeftButton || mouse->modifiers() != Qt::NoModifier || !picture_) {
            cameraMovedByUser_ = true; // every other press pans the view
            break;
        }
        if (const auto rule = handleUnder(mouse->position())) {
            draggedCentre_ = rule;
            return true;
        }
        if (view_->frameRect().contains(mouse->position())) {
            draggingQuery_ = true;
            view_->setFocus();
            dragQueryTo(mouse->position());
            return true;
        }
        break;
    }
    case QEvent::MouseMove: {
        const QPointF position = static_cast<QMouseEvent*>(event)->position();
        if (draggedCentre_) {
            dragCentreTo(position, false);
            return true;
        }
        if (draggingQuery_) {
            dragQueryTo(position);
            return true;
        }
        break;
    }
    case QEvent::MouseButtonRelease: {
        const auto* mouse = static_cast<QMouseEvent*>(event);
        if (mouse->button() != Qt::LeftButton) {
            break;
        }
        if (draggedCentre_) {
            dragCentreTo(mouse->position(), true);
            draggedCentre_.reset();
            return true;
        }
        if (draggingQuery_) {
            draggingQuery_ = false;
            dragQueryTo(mouse->position());
            return true;
        }
        break;
    }
    case QEvent::KeyPress: {
        const int key = static_cast<QKeyEvent*>(event)->key();
        if (picture_ && (key == Qt::Key_Left || key == Qt::Key_Right)) {
            const double step = keyStepFraction * (picture_->box.xMaximum - picture_->box.xMinimum);
            setQueryPoint(queryX_ + (key == Qt::Key_Left ? -step : step));
            return true;
        }
        break;
    }
    default:
        break;
    }
    return Explorer::eventFilter(watched, event);
}

std::optional<Eigen::Index> FuzzyRulesExplorer::handleUnder(const QPointF& widgetPosition) const {
    std::optional<Eigen::Index> nearest;
    double nearestDistance = handleGrabRadius;
    for (Eigen::Index rule = 0; rule < centres_.size(); ++rule) {
        const QPointF handle = centreHandlePosition(rule);
        const double distance = std::hypot(handle.x() - widgetPosition.x(), handle.y() - widgetPosition.y());
        if (distance <= nearestDistance) {
            nearest = rule;
            nearestDistance = distance;
        }
    }
    return nearest;
}

void FuzzyRulesExplorer::dragCentreTo(const QPointF& widgetPosition, bool released) {
    const Eigen::Index rule = *draggedCentre_;
    const RulesPlotBox& box = picture_->box;
    const double x = std::clamp(view_->displayToData(widgetPosition).x(), box.xMinimum, box.xMaximum);
    if (std::isfinite(x) && x != centres_(rule)) {
        centres_(rule) = x;
        centresMovedByHand_ = true;
        drawMovingLayers();
        requestPicture();
    }
    if (released) {
        emit centreChanged(static_cast<int>(rule), centres_(rule));
    } else {
        emit centreChanging(static_cast<int>(rule), centres_(rule));
    }
}

void FuzzyRulesExplorer::dragQueryTo(const QPointF& widgetPosition) {
    setQueryPoint(view_->displayToData(widgetPosition).x());
}

void FuzzyRulesExplorer::onParameterChanging(const QString& name, const ParameterValue&) {
    // The width is the slider worth previewing: every move re-identifies the rules.
    if (name == QStringLiteral("width")) {
        requestPicture();
    }
}

void FuzzyRulesExplorer::onParameterChanged(const QString& name, const ParameterValue&) {
    const std::string key = name.toStdString();
    if (key == "data") {
        startFromNewData();
    } else if (key == "rules" || key == "seed") {
        requestPicture(CentrePlacement::KMeans);
    } else if (key.rfind("show-", 0) == 0 || key == "compare-nadaraya-watson") {
        // Everything these switches show is in the picture already.
        if (picture_) {
            drawPicture();
            updateFormula();
        }
    } else {
        requestPicture();
    }
}

void FuzzyRulesExplorer::setWidthSilently(double width) {
    ParameterValues values = panel_->values();
    values.set("width", width);
    panel_->setValues(values);
    chosenWidth_ = ChosenWidth{width, panel_->values().real("width")};
}

double FuzzyRulesExplorer::currentWidth() const {
    const double shown = panel_->values().real("width");
    return chosenWidth_ && chosenWidth_->shown == shown ? chosenWidth_->exact : shown;
}

void FuzzyRulesExplorer::requestPicture(CentrePlacement placement, WidthChoice width) {
    if (!sample_) {
        showMessages();
        return;
    }
    const ParameterValues values = panel_->values();
    FuzzyRulesRequest request;
    request.sample = sample_;
    if (placement == CentrePlacement::Keep) {
        request.centres = centres_; // empty before the first picture: k-means places them
    }
    request.ruleCount = values.integer("rules");
    request.seed = static_cast<std::uint64_t>(values.integer("seed"));
    request.kernel =
        RadialKernel(parseKernelProfile(values.choice("kernel")).value_or(KernelProfile::Gaussian));
    request.width = currentWidth();
    request.widthFromSpacing = width == WidthChoice::FromSpacing;
    request.order = parseRuleOrder(values.choice("order")).value_or(RuleOrder::First);
    request.identification =
        parseIdentification(values.choice("identification")).value_or(ConsequentIdentification::Local);
    if (!queryPlaced_) {
        queryX_ =
            sample_->x.minCoeff() + queryStartFraction * (sample_->x.maxCoeff() - sample_->x.minCoeff());
        queryPlaced_ = true;
    }
    request.queryX = queryX_;
    request.requestNumber = ++latestPicture_;
    sinceChange_.start();
    pictureRunner_.start(
        [request](Progress& progress) { return computeFuzzyRulesPicture(request, progress); });
}

void FuzzyRulesExplorer::requestQuery() {
    if (!picture_) {
        return;
    }
    const std::uint64_t number = ++latestQuery_;
    sinceQueryMove_.start();
    queryRunner_.start([picture = picture_, x = queryX_, number](Progress&) {
        return computeRulesQuery(*picture, x, number);
    });
}

void FuzzyRulesExplorer::onPictureFinished(const JobResult& result, double elapsedMilliseconds) {
    emit busyChanged(false);
    emit computeTimeMeasured(elapsedMilliseconds);
    auto picture = result.get<std::shared_ptr<const FuzzyRulesPicture>>();
    if (picture->requestNumber != latestPicture_) {
        return;
    }
    if (currentWidth() != picture->width) {
        setWidthSilently(picture->width); // a rule of thumb chose h: the panel shows the value in use
    }
    centres_ = picture->centres();
    if (picture->centresFromKMeans) {
        centresMovedByHand_ = false;
        kMeansSummary_ = tr("centres by k-means (seed %1, %2 Lloyd steps)")
                             .arg(panel_->values().integer("seed"))
                             .arg(picture->kMeansIterations);
    }
    if (panel_->values().integer("rules") != centres_.size()) {
        ParameterValues values = panel_->values();
        values.set("rules", static_cast<long long>(centres_.size()));
        panel_->setValues(values);
    }
    jobProblem_.clear();
    showPicture(std::move(picture));
}

void FuzzyRulesExplorer::onPictureFailed(const QString& message) {
    emit busyChanged(false);
    jobProblem_ =
        tr("%1. The picture shows the last rules that worked.").arg(userSentence(message)).toStdString();
    showMessages();
}

void FuzzyRulesExplorer::onQueryFinished(const JobResult& result) {
    auto query = result.get<std::shared_ptr<const RulesQuery>>();
    if (query->requestNumber != latestQuery_) {
        return;
    }
    query_ = std::move(query);
    drawMovingLayers();
    updateFormula();
    emit queryShown(static_cast<double>(sinceQueryMove_.nsecsElapsed()) / 1e6);
}

void FuzzyRulesExplorer::showPicture(std::shared_ptr<const FuzzyRulesPicture> picture) {
    picture_ = std::move(picture);
    // A drag of x* that went on while this picture was computed asks for its own query.
    const double x = std::clamp(queryX_, picture_->box.xMinimum, picture_->box.xMaximum);
    ++latestQuery_;
    const bool initialIsCurrent = picture_->initialQuery->x == x;
    query_ = picture_->initialQuery;
    drawPicture();
    updateFormula();
    showMessages();
    emit dataShown(picture_->sample->x.size(), 2);
    emit pictureShown(static_cast<double>(sinceChange_.nsecsElapsed()) / 1e6);
    if (initialIsCurrent) {
        emit queryShown(static_cast<double>(sinceChange_.nsecsElapsed()) / 1e6);
    } else {
        queryX_ = x;
        requestQuery();
    }
}

void FuzzyRulesExplorer::showMessages() {
    QStringList lines;
    for (const std::string* text : {&sampleProblem_, &jobProblem_}) {
        if (!text->empty()) {
            lines << QString::fromStdString(*text);
        }
    }
    message_->setText(lines.join(QLatin1Char('\n')));
    message_->setVisible(!lines.isEmpty());
}

QString FuzzyRulesExplorer::formulaText() const {
    return formula_->text();
}

QString FuzzyRulesExplorer::messageText() const {
    return message_->isVisible() ? message_->text() : QString();
}

void FuzzyRulesExplorer::drawPicture() {
    const FuzzyRulesPicture& picture = *picture_;
    const RegressionSample& sample = *picture.sample;
    const RulesPlotBox& box = picture.box;
    const TakagiSugeno& system = *picture.system;
    const Rgb ink = view_->foregroundColor();
    const Rgb background = view_->backgroundColor();
    const ParameterValues values = panel_->values();
    handleLayers_.clear();
    queryLayers_.clear();
    view_->clearLayers();
    legendNames_.clear();
    // The picture's legend rows in reading order, attached to the data layer at the end: the layers are
    // added in their stacking order, which is not the order the legend reads best in.
    std::vector<LegendEntry> legend;
    std::vector<LegendEntry> stripLegend;

    // The strip: its baseline (μ = 0, where the handles sit) across the whole box, which also fixes the
    // plot's width, and a faint line at μ = 1.
    Eigen::MatrixX2d baseline(2, 2);
    baseline << box.xMinimum, box.stripBase, box.xMaximum, box.stripBase;
    Eigen::MatrixX2d top(2, 2);
    top << box.xMinimum, box.stripY(1.0), box.xMaximum, box.stripY(1.0);
    view_->addPolylines({baseline}, {mix(ink, background, 0.55)}, 1.2);
    view_->addPolylines({top}, {mix(ink, background, 0.85)}, 1.0);

    const Eigen::Index rules = system.ruleCount();
    const std::vector<bool> everyGridPoint = allValid(picture.grid.size());
    if (values.boolean("show-memberships")) {
        for (Eigen::Index rule = 0; rule < rules; ++rule) {
            const Eigen::VectorXd y = box.stripBase + box.stripHeight * picture.memberships.col(rule).array();
            const auto pieces = visiblePieces(picture.grid, y, everyGridPoint, box.yMinimum, box.yMaximum);
            view_->addPolylines(pieces, std::vector<Rgb>(pieces.size(), ruleColor(rule)), 2.5);
            if (rule == 0) {
                stripLegend.push_back({"memberships μ_r (0 to 1)", mix(ink, background, 0.4)});
            }
        }
    }
    if (values.boolean("show-normalised")) {
        const std::vector<bool> valid = validEntries(picture.output.statuses);
        for (Eigen::Index rule = 0; rule < rules; ++rule) {
            const Eigen::VectorXd y =
                box.stripBase + box.stripHeight * picture.output.firingStrengths.col(rule).array();
            const auto pieces = dashedPieces(picture.grid, y, valid, box.yMinimum, box.yMaximum);
            view_->addPolylines(pieces, std::vector<Rgb>(pieces.size(), ruleColor(rule)), 1.8);
            if (rule == 0) {
                stripLegend.push_back({"normalised w_r, dashed", mix(ink, background, 0.4)});
            }
        }
    }

    PlotView2D::PointStyle dataStyle;
    const Eigen::Index n = sample.x.size();
    dataStyle.size = n > 5000 ? 3.0 : (n > 1000 ? 4.5 : 6.5);
    dataStyle.color = Rgb(0.62, 0.62, 0.62);
    Eigen::MatrixX2d points(n, 2);
    points.col(0) = sample.x;
    points.col(1) = sample.y;
    const PlotView2D::LayerId dataLayer = view_->addPoints(points, dataStyle);
    legend.push_back({"data (n = " + std::to_string(n) + ")", dataStyle.color});

    // Lines drawn above the data stack with the first added on top: the Nadaraya–Watson dashes over the
    // output they coincide with, and each rule's line over the output where the rule dominates it.
    std::optional<LegendEntry> nadarayaWatsonEntry;
    if (values.boolean("compare-nadaraya-watson")) {
        const LocalFit& nadarayaWatson = picture.nadarayaWatson.fit;
        const auto dashes = dashedPieces(picture.grid, nadarayaWatson.values,
                                         validEntries(nadarayaWatson.statuses), box.dataBottom, box.yMaximum);
        view_->setLayerAboveData(
            view_->addPolylines(dashes, std::vector<Rgb>(dashes.size(), nadarayaWatsonColor()), 3.0));
        nadarayaWatsonEntry = LegendEntry{"Nadaraya–Watson over the centres", nadarayaWatsonColor()};
    }

    if (values.boolean("show-rule-lines")) {
        // Each rule's line in short segments whose colour fades with the rule's share w_r of the blend.
        for (Eigen::Index rule = 0; rule < rules; ++rule) {
            const RuleLine& line = picture.ruleLines[static_cast<std::size_t>(rule)];
            std::vector<Eigen::MatrixX2d> segments;
            std::vector<Rgb> colors;
            for (Eigen::Index k = 0; k + 1 < line.x.size(); ++k) {
                const bool inside = std::min(line.y(k), line.y(k + 1)) >= box.dataBottom &&
                                    std::max(line.y(k), line.y(k + 1)) <= box.yMaximum;
                if (!inside) {
                    continue;
                }
                Eigen::MatrixX2d segment(2, 2);
                segment << line.x(k), line.y(k), line.x(k + 1), line.y(k + 1);
                segments.push_back(segment);
                const double strength = 0.5 * (line.strength(k) + line.strength(k + 1));
                colors.push_back(mix(ruleColor(rule), background,
                                     (1.0 - faintestRuleLine) * (1.0 - std::clamp(strength, 0.0, 1.0))));
            }
            if (!segments.empty()) {
                view_->setLayerAboveData(view_->addPolylines(segments, colors, 3.5));
            }
            if (rules <= legendRuleLimit) {
                legend.push_back({"rule " + std::to_string(rule + 1), ruleColor(rule)});
            } else if (rule == 0) {
                legend.push_back({"rule lines (colours repeat)", ruleColor(rule)});
            }
        }
    }
    const auto output = visiblePieces(picture.grid, picture.output.values,
                                      validEntries(picture.output.statuses), box.dataBottom, box.yMaximum);
    view_->setLayerAboveData(view_->addPolylines(output, std::vector<Rgb>(output.size(), ink), 5.0));
    legend.push_back({"blended output", ink});
    if (nadarayaWatsonEntry) {
        legend.push_back(*nadarayaWatsonEntry);
    }
    legend.insert(legend.end(), stripLegend.begin(), stripLegend.end());
    for (const LegendEntry& entry : legend) {
        legendNames_.push_back(entry.name);
    }
    view_->setLayerLegend(dataLayer, std::move(legend));
    pictureLegendRows_ = legendNames_.size();

    // Short enough for a narrow window: the formula panel spells the settings out.
    view_->setTitle(std::to_string(rules) + (rules == 1 ? " rule, " : " rules, ") +
                    orderName(picture.order).toStdString() + ", " +
                    identificationKey(picture.identification) + " · " + std::string(picture.kernel.name()) +
                    " h = " + number(picture.width).toStdString());
    view_->setAxisTitles(sample.xName, sample.yName);
    drawMovingLayers();
    if (reframePending_) {
        view_->resetCamera();
        reframePending_ = false;
        cameraMovedByUser_ = false;
    }
    view_->requestRender();
}

void FuzzyRulesExplorer::drawMovingLayers() {
    for (const PlotView2D::LayerId layer : handleLayers_) {
        view_->removeLayer(layer);
    }
    for (const PlotView2D::LayerId layer : queryLayers_) {
        view_->removeLayer(layer);
    }
    handleLayers_.clear();
    queryLayers_.clear();
    legendNames_.resize(std::min(legendNames_.size(), pictureLegendRows_));
    if (!picture_) {
        view_->requestRender();
        return;
    }
    drawHandles();
    drawQuery();
    view_->requestRender();
}

void FuzzyRulesExplorer::drawHandles() {
    const RulesPlotBox& box = picture_->box;
    for (Eigen::Index rule = 0; rule < centres_.size(); ++rule) {
        Eigen::MatrixX2d handle(1, 2);
        handle << centres_(rule), box.stripBase;
        const PlotView2D::LayerId layer = view_->addPoints(handle, {handleSize, ruleColor(rule)});
        view_->setSelection(layer, {0});
        handleLayers_.push_back(layer);
        if (rule == 0) {
            const Rgb color = mix(view_->foregroundColor(), view_->backgroundColor(), 0.4);
            view_->setLayerLegend(layer, {{"centres: drag them", color}});
            legendNames_.push_back("centres: drag them");
        }
    }
}

void FuzzyRulesExplorer::drawQuery() {
    if (!query_) {
        return;
    }
    const FuzzyRulesPicture& picture = *picture_;
    const RulesQuery& query = *query_;
    const RulesPlotBox& box = picture.box;
    const Rgb ink = view_->foregroundColor();
    const ParameterValues values = panel_->values();
    const auto keep = [this](PlotView2D::LayerId layer, const std::string& text = {},
                             const Rgb& color = Rgb::Zero()) {
        queryLayers_.push_back(layer);
        if (!text.empty()) {
            view_->setLayerLegend(layer, {{text, color}});
            legendNames_.push_back(text);
        }
    };

    // x* from the bottom of the box to its top (it also fixes the plot's height).
    Eigen::MatrixX2d line(2, 2);
    line << query.x, box.yMinimum, query.x, box.yMaximum;
    const PlotView2D::LayerId queryLine =
        view_->addPolylines({line}, {mix(ink, view_->backgroundColor(), 0.3)}, 2.0);
    view_->setLayerAboveData(queryLine);
    keep(queryLine, "x*", ink);

    const Eigen::Index rules = query.memberships.size();
    const bool outputsShown = values.boolean("show-rule-lines");
    const bool membershipsShown = values.boolean("show-memberships");
    for (Eigen::Index rule = 0; rule < rules; ++rule) {
        const double strength = query.firingStrengths(rule);
        // Each rule's output at x* as a disc whose area follows its share w_r of the blend.
        if (outputsShown && strength >= 0.01 && query.ruleOutputs(rule) >= box.dataBottom &&
            query.ruleOutputs(rule) <= box.yMaximum) {
            Eigen::MatrixX2d marker(1, 2);
            marker << query.x, query.ruleOutputs(rule);
            keep(view_->addPoints(marker, {5.0 + 13.0 * std::sqrt(strength), ruleColor(rule)}));
        }
        if (membershipsShown && query.memberships(rule) >= 0.01) {
            Eigen::MatrixX2d marker(1, 2);
            marker << query.x, box.stripY(query.memberships(rule));
            keep(view_->addPoints(marker, {10.0, ruleColor(rule)}));
        }
    }
    if (query.estimate.hasValue() && query.estimate.value >= box.dataBottom &&
        query.estimate.value <= box.yMaximum) {
        Eigen::MatrixX2d marker(1, 2);
        marker << query.x, query.estimate.value;
        const PlotView2D::LayerId output = view_->addPoints(marker, {outputMarkerSize, ink});
        view_->setSelection(output, {0});
        keep(output, "output at x*", ink);
    }
}

void FuzzyRulesExplorer::updateFormula() {
    if (!picture_ || !query_) {
        formula_->setText(tr("<b>Fuzzy rules (Takagi–Sugeno):</b> rule r says 'near c<sub>r</sub>, y is "
                             "a<sub>r</sub>(x − c<sub>r</sub>) + b<sub>r</sub>'; the output blends the rules "
                             "by how strongly each one fires at x."));
        return;
    }
    const FuzzyRulesPicture& picture = *picture_;
    const RulesQuery& query = *query_;
    const TakagiSugeno& system = *picture.system;
    const bool firstOrder = picture.order == RuleOrder::First;
    QStringList lines;
    const QString consequent = firstOrder ? QStringLiteral("a<sub>r</sub>(x − c<sub>r</sub>) + b<sub>r</sub>")
                                          : QStringLiteral("b<sub>r</sub>");
    lines
        << tr("<b>Takagi–Sugeno, %1, %2 identification:</b>&nbsp; ŷ(x) = Σ<sub>r</sub> "
              "w<sub>r</sub>(x)·(%3), "
              "&nbsp; w<sub>r</sub> = μ<sub>r</sub> ⁄ Σ<sub>s</sub> μ<sub>s</sub>, &nbsp; μ<sub>r</sub>(x) = "
              "K((x − c<sub>r</sub>)/h), h = %4")
               .arg(orderName(picture.order),
                    QString::fromStdString(identificationKey(picture.identification)), consequent,
                    number(picture.width));

    if (!query.estimate.hasValue()) {
        lines << tr("At x* = %1 every membership is 0 (no rule's %2 kernel reaches it), so ŷ(x*) has no "
                    "value: widen h or move a rule closer.")
                     .arg(number(query.x), QString::fromStdString(std::string(picture.kernel.name())));
    } else {
        // The rules with the most say at x*, strongest first.
        std::vector<Eigen::Index> order(static_cast<std::size_t>(query.firingStrengths.size()));
        std::iota(order.begin(), order.end(), Eigen::Index{0});
        std::stable_sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) {
            return query.firingStrengths(a) > query.firingStrengths(b);
        });
        QString table =
            QStringLiteral("<table cellspacing=\"0\" cellpadding=\"3\"><tr><th align=\"left\">at x* = "
                           "%1</th><th>c<sub>r</sub></th><th>μ<sub>r</sub>(x*)</th>"
                           "<th>w<sub>r</sub>(x*)</th>%2<th>b<sub>r</sub></th><th>rule output</th>"
                           "<th>w<sub>r</sub>·output</th></tr>")
                .arg(number(query.x), firstOrder ? QStringLiteral("<th>a<sub>r</sub></th>") : QString());
        int listed = 0;
        QStringList terms;
        for (const Eigen::Index rule : order) {
            const double strength = query.firingStrengths(rule);
            if (listed == listedRules || strength < listedStrengthFloor) {
                break;
            }
            ++listed;
            table += QStringLiteral("<tr><td>%1</td><td align=\"right\">%2</td><td align=\"right\">%3</td>"
                                    "<td align=\"right\">%4</td>%5<td align=\"right\">%6</td>"
                                    "<td align=\"right\">%7</td><td align=\"right\">%8</td></tr>")
                         .arg(ruleLabel(rule), number(system.centres()(rule, 0)),
                              number(query.memberships(rule)), number(strength),
                              firstOrder ? QStringLiteral("<td align=\"right\">%1</td>")
                                               .arg(number(system.slopes()(rule, 0)))
                                         : QString(),
                              number(system.intercepts()(rule)), number(query.ruleOutputs(rule)),
                              number(strength * query.ruleOutputs(rule)));
            terms << QStringLiteral("%1·%2").arg(number(strength), number(query.ruleOutputs(rule)));
        }
        table += QStringLiteral("</table>");
        lines << table;
        const Eigen::Index rest = query.firingStrengths.size() - listed;
        QString sum =
            tr("ŷ(x*) = Σ<sub>r</sub> w<sub>r</sub>·(rule output) = %1%2 = <b>%3</b> &nbsp;·&nbsp; "
               "Σ<sub>r</sub> w<sub>r</sub>(x*) = %4")
                .arg(terms.join(QStringLiteral(" + ")),
                     rest > 0 ? tr(" + (%1 more rules with w<sub>r</sub> &lt; %2)")
                                    .arg(rest)
                                    .arg(number(std::max(
                                        listedStrengthFloor,
                                        query.firingStrengths(order[static_cast<std::size_t>(listed)]))))
                              : QString(),
                     number(query.estimate.value), number(query.firingStrengths.sum()));
        lines << sum;
    }
    lines << QStringLiteral("<i>%1</i>").arg(identificationSentence(picture.order, picture.identification));

    if (panel_->values().boolean("compare-nadaraya-watson")) {
        const NadarayaWatsonOverCentres& comparison = picture.nadarayaWatson;
        QString compared =
            tr("<span style=\"color:%1\"><b>Nadaraya–Watson over the centres</b></span> (dashed): "
               "Σ<sub>r</sub> K((x − c<sub>r</sub>)/h)·b<sub>r</sub> ⁄ Σ<sub>r</sub> K((x − "
               "c<sub>r</sub>)/h), "
               "computed on its own as a local mean of the %2 points (c<sub>r</sub>, b<sub>r</sub>). Largest "
               "difference to ŷ over %3 points of x: <b>%4</b>")
                .arg(colorName(mix(nadarayaWatsonColor(), Rgb(0, 0, 0), 0.25)))
                .arg(system.ruleCount())
                .arg(picture.grid.size())
                .arg(QString::number(comparison.largestDifference, 'g', 2));
        if (comparison.statusMismatches > 0) {
            compared +=
                tr(" (and %1 points where only one of them has a value)").arg(comparison.statusMismatches);
        }
        compared += firstOrder ? tr(". The identity holds for zero order only: first order adds "
                                    "Σ<sub>r</sub> w<sub>r</sub>(x)·a<sub>r</sub>(x − c<sub>r</sub>).")
                               : tr(": the zero-order system <i>is</i> Nadaraya–Watson over its centres.");
        lines << compared;
    }
    const QString centres = centresMovedByHand_ ? tr("centres moved by hand") : kMeansSummary_;
    lines << tr("<small>Data: %1 · %2</small>").arg(html(picture.sample->origin), centres);
    formula_->setText(lines.join(QStringLiteral("<br>")));
}

} // namespace locallab
