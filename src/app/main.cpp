#include "app/allocator.hpp"
#include "app/cli.hpp"

int main(int argc, char** argv) {
    nra::tune_allocator(argc > 1 ? argv[1] : "");
    return nra::run_cli(argc, argv);
}
