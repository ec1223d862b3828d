#include "explorers/image_segmentation_explorer.hpp"

#include "explorers/captioned_image_view.hpp"
#include "explorers/picture_grid.hpp"
#include "explorers/synthetic_picture.hpp"
#include "locallab/meanshift/image_mean_shift_parameters.hpp"
#include "locallab/widgets/parameter_panel.hpp"

#include <QBoxLayout>
#include <QFileDialog>
#include <QFileInfo>
#include <QImageReader>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>

namespace locallab {

namespace {

const std::string pictureParameter = "picture";

// What a job hands back: the pictures ready to draw, so that the GUI thread only swaps them in.
struct SegmentationOutcome {
    QImage filtered;
    QImage segmented;
    int regionCount = 0;
};

ImageArray toImageArray(const QImage& image) {
    const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    ImageArray array = ImageArray::filled(rgb.width(), rgb.height(), 3);
    for (int y = 0; y < rgb.height(); ++y) {
        const uchar* line = rgb.constScanLine(y);
        std::copy(line, line + 3 * rgb.width(),
                  array.values.begin() + static_cast<std::ptrdiff_t>(array.index(0, y, 0)));
    }
    return array;
}

uchar toByte(float value) {
    return static_cast<uchar>(std::clamp(std::lround(value), 0L, 255L));
}

QImage toQImage(const ImageArray& array) {
    QImage image(array.width, array.height, QImage::Format_RGB888);
    for (int y = 0; y < array.height; ++y) {
        uchar* line = image.scanLine(y);
        for (int x = 0; x < array.width; ++x) {
            for (int c = 0; c < 3; ++c) {
                line[3 * x + c] = toByte(array.at(x, y, std::min(c, array.channels - 1)));
            }
        }
    }
    return image;
}

QString formatNumber(double value) {
    return QLocale().toString(value, 'g', 3);
}

QString segmentCountText(int count) {
    return count == 1 ? QObject::tr("1 segment") : QObject::tr("%1 segments").arg(QLocale().toString(count));
}

QString sizeText(const QSize& size) {
    return QObject::tr("%1 × %2 px").arg(size.width()).arg(size.height());
}

} // namespace

std::vector<ParameterDescription> ImageSegmentationExplorer::parameterDescriptions() {
    ParameterDescription picture;
    picture.name = pictureParameter;
    picture.label = "Picture";
    picture.type = ParameterType::Choice;
    picture.choices = {"test picture"};
    picture.defaultChoice = picture.choices.front();
    picture.help = "The generated test picture, or the image last opened.";
    std::vector<ParameterDescription> descriptions{picture};
    const auto meanShift = imageMeanShiftParameters();
    descriptions.insert(descriptions.end(), meanShift.begin(), meanShift.end());
    return descriptions;
}

ImageSegmentationExplorer::ImageSegmentationExplorer(QWidget* widgetParent) : Explorer(widgetParent) {
    createCentralWidget(widgetParent);
    createPanel(widgetParent);
    connect(&runner_, &JobRunner::finished, this,
            [this](quint64, const JobResult& result, double milliseconds) {
                onJobFinished(result, milliseconds);
            });
    connect(&runner_, &JobRunner::failed, this,
            [this](quint64, const QString& message) { onJobFailed(message); });
    connect(&runner_, &JobRunner::progressChanged, this, &Explorer::progressChanged);
    connect(&runner_, &JobRunner::started, this, [this] { emit busyChanged(true); });
    connect(&runner_, &JobRunner::canceled, this, [this] { emit busyChanged(false); });

    const QImage generated = syntheticTestPicture();
    testPicture_ = {generated, QString::fromStdString(parameterDescriptions().front().defaultChoice),
                    tr("generated, %1\nshapes, gradient, noise").arg(sizeText(generated.size()))};
    showPicture(testPicture_);
}

void ImageSegmentationExplorer::createCentralWidget(QWidget* widgetParent) {
    central_ = new QWidget(widgetParent);
    central_->setObjectName(QStringLiteral("imageSegmentationView"));
    auto* layout = new QVBoxLayout(central_);
    messageLabel_ = new QLabel(central_);
    messageLabel_->setObjectName(QStringLiteral("imageMessageLabel"));
    messageLabel_->setWordWrap(true);
    messageLabel_->setStyleSheet(QStringLiteral("color: #b00020; font-weight: bold; font-size: 17px;"));
    messageLabel_->setVisible(false);
    layout->addWidget(messageLabel_);
    originalView_ = new CaptionedImageView(tr("Original"));
    filteredView_ = new CaptionedImageView(tr("Filtered"));
    segmentedView_ = new CaptionedImageView(tr("Segmented"));
    originalView_->setObjectName(QStringLiteral("originalImage"));
    filteredView_->setObjectName(QStringLiteral("filteredImage"));
    segmentedView_->setObjectName(QStringLiteral("segmentedImage"));
    // What the three pictures are, in words, for whoever sees the explorer for the first time.
    auto* explanation = new QLabel(tr(
        "Every pixel is a point (x, y, colour). It moves to the mean of the pixels within h_s pixels and h_r "
        "in colour, again and again, and takes the colour where it stops: noise is smoothed away, colour "
        "steps "
        "larger than h_r stay. Touching pixels that end within h_r/2 in colour form one segment."));
    explanation->setObjectName(QStringLiteral("imageExplanation"));
    explanation->setWordWrap(true);
    explanation->setStyleSheet(QStringLiteral("font-size: 19px; padding: 8px 16px;"));
    pictureGrid_ = new PictureGrid({originalView_, filteredView_, segmentedView_}, explanation, central_);
    layout->addWidget(pictureGrid_, 1);
}

void ImageSegmentationExplorer::createPanel(QWidget* widgetParent) {
    panel_ = new ParameterPanel(parameterDescriptions(), widgetParent);
    connect(panel_, &ParameterPanel::parameterChanged, this, &ImageSegmentationExplorer::onParameterChanged);
    // parameterChanging is not connected on purpose: a drag only moves the numbers, the release computes.
    auto* open = panel_->addButton(pictureParameter, tr("Open image…"));
    open->setObjectName(QStringLiteral("openImageButton"));
    connect(open, &QPushButton::clicked, this, &ImageSegmentationExplorer::chooseImageToOpen);
    // The save buttons close the panel, below the last parameter.
    const std::string last = panel_->descriptions().back().name;
    auto* saveFiltered = panel_->addButton(last, tr("Save filtered…"));
    saveFiltered->setObjectName(QStringLiteral("saveFilteredButton"));
    connect(saveFiltered, &QPushButton::clicked, this,
            [this] { saveImage(filteredImage(), tr("filtered")); });
    auto* saveSegmented = panel_->addButton(last, tr("Save segmented…"));
    saveSegmented->setObjectName(QStringLiteral("saveSegmentedButton"));
    connect(saveSegmented, &QPushButton::clicked, this,
            [this] { saveImage(segmentedImage(), tr("segmented")); });
}

QString ImageSegmentationExplorer::title() const {
    return tr("Image segmentation");
}
VtkView* ImageSegmentationExplorer::view() const {
    return nullptr;
}
ParameterPanel* ImageSegmentationExplorer::panel() const {
    return panel_;
}
QWidget* ImageSegmentationExplorer::centralWidget() const {
    return central_;
}

void ImageSegmentationExplorer::cancel() {
    runner_.cancel();
}

QImage ImageSegmentationExplorer::originalImage() const {
    return originalView_->image();
}
QImage ImageSegmentationExplorer::filteredImage() const {
    return filteredView_->image();
}
QImage ImageSegmentationExplorer::segmentedImage() const {
    return segmentedView_->image();
}
QString ImageSegmentationExplorer::messageText() const {
    return messageLabel_->text();
}

void ImageSegmentationExplorer::openImage(const QString& path) {
    QImageReader reader(path);
    reader.setAutoTransform(true); // photos stored on their side carry the turn in their metadata
    const QImage image = reader.read();
    if (image.isNull()) {
        showMessage(tr("Could not open %1: %2. The pictures on screen are unchanged.")
                        .arg(QFileInfo(path).fileName(), reader.errorString()));
        return;
    }
    setImage(image, QFileInfo(path).fileName());
}

void ImageSegmentationExplorer::setImage(const QImage& image, const QString& name) {
    if (image.isNull()) {
        showMessage(tr("The image is empty. The pictures on screen are unchanged."));
        return;
    }
    Picture picture;
    picture.name = name.isEmpty() ? tr("image") : name;
    picture.image = image.convertToFormat(QImage::Format_RGB888);
    QString scaling = tr("full size");
    if (std::max(image.width(), image.height()) > maximumSide) {
        picture.image =
            picture.image.scaled(maximumSide, maximumSide, Qt::KeepAspectRatio, Qt::SmoothTransformation);
        scaling = tr("scaled down from %1 × %2").arg(image.width()).arg(image.height());
    }
    picture.detail = tr("%1, %2\n%3").arg(picture.name, sizeText(picture.image.size()), scaling);
    openedPicture_ = picture;
    panel_->setChoices(pictureParameter, {testPicture_.name.toStdString(), picture.name.toStdString()},
                       picture.name.toStdString());
    showPicture(openedPicture_);
}

void ImageSegmentationExplorer::onParameterChanged(const QString& name, const ParameterValue& value) {
    if (name.toStdString() != pictureParameter) {
        startSegmenting();
        return;
    }
    const bool wantsTestPicture = std::get<std::string>(value) == testPicture_.name.toStdString();
    showPicture(wantsTestPicture || openedPicture_.image.isNull() ? testPicture_ : openedPicture_);
}

void ImageSegmentationExplorer::showPicture(const Picture& picture) {
    originalView_->setImage(picture.image);
    originalView_->setDetail(picture.detail);
    pictureGrid_->arrange(); // a new shape of picture may fit better the other way
    shownValues_ = std::make_shared<const ImageArray>(toImageArray(picture.image));
    startSegmenting();
}

void ImageSegmentationExplorer::startSegmenting() {
    ImageMeanShiftOptions options;
    try {
        options = imageMeanShiftOptionsFrom(panel_->values());
    } catch (const std::invalid_argument& error) {
        showMessage(tr("Could not segment the picture: %1").arg(QString::fromUtf8(error.what())));
        return;
    }
    pendingOptions_ = options;
    runner_.start([image = shownValues_, options](Progress& progress) {
        const ImageMeanShiftResult result = meanShiftFilterImage(*image, options, progress);
        return SegmentationOutcome{toQImage(result.filtered), toQImage(result.segmented), result.regionCount};
    });
}

void ImageSegmentationExplorer::onJobFinished(const JobResult& result, double elapsedMilliseconds) {
    const auto& outcome = result.get<SegmentationOutcome>();
    const ImageMeanShiftOptions& options = pendingOptions_; // a newer job would have dropped this result
    regionCount_ = outcome.regionCount;
    filteredView_->setImage(outcome.filtered);
    filteredView_->setDetail(
        tr("h_s = %1 px, h_r = %2\n%3 kernel")
            .arg(formatNumber(options.spatialBandwidth), formatNumber(options.rangeBandwidth),
                 QString::fromUtf8(options.kernel.name().data(),
                                   static_cast<qsizetype>(options.kernel.name().size()))));
    segmentedView_->setImage(outcome.segmented);
    segmentedView_->setDetail(
        segmentCountText(outcome.regionCount) + QLatin1Char('\n') +
        tr("smaller than %1 px merged").arg(QLocale().toString(options.minimumRegionArea)));
    showMessage({});
    emit busyChanged(false);
    emit computeTimeMeasured(elapsedMilliseconds);
    emit dataShown(static_cast<long long>(outcome.filtered.width()) * outcome.filtered.height(), 3);
    emit resultShown();
}

void ImageSegmentationExplorer::onJobFailed(const QString& message) {
    showMessage(tr("Could not segment the picture: %1. The last result stays on screen.").arg(message));
    emit busyChanged(false);
}

void ImageSegmentationExplorer::chooseImageToOpen() {
    const QString path = QFileDialog::getOpenFileName(central_, tr("Open an image"), QString(),
                                                      tr("Images (*.png *.jpg *.jpeg *.bmp);;All files (*)"));
    if (!path.isEmpty()) {
        openImage(path);
    }
}

void ImageSegmentationExplorer::saveImage(const QImage& image, const QString& what) {
    if (image.isNull()) {
        showMessage(tr("There is no %1 picture to save yet.").arg(what));
        return;
    }
    const QString path = QFileDialog::getSaveFileName(
        central_, tr("Save the %1 picture").arg(what), what + QStringLiteral(".png"),
        tr("PNG image (*.png);;JPEG image (*.jpg);;BMP image (*.bmp)"));
    if (path.isEmpty()) {
        return;
    }
    if (!image.save(path)) {
        showMessage(
            tr("Could not save %1. Check that the folder exists and is writable, and that the name ends "
               "in .png, .jpg or .bmp.")
                .arg(QFileInfo(path).fileName()));
    }
}

void ImageSegmentationExplorer::showMessage(const QString& message) {
    messageLabel_->setText(message);
    messageLabel_->setVisible(!message.isEmpty());
}

} // namespace locallab
