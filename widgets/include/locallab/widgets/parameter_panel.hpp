#pragma once
// The controls of a method, built from its parameter descriptions rather than drawn by hand, so that a
// new parameter in core appears in the GUI with no GUI code. Every editor speaks the same two signals:
// parameterChanging while the user is still moving (a slider being dragged: live preview) and
// parameterChanged when the user commits (slider released, number typed, box ticked, item picked).
// A commit is what becomes an undo step; a change made through setValues() is not a user action and
// emits nothing.

#include "locallab/util/parameter.hpp"

#include <QString>
#include <QWidget>
#include <map>
#include <string>
#include <vector>

class QBoxLayout;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;

namespace locallab {

class ParameterPanel : public QWidget {
    Q_OBJECT

public:
    explicit ParameterPanel(std::vector<ParameterDescription> descriptions, QWidget* parent = nullptr);

    const std::vector<ParameterDescription>& descriptions() const { return descriptions_; }

    ParameterValues values() const;
    // Moves the controls to these values without emitting anything. Names the panel does not know are
    // ignored; numbers outside a range are clamped to it; unknown choices leave the control as it was.
    void setValues(const ParameterValues& values);
    // Moves the controls to these values one parameter at a time, in the order of the descriptions, and
    // emits parameterChanged for each one that changed, exactly as if the user had made those edits:
    // opening a scene and undoing an edit go through here. A handler that adjusts other parameters
    // (a new generator resets its noise) acts before the next value is applied, so the given values win.
    void applyValues(const ParameterValues& values);

    // Replaces the items of a Choice parameter (the column names of a newly loaded file, say) and
    // selects `selected`, or the first item when `selected` is not among them. Emits nothing.
    void setChoices(const std::string& name, const std::vector<std::string>& choices,
                    const std::string& selected);

    // A button beside a parameter, for actions that set it ("Scott", "Silverman" next to a
    // bandwidth). The panel owns the button; the caller connects its clicked() signal.
    QPushButton* addButton(const std::string& parameterName, const QString& text);

    // The main editor of a parameter: the number box for Real and Integer, the check box, or the combo
    // box; nullptr for an unknown name.
    QWidget* controlFor(const std::string& name) const;
    // The slider of a Real or Integer parameter, nullptr otherwise.
    QSlider* sliderFor(const std::string& name) const;
    // The text of the last refused or corrected entry, empty when the last entry was fine.
    QString lastMessage() const;

signals:
    void parameterChanging(const QString& name, const locallab::ParameterValue& value);
    void parameterChanged(const QString& name, const locallab::ParameterValue& value);

private:
    struct Editor {
        ParameterDescription description;
        QSlider* slider = nullptr;
        QDoubleSpinBox* realBox = nullptr;
        QSpinBox* integerBox = nullptr;
        QCheckBox* checkBox = nullptr;
        QComboBox* comboBox = nullptr;
        QBoxLayout* buttonRow = nullptr;
    };

    QWidget* createRow(Editor& editor);
    void createNumberEditors(Editor& editor, QBoxLayout* row);
    void createCheckBox(Editor& editor, QBoxLayout* row);
    void createComboBox(Editor& editor, QBoxLayout* row);

    // Slider positions for a number: linear in the value, or in log(value) on a log scale.
    static int sliderPosition(const ParameterDescription& description, double value);
    static double valueAtSliderPosition(const ParameterDescription& description, int position);

    ParameterValue currentValue(const Editor& editor) const;
    double currentNumber(const Editor& editor) const;
    void setNumberSilently(Editor& editor, double value);
    void onSliderMoved(Editor& editor);
    void onSliderCommitted(Editor& editor);
    void onNumberBoxCommitted(Editor& editor);
    void showMessage(const QString& message);

    std::vector<ParameterDescription> descriptions_;
    std::map<std::string, Editor> editors_;
    QLabel* messageLabel_ = nullptr;
    QString correctionMessage_; // set by a number box that clamped what was typed
};

} // namespace locallab
