#pragma once
// Undo and redo of an explorer's parameters. Every committed edit (parameterChanged: a slider released,
// a number typed, a box ticked) becomes one step holding the whole panel before and after, so that a
// slider dragged through a hundred values is undone in one step, and an edit whose handler adjusted other
// parameters (a new generator resets its noise) is undone together with those adjustments.

#include "locallab/util/parameter.hpp"

#include <QObject>

class QUndoStack;

namespace locallab {

class ParameterPanel;

class ParameterHistory : public QObject {
    Q_OBJECT

public:
    ParameterHistory(ParameterPanel* panel, QUndoStack* stack, QObject* parent = nullptr);

    QUndoStack* stack() const { return stack_; }
    // Forgets every step and takes the panel as it is now as the starting point (after a scene opens).
    void restart();
    // Puts the panel at these values as a user would, without recording a step.
    void replay(const ParameterValues& values);

private:
    void onParameterChanged(const QString& name);

    ParameterPanel* panel_ = nullptr;
    QUndoStack* stack_ = nullptr;
    ParameterValues snapshot_;
    bool replaying_ = false;
};

} // namespace locallab
