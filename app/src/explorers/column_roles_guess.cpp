#include "explorers/column_roles_guess.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <sstream>
#include <vector>

namespace locallab {

namespace {

std::string lowercase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char character) { return static_cast<char>(std::tolower(character)); });
    return text;
}

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\"'");
    if (first == std::string::npos) {
        return {};
    }
    const auto last = text.find_last_not_of(" \t\r\"'");
    return text.substr(first, last - first + 1);
}

std::string firstContentLine(std::istream& input) {
    std::string line;
    while (std::getline(input, line)) {
        const std::string content = trimmed(line);
        if (!content.empty() && content.front() != '#') {
            return line;
        }
    }
    return {};
}

// The same choice the loader makes: the most frequent of tab, comma and semicolon, else whitespace.
std::vector<std::string> splitFields(const std::string& line) {
    char delimiter = ' ';
    long best = 0;
    for (const char candidate : {'\t', ',', ';'}) {
        const long count = std::count(line.begin(), line.end(), candidate);
        if (count > best) {
            best = count;
            delimiter = candidate;
        }
    }
    std::vector<std::string> fields;
    std::istringstream stream(line);
    std::string field;
    if (delimiter == ' ') {
        while (stream >> field) {
            fields.push_back(trimmed(field));
        }
    } else {
        while (std::getline(stream, field, delimiter)) {
            fields.push_back(trimmed(field));
        }
    }
    return fields;
}

bool isLabelName(const std::string& name) {
    static const std::array<std::string, 6> names = {"label",   "labels",  "class",
                                                     "species", "cluster", "category"};
    return std::find(names.begin(), names.end(), lowercase(name)) != names.end();
}

} // namespace

LoadOptions guessColumnRoles(const std::string& path) {
    LoadOptions options;
    if (lowercase(path).ends_with(".npy")) {
        return options;
    }
    std::ifstream input(path);
    if (!input) {
        return options;
    }
    for (const std::string& field : splitFields(firstContentLine(input))) {
        if (options.labelColumn.empty() && isLabelName(field)) {
            options.labelColumn = field;
        } else if (options.targetColumn.empty() && lowercase(field) == "target") {
            options.targetColumn = field;
        }
    }
    return options;
}

} // namespace locallab
