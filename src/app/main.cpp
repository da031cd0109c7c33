#include "app/cli.hpp"

int main(int argc, char** argv) {
    return nra::run_cli(argc, argv);
}
