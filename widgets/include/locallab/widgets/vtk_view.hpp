#pragma once
// VtkView hosts a VTK scene inside a Qt 6 widget. Debian's VTK Qt module is built against Qt 5, so
// LocalLab drives a vtkGenericOpenGLRenderWindow itself: VTK renders into its own framebuffer inside
// the widget's OpenGL context, and paintGL() copies that frame into the widget. All rendering is
// coalesced into paintGL(); call requestRender() after changing the scene.

#include <Eigen/Core>
#include <QImage>
#include <QOpenGLWidget>
#include <QPointF>
#include <QSize>
#include <QString>
#include <QSurfaceFormat>
#include <QTimer>
#include <functional>
#include <map>
#include <vector>
#include <vtkNew.h>
#include <vtkSmartPointer.h>

class vtkGenericOpenGLRenderWindow;
class vtkGenericRenderWindowInteractor;
class vtkInteractorObserver;
class vtkObject;
class vtkProp;
class vtkRenderer;

namespace locallab {

// Where the camera of a view stands, so that a scene file can put it back.
struct CameraState {
    Eigen::Vector3d position = Eigen::Vector3d::Zero();
    Eigen::Vector3d focalPoint = Eigen::Vector3d::Zero();
    Eigen::Vector3d viewUp = Eigen::Vector3d::UnitY();
    double parallelScale = 1.0;
    double viewAngle = 30.0;
};

class VtkView : public QOpenGLWidget {
    Q_OBJECT
public:
    enum class InteractionMode {
        TwoD,  // parallel projection, drag pans, wheel zooms, never rotates
        ThreeD // perspective trackball camera
    };
    enum class Theme { Light, Dark };

    // The OpenGL context VTK needs (3.2 core, depth and stencil). Set it as the application's default
    // format before the QApplication exists, so that every context shares with the views'.
    static QSurfaceFormat defaultFormat();

    explicit VtkView(QWidget* parent = nullptr);
    ~VtkView() override;

    vtkRenderer* renderer() const;
    vtkGenericOpenGLRenderWindow* renderWindow() const;

    void setInteractionMode(InteractionMode mode);
    InteractionMode interactionMode() const { return interactionMode_; }

    void setTheme(Theme theme);
    Theme theme() const { return theme_; }
    // RGB in [0, 1] for the current theme; layers use these so both themes stay readable.
    Eigen::Vector3d backgroundColor() const;
    Eigen::Vector3d foregroundColor() const;

    // Frame the visible props. Subclasses that know their data bounds refine this.
    virtual void resetCamera();

    // Schedules one repaint; many calls before the next frame cost one render.
    void requestRender();

    // The current frame as the widget shows it, in device pixels.
    QImage grabImage();
    // Renders one frame off screen at exactly `size` pixels, with text, point sizes and line widths
    // `pixelScale` times their size at 1x, so that a figure of any size keeps the screen's proportions.
    // With a transparent background the pixels no layer covers have alpha 0. A null image when the
    // view has no graphics yet.
    QImage renderImage(const QSize& size, double pixelScale, bool transparentBackground = false);
    struct VectorImage {
        QString path; // empty when VTK could not write the file
        // The props GL2PS draws as pixels, which Debian's gl2ps (built without libpng) leaves out of an
        // SVG. The caller places this image under the file's vectors.
        QImage rasterUnderlay;
        // SVG elements for a flat plot's points, lines and polygons, to go between the underlay and the
        // file's text; empty for a 3-D view, whose marks are all in the underlay.
        QByteArray marks;
    };
    // Renders one frame at exactly `size` pixels, as renderImage does, and writes it through GL2PS to
    // `filePrefix` + ".svg". Text is written by GL2PS; a flat plot's marks come back as `marks`; heatmaps,
    // images and a 3-D view's marks are in rasterUnderlay at the figure's resolution.
    VectorImage writeSvgImage(const QString& filePrefix, const QSize& size, double pixelScale,
                              bool transparentBackground = false);
    // Renders at (widget size × devicePixelRatio × scale) and writes a PNG. Text, point sizes and
    // line widths grow with the scale so the figure looks like the screen, only sharper.
    bool exportPng(const QString& path, double scale = 2.0);

    // Presenter mode: fonts, markers and line widths on screen grow by this factor (1 is normal).
    void setMagnification(double magnification);
    double magnification() const { return magnification_; }

    CameraState cameraState() const;
    // Puts the camera there and keeps it there when layers change, as if the user had moved it.
    virtual void setCameraState(const CameraState& state);

    // Device pixels per logical pixel of everything drawn: devicePixelRatio, times the export scale
    // while exporting. Layers multiply their point sizes, line widths and margins by it.
    double pixelScale() const { return pixelScale_; }

    // Widget (logical) pixel ↔ world coordinates on the plane z = worldZ (2-D plots use z = 0).
    Eigen::Vector3d displayToWorld(const QPointF& widgetPosition, double worldZ = 0.0) const;
    QPointF worldToDisplay(const Eigen::Vector3d& world) const;

    // While interacting (mouse button held, a burst of wheel steps, or set explicitly) heavy layers
    // draw a decimated level of detail; the full set returns when the interaction ends.
    void setInteracting(bool interacting);
    bool isInteracting() const { return interacting_; }

signals:
    void renderTimeMeasured(double milliseconds);
    void interactingChanged(bool interacting);
    void themeChanged();
    // Emitted just before VTK renders a frame; overlays that depend on the camera lay out here.
    void aboutToRender();

protected:
    void initializeGL() override;
    void resizeGL(int width, int height) override;
    void paintGL() override;

    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void enterEvent(QEnterEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    void releaseGraphics();
    // An off-screen frame at an exact size: begin sets the size and scale, end puts the screen's back.
    bool beginExportFrame(const QSize& size, double pixelScale);
    QImage readFrame(bool transparentBackground);
    // Hides the visible props, in every layer, that `which` picks, and returns them for showProps.
    std::vector<vtkProp*> hideVisibleProps(const std::function<bool(vtkProp*)>& which) const;
    static void showProps(const std::vector<vtkProp*>& props);
    void endExportFrame();
    void applyDeviceSize();
    void applyTheme();
    void forwardMouseButton(QMouseEvent* event, bool pressed);
    void setInteractorEventPosition(const QPointF& widgetPosition, Qt::KeyboardModifiers modifiers,
                                    int repeatCount = 0) const;
    void onRenderWindowEvent(vtkObject* caller, unsigned long eventId, void* callData);
    void onInteractorEvent(vtkObject* caller, unsigned long eventId, void* callData);

    vtkNew<vtkGenericOpenGLRenderWindow> renderWindow_;
    vtkNew<vtkGenericRenderWindowInteractor> interactor_;
    vtkNew<vtkRenderer> renderer_;
    vtkSmartPointer<vtkInteractorObserver> twoDimensionalStyle_;
    vtkSmartPointer<vtkInteractorObserver> threeDimensionalStyle_;

    InteractionMode interactionMode_ = InteractionMode::TwoD;
    Theme theme_ = Theme::Light;
    double pixelScale_ = 1.0;
    double exportScale_ = 1.0;
    double magnification_ = 1.0;
    bool graphicsReady_ = false;
    bool painting_ = false;
    bool interacting_ = false;
    bool interactingFromWheel_ = false;
    QTimer wheelQuietTimer_;
    int wheelRemainderEighths_ = 0;
    // Timers VTK's interactor asked for, by the platform id we gave them; this widget owns them.
    std::map<int, QTimer*> interactorTimers_;
    QMetaObject::Connection contextTeardownConnection_;
    int nextInteractorTimerId_ = 1;
};

} // namespace locallab
