#include "locallab/data/npy_loader.hpp"

#include "locallab/data/column_selection.hpp"
#include "locallab/data/data_error.hpp"
#include "locallab/data/file_contents.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace locallab {

namespace {

constexpr std::string_view magic = "\x93NUMPY";

enum class ElementKind { Float, SignedInteger, UnsignedInteger };

struct ElementType {
    ElementKind kind = ElementKind::Float;
    std::size_t size = 8;
    bool bigEndian = false;
};

struct NpyHeader {
    ElementType element;
    bool fortranOrder = false;
    std::vector<std::uint64_t> shape;
    std::size_t dataOffset = 0; // where the array's bytes begin
};

// A value of the header dictionary: a string, True/False, or a tuple of integers.
using HeaderValue = std::variant<std::string, bool, std::vector<std::uint64_t>>;

class NpyError {
public:
    explicit NpyError(const std::string& file) : file_(file) {}

    [[noreturn]] void raise(const std::string& field, const std::string& what) const {
        throw DataError({file_, 0, 0, field}, what);
    }

private:
    const std::string& file_;
};

// Parses the Python literal NumPy writes, e.g. {'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }
class HeaderDictionaryParser {
public:
    HeaderDictionaryParser(std::string_view text, const NpyError& error) : text_(text), error_(error) {}

    std::map<std::string, HeaderValue> parse() {
        std::map<std::string, HeaderValue> entries;
        expect('{');
        while (true) {
            skipSpace();
            if (peek() == '}') {
                ++position_;
                break;
            }
            std::string key = parseString();
            expect(':');
            HeaderValue value = parseValue(key);
            if (!entries.emplace(key, std::move(value)).second) {
                fail("the key '" + key + "' appears twice");
            }
            skipSpace();
            if (peek() == ',') {
                ++position_;
            } else if (peek() != '}') {
                fail("expected ',' or '}'");
            }
        }
        skipSpace();
        if (position_ != text_.size()) {
            fail("unexpected text after the closing '}'");
        }
        return entries;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        error_.raise("header", "malformed header dictionary at character " + std::to_string(position_ + 1) +
                                   ": " + what + " in " + std::string(text_));
    }

    char peek() const { return position_ < text_.size() ? text_[position_] : '\0'; }

    void skipSpace() {
        while (position_ < text_.size() && (text_[position_] == ' ' || text_[position_] == '\n' ||
                                            text_[position_] == '\t' || text_[position_] == '\r')) {
            ++position_;
        }
    }

    void expect(char wanted) {
        skipSpace();
        if (peek() != wanted) {
            fail(std::string("expected '") + wanted + "'");
        }
        ++position_;
    }

    std::string parseString() {
        skipSpace();
        const char quote = peek();
        if (quote != '\'' && quote != '"') {
            fail("expected a quoted string");
        }
        const std::size_t end = text_.find(quote, position_ + 1);
        if (end == std::string_view::npos) {
            fail("the string is not closed");
        }
        std::string value(text_.substr(position_ + 1, end - position_ - 1));
        position_ = end + 1;
        return value;
    }

    bool parseWord(std::string_view word) {
        if (text_.substr(position_, word.size()) == word) {
            position_ += word.size();
            return true;
        }
        return false;
    }

    std::uint64_t parseInteger() {
        skipSpace();
        const std::size_t start = position_;
        std::uint64_t value = 0;
        while (position_ < text_.size() && text_[position_] >= '0' && text_[position_] <= '9') {
            const auto digit = static_cast<std::uint64_t>(text_[position_] - '0');
            if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) {
                error_.raise("shape", "a dimension does not fit in 64 bits: " + std::string(text_));
            }
            value = value * 10 + digit;
            ++position_;
        }
        if (position_ == start) {
            fail("expected a non-negative whole number");
        }
        if (peek() == 'L') { // written by Python 2
            ++position_;
        }
        return value;
    }

    std::vector<std::uint64_t> parseTuple() {
        std::vector<std::uint64_t> values;
        while (true) {
            skipSpace();
            if (peek() == ')') {
                ++position_;
                return values;
            }
            values.push_back(parseInteger());
            skipSpace();
            if (peek() == ',') {
                ++position_;
            } else if (peek() != ')') {
                fail("expected ',' or ')' in a tuple");
            }
        }
    }

    HeaderValue parseValue(const std::string& key) {
        skipSpace();
        const char first = peek();
        if (first == '\'' || first == '"') {
            return parseString();
        }
        if (first == '(') {
            ++position_;
            return parseTuple();
        }
        if (parseWord("True")) {
            return true;
        }
        if (parseWord("False")) {
            return false;
        }
        fail("the value of '" + key + "' is not a string, True/False or a tuple");
    }

    std::string_view text_;
    const NpyError& error_;
    std::size_t position_ = 0;
};

ElementType parseDescr(const std::string& descr, const NpyError& error) {
    const auto unsupported = [&]() {
        error.raise("descr",
                    "unsupported dtype '" + descr +
                        "'; expected float64/float32 ('<f8', '>f8', '<f4', '>f4') or an integer type "
                        "('i1'..'i8', 'u1'..'u8')");
    };
    std::string_view text = descr;
    ElementType element;
    element.bigEndian = std::endian::native == std::endian::big;
    if (!text.empty() &&
        (text.front() == '<' || text.front() == '>' || text.front() == '|' || text.front() == '=')) {
        if (text.front() == '<') {
            element.bigEndian = false;
        } else if (text.front() == '>') {
            element.bigEndian = true;
        }
        text.remove_prefix(1);
    }
    if (text.size() != 2) {
        unsupported();
    }
    element.size = static_cast<std::size_t>(text[1] - '0');
    switch (text[0]) {
    case 'f':
        element.kind = ElementKind::Float;
        if (element.size != 4 && element.size != 8) {
            unsupported();
        }
        break;
    case 'i':
    case 'u':
        element.kind = text[0] == 'i' ? ElementKind::SignedInteger : ElementKind::UnsignedInteger;
        if (element.size != 1 && element.size != 2 && element.size != 4 && element.size != 8) {
            unsupported();
        }
        break;
    default:
        unsupported();
    }
    return element;
}

template <typename T>
const T* entryOf(const std::map<std::string, HeaderValue>& entries, const std::string& key,
                 const char* expected, const NpyError& error) {
    const auto found = entries.find(key);
    if (found == entries.end()) {
        error.raise(key, "the header dictionary has no '" + key + "' entry");
    }
    const T* value = std::get_if<T>(&found->second);
    if (value == nullptr) {
        error.raise(key, std::string("expected ") + expected);
    }
    return value;
}

std::string describeShape(const std::vector<std::uint64_t>& shape) {
    std::string text = "(";
    for (const auto dimension : shape) {
        text += std::to_string(dimension) + ", ";
    }
    if (shape.size() > 1) {
        text.resize(text.size() - 2);
    } else if (shape.size() == 1) {
        text.resize(text.size() - 1);
    }
    return text + ")";
}

std::uint32_t readLittleEndian(std::string_view bytes, std::size_t offset, std::size_t width) {
    std::uint32_t value = 0;
    for (std::size_t byte = 0; byte < width; ++byte) {
        value |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[offset + byte])) << (8 * byte);
    }
    return value;
}

NpyHeader parseHeader(std::string_view bytes, const NpyError& error) {
    if (bytes.substr(0, magic.size()) != magic.substr(0, std::min(bytes.size(), magic.size()))) {
        error.raise("magic", "not a NumPy .npy file: it does not start with \\x93NUMPY");
    }
    constexpr std::size_t versionOffset = 6;
    if (bytes.size() < versionOffset + 2) {
        error.raise("version", "the file is truncated before its format version");
    }
    const int major = static_cast<unsigned char>(bytes[versionOffset]);
    if (major < 1 || major > 3) {
        error.raise("version", "unsupported .npy format version " + std::to_string(major) + "." +
                                   std::to_string(static_cast<unsigned char>(bytes[versionOffset + 1])) +
                                   "; versions 1.0, 2.0 and 3.0 are read");
    }
    const std::size_t lengthWidth = major == 1 ? 2 : 4;
    const std::size_t headerOffset = versionOffset + 2 + lengthWidth;
    if (bytes.size() < headerOffset) {
        error.raise("header_len", "the file is truncated before the header length");
    }
    const std::size_t headerLength = readLittleEndian(bytes, versionOffset + 2, lengthWidth);
    if (headerLength > bytes.size() - headerOffset) {
        error.raise("header_len", "the header says it is " + std::to_string(headerLength) +
                                      " bytes long but the file ends " +
                                      std::to_string(bytes.size() - headerOffset) + " bytes after its start");
    }
    const auto entries = HeaderDictionaryParser(bytes.substr(headerOffset, headerLength), error).parse();
    for (const auto& [key, value] : entries) {
        if (key != "descr" && key != "fortran_order" && key != "shape") {
            error.raise(key, "unexpected key in the header dictionary");
        }
    }
    NpyHeader header;
    header.element =
        parseDescr(*entryOf<std::string>(entries, "descr", "a dtype string such as '<f8'", error), error);
    header.fortranOrder = *entryOf<bool>(entries, "fortran_order", "True or False", error);
    header.shape = *entryOf<std::vector<std::uint64_t>>(entries, "shape", "a tuple of dimensions", error);
    header.dataOffset = headerOffset + headerLength;
    return header;
}

// Rows and columns of the matrix the shape describes, refused before anything is allocated when the
// file cannot possibly hold that many values.
std::pair<std::uint64_t, std::uint64_t> checkedMatrixSize(const NpyHeader& header, std::size_t fileSize,
                                                          const NpyError& error) {
    const auto& shape = header.shape;
    if (shape.empty() || shape.size() > 2) {
        error.raise("shape", "expected a 1-D or 2-D array, found shape " + describeShape(shape));
    }
    const std::uint64_t rows = shape[0];
    const std::uint64_t columns = shape.size() == 2 ? shape[1] : 1;
    if (rows == 0 || columns == 0) {
        error.raise("shape", "the array " + describeShape(shape) + " holds no values");
    }
    std::uint64_t count = 0;
    std::uint64_t byteCount = 0;
    if (__builtin_mul_overflow(rows, columns, &count) ||
        __builtin_mul_overflow(count, static_cast<std::uint64_t>(header.element.size), &byteCount) ||
        count > static_cast<std::uint64_t>(std::numeric_limits<Eigen::Index>::max())) {
        error.raise("shape", "the shape " + describeShape(shape) + " has more values than can be counted");
    }
    if (byteCount > fileSize) {
        error.raise("shape", "the shape " + describeShape(shape) + " needs " + std::to_string(byteCount) +
                                 " bytes of data but the whole file has only " + std::to_string(fileSize));
    }
    const std::size_t available = fileSize - header.dataOffset;
    if (byteCount > available) {
        error.raise("data", "the data is shorter than the shape " + describeShape(shape) +
                                " says: " + std::to_string(byteCount) + " bytes needed, " +
                                std::to_string(available) + " present");
    }
    return {rows, columns};
}

template <typename Stored>
double readElement(const char* source, bool swapBytes) {
    std::array<char, sizeof(Stored)> raw;
    std::memcpy(raw.data(), source, sizeof(Stored));
    if (swapBytes) {
        std::reverse(raw.begin(), raw.end());
    }
    return static_cast<double>(std::bit_cast<Stored>(raw));
}

template <typename Stored>
void convertElements(const char* source, Eigen::MatrixXd& matrix, bool fortranOrder, bool swapBytes) {
    const Eigen::Index rows = matrix.rows();
    const Eigen::Index columns = matrix.cols();
    if constexpr (std::is_same_v<Stored, double>) {
        // The common case, native float64, is one block copy (memcpy, since the data may be unaligned).
        if (!swapBytes) {
            if (fortranOrder) {
                std::memcpy(matrix.data(), source, static_cast<std::size_t>(rows * columns) * sizeof(double));
            } else {
                Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rowMajor(rows,
                                                                                                columns);
                std::memcpy(rowMajor.data(), source,
                            static_cast<std::size_t>(rows * columns) * sizeof(double));
                matrix = rowMajor;
            }
            return;
        }
    }
    for (Eigen::Index index = 0; index < rows * columns; ++index) {
        const double value =
            readElement<Stored>(source + index * static_cast<Eigen::Index>(sizeof(Stored)), swapBytes);
        if (fortranOrder) {
            matrix(index % rows, index / rows) = value;
        } else {
            matrix(index / columns, index % columns) = value;
        }
    }
}

Eigen::MatrixXd readMatrix(std::string_view bytes, const NpyHeader& header, Eigen::Index rows,
                           Eigen::Index columns) {
    Eigen::MatrixXd matrix(rows, columns);
    const char* source = bytes.data() + header.dataOffset;
    const ElementType& element = header.element;
    const bool swap = element.bigEndian != (std::endian::native == std::endian::big);
    const bool fortran = header.fortranOrder;
    switch (element.kind) {
    case ElementKind::Float:
        element.size == 8 ? convertElements<double>(source, matrix, fortran, swap)
                          : convertElements<float>(source, matrix, fortran, swap);
        break;
    case ElementKind::SignedInteger:
        switch (element.size) {
        case 1:
            convertElements<std::int8_t>(source, matrix, fortran, swap);
            break;
        case 2:
            convertElements<std::int16_t>(source, matrix, fortran, swap);
            break;
        case 4:
            convertElements<std::int32_t>(source, matrix, fortran, swap);
            break;
        default:
            convertElements<std::int64_t>(source, matrix, fortran, swap);
        }
        break;
    case ElementKind::UnsignedInteger:
        switch (element.size) {
        case 1:
            convertElements<std::uint8_t>(source, matrix, fortran, swap);
            break;
        case 2:
            convertElements<std::uint16_t>(source, matrix, fortran, swap);
            break;
        case 4:
            convertElements<std::uint32_t>(source, matrix, fortran, swap);
            break;
        default:
            convertElements<std::uint64_t>(source, matrix, fortran, swap);
        }
        break;
    }
    return matrix;
}

void refuseNonFinite(const Eigen::MatrixXd& matrix, const NpyError& error) {
    if (matrix.allFinite()) {
        return;
    }
    for (Eigen::Index row = 0; row < matrix.rows(); ++row) {
        for (Eigen::Index column = 0; column < matrix.cols(); ++column) {
            const double value = matrix(row, column);
            if (!std::isfinite(value)) {
                error.raise("data", "row " + std::to_string(row + 1) + ", column " +
                                        std::to_string(column + 1) + " is " +
                                        (std::isnan(value) ? "NaN" : "infinite") +
                                        "; values must be finite numbers");
            }
        }
    }
}

Eigen::VectorXi integerLabels(const Eigen::VectorXd& values, const std::string& columnName,
                              const NpyError& error) {
    Eigen::VectorXi labels(values.size());
    for (Eigen::Index row = 0; row < values.size(); ++row) {
        const double value = values(row);
        if (value != std::round(value) || std::abs(value) > std::numeric_limits<int>::max()) {
            error.raise("data", "the label column " + columnName + " holds " + std::to_string(value) +
                                    " at row " + std::to_string(row + 1) + "; labels must be whole numbers");
        }
        labels(row) = static_cast<int>(value);
    }
    return labels;
}

Dataset selectColumns(const Eigen::MatrixXd& matrix, const std::string& file, const LoadOptions& options,
                      const NpyError& error) {
    const std::vector<std::string> names = defaultColumnNames(static_cast<std::size_t>(matrix.cols()));
    const ColumnRoles roles = resolveColumns(names, options, file, 0);
    Dataset dataset;
    dataset.points.resize(matrix.rows(), static_cast<Eigen::Index>(roles.pointColumns.size()));
    for (std::size_t column = 0; column < roles.pointColumns.size(); ++column) {
        const auto source = static_cast<Eigen::Index>(roles.pointColumns[column]);
        dataset.points.col(static_cast<Eigen::Index>(column)) = matrix.col(source);
        dataset.columnNames.push_back(names[roles.pointColumns[column]]);
    }
    if (roles.targetColumn) {
        dataset.target = matrix.col(static_cast<Eigen::Index>(*roles.targetColumn));
        dataset.targetName = names[*roles.targetColumn];
    }
    if (roles.labelColumn) {
        dataset.labels = integerLabels(matrix.col(static_cast<Eigen::Index>(*roles.labelColumn)),
                                       names[*roles.labelColumn], error);
    }
    return dataset;
}

} // namespace

Dataset parseNpy(std::string_view bytes, const std::string& fileName, const LoadOptions& options) {
    const NpyError error(fileName);
    const NpyHeader header = parseHeader(bytes, error);
    const auto [rows, columns] = checkedMatrixSize(header, bytes.size(), error);
    const Eigen::MatrixXd matrix =
        readMatrix(bytes, header, static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(columns));
    refuseNonFinite(matrix, error);
    Dataset dataset = selectColumns(matrix, fileName, options, error);
    dataset.origin = fileNameOf(fileName);
    return dataset;
}

Dataset loadNpyFile(const std::string& path, const LoadOptions& options) {
    const std::string contents = readFileContents(path);
    return parseNpy(contents, path, options);
}

} // namespace locallab
