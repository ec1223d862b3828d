#pragma once
// The image explorer: MeanShift filtering and segmentation of a picture in the joint spatial-range
// domain, shown as three pictures side by side: the original, the filtered one (every pixel takes the
// colour of the mode it climbed to) and the segments (every segment in its mean colour). With no file
// open it shows a generated test picture. The computation runs in a JobRunner and starts when a
// parameter is committed (slider released, number entered), never while a slider is dragged.

#include "explorers/explorer.hpp"
#include "locallab/meanshift/image_mean_shift.hpp"
#include "locallab/util/parameter.hpp"
#include "locallab/widgets/job_runner.hpp"

#include <QImage>
#include <QString>
#include <memory>
#include <vector>

class QLabel;
class QWidget;

namespace locallab {

class CaptionedImageView;
class PictureGrid;

class ImageSegmentationExplorer : public Explorer {
    Q_OBJECT

public:
    // The central widget and the panel are created as children of widgetParent (the main window),
    // which the explorer must not outlive.
    explicit ImageSegmentationExplorer(QWidget* widgetParent);

    QString title() const override;
    VtkView* view() const override;
    ParameterPanel* panel() const override;
    QWidget* centralWidget() const override;
    void cancel() override;

    // The explorer's parameters: which picture, then imageMeanShiftParameters().
    static std::vector<ParameterDescription> parameterDescriptions();
    // Pictures larger than this on their long side are scaled down to it, to stay interactive.
    static constexpr int maximumSide = 320;

    // Reads a PNG, JPEG or BMP file and shows it in place of the current picture. A file that cannot be
    // read is reported in the message line and the pictures on screen stay.
    void openImage(const QString& path);
    // Shows this picture (scaled down if large) and segments it; `name` is how the panel lists it.
    void setImage(const QImage& image, const QString& name = QString());

    QImage originalImage() const;
    QImage filteredImage() const;
    QImage segmentedImage() const;
    int regionCount() const { return regionCount_; }
    // The problem shown in the message line, empty when there is none.
    QString messageText() const;

signals:
    // The filtered and segmented pictures on screen were replaced by a new result.
    void resultShown();

private:
    struct Picture {
        QImage image; // 8-bit RGB at the size that is segmented
        QString name;
        QString detail; // what the caption says about it (size, scaling)
    };

    void createCentralWidget(QWidget* widgetParent);
    void createPanel(QWidget* widgetParent);
    void onParameterChanged(const QString& name, const ParameterValue& value);
    void showPicture(const Picture& picture);
    void startSegmenting();
    void onJobFinished(const JobResult& result, double elapsedMilliseconds);
    void onJobFailed(const QString& message);
    void chooseImageToOpen();
    void saveImage(const QImage& image, const QString& what);
    void showMessage(const QString& message);

    QWidget* central_ = nullptr;
    PictureGrid* pictureGrid_ = nullptr;
    CaptionedImageView* originalView_ = nullptr;
    CaptionedImageView* filteredView_ = nullptr;
    CaptionedImageView* segmentedView_ = nullptr;
    QLabel* messageLabel_ = nullptr;
    ParameterPanel* panel_ = nullptr;
    JobRunner runner_;

    Picture testPicture_;
    Picture openedPicture_;                         // null image until a file is opened or an image is set
    std::shared_ptr<const ImageArray> shownValues_; // the original on screen, as the numbers jobs segment
    ImageMeanShiftOptions pendingOptions_;          // those of the job under way, for the captions
    int regionCount_ = 0;
};

} // namespace locallab
