#include "explorers/data_explorer.hpp"

#include "explorers/column_roles_guess.hpp"
#include "explorers/generated_data.hpp"
#include "locallab/data/load_dataset.hpp"
#include "locallab/widgets/parameter_panel.hpp"
#include "locallab/widgets/plot_view_2d.hpp"

#include <QFileInfo>
#include <algorithm>

namespace locallab {

namespace {

const std::string colorByLabel = "label";
const std::string colorByTarget = "target";
const std::string colorByLatent = "latent";
const std::string colorByNothing = "nothing";

std::string targetDisplayName(const Dataset& dataset) {
    return dataset.targetName.empty() ? std::string("target") : dataset.targetName;
}

// What can go on an axis: every point column, and the target, which a regression sample is
// naturally plotted against.
std::vector<std::string> axisChoices(const Dataset& dataset) {
    std::vector<std::string> names = dataset.columnNames;
    if (dataset.target) {
        names.push_back(targetDisplayName(dataset));
    }
    return names;
}

std::vector<std::string> colorChoices(const Dataset& dataset) {
    std::vector<std::string> choices;
    if (dataset.labels) {
        choices.push_back(colorByLabel);
    }
    if (dataset.target) {
        choices.push_back(colorByTarget);
    }
    if (dataset.latent) {
        choices.push_back(colorByLatent);
    }
    choices.push_back(colorByNothing);
    return choices;
}

// Values of the axis choice `name`: a point column, or the target.
Eigen::VectorXd axisValues(const Dataset& dataset, const std::string& name) {
    const auto column = std::find(dataset.columnNames.begin(), dataset.columnNames.end(), name);
    if (column != dataset.columnNames.end()) {
        return dataset.points.col(std::distance(dataset.columnNames.begin(), column));
    }
    if (dataset.target && name == targetDisplayName(dataset)) {
        return *dataset.target;
    }
    return dataset.points.col(0);
}

// Keeps the user's earlier choice when the new data still offer it.
std::string keepOrDefault(const std::vector<std::string>& choices, const std::string& previous,
                          const std::string& fallback) {
    return std::find(choices.begin(), choices.end(), previous) != choices.end() ? previous : fallback;
}

bool isGeneratorParameter(const std::string& name) {
    return name == "generator" || name == "samples" || name == "seed" || name == "noise";
}

} // namespace

std::vector<ParameterDescription> DataExplorer::parameterDescriptions() {
    return {
        choiceParameter(
            "generator", "Generated data", generatorNames(), generatorNames().front(),
            "The synthetic data set shown when no file is open. Changing it replaces an open file."),
        integerParameter("samples", "Points n", 10, 100000, 600, "How many points the generator draws.",
                         true),
        integerParameter("seed", "Random seed", 0, 9999, 1, "The same seed always gives the same data."),
        realParameter("noise", "Noise", 0.0, 5.0, 1.0,
                      "Spread of each blob for blobs; standard deviation of the added noise for the others."),
        choiceParameter("x_column", "Horizontal axis", {"x", "y"}, "x", "The column plotted left to right."),
        choiceParameter("y_column", "Vertical axis", {"y", "x"}, "y", "The column plotted bottom to top."),
        choiceParameter("color_by", "Colour by", {colorByLabel, colorByNothing}, colorByLabel,
                        "Colour points by their class label, their target value or the generator's latent "
                        "coordinate."),
    };
}

DataExplorer::DataExplorer(QWidget* widgetParent) : Explorer(widgetParent) {
    view_ = new PlotView2D(widgetParent);
    panel_ = new ParameterPanel(parameterDescriptions(), widgetParent);
    connect(panel_, &ParameterPanel::parameterChanged, this, &DataExplorer::onParameterChanged);
    connect(panel_, &ParameterPanel::parameterChanging, this, &DataExplorer::onParameterChanged);
    connect(&runner_, &JobRunner::finished, this, &DataExplorer::onJobFinished);
    connect(&runner_, &JobRunner::failed, this, &DataExplorer::onJobFailed);
    connect(&runner_, &JobRunner::progressChanged, this, &Explorer::progressChanged);
    connect(&runner_, &JobRunner::started, this, [this] { emit busyChanged(true); });
    connect(&runner_, &JobRunner::canceled, this, [this] { emit busyChanged(false); });
    generate();
}

QString DataExplorer::title() const {
    return tr("Data");
}
VtkView* DataExplorer::view() const {
    return view_;
}
ParameterPanel* DataExplorer::panel() const {
    return panel_;
}

void DataExplorer::cancel() {
    runner_.cancel();
    fileJobGeneration_ = 0;
}

void DataExplorer::openFile(const QString& path) {
    loadingPath_ = path;
    fileJobGeneration_ = runner_.start([file = path.toStdString()](Progress&) {
        return std::make_shared<const Dataset>(loadDataset(file, guessColumnRoles(file)));
    });
}

void DataExplorer::generate() {
    const ParameterValues values = panel_->values();
    GeneratorRequest request;
    request.generator = values.choice("generator");
    request.samples = values.integer("samples");
    request.seed = static_cast<std::uint64_t>(values.integer("seed"));
    request.noise = values.real("noise");
    fileJobGeneration_ = 0;
    runner_.start([request](Progress&) { return std::make_shared<const Dataset>(generateDataset(request)); });
}

void DataExplorer::onParameterChanged(const QString& name, const ParameterValue& value) {
    const std::string key = name.toStdString();
    if (key == "generator") {
        // Each shape has its own sensible noise; carrying blobs' spread of 1 over to moons hides them.
        ParameterValues values = panel_->values();
        values.set("noise", typicalNoise(std::get<std::string>(value)));
        panel_->setValues(values);
    }
    if (isGeneratorParameter(key)) {
        generate();
    } else {
        redraw(key != "color_by"); // new axes need a new frame; new colours do not
    }
}

void DataExplorer::onJobFinished(quint64 generation, const JobResult& result, double elapsedMilliseconds) {
    const bool fromFile = generation == fileJobGeneration_;
    fileJobGeneration_ = 0;
    shownFile_ = fromFile ? loadingPath_ : QString();
    showDataset(result.get<std::shared_ptr<const Dataset>>());
    emit busyChanged(false);
    emit computeTimeMeasured(elapsedMilliseconds);
    if (fromFile) {
        emit fileOpened(loadingPath_);
    }
}

void DataExplorer::onJobFailed(quint64 generation, const QString& message) {
    const bool fromFile = generation == fileJobGeneration_;
    fileJobGeneration_ = 0;
    emit busyChanged(false);
    if (fromFile) {
        emit problemOccurred(tr("Could not open %1").arg(QFileInfo(loadingPath_).fileName()), message);
    } else {
        emit problemOccurred(tr("Could not generate data"), message);
    }
}

void DataExplorer::showDataset(std::shared_ptr<const Dataset> dataset) {
    dataset_ = std::move(dataset);
    updateChoicesFor(*dataset_);
    redraw(true);
    emit dataShown(dataset_->size(), dataset_->dimension());
}

void DataExplorer::updateChoicesFor(const Dataset& dataset) {
    const ParameterValues previous = panel_->values();
    const std::vector<std::string> axes = axisChoices(dataset);
    const std::string defaultX = axes.front();
    const std::string defaultY = axes.size() > 1 ? axes[1] : axes.front();
    // A new file starts on its first two columns; regenerated data keep the user's axes when they can.
    std::string x = keepOrDefault(axes, previous.choice("x_column"), defaultX);
    std::string y = keepOrDefault(axes, previous.choice("y_column"), defaultY);
    if (x == y && axes.size() > 1) {
        x = defaultX;
        y = defaultY;
    }
    panel_->setChoices("x_column", axes, x);
    panel_->setChoices("y_column", axes, y);
    const std::vector<std::string> colors = colorChoices(dataset);
    panel_->setChoices("color_by", colors,
                       keepOrDefault(colors, previous.choice("color_by"), colors.front()));
}

void DataExplorer::redraw(bool reframe) {
    if (!dataset_ || dataset_->empty()) {
        return;
    }
    const Dataset& dataset = *dataset_;
    const ParameterValues values = panel_->values();
    const std::string& xName = values.choice("x_column");
    const std::string& yName = values.choice("y_column");
    Eigen::MatrixX2d points(dataset.size(), 2);
    points.col(0) = axisValues(dataset, xName);
    points.col(1) = axisValues(dataset, yName);

    view_->clearLayers();
    PlotView2D::PointStyle style;
    style.size = dataset.size() > 5000 ? 4.0 : 7.0;
    const PlotView2D::LayerId layer = view_->addPoints(points, style);
    const std::string& colorBy = values.choice("color_by");
    view_->showLegend(false);
    view_->showColorBar(false);
    if (colorBy == colorByLabel && dataset.labels) {
        view_->setPointColorsByLabel(layer, *dataset.labels, dataset.labelNames);
        view_->showLegend(true);
    } else if (colorBy == colorByTarget && dataset.target) {
        view_->setPointColorsByValue(layer, *dataset.target, ColorMap::Viridis);
        view_->showColorBar(true, targetDisplayName(dataset));
    } else if (colorBy == colorByLatent && dataset.latent) {
        view_->setPointColorsByValue(layer, *dataset.latent, ColorMap::Viridis);
        view_->showColorBar(true, "latent");
    }
    // Equal units keep clusters round; a target axis has units of its own and fills the frame instead.
    const bool bothAreColumns = xName != targetDisplayName(dataset) && yName != targetDisplayName(dataset);
    view_->setAspectMode(bothAreColumns || !dataset.target ? PlotView2D::AspectMode::Equal
                                                           : PlotView2D::AspectMode::Fill);
    view_->setAxisTitles(xName, yName);
    view_->setTitle(dataset.origin);
    if (reframe) {
        view_->resetCamera();
    }
    view_->requestRender();
}

} // namespace locallab
