#include "scene/animation_writer.hpp"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QObject>
#include <QSaveFile>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <gif_lib.h>
#include <vector>
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkOggTheoraWriter.h>
#include <vtkUnsignedCharArray.h>

namespace locallab {

namespace {

// Where a file is written before it takes its final name: beside it, so the rename is atomic.
QString temporaryNameFor(const QString& path) {
    const QFileInfo info(path);
    return info.dir().filePath(QStringLiteral(".%1.partial").arg(info.fileName()));
}

// Renames every temporary file to its target, replacing what is there (the caller asked already).
QString putInPlace(const QStringList& temporaries, const QStringList& targets) {
    for (qsizetype i = 0; i < temporaries.size(); ++i) {
        QFile::remove(targets[i]);
        if (!QFile::rename(temporaries[i], targets[i])) {
            return QObject::tr("%1 could not be put in place.").arg(targets[i]);
        }
    }
    return {};
}

QString sizeMismatch(const QImage& first, const QImage& frame) {
    return QObject::tr("Frame of %1×%2 pixels after frames of %3×%4: every frame must have the same size.")
        .arg(frame.width())
        .arg(frame.height())
        .arg(first.width())
        .arg(first.height());
}

class PngSequenceWriter final : public AnimationWriter {
public:
    QString begin(const QString& path, double) override {
        path_ = path;
        return {};
    }
    QString addFrame(const QImage& frame) override {
        if (!firstFrame_.isNull() && frame.size() != firstFrame_.size()) {
            return sizeMismatch(firstFrame_, frame);
        }
        if (firstFrame_.isNull()) {
            firstFrame_ = frame;
        }
        const QString target = pngSequenceFrameName(path_, static_cast<int>(targets_.size()) + 1);
        const QString temporary = temporaryNameFor(target);
        targets_ << target;
        temporaries_ << temporary;
        if (!frame.save(temporary, "PNG")) {
            return QObject::tr("%1 could not be written.").arg(temporary);
        }
        return {};
    }
    QString finish() override { return putInPlace(temporaries_, targets_); }
    void abandon() override {
        for (const QString& temporary : temporaries_) {
            QFile::remove(temporary);
        }
    }
    QStringList targets(const QString& path, int frameCount) const override {
        QStringList names;
        for (int frame = 1; frame <= frameCount; ++frame) {
            names << pngSequenceFrameName(path, frame);
        }
        return names;
    }

private:
    QString path_;
    QImage firstFrame_;
    QStringList targets_;
    QStringList temporaries_;
};

int writeToDevice(GifFileType* gif, const GifByteType* bytes, int length) {
    auto* device = static_cast<QIODevice*>(gif->UserData);
    return static_cast<int>(device->write(reinterpret_cast<const char*>(bytes), length));
}

QString gifProblem(int errorCode) {
    const char* text = GifErrorString(errorCode);
    return QObject::tr("The GIF could not be written: %1.")
        .arg(text ? QString::fromLatin1(text) : QString::number(errorCode));
}

class GifWriter final : public AnimationWriter {
public:
    ~GifWriter() override { close(); }

    QString begin(const QString& path, double framesPerSecond) override {
        file_ = std::make_unique<QSaveFile>(path);
        if (!file_->open(QIODevice::WriteOnly)) {
            return QObject::tr("%1 cannot be written: %2.").arg(path, file_->errorString());
        }
        // GIF delays are whole hundredths of a second.
        delayCentiseconds_ = std::max(1, static_cast<int>(std::lround(100.0 / framesPerSecond)));
        int error = 0;
        gif_ = EGifOpen(file_.get(), writeToDevice, &error);
        return gif_ ? QString() : gifProblem(error);
    }

    QString addFrame(const QImage& frame) override {
        if (firstFrame_.isNull()) {
            firstFrame_ = frame;
            if (const QString problem = writeHeader(frame.size()); !problem.isEmpty()) {
                return problem;
            }
        } else if (frame.size() != firstFrame_.size()) {
            return sizeMismatch(firstFrame_, frame);
        }
        return writeFrame(frame.convertToFormat(QImage::Format_RGB888));
    }

    QString finish() override {
        if (!gif_) {
            return QObject::tr("The GIF was never opened.");
        }
        int error = 0;
        const bool closed = EGifCloseFile(gif_, &error) == GIF_OK;
        gif_ = nullptr;
        if (!closed) {
            file_->cancelWriting();
            return gifProblem(error);
        }
        if (!file_->commit()) {
            return QObject::tr("%1 could not be written completely: %2.")
                .arg(file_->fileName(), file_->errorString());
        }
        return {};
    }

    void abandon() override {
        if (file_) {
            file_->cancelWriting();
        }
        close();
    }

    QStringList targets(const QString& path, int) const override { return {path}; }

private:
    void close() {
        if (gif_) {
            int error = 0;
            EGifCloseFile(gif_, &error);
            gif_ = nullptr;
        }
    }

    QString writeHeader(const QSize& size) {
        EGifSetGifVersion(gif_, true);
        if (EGifPutScreenDesc(gif_, size.width(), size.height(), 8, 0, nullptr) != GIF_OK) {
            return gifProblem(gif_->Error);
        }
        // The NETSCAPE2.0 application block with a loop count of 0: play forever, as slides expect.
        const unsigned char loopForever[3] = {1, 0, 0};
        if (EGifPutExtensionLeader(gif_, APPLICATION_EXT_FUNC_CODE) != GIF_OK ||
            EGifPutExtensionBlock(gif_, 11, "NETSCAPE2.0") != GIF_OK ||
            EGifPutExtensionBlock(gif_, 3, loopForever) != GIF_OK ||
            EGifPutExtensionTrailer(gif_) != GIF_OK) {
            return gifProblem(gif_->Error);
        }
        return {};
    }

    QString writeFrame(const QImage& rgb) {
        const int width = rgb.width();
        const int height = rgb.height();
        const auto pixelCount = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
        std::vector<GifByteType> red(pixelCount), green(pixelCount), blue(pixelCount), indices(pixelCount);
        for (int row = 0; row < height; ++row) {
            const uchar* line = rgb.constScanLine(row);
            const std::size_t offset = static_cast<std::size_t>(row) * static_cast<std::size_t>(width);
            for (int column = 0; column < width; ++column) {
                red[offset + column] = line[3 * column];
                green[offset + column] = line[3 * column + 1];
                blue[offset + column] = line[3 * column + 2];
            }
        }
        int colorCount = 256;
        std::vector<GifColorType> palette(256);
        if (GifQuantizeBuffer(static_cast<unsigned>(width), static_cast<unsigned>(height), &colorCount,
                              red.data(), green.data(), blue.data(), indices.data(),
                              palette.data()) != GIF_OK) {
            return QObject::tr("The frame's colours could not be reduced to a GIF palette.");
        }
        GraphicsControlBlock control{};
        control.DisposalMode = DISPOSE_DO_NOT;
        control.UserInputFlag = false;
        control.DelayTime = delayCentiseconds_;
        control.TransparentColor = NO_TRANSPARENT_COLOR;
        GifByteType controlBytes[4];
        const auto controlLength = static_cast<int>(EGifGCBToExtension(&control, controlBytes));
        if (EGifPutExtension(gif_, GRAPHICS_EXT_FUNC_CODE, controlLength, controlBytes) != GIF_OK) {
            return gifProblem(gif_->Error);
        }
        // A local colour table per frame: each frame gets the 256 colours it needs most.
        ColorMapObject* colorMap = GifMakeMapObject(256, palette.data());
        const bool described = EGifPutImageDesc(gif_, 0, 0, width, height, false, colorMap) == GIF_OK;
        GifFreeMapObject(colorMap);
        if (!described) {
            return gifProblem(gif_->Error);
        }
        for (int row = 0; row < height; ++row) {
            if (EGifPutLine(gif_, indices.data() + static_cast<std::size_t>(row) * width, width) != GIF_OK) {
                return gifProblem(gif_->Error);
            }
        }
        return {};
    }

    std::unique_ptr<QSaveFile> file_;
    GifFileType* gif_ = nullptr; // giflib's handle, closed by finish(), abandon() or the destructor
    QImage firstFrame_;
    int delayCentiseconds_ = 10;
};

class OggTheoraWriter final : public AnimationWriter {
public:
    ~OggTheoraWriter() override { abandon(); }

    QString begin(const QString& path, double framesPerSecond) override {
        target_ = path;
        temporary_ = temporaryNameFor(path) + QStringLiteral(".ogv");
        writer_->SetFileName(temporary_.toLocal8Bit().constData());
        writer_->SetRate(std::max(1, static_cast<int>(std::lround(framesPerSecond))));
        writer_->SetQuality(2);
        writer_->SubsamplingOff(); // keeps thin coloured lines from bleeding into their neighbours
        return {};
    }

    QString addFrame(const QImage& frame) override {
        // Theora wants even dimensions; an odd last row or column is dropped.
        const QImage rgb =
            frame.convertToFormat(QImage::Format_RGB888).copy(0, 0, frame.width() & ~1, frame.height() & ~1);
        if (!started_) {
            frameSize_ = rgb.size();
            image_->SetDimensions(frameSize_.width(), frameSize_.height(), 1);
            image_->AllocateScalars(VTK_UNSIGNED_CHAR, 3);
            writer_->SetInputData(image_);
        } else if (rgb.size() != frameSize_) {
            return sizeMismatch(QImage(frameSize_, QImage::Format_RGB888), rgb);
        }
        copyIntoImage(rgb);
        if (!started_) {
            writer_->Start();
            started_ = true;
        }
        writer_->Write();
        if (writer_->GetError() != 0) {
            return QObject::tr("The video could not be written (VTK's Ogg Theora writer reported error %1).")
                .arg(writer_->GetError());
        }
        return {};
    }

    QString finish() override {
        if (!started_) {
            return QObject::tr("The video has no frames.");
        }
        writer_->End();
        started_ = false;
        return putInPlace({temporary_}, {target_});
    }

    void abandon() override {
        if (started_) {
            writer_->End();
            started_ = false;
        }
        if (!temporary_.isEmpty()) {
            QFile::remove(temporary_);
        }
    }

    QStringList targets(const QString& path, int) const override { return {path}; }

private:
    void copyIntoImage(const QImage& rgb) {
        auto* pixels = static_cast<unsigned char*>(image_->GetScalarPointer());
        const int rowBytes = 3 * rgb.width();
        // VTK's rows start at the bottom of the picture, QImage's at the top.
        for (int row = 0; row < rgb.height(); ++row) {
            std::memcpy(pixels + static_cast<std::size_t>(rgb.height() - 1 - row) * rowBytes,
                        rgb.constScanLine(row), static_cast<std::size_t>(rowBytes));
        }
        image_->Modified();
    }

    vtkNew<vtkOggTheoraWriter> writer_;
    vtkNew<vtkImageData> image_;
    QString target_;
    QString temporary_;
    QSize frameSize_;
    bool started_ = false;
};

} // namespace

AnimationFormat animationFormatOf(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("gif")) {
        return AnimationFormat::Gif;
    }
    if (suffix == QLatin1String("ogv") || suffix == QLatin1String("ogg")) {
        return AnimationFormat::OggTheora;
    }
    return AnimationFormat::PngSequence;
}

QString pngSequenceFrameName(const QString& path, int frameIndex) {
    const QFileInfo info(path);
    return info.dir().filePath(
        QStringLiteral("%1_%2.png").arg(info.completeBaseName()).arg(frameIndex, 4, 10, QLatin1Char('0')));
}

std::unique_ptr<AnimationWriter> makeAnimationWriter(AnimationFormat format) {
    switch (format) {
    case AnimationFormat::Gif:
        return std::make_unique<GifWriter>();
    case AnimationFormat::OggTheora:
        return std::make_unique<OggTheoraWriter>();
    case AnimationFormat::PngSequence:
        break;
    }
    return std::make_unique<PngSequenceWriter>();
}

} // namespace locallab
