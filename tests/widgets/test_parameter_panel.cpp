// The panel is built from descriptions alone, so these tests build one from a small list covering every
// parameter type and drive it the way a user would: drag, release, type, tick, pick.

#include "fuzzy_compare.hpp"
#include "locallab/widgets/parameter_panel.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTest>
#include <algorithm>
#include <cmath>

using locallab::ParameterDescription;
using locallab::ParameterPanel;
using locallab::ParameterType;
using locallab::ParameterValue;
using locallab::ParameterValues;

namespace {

std::vector<ParameterDescription> sampleDescriptions() {
    ParameterDescription bandwidth;
    bandwidth.name = "bandwidth";
    bandwidth.label = "Bandwidth h";
    bandwidth.type = ParameterType::Real;
    bandwidth.minimum = 0.01;
    bandwidth.maximum = 100.0;
    bandwidth.defaultValue = 1.0;
    bandwidth.logScale = true;
    bandwidth.help = "Standard deviation of the Gaussian kernel.";

    ParameterDescription noise;
    noise.name = "noise";
    noise.label = "Noise";
    noise.type = ParameterType::Real;
    noise.minimum = 0.0;
    noise.maximum = 10.0;
    noise.defaultValue = 2.0;
    noise.help = "Standard deviation of the added noise.";

    ParameterDescription neighbours;
    neighbours.name = "neighbours";
    neighbours.label = "Neighbours k";
    neighbours.type = ParameterType::Integer;
    neighbours.minimum = 1;
    neighbours.maximum = 20;
    neighbours.defaultValue = 5;
    neighbours.help = "How many nearest neighbours each point uses.";

    ParameterDescription clusterAll;
    clusterAll.name = "cluster_all";
    clusterAll.label = "Assign every point";
    clusterAll.type = ParameterType::Boolean;
    clusterAll.defaultValue = 1;
    clusterAll.help = "Give far points the nearest mode instead of -1.";

    ParameterDescription kernel;
    kernel.name = "kernel";
    kernel.label = "Kernel";
    kernel.type = ParameterType::Choice;
    kernel.choices = {"gaussian", "epanechnikov", "flat"};
    kernel.defaultChoice = "epanechnikov";
    kernel.help = "Profile of the kernel.";

    return {bandwidth, noise, neighbours, clusterAll, kernel};
}

double realOf(const QVariant& variant) {
    return std::get<double>(variant.value<ParameterValue>());
}

// Puts text into a number box as a paste would, then presses Enter: the whole text is judged at once.
void enterText(QAbstractSpinBox* box, const QString& text) {
    auto* edit = box->findChild<QLineEdit*>();
    QVERIFY(edit);
    edit->setText(text);
    QTest::keyClick(box, Qt::Key_Return);
}

} // namespace

class TestParameterPanel : public QObject {
    Q_OBJECT

private slots:
    void buildsTheControlOfEachType_data();
    void buildsTheControlOfEachType();
    void tooltipsComeFromTheHelpText();
    void startsOnTheDefaults();
    void draggingEmitsChangingThenReleaseCommits_data();
    void draggingEmitsChangingThenReleaseCommits();
    void typedNumberCommitsAndMovesTheSlider();
    void outOfRangeNumbersAreClampedWithAMessage_data();
    void outOfRangeNumbersAreClampedWithAMessage();
    void textThatIsNotANumberChangesNothing();
    void logScaleNumberBoxStepsByTheDigit();
    void integerSliderMovesInWholeSteps();
    void checkBoxAndComboBoxCommitAtOnce();
    void setValuesMovesControlsWithoutEmitting();
    void setChoicesReplacesTheItemsWithoutEmitting();
    void addButtonPutsAButtonBesideTheParameter();
};

void TestParameterPanel::buildsTheControlOfEachType_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("className");
    QTest::addColumn<bool>("hasSlider");
    QTest::newRow("real") << "bandwidth"
                          << "QDoubleSpinBox" << true;
    QTest::newRow("integer") << "neighbours"
                             << "QSpinBox" << true;
    QTest::newRow("boolean") << "cluster_all"
                             << "QCheckBox" << false;
    QTest::newRow("choice") << "kernel"
                            << "QComboBox" << false;
}

void TestParameterPanel::buildsTheControlOfEachType() {
    QFETCH(QString, name);
    QFETCH(QString, className);
    QFETCH(bool, hasSlider);
    ParameterPanel panel(sampleDescriptions());
    QWidget* control = panel.controlFor(name.toStdString());
    QVERIFY(control);
    QVERIFY2(control->inherits(className.toLatin1().constData()), control->metaObject()->className());
    QCOMPARE(panel.sliderFor(name.toStdString()) != nullptr, hasSlider);
    QCOMPARE(panel.controlFor("no_such_parameter"), nullptr);
}

void TestParameterPanel::tooltipsComeFromTheHelpText() {
    ParameterPanel panel(sampleDescriptions());
    QCOMPARE(panel.controlFor("bandwidth")->toolTip(), QString("Standard deviation of the Gaussian kernel."));
    QCOMPARE(panel.sliderFor("bandwidth")->toolTip(), QString("Standard deviation of the Gaussian kernel."));
    QCOMPARE(panel.controlFor("kernel")->toolTip(), QString("Profile of the kernel."));
}

void TestParameterPanel::startsOnTheDefaults() {
    ParameterPanel panel(sampleDescriptions());
    const ParameterValues values = panel.values();
    LOCALLAB_COMPARE_NEAR(values.real("bandwidth"), 1.0, 0.0, 1e-12);
    LOCALLAB_COMPARE_NEAR(values.real("noise"), 2.0, 0.0, 1e-12);
    QCOMPARE(values.integer("neighbours"), 5LL);
    QCOMPARE(values.boolean("cluster_all"), true);
    QCOMPARE(values.choice("kernel"), std::string("epanechnikov"));
    // bandwidth 1 is the geometric middle of [0.01, 100], so a log slider sits half way.
    const QSlider* slider = panel.sliderFor("bandwidth");
    QCOMPARE(slider->value(), (slider->minimum() + slider->maximum()) / 2);
}

void TestParameterPanel::draggingEmitsChangingThenReleaseCommits_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<double>("sliderFraction");
    QTest::addColumn<double>("expected");
    // Log scale [0.01, 100]: a quarter of the way is 0.01·10^(4/4) = 0.1, three quarters is 10.
    QTest::newRow("log quarter") << "bandwidth" << 0.25 << 0.1;
    QTest::newRow("log three quarters") << "bandwidth" << 0.75 << 10.0;
    // Linear [0, 10]: 30 % of the way is 3.
    QTest::newRow("linear") << "noise" << 0.3 << 3.0;
}

void TestParameterPanel::draggingEmitsChangingThenReleaseCommits() {
    QFETCH(QString, name);
    QFETCH(double, sliderFraction);
    QFETCH(double, expected);
    ParameterPanel panel(sampleDescriptions());
    QSignalSpy changing(&panel, &ParameterPanel::parameterChanging);
    QSignalSpy changed(&panel, &ParameterPanel::parameterChanged);
    QSlider* slider = panel.sliderFor(name.toStdString());
    const int position = static_cast<int>(std::lround(slider->maximum() * sliderFraction));

    slider->setSliderDown(true);
    slider->setValue(position);
    QCOMPARE(changing.count(), 1);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(changing.at(0).at(0).toString(), name);
    LOCALLAB_COMPARE_NEAR(realOf(changing.at(0).at(1)), expected, 1e-9, 0.0);
    auto* box = qobject_cast<QDoubleSpinBox*>(panel.controlFor(name.toStdString()));
    LOCALLAB_COMPARE_NEAR(box->value(), expected, 1e-9, 0.0);

    slider->setSliderDown(false);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toString(), name);
    LOCALLAB_COMPARE_NEAR(realOf(changed.at(0).at(1)), expected, 1e-9, 0.0);
    LOCALLAB_COMPARE_NEAR(panel.values().real(name.toStdString()), expected, 1e-9, 0.0);
}

void TestParameterPanel::typedNumberCommitsAndMovesTheSlider() {
    ParameterPanel panel(sampleDescriptions());
    QSignalSpy changing(&panel, &ParameterPanel::parameterChanging);
    QSignalSpy changed(&panel, &ParameterPanel::parameterChanged);
    auto* box = qobject_cast<QDoubleSpinBox*>(panel.controlFor("bandwidth"));
    enterText(box, "10");
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changing.count(), 0);
    LOCALLAB_COMPARE_NEAR(realOf(changed.at(0).at(1)), 10.0, 1e-12, 0.0);
    // log(10/0.01) / log(100/0.01) = 3/4 of the slider.
    const QSlider* slider = panel.sliderFor("bandwidth");
    QCOMPARE(slider->value(), slider->maximum() * 3 / 4);
    QVERIFY(panel.lastMessage().isEmpty());
}

void TestParameterPanel::outOfRangeNumbersAreClampedWithAMessage_data() {
    QTest::addColumn<QString>("typed");
    QTest::addColumn<double>("expected");
    QTest::newRow("above") << "1000" << 100.0;
    QTest::newRow("below") << "0.0001" << 0.01;
    QTest::newRow("negative") << "-5" << 0.01;
}

void TestParameterPanel::outOfRangeNumbersAreClampedWithAMessage() {
    QFETCH(QString, typed);
    QFETCH(double, expected);
    ParameterPanel panel(sampleDescriptions());
    panel.show();
    QSignalSpy changed(&panel, &ParameterPanel::parameterChanged);
    auto* box = qobject_cast<QDoubleSpinBox*>(panel.controlFor("bandwidth"));
    enterText(box, typed);
    LOCALLAB_COMPARE_NEAR(box->value(), expected, 1e-12, 0.0);
    QCOMPARE(changed.count(), 1);
    LOCALLAB_COMPARE_NEAR(realOf(changed.at(0).at(1)), expected, 1e-12, 0.0);
    QVERIFY2(panel.lastMessage().contains("Bandwidth h"), qPrintable(panel.lastMessage()));
    QVERIFY2(panel.lastMessage().contains("outside the allowed range"), qPrintable(panel.lastMessage()));
    const auto labels = panel.findChildren<QLabel*>();
    QVERIFY(std::any_of(labels.begin(), labels.end(), [&](const QLabel* label) {
        return label->isVisible() && label->text() == panel.lastMessage();
    }));
}

void TestParameterPanel::textThatIsNotANumberChangesNothing() {
    ParameterPanel panel(sampleDescriptions());
    QSignalSpy changed(&panel, &ParameterPanel::parameterChanged);
    auto* box = qobject_cast<QDoubleSpinBox*>(panel.controlFor("bandwidth"));
    enterText(box, "abc");
    QCOMPARE(changed.count(), 0);
    LOCALLAB_COMPARE_NEAR(box->value(), 1.0, 0.0, 1e-12);
    QVERIFY2(panel.lastMessage().contains("not a number"), qPrintable(panel.lastMessage()));
}

void TestParameterPanel::logScaleNumberBoxStepsByTheDigit() {
    ParameterPanel panel(sampleDescriptions());
    QSignalSpy changed(&panel, &ParameterPanel::parameterChanged);
    auto* box = qobject_cast<QDoubleSpinBox*>(panel.controlFor("bandwidth"));
    box->stepBy(1); // 1 → 1.1: a tenth of the leading digit, whatever the magnitude
    LOCALLAB_COMPARE_NEAR(box->value(), 1.1, 1e-12, 0.0);
    QCOMPARE(changed.count(), 1);
    box->setValue(20.0);
    box->stepBy(1);
    LOCALLAB_COMPARE_NEAR(box->value(), 21.0, 1e-12, 0.0);
    box->setValue(0.05);
    box->stepBy(1);
    LOCALLAB_COMPARE_NEAR(box->value(), 0.051, 1e-12, 0.0);
}

void TestParameterPanel::integerSliderMovesInWholeSteps() {
    ParameterPanel panel(sampleDescriptions());
    QSignalSpy changed(&panel, &ParameterPanel::parameterChanged);
    QSlider* slider = panel.sliderFor("neighbours");
    QCOMPARE(slider->maximum() - slider->minimum(), 19); // one position per value 1..20
    slider->setValue(slider->minimum() + 11);            // a click on the groove commits at once
    QCOMPARE(changed.count(), 1);
    QCOMPARE(std::get<long long>(changed.at(0).at(1).value<ParameterValue>()), 12LL);
    QCOMPARE(qobject_cast<QSpinBox*>(panel.controlFor("neighbours"))->value(), 12);
}

void TestParameterPanel::checkBoxAndComboBoxCommitAtOnce() {
    ParameterPanel panel(sampleDescriptions());
    QSignalSpy changed(&panel, &ParameterPanel::parameterChanged);
    auto* checkBox = qobject_cast<QCheckBox*>(panel.controlFor("cluster_all"));
    QTest::mouseClick(checkBox, Qt::LeftButton);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toString(), QString("cluster_all"));
    QCOMPARE(std::get<bool>(changed.at(0).at(1).value<ParameterValue>()), false);

    auto* comboBox = qobject_cast<QComboBox*>(panel.controlFor("kernel"));
    comboBox->setCurrentIndex(2);
    QCOMPARE(changed.count(), 2);
    QCOMPARE(std::get<std::string>(changed.at(1).at(1).value<ParameterValue>()), std::string("flat"));
    QCOMPARE(panel.values().choice("kernel"), std::string("flat"));
}

void TestParameterPanel::setValuesMovesControlsWithoutEmitting() {
    ParameterPanel panel(sampleDescriptions());
    QSignalSpy changing(&panel, &ParameterPanel::parameterChanging);
    QSignalSpy changed(&panel, &ParameterPanel::parameterChanged);
    ParameterValues values = panel.values();
    values.set("bandwidth", 0.1);
    values.set("noise", 50.0); // out of range: clamped to 10
    values.set("neighbours", 7LL);
    values.set("cluster_all", false);
    values.set("kernel", std::string("gaussian"));
    panel.setValues(values);
    QCOMPARE(changing.count(), 0);
    QCOMPARE(changed.count(), 0);

    const ParameterValues shown = panel.values();
    LOCALLAB_COMPARE_NEAR(shown.real("bandwidth"), 0.1, 1e-12, 0.0);
    LOCALLAB_COMPARE_NEAR(shown.real("noise"), 10.0, 1e-12, 0.0);
    QCOMPARE(shown.integer("neighbours"), 7LL);
    QCOMPARE(shown.boolean("cluster_all"), false);
    QCOMPARE(shown.choice("kernel"), std::string("gaussian"));
    const QSlider* slider = panel.sliderFor("bandwidth");
    QCOMPARE(slider->value(), slider->maximum() / 4);
}

void TestParameterPanel::setChoicesReplacesTheItemsWithoutEmitting() {
    ParameterPanel panel(sampleDescriptions());
    QSignalSpy changed(&panel, &ParameterPanel::parameterChanged);
    panel.setChoices("kernel", {"x0", "x1", "petal length"}, "petal length");
    QCOMPARE(changed.count(), 0);
    auto* comboBox = qobject_cast<QComboBox*>(panel.controlFor("kernel"));
    QCOMPARE(comboBox->count(), 3);
    QCOMPARE(panel.values().choice("kernel"), std::string("petal length"));
    panel.setChoices("kernel", {"a", "b"}, "not there");
    QCOMPARE(panel.values().choice("kernel"), std::string("a"));
}

void TestParameterPanel::addButtonPutsAButtonBesideTheParameter() {
    ParameterPanel panel(sampleDescriptions());
    QCOMPARE(panel.addButton("no_such_parameter", "Scott"), nullptr);
    QPushButton* scott = panel.addButton("bandwidth", "Scott");
    QPushButton* silverman = panel.addButton("bandwidth", "Silverman");
    QVERIFY(scott && silverman);
    QCOMPARE(scott->text(), QString("Scott"));
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QVERIFY(scott->isVisible());
    // Beside the bandwidth: below its slider and above the next parameter's controls.
    const int scottTop = scott->mapTo(&panel, QPoint(0, 0)).y();
    QVERIFY(scottTop > panel.sliderFor("bandwidth")->mapTo(&panel, QPoint(0, 0)).y());
    QVERIFY(scottTop < panel.sliderFor("noise")->mapTo(&panel, QPoint(0, 0)).y());
    QSignalSpy clicked(scott, &QPushButton::clicked);
    QTest::mouseClick(scott, Qt::LeftButton);
    QCOMPARE(clicked.count(), 1);
}

QTEST_MAIN(TestParameterPanel)
#include "test_parameter_panel.moc"
