#include "explorers/local_fits_explorer.hpp"

#include "locallab/widgets/parameter_panel.hpp"

#include <QColor>
#include <QEvent>
#include <QFont>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <numeric>

namespace locallab {

namespace {

const std::string& sourceAuto = regressionSourceAuto;
const std::string& sourceDataExplorer = regressionSourceDataExplorer;
const std::string& sourceNoisySine = regressionSourceNoisySine;
const std::string freeExplorationChoice = "free exploration";

constexpr double queryStartFraction = 0.25; // x* starts a quarter into the range of x
constexpr double keyStepFraction = 0.01;    // an arrow key moves x* by this fraction of the range
// Up to this many points the variability band follows a dragged h live; beyond, it waits for the release,
// unless the sample is so large that the band is binned anyway (exactBandPointLimit).
constexpr Eigen::Index liveBandPointLimit = 1000;
constexpr int weightSizeClasses = 8;
constexpr double weightedPointLargest = 17.0;
constexpr double fittedValueMarkerSize = 18.0;
constexpr Eigen::Index localModelSamples = 160;
// The true function is dashed: of every ten points of the curves' grid, six are drawn.
constexpr Eigen::Index truthDashPeriod = 10;
constexpr Eigen::Index truthDashLength = 6;

std::string showParameterName(LocalFitMethod method) {
    return "show-" + localFitMethodKey(method);
}

Rgb methodColor(LocalFitMethod method) {
    switch (method) {
    case LocalFitMethod::NadarayaWatson:
        return categoricalColor(3); // vermillion
    case LocalFitMethod::LocalLinear:
        return categoricalColor(0); // blue
    case LocalFitMethod::LocalQuadratic:
        return categoricalColor(2); // bluish green
    case LocalFitMethod::LocalCubic:
        return categoricalColor(4); // reddish purple
    case LocalFitMethod::Lowess:
        break;
    }
    return categoricalColor(1); // orange
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

// The stretches of a curve that have a value and stay inside [low, high] in y: a curve leaves the box
// (a cubic extrapolating wildly) or has gaps (no data within a compact kernel) without a line across.
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

std::vector<bool> validEntries(const LocalFit& fit) {
    std::vector<bool> valid(static_cast<std::size_t>(fit.size()));
    for (Eigen::Index k = 0; k < fit.size(); ++k) {
        valid[static_cast<std::size_t>(k)] = fit.hasValue(k);
    }
    return valid;
}

QString coefficientName(Eigen::Index t) {
    return QStringLiteral("β<sub>%1</sub>").arg(t);
}

QString methodSentence(LocalFitMethod method, const LowessSettings& lowess, Eigen::Index neighbors) {
    switch (method) {
    case LocalFitMethod::NadarayaWatson:
        return QObject::tr(
            "Nadaraya–Watson is the local constant: the weighted mean of the y's. Near an edge "
            "the window holds data on one side only, so on a slope it is pulled towards the "
            "inside (boundary bias).");
    case LocalFitMethod::LocalLinear:
        return QObject::tr("Local linear fits a weighted line and keeps its value at x*: a slope no longer "
                           "biases the fit, at the edges too.");
    case LocalFitMethod::LocalQuadratic:
    case LocalFitMethod::LocalCubic:
        return QObject::tr(
            "A local polynomial follows peaks and troughs that a line cuts off, at the price of "
            "more variance: the band widens.");
    case LocalFitMethod::Lowess:
        break;
    }
    return QObject::tr("LOWESS fits a local line to the k = ⌊f·n⌋ = %1 nearest points (f = %2) with tricube "
                       "weights, then %3 robustness passes down-weight points with large residuals "
                       "(bisquare of r/6·median|r|), so an outlier barely moves it.")
        .arg(neighbors)
        .arg(number(lowess.fraction))
        .arg(lowess.iterations);
}

QString objective(LocalFitMethod method) {
    if (method == LocalFitMethod::Lowess) {
        return QObject::tr(
            "min Σ<sub>i</sub> w<sub>i</sub>·r<sub>i</sub>·(y<sub>i</sub> − β<sub>0</sub> − "
            "β<sub>1</sub>(x<sub>i</sub> − x*))², w<sub>i</sub> tricube, r<sub>i</sub> robustness");
    }
    QString model = QStringLiteral("β<sub>0</sub>");
    const int degree = localFitDegree(method);
    for (int t = 1; t <= degree; ++t) {
        model += QStringLiteral(" − β<sub>%1</sub>(x<sub>i</sub> − x*)%2")
                     .arg(t)
                     .arg(t > 1 ? QStringLiteral("<sup>%1</sup>").arg(t) : QString());
    }
    return QObject::tr("min Σ<sub>i</sub> K((x<sub>i</sub> − x*)/h)·(y<sub>i</sub> − %1)²").arg(model);
}

} // namespace

const std::string& LocalFitsExplorer::freeExploration() {
    return freeExplorationChoice;
}

std::vector<std::string> LocalFitsExplorer::lessonChoices() {
    std::vector<std::string> choices = {freeExplorationChoice};
    const auto& keys = localFitsLessonKeys();
    choices.insert(choices.end(), keys.begin(), keys.end());
    return choices;
}

std::vector<ParameterDescription> LocalFitsExplorer::parameterDescriptions() {
    std::vector<std::string> methodKeys;
    for (const LocalFitMethod method : localFitMethods()) {
        methodKeys.push_back(localFitMethodKey(method));
    }
    std::vector<ParameterDescription> descriptions = {
        choiceParameter("lesson", "Lesson", lessonChoices(), freeExplorationChoice,
                        "Sets data and parameters that show one classic point about local regression "
                        "(boundary bias, outliers, h too small or too large, uneven noise, "
                        "cross-validation) and explains what to look for. Choosing other data ends it."),
        choiceParameter("data", "Data", {sourceAuto, sourceDataExplorer, sourceNoisySine}, sourceAuto,
                        "Auto fits the Data explorer's data when they have a target and a built-in noisy "
                        "sine otherwise; 'data explorer' always fits its y (the target, or else the second "
                        "column) against its first column."),
        choiceParameter("kernel", "Kernel", kernelProfileNames(), "gaussian",
                        "The weight K(x*, x_i) = k(((x_i − x*)/h)²) of a data point for the fit at x*."),
        realParameter("bandwidth", "Bandwidth h", 1e-4, 1e4, 0.1,
                      "The kernel's scale: the Gaussian's standard deviation, the radius of compact "
                      "kernels. Small h follows the noise, large h flattens the curve.",
                      true),
        choiceParameter("featured", "Local model at x*", methodKeys,
                        localFitMethodKey(LocalFitMethod::LocalLinear),
                        "The method whose weights, local model and numbers are shown at x*."),
    };
    for (const LocalFitMethod method : localFitMethods()) {
        const bool shown = method == LocalFitMethod::NadarayaWatson || method == LocalFitMethod::LocalLinear;
        std::string label = localFitMethodLabel(method);
        label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
        descriptions.push_back(booleanParameter(showParameterName(method), label + " curve", shown,
                                                "Draw the " + localFitMethodLabel(method) + " fit."));
    }
    descriptions.push_back(realParameter("lowess-fraction", "LOWESS span f", 0.02, 1.0, 0.3,
                                         "LOWESS fits each point from its ⌊f·n⌋ nearest neighbours."));
    descriptions.push_back(
        integerParameter("lowess-iterations", "LOWESS robustness passes", 0, 10, 3,
                         "Passes that re-weight points by their residuals (0: plain LOESS)."));
    descriptions.push_back(
        booleanParameter("show-band", "Variability band", true,
                         "±σ̂·sqrt(Σ l_i(x)²) around the featured fit: its pointwise standard "
                         "error from the smoother weights l_i(x)."));
    return descriptions;
}

LocalFitsExplorer::LocalFitsExplorer(QWidget* widgetParent) : Explorer(widgetParent) {
    central_ = new QWidget(widgetParent);
    view_ = new PlotView2D(central_);
    view_->setAspectMode(PlotView2D::AspectMode::Fill);
    view_->installEventFilter(this);
    central_->installEventFilter(this);
    view_->setToolTip(
        tr("Click or drag to move the query point x*; arrow keys nudge it. Middle-drag pans, the "
           "wheel zooms."));

    lessonText_ = new QLabel(central_);
    lessonText_->setObjectName(QStringLiteral("lessonText"));
    lessonText_->setWordWrap(true);
    lessonText_->setTextFormat(Qt::RichText);
    lessonText_->setStyleSheet(QStringLiteral("QLabel { background: #fff4d6; border-left: 5px solid #e69f00; "
                                              "padding: 6px 10px; color: #222222; }"));
    QFont lessonFont = lessonText_->font();
    lessonFont.setPointSizeF(lessonFont.pointSizeF() * 1.2);
    lessonText_->setFont(lessonFont);
    lessonText_->hide();
    badge_ = new QLabel(central_);
    badge_->setObjectName(QStringLiteral("frameKindBadge"));
    badge_->setSizePolicy(QSizePolicy::Maximum, QSizePolicy::Fixed);
    badge_->hide();
    message_ = new QLabel(central_);
    message_->setObjectName(QStringLiteral("localFitsMessage"));
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
    formulaFont.setPointSizeF(formulaFont.pointSizeF() * 1.4);
    formula_->setFont(formulaFont);
    formula_->setContentsMargins(6, 4, 6, 6);

    crossValidationBox_ = new QWidget(central_);
    crossValidationView_ = new PlotView2D(crossValidationBox_);
    crossValidationView_->setObjectName(QStringLiteral("crossValidationView"));
    crossValidationView_->setAspectMode(PlotView2D::AspectMode::Fill);
    crossValidationView_->showLegend(false);
    crossValidationView_->setMinimumSize(340, 230);
    crossValidationBox_->setMaximumWidth(460);
    useOptimumButton_ = new QPushButton(tr("Use the CV optimum"), crossValidationBox_);
    useOptimumButton_->setObjectName(QStringLiteral("useCrossValidationOptimum"));
    QFont buttonFont = useOptimumButton_->font();
    buttonFont.setPointSizeF(buttonFont.pointSizeF() * 1.2);
    useOptimumButton_->setFont(buttonFont);
    connect(useOptimumButton_, &QPushButton::clicked, this, &LocalFitsExplorer::useCrossValidationOptimum);
    auto* crossValidationLayout = new QVBoxLayout(crossValidationBox_);
    crossValidationLayout->setContentsMargins(0, 0, 0, 0);
    crossValidationLayout->setSpacing(2);
    crossValidationLayout->addWidget(crossValidationView_, 1);
    crossValidationLayout->addWidget(useOptimumButton_);

    auto* lower = new QHBoxLayout;
    lower->addWidget(formula_, 3);
    lower->addWidget(crossValidationBox_, 2);
    auto* layout = new QVBoxLayout(central_);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto* header = new QHBoxLayout;
    header->addWidget(badge_, 0, Qt::AlignTop);
    header->addWidget(message_, 1);
    header->addStretch(0); // keeps the badge its own size while there is no message
    layout->addWidget(lessonText_);
    layout->addLayout(header);
    layout->addWidget(view_, 1);
    layout->addLayout(lower);

    panel_ = new ParameterPanel(parameterDescriptions(), widgetParent);
    QPushButton* silverman = panel_->addButton("bandwidth", tr("Silverman"));
    silverman->setObjectName(QStringLiteral("rule_silverman"));
    silverman->setToolTip(tr("Silverman's robust rule of thumb for x, matched to the kernel's spread."));
    connect(silverman, &QPushButton::clicked, this, [this] { requestFits("silverman"); });
    optimumRuleButton_ = panel_->addButton("bandwidth", tr("CV optimum"));
    optimumRuleButton_->setObjectName(QStringLiteral("rule_cv"));
    optimumRuleButton_->setToolTip(tr("The h with the smallest leave-one-out cross-validation error."));
    connect(optimumRuleButton_, &QPushButton::clicked, this, &LocalFitsExplorer::useCrossValidationOptimum);
    connect(panel_, &ParameterPanel::parameterChanging, this, &LocalFitsExplorer::onParameterChanging);
    connect(panel_, &ParameterPanel::parameterChanged, this, &LocalFitsExplorer::onParameterChanged);

    connect(&fitsRunner_, &JobRunner::finished, this,
            [this](quint64, const JobResult& result, double milliseconds) {
                onFitsFinished(result, milliseconds);
            });
    connect(&fitsRunner_, &JobRunner::failed, this, [this](quint64, const QString& message) {
        emit busyChanged(false);
        jobProblem_ = tr("%1. The picture shows the last fit that worked.").arg(message).toStdString();
        showMessages();
    });
    connect(&fitsRunner_, &JobRunner::progressChanged, this, &Explorer::progressChanged);
    connect(&fitsRunner_, &JobRunner::started, this, [this] { emit busyChanged(true); });
    connect(&fitsRunner_, &JobRunner::canceled, this, [this] {
        emit busyChanged(false);
        updateBadge();
    });
    // A failed approximation says nothing the exact job will not say: only the exact job reports.
    connect(&approximateFitsRunner_, &JobRunner::finished, this,
            [this](quint64, const JobResult& result, double milliseconds) {
                onApproximateFitsFinished(result, milliseconds);
            });
    exactDelay_ = new QTimer(this);
    exactDelay_->setSingleShot(true);
    exactDelay_->setInterval(exactDelayWhileDraggingMilliseconds);
    connect(exactDelay_, &QTimer::timeout, this, &LocalFitsExplorer::startExactJob);
    connect(&queryRunner_, &JobRunner::finished, this,
            [this](quint64, const JobResult& result, double milliseconds) {
                onQueryFinished(result, milliseconds);
            });
    connect(&queryRunner_, &JobRunner::failed, this, [this](quint64, const QString& message) {
        jobProblem_ = message.toStdString();
        showMessages();
    });
    connect(&crossValidationRunner_, &JobRunner::finished, this,
            [this](quint64, const JobResult& result, double) { onCrossValidationFinished(result); });
    connect(&crossValidationRunner_, &JobRunner::failed, this, [this](quint64, const QString& message) {
        crossValidation_.reset();
        optimumWanted_ = false;
        crossValidationProblem_ = tr("No cross-validation curve: %1.").arg(message).toStdString();
        drawCrossValidation();
        showMessages();
    });
    // The first look at the explorer fits whatever data there are (the built-in sine when none).
    ruleWaitingForShow_ = "silverman";
    drawCrossValidation();
    updateFormula();
}

std::optional<ResultTable> LocalFitsExplorer::resultTable() const {
    if (!picture_ || picture_->curves.empty()) {
        return std::nullopt;
    }
    const LocalFitsPicture& picture = *picture_;
    const Eigen::Index rows = picture.grid.size();
    ResultTable table;
    table.description =
        "one row per point of the curve: x, then each shown fit (empty where it has no support)";
    table.header.push_back(picture.sample ? picture.sample->xName : "x");
    for (const FittedCurve& curve : picture.curves) {
        table.header.push_back(localFitMethodKey(curve.method));
    }
    if (picture.band) {
        table.header.push_back("band_lower");
        table.header.push_back("band_upper");
    }
    table.values.resize(rows, static_cast<Eigen::Index>(table.header.size()));
    table.values.col(0) = picture.grid;
    for (std::size_t c = 0; c < picture.curves.size(); ++c) {
        const LocalFit& fit = picture.curves[c].fit;
        for (Eigen::Index row = 0; row < rows; ++row) {
            table.values(row, static_cast<Eigen::Index>(c) + 1) =
                fit.hasValue(row) ? fit.values(row) : std::nan("");
        }
    }
    if (picture.band) {
        const Eigen::Index lower = table.values.cols() - 2;
        for (Eigen::Index row = 0; row < rows; ++row) {
            const bool known = picture.band->center.hasValue(row);
            const double center = picture.band->center.values(row);
            const double half = picture.band->halfWidth(row);
            table.values(row, lower) = known ? center - half : std::nan("");
            table.values(row, lower + 1) = known ? center + half : std::nan("");
        }
    }
    return table;
}

QString LocalFitsExplorer::title() const {
    return tr("Local fits");
}

VtkView* LocalFitsExplorer::view() const {
    return view_;
}

ParameterPanel* LocalFitsExplorer::panel() const {
    return panel_;
}

QWidget* LocalFitsExplorer::centralWidget() const {
    return central_;
}

void LocalFitsExplorer::cancel() {
    exactDelay_->stop();
    pendingExactRequest_.reset();
    approximateFitsRunner_.cancel();
    fitsRunner_.cancel();
    queryRunner_.cancel();
    crossValidationRunner_.cancel();
}

void LocalFitsExplorer::setDataset(std::shared_ptr<const Dataset> dataset) {
    dataset_ = std::move(dataset);
    leaveLesson(); // new data are the user's own exploration
    queryPlaced_ = false;
    reframePending_ = true;
    // Nothing runs for an explorer nobody looks at; the work waits until the explorer is shown.
    if (central_->isVisible()) {
        chooseSample();
        requestFits("silverman");
        requestCrossValidation();
    } else {
        ruleWaitingForShow_ = "silverman";
    }
}

void LocalFitsExplorer::chooseSample() {
    const std::string source = panel_->values().choice("data");
    sampleProblem_.clear();
    if (lesson_) {
        sample_ = lesson_->sample;
        return;
    }
    const ChosenRegressionSample chosen = chooseRegressionSample(source, dataset_.get());
    sample_ = chosen.sample;
    if (chosen.dataUnusable) {
        sampleProblem_ = tr("These data cannot be fitted: %1. The picture shows the last fit that worked.")
                             .arg(QString::fromStdString(chosen.problem))
                             .toStdString();
    } else {
        sampleProblem_ = chosen.problem;
    }
}

void LocalFitsExplorer::setQueryPoint(double x) {
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

bool LocalFitsExplorer::eventFilter(QObject* watched, QEvent* event) {
    if (watched == central_ && event->type() == QEvent::Show && ruleWaitingForShow_) {
        const std::string rule = *ruleWaitingForShow_;
        ruleWaitingForShow_.reset();
        chooseSample();
        requestFits(rule);
        requestCrossValidation();
    }
    if (watched != view_) {
        return Explorer::eventFilter(watched, event);
    }
    // The left button belongs to x*: a press anywhere in the frame moves it there and a drag carries it.
    // The view never sees those events, so it does not pan; the middle button and the wheel still do.
    switch (event->type()) {
    case QEvent::MouseButtonPress: {
        const auto* mouse = static_cast<QMouseEvent*>(event);
        if (mouse->button() == Qt::LeftButton && mouse->modifiers() == Qt::NoModifier && picture_ &&
            view_->frameRect().contains(mouse->position())) {
            draggingQuery_ = true;
            view_->setFocus();
            dragQueryTo(mouse->position());
            return true;
        }
        break;
    }
    case QEvent::MouseMove:
        if (draggingQuery_) {
            dragQueryTo(static_cast<QMouseEvent*>(event)->position());
            return true;
        }
        break;
    case QEvent::MouseButtonRelease:
        if (draggingQuery_ && static_cast<QMouseEvent*>(event)->button() == Qt::LeftButton) {
            draggingQuery_ = false;
            dragQueryTo(static_cast<QMouseEvent*>(event)->position());
            return true;
        }
        break;
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

void LocalFitsExplorer::dragQueryTo(const QPointF& widgetPosition) {
    setQueryPoint(view_->displayToData(widgetPosition).x());
}

void LocalFitsExplorer::onParameterChanging(const QString& name, const ParameterValue&) {
    // Only h has a slider worth previewing; every change of it asks for new fits.
    if (name == QStringLiteral("bandwidth")) {
        requestFits({}, Urgency::WhileDragging);
    }
}

void LocalFitsExplorer::onParameterChanged(const QString& name, const ParameterValue&) {
    onParameter(name.toStdString());
}

void LocalFitsExplorer::onParameter(const std::string& name) {
    if (name == "lesson") {
        startLesson(panel_->values().choice("lesson"));
        return;
    }
    if (name == "data") {
        leaveLesson();
        queryPlaced_ = false;
        reframePending_ = true;
        chooseSample();
        requestFits("silverman");
        requestCrossValidation();
        showMessages();
        return;
    }
    if (name == "featured") {
        // The method whose local model is shown is drawn as a curve too: the model touches that curve.
        const ParameterValues values = panel_->values();
        if (const auto featured = parseLocalFitMethod(values.choice("featured"))) {
            ParameterValues shown = values;
            shown.set(showParameterName(*featured), true);
            panel_->setValues(shown);
        }
    }
    requestFits();
    if (name == "kernel" || name == "featured") {
        requestCrossValidation();
    }
}

void LocalFitsExplorer::startLesson(const std::string& key) {
    if (key == freeExplorationChoice) {
        const bool wasActive = lesson_.has_value();
        leaveLesson();
        if (wasActive && picture_) {
            drawFits(); // the data stay; the lesson's true function goes
        }
        return;
    }
    LocalFitsLesson lesson = makeLocalFitsLesson(key);
    ParameterValues values = panel_->values();
    for (const auto& [name, value] : lesson.settings.all()) {
        values.set(name, value);
    }
    values.set("lesson", key);
    panel_->setValues(values);
    chosenBandwidth_.reset();
    if (lesson.settings.contains("bandwidth")) {
        setBandwidthSilently(lesson.settings.real("bandwidth")); // exactly, whatever the box rounds to
    }
    lessonText_->setText(QStringLiteral("<b>%1.</b> %2").arg(html(lesson.title), html(lesson.explanation)));
    lessonText_->show();
    queryX_ = lesson.queryX;
    queryPlaced_ = true;
    reframePending_ = true;
    lesson_ = std::move(lesson);
    if (central_->isVisible()) {
        chooseSample();
        requestFits();
        requestCrossValidation();
        showMessages();
    } else {
        ruleWaitingForShow_ = std::string(); // no rule: the lesson's h
    }
}

void LocalFitsExplorer::leaveLesson() {
    lesson_.reset();
    lessonText_->clear();
    lessonText_->hide();
    ParameterValues values = panel_->values();
    if (values.choice("lesson") != freeExplorationChoice) {
        values.set("lesson", freeExplorationChoice);
        panel_->setValues(values);
    }
}

QString LocalFitsExplorer::lessonText() const {
    return lessonText_->isHidden() ? QString() : lessonText_->text();
}

bool LocalFitsExplorer::lowessIsFeatured() const {
    return parseLocalFitMethod(panel_->values().choice("featured")) == LocalFitMethod::Lowess;
}

void LocalFitsExplorer::setBandwidthSilently(double h) {
    ParameterValues values = panel_->values();
    values.set("bandwidth", h);
    panel_->setValues(values);
    chosenBandwidth_ = ChosenBandwidth{h, panel_->values().real("bandwidth")};
}

double LocalFitsExplorer::currentBandwidth() const {
    const double shown = panel_->values().real("bandwidth");
    return chosenBandwidth_ && chosenBandwidth_->shown == shown ? chosenBandwidth_->exact : shown;
}

void LocalFitsExplorer::requestFits(const std::string& bandwidthRule, Urgency urgency) {
    if (!sample_) {
        showMessages();
        return;
    }
    const ParameterValues values = panel_->values();
    FitsRequest request;
    request.sample = sample_;
    request.kernel =
        RadialKernel(parseKernelProfile(values.choice("kernel")).value_or(KernelProfile::Gaussian));
    request.bandwidth = currentBandwidth();
    request.bandwidthRule = bandwidthRule;
    for (const LocalFitMethod method : localFitMethods()) {
        if (values.boolean(showParameterName(method))) {
            request.shownMethods.push_back(method);
        }
    }
    request.featured = parseLocalFitMethod(values.choice("featured")).value_or(LocalFitMethod::LocalLinear);
    request.lowess.fraction = values.real("lowess-fraction");
    request.lowess.iterations = static_cast<int>(values.integer("lowess-iterations"));
    // The band costs a fit per data point; while h is dragged over many points it waits for the release
    // (in both pictures, so that the exact one does not take away a band the approximate one drew).
    const Eigen::Index n = sample_->x.size();
    request.band = values.boolean("show-band") &&
                   (urgency == Urgency::Now || n <= liveBandPointLimit || n > exactBandPointLimit);
    request.gridSize = curvePoints_;
    if (!queryPlaced_) {
        queryX_ =
            sample_->x.minCoeff() + queryStartFraction * (sample_->x.maxCoeff() - sample_->x.minCoeff());
        queryPlaced_ = true;
    }
    request.queryX = queryX_;
    if (picture_ && picture_->sample == sample_ && picture_->lowessFit &&
        picture_->lowess.fraction == request.lowess.fraction &&
        picture_->lowess.iterations == request.lowess.iterations) {
        request.reusableLowess = picture_->lowessFit;
    }
    request.requestNumber = ++latestFits_;
    sinceFitsChange_.start();
    pendingExactRequest_ = request;
    if (n < approximatePointLimit) {
        approximateFitsRunner_.cancel();
        exactDelay_->stop();
        startExactJob();
        return;
    }
    approximateFitsRunner_.start(
        [request](Progress& progress) { return computeApproximateLocalFitsPicture(request, progress); });
    if (urgency == Urgency::WhileDragging) {
        // While the slider moves the approximate job gets the machine: the exact job for an old h is
        // stopped, and the one for this h waits until the hand rests.
        fitsRunner_.cancel();
        exactDelay_->start();
    } else {
        exactDelay_->stop();
        startExactJob();
    }
    updateBadge();
}

void LocalFitsExplorer::startExactJob() {
    if (!pendingExactRequest_) {
        return;
    }
    const FitsRequest request = *pendingExactRequest_;
    pendingExactRequest_.reset();
    fitsRunner_.start([request](Progress& progress) { return computeLocalFitsPicture(request, progress); });
    updateBadge();
}

void LocalFitsExplorer::setCurvePoints(Eigen::Index points) {
    curvePoints_ = std::max<Eigen::Index>(points, 2);
    requestFits();
}

void LocalFitsExplorer::requestQuery() {
    if (!picture_) {
        return;
    }
    const std::uint64_t number = ++latestQuery_;
    sinceQueryMove_.start();
    queryRunner_.start([picture = picture_, x = queryX_, number](Progress&) {
        return computeQueryPicture(*picture, x, number);
    });
}

CrossValidationRequest LocalFitsExplorer::crossValidationRequest() const {
    const ParameterValues values = panel_->values();
    CrossValidationRequest request;
    request.sample = sample_;
    request.kernel =
        RadialKernel(parseKernelProfile(values.choice("kernel")).value_or(KernelProfile::Gaussian));
    // LOWESS's span is not h: its curve is the local linear one, the same local model.
    request.degree =
        localFitDegree(parseLocalFitMethod(values.choice("featured")).value_or(LocalFitMethod::LocalLinear));
    return request;
}

bool LocalFitsExplorer::crossValidationIsCurrent() const {
    const CrossValidationRequest wanted = crossValidationRequest();
    return crossValidation_ && crossValidation_->sample == wanted.sample &&
           crossValidation_->kernel.profile() == wanted.kernel.profile() &&
           crossValidation_->degree == wanted.degree;
}

void LocalFitsExplorer::requestCrossValidation() {
    if (!sample_) {
        return;
    }
    // A job for other settings may still run; whatever it returns is no longer wanted.
    ++latestCrossValidation_;
    crossValidationProblem_.clear();
    if (crossValidationIsCurrent()) {
        crossValidationRunner_.cancel();
        drawCrossValidation();
        return; // the curve on screen is this one
    }
    CrossValidationRequest request = crossValidationRequest();
    request.requestNumber = latestCrossValidation_;
    crossValidationRunner_.start(
        [request](Progress& progress) { return computeCrossValidationPicture(request, progress); });
    drawCrossValidation();
}

void LocalFitsExplorer::useCrossValidationOptimum() {
    if (lowessIsFeatured()) {
        return; // LOWESS's neighbourhood is its span f; the curve's optimum is an h it would ignore
    }
    if (!crossValidationIsCurrent()) {
        optimumWanted_ = true;
        requestCrossValidation();
        return;
    }
    optimumWanted_ = false;
    setBandwidthSilently(crossValidation_->curve.bestBandwidth());
    requestFits();
}

void LocalFitsExplorer::onFitsFinished(const JobResult& result, double elapsedMilliseconds) {
    auto picture = result.get<std::shared_ptr<const LocalFitsPicture>>();
    emit busyChanged(false);
    emit computeTimeMeasured(elapsedMilliseconds);
    if (picture->requestNumber != latestFits_) {
        return;
    }
    approximateFitsRunner_.cancel();
    if (currentBandwidth() != picture->bandwidth) {
        setBandwidthSilently(picture->bandwidth); // a rule chose h: the panel shows the value in use
    }
    jobProblem_.clear();
    showFits(std::move(picture), elapsedMilliseconds);
}

void LocalFitsExplorer::onApproximateFitsFinished(const JobResult& result, double elapsedMilliseconds) {
    auto picture = result.get<std::shared_ptr<const LocalFitsPicture>>();
    // Too late: a newer change was made, or the exact picture of this one is already on screen.
    if (picture->requestNumber != latestFits_ ||
        (picture_ && picture_->exact && picture_->requestNumber == picture->requestNumber)) {
        return;
    }
    if (currentBandwidth() != picture->bandwidth) {
        setBandwidthSilently(picture->bandwidth);
    }
    showFits(std::move(picture), elapsedMilliseconds);
}

void LocalFitsExplorer::onQueryFinished(const JobResult& result, double elapsedMilliseconds) {
    auto query = result.get<std::shared_ptr<const QueryPicture>>();
    if (query->requestNumber != latestQuery_) {
        return;
    }
    showQuery(std::move(query), elapsedMilliseconds);
}

void LocalFitsExplorer::onCrossValidationFinished(const JobResult& result) {
    auto picture = result.get<std::shared_ptr<const CrossValidationPicture>>();
    if (picture->requestNumber != latestCrossValidation_) {
        return;
    }
    crossValidation_ = std::move(picture);
    drawCrossValidation();
    emit crossValidationShown();
    if (optimumWanted_) {
        useCrossValidationOptimum();
    }
}

void LocalFitsExplorer::showFits(std::shared_ptr<const LocalFitsPicture> picture, double jobMilliseconds) {
    QElapsedTimer scene;
    scene.start();
    picture_ = std::move(picture);
    // A drag that went on while these fits were computed asks for its own query.
    const double x = std::clamp(queryX_, picture_->box.xMinimum, picture_->box.xMaximum);
    ++latestQuery_;
    const bool initialIsCurrent = picture_->initialQuery->x == x;
    query_ = picture_->initialQuery;
    drawFits();
    drawCrossValidation();
    updateBadge();
    showMessages();
    pictureTiming_ = {jobMilliseconds, static_cast<double>(scene.nsecsElapsed()) / 1e6};
    emit dataShown(picture_->sample->x.size(), 2);
    emit pictureShown(static_cast<double>(sinceFitsChange_.nsecsElapsed()) / 1e6);
    if (initialIsCurrent) {
        queryTiming_ = pictureTiming_;
        emit queryShown(static_cast<double>(sinceFitsChange_.nsecsElapsed()) / 1e6);
    } else {
        queryX_ = x;
        requestQuery();
    }
}

void LocalFitsExplorer::showQuery(std::shared_ptr<const QueryPicture> query, double jobMilliseconds) {
    QElapsedTimer scene;
    scene.start();
    query_ = std::move(query);
    drawQuery();
    updateFormula();
    showMessages();
    queryTiming_ = {jobMilliseconds, static_cast<double>(scene.nsecsElapsed()) / 1e6};
    emit queryShown(static_cast<double>(sinceQueryMove_.nsecsElapsed()) / 1e6);
}

void LocalFitsExplorer::showMessages() {
    QStringList lines;
    for (const std::string* text : {&sampleProblem_, &jobProblem_, &crossValidationProblem_}) {
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

QString LocalFitsExplorer::badgeText() const {
    return badge_->isHidden() ? QString() : badge_->text();
}

void LocalFitsExplorer::updateBadge() {
    const bool approximating = sample_ && sample_->x.size() >= approximatePointLimit;
    const bool computing = fitsRunner_.isRunning() || exactDelay_->isActive();
    if (!picture_ || (!approximating && picture_->exact)) {
        badge_->clear();
        badge_->hide();
        updateFormula();
        return;
    }
    QString text;
    QString color;
    if (!picture_->exact) {
        text = tr("Approximate (binned) — exact result on its way");
        color = QStringLiteral("#c25400");
    } else if (computing) {
        text = tr("Exact, for the previous parameters — computing the new result…");
        color = QStringLiteral("#777777");
    } else {
        text = tr("Exact");
        color = QStringLiteral("#1b7f3b");
    }
    badge_->setText(text);
    badge_->setProperty("exact", picture_->exact && !computing);
    badge_->setStyleSheet(QStringLiteral("QLabel { color: white; background: %1; border-radius: 4px; "
                                         "padding: 3px 8px; font-weight: bold; }")
                              .arg(color));
    badge_->show();
    updateFormula();
}

QString LocalFitsExplorer::formulaText() const {
    return formula_->text();
}

QString LocalFitsExplorer::messageText() const {
    return message_->isVisible() ? message_->text() : QString();
}

void LocalFitsExplorer::drawFits() {
    const LocalFitsPicture& picture = *picture_;
    const RegressionSample& sample = *picture.sample;
    const PlotBox& box = picture.box;
    const Rgb background = view_->backgroundColor();
    const auto name = [this](PlotView2D::LayerId layer, const std::string& text, const Rgb& color) {
        view_->setLayerLegend(layer, {{text, color}});
        legendNames_.push_back(text);
    };
    // The scatter is by far the largest layer and changes only with the data: it is built once per sample
    // and kept while h, the kernel or the methods change; the layers of the fits are replaced.
    const Eigen::Index n = sample.x.size();
    const std::string dataName = "data (n = " + std::to_string(n) + ")";
    const Rgb dataColor(0.55, 0.55, 0.55);
    if (drawnSample_ != picture.sample) {
        view_->clearLayers();
        fitsLayers_.clear();
        queryLayers_.clear();
        PlotView2D::PointStyle dataStyle;
        dataStyle.size = n > 5000 ? 3.0 : (n > 1000 ? 4.5 : 6.5);
        dataStyle.color = dataColor;
        Eigen::MatrixX2d points(n, 2);
        points.col(0) = sample.x;
        points.col(1) = sample.y;
        const PlotView2D::LayerId data = view_->addPoints(points, dataStyle);
        view_->setLayerLegend(data, {{dataName, dataColor}});
        drawnSample_ = picture.sample;
    }
    for (const std::vector<PlotView2D::LayerId>* layers : {&fitsLayers_, &queryLayers_}) {
        for (const PlotView2D::LayerId layer : *layers) {
            view_->removeLayer(layer);
        }
    }
    fitsLayers_.clear();
    queryLayers_.clear();
    legendNames_ = {dataName};

    const ParameterValues values = panel_->values();
    if (picture.band && values.boolean("show-band")) {
        const VariabilityBand& band = *picture.band;
        const Rgb color = methodColor(picture.featured);
        // The band is filled with vertical strokes in one opaque colour, so overlapping strokes never darken.
        std::vector<Eigen::MatrixX2d> strokes;
        Eigen::VectorXd lower(picture.grid.size());
        Eigen::VectorXd upper(picture.grid.size());
        for (Eigen::Index k = 0; k < picture.grid.size(); ++k) {
            lower(k) = std::max(band.center.values(k) - band.halfWidth(k), box.yMinimum);
            upper(k) = std::min(band.center.values(k) + band.halfWidth(k), box.yMaximum);
            if (band.center.hasValue(k) && upper(k) > lower(k)) {
                Eigen::MatrixX2d stroke(2, 2);
                stroke << picture.grid(k), lower(k), picture.grid(k), upper(k);
                strokes.push_back(stroke);
            }
        }
        const Rgb fill = mix(color, background, 0.78);
        const PlotView2D::LayerId filled =
            view_->addPolylines(strokes, std::vector<Rgb>(strokes.size(), fill), 3.0);
        fitsLayers_.push_back(filled);
        name(filled, "±1 standard error", fill);
        const std::vector<bool> valid = validEntries(band.center);
        std::vector<Eigen::MatrixX2d> edges =
            visiblePieces(picture.grid, lower, valid, box.yMinimum, box.yMaximum);
        const auto upperEdges = visiblePieces(picture.grid, upper, valid, box.yMinimum, box.yMaximum);
        edges.insert(edges.end(), upperEdges.begin(), upperEdges.end());
        fitsLayers_.push_back(
            view_->addPolylines(edges, std::vector<Rgb>(edges.size(), mix(color, background, 0.45)), 1.2));
    }

    if (lesson_ && lesson_->truth && picture.sample == lesson_->sample) {
        Eigen::VectorXd truth(picture.grid.size());
        std::vector<bool> dashes(static_cast<std::size_t>(picture.grid.size()));
        for (Eigen::Index k = 0; k < picture.grid.size(); ++k) {
            truth(k) = lesson_->truth(picture.grid(k));
            dashes[static_cast<std::size_t>(k)] = k % truthDashPeriod < truthDashLength;
        }
        const auto pieces = visiblePieces(picture.grid, truth, dashes, box.yMinimum, box.yMaximum);
        const Rgb truthColor = mix(view_->foregroundColor(), background, 0.15);
        const PlotView2D::LayerId layer =
            view_->addPolylines(pieces, std::vector<Rgb>(pieces.size(), truthColor), 2.0);
        view_->setLayerAboveData(layer);
        fitsLayers_.push_back(layer);
        name(layer, "true function (dashed)", truthColor);
    }

    for (const FittedCurve& curve : picture.curves) {
        const Rgb color = methodColor(curve.method);
        const auto pieces = visiblePieces(picture.grid, curve.fit.values, validEntries(curve.fit),
                                          box.yMinimum, box.yMaximum);
        const PlotView2D::LayerId layer = view_->addPolylines(pieces, std::vector<Rgb>(pieces.size(), color),
                                                              curve.method == picture.featured ? 3.5 : 3.0);
        view_->setLayerAboveData(layer); // a fit reads best drawn over its scatter
        fitsLayers_.push_back(layer);
        name(layer, localFitMethodLabel(curve.method), color);
    }

    // The kernel strip's baseline over the whole box (it also fixes the plot's width); the query draws the
    // kernel on it.
    Eigen::MatrixX2d baseline(2, 2);
    baseline << box.xMinimum, box.yMinimum, box.xMaximum, box.yMinimum;
    const Rgb ink = view_->foregroundColor();
    fitsLayers_.push_back(view_->addPolylines({baseline}, {mix(ink, background, 0.6)}, 1.0));
    fitsLegendRows_ = legendNames_.size();

    view_->setTitle(sample.yName + " against " + sample.xName + " · " + std::string(picture.kernel.name()) +
                    " kernel · h = " + number(picture.bandwidth).toStdString());
    view_->setAxisTitles(sample.xName, sample.yName);
    drawQuery();
    if (reframePending_) {
        view_->resetCamera();
        reframePending_ = false;
    }
    view_->requestRender();
}

void LocalFitsExplorer::drawQuery() {
    for (const PlotView2D::LayerId layer : queryLayers_) {
        view_->removeLayer(layer);
    }
    queryLayers_.clear();
    legendNames_.resize(std::min(legendNames_.size(), picture_ ? fitsLegendRows_ : 0));
    if (!picture_ || !query_) {
        view_->requestRender();
        return;
    }
    const LocalFitsPicture& picture = *picture_;
    const QueryPicture& query = *query_;
    const PlotBox& box = picture.box;
    const Rgb featured = methodColor(query.featured);
    const Rgb ink = view_->foregroundColor();
    const auto keep = [this](PlotView2D::LayerId layer, const std::string& text = {}, const Rgb& color = {}) {
        queryLayers_.push_back(layer);
        if (!text.empty()) {
            view_->setLayerLegend(layer, {{text, color}});
            legendNames_.push_back(text);
        }
    };

    // The kernel strip (its baseline is drawn with the fits): the weighting at x*.
    const Rgb kernelColor = mix(ink, view_->backgroundColor(), 0.35);
    keep(view_->addPolylines({query.kernelCurve}, {kernelColor}, 2.5),
         query.featured == LocalFitMethod::Lowess ? "tricube at x*" : "kernel at x*", kernelColor);

    // x* itself, from the bottom of the strip to the top of the box (it also fixes the plot's height).
    Eigen::MatrixX2d line(2, 2);
    line << query.x, box.yMinimum, query.x, box.yMaximum;
    const PlotView2D::LayerId queryLine = view_->addPolylines({line}, {ink}, 2.0);
    view_->setLayerAboveData(queryLine);
    keep(queryLine, "x*", ink);

    if (query.model) {
        const LocalModel& model = *query.model;
        const double low = std::max(model.supportLow, box.xMinimum);
        const double high = std::min(model.supportHigh, box.xMaximum);
        const Eigen::VectorXd xs = Eigen::VectorXd::LinSpaced(localModelSamples, low, high);
        Eigen::VectorXd ys(xs.size());
        for (Eigen::Index k = 0; k < xs.size(); ++k) {
            ys(k) = model.valueAt(xs(k), query.x);
        }
        const auto pieces = visiblePieces(
            xs, ys, std::vector<bool>(static_cast<std::size_t>(xs.size()), true), box.yMinimum, box.yMaximum);
        const Rgb modelColor = 0.55 * featured;
        const PlotView2D::LayerId modelLayer =
            view_->addPolylines(pieces, std::vector<Rgb>(pieces.size(), modelColor), 4.5);
        view_->setLayerAboveData(modelLayer);
        keep(modelLayer, "local model", modelColor);
    }

    // Every point's weight as its size: the diameter grows with √w, so a disc's area follows w. Sizes come
    // in a few classes, one point layer each.
    const RegressionSample& sample = *picture.sample;
    std::vector<std::vector<Eigen::Index>> classes(weightSizeClasses + 1);
    for (Eigen::Index i = 0; i < query.relativeWeights.size(); ++i) {
        const auto sizeClass = static_cast<std::size_t>(
            std::lround(std::sqrt(std::max(0.0, query.relativeWeights(i))) * weightSizeClasses));
        classes[sizeClass].push_back(i);
    }
    const double smallest = sample.x.size() > 1000 ? 4.0 : 6.5;
    for (int sizeClass = 1; sizeClass <= weightSizeClasses; ++sizeClass) {
        const auto& rows = classes[static_cast<std::size_t>(sizeClass)];
        if (rows.empty()) {
            continue;
        }
        Eigen::MatrixX2d weighted(static_cast<Eigen::Index>(rows.size()), 2);
        for (std::size_t k = 0; k < rows.size(); ++k) {
            weighted.row(static_cast<Eigen::Index>(k)) << sample.x(rows[k]), sample.y(rows[k]);
        }
        PlotView2D::PointStyle style;
        style.color = featured;
        style.size = smallest + (weightedPointLargest - smallest) * sizeClass / weightSizeClasses;
        keep(view_->addPoints(weighted, style),
             sizeClass == weightSizeClasses ? "weights (size)" : std::string(), featured);
    }

    if (query.estimate.hasValue() && query.estimate.value >= box.yMinimum &&
        query.estimate.value <= box.yMaximum) {
        Eigen::MatrixX2d marker(1, 2);
        marker << query.x, query.estimate.value;
        const PlotView2D::LayerId fitted = view_->addPoints(marker, {fittedValueMarkerSize, featured});
        view_->setSelection(fitted, {0});
        keep(fitted, "fitted value", featured);
    }
    view_->requestRender();
}

void LocalFitsExplorer::drawCrossValidation() {
    PlotView2D* plot = crossValidationView_;
    plot->clearLayers();
    plot->setAxisTitles("log10 h", "CV(h)");
    const bool current = crossValidationIsCurrent();
    // LOWESS's neighbourhood is its span f, not h: the curve (of local linear, its local model) still
    // tells about h, but no h it picks changes the LOWESS curve, so its optimum is not offered for it.
    const bool lowess = lowessIsFeatured();
    useOptimumButton_->setEnabled(current && !lowess);
    optimumRuleButton_->setEnabled(!lowess);
    const QString lowessNote = tr("LOWESS ignores h (it uses its span f): feature another method to use "
                                  "the CV optimum");
    useOptimumButton_->setToolTip(lowess
                                      ? lowessNote + tr(". The curve is the local linear fit's.")
                                      : tr("Sets h to the bandwidth with the smallest leave-one-out error."));
    optimumRuleButton_->setToolTip(lowess
                                       ? lowessNote + QLatin1Char('.')
                                       : tr("The h with the smallest leave-one-out cross-validation error."));
    if (!current) {
        plot->setTitle(crossValidationRunner_.isRunning() ? "Leave-one-out CV: computing..."
                                                          : "Leave-one-out CV");
        useOptimumButton_->setText(lowess ? tr("No CV optimum for LOWESS: it uses f, not h")
                                          : tr("Use the CV optimum"));
        plot->requestRender();
        return;
    }
    const CrossValidationCurve& curve = crossValidation_->curve;
    const auto count = static_cast<Eigen::Index>(curve.bandwidths.size());
    Eigen::VectorXd logH(count);
    Eigen::VectorXd errors(count);
    std::vector<bool> valid(static_cast<std::size_t>(count));
    double low = HUGE_VAL;
    double high = -HUGE_VAL;
    for (Eigen::Index k = 0; k < count; ++k) {
        logH(k) = std::log10(curve.bandwidths[static_cast<std::size_t>(k)]);
        errors(k) = curve.errors[static_cast<std::size_t>(k)];
        valid[static_cast<std::size_t>(k)] = std::isfinite(errors(k));
        if (valid[static_cast<std::size_t>(k)]) {
            low = std::min(low, errors(k));
            high = std::max(high, errors(k));
        }
    }
    const Rgb ink = plot->foregroundColor();
    const Rgb curveColor = categoricalColor(0);
    const auto pieces = visiblePieces(logH, errors, valid, low, high);
    plot->addPolylines(pieces, std::vector<Rgb>(pieces.size(), curveColor), 3.0);
    plot->addPoints(
        Eigen::MatrixX2d(
            (Eigen::MatrixX2d(1, 2) << logH(static_cast<Eigen::Index>(curve.bestIndex)), curve.bestError())
                .finished()),
        {13.0, categoricalColor(1)});
    if (picture_) {
        // The current h as a vertical line over the curve's range.
        const double current = std::log10(picture_->bandwidth);
        Eigen::MatrixX2d line(2, 2);
        line << current, low, current, high;
        plot->addPolylines({line}, {ink}, 2.0);
    }
    const int degree = crossValidation_->degree;
    const std::string method = localFitMethodLabel(degree == 0   ? LocalFitMethod::NadarayaWatson
                                                   : degree == 1 ? LocalFitMethod::LocalLinear
                                                   : degree == 2 ? LocalFitMethod::LocalQuadratic
                                                                 : LocalFitMethod::LocalCubic);
    // A short title: the plot is small and read from afar; the details are in the tooltip.
    std::string title = lowess ? "Leave-one-out CV of local linear" : "Leave-one-out CV";
    if (crossValidation_->pointsUsed < sample_->x.size()) {
        title += " (" + std::to_string(crossValidation_->pointsUsed) + " pts)";
    }
    plot->setToolTip(
        tr("Leave-one-out cross-validation error of the %1 fit against log10 h, on %2 points. The "
           "dot is the optimum, the vertical line the h in use.")
            .arg(QString::fromStdString(method))
            .arg(crossValidation_->pointsUsed));
    plot->setTitle(title);
    useOptimumButton_->setText(lowess ? tr("No CV optimum for LOWESS: it uses f, not h")
                                      : tr("Use the CV optimum h = %1").arg(number(curve.bestBandwidth())));
    plot->resetCamera();
    plot->requestRender();
}

void LocalFitsExplorer::updateFormula() {
    QStringList lines;
    if (!picture_ || !query_) {
        formula_->setText(
            tr("<b>Local fits:</b> at each target x*, fit a small model to the data weighted by "
               "K(x*, x<sub>i</sub>); the curve joins the fitted values ŷ(x*)."));
        return;
    }
    const LocalFitsPicture& picture = *picture_;
    const QueryPicture& query = *query_;
    const QString method = QString::fromStdString(localFitMethodLabel(query.featured));
    lines << tr("<b>%1 at x* = %2:</b>&nbsp; %3 &nbsp;→&nbsp; ŷ(x*) = β<sub>0</sub>")
                 .arg(method.at(0).toUpper() + method.mid(1), number(query.x), objective(query.featured));

    QString weights;
    if (query.pointsWithWeight == 0) {
        weights = tr("Σw = 0: no point has weight");
    } else {
        const QString sum =
            query.logWeightSum > -700.0
                ? number(std::exp(query.logWeightSum))
                : tr("e<sup>%1</sup> (below double precision)").arg(number(query.logWeightSum));
        weights = tr("Σw = %1 &nbsp;·&nbsp; effective number of points (Σw)²/Σw² = %2 &nbsp;·&nbsp; %3 of %4 "
                     "points with w &gt; 0")
                      .arg(sum, number(query.effectivePointCount))
                      .arg(query.pointsWithWeight)
                      .arg(picture.sample->x.size());
    }
    lines << weights;

    if (query.model && query.estimate.hasValue()) {
        QStringList coefficients;
        for (Eigen::Index t = 0; t < query.model->coefficients.size(); ++t) {
            coefficients << QStringLiteral("%1 = %2").arg(coefficientName(t),
                                                          number(query.model->coefficients(t)));
        }
        QString fitted = tr("ŷ(x*) = <b>%1</b>").arg(number(query.estimate.value));
        if (query.standardError >= 0.0) {
            const VariabilityBand& band = *picture.band;
            const Eigen::Index n = picture.sample->x.size();
            fitted += tr(" ± %1 (standard error; noise σ ≈ %2%3)")
                          .arg(number(query.standardError), number(band.noiseStandardDeviation),
                               band.noiseRows < n ? tr(" from %1 of %2 rows").arg(band.noiseRows).arg(n)
                               : band.binned      ? tr(", binned")
                                                  : QString());
        }
        if (query.estimate.status == LocalFitStatus::Regularized) {
            fitted += tr(" &nbsp;(regularized)");
        }
        lines << coefficients.join(QStringLiteral(" &nbsp;·&nbsp; ")) +
                     QStringLiteral(" &nbsp;&nbsp;→&nbsp; ") + fitted;
    } else {
        lines << tr("ŷ(x*): <b>no fit here</b>");
    }
    if (!query.shownEstimates.empty()) {
        QStringList others;
        for (const auto& [other, estimate] : query.shownEstimates) {
            others << QStringLiteral("<span style=\"color:%1\">%2</span> %3")
                          .arg(QColor::fromRgbF(static_cast<float>(methodColor(other).x()),
                                                static_cast<float>(methodColor(other).y()),
                                                static_cast<float>(methodColor(other).z()))
                                   .name(),
                               QString::fromStdString(localFitMethodLabel(other)),
                               estimate.hasValue() ? number(estimate.value) : tr("none"));
        }
        lines << tr("Other fits at x*: %1").arg(others.join(QStringLiteral(" &nbsp;·&nbsp; ")));
    }
    const Eigen::Index neighbors = picture.lowessFit ? picture.lowessFit->neighborCount() : 0;
    lines << QStringLiteral("<i>%1</i>").arg(methodSentence(query.featured, picture.lowess, neighbors));
    const bool builtIn =
        picture.sample == builtInRegressionSample() && panel_->values().choice("data") == sourceAuto;
    if (builtIn && dataset_) {
        lines << tr("<small>Data: a built-in noisy sine, because the Data explorer's data have no target "
                    "(choose Data: 'data explorer' to fit their second column against the first).</small>");
    } else {
        lines << tr("<small>Data: %1</small>").arg(html(picture.sample->origin));
    }
    formula_->setText(lines.join(QStringLiteral("<br>")));
}

} // namespace locallab
