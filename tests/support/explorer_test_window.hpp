#pragma once
// The window an explorer test drives, laid out as the main window holds an explorer, and the waits that
// run the event loop until a result the explorer computes on its worker thread has arrived.

#include <QBoxLayout>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QSize>
#include <QTest>
#include <QWidget>
#include <functional>

namespace locallab::test {

enum class WindowContents {
    // The picture (the explorer's central widget) stretched beside its panel, as in the main window.
    pictureAndPanel,
    // The picture alone fills the window; the panel stays an unplaced child of it.
    pictureOnly,
};

// A shown window holding a new ExplorerType, big enough to click in. `beforeShowing` sets the explorer up
// before the window is first shown, for explorers that compute their first picture then.
template <typename ExplorerType>
struct ExplorerTestWindow {
    QWidget window;
    ExplorerType* explorer = nullptr;

    explicit ExplorerTestWindow(QSize size, WindowContents contents = WindowContents::pictureAndPanel,
                                const std::function<void(ExplorerType&)>& beforeShowing = {}) {
        explorer = new ExplorerType(&window);
        if (beforeShowing) {
            beforeShowing(*explorer);
        }
        if (contents == WindowContents::pictureAndPanel) {
            auto* layout = new QBoxLayout(QBoxLayout::LeftToRight, &window);
            layout->addWidget(explorer->centralWidget(), 1);
            layout->addWidget(explorer->panel());
        } else {
            auto* layout = new QBoxLayout(QBoxLayout::TopToBottom, &window);
            layout->addWidget(explorer->centralWidget());
        }
        window.resize(size);
        window.show();
    }
    // The explorer's jobs end before its widgets go.
    ~ExplorerTestWindow() { delete explorer; }

    ExplorerTestWindow(const ExplorerTestWindow&) = delete;
    ExplorerTestWindow& operator=(const ExplorerTestWindow&) = delete;
};

// Runs the event loop until `condition()` holds; false if it still does not after timeoutMilliseconds.
template <typename Condition>
bool waitFor(Condition condition, int timeoutMilliseconds) {
    QElapsedTimer clock;
    clock.start();
    while (!condition()) {
        if (clock.elapsed() > timeoutMilliseconds) {
            return false;
        }
        QTest::qWait(10);
    }
    return true;
}

// Runs the event loop until `spy` has caught more than `before` signals; false if it has not after
// timeoutMilliseconds.
inline bool waitForMore(QSignalSpy& spy, qsizetype before, int timeoutMilliseconds) {
    QElapsedTimer clock;
    clock.start();
    while (spy.size() <= before && clock.elapsed() < timeoutMilliseconds) {
        spy.wait(200);
    }
    return spy.size() > before;
}

} // namespace locallab::test
