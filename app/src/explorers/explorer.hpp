#pragma once
// What the main window needs from an explorer, whatever method it shows: a picture for the centre, a
// panel of parameters for the right, and a few numbers for the status bar. Everything else (which
// jobs to run, how to draw their results) belongs to the explorer itself.

#include <Eigen/Core>
#include <QObject>
#include <QString>
#include <optional>
#include <string>
#include <vector>

class QWidget;

namespace locallab {

class ParameterPanel;
class VtkView;

// The results on screen as a table, for File → Export data: labels, modes, embeddings, fitted values.
struct ResultTable {
    std::string description;         // what one row is, for the status bar ("one row per data point")
    std::vector<std::string> header; // one name per column of values
    Eigen::MatrixXd values;
    std::string textHeader; // a last column of text (class names), when texts is not empty
    std::vector<std::string> texts;
};

// The table as CSV text (see locallab/data/csv_writer.hpp): numbers to 17 digits, "nan" where a value is
// missing.
std::string resultTableCsv(const ResultTable& table);

class Explorer : public QObject {
    Q_OBJECT

public:
    using QObject::QObject;

    virtual QString title() const = 0;
    // Both are created by the explorer and handed to the window's layout, which then owns them.
    virtual VtkView* view() const = 0;
    virtual ParameterPanel* panel() const = 0;
    // What the window shows in its centre: the view itself, or a widget holding the view together with
    // controls that belong beside the picture (a timeline, a formula). An explorer without a VTK view
    // (view() is nullptr) shows only this, and exporting grabs it.
    virtual QWidget* centralWidget() const;
    // Stops the running computation, if any, and keeps the last picture.
    virtual void cancel() = 0;
    // Copies out what the picture shows; nullopt while there is no result (or the explorer has none to
    // export). Cheap: the numbers were computed by the job that made the picture.
    virtual std::optional<ResultTable> resultTable() const;

signals:
    // The data now on screen: n points in d columns.
    void dataShown(long long points, long long columns);
    // Milliseconds the last computation took on its worker thread.
    void computeTimeMeasured(double milliseconds);
    // A job is under way (true) or done (false), for a busy indicator and a Cancel button.
    void busyChanged(bool busy);
    void progressChanged(double fraction);
    // Something the user asked for could not be done; the picture on screen is unchanged.
    void problemOccurred(const QString& title, const QString& message);
};

} // namespace locallab
