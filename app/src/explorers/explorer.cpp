#include "explorers/explorer.hpp"

#include "locallab/widgets/vtk_view.hpp"

namespace locallab {

QWidget* Explorer::centralWidget() const {
    return view();
}

} // namespace locallab
