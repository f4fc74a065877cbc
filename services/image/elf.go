package image

import (
	"bytes"
	"debug/elf"
	"fmt"
)

// machines maps a GOARCH the images are built for to its ELF machine.
var machines = map[string]elf.Machine{
	"amd64": elf.EM_X86_64,
	"arm64": elf.EM_AARCH64,
}

// CheckStaticELF verifies that bin is a statically linked Linux ELF executable for arch
// ("amd64" or "arm64"): an empty base image has no dynamic loader nor C library, so a
// dynamically linked binary would fail only at the task's start.
func CheckStaticELF(bin []byte, arch string) error {
	want, ok := machines[arch]
	if !ok {
		return fmt.Errorf("architecture %q: only amd64 and arm64 are supported", arch)
	}
	f, err := elf.NewFile(bytes.NewReader(bin))
	if err != nil {
		return fmt.Errorf("not an ELF executable: %w", err)
	}
	defer func() { _ = f.Close() }() // in memory: nothing to lose
	if f.Type != elf.ET_EXEC {
		return fmt.Errorf("ELF type %s, want a static executable (%s)", f.Type, elf.ET_EXEC)
	}
	if f.Machine != want {
		return fmt.Errorf("ELF machine %s, want %s for %s", f.Machine, want, arch)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			return fmt.Errorf("dynamically linked (ELF segment %s): build with CGO_ENABLED=0", p.Type)
		}
	}
	return nil
}
