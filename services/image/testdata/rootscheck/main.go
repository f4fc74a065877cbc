// Command rootscheck prints how many certificates Go's system root pool holds in the
// environment it runs in, with the services' fallback roots linked in (image tests only).
package main

import (
	"crypto/x509"
	"fmt"
	"os"

	_ "golang.org/x/crypto/x509roots/fallback"
)

func main() {
	pool, err := x509.SystemCertPool()
	if err != nil {
		fmt.Fprintln(os.Stderr, "rootscheck:", err)
		os.Exit(1)
	}
	// Subjects is deprecated for system pools (they may not be enumerable); on Linux they are.
	fmt.Println(len(pool.Subjects()))
}
