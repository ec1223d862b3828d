#include "locallab/data/load_dataset.hpp"

#include "locallab/data/npy_loader.hpp"
#include "locallab/data/text_loader.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace locallab {

Dataset loadDataset(const std::string& path, const LoadOptions& options) {
    std::string extension = std::filesystem::path(path).extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char character) { return static_cast<char>(std::tolower(character)); });
    if (extension == ".npy") {
        return loadNpyFile(path, options);
    }
    return loadTextFile(path, options);
}

} // namespace locallab
