#pragma once
// The picture the image explorer shows before any file is opened, generated in code so that it is
// always there: a few flat coloured shapes on a colour gradient, with noise, which is what MeanShift
// filtering is good at (noise smoothed away, shape edges kept, the gradient cut into bands).

#include <QImage>

namespace locallab {

// The same picture every time (fixed seed), 8-bit RGB.
QImage syntheticTestPicture();

} // namespace locallab
