#include "locallab/data/file_contents.hpp"

#include "locallab/data/data_error.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <system_error>

namespace locallab {

namespace {

struct FileCloser {
    void operator()(std::FILE* file) const { std::fclose(file); }
};

[[noreturn]] void throwCannotRead(const std::string& path, const std::string& reason) {
    throw DataError({path, 0, 0, {}}, "cannot read the file: " + reason);
}

} // namespace

std::string readFileContents(const std::string& path) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
        throwCannotRead(path, "it is a directory");
    }
    const std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
    if (!file) {
        throwCannotRead(path, std::strerror(errno));
    }
    const auto size = std::filesystem::file_size(path, error);
    if (error) {
        throwCannotRead(path, error.message());
    }
    std::string contents(static_cast<std::size_t>(size), '\0');
    const std::size_t read = std::fread(contents.data(), 1, contents.size(), file.get());
    if (read != contents.size()) {
        throwCannotRead(path, "it changed size while it was read");
    }
    return contents;
}

std::string fileNameOf(const std::string& path) {
    return std::filesystem::path(path).filename().string();
}

} // namespace locallab
