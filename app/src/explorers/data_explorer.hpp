#pragma once
// The Data explorer: the data set every other explorer starts from, drawn as a scatter plot of two
// chosen columns and coloured by what came with the points (labels, a target, a latent coordinate).
// With no file it shows generated data; the generator's knobs are parameters like any other, so
// dragging "Points n" regenerates live. Loading and generating run in a JobRunner, never here.

#include "explorers/explorer.hpp"
#include "locallab/data/dataset.hpp"
#include "locallab/util/parameter.hpp"
#include "locallab/widgets/job_runner.hpp"

#include <QString>
#include <memory>
#include <string>
#include <vector>

class QWidget;

namespace locallab {

class PlotView2D;

class DataExplorer : public Explorer {
    Q_OBJECT

public:
    // The view and the panel are created as children of widgetParent (the main window), which the
    // explorer must not outlive.
    explicit DataExplorer(QWidget* widgetParent);

    QString title() const override;
    VtkView* view() const override;
    ParameterPanel* panel() const override;
    void cancel() override;

    PlotView2D* plotView() const { return view_; }
    // The data on screen, nullptr until the first data set has arrived.
    std::shared_ptr<const Dataset> dataset() const { return dataset_; }

    // Reads the file on a worker thread. On success the new data replace the old and fileOpened() is
    // emitted; on failure problemOccurred() carries the loader's message and the old data stay.
    void openFile(const QString& path);
    // Makes data from the generator parameters, replacing whatever is shown.
    void generate();
    // The file whose data are on screen, empty while they are generated.
    QString shownFile() const { return shownFile_; }

    static std::vector<ParameterDescription> parameterDescriptions();

signals:
    void fileOpened(const QString& path);

private:
    void onParameterChanged(const QString& name, const ParameterValue& value);
    void onJobFinished(quint64 generation, const JobResult& result, double elapsedMilliseconds);
    void onJobFailed(quint64 generation, const QString& message);
    void showDataset(std::shared_ptr<const Dataset> dataset);
    void updateChoicesFor(const Dataset& dataset);
    void redraw(bool reframe);

    PlotView2D* view_ = nullptr;
    ParameterPanel* panel_ = nullptr;
    JobRunner runner_;
    std::shared_ptr<const Dataset> dataset_;
    quint64 fileJobGeneration_ = 0; // the job reading loadingPath_, 0 when none
    QString loadingPath_;
    QString shownFile_;
};

} // namespace locallab
