#include "locallab/util/parameter.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace locallab {

ParameterValues::ParameterValues(const std::vector<ParameterDescription>& descriptions) {
    for (const auto& description : descriptions) {
        switch (description.type) {
        case ParameterType::Real:
            values_[description.name] = description.defaultValue;
            break;
        case ParameterType::Integer:
            values_[description.name] = static_cast<long long>(std::llround(description.defaultValue));
            break;
        case ParameterType::Boolean:
            values_[description.name] = description.defaultValue != 0.0;
            break;
        case ParameterType::Choice:
            values_[description.name] = description.defaultChoice;
            break;
        }
    }
}

const ParameterValue& ParameterValues::at(const std::string& name) const {
    const auto found = values_.find(name);
    if (found == values_.end()) {
        throw std::out_of_range("no parameter named '" + name + "'");
    }
    return found->second;
}

double ParameterValues::real(const std::string& name) const {
    const auto& value = at(name);
    if (const auto* integer = std::get_if<long long>(&value)) {
        return static_cast<double>(*integer);
    }
    return std::get<double>(value);
}

long long ParameterValues::integer(const std::string& name) const {
    const auto& value = at(name);
    if (const auto* real = std::get_if<double>(&value)) {
        return std::llround(*real);
    }
    return std::get<long long>(value);
}

bool ParameterValues::boolean(const std::string& name) const {
    return std::get<bool>(at(name));
}

const std::string& ParameterValues::choice(const std::string& name) const {
    return std::get<std::string>(at(name));
}

std::optional<std::string> validateParameter(const ParameterDescription& description,
                                             const ParameterValue& value) {
    std::ostringstream message;
    auto checkRange = [&](double number) -> std::optional<std::string> {
        if (!std::isfinite(number) || number < description.minimum || number > description.maximum) {
            message << description.name << " must be between " << description.minimum << " and "
                    << description.maximum << ", got " << number;
            return message.str();
        }
        return std::nullopt;
    };
    switch (description.type) {
    case ParameterType::Real:
        if (const auto* real = std::get_if<double>(&value)) {
            return checkRange(*real);
        }
        if (const auto* integer = std::get_if<long long>(&value)) {
            return checkRange(static_cast<double>(*integer));
        }
        return description.name + " must be a number";
    case ParameterType::Integer:
        if (const auto* integer = std::get_if<long long>(&value)) {
            return checkRange(static_cast<double>(*integer));
        }
        return description.name + " must be a whole number";
    case ParameterType::Boolean:
        if (std::holds_alternative<bool>(value)) {
            return std::nullopt;
        }
        return description.name + " must be true or false";
    case ParameterType::Choice: {
        const auto* text = std::get_if<std::string>(&value);
        if (text && std::find(description.choices.begin(), description.choices.end(), *text) !=
                        description.choices.end()) {
            return std::nullopt;
        }
        message << description.name << " must be one of:";
        for (const auto& choice : description.choices) {
            message << ' ' << choice;
        }
        return message.str();
    }
    }
    return std::nullopt;
}

const ParameterDescription* findParameter(const std::vector<ParameterDescription>& descriptions,
                                          const std::string& name) {
    const auto found = std::find_if(descriptions.begin(), descriptions.end(),
                                    [&](const ParameterDescription& d) { return d.name == name; });
    return found == descriptions.end() ? nullptr : &*found;
}

void validateParameters(const std::vector<ParameterDescription>& descriptions,
                        const ParameterValues& values) {
    for (const auto& [name, value] : values.all()) {
        if (const auto* description = findParameter(descriptions, name)) {
            if (const auto problem = validateParameter(*description, value)) {
                throw std::invalid_argument(*problem);
            }
        }
    }
}

namespace {

ParameterDescription numberParameter(std::string name, std::string label, ParameterType type, double minimum,
                                     double maximum, double defaultValue, std::string help, bool logScale) {
    ParameterDescription description;
    description.name = std::move(name);
    description.label = std::move(label);
    description.type = type;
    description.minimum = minimum;
    description.maximum = maximum;
    description.defaultValue = defaultValue;
    description.logScale = logScale;
    description.help = std::move(help);
    return description;
}

} // namespace

ParameterDescription realParameter(std::string name, std::string label, double minimum, double maximum,
                                   double defaultValue, std::string help, bool logScale) {
    return numberParameter(std::move(name), std::move(label), ParameterType::Real, minimum, maximum,
                           defaultValue, std::move(help), logScale);
}

ParameterDescription integerParameter(std::string name, std::string label, long long minimum,
                                      long long maximum, long long defaultValue, std::string help,
                                      bool logScale) {
    return numberParameter(std::move(name), std::move(label), ParameterType::Integer,
                           static_cast<double>(minimum), static_cast<double>(maximum),
                           static_cast<double>(defaultValue), std::move(help), logScale);
}

ParameterDescription booleanParameter(std::string name, std::string label, bool defaultValue,
                                      std::string help) {
    return numberParameter(std::move(name), std::move(label), ParameterType::Boolean, 0.0, 1.0,
                           defaultValue ? 1.0 : 0.0, std::move(help), false);
}

ParameterDescription choiceParameter(std::string name, std::string label, std::vector<std::string> choices,
                                     std::string defaultChoice, std::string help) {
    ParameterDescription description;
    description.name = std::move(name);
    description.label = std::move(label);
    description.type = ParameterType::Choice;
    description.choices = std::move(choices);
    description.defaultChoice = std::move(defaultChoice);
    description.help = std::move(help);
    return description;
}

} // namespace locallab
