"""Writers for the build's outputs. Each writes aside and renames, so no reader sees half a file."""
