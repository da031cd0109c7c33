#include "app/cli.hpp"

namespace nra {

int run_cli(int /*argc*/, char** /*argv*/) {
    return 2;
}

}  // namespace nra
