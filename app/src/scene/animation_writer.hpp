#pragma once
// Writes a timeline as a movie: a numbered PNG sequence, an animated GIF (giflib, a palette of 256
// colours chosen per frame) or an Ogg Theora video (VTK's writer). Frames arrive one at a time so a
// long animation never sits in memory whole. Nothing appears under the final name until finish()
// succeeds: the files are written under temporary names and renamed at the end, and abandon()
// removes them.

#include <QImage>
#include <QString>
#include <QStringList>
#include <memory>

namespace locallab {

enum class AnimationFormat { PngSequence, Gif, OggTheora };

// The format a path's suffix names: .gif, .ogv/.ogg, anything else a PNG sequence.
AnimationFormat animationFormatOf(const QString& path);

// The files a PNG sequence named after `path` consists of: name_0001.png, name_0002.png, ...
QString pngSequenceFrameName(const QString& path, int frameIndex);

class AnimationWriter {
public:
    virtual ~AnimationWriter() = default;

    // Opens the output; an empty string on success, otherwise what went wrong. `path` names the file
    // (for a PNG sequence, the name the frames are numbered after).
    virtual QString begin(const QString& path, double framesPerSecond) = 0;
    // Every frame must have the size of the first.
    virtual QString addFrame(const QImage& frame) = 0;
    virtual QString finish() = 0;
    virtual void abandon() = 0;
    // The files finish() would put in place; they are checked before anything is written, so an
    // export never replaces a file without asking.
    virtual QStringList targets(const QString& path, int frameCount) const = 0;
};

std::unique_ptr<AnimationWriter> makeAnimationWriter(AnimationFormat format);

} // namespace locallab
