#include "locallab/widgets/parameter_panel.hpp"

#include <QBoxLayout>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <utility>

namespace locallab {

namespace {

// A number box that lets the user finish typing a number outside its range, then clamps it and says
// so; text that is no number is refused, also with a word. The stock spin boxes silently swallow
// such keystrokes, which looks like a broken keyboard.
template <typename SpinBox>
class RangeReportingBox : public SpinBox {
public:
    // Called with what was typed and the number used instead, or nothing when the entry was refused.
    using Report = std::function<void(const QString& typed, std::optional<double> used)>;

    explicit RangeReportingBox(Report report) : report_(std::move(report)) {}

    QValidator::State validate(QString& input, int& position) const override {
        const QValidator::State state = SpinBox::validate(input, position);
        if (state == QValidator::Invalid && typedNumber(input)) {
            return QValidator::Intermediate; // a number, only out of range: fixup() will clamp it
        }
        return state;
    }

    void fixup(QString& input) const override {
        const QString original = input.trimmed();
        const std::optional<double> typed = typedNumber(input);
        if (!typed) {
            if (!input.trimmed().isEmpty()) {
                report_(input.trimmed(), std::nullopt);
            }
            SpinBox::fixup(input);
            return;
        }
        const double clamped = std::clamp(*typed, static_cast<double>(SpinBox::minimum()),
                                          static_cast<double>(SpinBox::maximum()));
        using Number = decltype(std::declval<const SpinBox&>().value());
        input = SpinBox::textFromValue(static_cast<Number>(clamped)); // also rounds extra decimals
        if (clamped != *typed) {
            report_(original, clamped);
        }
    }

private:
    std::optional<double> typedNumber(const QString& input) const {
        QString text = input.trimmed();
        text.remove(SpinBox::prefix()).remove(SpinBox::suffix());
        bool isNumber = false;
        const double number = SpinBox::locale().toDouble(text.trimmed(), &isNumber);
        if (!isNumber || !std::isfinite(number)) {
            return std::nullopt;
        }
        return number;
    }

    Report report_;
};

bool usesLogScale(const ParameterDescription& description) {
    // A log scale needs a positive range; a description that asks for one without it gets a linear one.
    return description.logScale && description.minimum > 0.0 && description.maximum > description.minimum;
}

// Positions 0..steps on a slider. Small integer ranges get one position per value so that every
// position is a different value.
int sliderSteps(const ParameterDescription& description) {
    constexpr int fineSteps = 1000;
    const double span = description.maximum - description.minimum;
    if (description.type == ParameterType::Integer && !usesLogScale(description) && span <= fineSteps) {
        return std::max(1, static_cast<int>(std::lround(span)));
    }
    return fineSteps;
}

// Enough decimals for three significant digits at the bottom of a log range, or a thousandth of a
// linear one.
int decimalsFor(const ParameterDescription& description) {
    const double smallestStep = usesLogScale(description)
                                    ? description.minimum / 100.0
                                    : (description.maximum - description.minimum) / 1000.0;
    if (!(smallestStep > 0.0)) {
        return 3;
    }
    return std::clamp(static_cast<int>(std::ceil(-std::log10(smallestStep))), 1, 10);
}

QString formatNumber(double value) {
    return QLocale().toString(value, 'g', 6);
}

int clampToInt(double value) {
    return static_cast<int>(std::clamp(value, static_cast<double>(std::numeric_limits<int>::min()),
                                       static_cast<double>(std::numeric_limits<int>::max())));
}

} // namespace

ParameterPanel::ParameterPanel(std::vector<ParameterDescription> descriptions, QWidget* parent)
    : QWidget(parent), descriptions_(std::move(descriptions)) {
    auto* layout = new QVBoxLayout(this);
    for (const auto& description : descriptions_) {
        Editor& editor = editors_[description.name];
        editor.description = description;
        layout->addWidget(createRow(editor));
    }
    messageLabel_ = new QLabel(this);
    messageLabel_->setWordWrap(true);
    messageLabel_->setStyleSheet(QStringLiteral("color: #b3261e;"));
    messageLabel_->setVisible(false);
    layout->addWidget(messageLabel_);
    layout->addStretch(1);
    setValues(ParameterValues(descriptions_));
}

QWidget* ParameterPanel::createRow(Editor& editor) {
    const ParameterDescription& description = editor.description;
    auto* row = new QWidget(this);
    auto* rowLayout = new QVBoxLayout(row);
    rowLayout->setContentsMargins(0, 0, 0, 4);
    rowLayout->setSpacing(2);
    const QString tooltip = QString::fromStdString(description.help);

    if (description.type != ParameterType::Boolean) {
        const QString label =
            QString::fromStdString(description.label.empty() ? description.name : description.label);
        auto* title = new QLabel(label, row);
        title->setToolTip(tooltip);
        rowLayout->addWidget(title);
    }
    auto* editors = new QHBoxLayout;
    switch (description.type) {
    case ParameterType::Real:
    case ParameterType::Integer:
        createNumberEditors(editor, editors);
        break;
    case ParameterType::Boolean:
        createCheckBox(editor, editors);
        break;
    case ParameterType::Choice:
        createComboBox(editor, editors);
        break;
    }
    rowLayout->addLayout(editors);
    editor.buttonRow = new QHBoxLayout;
    rowLayout->addLayout(editor.buttonRow);
    return row;
}

void ParameterPanel::createNumberEditors(Editor& editor, QBoxLayout* row) {
    const ParameterDescription& description = editor.description;
    const QString tooltip = QString::fromStdString(description.help);
    const QString label =
        QString::fromStdString(description.label.empty() ? description.name : description.label);
    auto report = [this, label](const QString& typed, std::optional<double> used) {
        if (used) {
            correctionMessage_ = tr("%1: %2 is outside the allowed range, so %3 is used.")
                                     .arg(label, typed, formatNumber(*used));
        } else {
            correctionMessage_ = tr("%1: “%2” is not a number; the value is unchanged.").arg(label, typed);
        }
        showMessage(correctionMessage_);
    };

    editor.slider = new QSlider(Qt::Horizontal, this);
    editor.slider->setRange(0, sliderSteps(description));
    editor.slider->setToolTip(tooltip);
    editor.slider->setObjectName(QString::fromStdString(description.name) + QStringLiteral("Slider"));
    row->addWidget(editor.slider, 1);

    QAbstractSpinBox* box = nullptr;
    if (description.type == ParameterType::Real) {
        auto* realBox = new RangeReportingBox<QDoubleSpinBox>(report);
        realBox->setDecimals(decimalsFor(description));
        realBox->setRange(description.minimum, description.maximum);
        if (usesLogScale(description)) {
            // Steps of one unit in the second significant digit: 0.1 → 0.11, 10 → 11, as on a log axis.
            realBox->setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
        } else {
            realBox->setSingleStep((description.maximum - description.minimum) / 100.0);
        }
        connect(realBox, &QDoubleSpinBox::valueChanged, this,
                [this, &editor] { onNumberBoxCommitted(editor); });
        editor.realBox = realBox;
        box = realBox;
    } else {
        auto* integerBox = new RangeReportingBox<QSpinBox>(report);
        integerBox->setRange(clampToInt(description.minimum), clampToInt(description.maximum));
        if (usesLogScale(description)) {
            integerBox->setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
        }
        connect(integerBox, &QSpinBox::valueChanged, this, [this, &editor] { onNumberBoxCommitted(editor); });
        editor.integerBox = integerBox;
        box = integerBox;
    }
    box->setParent(this);
    // Typing 0.05 passes through 0.0 on its way; only the finished number is a change.
    box->setKeyboardTracking(false);
    box->setCorrectionMode(QAbstractSpinBox::CorrectToPreviousValue);
    box->setToolTip(tooltip);
    box->setObjectName(QString::fromStdString(description.name));
    box->setMinimumWidth(90);
    row->addWidget(box);

    connect(editor.slider, &QSlider::valueChanged, this, [this, &editor] {
        if (editor.slider->isSliderDown()) {
            onSliderMoved(editor);
        } else {
            onSliderCommitted(editor); // keyboard, wheel or a click on the groove: no drag to wait for
        }
    });
    connect(editor.slider, &QSlider::sliderReleased, this, [this, &editor] { onSliderCommitted(editor); });
}

void ParameterPanel::createCheckBox(Editor& editor, QBoxLayout* row) {
    const ParameterDescription& description = editor.description;
    editor.checkBox = new QCheckBox(
        QString::fromStdString(description.label.empty() ? description.name : description.label), this);
    editor.checkBox->setToolTip(QString::fromStdString(description.help));
    editor.checkBox->setObjectName(QString::fromStdString(description.name));
    row->addWidget(editor.checkBox);
    connect(editor.checkBox, &QCheckBox::toggled, this, [this, &editor](bool checked) {
        emit parameterChanged(QString::fromStdString(editor.description.name), ParameterValue{checked});
    });
}

void ParameterPanel::createComboBox(Editor& editor, QBoxLayout* row) {
    const ParameterDescription& description = editor.description;
    editor.comboBox = new QComboBox(this);
    for (const auto& choice : description.choices) {
        editor.comboBox->addItem(QString::fromStdString(choice));
    }
    editor.comboBox->setToolTip(QString::fromStdString(description.help));
    editor.comboBox->setObjectName(QString::fromStdString(description.name));
    row->addWidget(editor.comboBox, 1);
    connect(editor.comboBox, &QComboBox::currentIndexChanged, this, [this, &editor](int index) {
        if (index >= 0) {
            emit parameterChanged(QString::fromStdString(editor.description.name),
                                  ParameterValue{editor.comboBox->itemText(index).toStdString()});
        }
    });
}

int ParameterPanel::sliderPosition(const ParameterDescription& description, double value) {
    const int steps = sliderSteps(description);
    double fraction = 0.0;
    if (usesLogScale(description)) {
        const double clamped = std::clamp(value, description.minimum, description.maximum);
        fraction =
            std::log(clamped / description.minimum) / std::log(description.maximum / description.minimum);
    } else if (description.maximum > description.minimum) {
        fraction = (value - description.minimum) / (description.maximum - description.minimum);
    }
    return static_cast<int>(std::lround(std::clamp(fraction, 0.0, 1.0) * steps));
}

double ParameterPanel::valueAtSliderPosition(const ParameterDescription& description, int position) {
    const double fraction = static_cast<double>(position) / sliderSteps(description);
    double value = 0.0;
    if (usesLogScale(description)) {
        value = description.minimum * std::pow(description.maximum / description.minimum, fraction);
    } else {
        value = description.minimum + fraction * (description.maximum - description.minimum);
    }
    value = std::clamp(value, description.minimum, description.maximum);
    return description.type == ParameterType::Integer ? std::round(value) : value;
}

ParameterValues ParameterPanel::values() const {
    ParameterValues result;
    for (const auto& [name, editor] : editors_) {
        result.set(name, currentValue(editor));
    }
    return result;
}

ParameterValue ParameterPanel::currentValue(const Editor& editor) const {
    switch (editor.description.type) {
    case ParameterType::Real:
        return editor.realBox->value();
    case ParameterType::Integer:
        return static_cast<long long>(editor.integerBox->value());
    case ParameterType::Boolean:
        return editor.checkBox->isChecked();
    case ParameterType::Choice:
        return editor.comboBox->currentText().toStdString();
    }
    return {};
}

double ParameterPanel::currentNumber(const Editor& editor) const {
    return editor.realBox ? editor.realBox->value() : static_cast<double>(editor.integerBox->value());
}

void ParameterPanel::setValues(const ParameterValues& values) {
    for (auto& [name, editor] : editors_) {
        if (!values.contains(name)) {
            continue;
        }
        switch (editor.description.type) {
        case ParameterType::Real:
        case ParameterType::Integer:
            setNumberSilently(editor, values.real(name));
            break;
        case ParameterType::Boolean: {
            const QSignalBlocker blocker(editor.checkBox);
            editor.checkBox->setChecked(values.boolean(name));
            break;
        }
        case ParameterType::Choice: {
            const int index = editor.comboBox->findText(QString::fromStdString(values.choice(name)));
            if (index >= 0) {
                const QSignalBlocker blocker(editor.comboBox);
                editor.comboBox->setCurrentIndex(index);
            }
            break;
        }
        }
    }
}

void ParameterPanel::applyValues(const ParameterValues& values) {
    for (const ParameterDescription& description : descriptions_) {
        const auto value = values.all().find(description.name);
        const auto editor = editors_.find(description.name);
        if (value == values.all().end() || editor == editors_.end()) {
            continue;
        }
        const ParameterValue before = currentValue(editor->second);
        ParameterValues one;
        one.set(description.name, value->second);
        setValues(one);
        const ParameterValue after = currentValue(editor->second);
        if (after != before) {
            emit parameterChanged(QString::fromStdString(description.name), after);
        }
    }
}

void ParameterPanel::setChoices(const std::string& name, const std::vector<std::string>& choices,
                                const std::string& selected) {
    const auto found = editors_.find(name);
    if (found == editors_.end() || !found->second.comboBox) {
        return;
    }
    Editor& editor = found->second;
    editor.description.choices = choices;
    const QSignalBlocker blocker(editor.comboBox);
    editor.comboBox->clear();
    for (const auto& choice : choices) {
        editor.comboBox->addItem(QString::fromStdString(choice));
    }
    editor.comboBox->setCurrentIndex(
        std::max(0, editor.comboBox->findText(QString::fromStdString(selected))));
}

void ParameterPanel::setNumberSilently(Editor& editor, double value) {
    const double clamped = std::clamp(value, editor.description.minimum, editor.description.maximum);
    {
        const QSignalBlocker sliderBlocker(editor.slider);
        editor.slider->setValue(sliderPosition(editor.description, clamped));
    }
    if (editor.realBox) {
        const QSignalBlocker boxBlocker(editor.realBox);
        editor.realBox->setValue(clamped);
    } else {
        const QSignalBlocker boxBlocker(editor.integerBox);
        editor.integerBox->setValue(clampToInt(std::round(clamped)));
    }
}

void ParameterPanel::onSliderMoved(Editor& editor) {
    const double value = valueAtSliderPosition(editor.description, editor.slider->value());
    if (editor.realBox) {
        const QSignalBlocker blocker(editor.realBox);
        editor.realBox->setValue(value);
    } else {
        const QSignalBlocker blocker(editor.integerBox);
        editor.integerBox->setValue(clampToInt(value));
    }
    emit parameterChanging(QString::fromStdString(editor.description.name), currentValue(editor));
}

void ParameterPanel::onSliderCommitted(Editor& editor) {
    onSliderMoved(editor);
    showMessage({});
    emit parameterChanged(QString::fromStdString(editor.description.name), currentValue(editor));
}

void ParameterPanel::onNumberBoxCommitted(Editor& editor) {
    // A correction made while this number was being entered stays on screen; an older one goes.
    showMessage(correctionMessage_);
    correctionMessage_.clear();
    const QSignalBlocker blocker(editor.slider);
    editor.slider->setValue(sliderPosition(editor.description, currentNumber(editor)));
    emit parameterChanged(QString::fromStdString(editor.description.name), currentValue(editor));
}

QPushButton* ParameterPanel::addButton(const std::string& parameterName, const QString& text) {
    const auto found = editors_.find(parameterName);
    if (found == editors_.end()) {
        return nullptr;
    }
    auto* button = new QPushButton(text, this);
    found->second.buttonRow->addWidget(button);
    return button;
}

QWidget* ParameterPanel::controlFor(const std::string& name) const {
    const auto found = editors_.find(name);
    if (found == editors_.end()) {
        return nullptr;
    }
    const Editor& editor = found->second;
    if (editor.realBox) {
        return editor.realBox;
    }
    if (editor.integerBox) {
        return editor.integerBox;
    }
    if (editor.checkBox) {
        return editor.checkBox;
    }
    return editor.comboBox;
}

QSlider* ParameterPanel::sliderFor(const std::string& name) const {
    const auto found = editors_.find(name);
    return found == editors_.end() ? nullptr : found->second.slider;
}

QString ParameterPanel::lastMessage() const {
    return messageLabel_->text();
}

void ParameterPanel::showMessage(const QString& message) {
    messageLabel_->setText(message);
    messageLabel_->setVisible(!message.isEmpty());
}

} // namespace locallab
