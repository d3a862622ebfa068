// brock-emulator: the local Bedrock runtime emulator (see docs/emulator.md).
#include "emulator/emulator_cli.h"

int main(int argc, char** argv) { return brock::RunEmulatorMain(argc, argv); }
