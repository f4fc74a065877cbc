package main

import (
	"fmt"
	"os"
)

// version is the release version, set at build time by services/cmd/imagebuild
// (-ldflags "-X main.version=<version>"), the same as the image's org.opencontainers.image.version.
var version = "dev"

// init answers `readapi -version` (the command takes no other argument) with the version and exits
// before any configuration is read, so the executable of an image can say which release it is.
func init() {
	if len(os.Args) == 2 && os.Args[1] == "-version" {
		fmt.Println(version)
		os.Exit(0)
	}
}
