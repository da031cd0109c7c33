// The terminal surface: `nr-analyzer trace …` (and later `serve`, `improve`). Returns the exit
// code.
#pragma once

namespace nra {

int run_cli(int argc, char** argv);

}  // namespace nra
