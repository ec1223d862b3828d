#include "scene/parameter_history.hpp"

#include "locallab/widgets/parameter_panel.hpp"

#include <QUndoCommand>
#include <QUndoStack>

namespace locallab {

namespace {

class ParameterEdit : public QUndoCommand {
public:
    ParameterEdit(ParameterHistory& history, ParameterValues before, ParameterValues after,
                  const QString& text)
        : QUndoCommand(text), history_(history), before_(std::move(before)), after_(std::move(after)) {}

    void undo() override { history_.replay(before_); }
    void redo() override {
        // The first redo is the push itself: the edit has been made already.
        if (pushed_) {
            history_.replay(after_);
        }
        pushed_ = true;
    }

private:
    ParameterHistory& history_;
    ParameterValues before_;
    ParameterValues after_;
    bool pushed_ = false;
};

} // namespace

ParameterHistory::ParameterHistory(ParameterPanel* panel, QUndoStack* stack, QObject* parent)
    : QObject(parent), panel_(panel), stack_(stack), snapshot_(panel->values()) {
    connect(panel_, &ParameterPanel::parameterChanged, this,
            [this](const QString& name) { onParameterChanged(name); });
}

void ParameterHistory::restart() {
    stack_->clear();
    snapshot_ = panel_->values();
}

void ParameterHistory::replay(const ParameterValues& values) {
    replaying_ = true;
    panel_->applyValues(values);
    replaying_ = false;
    snapshot_ = panel_->values();
}

void ParameterHistory::onParameterChanged(const QString& name) {
    if (replaying_) {
        return;
    }
    ParameterValues after = panel_->values();
    if (after == snapshot_) {
        return;
    }
    const ParameterDescription* description = findParameter(panel_->descriptions(), name.toStdString());
    const QString label = description ? QString::fromStdString(description->label) : name;
    auto edit = std::make_unique<ParameterEdit>(*this, snapshot_, after, tr("Change %1").arg(label));
    snapshot_ = std::move(after);
    stack_->push(edit.release()); // the stack owns its commands
}

} // namespace locallab
