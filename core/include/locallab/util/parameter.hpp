#pragma once
// One description per parameter of a method. The same list builds the GUI panel
// (widgets/ParameterPanel), is what a scene file stores, and is what locallab-cli parses, so a
// parameter is never written down twice.

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace locallab {

enum class ParameterType { Real, Integer, Boolean, Choice };

struct ParameterDescription {
    std::string name;  // stable key: the scene-file key and the CLI flag (--name)
    std::string label; // what the panel shows, e.g. "Bandwidth h"
    ParameterType type = ParameterType::Real;
    double minimum = 0.0;
    double maximum = 1.0;
    double defaultValue = 0.0;        // Real, Integer and Boolean (0 or 1)
    std::string defaultChoice;        // Choice
    std::vector<std::string> choices; // Choice
    bool logScale = false;            // sliders move in log space (bandwidths, temperatures)
    std::string help;                 // a sentence for tooltips and --help
};

using ParameterValue = std::variant<double, long long, bool, std::string>;

// The current values of a parameter list, keyed by name.
class ParameterValues {
public:
    ParameterValues() = default;
    // Starts from every description's default.
    explicit ParameterValues(const std::vector<ParameterDescription>& descriptions);

    void set(const std::string& name, ParameterValue value) { values_[name] = std::move(value); }
    bool contains(const std::string& name) const { return values_.count(name) != 0; }

    double real(const std::string& name) const;               // Real or Integer, as a double
    long long integer(const std::string& name) const;         // Integer
    bool boolean(const std::string& name) const;              // Boolean
    const std::string& choice(const std::string& name) const; // Choice

    const std::map<std::string, ParameterValue>& all() const { return values_; }
    bool operator==(const ParameterValues&) const = default;

private:
    const ParameterValue& at(const std::string& name) const;
    std::map<std::string, ParameterValue> values_;
};

// Checks a value against its description; returns a message naming the parameter and the allowed
// range or choices when it does not fit, nothing when it does.
std::optional<std::string> validateParameter(const ParameterDescription& description,
                                             const ParameterValue& value);

// Throws std::invalid_argument with validateParameter's message for the first value that does not fit its
// description; values without a description are left to the caller.
void validateParameters(const std::vector<ParameterDescription>& descriptions, const ParameterValues& values);

// Short ways to declare a parameter, so that a method's list reads as a table of names, ranges and help.
ParameterDescription realParameter(std::string name, std::string label, double minimum, double maximum,
                                   double defaultValue, std::string help, bool logScale = false);
ParameterDescription integerParameter(std::string name, std::string label, long long minimum,
                                      long long maximum, long long defaultValue, std::string help,
                                      bool logScale = false);
ParameterDescription booleanParameter(std::string name, std::string label, bool defaultValue,
                                      std::string help);
ParameterDescription choiceParameter(std::string name, std::string label, std::vector<std::string> choices,
                                     std::string defaultChoice, std::string help);

// Finds a description by name, or nullptr.
const ParameterDescription* findParameter(const std::vector<ParameterDescription>& descriptions,
                                          const std::string& name);

} // namespace locallab
