#include "locallab/widgets/vtk_view.hpp"

#include "locallab/widgets/svg_marks.hpp"

#include <QElapsedTimer>
#include <QEnterEvent>
#include <QFileInfo>
#include <QKeyEvent>
#include <QMetaMethod>
#include <QMouseEvent>
#include <QOpenGLContext>
#include <QOpenGLExtraFunctions>
#include <QSurfaceFormat>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>
#include <vtkActor2D.h>
#include <vtkCamera.h>
#include <vtkCommand.h>
#include <vtkGL2PSExporter.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkInteractorStyleTrackballCamera.h>
#include <vtkMapper2D.h>
#include <vtkObjectFactory.h>
#include <vtkOpenGLState.h>
#include <vtkProp.h>
#include <vtkPropCollection.h>
#include <vtkRenderer.h>
#include <vtkRendererCollection.h>
#include <vtkUnsignedCharArray.h>

namespace locallab {

namespace {

// 2-D plots pan with the left or middle button and zoom with the wheel or right drag; nothing
// rotates, because a rotated scatter plot has no meaningful axes.
// VTK's type macro takes no trailing semicolon, which confuses the formatter.
// clang-format off
class PanZoomInteractorStyle : public vtkInteractorStyleTrackballCamera {
public:
    static PanZoomInteractorStyle* New();
    vtkTypeMacro(PanZoomInteractorStyle, vtkInteractorStyleTrackballCamera)

    void OnLeftButtonDown() override { Superclass::OnMiddleButtonDown(); }
    void OnLeftButtonUp() override { Superclass::OnMiddleButtonUp(); }
    // VTK's single-letter shortcuts (wireframe, stereo, quit) would surprise a user; VtkView
    // handles the few keys it supports itself.
    void OnChar() override {}
};
vtkStandardNewMacro(PanZoomInteractorStyle);

class TrackballInteractorStyle : public vtkInteractorStyleTrackballCamera {
public:
    static TrackballInteractorStyle* New();
    vtkTypeMacro(TrackballInteractorStyle, vtkInteractorStyleTrackballCamera)

    void OnChar() override {}
};
vtkStandardNewMacro(TrackballInteractorStyle);
// clang-format on

// What GL2PS writes as vectors: 2-D text. (Debian's VTK 9.1 draws 2-D polygons and lines, like
// everything 3-D, into its raster background.)
bool isVectorText(vtkProp* prop) {
    if (prop->IsA("vtkTextActor")) {
        return true;
    }
    auto* overlay = vtkActor2D::SafeDownCast(prop);
    return overlay && overlay->GetMapper() && overlay->GetMapper()->IsA("vtkTextMapper");
}

bool isThreeDimensionalAxes(vtkProp* prop) {
    return prop->IsA("vtkCubeAxesActor");
}

constexpr double unscaledDotsPerInch = 72.0;  // VTK's default: a 12 pt font is 12 px at 1x
constexpr int wheelQuietMilliseconds = 250;   // a wheel burst ends after this much silence
constexpr int wheelStepEighthsOfDegree = 120; // one notch of a classic mouse wheel

QSurfaceFormat vtkCompatibleFormat() {
    QSurfaceFormat format;
    format.setRenderableType(QSurfaceFormat::OpenGL);
    format.setVersion(3, 2);
    format.setProfile(QSurfaceFormat::CoreProfile);
    format.setSwapBehavior(QSurfaceFormat::DoubleBuffer);
    format.setRedBufferSize(8);
    format.setGreenBufferSize(8);
    format.setBlueBufferSize(8);
    format.setAlphaBufferSize(8);
    format.setDepthBufferSize(24);
    format.setStencilBufferSize(8);
    // VTK multisamples its own framebuffer; the widget's buffer only receives the resolved frame.
    format.setSamples(0);
    return format;
}

} // namespace

QSurfaceFormat VtkView::defaultFormat() {
    return vtkCompatibleFormat();
}

VtkView::VtkView(QWidget* parent) : QOpenGLWidget(parent) {
    setFormat(defaultFormat());
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setMinimumSize(64, 64);

    // Nothing may render before initializeGL() has given VTK a context.
    renderWindow_->SetReadyForRendering(false);
    // paintGL() copies VTK's frame into the widget itself.
    renderWindow_->SetFrameBlitModeToNoBlit();
    renderWindow_->SetMultiSamples(4);
    renderWindow_->AddRenderer(renderer_);
    renderWindow_->AddObserver(vtkCommand::WindowMakeCurrentEvent, this, &VtkView::onRenderWindowEvent);
    renderWindow_->AddObserver(vtkCommand::WindowIsCurrentEvent, this, &VtkView::onRenderWindowEvent);
    renderWindow_->AddObserver(vtkCommand::WindowFrameEvent, this, &VtkView::onRenderWindowEvent);

    interactor_->SetRenderWindow(renderWindow_);
    // The interactor asks for renders through RenderEvent; they become coalesced repaints.
    interactor_->EnableRenderOff();
    interactor_->AddObserver(vtkCommand::CreateTimerEvent, this, &VtkView::onInteractorEvent);
    interactor_->AddObserver(vtkCommand::DestroyTimerEvent, this, &VtkView::onInteractorEvent);
    interactor_->AddObserver(vtkCommand::RenderEvent, this, &VtkView::onInteractorEvent);

    twoDimensionalStyle_ = vtkSmartPointer<PanZoomInteractorStyle>::New();
    threeDimensionalStyle_ = vtkSmartPointer<TrackballInteractorStyle>::New();
    setInteractionMode(InteractionMode::TwoD);

    wheelQuietTimer_.setSingleShot(true);
    wheelQuietTimer_.setInterval(wheelQuietMilliseconds);
    connect(&wheelQuietTimer_, &QTimer::timeout, this, [this] {
        if (interactingFromWheel_) {
            setInteracting(false);
        }
    });
    applyTheme();
}

VtkView::~VtkView() {
    disconnect(contextTeardownConnection_);
    if (graphicsReady_) {
        makeCurrent();
        releaseGraphics();
        doneCurrent();
    }
    interactor_->SetInteractorStyle(nullptr);
    interactor_->RemoveAllObservers();
    renderWindow_->RemoveAllObservers();
}

vtkRenderer* VtkView::renderer() const {
    return renderer_.Get();
}

vtkGenericOpenGLRenderWindow* VtkView::renderWindow() const {
    return renderWindow_.Get();
}

void VtkView::setInteractionMode(InteractionMode mode) {
    interactionMode_ = mode;
    vtkCamera* camera = renderer_->GetActiveCamera();
    if (mode == InteractionMode::TwoD) {
        interactor_->SetInteractorStyle(twoDimensionalStyle_);
        camera->ParallelProjectionOn();
        camera->SetPosition(0.0, 0.0, 1.0);
        camera->SetFocalPoint(0.0, 0.0, 0.0);
        camera->SetViewUp(0.0, 1.0, 0.0);
    } else {
        interactor_->SetInteractorStyle(threeDimensionalStyle_);
        camera->ParallelProjectionOff();
    }
    resetCamera();
}

void VtkView::setTheme(Theme theme) {
    if (theme_ == theme) {
        return;
    }
    theme_ = theme;
    applyTheme();
}

Eigen::Vector3d VtkView::backgroundColor() const {
    return theme_ == Theme::Light ? Eigen::Vector3d(1.0, 1.0, 1.0) : Eigen::Vector3d(0.11, 0.12, 0.13);
}

Eigen::Vector3d VtkView::foregroundColor() const {
    return theme_ == Theme::Light ? Eigen::Vector3d(0.13, 0.13, 0.13) : Eigen::Vector3d(0.92, 0.92, 0.92);
}

void VtkView::applyTheme() {
    const Eigen::Vector3d background = backgroundColor();
    renderer_->SetBackground(background.x(), background.y(), background.z());
    emit themeChanged();
    requestRender();
}

void VtkView::resetCamera() {
    renderer_->ResetCamera();
    requestRender();
}

void VtkView::requestRender() {
    update();
}

QImage VtkView::grabImage() {
    return grabFramebuffer();
}

QImage VtkView::renderImage(const QSize& size, double pixelScale, bool transparentBackground) {
    if (!beginExportFrame(size, pixelScale)) {
        return {};
    }
    renderWindow_->Render();
    const QImage image = readFrame(transparentBackground);
    endExportFrame();
    return image;
}

VtkView::VectorImage VtkView::writeSvgImage(const QString& filePrefix, const QSize& size, double pixelScale,
                                            bool transparentBackground) {
    if (!beginExportFrame(size, pixelScale)) {
        return {};
    }
    vtkNew<vtkGL2PSExporter> exporter;
    exporter->SetRenderWindow(renderWindow_);
    exporter->SetFilePrefix(filePrefix.toLocal8Bit().constData());
    exporter->SetFileFormatToSVG();
    exporter->SetTitle("LocalLab");
    exporter->SetCompress(0); // an SVG must stay plain text to carry its scene as metadata
    exporter->SetTextAsPath(false);
    exporter->SetSortToSimple();
    exporter->SilentOn();
    // The 3-D axes' labels would come out as vectors floating over their own raster lines; they stay
    // out of the GL2PS pass and are drawn, lines and labels together, in the underlay.
    const std::vector<vtkProp*> axes = hideVisibleProps(isThreeDimensionalAxes);
    renderWindow_->Render();
    exporter->Write();
    showProps(axes);

    VectorImage result;
    {
        // GL2PS writes only text as vectors and draws everything else into a raster background, which
        // Debian's gl2ps (built without libpng) leaves out of an SVG. A flat plot's points, lines and
        // polygons are written as SVG here instead; what is left (heatmaps, images, a 3-D scene) is
        // rendered into the underlay, without the text GL2PS has written.
        std::vector<vtkProp*> hidden;
        if (interactionMode_ == InteractionMode::TwoD) {
            SvgMarks marks = svgMarksOf(*renderWindow_, isVectorText);
            result.marks = std::move(marks.elements);
            for (vtkProp* prop : marks.written) {
                prop->VisibilityOff();
                hidden.push_back(prop);
            }
        }
        const std::vector<vtkProp*> text = hideVisibleProps(isVectorText);
        renderWindow_->Render();
        result.rasterUnderlay = readFrame(transparentBackground);
        showProps(text);
        showProps(hidden);
    }
    endExportFrame();
    const QString path = filePrefix + ".svg";
    if (QFileInfo(path).size() > 0) {
        result.path = path;
    }
    return result;
}

std::vector<vtkProp*> VtkView::hideVisibleProps(const std::function<bool(vtkProp*)>& which) const {
    std::vector<vtkProp*> hidden;
    vtkRendererCollection* renderers = renderWindow_->GetRenderers();
    renderers->InitTraversal();
    while (vtkRenderer* layer = renderers->GetNextItem()) {
        vtkPropCollection* props = layer->GetViewProps();
        props->InitTraversal();
        while (vtkProp* prop = props->GetNextProp()) {
            if (prop->GetVisibility() && which(prop)) {
                prop->VisibilityOff();
                hidden.push_back(prop);
            }
        }
    }
    return hidden;
}

void VtkView::showProps(const std::vector<vtkProp*>& props) {
    for (vtkProp* prop : props) {
        prop->VisibilityOn();
    }
}

bool VtkView::beginExportFrame(const QSize& size, double pixelScale) {
    if (!graphicsReady_ || size.isEmpty() || pixelScale <= 0.0) {
        return false;
    }
    makeCurrent();
    exportScale_ = pixelScale / devicePixelRatioF();
    pixelScale_ = pixelScale;
    renderWindow_->SetDPI(static_cast<int>(std::lround(unscaledDotsPerInch * pixelScale_)));
    renderWindow_->SetSize(size.width(), size.height());
    // Frames go to VTK's own framebuffer only; painting_ keeps them from being shown.
    painting_ = true;
    emit aboutToRender();
    return true;
}

QImage VtkView::readFrame(bool transparentBackground) {
    const int* windowSize = renderWindow_->GetSize();
    const int width = windowSize[0];
    const int height = windowSize[1];
    const int channels = transparentBackground ? 4 : 3;
    vtkNew<vtkUnsignedCharArray> pixels;
    const bool read =
        (transparentBackground ? renderWindow_->GetRGBACharPixelData(0, 0, width - 1, height - 1, 1, pixels)
                               : renderWindow_->GetPixelData(0, 0, width - 1, height - 1, 1, pixels, 0)) != 0;
    if (!read || pixels->GetNumberOfTuples() != static_cast<vtkIdType>(width) * height) {
        return {};
    }
    QImage image(width, height, transparentBackground ? QImage::Format_RGBA8888 : QImage::Format_RGB888);
    const int rowBytes = channels * width;
    // VTK's rows start at the bottom of the picture, QImage's at the top.
    for (int row = 0; row < height; ++row) {
        std::memcpy(image.scanLine(height - 1 - row),
                    pixels->GetPointer(static_cast<vtkIdType>(row) * rowBytes),
                    static_cast<size_t>(rowBytes));
    }
    return image;
}

void VtkView::endExportFrame() {
    painting_ = false;
    exportScale_ = 1.0;
    applyDeviceSize();
    doneCurrent();
    requestRender();
}

bool VtkView::exportPng(const QString& path, double scale) {
    if (scale <= 0.0) {
        return false;
    }
    const double devicePixelRatio = devicePixelRatioF();
    const QSize size(static_cast<int>(std::lround(width() * devicePixelRatio * scale)),
                     static_cast<int>(std::lround(height() * devicePixelRatio * scale)));
    const QImage image = renderImage(size, devicePixelRatio * scale);
    return !image.isNull() && image.save(path, "PNG");
}

void VtkView::setMagnification(double magnification) {
    magnification_ = std::clamp(magnification, 0.25, 8.0);
    if (graphicsReady_) {
        applyDeviceSize();
    }
    requestRender();
}

CameraState VtkView::cameraState() const {
    vtkCamera* camera = renderer_->GetActiveCamera();
    CameraState state;
    camera->GetPosition(state.position.data());
    camera->GetFocalPoint(state.focalPoint.data());
    camera->GetViewUp(state.viewUp.data());
    state.parallelScale = camera->GetParallelScale();
    state.viewAngle = camera->GetViewAngle();
    return state;
}

void VtkView::setCameraState(const CameraState& state) {
    vtkCamera* camera = renderer_->GetActiveCamera();
    camera->SetPosition(state.position.data());
    camera->SetFocalPoint(state.focalPoint.data());
    camera->SetViewUp(state.viewUp.data());
    camera->SetParallelScale(state.parallelScale);
    camera->SetViewAngle(state.viewAngle);
    renderer_->ResetCameraClippingRange();
    requestRender();
}

Eigen::Vector3d VtkView::displayToWorld(const QPointF& widgetPosition, double worldZ) const {
    const double devicePixelRatio = devicePixelRatioF();
    const int* size = renderWindow_->GetSize();
    const double displayX = widgetPosition.x() * devicePixelRatio;
    const double displayY = size[1] - 1.0 - widgetPosition.y() * devicePixelRatio;

    // The pixel is a ray through the scene; the answer is where it crosses the plane z = worldZ.
    auto unproject = [&](double depth) {
        renderer_->SetDisplayPoint(displayX, displayY, depth);
        renderer_->DisplayToWorld();
        const double* world = renderer_->GetWorldPoint();
        return Eigen::Vector3d(world[0] / world[3], world[1] / world[3], world[2] / world[3]);
    };
    const Eigen::Vector3d nearPoint = unproject(0.0);
    const Eigen::Vector3d farPoint = unproject(1.0);
    const Eigen::Vector3d direction = farPoint - nearPoint;
    if (std::abs(direction.z()) < 1e-300) {
        return nearPoint;
    }
    const double along = (worldZ - nearPoint.z()) / direction.z();
    return nearPoint + along * direction;
}

QPointF VtkView::worldToDisplay(const Eigen::Vector3d& world) const {
    const double devicePixelRatio = devicePixelRatioF();
    const int* size = renderWindow_->GetSize();
    renderer_->SetWorldPoint(world.x(), world.y(), world.z(), 1.0);
    renderer_->WorldToDisplay();
    const double* display = renderer_->GetDisplayPoint();
    return {display[0] / devicePixelRatio, (size[1] - 1.0 - display[1]) / devicePixelRatio};
}

void VtkView::setInteracting(bool interacting) {
    if (!interacting) {
        interactingFromWheel_ = false;
    }
    if (interacting_ == interacting) {
        return;
    }
    interacting_ = interacting;
    emit interactingChanged(interacting);
    requestRender();
}

void VtkView::initializeGL() {
    disconnect(contextTeardownConnection_);
    contextTeardownConnection_ = connect(context(), &QOpenGLContext::aboutToBeDestroyed, this, [this] {
        // The context dies when the widget moves to another window; VTK's buffers and shaders must
        // go first, and initializeGL() rebuilds them in the new context.
        makeCurrent();
        releaseGraphics();
        doneCurrent();
    });
    renderWindow_->SetOwnContext(false);
    // Core profiles have no wide lines; a limit of 1 makes VTK draw wide lines itself.
    renderWindow_->SetForceMaximumHardwareLineWidth(1);
    renderWindow_->SetReadyForRendering(true);
    // Only the function pointers and the GL state: VTK creates its framebuffers at the first
    // render, at the size the widget has by then.
    renderWindow_->OpenGLInitContext();
    graphicsReady_ = true;
    applyDeviceSize();
    // Initialising the interactor starts the render window, which needs the context: not earlier.
    if (interactor_->GetInitialized() == 0) {
        interactor_->Initialize();
    }
}

void VtkView::releaseGraphics() {
    if (!graphicsReady_) {
        return;
    }
    renderWindow_->Finalize();
    renderWindow_->SetReadyForRendering(false);
    graphicsReady_ = false;
}

void VtkView::resizeGL(int, int) {
    applyDeviceSize();
}

void VtkView::applyDeviceSize() {
    const double devicePixelRatio = devicePixelRatioF();
    pixelScale_ = devicePixelRatio * exportScale_ * magnification_;
    const int width = static_cast<int>(std::lround(this->width() * devicePixelRatio));
    const int height = static_cast<int>(std::lround(this->height() * devicePixelRatio));
    interactor_->UpdateSize(width, height);
    renderWindow_->SetSize(width, height);
    // Fonts are given in points; scaling the DPI scales every text actor with the screen.
    renderWindow_->SetDPI(static_cast<int>(std::lround(unscaledDotsPerInch * pixelScale_)));
}

void VtkView::paintGL() {
    if (!graphicsReady_ || painting_) {
        return;
    }
    painting_ = true;
    emit aboutToRender();
    QElapsedTimer clock;
    clock.start();
    // VTK must never see the widget's framebuffer bound while it renders: on its first frame it
    // sets up buffers on whatever is bound, which left Qt's framebuffer unusable. It renders into its
    // own framebuffers and paintGL() copies the result.
    context()->functions()->glBindFramebuffer(GL_FRAMEBUFFER, 0);
    renderWindow_->GetState()->Reset();
    renderWindow_->Render();
    painting_ = false;

    // VTK may have bound its own framebuffers; the copy must land in the widget's.
    makeCurrent();
    QOpenGLExtraFunctions* functions = context()->extraFunctions();
    vtkOpenGLState* state = renderWindow_->GetState();
    const int* size = renderWindow_->GetSize();
    state->vtkglDisable(GL_SCISSOR_TEST);
    state->vtkglBindFramebuffer(GL_DRAW_FRAMEBUFFER, defaultFramebufferObject());
    const GLenum colorAttachment = GL_COLOR_ATTACHMENT0;
    functions->glDrawBuffers(1, &colorAttachment);
    renderWindow_->BlitDisplayFramebuffer(0, 0, 0, size[0], size[1], 0, 0, size[0], size[1],
                                          GL_COLOR_BUFFER_BIT, GL_NEAREST);
    // VTK leaves alpha 0 where the background is; an opaque widget needs 1 there.
    state->vtkglColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_TRUE);
    state->vtkglClearColor(0.0, 0.0, 0.0, 1.0);
    state->vtkglViewport(0, 0, size[0], size[1]);
    state->vtkglClear(GL_COLOR_BUFFER_BIT);
    state->vtkglColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
    functions->glBindFramebuffer(GL_FRAMEBUFFER, defaultFramebufferObject());

    if (isSignalConnected(QMetaMethod::fromSignal(&VtkView::renderTimeMeasured))) {
        // Software rasterisers defer work; waiting for it makes the figure honest.
        functions->glFinish();
        emit renderTimeMeasured(static_cast<double>(clock.nsecsElapsed()) / 1.0e6);
    }
}

void VtkView::setInteractorEventPosition(const QPointF& widgetPosition, Qt::KeyboardModifiers modifiers,
                                         int repeatCount) const {
    const double devicePixelRatio = devicePixelRatioF();
    const int x = static_cast<int>(std::lround(widgetPosition.x() * devicePixelRatio));
    const int y = static_cast<int>(std::lround(widgetPosition.y() * devicePixelRatio));
    // VTK counts rows from the bottom, Qt from the top.
    interactor_->SetEventInformationFlipY(x, y, modifiers.testFlag(Qt::ControlModifier) ? 1 : 0,
                                          modifiers.testFlag(Qt::ShiftModifier) ? 1 : 0, 0, repeatCount);
    interactor_->SetAltKey(modifiers.testFlag(Qt::AltModifier) ? 1 : 0);
}

void VtkView::forwardMouseButton(QMouseEvent* event, bool pressed) {
    unsigned long eventId = 0;
    switch (event->button()) {
    case Qt::LeftButton:
        eventId = pressed ? vtkCommand::LeftButtonPressEvent : vtkCommand::LeftButtonReleaseEvent;
        break;
    case Qt::MiddleButton:
        eventId = pressed ? vtkCommand::MiddleButtonPressEvent : vtkCommand::MiddleButtonReleaseEvent;
        break;
    case Qt::RightButton:
        eventId = pressed ? vtkCommand::RightButtonPressEvent : vtkCommand::RightButtonReleaseEvent;
        break;
    default:
        return;
    }
    const bool doubleClick = event->type() == QEvent::MouseButtonDblClick;
    setInteractorEventPosition(event->position(), event->modifiers(), doubleClick ? 1 : 0);
    interactor_->InvokeEvent(eventId, event);
}

void VtkView::mousePressEvent(QMouseEvent* event) {
    setInteracting(true);
    forwardMouseButton(event, true);
}

void VtkView::mouseDoubleClickEvent(QMouseEvent* event) {
    forwardMouseButton(event, true);
}

void VtkView::mouseReleaseEvent(QMouseEvent* event) {
    forwardMouseButton(event, false);
    if (event->buttons() == Qt::NoButton) {
        setInteracting(false);
    }
}

void VtkView::mouseMoveEvent(QMouseEvent* event) {
    setInteractorEventPosition(event->position(), event->modifiers());
    interactor_->InvokeEvent(vtkCommand::MouseMoveEvent, event);
}

void VtkView::wheelEvent(QWheelEvent* event) {
    // Touchpads send many small deltas; a zoom step is one classic notch.
    wheelRemainderEighths_ += event->angleDelta().y();
    const int steps = wheelRemainderEighths_ / wheelStepEighthsOfDegree;
    wheelRemainderEighths_ -= steps * wheelStepEighthsOfDegree;
    if (steps == 0) {
        event->accept();
        return;
    }
    interactingFromWheel_ = true;
    setInteracting(true);
    wheelQuietTimer_.start();
    setInteractorEventPosition(event->position(), event->modifiers());
    const unsigned long eventId =
        steps > 0 ? vtkCommand::MouseWheelForwardEvent : vtkCommand::MouseWheelBackwardEvent;
    for (int step = 0; step < std::abs(steps); ++step) {
        interactor_->InvokeEvent(eventId, event);
    }
    event->accept();
}

void VtkView::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_R && event->modifiers() == Qt::NoModifier) {
        resetCamera();
        event->accept();
        return;
    }
    const QByteArray text = event->text().toLatin1();
    const char keyCode = text.isEmpty() ? '\0' : text.at(0);
    interactor_->SetKeyEventInformation(event->modifiers().testFlag(Qt::ControlModifier) ? 1 : 0,
                                        event->modifiers().testFlag(Qt::ShiftModifier) ? 1 : 0, keyCode,
                                        event->isAutoRepeat() ? 1 : 0, text.constData());
    interactor_->InvokeEvent(vtkCommand::KeyPressEvent, event);
    QOpenGLWidget::keyPressEvent(event);
}

void VtkView::keyReleaseEvent(QKeyEvent* event) {
    interactor_->InvokeEvent(vtkCommand::KeyReleaseEvent, event);
    QOpenGLWidget::keyReleaseEvent(event);
}

void VtkView::enterEvent(QEnterEvent* event) {
    setInteractorEventPosition(event->position(), event->modifiers());
    interactor_->InvokeEvent(vtkCommand::EnterEvent, event);
}

void VtkView::leaveEvent(QEvent* event) {
    interactor_->InvokeEvent(vtkCommand::LeaveEvent, event);
}

void VtkView::onRenderWindowEvent(vtkObject*, unsigned long eventId, void* callData) {
    switch (eventId) {
    case vtkCommand::WindowMakeCurrentEvent:
        // QOpenGLWidget::makeCurrent() also binds the widget's framebuffer, which VTK must not
        // render into (see paintGL), so only switch when another context is current.
        if (QOpenGLContext::currentContext() != context()) {
            makeCurrent();
            context()->functions()->glBindFramebuffer(GL_FRAMEBUFFER, 0);
        }
        break;
    case vtkCommand::WindowIsCurrentEvent:
        *static_cast<bool*>(callData) = context() != nullptr && QOpenGLContext::currentContext() == context();
        break;
    case vtkCommand::WindowFrameEvent:
        // Someone called Render() directly: show that frame too.
        if (!painting_) {
            update();
        }
        break;
    default:
        break;
    }
}

void VtkView::onInteractorEvent(vtkObject*, unsigned long eventId, void*) {
    switch (eventId) {
    case vtkCommand::CreateTimerEvent: {
        const int platformTimerId = nextInteractorTimerId_++;
        auto* timer = new QTimer(this); // owned by this widget, deleted with it or on DestroyTimerEvent
        timer->setSingleShot(interactor_->GetTimerEventType() == vtkRenderWindowInteractor::OneShotTimer);
        timer->setInterval(static_cast<int>(interactor_->GetTimerEventDuration()));
        connect(timer, &QTimer::timeout, this, [this, platformTimerId] {
            int vtkTimerId = interactor_->GetVTKTimerId(platformTimerId);
            interactor_->InvokeEvent(vtkCommand::TimerEvent, &vtkTimerId);
        });
        timer->start();
        interactorTimers_[platformTimerId] = timer;
        interactor_->SetTimerEventPlatformId(platformTimerId);
        break;
    }
    case vtkCommand::DestroyTimerEvent: {
        const auto found = interactorTimers_.find(interactor_->GetTimerEventPlatformId());
        if (found != interactorTimers_.end()) {
            found->second->stop();
            // It may be the timer whose timeout is running right now.
            found->second->deleteLater();
            interactorTimers_.erase(found);
        }
        break;
    }
    case vtkCommand::RenderEvent:
        requestRender();
        break;
    default:
        break;
    }
}

} // namespace locallab
