#pragma once
// The OpenGL format every window of the app asks for. It must be the application's default before
// QApplication exists, so that all OpenGL widgets share one kind of context; it matches what VtkView
// asks for its own widget (OpenGL 3.2 core, 24-bit depth, 8-bit stencil, VTK doing its own
// multisampling).

#include <QSurfaceFormat>

namespace locallab {

QSurfaceFormat applicationSurfaceFormat();

} // namespace locallab
